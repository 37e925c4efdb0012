"""Page selections: ``"1-3,7"``, ``"5-"``, ``[1, 2]`` or ``3``, all 1-based."""

from __future__ import annotations

from collections.abc import Iterable

from docvlm.errors import PageSelectionError

PageSpec = str | int | Iterable[int] | None


def select_pages(spec: PageSpec, page_count: int, path: str | None = None) -> list[int]:
    """Resolve a selection to sorted, distinct 0-based page indices within ``page_count``."""
    if spec is None:
        return list(range(page_count))
    numbers = _parse(spec, page_count, path)
    out_of_range = [n for n in numbers if not 1 <= n <= page_count]
    if out_of_range:
        raise PageSelectionError(
            f"page {out_of_range[0]} is out of range: the document has {page_count} page(s)", path
        )
    return sorted({n - 1 for n in numbers})


def _parse(spec: PageSpec, page_count: int, path: str | None) -> list[int]:
    if isinstance(spec, bool):
        raise PageSelectionError(f"invalid page selection {spec!r}", path)
    if isinstance(spec, int):
        return [spec]
    if not isinstance(spec, str):
        return [int(n) for n in spec]  # type: ignore[union-attr]
    numbers: list[int] = []
    for part in spec.replace(" ", "").split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            start = int(first)
            end = (int(last) if last else page_count) if dash else start
        except ValueError:
            raise PageSelectionError(
                f"invalid page selection {spec!r}: expected numbers and ranges such as '1-3,7'",
                path,
            ) from None
        if end < start:
            raise PageSelectionError(f"invalid page range {part!r}: end before start", path)
        numbers.extend(range(start, end + 1))
    if not numbers:
        raise PageSelectionError(f"page selection {spec!r} selects no pages", path)
    return numbers
