"""Model-family and server quirks in one place, as data.

Local models are recognised by ``config.model_type`` (:class:`ModelProfile`: how images are
passed, what tile size suits the model); servers by the host of their base URL, or by a
profile named in the engine options (:class:`ServerProfile`: which schema dialect they take,
what the token limit is called, where the API key is). Everything else stays generic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from docvlm.engines.dialects import FULL, GEMINI, OPENAI_STRICT, SchemaDialect
from docvlm.errors import EngineUnavailableError

DEFAULT_TILE_SIZE = 1024
MAX_TILE_SIZE = 2048  # beyond this a model's own resizing would shrink the text again


@dataclass(frozen=True)
class ModelProfile:
    """How to talk to one family of local vision-language models.

    ``nested_images``: the processor wants one list of images per sample (else batches
    fail on counting image tokens). ``side``: how the input side the model reads without
    downscaling is found in its image processor (see :data:`SIDES`). ``refused``: why
    the family cannot work here; such models are refused before their weights load.
    """

    family: str
    nested_images: bool = False
    side: str = "crop"
    refused: str | None = None

    def images_argument(self, images: list[Any]) -> list[Any]:
        return [[image] for image in images] if self.nested_images else images

    def tile_size(self, image_processor: Any) -> int:
        """The input side, in pixels, that the model reads without downscaling."""
        side = SIDES[self.side](image_processor, _as_dict(getattr(image_processor, "size", None)))
        return max(224, min(MAX_TILE_SIZE, side or DEFAULT_TILE_SIZE))


def _pixel_budget(processor: Any, size: dict[str, int]) -> int | None:
    """Qwen2/2.5/3-VL, GLM-4V: images at their own resolution up to a pixel budget
    (``max_pixels``, or ``size["longest_edge"]``, a pixel count), on a grid of merged
    patches (28 px for Qwen2 and GLM-4V, 32 px for Qwen3-VL)."""
    budget = getattr(processor, "max_pixels", None) or size.get("max_pixels")
    budget = budget or size.get("longest_edge")
    patch, merge = getattr(processor, "patch_size", None), getattr(processor, "merge_size", None)
    grid = patch * merge if isinstance(patch, int) and isinstance(merge, int) else 28
    return int(math.isqrt(int(budget)) // grid * grid) if budget else None


def _pinpoints(processor: Any, size: dict[str, int]) -> int | None:
    """LLaVA-NeXT, LLaVA-OneVision: any-resolution grids up to the largest pinpoint."""
    pinpoints = getattr(processor, "image_grid_pinpoints", None) or []
    return max((max(p) for p in pinpoints), default=None) or _crop(processor, size)


def _longest_edge(processor: Any, size: dict[str, int]) -> int | None:
    """Idefics2/3, SmolVLM, Mistral3: the image is resized to a longest edge."""
    return size.get("longest_edge") or _crop(processor, size)


def _tile_grid(processor: Any, size: dict[str, int]) -> int | None:
    """Llama 3.2 Vision: square tiles of ``size``, up to ``max_image_tiles`` of them."""
    tiles = getattr(processor, "max_image_tiles", None) or 1
    side = size.get("height")
    return side * max(1, math.isqrt(int(tiles))) if side else None


def _encoder_tile(processor: Any, size: dict[str, int]) -> int | None:
    """LFM2-VL: the encoder's tile (larger images are split into such tiles)."""
    return getattr(processor, "tile_size", None) or _crop(processor, size)


def _crop(processor: Any, size: dict[str, int]) -> int | None:
    """Fixed-size encoders (LLaVA, Gemma 3, InternVL's patches): the crop or the size
    (Pixtral-12B, a ``llava`` with a Pixtral processor: its longest edge)."""
    crop = _as_dict(getattr(processor, "crop_size", None))
    return (
        crop.get("height")
        or size.get("shortest_edge")
        or size.get("height")
        or size.get("longest_edge")
    )


SIDES = {
    "pixels": _pixel_budget,
    "pinpoints": _pinpoints,
    "longest_edge": _longest_edge,
    "tile_grid": _tile_grid,
    "encoder_tile": _encoder_tile,
    "crop": _crop,
}

