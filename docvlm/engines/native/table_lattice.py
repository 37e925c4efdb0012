"""Ruled (lattice) grids from a page's drawn lines.

Horizontal and vertical strokes (drawn as lines, as thin rectangles, or as the edges of
boxes) are collected, collinear pieces joined, and strokes that cross or touch are grouped:
each group with lines both ways is a candidate table. Its row and column edges are the
positions of its lines; two neighbouring grid cells belong to one spanning cell where no
line separates them (less than half of the boundary between them is drawn). Coordinates
are in the frame the table is read in (see ``tables.upright_frame``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

import pymupdf

from docvlm.document import Drawing
from docvlm.engines.native.table_grid import Grid, Rule
from docvlm.geometry import BBox

THIN = 2.5  # points: a rectangle this thin is a line
MIN_RULE = 6.0  # points: shorter strokes are ticks, marks or glyph parts
SNAP = 1.5  # points: strokes this close in position are one line
JOIN = 2.5  # points: collinear pieces this close end to end are one stroke
TOUCH = 2.5  # points: strokes this close cross or meet
COVERED = 0.5  # share of a cell boundary that must be drawn to separate two cells
MIN_GAP = 3.0  # points: grid lines closer than this are one (double rules)


def rules_of(drawings: Iterable[Drawing], matrix: pymupdf.Matrix) -> list[Rule]:
    """The horizontal and vertical strokes of the drawings, mapped by ``matrix`` into the
    frame, joined where collinear pieces meet."""
    # Plain float arithmetic: pymupdf's Point and Rect products cost more than the rest.
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    pieces: list[Rule] = []
    for drawing in drawings:
        for item in drawing.items:
            kind = item[0]
            if kind == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                _add_line(
                    pieces,
                    x0 * a + y0 * c + e,
                    x0 * b + y0 * d + f,
                    x1 * a + y1 * c + e,
                    x1 * b + y1 * d + f,
                )
            elif kind in ("re", "qu"):
                if kind == "qu":
                    corners = list(item[1])
                else:
                    x0, y0, x1, y1 = item[1]
                    corners = [(x0, y0), (x1, y1), (x0, y1), (x1, y0)]
                xs = [x * a + y * c + e for x, y in corners]
                ys = [x * b + y * d + f for x, y in corners]
                _add_rect(pieces, min(xs), min(ys), max(xs), max(ys))
    return _joined(pieces)


def _add_line(pieces: list[Rule], x0: float, y0: float, x1: float, y1: float) -> None:
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= MIN_RULE:
        pieces.append(Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= MIN_RULE:
        pieces.append(Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _add_rect(pieces: list[Rule], x0: float, y0: float, x1: float, y1: float) -> None:
    width, height = x1 - x0, y1 - y0
    if height <= THIN and width >= MIN_RULE:
        pieces.append(Rule(True, (y0 + y1) / 2, x0, x1))
    elif width <= THIN and height >= MIN_RULE:
        pieces.append(Rule(False, (x0 + x1) / 2, y0, y1))
    elif width >= MIN_RULE and height >= MIN_RULE:
        # A box (a cell's border or shading): its edges separate it from its neighbours.
        pieces += [
            Rule(True, y0, x0, x1),
            Rule(True, y1, x0, x1),
            Rule(False, x0, y0, y1),
            Rule(False, x1, y0, y1),
        ]


def _joined(pieces: list[Rule]) -> list[Rule]:
    """Collinear pieces (same direction, positions within SNAP) that overlap or nearly meet,
    as one stroke each."""
    out: list[Rule] = []
    for horizontal in (True, False):
        same = sorted((p for p in pieces if p.horizontal == horizontal), key=lambda p: p.pos)
        groups: list[list[Rule]] = []
        for piece in same:
            if groups and piece.pos - groups[-1][-1].pos <= SNAP:
                groups[-1].append(piece)
            else:
                groups.append([piece])
        for group in groups:
            pos = sum(p.pos for p in group) / len(group)
            current: list[float] | None = None
            for piece in sorted(group, key=lambda p: p.start):
                if current is not None and piece.start <= current[1] + JOIN:
                    current[1] = max(current[1], piece.end)
                    continue
                if current is not None:
                    out.append(Rule(horizontal, pos, current[0], current[1]))
                current = [piece.start, piece.end]
            if current is not None:
                out.append(Rule(horizontal, pos, current[0], current[1]))
    return out


def _crosses(h: Rule, v: Rule) -> bool:
    return h.start - TOUCH <= v.pos <= h.end + TOUCH and v.start - TOUCH <= h.pos <= v.end + TOUCH


def lattices(rules: Sequence[Rule]) -> list[Grid]:
    """The ruled grids among the strokes: groups of crossing strokes with at least two lines
    each way, as grids with their spanning cells."""
    hs = [r for r in rules if r.horizontal]
    vs = [r for r in rules if not r.horizontal]
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    vs_by_x = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    xs = [vs[j].pos for j in vs_by_x]
    for i, h in enumerate(hs):
        lo = bisect_right(xs, h.start - TOUCH - 1e-9)
        for k in range(lo, len(xs)):
            if xs[k] > h.end + TOUCH:
                break
            j = vs_by_x[k]
            if _crosses(h, vs[j]):
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, list[int]] = {}
    for i in range(len(parent)):
        groups.setdefault(find(i), []).append(i)
    grids = []
    for members in groups.values():
        group_h = [hs[i] for i in members if i < len(hs)]
        group_v = [vs[i - len(hs)] for i in members if i >= len(hs)]
        if len(group_h) < 2 or len(group_v) < 2:
            continue
        grid = _grid(group_h, group_v)
        if grid is not None:
            grids.append(grid)
    return grids


def _positions(values: Iterable[float]) -> list[float]:
    """Sorted positions, those closer than MIN_GAP merged (double rules are one line)."""
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] < MIN_GAP:
            continue
        out.append(value)
    return out


def _grid(hs: list[Rule], vs: list[Rule]) -> Grid | None:
    x0 = min(min(h.start for h in hs), min(v.pos for v in vs))
    x1 = max(max(h.end for h in hs), max(v.pos for v in vs))
    y0 = min(min(v.start for v in vs), min(h.pos for h in hs))
    y1 = max(max(v.end for v in vs), max(h.pos for h in hs))
    # A table without an outer frame still ends where its lines do.
    cols = _positions([x0, x1, *(v.pos for v in vs)])
    rows = _positions([y0, y1, *(h.pos for h in hs)])
    if len(rows) < 3 and len(cols) < 3:
        return None  # a single box: a frame around text, not a table
    spans = _spans(rows, cols, hs, vs)
    return Grid(BBox(x0, y0, x1, y1), rows, cols, spans, [*hs, *vs], "rules")


def _covered(rules: list[Rule], pos: float, start: float, end: float) -> bool:
    """Whether strokes at ``pos`` draw at least COVERED of the span start..end."""
    drawn = 0.0
    for rule in rules:
        if abs(rule.pos - pos) <= MIN_GAP:
            drawn += max(0.0, min(rule.end, end) - max(rule.start, start))
    return drawn >= COVERED * (end - start)


def _spans(
    rows: list[float], cols: list[float], hs: list[Rule], vs: list[Rule]
) -> dict[tuple[int, int], tuple[int, int]]:
    """Grid cells joined into spanning cells where no line separates them; each cell of a
    span maps to the span's first cell (only spans are listed)."""
    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(cell: tuple[int, int]) -> tuple[int, int]:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    def union(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(n_rows):
        for c in range(n_cols - 1):
            if not _covered(vs, cols[c + 1], rows[r], rows[r + 1]):
                union((r, c), (r, c + 1))
    for r in range(n_rows - 1):
        for c in range(n_cols):
            if not _covered(hs, rows[r + 1], cols[c], cols[c + 1]):
                union((r, c), (r + 1, c))
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell in parent:
        members.setdefault(find(cell), []).append(cell)
    for group in members.values():
        if len(group) > 1:
            first = min(group)
            for cell in group:
                spans[cell] = first
    return spans
