"""The process pool that runs a batch's tasks (see ``docvlm.batch``) on every core.

Workers start with ``spawn``: each is a fresh interpreter. ``fork`` would copy this
process's pymupdf and ONNX Runtime state, threads and locks included, which neither
library supports once used; ``spawn`` behaves the same on every system. Its cost,
importing docvlm and the engine's libraries, is paid once per worker, which also builds
its engine once, in the pool's initializer, from the engine's name and options, and caps
its native threads (``docvlm.threads``) so that workers x threads fit the cores. Where
forking is safe (``start_pool``: Linux, this process running one thread, an engine whose
libraries are imported here but not yet used) the workers are forked instead, once those
imports are done, and start at once.

The ranges of one document come back as separate results and are merged into one Result
equal to a one-worker run's. At most two tasks per worker are in flight, so when a worker
dies (killed, out of memory) the tasks it may have been running are known: each runs again
alone, and the one that kills its worker again is reported as that file's failure while
the other files finish.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from docvlm.errors import DocvlmError, ExtractionError
from docvlm.events import JsonLogFormatter, LogFormat, configure_logging
from docvlm.threads import cap_threads, threads_per_worker
from docvlm.worker_results import merge_ranges, picklable

if TYPE_CHECKING:
    from docvlm.engines.base import Engine
    from docvlm.result import Result
    from docvlm.schemas import SchemaSpec
    from docvlm.tiling import TileOptions

log = logging.getLogger("docvlm")

# Tasks sent per worker before one comes back: one running, one waiting in the pool's
# queue, so that a worker that finishes starts the next at once rather than after a round
# trip through this process (10-15 ms a task on busy cores; a vector chart takes 40 ms).
# Few, so that the tasks a dead worker may have held stay few (they run again alone).
IN_FLIGHT_PER_WORKER = 2


# --- what runs: the settings, the tasks and their outcomes ------------------------------


class Outcome(NamedTuple):
    """One input's result, or why it could not be read, and the seconds spent on it."""

    path: str
    result: Result | DocvlmError
    seconds: float


@dataclass(frozen=True)
class Settings:
    """What every input is extracted with; picklable, for the worker processes."""

    schema: SchemaSpec = "table"
    engine: str = "native"
    engine_options: dict[str, Any] = field(default_factory=dict)
    pages: str | None = None
    password: str | None = None
    tiles: TileOptions | None = None
    strict: bool = False
    merge_pages: bool = True
    cache: bool | str | os.PathLike[str] = True


@dataclass(frozen=True)
class Task:
    """A document, or one of its ``parts`` ranges of selected pages (``pages`` None: the
    selection)."""

    index: int  # the input's position
    path: str
    pages: tuple[int, ...] | None = None
    weight: int = 1  # pages, for the progress bar
    parts: int = 1  # the input's number of tasks


def build_engine(name: str, options: dict[str, Any]) -> Engine:
    """The engine of a run, from picklable parts (an engine spec's): the one place a worker
    process or a Ray actor builds it."""
    from docvlm.engines.registry import EngineSpec

    return EngineSpec(name, options).build()


def extract_task(
    task: Task,
    settings: Settings,
    engine: Engine,
    cache: Any,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Result | DocvlmError, float]:
    """One task's result (pages not joined across the range's ends unless the task is the
    whole document), or the error that kept it from being read."""
    from docvlm.pipeline import extract

    started = time.monotonic()
    try:
        result: Result | DocvlmError = extract(
            task.path,
            schema=settings.schema,
            engine=engine,
            pages=settings.pages if task.pages is None else list(task.pages),
            password=settings.password,
            tiles=settings.tiles,
            strict=settings.strict,
            progress=progress,
            merge_pages=settings.merge_pages and task.pages is None,
            cache=cache,
        )
    except DocvlmError as exc:
        result = exc
    return result, time.monotonic() - started


# What a worker does with a task: a module-level function, so that it pickles by name.
Work = Callable[[Task], "tuple[Result | DocvlmError, float]"]


# --- the pool ---------------------------------------------------------------------------


