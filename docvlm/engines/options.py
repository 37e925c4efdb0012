"""What each built-in engine accepts: one Pydantic options model per engine.

Options are validated the same way however they are given (``get_engine(name, **options)``,
``extract(engine_options=...)``, an :class:`~docvlm.engines.registry.EngineSpec`, the
command line's ``-E KEY=VALUE`` and its dedicated flags): strings are coerced by the model
(``"30"`` for a number, ``"true"`` for a flag, ``"none"`` or ``"null"`` for an option that
may be empty, ``"en,de"`` for a list), and a value the engine cannot take raises
:class:`~docvlm.errors.EngineOptionError` naming the option and what it accepts, before
any work. Models are frozen and picklable, so an engine spec can travel to a worker process.

This module imports no engine: options are checked without loading a model's libraries.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from docvlm.engines.profiles import SERVER_ALIASES, SERVERS
from docvlm.errors import EngineOptionError
from docvlm.text import DEFAULT_DATE_ORDER, DEFAULT_LANGUAGES, DateOrder, unknown_languages

# The OCR backends of docvlm.ocr (a test keeps the two equal; that module loads numpy).
OcrBackendName: TypeAlias = Literal["rapidocr", "tesseract"]
DEFAULT_OCR: OcrBackendName = "rapidocr"
_EMPTY = ("none", "null")  # how the command line spells "no value"


class EngineOptions(BaseModel):
    """Base of the engines' options models: unknown options are refused, values frozen.

    ``ocr`` is every engine's: the OCR backend for pages without a usable text layer
    (``"rapidocr"``, ``"tesseract"``, or None to never OCR). The ``native`` engine reads
    such pages with it; every engine's values are grounded in its words there.
    ``extract(ocr=...)`` sets the same option.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    ocr: OcrBackendName | None = Field(
        default=DEFAULT_OCR, description="rapidocr, tesseract, or none (never OCR)"
    )

    @model_validator(mode="before")
    @classmethod
    def _empty_strings_are_none(cls, data: Any) -> Any:
        """'none' or 'null' (as typed on the command line) empties an option that may be
        empty."""
        if not isinstance(data, Mapping):
            return data
        fields = cls.model_fields
        return {
            key: None
            if isinstance(value, str)
            and value.strip().lower() in _EMPTY
            and key in fields
            and type(None) in get_args(fields[key].annotation)
            else value
            for key, value in data.items()
        }


class NativeOptions(EngineOptions):
    """The ``native`` engine: ``ocr`` (see :class:`EngineOptions`), ``date_order`` and
    ``languages`` for dates in user records, ``tables`` (the table reader's mode)."""

    date_order: DateOrder = Field(
        default=DEFAULT_DATE_ORDER,
        description="DMY (03/04/2024 is 3 April), MDY (US: 4 March) or YMD",
    )
    languages: tuple[str, ...] = Field(
        default=DEFAULT_LANGUAGES,
        description="two-letter codes of the languages whose month names are read, e.g. en,de",
    )
    # The table reader's modes (native.tables.TABLE_MODES; a test keeps the two equal).
    tables: Literal["accurate", "fast"] = Field(
        default="accurate",
        description="accurate, or fast (the layout analyser on text features alone)",
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        return tuple(v.strip() for v in value.split(",")) if isinstance(value, str) else value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if value != DEFAULT_LANGUAGES and (why := unknown_languages(value)):
            raise ValueError(why)
        return value


class TransformersOptions(EngineOptions):
    """The ``transformers`` engine: a local model folder or cached id, and how to run it."""

    model: str = Field(description="a model folder or a cached model id (CLI: --model PATH)")
    device: str = Field(
        default="auto",
        pattern=r"^(auto|cpu|mps|cuda(:\d+)?)$",
        description="auto, cpu, mps, cuda or cuda:N",
    )
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        default="auto", description="auto, float32, bfloat16 or float16"
    )
    max_new_tokens: int = Field(default=1024, gt=0, description="answer length limit per tile, > 0")
    constrained: bool = Field(
        default=True, description="true or false: decode within the answer schema"
    )
    batch_size: int = Field(default=1, ge=1, description="tiles generated at once, >= 1")
    seed: int = Field(default=0, description="an integer")

    @field_validator("model", mode="before")
    @classmethod
    def _expanded(cls, value: Any) -> Any:
        """A path (``~/models/x``) as a string with the home folder expanded."""
        if isinstance(value, os.PathLike) or (isinstance(value, str) and value.startswith("~")):
            return os.path.expanduser(os.fspath(value))
        return value


