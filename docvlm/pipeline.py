"""extract(): load -> tile -> extract -> ground -> merge -> Result, streaming page by page."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar, overload

from pydantic import BaseModel

from docvlm.cache import AnswerCache, open_cache
from docvlm.document import Document, Page, Source
from docvlm.engines.base import Engine, EngineProtocol, TileRequest
from docvlm.engines.registry import AUTO, EngineSpec, build_engine
from docvlm.errors import DocvlmError, EngineUnavailableError, ExtractionError
from docvlm.extraction import TileResult, extract_tiles
from docvlm.grounding import ground_tiles, page_words
from docvlm.merge import join_continued_tables, merge_page
from docvlm.pages import PageSpec
from docvlm.prompts import build_prompt, response_schema
from docvlm.raster import Rasteriser, check_pixel_budget, get_rasteriser
from docvlm.result import ExtractedRecord, PageError, PageWarning, Result, Stage, WarningKind
from docvlm.scheduling import ordered_map
from docvlm.schemas import SchemaSpec, resolve_schema, schema_name
from docvlm.tiling import Tile, TileOptions, TilePlan

log = logging.getLogger("docvlm")

ProgressCallback = Callable[[int, int], None]
T = TypeVar("T", bound=BaseModel)


# A model class gives a result typed by it (``Result[Table]``); a name or a JSON Schema
# file, one whose records mypy cannot know.
@overload
def extract(
    source: Source,
    schema: type[T],
    engine: str | EngineSpec | Engine | EngineProtocol = "native",
    pages: PageSpec = None,
    *,
    password: str | None = None,
    tiles: TileOptions | None = None,
    engine_options: Mapping[str, Any] | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    ocr: str | None = AUTO,
    merge_pages: bool = True,
    cache: bool | str | os.PathLike[str] | AnswerCache | None = True,
) -> Result[T]: ...
@overload
def extract(
    source: Source,
    schema: str | Path = "table",
    engine: str | EngineSpec | Engine | EngineProtocol = "native",
    pages: PageSpec = None,
    *,
    password: str | None = None,
    tiles: TileOptions | None = None,
    engine_options: Mapping[str, Any] | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    ocr: str | None = AUTO,
    merge_pages: bool = True,
    cache: bool | str | os.PathLike[str] | AnswerCache | None = True,
) -> Result[Any]: ...
def extract(
    source: Source,
    schema: SchemaSpec = "table",
    engine: str | EngineSpec | Engine | EngineProtocol = "native",
    pages: PageSpec = None,
    *,
    password: str | None = None,
    tiles: TileOptions | None = None,
    engine_options: Mapping[str, Any] | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
    ocr: str | None = AUTO,
    merge_pages: bool = True,
    cache: bool | str | os.PathLike[str] | AnswerCache | None = True,
) -> Result[Any]:
    """Extract ``schema`` records from a PDF or image.

    ``source`` is a path, the file's bytes (or another buffer, such as a memoryview) or a
    binary file object; ``schema`` a built-in name (``"table"``, ``"menu"``, ``"chart"``,
    ``"keyvalues"``), a Pydantic model or a JSON Schema file; ``pages`` a selection such
    as ``"1-3,7"``. A page that fails is recorded in ``Result.errors`` and the rest still
    comes out; ``strict=True`` raises instead.
    ``progress(done, total)`` is called after each page.

    ``engine`` is an engine's name (built with ``engine_options``, validated by its options
    model: see :mod:`docvlm.engines.options`), an :class:`~docvlm.engines.EngineSpec` or
    an engine already built.

    Every value is grounded in the page's words (see :mod:`docvlm.grounding`): the text
    layer, or on pages without one the words of the engine's ``ocr`` option (a backend
    name, ``"rapidocr"`` unless set; ``None`` grounds in text layers only). ``ocr=`` here
    is that option (``"auto"``: as the engine's options say); with an engine already built
    it sets only what values are grounded in. A table continued on the following page
    comes out as one table unless ``merge_pages=False``.

    Model engines' answers are kept in an answer cache (see :mod:`docvlm.cache`) and a
    re-run takes them from it: ``cache=True`` uses the user cache folder (or
    ``$DOCVLM_CACHE_DIR``), a path another folder, ``False`` none; ``Result.usage`` counts
    ``cache_hits`` and ``cache_misses``. The ``native`` engine caches nothing.

    Raises a :class:`~docvlm.errors.DocvlmError` when the file itself cannot be opened.
    """
    model = resolve_schema(schema)
    runner, words_ocr = build_engine(engine, engine_options, ocr)
    runner.refuse_unsupported(model)
    options = tiles or TileOptions()
    rasteriser = get_rasteriser(options.rasteriser) if runner.capabilities.needs_image else None
    answers, opened = open_cache(cache, runner)
    try:
        result = _extract_document(
            source,
            model,
            runner,
            options,
            rasteriser,
            answers,
            pages,
            password,
            strict,
            progress,
            words_ocr,
        )
    finally:
        if opened and answers is not None:
            answers.close()
    if merge_pages:
        result.items = join_continued_tables(result.items)
    return result


def _extract_document(
    source: Source,
    model: type[BaseModel],
    runner: Engine,
    options: TileOptions,
    rasteriser: Rasteriser | None,
    answers: AnswerCache | None,
    pages: PageSpec,
    password: str | None,
    strict: bool,
    progress: ProgressCallback | None,
    ocr: str | None,
) -> Result:
    with Document.open(source, pages=pages, password=password) as document:
        result: Result[Any] = Result(source=document.name, schema_name=schema_name(model))
        result.origin = document.path  # show() opens the file again; None for bytes
        result.pages_total = len(document)
        result.page_numbers = [index + 1 for index in document.page_indices]
        for problem in document.problems:
            result.errors.append(
                PageError(source=document.name, page=None, stage="load", message=problem)
            )
        run = _DocumentRun(
            document,
            model,
            runner,
            options,
            rasteriser,
            result,
            strict,
            progress,
            ocr,
            answers,
        )
        run.run()
    return result


@dataclass
class _Job:
    """One tile to extract or, with ``tile`` None, the marker that closes a page."""

    page_number: int
    page: Page | None = None
    plan: TilePlan | None = None
    tile: Tile | None = None


class _StageFailure(Exception):
    """A failure before the engine was called, tagged with its stage."""

    def __init__(self, stage: Stage, error: Exception) -> None:
        super().__init__(str(error))
        self.stage: Stage = stage
        self.error = error


@dataclass
class _DocumentRun:
    """Tiles stream through the engine (see ``scheduling``); pages merge in order."""

    document: Document
    model: type[BaseModel]
    engine: Engine
    options: TileOptions
    rasteriser: Rasteriser | None
    result: Result
    strict: bool
    progress: ProgressCallback | None
    ocr: str | None
    cache: AnswerCache | None = None
    _failed_pages: set[int] = field(default_factory=set)
    _pages_done: int = 0
    # Set when the engine says it cannot work at all (a model that will not load, a server
    # that refuses the credentials): the remaining tiles fail with that cause, unsent.
    _engine_down: EngineUnavailableError | None = None

    def run(self) -> None:
        caps = self.engine.capabilities
        tile_results: list[TileResult] = []
        batches = _batched(self._jobs(), max(1, caps.batch_size))
        outcomes = ordered_map(batches, self._prepare, self._call, workers=caps.max_concurrency)
        for outcome in outcomes:
            outputs: list[Any] = (
                outcome.output
                if outcome.output is not None
                else [outcome.error] * len(outcome.item)
            )
            for job, output in zip(outcome.item, outputs, strict=True):
                if isinstance(output, BaseException):
                    self._fail(job.page_number, output)
                elif job.tile is not None:
                    tile_results.append(output)
                else:
                    self._close_page(job, tile_results)
                    tile_results = []
        self.result.pages_failed = len(self._failed_pages)
        self.result.errors.sort(key=lambda error: error.page or 0)
        for notice in self.engine.notices:  # the engine fell back: say how
            self.result.warnings.append(
                PageWarning(
                    source=self.document.name,
                    page=None,
                    stage="extract",
                    kind="degraded",
                    message=notice,
                )
            )

    def _jobs(self) -> Iterator[_Job]:
        for index in self.document.page_indices:
            number = index + 1
            try:
                page = self.document.page(number)
            except Exception as exc:
                self._fail(number, _StageFailure("load", exc))
                yield _Job(number)
                continue
            try:
                plan = _plan(page, self.engine, self.options)
            except Exception as exc:
                self._fail(number, _StageFailure("raster", exc))
                yield _Job(number)
                continue
            for tile in plan:
                yield _Job(number, page, plan, tile)
            yield _Job(number, page, plan)

    def _prepare(self, batch: list[_Job]) -> list[TileRequest | Exception | None]:
        """Requests for a batch's tiles (None for page markers, an error for a tile that
        could not be rendered); runs in the calling thread."""
        prepared: list[TileRequest | Exception | None] = []
        for job in batch:
            if job.tile is None or job.page is None or job.plan is None:
                prepared.append(None)
                continue
            try:
                prepared.append(
                    _request(job.page, job.tile, self.model, self.engine, job.plan, self.rasteriser)
                )
            except Exception as exc:
                prepared.append(_StageFailure("raster", exc))
        return prepared

    def _call(
        self, prepared: list[TileRequest | Exception | None]
    ) -> list[TileResult | Exception | None]:
        requests = [item for item in prepared if isinstance(item, TileRequest)]
        down = self._engine_down
        results = iter(
            [down] * len(requests)
            if down is not None
            else extract_tiles(self.engine, requests, self.cache)
        )
        return [next(results) if isinstance(item, TileRequest) else item for item in prepared]

    def _close_page(self, job: _Job, tile_results: list[TileResult]) -> None:
        for tile_result in tile_results:
            self._add_usage(tile_result.usage)
        records: list[ExtractedRecord] = []
        if job.page is not None and tile_results:
            try:
                ground_tiles(tile_results, page_words(job.page, self.ocr))
            except Exception as exc:  # values stay, ungrounded, and the reason is reported
                self._fail(job.page_number, _StageFailure("ground", exc))
            try:
                records = merge_page(tile_results, job.page_number)
                self.result.items.extend(records)
            except Exception as exc:
                self._fail(job.page_number, _StageFailure("merge", exc))
        self._warn(job.page_number, tile_results, records)
        self._pages_done += 1
        if self.progress is not None:
            self.progress(self._pages_done, self.result.pages_total)

    def _warn(
        self, page: int, tile_results: list[TileResult], records: list[ExtractedRecord]
    ) -> None:
        """What the page did not fail at but a user should know: no record on it (with the
        engine's reasons), or records that lack something."""
        for kind, stage, message in page_warnings(
            schema_name(self.model), tile_results, records, page in self._failed_pages
        ):
            self.result.warnings.append(
                PageWarning(
                    source=self.document.name, page=page, stage=stage, kind=kind, message=message
                )
            )

    def _add_usage(self, usage: dict[str, int]) -> None:
        for key, value in usage.items():
            self.result.usage[key] = self.result.usage.get(key, 0) + value

    def _fail(self, page: int, error: BaseException) -> None:
        stage: Stage = "extract"
        if isinstance(error, _StageFailure):
            stage, error = error.stage, error.error
        if not isinstance(error, Exception):  # KeyboardInterrupt and the like
            raise error
        if isinstance(error, EngineUnavailableError) and stage == "extract":
            self._engine_down = error
        self._add_usage(getattr(error, "usage", None) or {})
        if self.strict:
            _raise_strict(error, self.document.name, page)
        self._failed_pages.add(page)
        _record_error(self.result, self.document.name, page, stage, error)


def page_warnings(
    name: str, tile_results: list[TileResult], records: list[ExtractedRecord], failed: bool
) -> Iterator[tuple[WarningKind, Stage, str]]:
    """A page's warnings: why no record was found (unless the page failed, which its
    error says), what the engine says its records lack or doubts in them, and what the records' own
    schema finds missing (:meth:`~docvlm.schemas.Record.gaps`)."""
    left_out = list(dict.fromkeys(note for result in tile_results for note in result.left_out))
    if not records:
        if not failed:
            reasons = list(
                dict.fromkeys(w for result in tile_results for w in [*result.warnings, *left_out])
            )
            yield (
                "empty",
                "extract",
                f"no {name} found" + (f": {'; '.join(reasons)}" if reasons else ""),
            )
        return
    for note in left_out:
        yield "incomplete", "validate", note
    notes = (w for result in tile_results for found in result.records for w in found.warnings)
    for note in dict.fromkeys(notes):
        yield "incomplete", "extract", note
    doubts = (d for result in tile_results for found in result.records for d in found.doubts)
    for doubt in dict.fromkeys(doubts):
        yield "doubtful", "extract", doubt
    for number, item in enumerate(records, 1):
        gaps = getattr(item.record, "gaps", None)
        for gap in gaps() if gaps is not None else ():
            yield "incomplete", "merge", f"{item.schema_name} {number}: {gap}"


def _batched(jobs: Iterator[_Job], size: int) -> Iterator[list[_Job]]:
    """Group jobs so each batch holds ``size`` tiles; page markers ride along in order."""
    batch: list[_Job] = []
    tiles = 0
    for job in jobs:
        batch.append(job)
        tiles += job.tile is not None
        if tiles >= size:
            yield batch
            batch, tiles = [], 0
    if batch:
        yield batch


def _plan(page: Page, engine: Engine, options: TileOptions) -> TilePlan:
    if engine.capabilities.needs_image:
        # An absurdly large page is refused whole, not cut into thousands of tiles.
        check_pixel_budget(page, options.dpi, page.bbox)
    if engine.capabilities.reads_whole_page and options.tile_size is None:
        return TilePlan.whole_page(page, options.dpi)
    return TilePlan.for_page(page, options, engine.capabilities.preferred_tile_size)


def _request(
    page: Page,
    tile: Tile,
    model: type[BaseModel],
    engine: Engine,
    plan: TilePlan,
    rasteriser: Rasteriser | None,
) -> TileRequest:
    """Everything an engine needs for one tile; the image is rendered here, in this thread."""
    caps = engine.capabilities
    prompt = None if caps.returns_records else build_prompt(model, page, tile, len(plan))
    render = None
    if rasteriser is not None:
        image = plan.render(tile, page, rasteriser)
        render = lambda: image  # noqa: E731
    return TileRequest(page, tile, model, response_schema(model), prompt, render)


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
    error = PageError(source=source, page=page, stage=stage, message=message)
    if error not in result.errors:  # every tile of a page failing alike is one error
        result.errors.append(error)
