"""Page selections: ``"1-3,7"``, ``"5-"``, ``[1, 2]`` or ``3``, all 1-based."""

from __future__ import annotations

from collections.abc import Iterable

from docvlm.errors import PageSelectionError

PageSpec = str | int | Iterable[int] | None


def select_pages(spec: PageSpec, page_count: int, path: str | None = None) -> list[int]:
    """Resolve a selection to sorted, distinct 0-based page indices within ``page_count``."""
    if spec is None:
        return list(range(page_count))
    selected: set[int] = set()
    for start, end in page_ranges(spec, path):
        last = page_count if end is None else end
        if max(start, last) > page_count:
            first_missing = max(start, page_count + 1)
            raise PageSelectionError(
                f"page {first_missing} is out of range: the document has {_pages(page_count)}",
                path,
            )
        selected.update(range(start - 1, last))
    return sorted(selected)


def page_ranges(spec: PageSpec, path: str | None = None) -> list[tuple[int, int | None]]:
    """The 1-based ranges a selection names, ``(start, end)`` with ``end`` None for an
    open range ('5-'). Checks everything that does not depend on the document: the syntax,
    and that pages start at 1."""
    if isinstance(spec, bool) or spec is None:
        raise PageSelectionError(f"invalid page selection {spec!r}", path)
    if isinstance(spec, int):
        ranges: list[tuple[int, int | None]] = [(spec, spec)]
    elif isinstance(spec, str):
        ranges = _parse(spec, path)
    else:
        try:
            ranges = [(int(n), int(n)) for n in spec]
        except (TypeError, ValueError):
            raise PageSelectionError(
                f"invalid page selection {spec!r}: expected page numbers", path
            ) from None
    if not ranges:
        raise PageSelectionError(f"page selection {spec!r} selects no pages", path)
    for start, _ in ranges:
        if start < 1:
            raise PageSelectionError(
                f"page {start} does not exist: pages are numbered from 1", path
            )
    return ranges


def _parse(spec: str, path: str | None) -> list[tuple[int, int | None]]:
    ranges: list[tuple[int, int | None]] = []
    for part in spec.replace(" ", "").split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            start = int(first)
            end = (int(last) if last else None) if dash else start
        except ValueError:
            raise PageSelectionError(
                f"invalid page selection {spec!r}: expected numbers and ranges such as '1-3,7'",
                path,
            ) from None
        if end is not None and end < start:
            raise PageSelectionError(f"invalid page range {part!r}: end before start", path)
        ranges.append((start, end))
    return ranges


def _pages(count: int) -> str:
    return "1 page" if count == 1 else f"{count:,} pages"
