"""Stray ink among a raster chart's data marks: a speck of gray or black that no word
covers (a bit of a turned axis title's glyph the OCR box missed) is no series of one point,
and a sliver of a bar's hue on its edge (where a line drawn across the bar meets the edge,
anti-aliasing blends the two) is no point of its series, and a piece of a bar's outline
found apart from it (a black line along a dark bar's top, as wide as the bar) is no
series of short flat lines.

Such a speck beside the tick labels widens the plot past them, so the axis beside it is
lost and the whole chart with it; a sliver gave its bar's category a second value.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from docvlm.engines.native.marks import SWATCH, Color, Mark, colour_key, is_gray
from docvlm.geometry import BBox

SLIVER = 0.02  # of its bar's pixels: a sliver on a bar's edge is this small at most
# A sliver's colour, less its gray, points the way its bar's does within this cosine: a
# blend of the bar's colour with white, gray or black.
BLEND = 0.95


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


def without_slivers(marks: list[Mark], scale: float) -> list[Mark]:
    """The data marks but slivers of a bar: a mark other than a bar, within a pixel
    (``scale`` points) of a bar's box, its colour a blend of the bar's with a neutral
    (white, gray, black), and a fiftieth of its size at most."""
    bars = [m for m in marks if m.kind == "bar" and m.pixels]
    return [m for m in marks if m.kind == "bar" or not any(_sliver(m, b, scale) for b in bars)]


def _sliver(mark: Mark, bar: Mark, scale: float) -> bool:
    if not bar.bbox.contains(mark.bbox, slack=scale) or mark.pixels > SLIVER * bar.pixels:
        return False
    return _blend_of(mark.color, bar.color)


def _blend_of(colour: Color, bar: Color) -> bool:
    """Whether ``colour`` is ``bar``'s mixed with a neutral: what each has over its own
    gray (the mean of its channels) points the same way, the neutral adding none."""
    own, bars = np.asarray(colour[:3]), np.asarray(bar[:3])
    own, bars = own - own.mean(), bars - bars.mean()
    norms = float(np.linalg.norm(own) * np.linalg.norm(bars))
    return norms > 1e-3 and float(own @ bars) >= BLEND * norms


def without_outline_pieces(marks: list[Mark], scale: float) -> list[Mark]:
    """The data marks but pieces of bars' outlines: a neutral line along a side of a bar
    and as long as that side, standing off it and past its ends by its own thickness at
    most (``scale``: a pixel's points, the slack)."""
    bars = [m.bbox for m in marks if m.kind == "bar" and not is_gray(m.color)]
    return [
        m for m in marks if not (_neutral_line(m) and any(_along(m.bbox, b, scale) for b in bars))
    ]


def _neutral_line(mark: Mark) -> bool:
    """Whether a mark is a neutral line no thicker than an outline."""
    thickness = min(mark.bbox.width, mark.bbox.height)
    return mark.kind == "line" and is_gray(mark.color) and thickness <= OUTLINE


OUTLINE = 2.5  # points: the thickest outline drawn round a bar


def _along(line: BBox, bar: BBox, scale: float) -> bool:
    """Whether a thin box lies along one side of a bar, as long as it."""
    if line.height > line.width:  # turned so that the line lies level
        line = BBox(line.y0, line.x0, line.y1, line.x1)
        bar = BBox(bar.y0, bar.x0, bar.y1, bar.x1)
    slack = line.height + 2 * scale
    ends = abs(line.x0 - bar.x0) <= slack and abs(line.x1 - bar.x1) <= slack
    middle = line.center[1]
    return ends and min(abs(middle - bar.y0), abs(middle - bar.y1)) <= slack
