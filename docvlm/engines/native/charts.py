"""Vector charts to Chart records: marks read from a PDF page's drawings, values from axes
calibrated on the tick labels, series named by the legend.

Bars (vertical, horizontal, grouped, stacked, negative), points, lines, areas (stacked too),
ticks and pie or doughnut wedges (values as shares of the whole). Charts whose axes cannot
be calibrated are not guessed at: the page yields no chart.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from docvlm.document import Drawing, Page, Word
from docvlm.engines.native.axes import (
    CategoryAxis,
    NumericAxis,
    label_column,
    label_rows,
    merge_line_words,
    numeric_axis,
)
from docvlm.geometry import BBox
from docvlm.schemas import Chart
from docvlm.text import parse_number

Color = tuple[float, ...]
MarkKind = Literal["bar", "point", "line", "area", "wedge", "tick"]
SWATCH = 16.0  # points: legend symbols and scatter points are at most this big
LEGEND_GAP = 18.0  # points: at most this between a legend symbol and its label


@dataclass
class Mark:
    kind: MarkKind
    bbox: BBox
    color: Color
    vertices: list[tuple[float, float]] = field(default_factory=list)
    pixels: float = 0.0  # raster marks: how many pixels the region covers


@dataclass(frozen=True)
class FoundChart:
    """A chart, its plot area, and how its values were read (axis calibrations, for a
    person to check)."""

    chart: Chart
    bbox: BBox
    calibration: str = ""


def find_charts(page: Page) -> list[FoundChart]:
    """The chart drawn on a PDF page (one per page for now), if its axes can be read."""
    drawings = page.drawings
    if not drawings:
        return []
    marks = [m for m in (_mark(d, page) for d in drawings) if m is not None]
    return chart_from_marks(marks, list(page.words), drawings)


def chart_from_marks(
    marks: list[Mark], words: list[Word], drawings: tuple[Drawing, ...]
) -> list[FoundChart]:
    """A chart from its marks and the page's words (tick labels, legend, titles)."""
    words = merge_line_words(words)
    legend, marks = _split_legend(marks, words)
    if not marks:
        return []
    plot = _plot_area(marks, drawings)
    wedges = _as_pie(marks)
    chart: Chart | None
    if wedges:
        chart, calibration = _pie(wedges, legend), "pie: shares of the slices' angles"
    else:
        chart, calibration = _pie_from_pixels(marks, legend), "pie: shares of the slices' pixels"
    if chart is None:
        chart, calibration = _cartesian(marks, legend, words, drawings, plot)
    if chart is None or not any(s.points for s in chart.series):
        return []
    chart.title = _title(words, plot)
    return [FoundChart(chart, plot, calibration)]


def _mark(drawing: Drawing, page: Page) -> Mark | None:
    color = drawing.fill if drawing.kind != "stroke" else drawing.stroke
    if color is None or _is_gray(color) or drawing.bbox.area > 0.8 * page.bbox.area:
        return None
    ops = [item[0] for item in drawing.items]
    # Path ends only: a curve's control points lie off the outline.
    vertices = [p for item in drawing.items if item[0] in ("l", "c") for p in (item[1], item[-1])]
    box = drawing.bbox
    if ops == ["re"] and drawing.kind != "stroke":
        return Mark("bar", box, color)
    if drawing.kind == "stroke" and len(ops) == 1 and ops[0] == "l":
        return Mark(
            "tick" if max(box.width, box.height) <= 2 * SWATCH else "line", box, color, vertices
        )
    if max(box.width, box.height) <= SWATCH:
        return Mark("point", box, color, vertices)
    if drawing.kind == "stroke":
        return Mark("line", box, color, _dedupe(vertices))
    return Mark("area", box, color, _dedupe(vertices))


def _is_gray(color: Color) -> bool:
    return max(color) - min(color) < 0.02


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for point in points:
        if not out or math.dist(out[-1], point) > 0.01:
            out.append(point)
    return out


