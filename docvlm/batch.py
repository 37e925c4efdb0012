"""Many inputs: finding them, cutting them into tasks, and running the tasks.

:func:`extract_many` yields each input's outcome in input order. With one worker it
extracts in this process, file after file; with more, a process pool (``docvlm.pool``)
runs the tasks: a document, or a range of a long document's pages, so that one 200-page
PDF also uses every core. The command's runs into an output folder (mirrored outputs,
atomic writes, the manifest: ``docvlm.resume``) write each outcome as it comes, from this
process only.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docvlm import atomic, writers
from docvlm.errors import DocvlmError
from docvlm.events import Reporter, report_skipped
from docvlm.pool import Outcome, Settings, Task, build_engine, extract_task, run_pool
from docvlm.threads import cores

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    from docvlm.cache import AnswerCache
    from docvlm.engines.base import Engine
    from docvlm.result import Result
    from docvlm.resume import FolderRun
    from docvlm.schemas import SchemaSpec
    from docvlm.tiling import TileOptions

# The longest page range one task reads: long enough that opening the document again is
# small beside the work, short enough that the progress bar moves and the workers stay busy.
MAX_PAGES_PER_TASK = 8


def default_workers(engine: str | Engine) -> int:
    """Every core for the native engine; one for model engines, whose parallelism is the
    server's or the GPU's."""
    name = engine if isinstance(engine, str) else getattr(engine, "name", "")
    return cores() if name == "native" else 1


def extract_many(
    paths: Iterable[str],
    schema: SchemaSpec = "table",
    engine: str = "native",
    engine_options: dict[str, Any] | None = None,
    *,
    workers: int | None = None,
    pages: str | None = None,
    password: str | None = None,
    tiles: TileOptions | None = None,
    strict: bool = False,
    merge_pages: bool = True,
    cache: bool | str | os.PathLike[str] = True,
    progress: Callable[[int], object] | None = None,
) -> Iterator[Outcome]:
    """Extract every file of ``paths`` (see :func:`docvlm.extract` for the options) with
    ``workers`` processes [every core for ``native``, else 1]; each input's
    :class:`Outcome` comes in input order. ``progress(pages)`` is called as pages finish.
    """
    settings = Settings(
        schema, engine, dict(engine_options or {}), pages, password, tiles, strict,
        merge_pages, cache,
    )  # fmt: skip
    yield from run_batch(list(paths), settings, workers or default_workers(engine), progress)


def run_batch(
    files: list[str],
    settings: Settings,
    workers: int,
    progress: Callable[[int], object] | None = None,
    *,
    skip: Callable[[str], bool] | None = None,
    planned: Callable[[Task], None] | None = None,
    engine: Callable[[], Engine] | None = None,
    cache: AnswerCache | None = None,
    pool: ProcessPoolExecutor | None = None,
    on_complete: Callable[[Outcome], object] | None = None,
) -> Iterator[Outcome]:
    """Each input's outcome, in input order; inputs ``skip`` names are passed over, and
    ``planned`` sees each task as it is planned (just before it can run: inputs are opened
    one after another, not all up front). One worker runs in this process, more in a
    process pool. ``engine()`` gives the run's engine, asked for once the first task is
    planned: one worker runs with it (and ``cache``), a pool's workers build their own
    while it is built here, as the check that the engine can read the schema; ``pool``:
    the workers, started already (see ``docvlm.pool.start_pool``); ``on_complete`` sees
    each outcome as soon as a pool's workers finish it, before its turn comes."""
    if pool is None:  # (a started pool's size was planned by whoever started it)
        workers = planned_workers(files, settings, workers)
    tasks = plan_tasks(files, settings, workers, skip, planned)
    if workers <= 1:
        yield from _run_here(tasks, settings, progress, engine, cache)
    else:
        yield from run_pool(
            tasks, settings, workers, progress, check=engine, started=pool,
            on_complete=on_complete,
        )  # fmt: skip


def planned_workers(files: list[str], settings: Settings, workers: int) -> int:
    """The processes ``files`` can keep busy, of ``workers``: no more than the files, or
    than the selected pages of a single document (which is opened to count them)."""
    if len(files) == 1 and workers > 1:  # one document: its page ranges share the work
        return max(1, min(workers, len(selected_pages(files[0], settings) or ())))
    return max(1, min(workers, len(files)))


def plan_tasks(
    files: list[str],
    settings: Settings,
    workers: int,
    skip: Callable[[str], bool] | None = None,
    planned: Callable[[Task], None] | None = None,
) -> Iterator[Task]:
    """The tasks for ``files`` (those ``skip`` names left out), planned as they are asked
    for: with several workers, a document of more than one selected page is cut into page
    ranges."""
    for index, path in enumerate(files):
        if skip is not None and skip(path):
            continue
        for task in _file_tasks(index, path, selected_pages(path, settings), workers):
            if planned is not None:
                planned(task)
            yield task


def _file_tasks(index: int, path: str, selected: list[int] | None, workers: int) -> list[Task]:
    if workers <= 1 or selected is None or len(selected) < 2:
        return [Task(index, path, None, len(selected or (1,)))]
    size = min(MAX_PAGES_PER_TASK, math.ceil(len(selected) / workers))
    chunks = [tuple(selected[start : start + size]) for start in range(0, len(selected), size)]
    return [Task(index, path, chunk, len(chunk), len(chunks)) for chunk in chunks]


def selected_pages(path: str, settings: Settings) -> list[int] | None:
    """The 1-based pages of ``path`` the run reads; None when the file cannot be opened
    (the extraction then says why)."""
    from docvlm.document import Document

    try:
        with Document.open(path, pages=settings.pages, password=settings.password) as document:
            return [index + 1 for index in document.page_indices]
    except Exception:  # any failure is reported, with its cause, by the extraction itself
        return None


