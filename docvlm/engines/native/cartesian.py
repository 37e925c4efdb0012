"""Charts on axes (bars, points, lines, areas, ticks): each mark read on the calibrated
axes, series by colour."""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import pairwise
from typing import Literal

import numpy as np

from docvlm.document import Drawing, Word
from docvlm.engines.native.areas import read_area
from docvlm.engines.native.axes import (
    CategoryAxis,
    NumericAxis,
    Span,
    coordinate,
    lattice_categories,
    numeric_axis,
    scaled_by_multiplier,
)
from docvlm.engines.native.crowded_labels import split_at_groups
from docvlm.engines.native.date_labels import dates_along, restored_dates, with_unread_dates
from docvlm.engines.native.labels import (
    anchor,
    label_column,
    label_rows,
    right_column,
    row_above,
)
from docvlm.engines.native.legends import legend_name
from docvlm.engines.native.line_end_names import named_at_line_ends
from docvlm.engines.native.marks import Color, Mark, colour_key, is_gray
from docvlm.engines.native.printed_values import axis_from_bar_values, axis_from_point_values
from docvlm.engines.native.series_names import joined_by_name, series_names
from docvlm.geometry import BBox
from docvlm.schemas import Chart
from docvlm.schemas.chart import ChartType
from docvlm.text import parse_number

Axis = NumericAxis | CategoryAxis
# Points spread over more than this share of the plot along an axis stand at more than one
# of its categories.
ONE_CATEGORY_SPREAD = 0.25
# Turned category labels stand at most this many text heights off their tick marks (a
# label set at 45 degrees from the end of its baseline: its box's corner 0.7 of its
# height beside it), and less than this share of a step (a tick between two categories
# is half a step off each), all within this share of a step of one another's offsets.
TICK_REACH = 0.75
BAR_REACH = 1.5  # text heights: how far off a bar group's middle a turned label may stand
STEP_REACH = 0.4
TICK_AGREE = 0.1
TICKED = 0.75  # the share of the labels that must have a tick of their own


def tick_marks(drawings: tuple[Drawing, ...], plot: BBox) -> tuple[list[float], list[float]]:
    """Positions of the short gray tick marks below (x) and left of (y) the plot area, or
    drawn into it from its foot (x) or its left edge (y), as a plotting program draws them
    (its grid lines start at a y tick's outer end, which then sets the plot's edge)."""
    xs, ys = [], []
    for d in drawings:
        b = d.bbox
        if not d.stroke or not is_gray(d.stroke):
            continue
        up = abs(b.y1 - plot.y1) <= 2  # the axis line's width apart at most
        from_edge = abs(b.x0 - plot.x0) <= 1
        if b.width < 0.5 and 2 <= b.height <= 10 and (b.y0 >= plot.y1 - 1 or up):
            xs.append(b.x0)
        elif b.height < 0.5 and 2 <= b.width <= 10 and (b.x1 <= plot.x0 + 1 or from_edge):
            ys.append(b.y0)
    return xs, ys


LABEL_TICKS = 2  # value labels with a tick of their own found beside them, at least
# Pixels: the least offset of labels from their ticks taken (a tick drawn on the pixel grid
# stands up to half a pixel off its value's place; OCR's boxes stray a little more).
LABEL_OFFSET = 1.0


def _labels_ticks(image_ticks: tuple[Drawing, ...], column: list[Word]) -> list[float]:
    """Where the value labels in ``column`` stand: as far off their boxes' centres as the
    ticks found beside them in an image (drawings a pixel wide) stand off theirs, where
    that is over a pixel. The median offset: a library sets every label alike, while a
    tick drawn on the pixel grid, or a glyph's stroke passed for one, strays from its
    label's place by up to a pixel, and OCR's boxes by about as much."""
    ticks = [d for d in image_ticks if d.bbox.height < 0.5]
    offsets = []
    for word in column:
        centre = word.bbox.center[1]
        beside = [d.bbox.y0 - centre for d in ticks if word.bbox.y0 <= d.bbox.y0 <= word.bbox.y1]
        if beside:
            offsets.append(min(beside, key=abs))
    if len(offsets) < LABEL_TICKS:
        return []
    shift = float(np.median(offsets))
    pixel = float(np.median([d.width for d in ticks]))
    if abs(shift) < LABEL_OFFSET * pixel:
        return []
    return sorted(word.bbox.center[1] + shift for word in column)