def run_pool(
    tasks: Iterable[Task],
    settings: Settings,
    workers: int,
    progress: Callable[[int], object] | None,
    work: Work | None = None,
    check: Callable[[], object] | None = None,
    started: ProcessPoolExecutor | None = None,
    on_complete: Callable[[Outcome], object] | None = None,
) -> Iterator[Outcome]:
    """Run ``tasks`` in ``workers`` processes (each with ``work``, a module-level function:
    the extraction by default); yield each input's outcome in input order, once all its
    tasks are in, and hand it to ``on_complete`` as soon as they are (inputs after a long
    one need not wait for it there). The workers start at once (or were ``started``
    already, by ``start_pool``), while this process plans the tasks and runs ``check`` (the
    command builds its engine there, to refuse a schema it cannot read before any task is
    sent): call it when there is work to do."""
    taken: dict[int, list[Task]] = {}  # each input's tasks sent so far, in input order
    finished: dict[Task, tuple[Result | DocvlmError, float]] = {}
    complete: dict[int, Outcome] = {}  # inputs whose tasks are all in, awaiting their turn

    def take(task: Task) -> None:
        taken.setdefault(task.index, []).append(task)

    def completes(task: Task) -> bool:
        ranges = taken[task.index]
        return len(ranges) == task.parts and all(t in finished for t in ranges)

    feed = _Feed(tasks)
    outcomes = _pool_outcomes(feed, settings, workers, take, work or run_in_worker, check, started)
    for task, outcome in outcomes:
        finished[task] = outcome
        if progress is not None:
            progress(task.weight)
        if completes(task):
            parts = [finished.pop(t) for t in taken[task.index]]
            merged = merge_ranges(parts, settings.schema, settings.merge_pages)
            complete[task.index] = Outcome(task.path, merged, sum(s for _, s in parts))
            if on_complete is not None:
                on_complete(complete[task.index])
        while taken and (first := next(iter(taken))) in complete:
            del taken[first]
            ready = complete.pop(first)
            yield ready
            if settings.strict and isinstance(ready.result, DocvlmError):
                return


class _Feed:
    """Tasks planned in a thread of their own (inputs are opened and hashed there), so that
    an input slow to open (a file still being copied, a named pipe) does not hold back the
    outcomes of the inputs before it."""

    def __init__(self, tasks: Iterable[Task]) -> None:
        self._queue: queue.Queue[Task | BaseException | None] = queue.Queue()
        self.exhausted = False
        threading.Thread(target=self._plan, args=(tasks,), daemon=True).start()

    def _plan(self, tasks: Iterable[Task]) -> None:
        try:
            for task in tasks:
                self._queue.put(task)
        except BaseException as exc:  # raised where the tasks are taken, in the run's thread
            self._queue.put(exc)
        self._queue.put(None)

    def take(self, block: bool) -> Task | None:
        """The next task; None when there is none yet (``block`` False) or none left."""
        if self.exhausted:
            return None
        try:
            item = self._queue.get(block=block)
        except queue.Empty:
            return None
        if isinstance(item, BaseException):
            raise item
        self.exhausted = item is None
        return item


def _pool_outcomes(
    feed: _Feed,
    settings: Settings,
    workers: int,
    take: Callable[[Task], None],
    work: Work,
    check: Callable[[], object] | None,
    started: ProcessPoolExecutor | None,
) -> Iterator[tuple[Task, tuple[Result | DocvlmError, float]]]:
    """Each task with its outcome, as they finish. A pool a worker's death broke is
    replaced; the tasks that were in flight then are run again one at a time, and one that
    breaks its pool again fails alone."""
    suspects: list[Task] = []
    while suspects or not feed.exhausted:
        with started or _new_pool(settings, workers) as pool:
            if started is None and not suspects:  # (a suspect runs alone: one worker)
                _start_workers(pool, workers)
            started = None
            if check is not None:
                check()
                check = None
            if suspects:
                task = suspects.pop(0)
                try:
                    yield task, pool.submit(work, task).result()
                except BrokenProcessPool:
                    yield task, (_worker_died(task), 0.0)
                continue
            suspects = yield from _drain(pool, feed, workers, take, work)


