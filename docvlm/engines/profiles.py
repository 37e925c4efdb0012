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
    # Servers that compile the full JSON Schema into a grammar: vLLM, SGLang, llama.cpp,
    # Ollama, LM Studio, transformers serve.
    "generic": ServerProfile("generic"),
}
SERVER_ALIASES = {
    name: "generic"
    for name in ("vllm", "sglang", "llama.cpp", "llamacpp", "ollama", "lmstudio", "transformers")
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