def read_cartesian(
    marks: list[Mark],
    legend: dict[Color, str],
    words: list[Word],
    drawings: tuple[Drawing, ...],
    plot: BBox,
    image_ticks: tuple[Drawing, ...] = (),
) -> tuple[Chart | None, str]:
    """The chart read on its axes, and the axes' calibration in words. ``image_ticks``:
    an image's tick marks, found in its pixels: those under the plot place turned
    category labels only (a numeric axis pairs its labels with ticks in order, and an
    image's, between categories or one missed, would shift it); those found beside each
    value label, its own, place the value labels."""
    ticks_x, ticks_y = tick_marks(drawings, plot)
    names = set(legend.values())
    texts = [w for w in words if w.text not in names]  # the legend's words label no axis
    rows, column = label_rows(texts, plot), label_column(texts, plot)
    named = [w for w in words if w.text in names and _in_row(w, rows)]
    if named:  # a category named as a series is, in the category labels' row
        texts += named
        rows = label_rows(texts, plot)
    rows = split_at_groups(rows, _group_middles(marks))
    x_axis: Axis | None = numeric_axis(rows, "x", ticks_x) or _categories(rows, "x")
    ticks_y = ticks_y or _labels_ticks(image_ticks, column)
    y_axis: Axis | None = numeric_axis(column, "y", ticks_y) or _categories(column, "y")
    if x_axis is not None and any(w.angle % 90 for w in rows):
        turned_ticks = tick_marks(drawings + image_ticks, plot)[0]
        if isinstance(x_axis, CategoryAxis):
            count = len(x_axis.centers)
            places = _bar_groups(marks, count) or _area_steps(marks, count)
            x_axis = _turned_at_ticks(x_axis, turned_ticks, _text_height(texts), places)
        else:
            x_axis = _numbers_at_ticks(x_axis, turned_ticks, _text_height(texts))
    if isinstance(y_axis, CategoryAxis) and not isinstance(x_axis, NumericAxis):
        # Bars lying on their side may have their value axis along the plot's top.
        x_axis = numeric_axis(row_above(texts, plot), "x", ticks_x) or x_axis
    on_right = None
    if not isinstance(x_axis, NumericAxis) and not isinstance(y_axis, NumericAxis):
        # A style that prints the value axis on the right only (a newspaper's).
        on_right = _right_axis(texts, plot, ticks_y)
        y_axis = on_right or y_axis
    if not isinstance(x_axis, NumericAxis) and not isinstance(y_axis, NumericAxis):
        x_axis, y_axis = _printed_value_axis(marks, texts, rows, column, x_axis, y_axis)
    if not isinstance(x_axis, NumericAxis) and not isinstance(y_axis, NumericAxis):
        return None, ""
    if _chart_type(marks) == "scatter" and (
        _one_label_across(x_axis, marks, plot) or _one_label_across(y_axis, marks, plot)
    ):
        return None, ""
    if isinstance(x_axis, NumericAxis):
        x_axis = scaled_by_multiplier(x_axis, words, plot)
    if isinstance(y_axis, NumericAxis):
        y_axis = scaled_by_multiplier(y_axis, words, plot, right=on_right is not None)
    horizontal = _horizontal(marks, x_axis, y_axis)
    chart_type = _chart_type(marks)
    if chart_type in ("bar", "line", "area") and horizontal:
        y_axis = _on_categories(_named(marks, legend), y_axis, horizontal)
    elif chart_type in ("bar", "line", "area"):
        x_axis = _on_categories(_named(marks, legend), x_axis, horizontal)
    calibration = "; ".join(axis.describe() for axis in (x_axis, y_axis) if axis is not None)
    groups: dict[Color, list[Mark]] = defaultdict(list)
    for mark in marks:
        groups[colour_key(mark.color)].append(mark)
    secondary = _secondary_axis(words, plot, y_axis, horizontal, chart_type)
    if secondary is not None:
        calibration += f"; secondary {secondary.describe()} (the lines)"
    series_name = named_at_line_ends(
        groups, series_names(groups, legend), _without(texts, [*rows, *column])
    )
    groups = joined_by_name(
        groups, series_name, lambda group: _on_secondary(group, secondary), horizontal
    )
    series = {
        colour: _read_series(
            group,
            marks,
            x_axis,
            secondary if _on_secondary(group, secondary) else y_axis,
            horizontal,
        )
        for colour, group in groups.items()
    }
    chart = Chart.model_validate(
        {
            "chart_type": chart_type,
            "x_label": _axis_title(texts, rows, plot, "x"),
            "y_label": _axis_title(texts, column, plot, "y"),
            "series": [
                {
                    "name": series_name[color],
                    "points": [{"x": x, "y": y} for x, y in points],
                }
                for color, points in series.items()
            ],
        }
    )
    return chart, calibration