def start_pool(
    settings: Settings, workers: int, preload: Callable[[], object] | None = None
) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, every one starting now (see ``run_pool``).

    ``preload`` imports the engine's libraries without using them (the command's check of
    its engine). Given one, where forking is safe, this process caps its native threads
    as a worker's, runs it, and forks the workers: each starts with docvlm and those
    libraries imported (they would take it 0.35 CPU-s, all workers at once on the cores
    the run needs) and nothing of theirs running. Otherwise the workers are spawned and
    ``preload`` is left to the caller."""
    context = _SPAWN
    if preload is not None and _forking_is_safe():
        cap_threads(threads_per_worker(workers))
        preload()
        context = "fork"
    log.debug("%d worker processes, started with %s", workers, context)
    pool = _new_pool(settings, workers, context)
    _start_workers(pool, workers)
    return pool


# Libraries that start native thread pools once used (or hold objects that own them):
# forked with those threads gone, a copy could wait on them forever.
_THREADED_LIBRARIES = ("cv2", "onnxruntime", "tesserocr", "torch")


def _forking_is_safe() -> bool:
    """Linux (macOS's system libraries do not survive a fork; Windows has none), no other
    thread of this process running, whose locks a forked copy could hold forever, and none
    of the libraries that run thread pools loaded yet (this process has not read with
    them: the command's, not a notebook's that read before)."""
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not any(name in sys.modules for name in _THREADED_LIBRARIES)
    )


def _start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start every worker now: the pool starts one per task sent, so the later ones would
    otherwise begin their start-up (an interpreter, docvlm's imports, the engine: most of
    a second) only once the first tasks are planned."""
    for _ in range(workers):
        pool.submit(_started)


def _started() -> None:
    """A task that does nothing: sent to start a worker (see ``_start_workers``)."""


def _drain(
    pool: ProcessPoolExecutor,
    feed: _Feed,
    workers: int,
    take: Callable[[Task], None],
    work: Work,
) -> Generator[tuple[Task, tuple[Result | DocvlmError, float]], None, list[Task]]:
    """Keep ``IN_FLIGHT_PER_WORKER`` tasks a worker in flight until the feed runs out; the
    tasks in flight when the pool broke, if it did (the generator's return value). New
    tasks are sent before the outcomes that finished are yielded: the caller writes them
    (files, manifest, report) while the workers go on."""
    running: dict[Future[tuple[Result | DocvlmError, float]], Task] = {}
    most = workers * IN_FLIGHT_PER_WORKER

    def top_up(wait_for_one: bool) -> None:
        """Send planned tasks to the idle workers; wait for one to be planned only when
        ``wait_for_one`` and none is running."""
        block = wait_for_one and not running
        while len(running) < most and (task := feed.take(block=block)) is not None:
            take(task)
            running[pool.submit(work, task)] = task
            block = False

    while True:
        top_up(wait_for_one=True)
        if not running:
            return []
        # While tasks are still being planned, look for new ones every 50 ms.
        timeout = None if feed.exhausted else 0.05
        done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
        finished, broken = [], False
        for future in done:
            try:
                finished.append((running[future], future.result()))
                del running[future]
            except BrokenProcessPool:
                broken = True
        if not broken:  # (an input slow to plan must not hold back these outcomes)
            top_up(wait_for_one=False)
        yield from finished
        if broken:
            log.debug("a worker process died; its tasks run again, one at a time")
            return sorted(running.values(), key=lambda t: (t.index, t.pages or ()))


_SPAWN = "spawn"


def _new_pool(settings: Settings, workers: int, context: str = _SPAWN) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(context),
        initializer=_start_worker,
        initargs=(settings, threads_per_worker(workers), *_log_setup()),
    )


def _log_setup() -> tuple[LogFormat, bool]:
    """How this process logs (format, debug or not), for its workers to log alike: JSON
    keeps standard error machine-readable."""
    root = logging.getLogger()
    json_logs = any(isinstance(h.formatter, JsonLogFormatter) for h in root.handlers)
    return ("json" if json_logs else "text"), root.isEnabledFor(logging.DEBUG)


def _worker_died(task: Task) -> DocvlmError:
    return ExtractionError(
        "the worker process reading it died (killed, or out of memory); the other "
        "inputs were extracted",
        task.path,
    )


# --- inside a worker process ------------------------------------------------------------

_worker: dict[str, Any] = {}  # this worker's settings, engine and answer cache


def _start_worker(settings: Settings, threads: int, log_format: LogFormat, debug: bool) -> None:
    """A worker's set-up, once: thread caps first (before the libraries load), logging as
    the parent's, then the engine and the answer cache."""
    _exit_with_parent()
    atexit.register(_exit_without_teardown)
    cap_threads(threads)
    configure_logging(log_format, debug)
    _worker["settings"] = settings
    _worker["cache"] = settings.cache
    try:
        _worker["engine"] = build_engine(settings.engine, settings.engine_options)
    except Exception as exc:  # each task says so (the command checked the options already)
        _worker["failure"] = exc


def _exit_without_teardown() -> None:
    """End the worker, once the pool stops it, without the interpreter's teardown: freeing
    pymupdf's, ONNX Runtime's and the OCR's state object by object took 0.3 s a worker
    (0.03 s without), which the end of every run waited for. Nothing of a worker needs it:
    its outcomes went back, the answer cache commits each answer as it is stored, and the
    logs are flushed here. (Exit handlers registered after this one have run already.)"""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _exit_with_parent() -> None:
    """End this worker when the process that started it dies (SIGKILL leaves it no time to
    stop its pool): an idle worker would otherwise wait for tasks forever, holding the
    dead run's standard output and error open."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="docvlm-parent-watch").start()


def run_in_worker(task: Task) -> tuple[Result | DocvlmError, float]:
    if "failure" in _worker:
        return _engine_failed(task, _worker["failure"]), 0.0
    result, seconds = extract_task(task, _worker["settings"], _worker["engine"], _worker["cache"])
    return picklable(result), seconds


def _engine_failed(task: Task, exc: Exception) -> DocvlmError:
    if isinstance(exc, DocvlmError):
        return exc
    return ExtractionError(f"the engine could not be built: {type(exc).__name__}: {exc}", task.path)
