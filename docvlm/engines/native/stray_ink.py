"""Stray ink among a raster chart's data marks: a speck of gray or black that no word
covers (a bit of a turned axis title's glyph the OCR box missed) is no series of one point.

Such a speck beside the tick labels widens the plot past them, so the axis beside it is
lost and the whole chart with it.
"""

from __future__ import annotations

from collections import Counter

from docvlm.engines.native.marks import SWATCH, Mark, colour_key, is_gray
from docvlm.geometry import BBox


def without_stray_ink(marks: list[Mark]) -> list[Mark]:
    """The data marks but lone neutral specks: a gray or black mark smaller than a legend
    swatch, the only one of its colour, standing clear of the box of all the others (a
    series' bar of nearly nothing stands among its neighbours)."""
    counts = Counter(colour_key(m.color) for m in marks)
    kept = []
    for mark in marks:
        lone = counts[colour_key(mark.color)] == 1 and is_gray(mark.color)
        small = max(mark.bbox.width, mark.bbox.height) <= SWATCH
        others = [m.bbox for m in marks if m is not mark]
        if lone and small and others and _clear_of(mark.bbox, BBox.enclosing(others)):
            continue
        kept.append(mark)
    return kept


def _clear_of(box: BBox, data: BBox) -> bool:
    return box.x1 < data.x0 or box.x0 > data.x1 or box.y1 < data.y0 or box.y0 > data.y1