def _one_label_across(axis: Axis | None, marks: list[Mark], plot: BBox) -> bool:
    """Whether an axis of categories is one label (an axis title, its tick labels not
    read) along which points spread over the plot: a scatter's points would all stand at
    that one 'category'. Points of a one-category strip stand in one line across it."""
    if not isinstance(axis, CategoryAxis) or len(axis.labels) != 1:
        return False
    along = 0 if axis.orientation == "x" else 1
    centres = [m.bbox.center[along] for m in marks]
    extent = plot.width if along == 0 else plot.height
    return max(centres) - min(centres) > ONE_CATEGORY_SPREAD * extent


def _right_axis(words: list[Word], plot: BBox, ticks: list[float]) -> NumericAxis | None:
    """A value axis whose labels stand right of the plot, where none stand left of it."""
    return numeric_axis(right_column(words, plot), "y", ticks)


def _printed_value_axis(
    marks: list[Mark],
    texts: list[Word],
    rows: list[Word],
    column: list[Word],
    x_axis: Axis | None,
    y_axis: Axis | None,
) -> tuple[Axis | None, Axis | None]:
    """The axes, with a value axis calibrated on the values printed on the bars or at the
    points where the chart prints none beside its category axis (`printed_values`); the
    category labels are no such values."""
    if isinstance(x_axis, CategoryAxis):
        words = _without(texts, rows)
        values = axis_from_bar_values(marks, words, "y") or axis_from_point_values(marks, words)
        if values is not None:
            return x_axis, values
    if isinstance(y_axis, CategoryAxis):
        return axis_from_bar_values(marks, _without(texts, column), "x") or x_axis, y_axis
    return x_axis, y_axis


def _without(words: list[Word], labels: list[Word]) -> list[Word]:
    ids = {id(w) for w in labels}
    return [w for w in words if id(w) not in ids]


def _in_row(word: Word, row: list[Word]) -> bool:
    """Whether a word hangs in a row of category labels: its top on theirs, turned as they
    are (a legend's row stands apart, above the plot or below the labels)."""
    return any(
        abs(word.bbox.y0 - label.bbox.y0) <= 3.0 and word.angle == label.angle for label in row
    ) and not any(word is label for label in row)


_CHART_TYPES: dict[str, ChartType] = {
    "bar": "bar",
    "point": "scatter",
    "tick": "scatter",
    "line": "line",
    "area": "area",
}


def _secondary_axis(
    words: list[Word], plot: BBox, y_axis: Axis | None, horizontal: bool, chart_type: str
) -> NumericAxis | None:
    """A second value axis on the right, for lines drawn over bars (the combination
    office suites and plotting libraries give a secondary axis)."""
    if horizontal or chart_type != "bar" or not isinstance(y_axis, NumericAxis):
        return None
    axis = numeric_axis(right_column(words, plot), "y", [])
    if axis is None or (abs(axis.a - y_axis.a) <= 1e-6 * abs(y_axis.a) and axis.b == y_axis.b):
        return None
    return scaled_by_multiplier(axis, words, plot, right=True)


def _on_secondary(group: list[Mark], secondary: NumericAxis | None) -> bool:
    """Whether a series is read against the secondary axis: a line, not a bar series
    holding a scrap of stroke (a sliver of its colour where a line crosses a bar)."""
    lines = sum(m.kind == "line" for m in group)
    return secondary is not None and lines > 0 and lines >= sum(m.kind == "bar" for m in group)


def _chart_type(marks: list[Mark]) -> ChartType:
    """The chart's type by its marks: bars (a line over them too), areas, lines (markers on
    them too), else points."""
    kinds = Counter(m.kind for m in marks if m.kind in _CHART_TYPES)
    for kind in ("bar", "area", "line"):
        if kinds[kind] >= (2 if kind == "bar" else 1):
            return _CHART_TYPES[kind]
    return _CHART_TYPES[kinds.most_common(1)[0][0]] if kinds else "other"


Points = list[tuple[float | str, float | None]]


