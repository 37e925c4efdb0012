"""Lines drawn as the filled outline of their stroke (as some exporters write every
stroke): a thin filled ribbon, out along one side of the line and back along the other.
Read as an area, it gave values near zero; it is the line along its middle.

Hand-written: the ribbon is a plain filled polygon; only its thinness tells it from an
area, and its middle is found by the polygon's extent across each of its vertices.
"""

from __future__ import annotations

import math
from itertools import pairwise

from docvlm.engines.native.marks import SWATCH, Mark

THINNEST_STROKE = 4.0  # points: a ribbon is at most this thick, on average
PAIRED = 4 * THINNEST_STROKE  # points: vertices facing across a ribbon, at most (a mitre)


def ribbons_as_lines(marks: list[Mark]) -> list[Mark]:
    """The marks with thin filled ribbons read as the lines they outline, where every
    area is one (a stacked area chart's thin band lies on thick bands: an area)."""
    areas = [m for m in marks if m.kind == "area" and not m.pixels]
    if not areas or not all(_ribbon(m) for m in areas):
        return marks
    return [_middle_line(m) if m in areas else m for m in marks]


def _ribbon(mark: Mark) -> bool:
    """A long polygon whose area over half its outline's length, its mean thickness, is a
    stroke's."""
    points = mark.vertices
    if len(points) < 4 or max(mark.bbox.width, mark.bbox.height) < 2 * SWATCH:
        return False
    closed = [*points, points[0]]
    area = abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(closed))) / 2
    half_outline = sum(math.dist(a, b) for a, b in pairwise(closed)) / 2
    return area / half_outline <= THINNEST_STROKE


def _middle_line(mark: Mark) -> Mark:
    """The line along the ribbon's middle: the middles of its vertices paired from both
    ends where each pair stands about a stroke apart (an outline out along one side and
    back along the other, a vertex a side for each of the line's); else, at each vertex's
    place along x, the middle of the ribbon's extent there (a chart's lines run left to
    right)."""
    points = mark.vertices
    if len(points) > 2 and math.dist(points[0], points[-1]) <= 0.01:
        points = points[:-1]  # the path closed on its start
    half = len(points) // 2
    pairs = list(zip(points[:half], reversed(points[half:]), strict=False))
    if len(points) % 2 == 0 and all(math.dist(a, b) <= PAIRED for a, b in pairs):
        middle = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in pairs]
        return Mark("line", mark.bbox, mark.color, middle)
    closed = [*points, points[0]]
    places = sorted({round(x, 1) for x, _ in mark.vertices})
    middle = []
    for x in places:
        ys = [
            _y_at(a, b, x) for a, b in pairwise(closed) if min(a[0], b[0]) <= x <= max(a[0], b[0])
        ]
        found = [y for y in ys if y is not None]
        if found:
            middle.append((x, (min(found) + max(found)) / 2))
    return Mark("line", mark.bbox, mark.color, middle)


def _y_at(a: tuple[float, float], b: tuple[float, float], x: float) -> float | None:
    if a[0] == b[0]:
        return (a[1] + b[1]) / 2 if abs(a[0] - x) < 0.05 else None
    share = (x - a[0]) / (b[0] - a[0])
    return a[1] + share * (b[1] - a[1])
