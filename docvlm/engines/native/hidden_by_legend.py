"""Bars a legend drawn over the plot hides in part. A plotting program that finds no free
corner for its legend lays it over the marks (a 100% chart fills its plot): a bar under
it shows as a part before the legend's panel and a part past it, and a see-through panel
shows the bar's colour, paler, where it lies over it. The parts, and what shows through
the panel, are the one bar.

Hand-written: segmentation sees only pixels, and no library knows a chart's legend.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.bar_parts import one_bar
from docvlm.engines.native.colours import delta_e, nearest_seen_through, rgb_to_lab
from docvlm.engines.native.marks import SWATCH, Mark
from docvlm.geometry import BBox

PANEL_PAD = SWATCH / 2  # points: a legend's panel reaches this far past its entries
SAME_FILL = 3.0  # delta E: a bar's parts are this alike, and a see-through panel's blend
SEEN = 0.05  # the least share of a bar's colour a see-through panel shows, and of its own
IN_LINE = 1.5  # points: a bar's parts share their sides within this, and meet within it
NAME_REACH = 10 * SWATCH  # points: a legend's names stand this near its samples
PARTS = ("bar", "line", "area")  # what a bar's parts are read as


def legend_box(swatches: list[Mark], words: list[Word], names: set[str]) -> BBox | None:
    """The box round a legend's entries (its swatches and their names beside them), if
    it has any. A word elsewhere that reads as a name (an axis title, a pattern read as
    letters) is no entry's."""
    if not swatches:
        return None
    samples = BBox.enclosing([m.bbox for m in swatches])
    beside = BBox(
        samples.x0 - NAME_REACH, samples.y0 - SWATCH, samples.x1 + NAME_REACH, samples.y1 + SWATCH
    )
    labels = [w.bbox for w in words if w.text in names and beside.contains_point(*w.bbox.center)]
    return BBox.enclosing([samples, *labels]) if labels else None


def bars_whole_under_legend(
    marks: list[Mark], legend: BBox | None, grounds: list[np.ndarray]
) -> list[Mark]:
    """The marks with each bar that the legend's panel hides in part made whole: a part
    of it showing paler through the panel joins the part it meets end to end, and two
    parts in one colour, in line, with the gap between them under the panel across the
    bar's whole breadth, are one. ``grounds``: the colours (CIELAB) a see-through panel
    may be filled with, the image's backgrounds."""
    if legend is None:
        return marks
    panel = legend.grown(PANEL_PAD)
    # Only the parts reaching the panel, and those meeting them, take part (a scatter's
    # thousand points do not).
    reach = panel.grown(IN_LINE)
    reaching = [m.bbox for m in marks if m.kind in PARTS and m.bbox.intersection(reach) is not None]
    zone = BBox.enclosing([panel, *reaching]).grown(IN_LINE)
    near = [m for m in marks if m.kind in PARTS and m.bbox.intersection(zone) is not None]
    joined = near
    for along in (1, 0):  # 1: parts one above the other (a column); 0: side by side
        joined = _joined(joined, partial(_through_panel, panel=panel, grounds=grounds, along=along))
        joined = _joined(joined, partial(_either_side, panel=panel, along=along))
    # The marks in their order (the reading after this is not blind to it), wholes last.
    kept, gone = {id(m) for m in joined}, {id(m) for m in near}
    return [m for m in marks if id(m) in kept or id(m) not in gone] + [
        m for m in joined if id(m) not in gone
    ]


def _joined(marks: list[Mark], parts_of_one: Callable[[Mark, Mark], bool]) -> list[Mark]:
    """The marks with each pair ``parts_of_one`` (first, second) holds joined into the
    first's bar, until none is left."""
    while True:
        pair = next(
            (
                (first, second)
                for first in marks
                for second in marks
                if first is not second and parts_of_one(first, second)
            ),
            None,
        )
        if pair is None:
            return marks
        first, second = pair
        marks = [m for m in marks if m is not first and m is not second] + [one_bar(*pair)]


def _through_panel(
    bar: Mark, shown: Mark, panel: BBox, grounds: list[np.ndarray], along: int
) -> bool:
    """Whether ``shown`` is the part of ``bar`` a see-through panel lies over: in the
    panel, in line with the bar and meeting it end to end, in the bar's colour blended
    with a ground's (or in the bar's own, where the blend was seen through already); the
    panel's names cut it ragged."""
    return (
        bar.kind in ("bar", "line")
        and shown.kind in ("bar", "area")
        and shown.bbox.intersection(panel) is not None
        and _in_line(bar.bbox, shown.bbox, along)
        and _meet(bar.bbox, shown.bbox, along)
        and (_alike(shown, bar) or _under_panel(shown, bar, grounds))
    )


def _either_side(first: Mark, second: Mark, panel: BBox, along: int) -> bool:
    """Whether ``second`` goes on from ``first`` past the legend's panel: parts of one
    colour, in line, ``first`` ending and ``second`` starting under the panel, which
    covers the gap between them across the bar's whole breadth (else the bar would show
    beside it, and its parts be one). A part showing past the panel may be a sliver, read
    as a line."""
    kinds = {first.kind, second.kind}
    if "bar" not in kinds or not kinds <= {"bar", "line"} or not _alike(first, second):
        return False
    a, b, p = first.bbox.as_tuple(), second.bbox.as_tuple(), panel.as_tuple()
    across = 1 - along
    return (
        _in_line(first.bbox, second.bbox, along)
        and p[along] <= a[along + 2] < b[along] <= p[along + 2]
        and p[across] <= a[across] + IN_LINE
        and a[across + 2] - IN_LINE <= p[across + 2]
    )


def _in_line(first: BBox, second: BBox, along: int) -> bool:
    """Whether two boxes share their sides along an axis (1: the y axis: left and right)."""
    a, b = first.as_tuple(), second.as_tuple()
    across = 1 - along
    return abs(a[across] - b[across]) <= IN_LINE and abs(a[across + 2] - b[across + 2]) <= IN_LINE


def _meet(first: BBox, second: BBox, along: int) -> bool:
    """Whether one box starts where the other ends along an axis."""
    a, b = first.as_tuple(), second.as_tuple()
    return abs(b[along] - a[along + 2]) <= IN_LINE or abs(a[along] - b[along + 2]) <= IN_LINE


def _alike(first: Mark, second: Mark) -> bool:
    return float(delta_e(rgb_to_lab(first.color), rgb_to_lab(second.color))) <= SAME_FILL


def _under_panel(shown: Mark, bar: Mark, grounds: list[np.ndarray]) -> bool:
    """Whether a mark's colour is a bar's under a see-through panel in a ground's colour."""
    pixel, colour = rgb_to_lab(shown.color)[None], rgb_to_lab(bar.color)
    for ground in grounds:
        off, share = nearest_seen_through(pixel, ground, colour)
        if float(off[0]) <= SAME_FILL and SEEN <= float(share[0]) <= 1 - SEEN:
            return True
    return False