def _read_series(
    group: list[Mark],
    marks: list[Mark],
    x_axis: Axis | None,
    y_axis: Axis | None,
    horizontal: bool,
) -> Points:
    """One colour's data points, in the order they are drawn along the category axis (top
    to bottom for bars lying on their side), as a reader takes them. A line is read where
    it crosses each category (its markers are the same points); on a numeric axis, at
    its vertices."""
    if any(m.kind == "area" for m in group):
        group = [m for m in group if m.kind == "area"]  # a line on an area is its edge
    if any(m.kind == "bar" for m in group):
        # A bar of nearly nothing is drawn as a hairline: still a bar, not a line series.
        group = [replace(m, kind="bar") if _hairline(m) else m for m in group]
        group = [m for m in group if m.kind != "line"]
    lines = [m for m in group if m.kind == "line"]
    if lines and not horizontal and isinstance(x_axis, CategoryAxis):
        if any(line.pixels for line in lines):  # pieces of one traced line, cut at crossings
            return _line_at_categories(lines, x_axis, y_axis)
        # A vector path is a run of its own (a dashed part of a line drawn on from the solid
        # part's last point): read each, so a category both reach holds both points, and
        # nothing is made up between runs apart (a gap for missing data).
        runs = sorted(lines, key=lambda line: min(x for x, _ in line.vertices or [(0.0, 0.0)]))
        dated = _at_dates(runs, x_axis, y_axis)
        if dated is not None:
            return dated
        return [p for line in runs for p in _line_at_categories([line], x_axis, y_axis)]
    if lines:
        group = [m for m in group if m.kind != "point"]
    points: Points = []
    for mark in sorted(group, key=lambda m: m.bbox.center[1 if horizontal else 0]):
        points.extend(_read(mark, marks, x_axis, y_axis, horizontal))
    return points


def _at_dates(lines: list[Mark], x_axis: CategoryAxis, y_axis: Axis | None) -> Points | None:
    """A vector line over a time axis, read at each of its vertices, each at its date
    (ISO): the labels are dates at an even step, and the line's vertices stand closer
    than the labels do (an axis labelled each quarter under monthly points), so that
    reading it at the labels alone would drop the points between them. None for any
    other line, read at the categories."""
    vertices = sorted(v for line in lines for v in line.vertices)
    if not isinstance(y_axis, NumericAxis) or len(vertices) < MIN_VERTICES:
        return None
    spacing = float(np.median(np.diff([x for x, _ in vertices])))
    at = dates_along(x_axis.labels, x_axis.centers, spacing)
    if at is None:
        return None
    return [(at(x).isoformat(), y_axis.value(y)) for x, y in vertices]


MIN_VERTICES = 3


def _hairline(mark: Mark) -> bool:
    return mark.kind in ("line", "tick") and min(mark.bbox.width, mark.bbox.height) <= 2.0


def _line_at_categories(lines: list[Mark], x_axis: CategoryAxis, y_axis: Axis | None) -> Points:
    """A line's value at each category it spans: its height there, between its vertices;
    numbered categories (years) as numbers."""
    vertices = sorted(v for line in lines for v in line.vertices)
    if not isinstance(y_axis, NumericAxis) or len(vertices) < 2:
        return []
    xs = np.array([x for x, _ in vertices])
    ys = np.array([y for _, y in vertices])
    reach = (
        0.25 * float(np.min(np.diff(sorted(x_axis.centers)))) if len(x_axis.centers) > 1 else 2.0
    )
    points: Points = []
    # A line over numbered places (years) keeps them as numbers.
    numbers = [parse_number(label) for label in x_axis.labels]
    keys: list[float | str] = (
        [n for n in numbers if n is not None] if None not in numbers else list(x_axis.labels)
    )
    by_place = sorted(zip(keys, x_axis.centers, strict=True), key=lambda p: p[1])
    for label, centre in by_place:
        if not xs[0] - reach <= centre <= xs[-1] + reach:
            continue
        nearest = int(np.argmin(np.abs(xs - centre)))
        # A vertex at the category is the value itself; between vertices, interpolate.
        y = ys[nearest] if abs(xs[nearest] - centre) <= 0.4 * reach else np.interp(centre, xs, ys)
        points.append((label, y_axis.value(float(y))))
    return points


def _named(marks: list[Mark], legend: dict[Color, str]) -> list[Mark]:
    """The marks of the series the legend names, and the bars of any colour with as many
    as a named one (a series whose swatch the legend reader missed still stands in its
    bar groups); all when it names none. A stray piece of a line in a colour its
    anti-aliasing blended (no legend's) turns where the line turns, not on the categories'
    steps."""
    named = {colour_key(m.color) for m in marks if legend_name(m.color, legend) is not None}
    if not named:
        return marks
    bars = Counter(colour_key(m.color) for m in marks if m.kind == "bar")
    fewest = max(2, min(bars[c] for c in named))
    return [m for m in marks if colour_key(m.color) in named or bars[colour_key(m.color)] >= fewest]