PROFILES = {
    profile.family: profile
    for profile in (
        ModelProfile("qwen2_vl", side="pixels"),
        ModelProfile("qwen2_5_vl", side="pixels"),
        ModelProfile("qwen3_vl", side="pixels"),
        ModelProfile("glm4v", side="pixels"),
        ModelProfile("idefics3", nested_images=True, side="longest_edge"),
        ModelProfile("smolvlm", nested_images=True, side="longest_edge"),
        ModelProfile("idefics2", nested_images=True, side="longest_edge"),
        ModelProfile("mistral3", side="longest_edge"),
        ModelProfile("llava"),
        ModelProfile("llava_next", side="pinpoints"),
        ModelProfile("llava_onevision", side="pinpoints"),
        ModelProfile("gemma3", nested_images=True),
        ModelProfile("mllama", nested_images=True, side="tile_grid"),
        ModelProfile("lfm2_vl", nested_images=True, side="encoder_tile"),
        ModelProfile("internvl"),
        ModelProfile(
            "paligemma",
            refused="PaliGemma has no chat template: it is prompted with task prefixes "
            "(`caption en`, `ocr`), not with instructions and a schema",
        ),
        ModelProfile(
            "florence2",
            refused="Florence-2 has no chat template: it answers fixed task tokens "
            "(`<OCR>`, `<OD>`), not instructions and a schema",
        ),
        ModelProfile(
            "phi4_multimodal",
            refused="Phi-4-multimodal is a causal language model with audio and vision "
            "adapters, not an image-text-to-text model",
        ),
        ModelProfile(
            "phi4mm",
            refused="Phi-4-multimodal is a causal language model with audio and vision "
            "adapters, not an image-text-to-text model",
        ),
    )
}


def profile_for(model_type: str) -> ModelProfile:
    return PROFILES.get(model_type, ModelProfile(model_type))


def working_families() -> list[str]:
    """The model types with a profile that works (each tested on a tiny model)."""
    return sorted(name for name, profile in PROFILES.items() if profile.refused is None)


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


@dataclass(frozen=True)
class ServerProfile:
    """How to talk to one kind of OpenAI-compatible server.

    ``schema``: the dialect of the answer's JSON Schema sent as ``response_format`` (None:
    the server ignores ``response_format``, so none is sent). ``strict``: the value of
    ``json_schema.strict`` (None: left out). ``token_parameter``: what the answer-length
    limit is called. ``hosts``: base-URL hosts that select this profile (a leading dot
    matches subdomains). ``notice``: how the server falls short, said in every result.
    """

    name: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    schema: SchemaDialect | None = FULL
    strict: bool | None = True
    token_parameter: str = "max_tokens"
    fixed_temperature: str | None = None
    hosts: tuple[str, ...] = ()
    notice: str | None = None

    def takes_temperature(self, model: str) -> bool:
        return not (self.fixed_temperature and re.match(self.fixed_temperature, model))

    def matches(self, host: str) -> bool:
        return any(host == h or (h.startswith(".") and host.endswith(h)) for h in self.hosts)


SERVERS = {
    # Strict structured outputs; reasoning models (gpt-5, o-series) refuse max_tokens and
    # any temperature but their own.
    "openai": ServerProfile(
        "openai",
        base_url="https://api.openai.com/v1",
        schema=OPENAI_STRICT,
        token_parameter="max_completion_tokens",
        fixed_temperature=r"(o\d|gpt-5)",
        hosts=("api.openai.com", ".openai.azure.com"),
    ),
    "gemini": ServerProfile(
        "gemini",
        base_url="https://generativelanguage.googleapis.com/v1beta/openai",
        api_key_env="GEMINI_API_KEY",
        schema=GEMINI,
        strict=None,
        hosts=("generativelanguage.googleapis.com",),
    ),
    # Anthropic's OpenAI-compatible endpoint accepts response_format and ignores it.
    "anthropic": ServerProfile(
        "anthropic",
        base_url="https://api.anthropic.com/v1",
        api_key_env="ANTHROPIC_API_KEY",
        schema=None,
        hosts=("api.anthropic.com",),
        notice=(
            "Anthropic's OpenAI-compatible endpoint ignores response_format: answers are "
            "checked against the schema and asked for again, not held to it "
            "(--engine anthropic has Claude answer in the schema)"
        ),
    ),
    # `transformers serve` takes response_format and ignores it (it logs "Ignoring
    # unsupported fields").
    "transformers": ServerProfile(
        "transformers",
        schema=None,
        notice=(
            "transformers serve ignores response_format: answers are checked against the "
            "schema and asked for again, not held to it (--engine transformers runs the "
            "model with the schema enforced)"
        ),
    ),
    # Servers that compile the full JSON Schema into a grammar: vLLM, SGLang, llama.cpp,
    # Ollama, LM Studio.
    "generic": ServerProfile("generic"),
}
SERVER_ALIASES = {
    name: "generic" for name in ("vllm", "sglang", "llama.cpp", "llamacpp", "ollama", "lmstudio")
}


def server_profile(name: str, base_url: str | None) -> ServerProfile:
    """The profile named (``"auto"``: the one whose host the base URL names, else
    ``generic``; OpenAI's when there is no base URL either)."""
    name = SERVER_ALIASES.get(name.lower(), name.lower())
    if name == "auto":
        if base_url is None:
            return SERVERS["openai"]
        host = (urlparse(base_url).hostname or "").lower()
        return next((p for p in SERVERS.values() if p.matches(host)), SERVERS["generic"])
    if name not in SERVERS:
        known = sorted({*SERVERS, *SERVER_ALIASES, "auto"})
        raise EngineUnavailableError(f"unknown server profile {name!r}; known: {', '.join(known)}")
    return SERVERS[name]


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
