"""Shaded bands behind a chart's lines: a box spanning the whole height of the lines (a
recession's years, a forecast period) or their whole width (a target range) marks a
stretch of the plot, not a value. Read as bars, each band became a series of one bar
at the top of the plot.

Hand-written: a band is a plain filled box; only its reach across all the lines tells
it from a bar.
"""

from __future__ import annotations

from collections import defaultdict

from docvlm.engines.native.marks import Color, Mark, colour_key

SLACK = 1.0  # points: a band reaches this close to the lines' extreme, or beyond


def without_bands(marks: list[Mark]) -> list[Mark]:
    """The marks without the bands: boxes of a colour that all span the whole height (or
    width) of the chart's lines, areas and points, where there are such, from one top to
    one foot (bars of many values stand at many heights, though a low line may lie within
    each)."""
    data = [m.bbox for m in marks if m.kind in ("line", "area", "point")]
    if not data:
        return marks
    top, bottom = min(b.y0 for b in data), max(b.y1 for b in data)
    left, right = min(b.x0 for b in data), max(b.x1 for b in data)
    boxes: dict[Color, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.kind == "bar":
            boxes[colour_key(mark.color)].append(mark)
    bands = {
        id(m)
        for group in boxes.values()
        if _spans(group, top, bottom, 1) or _spans(group, left, right, 0)
        for m in group
    }
    return [m for m in marks if id(m) not in bands]


def _spans(group: list[Mark], low: float, high: float, axis: int) -> bool:
    ends = [(m.bbox.y0, m.bbox.y1) if axis else (m.bbox.x0, m.bbox.x1) for m in group]
    starts, stops = [e[0] for e in ends], [e[1] for e in ends]
    return (
        max(starts) <= low + SLACK
        and min(stops) >= high - SLACK
        and max(starts) - min(starts) <= SLACK
        and max(stops) - min(stops) <= SLACK
    )