def _turned_at_ticks(
    axis: CategoryAxis, ticks: list[float], text: float, marked: list[float] | None = None
) -> CategoryAxis:
    """An axis of turned labels with its categories at their tick marks (or midway
    between them, where the ticks part the categories), where every label stands the
    same short way off a place of its own, less than a text height (``text``): a turned
    label hangs from its tick by its box's corner in one library, by the middle of its
    end in another. (A level label's centre is its place.) With no ticks seen (drawn
    faint, or not at all), the places found from the marks (``marked``: the middles of
    the bars' groups, or steps along the areas) are theirs: a line over bars has its
    points there too, and read a step's share off them, its peaks were read low."""
    ticks = sorted(ticks)
    between = [(a + b) / 2 for a, b in pairwise(ticks)]
    # A bar group's middle (an area's step) is sure to be its category's place: a label
    # may stand further off it (hung by its baseline's end, its box's corner a text
    # height off).
    for places, reach in ((ticks, TICK_REACH), (between, TICK_REACH), (marked or [], BAR_REACH)):
        placed = _placed(axis.centers, places, reach * text)
        if placed is not None:
            return replace(axis, centers=placed)
    return axis


def _bar_groups(marks: list[Mark], count: int) -> list[float]:
    """The middles of upright bars' groups, left to right (:func:`_group_middles`); none
    unless there are ``count`` groups, one per category (a group's bars set a little apart
    would each be taken for a category's)."""
    groups = _group_middles(marks)
    return groups if len(groups) == count else []


def _group_middles(marks: list[Mark]) -> list[float]:
    """The middles of upright bars' groups, left to right: bars side by side with no gap
    between them (grouped bars touch) or one above another (stacked) are one group; so
    are runs of one bar per series where the gaps between runs are all wider than those
    within them (an image's grouped bars, their outlines a pixel or two apart)."""
    bars = sorted((m for m in marks if m.kind == "bar"), key=lambda m: m.bbox.x0)
    groups: list[list[float]] = []
    for bar in bars:
        x0, x1 = bar.bbox.x0, bar.bbox.x1
        if groups and x0 <= groups[-1][1] + GROUP_GAP * (x1 - x0):
            groups[-1][1] = max(groups[-1][1], x1)
        else:
            groups.append([x0, x1])
    if len(groups) == len(bars):
        groups = _runs_by_series(bars) or groups
    return [(x0 + x1) / 2 for x0, x1 in groups]


def _runs_by_series(bars: list[Mark]) -> list[list[float]] | None:
    """Bars (left to right) in runs of one per series' colour, as dodged bars stand, where
    every gap between runs is wider than any within one; else None."""
    count = len({colour_key(b.color) for b in bars})
    if count < 2 or len(bars) % count or len(bars) == count:
        return None
    runs = [bars[i : i + count] for i in range(0, len(bars), count)]
    if any(len({colour_key(b.color) for b in run}) < count for run in runs):
        return None
    within = [b.bbox.x0 - a.bbox.x1 for run in runs for a, b in pairwise(run)]
    between = [b[0].bbox.x0 - a[-1].bbox.x1 for a, b in pairwise(runs)]
    if min(between) <= max(within):
        return None
    return [[run[0].bbox.x0, max(b.bbox.x1 for b in run)] for run in runs]


GROUP_GAP = 0.1  # of a bar's width: bars this close are side by side in one group


def _area_steps(marks: list[Mark], count: int) -> list[float]:
    """``count`` places evenly spaced from the areas' left end to their right end: an area
    over categories runs from the first category's place to the last's."""
    areas = [m.bbox for m in marks if m.kind == "area"]
    if not areas or count < 2:
        return []
    start, end = min(b.x0 for b in areas), max(b.x1 for b in areas)
    return [float(x) for x in np.linspace(start, end, count)]


def _numbers_at_ticks(axis: NumericAxis, ticks: list[float], text: float) -> NumericAxis:
    """A numeric axis of turned labels shifted onto their tick marks, where every label
    stands the same short way off a tick of its own (as :func:`_turned_at_ticks`): a
    library hanging a turned label from its baseline's end leaves the box's corner, the
    label's place otherwise, a fraction of a step off its tick (years read 0.2 early, a
    line over them off its steps)."""
    if axis.log or len(axis.labels) < 2:
        return axis
    centers = tuple(axis.position(value) for value, _ in axis.labels)
    placed = _placed(centers, sorted(ticks), TICK_REACH * text)
    if placed is None:
        return axis
    shift = float(np.median([p - c for p, c in zip(placed, centers, strict=True)]))
    return replace(axis, b=axis.b - axis.a * shift)


def _text_height(words: list[Word]) -> float:
    """The level words' usual height (0 when none)."""
    heights = [w.bbox.height for w in words if w.angle == 0]
    return float(np.median(heights)) if heights else 0.0


