"""extract(): load -> tile -> extract -> merge -> Result, one page at a time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

from pydantic import BaseModel

from docvlm.document import Document, Page, Source
from docvlm.engines.base import Engine, TileRequest, get_engine
from docvlm.errors import DocvlmError, EngineUnavailableError, ExtractionError
from docvlm.extraction import TileResult, extract_tile
from docvlm.merge import merge_page
from docvlm.pages import PageSpec
from docvlm.prompts import build_prompt, response_schema
from docvlm.raster import Rasteriser, check_pixel_budget, get_rasteriser
from docvlm.result import PageError, Result, Stage
from docvlm.schemas import SchemaSpec, resolve_schema, schema_name
from docvlm.tiling import Tile, TileOptions, TilePlan

log = logging.getLogger("docvlm")

ProgressCallback = Callable[[int, int], None]


def extract(
    source: Source,
    schema: SchemaSpec = "table",
    engine: str | Engine = "native",
    pages: PageSpec = None,
    *,
    password: str | None = None,
    tiles: TileOptions | None = None,
    engine_options: dict[str, Any] | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> Result:
    """Extract ``schema`` records from a PDF or image.

    ``source`` is a path or the file's bytes; ``schema`` a built-in name (``"table"``,
    ``"menu"``, ``"chart"``, ``"keyvalues"``), a Pydantic model or a JSON Schema file;
    ``pages`` a selection such as ``"1-3,7"``. A page that fails is recorded in
    ``Result.errors`` and the rest still comes out; ``strict=True`` raises instead.
    ``progress(done, total)`` is called after each page.

    Raises a :class:`~docvlm.errors.DocvlmError` when the file itself cannot be opened.
    """
    model = resolve_schema(schema)
    runner = get_engine(engine, **(engine_options or {}))
    check_engine_supports(runner, model)
    options = tiles or TileOptions()
    rasteriser = get_rasteriser(options.rasteriser) if runner.capabilities.needs_image else None
    with Document.open(source, pages=pages, password=password) as document:
        result = Result(source=document.name, schema_name=schema_name(model))
        result.pages_total = len(document)
        for problem in document.problems:
            result.errors.append(
                PageError(source=document.name, page=None, stage="load", message=problem)
            )
        for done, index in enumerate(document.page_indices, start=1):
            _extract_page(document, index, model, runner, options, rasteriser, result, strict)
            if progress is not None:
                progress(done, result.pages_total)
    return result


def _extract_page(
    document: Document,
    index: int,
    model: type[BaseModel],
    engine: Engine,
    options: TileOptions,
    rasteriser: Rasteriser | None,
    result: Result,
    strict: bool,
) -> None:
    stage: Stage = "load"
    tile_results: list[TileResult] = []
    failed = False
    try:
        page = document.page(index + 1)
        stage = "raster"
        plan = _plan(page, engine, options)
        stage = "extract"
        for tile in plan:
            request = _request(page, tile, len(plan), model, engine, plan, rasteriser)
            try:
                tile_results.append(extract_tile(engine, request))
            except Exception as exc:
                if strict:
                    _raise_strict(exc, document.name, index + 1)
                failed = True
                _record_error(result, document.name, index + 1, stage, exc)
        stage = "merge"
        result.items.extend(merge_page(tile_results, page.number))
    except Exception as exc:
        if strict:
            _raise_strict(exc, document.name, index + 1)
        failed = True
        _record_error(result, document.name, index + 1, stage, exc)
    for tile_result in tile_results:
        for key, value in tile_result.usage.items():
            result.usage[key] = result.usage.get(key, 0) + value
    result.pages_failed += failed


def _plan(page: Page, engine: Engine, options: TileOptions) -> TilePlan:
    if engine.capabilities.needs_image:
        # An absurdly large page is refused whole, not cut into thousands of tiles.
        check_pixel_budget(page, options.dpi, page.bbox)
    if engine.capabilities.reads_whole_page:
        return TilePlan.whole_page(page, options.dpi)
    return TilePlan.for_page(page, options, engine.capabilities.preferred_tile_size)


def _request(
    page: Page,
    tile: Tile,
    n_tiles: int,
    model: type[BaseModel],
    engine: Engine,
    plan: TilePlan,
    rasteriser: Rasteriser | None,
) -> TileRequest:
    caps = engine.capabilities
    prompt = None if caps.returns_records else build_prompt(model, page, tile, n_tiles)
    render = None
    if rasteriser is not None:
        render = lambda: plan.render(tile, page, rasteriser)  # noqa: E731
    return TileRequest(page, tile, model, response_schema(model), prompt, render)


def check_engine_supports(engine: Engine, model: type[BaseModel]) -> None:
    """Refuse, before any work, a schema the engine says it cannot extract."""
    supported = engine.capabilities.schemas
    name = schema_name(model)
    if supported is not None and name not in supported:
        raise EngineUnavailableError(
            f"the {engine.name} engine cannot extract {name!r} records (it reads: "
            f"{', '.join(sorted(supported))}); choose another engine"
        )


def _raise_strict(exc: Exception, source: str, page: int) -> NoReturn:
    """Strict mode: a docvlm error as it is, anything else wrapped with its page."""
    if isinstance(exc, DocvlmError):
        raise exc
    raise ExtractionError(f"page {page}: {type(exc).__name__}: {exc}", source) from exc


def _record_error(result: Result, source: str, page: int, stage: Stage, exc: Exception) -> None:
    if isinstance(exc, DocvlmError):
        message = exc.message
    else:  # an unexpected failure inside a library: keep its type for the bug report
        message = f"{type(exc).__name__}: {exc}".strip()
        log.debug("page %s of %s failed", page, source, exc_info=exc)
    message = " ".join(message.split()) or type(exc).__name__
    result.errors.append(PageError(source=source, page=page, stage=stage, message=message))
