"""Parts of one bar that a line drawn across it cut apart: in an image, the line hides the
bar where it crosses, leaving a part on either side of it (ragged where the line runs
slanting, and in two shades where the bar is shaded by a gradient). A part in line with
a bar, meeting it across no more than a line's width, is the rest of that bar.

Hand-written: a few boxes compared; no library reads a chart's bars.
"""

from __future__ import annotations

from dataclasses import replace

from docvlm.engines.native.marks import Mark

CUT = 4.0  # points: a bar's parts meet across at most a line's width
SAME_SPAN = 1.5  # points: a bar's parts stand within its sides, give or take this
HALF = 0.5  # a part of a bar spans over this share of its breadth


def with_rest_joined(bars: list[Mark], part: Mark, horizontal: bool | None) -> list[Mark] | None:
    """``bars`` with ``part`` joined to the bar it is the rest of, or None where it is the
    rest of none. ``horizontal``: whether the bars lie on their side (None: either)."""
    if part.kind not in ("bar", "area"):
        return None
    ways = (False, True) if horizontal is None else (horizontal,)
    for index, bar in enumerate(bars):
        # A bar, not an area: a chart read as areas holds one across the plot, and every
        # mark stands within its sides.
        if bar.kind == "bar" and any(_rest_of(bar, part, way) for way in ways):
            return [*bars[:index], one_bar(bar, part), *bars[index + 1 :]]
    return None


def one_bar(first: Mark, second: Mark) -> Mark:
    """Two parts of a bar as the bar: the box both stand in, in the first's colour."""
    return replace(
        first,
        kind="bar",
        vertices=[],
        bbox=first.bbox.union(second.bbox),
        pixels=first.pixels + second.pixels,
    )


def _rest_of(bar: Mark, part: Mark, horizontal: bool) -> bool:
    """Whether ``part`` stands in line with ``bar`` (within its sides across its length,
    over half its breadth: a corner a slanting line cut off narrows to a point) and meets
    or overlaps it along its length, across a line's width at most."""
    across, along = (1, 0) if horizontal else (0, 1)
    b, p = bar.bbox.as_tuple(), part.bbox.as_tuple()
    within = p[across] >= b[across] - SAME_SPAN and p[across + 2] <= b[across + 2] + SAME_SPAN
    broad = p[across + 2] - p[across] > HALF * (b[across + 2] - b[across])
    meets = max(p[along], b[along]) - min(p[along + 2], b[along + 2]) <= CUT
    return within and broad and meets
