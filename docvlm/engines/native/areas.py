"""Areas on axes: an area's height above its lower edge where it crosses each category or
data point (stacked areas stack; a lone area stands on the zero line)."""

from __future__ import annotations

import itertools
import math

from docvlm.engines.native.axes import CategoryAxis, NumericAxis, coordinate
from docvlm.engines.native.marks import Color, Mark, colour_key

EDGE_REACH = 0.75  # points: an edge line's vertices lie on its area's outline within this


def without_edge_lines(
    marks: list[Mark], legend: dict[Color, str]
) -> tuple[list[Mark], dict[Color, str]]:
    """The marks without the vector lines that trace an area's outline vertex by vertex
    (its top edge drawn again in a darker shade or another colour: no series of its own),
    and the legend naming each such area by its line's entry where the key shows the line,
    not the fill."""
    areas = [m for m in marks if m.kind == "area" and not m.pixels]
    if not areas:
        return marks, legend
    kept, named = [], dict(legend)
    for mark in marks:
        area = _traced_area(mark, areas)
        if area is None:
            kept.append(mark)
            continue
        edge, fill = colour_key(mark.color), colour_key(area.color)
        if edge in named and fill not in named:
            named[fill] = named[edge]
    return kept, named


def _traced_area(mark: Mark, areas: list[Mark]) -> Mark | None:
    """The area whose outline a vector line runs along, every vertex on one of its own."""
    if mark.kind != "line" or mark.pixels or len(mark.vertices) < 2:
        return None
    for area in areas:
        if all(
            any(math.dist(v, corner) <= EDGE_REACH for corner in area.vertices)
            for v in mark.vertices
        ):
            return area
    return None


def read_area(
    mark: Mark,
    x_axis: NumericAxis | CategoryAxis | None,
    y_axis: NumericAxis | CategoryAxis | None,
    areas: list[Mark] | None = None,
) -> list[tuple[float | str, float | None]]:
    """An area's height above its lower edge (stacked areas stack; a lone area's lower
    edge is the zero line, and below it the value is negative): at each category it spans,
    else at each of its vertices. A stacked area stands on the top of the one of
    ``areas`` under it, across the line drawn between them."""
    if not isinstance(y_axis, NumericAxis) or len(mark.vertices) < 3:
        return []
    places: list[tuple[float | str | None, float]]
    if isinstance(x_axis, CategoryAxis):
        places = _on_corners(mark, list(zip(x_axis.labels, x_axis.centers, strict=True)))
    else:
        places = _ticks_under(mark, x_axis) or [
            (coordinate(x_axis, x), x) for x in sorted({round(x, 1) for x, _ in mark.vertices})
        ]
    zero = y_axis.position(0.0) if not y_axis.log else None
    points: list[tuple[float | str, float | None]] = []
    for key, x in sorted(places, key=lambda p: p[1]):
        crossings = _crossings(mark.vertices, x)
        if key is None or len(crossings) < 2:
            continue
        on_zero = ON_ZERO_TRACED if mark.pixels else ON_ZERO
        top, bottom = min(crossings), _base(mark, areas or [], x, max(crossings))
        # An image's axis may lack its zero label (OCR missed it): the floor tells nothing.
        floor = not mark.pixels and _on_floor(y_axis, bottom, on_zero)
        points.append((key, _height(y_axis, top, bottom, zero, on_zero, floor)))
    return points


# points: at most this between a stacked area's fill and the top of the one under it (the
# edge line drawn over the lower one's top, which the upper one's fill stops short of)
UNDER_GAP = 4.0


def _base(mark: Mark, areas: list[Mark], x: float, bottom: float) -> float:
    """Where an area stands at ``x``: the top of the area right under its lower edge, a
    line's width or less below it (a stacked band's edge line parts them), else its own
    lower edge."""
    tops = [
        min(crossings)
        for other in areas
        if other is not mark and (crossings := _crossings(other.vertices, x))
    ]
    under = [top for top in tops if 0 < top - bottom <= UNDER_GAP]
    return min(under) if under else bottom


ON_ZERO = 1.0  # points: an area's edge this close to the zero line stands on it
# An outline traced from pixels stops short of the zero line by the axis rule drawn over
# it and a pixel of anti-aliasing.
ON_ZERO_TRACED = 2.5


def _height(
    axis: NumericAxis,
    top: float,
    bottom: float,
    zero: float | None,
    on_zero: float,
    floor: bool = False,
) -> float:
    """An area's value where its outline spans top to bottom: from the zero line when one
    edge lies ``on_zero`` points from it or less (below zero, the value is negative), else
    between its edges."""
    if zero is not None and (abs(bottom - zero) <= on_zero or floor):
        return axis.value(top)
    if zero is not None and abs(top - zero) <= on_zero:
        return axis.value(bottom)
    return round(axis.value(top) - axis.value(bottom), axis.digits)


