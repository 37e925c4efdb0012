"""The Engine protocol, what engines state about themselves, and the engine registry.

An engine only runs a model: a tile (its image, the prompt, the JSON Schema) goes in, text
comes out. Engines that need no prompt (``native``) answer with records directly and say
so in their capabilities. Third parties add engines through the ``docvlm.engines``
entry-point group; each entry point names a factory taking keyword options.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from PIL import Image
from pydantic import BaseModel

from docvlm.document import Page
from docvlm.errors import EngineUnavailableError
from docvlm.geometry import BBox
from docvlm.tiling import Tile

ENTRY_POINT_GROUP = "docvlm.engines"


@dataclass(frozen=True)
class EngineCapabilities:
    """What the pipeline needs to know to drive an engine.

    ``returns_records``: answers with records (no prompt is built, no text is parsed).
    ``needs_image``: tiles must be rasterised for it.
    ``preferred_tile_size``: the model's native input side in pixels; tile plans use it.
    ``reads_whole_page``: plans one tile per page unless a tile size is given explicitly.
    ``schemas``: the record schema names it can extract; None means any schema.
    ``max_concurrency``: engine calls that may run at once in worker threads (the next
    tiles are rendered meanwhile); 0 runs them in the calling thread.
    ``batch_size``: tiles handed over at once to the engine's ``run_batch`` (if it has one).
    """

    returns_records: bool = False
    needs_image: bool = True
    preferred_tile_size: int | None = None
    reads_whole_page: bool = False
    schemas: frozenset[str] | None = None
    max_concurrency: int = 1
    batch_size: int = 1


@dataclass
class TileRequest:
    """One unit of work for an engine: a tile of a page and the schema to fill."""

    page: Page
    tile: Tile
    schema: type[BaseModel]
    json_schema: dict[str, Any]
    prompt: str | None = None
    render: Callable[[], Image.Image] | None = None

    def image(self) -> Image.Image:
        if self.render is None:
            raise RuntimeError("this request carries no image (the engine said it needs none)")
        return self.render()


@dataclass
class FoundRecord:
    """A record an engine read directly, with where it lies on the page, how it was read
    (``method``, shown in the record's provenance), whether its numbers were measured
    from the page's geometry (``measured``: a chart's marks) rather than printed, and what
    it is known to lack (``warnings``: "3 slices without a label"). ``probability``: how
    likely the engine finds its reading right, where it can tell (a table's structural
    score); it scales the record's confidence as a model's answer probability does.
    ``doubts``: why the reading itself is in doubt, one line each (reported as
    ``doubtful`` warnings)."""

    data: dict[str, Any] | BaseModel
    bbox: BBox | None = None
    method: str | None = None
    measured: bool = False
    warnings: list[str] = field(default_factory=list)  # what the record lacks, one line each
    probability: float | None = None
    doubts: list[str] = field(default_factory=list)


@dataclass
class EngineReply:
    """An engine's answer: raw text to parse and validate, or records found directly.
    ``probability``: how likely the model found its own answer (the geometric mean of its
    tokens' probabilities), where the engine can tell. ``warnings``: why the tile gave no
    record, one line each (``"no coloured marks"``); a record's own gaps go with it."""

    text: str | None = None
    records: list[FoundRecord] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)
    probability: float | None = None
    warnings: list[str] = field(default_factory=list)


@runtime_checkable
class Engine(Protocol):
    """Runs a model on one tile. Engines may also offer ``run_batch(requests)`` returning
    one reply (or exception) per request, used when ``capabilities.batch_size`` > 1, and
    ``notices``: how they fell back to a weaker way of working (a server that refused the
    answer's schema), one line each, which every run reports as ``degraded`` warnings."""

    name: str
    capabilities: EngineCapabilities

    def run(self, request: TileRequest) -> EngineReply: ...


EngineFactory = Callable[..., Engine]
_REGISTRY: dict[str, EngineFactory] = {}
# Engines that ship with docvlm, imported only when first asked for.
_BUILTIN = {
    "native": "docvlm.engines.native:NativeEngine",
    "transformers": "docvlm.engines.transformers:TransformersEngine",
    "openai": "docvlm.engines.openai:OpenAIEngine",
    "anthropic": "docvlm.engines.anthropic:AnthropicEngine",
}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``factory`` available as ``engine=name``."""
    _REGISTRY[name] = factory


def available_engines() -> list[str]:
    _load_entry_points()
    return sorted(_REGISTRY)


def get_engine(name: str | Engine, **options: Any) -> Engine:
    """Build the engine registered as ``name`` (or pass an engine instance through)."""
    if not isinstance(name, str):
        return name
    if name not in _REGISTRY:
        _load_entry_points()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise EngineUnavailableError(
            f"unknown engine {name!r}; available: {', '.join(available_engines())}"
        ) from None
    _check_options(name, factory, options)
    return factory(**options)


def _check_options(name: str, factory: EngineFactory, options: dict[str, Any]) -> None:
    target = getattr(factory, "target", factory)
    try:
        inspect.signature(target).bind(**options)
    except TypeError as exc:
        raise EngineUnavailableError(
            f"engine {name!r} does not take these options: {exc}"
        ) from None
    except ValueError:  # no signature to check (a builtin): let the call decide
        pass


def _load_entry_points() -> None:
    for name, target in _BUILTIN.items():
        if name not in _REGISTRY:
            _REGISTRY[name] = _lazy(target)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in _REGISTRY:
            continue
        try:
            _REGISTRY[entry.name] = entry.load()
        except Exception as exc:  # a broken plug-in must not break docvlm itself
            message = f"engine {entry.name!r} ({entry.value}) failed to load: {exc}"
            _REGISTRY[entry.name] = _unavailable(message)


class _lazy:
    """A factory that imports its engine class only when first called."""

    def __init__(self, path: str) -> None:
        self.path = path

    @property
    def target(self) -> Any:
        module, _, attribute = self.path.partition(":")
        return getattr(import_module(module), attribute)

    def __call__(self, **options: Any) -> Engine:
        engine: Engine = self.target(**options)
        return engine


def _unavailable(message: str) -> EngineFactory:
    def factory(**_: Any) -> Engine:
        raise EngineUnavailableError(message)

    return factory
