"""Run engine calls in worker threads while the main thread prepares the next ones.

Preparation (rasterising a tile, building its prompt) stays in the calling thread because
pymupdf is not thread-safe; engine calls (a model's generate, an HTTP request) run in a
bounded pool. At most ``workers + ahead`` items are in flight, so memory stays flat however
long the document, and results come back in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Prepared = TypeVar("Prepared")
Output = TypeVar("Output")


@dataclass
class Outcome(Generic[Item, Output]):
    """The result of one item: its output, or the exception it raised."""

    item: Item
    output: Output | None = None
    error: BaseException | None = None


def ordered_map(
    items: Iterable[Item],
    prepare: Callable[[Item], Prepared],
    run: Callable[[Prepared], Output],
    workers: int = 1,
    ahead: int = 1,
) -> Iterator[Outcome[Item, Output]]:
    """Yield ``run(prepare(item))`` for each item, in order, with errors captured per item.

    ``workers=0`` runs everything inline (for engines that need the calling thread).
    """
    if workers <= 0:
        for item in items:
            yield _inline(item, prepare, run)
        return
    pending: deque[tuple[Item, Future[Output] | BaseException]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docvlm-engine") as pool:
        for item in items:
            try:
                prepared = prepare(item)
                pending.append((item, pool.submit(run, prepared)))
            except Exception as exc:
                pending.append((item, exc))
            while len(pending) > workers + ahead:
                yield _collect(*pending.popleft())
        while pending:
            yield _collect(*pending.popleft())


def _inline(
    item: Item, prepare: Callable[[Item], Prepared], run: Callable[[Prepared], Output]
) -> Outcome[Item, Output]:
    try:
        return Outcome(item, run(prepare(item)))
    except Exception as exc:
        return Outcome(item, error=exc)


def _collect(item: Item, future: Future[Output] | BaseException) -> Outcome[Item, Output]:
    if isinstance(future, BaseException):
        return Outcome(item, error=future)
    try:
        return Outcome(item, future.result())
    except Exception as exc:
        return Outcome(item, error=exc)