def _on_floor(axis: NumericAxis, bottom: float, on_zero: float) -> bool:
    """Whether a vector area's lower edge lies on the plot's floor, where the value axis
    starts above zero: the area stands on the zero line below the plot, cut off at its
    floor (its value is its top's, not its height above the floor)."""
    return axis.low > 0 and axis.value(bottom) <= axis.low + abs(axis.a) * on_zero


def _on_corners(
    mark: Mark, places: list[tuple[float | str | None, float]]
) -> list[tuple[float | str | None, float]]:
    """Category places, those a little past the area's ends moved onto them (an end label
    centred by its printed width stands a point or so off the tick the area ends at), and
    on a vector outline, each onto the corner right by it."""
    if len(places) < 2:
        return places
    centres = sorted(x for _, x in places)
    spacing = min(b - a for a, b in itertools.pairwise(centres))
    reach = 0.25 * spacing
    first, last = _ends(mark)
    places = [
        (key, first if first - reach <= x < first else last if last < x <= last + reach else x)
        for key, x in places
    ]
    if mark.pixels:
        return places  # a traced outline has a point per column, not per category
    # A vector outline's corners are its data points: a label turned 45 degrees ends a few
    # points off its tick, and the corner nearby is where its value stands.
    corners = sorted({x for x, _ in mark.vertices})
    snapped = []
    for key, x in places:
        nearest = min(corners, key=lambda corner: abs(corner - x))
        snapped.append((key, nearest if abs(nearest - x) <= 0.1 * spacing else x))
    return snapped


def _ticks_under(
    mark: Mark, x_axis: NumericAxis | CategoryAxis | None
) -> list[tuple[float | str | None, float]]:
    """An area traced from pixels (an outline point per column, its corners unknown), on a
    numeric axis whose steps it spans end to end: read at the steps, where its data points
    stand (a point per year under an area of years). Both ends may stand off their steps
    by one shift (labels turned 45 degrees, their ends a little off the ticks). Else none."""
    if not mark.pixels or not isinstance(x_axis, NumericAxis) or x_axis.log or x_axis.step <= 0:
        return []  # a vector outline: its vertices are the data points
    steps = round((x_axis.high - x_axis.low) / x_axis.step)
    xs = {round(x, 1) for x, _ in mark.vertices}
    if steps < 2 or len(xs) <= 4 * steps:
        return []  # few outline points: corners, not columns
    ends = [(x_axis.value(x) - x_axis.low) / x_axis.step for x in (mark.bbox.x0, mark.bbox.x1)]
    start, stop = (round(end) for end in ends)
    shift = sum(end - round(end) for end in ends) / 2
    if stop - start < 2 or abs(shift) > 0.25 or abs(ends[0] - start - ends[1] + stop) > 0.1:
        return []  # its ends are not on steps: a continuous scale
    values = [x_axis.low + k * x_axis.step for k in range(start, stop + 1)]
    inside = _ends(mark)
    at = [min(max(x_axis.position(v + shift * x_axis.step), inside[0]), inside[1]) for v in values]
    return [(round(v, x_axis.digits), x) for v, x in zip(values, at, strict=True)]


def _ends(mark: Mark) -> tuple[float, float]:
    """Where an area's values may be read at its ends: its outline's first and last x (a
    vector outline's padding aside, below). A traced outline (a point per column, half a
    pixel inside the box) is read a column in: its end column may be a sliver of the edge
    line's end alone, a pixel of it past the fill taken in with the line, and a stacked
    band's value there would read 0."""
    columns = sorted({x for x, _ in mark.vertices})
    if mark.pixels and len(columns) >= 4:
        return columns[1], columns[-2]
    if len(columns) < 3:
        return columns[0], columns[-1]
    first = _past_sliver(mark, columns[0], columns[1])
    return first, _past_sliver(mark, columns[-1], columns[-2])


PADDED_END = 1.0  # points: the most a vector outline's flat end point stands off its data


def _past_sliver(mark: Mark, end: float, inward: float) -> float:
    """A vector outline's end, or its next corner where the end is a point of no height a
    hair off it: a program that aligns stacked areas (R's ggplot2) pads each with a point
    on its base just past its first and last data points."""
    crossings = _crossings(mark.vertices, end)
    flat = not crossings or max(crossings) - min(crossings) < 0.5
    return inward if flat and abs(inward - end) <= PADDED_END else end


def _crossings(outline: list[tuple[float, float]], x: float) -> list[float]:
    """Where a closed outline crosses the vertical line at ``x`` (its heights there)."""
    found: list[float] = []
    for (x0, y0), (x1, y1) in zip(outline, outline[1:] + outline[:1], strict=True):
        if x0 == x1:
            if abs(x - x0) < 0.05:
                found.extend((y0, y1))
        elif min(x0, x1) - 0.05 <= x <= max(x0, x1) + 0.05:
            share = min(1.0, max(0.0, (x - x0) / (x1 - x0)))
            found.append(y0 + share * (y1 - y0))
    return found