def _as_pie(marks: list[Mark]) -> list[Mark]:
    """The marks as pie or doughnut slices, if every one is a filled outline whose points lie
    on one or two circles around the centre of them all; else nothing."""
    shapes = [m for m in marks if m.kind == "area" and len(m.vertices) >= 3]
    if len(shapes) < 2 or len(shapes) != len(marks):
        return []
    center, outer = _pie_center(shapes)
    for shape in shapes:
        radii = [math.dist(center, v) for v in shape.vertices if math.dist(center, v) > 1]
        rim = [r for r in radii if abs(r - outer) <= 0.03 * outer + 0.5]
        inside = [r for r in radii if abs(r - outer) > 0.03 * outer + 0.5]
        if len(rim) < 2 or (inside and max(inside) - min(inside) > 0.03 * outer + 0.5):
            return []
    for shape in shapes:
        shape.kind = "wedge"
    return shapes


def _split_legend(marks: list[Mark], words: list[Word]) -> tuple[dict[Color, str], list[Mark]]:
    """Small swatches with a label right beside them are legend entries, not data."""
    legend: dict[Color, str] = {}
    data = []
    for mark in marks:
        label = None
        swatch = max(mark.bbox.width, mark.bbox.height) <= SWATCH or (
            mark.kind in ("tick", "line", "bar")
            and mark.bbox.height <= SWATCH
            and mark.bbox.width <= 2 * SWATCH
        )
        if swatch:
            label = next(
                (
                    w
                    for w in words
                    if 0 <= w.bbox.x0 - mark.bbox.x1 <= LEGEND_GAP
                    and abs(w.bbox.center[1] - mark.bbox.center[1]) <= 4
                ),
                None,
            )
        if (
            label is not None
            and label.text
            and (parse_number(label.text) is None or _in_column(mark, marks))
        ):
            legend[_key(mark.color)] = label.text
        else:
            data.append(mark)
    if len(legend) < 1:
        return {}, marks
    return legend, data


def _in_column(mark: Mark, marks: list[Mark]) -> bool:
    """Whether other swatches of the same size stand in a column with this one (a legend)."""
    return any(
        other is not mark
        and abs(other.bbox.x0 - mark.bbox.x0) < 0.5
        and abs(other.bbox.width - mark.bbox.width) < 0.5
        and other.color != mark.color
        for other in marks
    )


def _key(color: Color) -> Color:
    return tuple(round(c, 2) for c in color)


def _plot_area(marks: list[Mark], drawings: tuple[Drawing, ...]) -> BBox:
    """The marks' box widened to the axis and grid lines around it (tick marks are short and
    do not count)."""
    box = BBox.enclosing(m.bbox for m in marks)
    lines = [
        d.bbox
        for d in drawings
        if d.kind == "stroke"
        and d.stroke
        and _is_gray(d.stroke)
        and (d.bbox.width > 20 or d.bbox.height > 20)
    ]
    return BBox.enclosing([box, *(line for line in lines if _frames(line, box))])


def _frames(line: BBox, box: BBox) -> bool:
    """A line crossing the marks' box, or one running along a side of it as an axis does
    (spanning most of that side, not far from it)."""
    if line.intersection(BBox(box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1)):
        return True
    horizontal = line.width >= line.height
    along = (line.x0, line.x1, box.x0, box.x1) if horizontal else (line.y0, line.y1, box.y0, box.y1)
    if along[0] > along[2] + 1 or along[1] < along[3] - 1:
        return False
    gap = (
        max(box.y0 - line.y1, line.y0 - box.y1)
        if horizontal
        else max(box.x0 - line.x1, line.x0 - box.x1)
    )
    return gap <= 0.25 * (box.height if horizontal else box.width)


def _ticks(drawings: tuple[Drawing, ...], plot: BBox) -> tuple[list[float], list[float]]:
    """Positions of the short gray tick marks below (x) and left of (y) the plot area."""
    xs, ys = [], []
    for d in drawings:
        b = d.bbox
        if not d.stroke or not _is_gray(d.stroke):
            continue
        if b.width < 0.5 and 2 <= b.height <= 10 and b.y0 >= plot.y1 - 1:
            xs.append(b.x0)
        elif b.height < 0.5 and 2 <= b.width <= 10 and b.x1 <= plot.x0 + 1:
            ys.append(b.y0)
    return xs, ys


Axis = NumericAxis | CategoryAxis


