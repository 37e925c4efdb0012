"""The Engine base class, what engines state about themselves, and what goes in and out.

An engine only runs a model: a tile (its image, the prompt, the JSON Schema) goes in, text
comes out. Engines that need no prompt (``native``) answer with records directly and say
so in their capabilities. How engines are named, built and given options is
:mod:`docvlm.engines.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from PIL import Image
from pydantic import BaseModel

from docvlm.engines.options import DEFAULT_OCR, EngineOptions
from docvlm.errors import EngineUnavailableError
from docvlm.geometry import BBox
from docvlm.schemas import schema_name

if TYPE_CHECKING:  # (pymupdf, which documents import, is not needed to name an engine)
    from docvlm.document import Page
    from docvlm.tiling import Tile


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
    ``batch_size``: tiles handed over at once to the engine's ``run_batch``.
    """

    returns_records: bool = False
    needs_image: bool = True
    preferred_tile_size: int | None = None
    reads_whole_page: bool = False
    schemas: frozenset[str] | None = None
    max_concurrency: int = 1
    batch_size: int = 1


@dataclass(frozen=True)
class TileRequest:
    """One unit of work for an engine: a tile of a page and the schema to fill. Frozen: a
    re-ask sends a copy with another prompt (``dataclasses.replace``)."""

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


class Engine:
    """Base class of engines: subclasses set ``name`` and ``capabilities`` and implement
    ``run``; the rest has defaults.

    ``options_model``: the engine's :class:`~docvlm.engines.options.EngineOptions` model;
    an engine that has one is built as ``Engine(options)`` with its options validated
    (:func:`~docvlm.engines.registry.get_engine`), and keeps them in ``options``.
    ``notices``: how it fell back to a weaker way of working (a server that refused the
    answer's schema), one line each, which every run reports as ``degraded`` warnings.
    """

    name: str
    capabilities: EngineCapabilities = EngineCapabilities()
    options_model: ClassVar[type[EngineOptions] | None] = None
    options: EngineOptions | None = None
    notices: Iterable[str] = ()

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options

    def run(self, request: TileRequest) -> EngineReply:
        raise NotImplementedError(f"{type(self).__name__} does not implement run()")

    def run_batch(self, requests: Sequence[TileRequest]) -> list[EngineReply | Exception]:
        """One reply, or the exception its call raised, per request. Used when
        ``capabilities.batch_size`` > 1; by default each request is run in turn."""
        replies: list[EngineReply | Exception] = []
        for request in requests:
            try:
                replies.append(self.run(request))
            except Exception as exc:
                replies.append(exc)
        return replies

    def supports(self, model: type[BaseModel]) -> str | None:
        """Why the engine cannot extract ``model`` records, or None when it can; by default
        whether ``capabilities.schemas`` names the schema."""
        supported = self.capabilities.schemas
        name = schema_name(model)
        if supported is None or name in supported:
            return None
        return f"it cannot extract {name!r} records (it reads: {', '.join(sorted(supported))})"

    def refuse_unsupported(self, model: type[BaseModel]) -> None:
        """Raise EngineUnavailableError, before any work, when the engine cannot extract
        ``model`` records (see ``supports``)."""
        reason = self.supports(model)
        if reason:
            raise EngineUnavailableError(f"{self.name} engine: {reason}; choose another engine")

    def cache_identity(self) -> dict[str, Any] | None:
        """What decides the engine's answers beside the tile (model, weights, generation
        options), or None (the default) to cache none of its answers (see docvlm.cache)."""
        return None

    @property
    def ocr(self) -> str | None:
        """The OCR backend for pages without a usable text layer: the ``ocr`` option."""
        return self.options.ocr if self.options is not None else DEFAULT_OCR


@runtime_checkable
class EngineProtocol(Protocol):
    """What an engine that does not subclass :class:`Engine` must have (docvlm 0.1's
    protocol): the registry wraps such an engine so the base class's defaults apply."""

    name: str
    capabilities: EngineCapabilities

    def run(self, request: TileRequest) -> EngineReply: ...


EngineFactory = Callable[..., "Engine | EngineProtocol"]
