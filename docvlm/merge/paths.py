"""Field paths ('rows.2.3', 'sections.0.items.1.price', 'title'): the one place they are
read apart, so no stage parses them by hand."""

from __future__ import annotations

from typing import Any

TABLE_ROWS = "rows"  # a Table's cells lie at 'rows.<row>.<column>'


def path_key(path: str) -> tuple[Any, ...]:
    """Sort key of a field path: list indices numerically ('rows.10' after 'rows.9')."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in path.split("."))


def cell_of(path: str) -> tuple[int, int] | None:
    """The (row, column) of a table cell's path; None for any other path."""
    parts = path.split(".")
    if len(parts) != 3 or parts[0] != TABLE_ROWS or not (parts[1] + parts[2]).isdigit():
        return None
    return int(parts[1]), int(parts[2])


def cell_path(row: int, column: int) -> str:
    """The path of a table cell."""
    return f"{TABLE_ROWS}.{row}.{column}"