def _cartesian(
    marks: list[Mark],
    legend: dict[Color, str],
    words: list[Word],
    drawings: tuple[Drawing, ...],
    plot: BBox,
) -> tuple[Chart | None, str]:
    """The chart read on its axes, and the axes' calibration in words."""
    ticks_x, ticks_y = _ticks(drawings, plot)
    rows, column = label_rows(words, plot), label_column(words, plot)
    x_axis: Axis | None = numeric_axis(rows, "x", ticks_x) or _categories(rows, "x")
    y_axis: Axis | None = numeric_axis(column, "y", ticks_y) or _categories(column, "y")
    if not isinstance(x_axis, NumericAxis) and not isinstance(y_axis, NumericAxis):
        return None, ""
    calibration = "; ".join(axis.describe() for axis in (x_axis, y_axis) if axis is not None)
    horizontal = _horizontal(marks, x_axis, y_axis)
    series: dict[Color, list[tuple[float | str, float | None]]] = defaultdict(list)
    kinds = Counter(m.kind for m in marks)
    for mark in marks:
        for x, y in _read(mark, marks, x_axis, y_axis, horizontal):
            series[_key(mark.color)].append((x, y))
    chart_type = {
        "bar": "bar",
        "point": "scatter",
        "tick": "scatter",
        "line": "line",
        "area": "area",
    }[kinds.most_common(1)[0][0]]
    chart = Chart.model_validate(
        {
            "chart_type": chart_type,
            "x_label": _axis_title(words, rows, plot, "x"),
            "y_label": _axis_title(words, column, plot, "y"),
            "series": [
                {"name": legend.get(color), "points": [{"x": x, "y": y} for x, y in points]}
                for color, points in series.items()
            ],
        }
    )
    return chart, calibration


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
    return len(heights) == 1 and len(widths) > 1


def _categories(words: list[Word], orientation: Literal["x", "y"]) -> CategoryAxis | None:
    if len(words) < 1:
        return None
    centers = tuple(w.bbox.center[0 if orientation == "x" else 1] for w in words)
    return CategoryAxis(orientation, tuple(w.text for w in words), centers)


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
        return _area(mark, x_axis, y_axis)
    return []


def _coordinate(axis: Axis | None, position: float) -> float | str | None:
    if isinstance(axis, NumericAxis):
        return axis.value(position)
    if isinstance(axis, CategoryAxis):
        return axis.nearest(position)
    return None


def _point(
    x: float, y: float, x_axis: Axis | None, y_axis: Axis | None, horizontal: bool
) -> tuple[float | str, float | None]:
    first, second = _coordinate(x_axis, x), _coordinate(y_axis, y)
    if horizontal:
        first, second = second, first
    key = first if first is not None else ""
    value = second if isinstance(second, float) else None
    return key, value


def _bar(
    mark: Mark, marks: list[Mark], x_axis: Axis | None, y_axis: Axis | None, horizontal: bool
) -> list[tuple[float | str, float | None]]:
    """A bar's value: its length from the zero line, its own length when stacked on another
    bar, its two ends when it floats (ranges, Gantt bars), its centre when it is a line."""
    box = mark.bbox
    value_axis, category_axis = (x_axis, y_axis) if horizontal else (y_axis, x_axis)
    if not isinstance(value_axis, NumericAxis):
        return []
    center = box.center[1] if horizontal else box.center[0]
    category = _coordinate(category_axis, center)
    key: float | str = category if category is not None else ""
    near, far = (box.x0, box.x1) if horizontal else (box.y1, box.y0)  # base side first
    zero = value_axis.position(0.0) if not value_axis.log else None
    if abs(far - near) < 1.5:
        return [(key, value_axis.value((near + far) / 2))]
    if zero is not None and abs(near - zero) <= 0.75:
        return [(key, value_axis.value(far))]
    if zero is not None and abs(far - zero) <= 0.75:
        return [(key, value_axis.value(near))]  # a negative bar hangs from zero
    if any(m is not mark and m.kind == "bar" and _touches(m.bbox, box, horizontal) for m in marks):
        return [(key, _difference(value_axis, far, near))]
    return [(key, value_axis.value(near)), (key, value_axis.value(far))]


def _difference(axis: NumericAxis, far: float, near: float) -> float:
    return round(axis.value(far) - axis.value(near), axis.digits)


def _touches(other: BBox, box: BBox, horizontal: bool) -> bool:
    if horizontal:
        same_band = abs(other.y0 - box.y0) < 0.5 and abs(other.y1 - box.y1) < 0.5
        return same_band and abs(other.x1 - box.x0) < 0.75
    same_band = abs(other.x0 - box.x0) < 0.5 and abs(other.x1 - box.x1) < 0.5
    return same_band and abs(other.y0 - box.y1) < 0.75