class ServiceOptions(EngineOptions):
    """What the HTTP engines (``openai``, ``anthropic``) share."""

    model: str = Field(min_length=1, description="the model name the server knows (CLI: --model)")
    concurrency: int = Field(default=4, ge=1, description="requests in flight, >= 1")
    timeout: float = Field(default=120.0, gt=0, description="seconds to wait for an answer, > 0")
    max_retries: int = Field(default=3, ge=0, description="retries of a failed request, >= 0")
    retry_backoff: float = Field(
        default=1.0, ge=0, description="seconds before the first retry, >= 0"
    )
    max_new_tokens: int = Field(default=4096, gt=0, description="answer length limit per tile, > 0")


class OpenAIOptions(ServiceOptions):
    """The ``openai`` engine (see :class:`~docvlm.engines.openai.OpenAIEngine`)."""

    base_url: str | None = Field(
        default=None, description="the API root, e.g. http://localhost:8000/v1 [the profile's]"
    )
    api_key_env: str | None = Field(
        default=None, description="the environment variable holding the API key [the profile's]"
    )
    profile: str = Field(
        default="auto",
        description=f"auto, {', '.join(sorted({*SERVERS, *SERVER_ALIASES}))}",
    )
    response_format: Literal["auto", "json_schema", "none"] = Field(
        default="auto", description="auto, json_schema or none"
    )
    inline_refs: bool = Field(
        default=False, description="true or false: inline $defs in the schema"
    )
    tile_size: int = Field(default=1024, ge=64, description="tile side in pixels, >= 64")

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        name = SERVER_ALIASES.get(value.lower(), value.lower())
        if name != "auto" and name not in SERVERS:
            raise ValueError("unknown server profile")
        return value


class AnthropicOptions(ServiceOptions):
    """The ``anthropic`` engine (see :class:`~docvlm.engines.anthropic.AnthropicEngine`)."""

    base_url: str = Field(default="https://api.anthropic.com/v1", description="the API root")
    api_key_env: str = Field(
        default="ANTHROPIC_API_KEY", description="the environment variable holding the API key"
    )
    output: Literal["auto", "json_schema", "tool", "none"] = Field(
        default="auto", description="auto, json_schema, tool or none"
    )
    # Claude reads images up to about 1.15 megapixels without scaling them down: 1092 px.
    tile_size: int = Field(default=1092, ge=64, description="tile side in pixels, >= 64")


# The built-in engines' options, known without importing the engines.
BUILTIN_OPTIONS: dict[str, type[EngineOptions]] = {
    "native": NativeOptions,
    "transformers": TransformersOptions,
    "openai": OpenAIOptions,
    "anthropic": AnthropicOptions,
}


def validate_options(
    engine: str, model: type[EngineOptions], options: Mapping[str, Any] | EngineOptions
) -> EngineOptions:
    """``options`` as ``model``; raises :class:`EngineOptionError` with one line naming the
    first option at fault and what it accepts."""
    if isinstance(options, model):
        return options
    if isinstance(options, EngineOptions):
        options = options.model_dump(exclude_unset=True)
    try:
        return model.model_validate(dict(options))
    except ValidationError as exc:
        raise EngineOptionError(_one_line(engine, model, exc)) from None


def _one_line(engine: str, model: type[EngineOptions], exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = ".".join(str(part) for part in error["loc"]) or "options"
    field = model.model_fields.get(str(error["loc"][0])) if error["loc"] else None
    accepts = field.description if field is not None else None
    if error["type"] == "extra_forbidden":
        return (
            f"the {engine} engine has no option {name!r}; its options: "
            f"{', '.join(model.model_fields)}"
        )
    if error["type"] == "missing":
        return f"the {engine} engine needs the option {name!r}" + (
            f": {accepts}" if accepts else ""
        )
    message = error["msg"][0].lower() + error["msg"][1:]
    message = message.removeprefix("value error, ")
    accepted = f" (accepts: {accepts})" if accepts else ""
    return f"{engine} engine option {name}={error['input']!r}: {message}{accepted}"