def _placed(
    centers: tuple[float, ...], places: list[float], reach: float
) -> tuple[float, ...] | None:
    """Each centre moved to its nearest place, where nearly all have a place of their own
    within ``reach``, all the same way off (a centre whose tick a line hides moves as far
    as the others); else None."""
    if len(centers) < 2 or len(places) < 2:
        return None
    step = float(np.median(np.diff(sorted(centers))))
    reach = min(reach, STEP_REACH * step)
    nearest = {c: _closest(places, c) for c in centers}
    near = {c: p for c, p in nearest.items() if abs(p - c) <= reach}
    offsets = [p - c for c, p in near.items()]
    if (
        len(near) < max(2, TICKED * len(centers))
        or len(set(near.values())) < len(near)
        or max(offsets) - min(offsets) > TICK_AGREE * step
    ):
        return None
    shift = float(np.median(offsets))
    return tuple(near.get(c, c + shift) for c in centers)


def _closest(places: list[float], center: float) -> float:
    return min(places, key=lambda place: abs(place - center))


def _on_categories(marks: list[Mark], axis: Axis | None, horizontal: bool) -> Axis | None:
    """Bars stand on categories, numbered ones included ('2', '3' under grouped bars are
    categories, not positions on a scale); so does a line or an area whose every point
    stands on a step of its numbered labels (a point per year). A numeric scale the marks
    do not stand on by steps (a histogram's, a continuous line's) stays."""
    if not isinstance(axis, NumericAxis):
        return axis
    bars = [m for m in marks if m.kind == "bar"]
    if bars:
        low, high = (1, 3) if horizontal else (0, 2)
        spans = [(b.bbox.as_tuple()[low], b.bbox.as_tuple()[high], b.color) for b in bars]
    else:
        lines = [m for m in marks if m.kind in ("line", "area")]
        spans = [
            (x, x, m.color)
            for m in lines
            for x, y in m.vertices
            if not _bend_at_crossing(axis, m, (x, y), lines)
        ]
        spans = _vertices_on_steps(axis, spans)
    return lattice_categories(axis, spans) or axis


CROSSING = 6.0  # points: a bend this near another line is where the two cross


def _bend_at_crossing(
    axis: NumericAxis, line: Mark, vertex: tuple[float, float], lines: list[Mark]
) -> bool:
    """Whether a traced line's vertex off its steps lies on another line: a bend the
    tracing added where thick lines cross and overlap for a stretch, not a point."""
    if not line.pixels:
        return False
    x, y = vertex
    place = (axis.value(x) - axis.low) / axis.step
    if abs(place - round(place)) <= BY_STEP:
        return False
    return any(
        other is not line and (at := _height_at(other, x)) is not None and abs(at - y) <= CROSSING
        for other in lines
    )


def _height_at(line: Mark, x: float) -> float | None:
    """Where a line's outline of vertices passes ``x`` (None beyond its ends)."""
    points = sorted(line.vertices)
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return None


def _vertices_on_steps(axis: NumericAxis, spans: list[Span]) -> list[Span]:
    """A traced line's vertices that stand on its numbered steps, the one nearest each
    step per colour, when nearly all do: the others are bends the tracing added (where the
    line meets another), not points of its own; or when nearly all stand right by a step
    (a marker's outline, traced, bends the line a few times round each point), those right
    by one only (a line straight across a step has no vertex there, and the tracing may
    bend it a little way off the next). All of them otherwise."""
    nearest: dict[tuple[Color, int], tuple[float, Span]] = {}
    closest: dict[tuple[Color, int], tuple[float, Span]] = {}
    close = 0
    for span in spans:
        place = (axis.value(span[0]) - axis.low) / axis.step
        off = abs(place - round(place))
        close += off <= BY_STEP
        key = (colour_key(span[2]), round(place))
        for found, within in ((nearest, OFF_STEP), (closest, BY_STEP)):
            if off <= within and (key not in found or off < found[key][0]):
                found[key] = (off, span)
    for found, enough in ((closest, close), (nearest, len(nearest))):
        if len({step for _, step in found}) >= 3 and enough >= ON_STEPS * len(spans):
            return [span for _, span in found.values()]
    return spans


def _horizontal(marks: list[Mark], x_axis: Axis | None, y_axis: Axis | None) -> bool:
    """Whether values run along x: a category axis on y, or bars of one height and many
    lengths."""
    if isinstance(x_axis, NumericAxis) != isinstance(y_axis, NumericAxis):
        return isinstance(x_axis, NumericAxis)
    bars = [m.bbox for m in marks if m.kind == "bar"]
    if len(bars) < 2:
        return False
    heights = {round(b.height, 1) for b in bars}
    widths = {round(b.width, 1) for b in bars}
    if len(heights) == 1 and len(widths) > 1:
        return True
    # Bars stand on their base line: horizontal ones share a left (or right) edge, upright
    # ones a bottom (or top) edge; a raster's bars differ in thickness by a pixel.
    return _on_one_line(bars, "x") > max(2, _on_one_line(bars, "y"))