def _area(
    mark: Mark, x_axis: Axis | None, y_axis: Axis | None
) -> list[tuple[float | str, float | None]]:
    """An area's upper edge, as heights above its lower edge (stacked areas stack)."""
    by_x: dict[float, list[float]] = defaultdict(list)
    for x, y in mark.vertices:
        by_x[round(x, 1)].append(y)
    points: list[tuple[float | str, float | None]] = []
    for x in sorted(by_x):
        ys = by_x[x]
        key = _coordinate(x_axis, x)
        if not isinstance(y_axis, NumericAxis) or key is None:
            continue
        top, bottom = min(ys), max(ys)
        base = y_axis.value(bottom) if len(ys) > 1 else 0.0
        points.append((key, round(y_axis.value(top) - base, y_axis.digits)))
    return points


def _pie_center(shapes: list[Mark]) -> tuple[tuple[float, float], float]:
    """The centre and outer radius of a pie: the vertex every slice shares, or (doughnuts)
    the middle of them all."""
    box = BBox.enclosing(m.bbox for m in shapes)
    center = box.center
    for x, y in shapes[0].vertices:
        if all(any(math.dist((x, y), v) < 0.5 for v in s.vertices) for s in shapes[1:]):
            center = (x, y)
            break
    outer = max(math.dist(center, v) for s in shapes for v in s.vertices)
    return center, outer


def _pie(wedges: list[Mark], legend: dict[Color, str]) -> Chart:
    center, _ = _pie_center(wedges)
    spans = [_angular_span(m.vertices, center) for m in wedges]
    total = sum(spans) or 1.0
    return Chart.model_validate(
        {
            "chart_type": "pie",
            "series": [
                {
                    "name": None,
                    "points": [
                        {
                            "x": legend.get(_key(m.color), f"slice {i + 1}"),
                            "y": round(span / total, 6),
                        }
                        for i, (m, span) in enumerate(zip(wedges, spans, strict=True))
                    ],
                }
            ],
        }
    )


def _pie_from_pixels(marks: list[Mark], legend: dict[Color, str]) -> Chart | None:
    """A raster pie or doughnut without axes: slices are the colours of a round blob, and a
    slice's share of the pixels is its share of the whole."""
    if any(m.pixels <= 0 for m in marks) or len(marks) < 2:
        return None
    largest = max(m.pixels for m in marks)
    marks = [m for m in marks if m.pixels >= 0.01 * largest]  # anti-aliasing crumbs
    box = BBox.enclosing(m.bbox for m in marks)
    if not 0.9 <= box.width / max(box.height, 1e-9) <= 1.1:
        return None
    cx, cy = box.center
    slack = 0.03 * box.width
    if not all(
        m.bbox.x0 - slack <= cx <= m.bbox.x1 + slack
        and m.bbox.y0 - slack <= cy <= m.bbox.y1 + slack
        for m in marks
    ):
        return None  # every slice of a pie reaches its centre
    by_colour: dict[Color, float] = defaultdict(float)
    for mark in marks:
        by_colour[_key(mark.color)] += mark.pixels
    if len(by_colour) < 2:
        return None
    total = sum(by_colour.values())
    return Chart.model_validate(
        {
            "chart_type": "pie",
            "series": [
                {
                    "name": None,
                    "points": [
                        {"x": legend.get(colour, f"slice {i + 1}"), "y": round(count / total, 4)}
                        for i, (colour, count) in enumerate(by_colour.items())
                    ],
                }
            ],
        }
    )


def _angular_span(vertices: list[tuple[float, float]], center: tuple[float, float]) -> float:
    angles = sorted(
        math.atan2(y - center[1], x - center[0])
        for x, y in vertices
        if math.dist((x, y), center) > 1
    )
    if len(angles) < 2:
        return 0.0
    gaps = [b - a for a, b in itertools.pairwise(angles)]
    gaps.append(angles[0] + 2 * math.pi - angles[-1])
    return 2 * math.pi - max(gaps)  # the slice covers all but its largest empty gap


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
            if below - 1 <= w.bbox.y0 <= below + 20
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


def _title(words: list[Word], plot: BBox) -> str | None:
    above = [w for w in words if w.bbox.y1 <= plot.y0 - 2]
    if not above:
        return None
    first = min(w.bbox.center[1] for w in above)
    return " ".join(w.text for w in above if abs(w.bbox.center[1] - first) <= 2) or None
