"""Model-family quirks in one place: how images are passed and what tile size suits a model.

Local models are recognised by ``config.model_type``; servers by a profile name given with
the engine options (``profile="vllm"``). Everything else stays generic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

DEFAULT_TILE_SIZE = 1024
MAX_TILE_SIZE = 2048  # beyond this a model's own resizing would shrink the text again


@dataclass(frozen=True)
class ModelProfile:
    """How to talk to one family of local vision-language models."""

    family: str
    nested_images: bool = False  # the processor wants one list of images per sample

    def images_argument(self, images: list[Any]) -> list[Any]:
        return [[image] for image in images] if self.nested_images else images

    def tile_size(self, image_processor: Any) -> int:
        """The input side, in pixels, that the model reads without downscaling."""
        side = _native_side(self.family, image_processor)
        return max(224, min(MAX_TILE_SIZE, side or DEFAULT_TILE_SIZE))


PROFILES = {
    "qwen2_vl": ModelProfile("qwen2_vl"),
    "qwen2_5_vl": ModelProfile("qwen2_5_vl"),
    "idefics3": ModelProfile("idefics3", nested_images=True),
    "smolvlm": ModelProfile("idefics3", nested_images=True),
    "idefics2": ModelProfile("idefics2", nested_images=True),
    "llava": ModelProfile("llava"),
    "llava_next": ModelProfile("llava_next"),
}


def profile_for(model_type: str) -> ModelProfile:
    return PROFILES.get(model_type, ModelProfile(model_type))


def _native_side(family: str, image_processor: Any) -> int | None:
    size = _as_dict(getattr(image_processor, "size", None))
    if family.startswith("qwen2"):
        # Qwen reads images at their own resolution up to max_pixels, on a 28-pixel grid.
        max_pixels = getattr(image_processor, "max_pixels", None) or size.get("longest_edge")
        return int(math.isqrt(int(max_pixels)) // 28 * 28) if max_pixels else None
    if family == "llava_next":
        pinpoints = getattr(image_processor, "image_grid_pinpoints", None) or []
        return max((max(p) for p in pinpoints), default=None)
    if family in ("idefics3", "idefics2"):
        return size.get("longest_edge")
    crop = _as_dict(getattr(image_processor, "crop_size", None))
    return crop.get("height") or size.get("shortest_edge") or size.get("height")


def _as_dict(value: Any) -> dict[str, int]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    if isinstance(value, int):
        return {"height": value, "width": value, "shortest_edge": value}
    return (
        {k: v for k, v in vars(value).items() if isinstance(v, int)}
        if hasattr(value, "__dict__")
        else {}
    )


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``$ref`` replaced by its definition, ``$defs`` dropped.

    Some servers' grammar compilers reject ``$defs``; Pydantic's schemas are not recursive,
    so inlining always terminates for them.
    """
    definitions = {**schema.get("definitions", {}), **schema.get("$defs", {})}

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in definitions:
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**resolve(definitions[ref.rsplit("/", 1)[-1]]), **resolve(rest)}
            return {k: resolve(v) for k, v in node.items() if k not in ("$defs", "definitions")}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    result: dict[str, Any] = resolve(schema)
    return result