def _on_one_line(bars: list[BBox], axis: str) -> int:
    """How many bars have an edge on the commonest line across ``axis`` (within a point)."""
    ends = [(b.x0, b.x1) if axis == "x" else (b.y0, b.y1) for b in bars]
    return max(
        sum(any(abs(e - edge) <= 1.0 for e in pair) for pair in ends)
        for edge in {e for pair in ends for e in pair}
    )


def _categories(words: list[Word], orientation: Literal["x", "y"]) -> CategoryAxis | None:
    if len(words) < 1:
        return None
    centers = tuple(anchor(w, orientation) for w in words)
    texts = tuple(_BETWEEN_DIGITS.sub("-", w.text) for w in words)
    labels, restored = restored_dates(texts, centers)
    labels, centers, added = with_unread_dates(labels, centers)
    return CategoryAxis(orientation, labels, centers, restored + tuple(("", t) for t in added))


# A minus sign (U+2212) between digits is a hyphen set in a minus's glyph (R's PDF
# device prints every '-' so): a date or a range, as a reader would type it.
_BETWEEN_DIGITS = re.compile(r"(?<=\d)\u2212(?=\d)")


def _read(
    mark: Mark, marks: list[Mark], x_axis: Axis | None, y_axis: Axis | None, horizontal: bool
) -> list[tuple[float | str, float | None]]:
    """The (x, y) data points of one mark; for horizontal bars x is the category."""
    if mark.kind == "bar":
        return _bar(mark, marks, x_axis, y_axis, horizontal)
    if mark.kind in ("point", "tick"):
        cx, cy = mark.bbox.center
        return [_point(cx, cy, x_axis, y_axis, horizontal)]
    if mark.kind == "line":
        return [_point(x, y, x_axis, y_axis, horizontal) for x, y in mark.vertices]
    if mark.kind == "area":
        return read_area(mark, x_axis, y_axis, [m for m in marks if m.kind == "area"])
    return []


def _point(
    x: float, y: float, x_axis: Axis | None, y_axis: Axis | None, horizontal: bool
) -> tuple[float | str, float | None]:
    first, second = coordinate(x_axis, x), coordinate(y_axis, y)
    if horizontal:
        first, second = second, first
    key = first if first is not None else ""
    value = second if isinstance(second, float) else None
    return key, value


def _bar(
    mark: Mark, marks: list[Mark], x_axis: Axis | None, y_axis: Axis | None, horizontal: bool
) -> list[tuple[float | str, float | None]]:
    """A bar's value: its length from the zero line (either way), its own length when
    stacked on another bar (from that bar's end, so a hairline gap between them counts),
    its two ends when it floats (ranges, Gantt bars), its centre when it is a line."""
    box = mark.bbox
    value_axis, category_axis = (x_axis, y_axis) if horizontal else (y_axis, x_axis)
    if not isinstance(value_axis, NumericAxis):
        return []
    center = box.center[1] if horizontal else box.center[0]
    category = coordinate(category_axis, center)
    key: float | str = category if category is not None else ""
    low, high = _value_ends(box, horizontal)
    if high - low < 1.5:
        return [(key, value_axis.value((low + high) / 2))]
    zero = value_axis.position(0.0) if not value_axis.log else None
    base = zero if zero is not None else value_axis.position(value_axis.low)
    inner, outer = (low, high) if abs(low - base) < abs(high - base) else (high, low)
    on_zero = _on_zero(value_axis, raster=mark.pixels > 0)
    if zero is not None and abs(inner - zero) <= on_zero:
        return [(key, value_axis.value(outer))]
    support = _support(mark, marks, inner, base, horizontal)
    if support is not None:
        return [(key, _difference(value_axis, outer, support))]
    if _on_floor(mark, marks, value_axis, inner, on_zero, horizontal):
        return [(key, value_axis.value(outer))]
    start, end = (low, high) if horizontal else (high, low)  # the base side first
    return [(key, value_axis.value(start)), (key, value_axis.value(end))]