def _run_here(
    tasks: Iterable[Task],
    settings: Settings,
    progress: Callable[[int], object] | None,
    engine: Callable[[], Engine] | None,
    cache: AnswerCache | None,
) -> Iterator[Outcome]:
    runner: Engine | None = None  # built once the first task is planned
    answers: AnswerCache | bool | str | os.PathLike[str] = cache or settings.cache
    for task in tasks:
        if runner is None:
            runner = engine() if engine else build_engine(settings.engine, settings.engine_options)
        done = 0

        def advance(pages: int, _total: int) -> None:
            nonlocal done
            if progress is not None:
                progress(pages - done)
            done = pages

        result, seconds = extract_task(task, settings, runner, answers, advance)
        if progress is not None and done < task.weight:
            progress(task.weight - done)
        yield Outcome(task.path, result, seconds)
        if settings.strict and isinstance(result, DocvlmError):
            return


# --- the command's run: outputs, manifest and report, written by this process only -----


def write_outcomes(
    args: argparse.Namespace,
    settings: Settings,
    fmt: writers.Format,
    files: list[str],
    run: FolderRun | None,
    overlays: dict[str, Path],
    reviews: dict[str, Path],
    engine: Callable[[], Engine],
    cache: AnswerCache | bool,
    workers: int,
    pool: ProcessPoolExecutor | None = None,
) -> bool:
    """Run ``docvlm extract``'s inputs with ``workers`` processes (``pool``, when started
    already) and write each outcome: into ``run``'s folder as soon as it is complete, then
    its manifest entry and its report on standard error in input order; or at the end into
    one output. Whether something counts as a failure."""
    reporter = Reporter(args.log_format, args.verbose)
    results: list[Result] = []
    written: set[str] = set()
    failed = False

    def write_output(outcome: Outcome) -> None:
        if run is not None and not isinstance(outcome.result, DocvlmError):
            writers.write([outcome.result], fmt, run.outputs[outcome.path], args.keys, args.layout)
            written.add(outcome.path)

    with _progress_bar(args) as bar:
        outcomes = run_batch(
            files, settings, workers, bar.update, skip=run.skip if run else None,
            planned=lambda task: _grow(bar, task.weight), engine=engine,
            cache=None if isinstance(cache, bool) else cache, pool=pool,
            on_complete=write_output,
        )  # fmt: skip
        for path, outcome, seconds in outcomes:
            failed = (
                _report_outcome(
                    path, outcome, seconds, args, reporter, overlays.get(path), reviews.get(path)
                )
                or failed
            )
            if run is not None:
                if path not in written:
                    write_output(Outcome(path, outcome, seconds))
                run.record(path, outcome, seconds)  # after the output is in place
            elif not isinstance(outcome, DocvlmError):
                results.append(outcome)
        bar.refresh()  # update() draws at most every 0.1 s: show the last count
    if run is None:
        writers.write(results, fmt, args.output or sys.stdout, args.keys, args.layout)
    elif run.skipped:
        failed = report_skipped(run, len(files), args, reporter) or failed
    return failed


def _report_outcome(
    path: str,
    outcome: Result | DocvlmError,
    seconds: float,
    args: argparse.Namespace,
    reporter: Reporter,
    overlays: Path | None,
    review: Path | None,
) -> bool:
    """Say on standard error how one input went (and save its overlays into
    ``overlays``, its review page as ``review``); whether it counts as a failure."""
    if isinstance(outcome, DocvlmError):
        reporter.failed_input(path, outcome, seconds)
        return True
    failed = bool(outcome.errors) or (args.fail_on_empty and outcome.status == "empty")
    if overlays is not None:
        failed = not save_overlays(outcome, overlays, reporter, args.password) or failed
    if review is not None:
        failed = not save_review(outcome, review, reporter, args.password) or failed
    reporter.outcome(outcome, seconds)
    return failed


@contextlib.contextmanager
def _progress_bar(args: argparse.Namespace) -> Iterator[tqdm]:
    """One bar over the pages of every input (its total grows as inputs are opened); off
    under --log-format json unless asked for."""
    from tqdm import tqdm

    show = args.progress if args.progress is not None or args.log_format == "text" else False
    with tqdm(
        total=0,
        unit="page",
        file=sys.stderr,
        leave=False,
        delay=0 if show else 1.0,
        disable=None if show is None else not show,
    ) as bar:
        yield bar


def _grow(bar: tqdm, pages: int) -> None:
    bar.total = (bar.total or 0) + pages


def save_overlays(
    result: Result, folder: Path, reporter: Reporter, password: str | None = None
) -> bool:
    """Each page of ``result`` that has records, drawn (see ``docvlm.overlay``) into
    ``folder`` (opening the document with ``password``); False (after saying why) when
    they cannot be written."""
    from docvlm.overlay import overlay_name

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for page in sorted({p for item in result.items for p in item.provenance.pages}):
            with atomic.replacing(folder / overlay_name(result.source, page)) as handle:
                result.show(page, password=password).save(handle, format="PNG")
    except (OSError, DocvlmError, ValueError) as exc:
        reporter.line(f"{result.source}: overlay not written: {exc}", "failure", file=result.source)
        return False
    return True


def save_review(
    result: Result, path: Path, reporter: Reporter, password: str | None = None
) -> bool:
    """The review page of ``result`` (see ``docvlm.review``) written to ``path`` (opening
    the document with ``password``); False (after saying why) when it cannot be written."""
    try:
        result.to_html(path, password=password)
    except (OSError, DocvlmError, ValueError) as exc:
        reporter.line(
            f"{result.source}: review page not written: {exc}", "failure", file=result.source
        )
        return False
    return True