# A line's vertex stands on a numbered step within this share of a step (turned labels
# stand a little off their ticks); a line stands on its steps when this share of its
# vertices do.
OFF_STEP, ON_STEPS, BY_STEP = 0.3, 0.75, 0.1
ON_ZERO = 1.8  # points: a bar's end this close to the zero line stands on it (a pixel or two)
ON_ZERO_STEP = 0.02  # or this share of a tick step, on a chart drawn very large
# An image's zero line is placed from OCR'd tick labels, whose boxes sit a pixel or two off
# the glyphs' centres: a raster bar's end stands on it this near.
ON_ZERO_RASTER = 3.0


def _on_zero(axis: NumericAxis, raster: bool = False) -> float:
    """How near the zero line a bar's end stands on it: a point (more in an image), or on
    a chart drawn large (a poster, a 40-megapixel image read as 72 dpi) a small share of a
    tick step, as the zero line's own width and the tick labels' placement grow with the
    drawing."""
    step_points = abs(axis.step / axis.a) if axis.a and axis.step > 0 else 0.0
    return max(ON_ZERO_RASTER if raster else ON_ZERO, ON_ZERO_STEP * step_points)


FLOOR_BARS = 3  # bars standing on one line, out of sight of the zero line, stand on the floor


def _on_floor(
    mark: Mark,
    marks: list[Mark],
    axis: NumericAxis,
    inner: float,
    on_zero: float,
    horizontal: bool,
) -> bool:
    """Whether a bar stands on the plot's floor where the value axis stops short of zero
    (its ticks from 5 up): it rises from zero out of sight, so its value is its far
    end's. Its end toward zero lies at or past the tick nearest zero, level with the ends
    of other bars; a floating bar (a Gantt chart's) starts at its own place. (A bar
    stacked on another is read from it first: an image's axis whose zero label OCR
    missed starts above zero too, and a segment on a short one stands low on it.)"""
    if axis.log or axis.low <= 0 <= axis.high:
        return False
    nearest = axis.low if axis.low > 0 else axis.high
    if abs(axis.value(inner)) > abs(nearest) + abs(axis.a) * on_zero:
        return False
    level = [
        other
        for other in marks
        if other.kind == "bar"
        and min(abs(end - inner) for end in _value_ends(other.bbox, horizontal)) <= on_zero
    ]
    return len(level) >= FLOOR_BARS


def _value_ends(box: BBox, horizontal: bool) -> tuple[float, float]:
    """A bar's two ends along the value axis."""
    return (box.x0, box.x1) if horizontal else (box.y0, box.y1)


STACK_GAP = 3.0  # points: at most this between a stacked bar and the bar it stands on
# In an image, a white outline round each segment and its anti-aliased edges add to it.
STACK_GAP_RASTER = 5.0


def _support(
    mark: Mark, marks: list[Mark], inner: float, base: float, horizontal: bool
) -> float | None:
    """The end of the bar this one is stacked on (in the same band, between it and the
    zero line, touching or a hairline apart), if there is one."""
    box = mark.bbox
    gap = STACK_GAP_RASTER if mark.pixels > 0 else STACK_GAP
    for other in marks:
        if other is mark or other.kind != "bar" or not _same_band(other.bbox, box, horizontal):
            continue
        low, high = _value_ends(other.bbox, horizontal)
        edge = high if abs(high - inner) < abs(low - inner) else low
        between = min(low, high, key=lambda v: abs(v - base))
        if abs(edge - inner) <= gap and abs(between - base) < abs(inner - base):
            return edge
    return None


def _difference(axis: NumericAxis, far: float, near: float) -> float:
    return round(axis.value(far) - axis.value(near), axis.digits)


def _same_band(other: BBox, box: BBox, horizontal: bool) -> bool:
    """Two bars over one category place: their spans across the bars mostly shared."""
    a0, a1, b0, b1 = (
        (other.y0, other.y1, box.y0, box.y1) if horizontal else (other.x0, other.x1, box.x0, box.x1)
    )
    shared = min(a1, b1) - max(a0, b0)
    return shared >= 0.8 * max(a1 - a0, b1 - b0)


def _axis_title(
    words: list[Word], labels: list[Word], plot: BBox, orientation: Literal["x", "y"]
) -> str | None:
    if not labels:
        return None
    if orientation == "x":
        below = max(w.bbox.y1 for w in labels)
        title = [
            w
            for w in words
            if below <= w.bbox.center[1]
            and w.bbox.y0 <= below + 20
            and plot.x0 - 10 <= w.bbox.center[0] <= plot.x1 + 10
        ]
    else:
        left = min(w.bbox.x0 for w in labels)
        title = [
            w
            for w in words
            if left - 25 <= w.bbox.x1 <= left + 1 and plot.y0 <= w.bbox.center[1] <= plot.y1
        ]
    return " ".join(w.text for w in title) or None
