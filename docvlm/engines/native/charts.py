"""Vector charts to Chart records: marks read from a PDF page's drawings, values from axes
calibrated on the tick labels, series named by the legend.

Bars (vertical, horizontal, grouped, stacked, negative), points, lines, areas (stacked too),
ticks and pie or doughnut wedges (values as shares of the whole). Charts whose axes cannot
be calibrated are not guessed at: the page yields no chart, and :class:`NoChart` says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from docvlm.document import Drawing, Page, Word
from docvlm.engines.native.areas import without_edge_lines
from docvlm.engines.native.axes import is_multiplier
from docvlm.engines.native.bands import without_bands
from docvlm.engines.native.cartesian import read_cartesian
from docvlm.engines.native.chart_regions import chart_regions
from docvlm.engines.native.labels import merge_line_words, rows_by_top
from docvlm.engines.native.legends import split_legend, swatchless_names
from docvlm.engines.native.marks import SWATCH, Color, Mark, chart_marks, is_gray
from docvlm.engines.native.pies import Pie, as_pie, pie_chart, pie_of_wedges
from docvlm.engines.native.printed_values import PRINTED
from docvlm.engines.native.ribbons import ribbons_as_lines
from docvlm.engines.native.stems import stems_as_bars
from docvlm.geometry import BBox
from docvlm.schemas import Chart
from docvlm.text import parse_number

OVERSHOOT = 0.08  # an axis line runs at most this share of the plot's side past it


@dataclass(frozen=True)
class FoundChart:
    """A chart, its plot area, how its values were read (axis calibrations, for a person to
    check), what it lacks (``gaps``: slices without a label) and the boxes of the marks it
    was read from."""

    chart: Chart
    bbox: BBox
    calibration: str = ""
    gaps: tuple[str, ...] = ()
    marks: tuple[BBox, ...] = ()


class NoChart(Exception):
    """Why no chart could be read from a page (one line, for ``Result.warnings``)."""


def find_charts(page: Page) -> list[FoundChart]:
    """The charts drawn on a PDF page whose axes can be read, each read in its own region
    (see ``chart_regions``); raises :class:`NoChart` saying why there is none."""
    drawings = page.drawings
    if not drawings:
        raise NoChart("no vector drawings")
    marks = chart_marks(page)
    if not marks:
        raise NoChart("no coloured marks among the drawings")
    found: list[FoundChart] = []
    failures: list[tuple[BBox, NoChart]] = []
    regions = chart_regions(page, marks)
    for region in regions:
        try:
            found += chart_from_marks(region.marks, region.words, region.drawings, text_layer=True)
        except NoChart as exc:
            failures.append((region.box, exc))
    notes = [unread_note(box, exc) for box, exc in failures]
    if (failures or on_printed_values(found)) and len(regions) > 1:
        return parts_or_whole(
            found,
            notes,
            lambda: chart_from_marks(marks, list(page.words), drawings, text_layer=True),
            failures[0][1],
        )
    if not found:
        raise failures[0][1]
    return with_notes(found, notes)


UNCALIBRATED = "axes could not be calibrated from the tick labels"


def parts_or_whole(
    found: list[FoundChart],
    notes: list[str],
    read_whole: Callable[[], list[FoundChart]],
    failure: NoChart | None = None,
) -> list[FoundChart]:
    """The charts read region by region (``notes``: the regions that gave none), or the
    page (or image) read whole where that gives as many points, or calibrates on tick
    labels a region read on the values printed on its marks: the regions may be one
    chart's parts (bar groups apart, no axis line beside them). Raises ``failure`` (by
    default, why the whole gave none) when neither gives a chart."""
    try:
        whole = read_whole()
    except NoChart as exc:
        if not found:
            raise (failure or exc) from None
        return with_notes(found, notes)
    # A region with no axis of its own, calibrated on the values printed on its marks, may
    # be a part cut off from the axis the whole has: the whole, calibrated on it, is read.
    printed_apart = on_printed_values(found) and not on_printed_values(whole)
    if printed_apart or chart_points(whole) >= chart_points(found):
        return whole
    return with_notes(found, notes)


def on_printed_values(charts: list[FoundChart]) -> bool:
    """Whether a chart among them was calibrated on the values printed on its marks."""
    return any(PRINTED in chart.calibration for chart in charts)


def with_notes(found: list[FoundChart], notes: list[str]) -> list[FoundChart]:
    """The charts with ``notes`` (charts beside them that could not be read) on the first."""
    return [replace(found[0], gaps=found[0].gaps + tuple(notes)), *found[1:]]


def chart_points(charts: list[FoundChart]) -> int:
    """How many points the charts hold, all series together, each series' point at a place
    counted once: a reading that puts a series' points at one category twice over (a
    region's one tick label taken for a category axis) holds no more than that."""
    return sum(
        len({str(point.x) for point in series.points})
        for chart in charts
        for series in chart.chart.series
    )


def unread_note(box: BBox, reason: NoChart) -> str:
    """What a page's warnings say of a chart that could not be read beside others."""
    return f"a chart at {tuple(round(v) for v in box.as_tuple())} was not read: {reason}"


def chart_from_marks(
    marks: list[Mark],
    words: list[Word],
    drawings: tuple[Drawing, ...],
    text_layer: bool = False,
    ticks: tuple[Drawing, ...] = (),
) -> list[FoundChart]:
    """A chart from its marks and the page's words (tick labels, legend, titles; from a
    text layer, whose blocks keep labels apart); ``ticks``: an image's tick marks, which
    place turned category labels. Raises :class:`NoChart` saying why there is none."""
    markers = [m.bbox for m in marks if max(m.bbox.width, m.bbox.height) <= SWATCH]
    data = [m.bbox for m in marks if m.kind == "bar" and m.bbox.area > SWATCH**2]
    words = merge_line_words(words, by_block=text_layer, apart=markers, data=data)
    drawn = marks
    legend, marks = split_legend(marks, words)
    kept = {id(m) for m in marks}
    samples = [m.bbox for m in drawn if id(m) not in kept]  # the key's (and its frame)
    marks, legend = without_edge_lines(marks, legend)
    marks = without_bands(stems_as_bars(ribbons_as_lines(marks)))
    marks = _above_label_rows(marks, words, set(legend.values()))
    if not marks:
        raise NoChart("only legend swatches, no data marks")
    wedges = as_pie(marks)
    if wedges:
        pie = pie_of_wedges(wedges)
        found = found_pie(pie, legend, words, "pie: shares of the slices' angles")
        return [replace(found, marks=tuple(m.bbox for m in wedges))]
    plot = _plot_area(marks, drawings, words)
    chart, calibration = read_cartesian(marks, legend, words, drawings, plot, ticks)
    if chart is None:
        raise NoChart(UNCALIBRATED)
    if not any(s.points for s in chart.series):
        raise NoChart("no mark could be read on the calibrated axes")
    chart.title = _title(words, plot, legend)
    # Labels not read at all, or only some of a line's points labelled: one says it.
    unread = _unread_categories(chart, marks, plot) or _points_between_labels(chart, marks)
    gaps = unread + _unread_legend_entries(chart, legend)
    gaps += _swatchless_names(chart, swatchless_names(legend, words, samples))
    return [FoundChart(chart, plot, calibration, gaps, marks=tuple(m.bbox for m in marks))]


def _above_label_rows(marks: list[Mark], words: list[Word], names: set[str]) -> list[Mark]:
    """The marks without legend-sized ones below a row of labels (three or more) that all
    the others stand above: pieces of a legend under the axis's labels not read as its
    swatches (swatches in thick frames, hatched ones), which would stretch the plot down
    over the labels, so that they label no axis."""
    rows = rows_by_top((w for w in words if w.text not in names), lambda w: w.bbox.y0)
    for row in (row for row in rows if len(row) >= 3):
        top, bottom = min(w.bbox.y0 for w in row), max(w.bbox.y1 for w in row)
        above = [m for m in marks if m.bbox.y1 <= top]
        below = [m for m in marks if m.bbox.y0 >= bottom]
        if not above or not below or len(above) + len(below) < len(marks):
            continue
        plot = BBox.enclosing(m.bbox for m in above)
        span = max(w.bbox.x1 for w in row) - min(w.bbox.x0 for w in row)
        legend_sized = all(
            min(m.bbox.width, m.bbox.height) <= SWATCH
            and max(m.bbox.width, m.bbox.height) <= 3 * SWATCH
            for m in below
        )
        if span >= plot.width / 2 and legend_sized and len(below) <= len(above):
            return above
    return marks


def _unread_legend_entries(chart: Chart, legend: dict[Color, str]) -> tuple[str, ...]:
    """Legend entries that name no series read: their marks were missed, or taken for
    another series'."""
    unread = sorted(set(legend.values()) - {series.name for series in chart.series})
    if not unread:
        return ()
    return (f"{len(unread)} legend entr(ies) name no series read: {', '.join(unread)}",)


def _swatchless_names(chart: Chart, names: list[str]) -> tuple[str, ...]:
    """Legend names no swatch was found beside: where one is, and one series left unnamed
    holds about as many points as the named ones do (others unnamed are scraps; a named
    one may hold stray marks too), that series takes it; otherwise they are reported
    (their series was likely not read: a gray one taken for a rule)."""
    named = sorted(len(s.points) for s in chart.series if s.name)
    typical = named[len(named) // 2] if named else 0
    whole = [s for s in chart.series if s.name is None and len(s.points) >= FULL * typical > 0]
    if len(names) == 1 and len(whole) == 1:
        whole[0].name = names[0]
        return ()
    if not names:
        return ()
    return (f"{len(names)} legend name(s) with no swatch read: {', '.join(names)}",)


FULL = 0.75  # a series with this share of a named one's points is a whole series


def _unread_categories(chart: Chart, marks: list[Mark], plot: BBox) -> tuple[str, ...]:
    """A line that runs across the plot, turning again and again, read at one or two
    places: its category labels were not read (turned labels OCR missed, an axis title
    taken for the one label), so most of its values are missing."""
    places = {point.x for series in chart.series for point in series.points}
    turns = max(
        (len(m.vertices) for m in marks if m.kind == "line" and m.bbox.width >= plot.width / 2),
        default=0,
    )
    if 0 < len(places) <= 2 and turns >= 4:
        return (f"a line across the plot read at {len(places)} place(s): labels not read",)
    return ()


EVEN_VERTICES = 0.5  # an even line's vertices stand at least this share of its pitch apart
BETWEEN = 1.5  # a line with this many times as many points as places read lost some


def _points_between_labels(chart: Chart, marks: list[Mark]) -> tuple[str, ...]:
    """A line chart's line drawn through points at an even step, left to right, many more
    than the places read: its axis labels only some of them (every other category named,
    or dates a quarter apart over monthly points where the dates cannot be told), and the
    points between the labels were not read."""
    places = {point.x for series in chart.series for point in series.points}
    drawn = 0
    for mark in marks:
        if mark.kind != "line" or mark.pixels or len(mark.vertices) < 4:
            continue  # a traced line's vertices are samples of it, not its points
        if _evenly_across([x for x, _ in mark.vertices]):
            drawn = max(drawn, len(mark.vertices))
    if chart.chart_type == "line" and places and drawn >= BETWEEN * len(places):
        return (
            f"a line through {drawn} points read at {len(places)} labelled place(s): "
            "the points between the labels were not read",
        )
    return ()


def _evenly_across(xs: list[float]) -> bool:
    """Whether a path, as drawn, runs one way across at an even step: a series' line over
    its points (not a step line's risers, nor a shape drawn to and fro)."""
    steps = np.diff(xs) * (1 if xs[-1] > xs[0] else -1)
    median = float(np.median(steps))
    return bool(steps.min() >= EVEN_VERTICES * median and steps.max() <= median / EVEN_VERTICES)


def found_pie(pie: Pie, legend: dict[Color, str], words: list[Word], how: str) -> FoundChart:
    """A pie or doughnut as a found chart, its slices named, titled by the words above it."""
    chart, gaps = pie_chart(pie, legend, words)
    chart.title = _title(words, pie.box, legend)
    return FoundChart(chart, pie.box, how, gaps)


def _plot_area(marks: list[Mark], drawings: tuple[Drawing, ...], words: list[Word]) -> BBox:
    """The marks' box widened to the axis and grid lines around it (tick marks are short and
    do not count; a frame beyond the tick labels is not an axis)."""
    box = BBox.enclosing(m.bbox for m in marks)
    lines = [
        d.bbox
        for d in drawings
        if d.kind == "stroke"
        and d.stroke
        and is_gray(d.stroke)
        and (d.bbox.width > 20 or d.bbox.height > 20)
    ]
    box = _to_axes_corner(lines, box, words)
    # Nearest first: the plot grows to its grid lines, then to its axes.
    lines.sort(key=lambda line: _gap(line, box))
    for whole in lines:
        line = _short_of_labels(whole, box, words)
        if _frames(line, box, words, whole):
            box = box.union(line)
    return box


def _to_axes_corner(lines: list[BBox], box: BBox, words: list[Word]) -> BBox:
    """The marks' box grown to two axis lines meeting at its lower left corner (an 'L', a
    level and an upright line ending on each other, the marks within their span), where
    no word stands between them and the marks: a scatter whose points keep clear of the
    axes leaves each line running past the marks' box further than an axis runs past its
    plot, and neither would be taken alone."""
    level = [b for b in lines if b.width > b.height]
    upright = [b for b in lines if b.height > b.width]
    for h in level:
        for v in upright:
            # The lower left corner: the axes' (a frame's other corners stand off them).
            meet_x = abs(h.x0 - v.x0) <= CORNER
            meet_y = abs(v.y1 - h.y1) <= CORNER
            spans = h.x0 - CORNER <= box.x0 and box.x1 <= h.x1 + CORNER
            spans = spans and v.y0 - CORNER <= box.y0 and box.y1 <= v.y1 + CORNER
            if not (meet_x and meet_y and spans):
                continue
            between = [
                w
                for w in words
                if _strictly_between(w.bbox, h, box, True)
                or _strictly_between(w.bbox, v, box, False)
            ]
            if not between:
                return box.union(h).union(v)
    return box


CORNER = 3.0  # points: two axis lines meeting at a corner end this close to each other


def _short_of_labels(line: BBox, box: BBox, words: list[Word]) -> BBox:
    """A line cut back where it runs into a column (or row) of tick labels beyond the
    marks, labels standing on both sides of it: in an image, a zero line meets the label
    printed at its end ('19,131' on a secondary axis, which OCR then misses) and runs on
    through it; a grid line joined to a legend's frame beyond the labels runs on between
    them; a bar's outline joined to a legend's frame in line with it runs through the
    category labels between them, or between two of them (a row of labels on both sides
    of it). (A frame passing by a column's end runs into nothing.)"""
    horizontal = line.width >= line.height
    flip = (lambda b: b) if horizontal else _transposed
    line, box = flip(line), flip(box)
    numbers = [flip(w.bbox) for w in words if parse_number(w.text) is not None]
    right = [b for b in numbers if box.x1 <= b.center[0] < line.x1]
    left = [b for b in numbers if line.x0 < b.center[0] <= box.x0]
    boxes = [flip(w.bbox) for w in words]
    if not _across(right, line):
        beyond = [b for b in boxes if box.x1 <= b.center[0] < line.x1]
        right = _crossed(beyond, line) or _row_across(beyond, line, lambda b: b.x0)
    if not _across(left, line):
        beyond = [b for b in boxes if line.x0 < b.center[0] <= box.x0]
        left = _crossed(beyond, line) or _row_across(beyond, line, lambda b: -b.x1)
    x0 = max((b.x1 for b in left), default=line.x0)
    x1 = min((b.x0 for b in right), default=line.x1)
    return flip(BBox(x0, line.y0, x1, line.y1))


def _crossed(boxes: list[BBox], line: BBox) -> list[BBox]:
    """The words beyond the marks (``boxes``, turned so that the line lies level) by the
    line, as near as their text is high, where it runs through one of them; else none."""
    if not any(b.y0 < line.center[1] < b.y1 for b in boxes):
        return []
    return [b for b in boxes if _gap_across(b, line) <= min(b.width, b.height)]


def _gap_across(word: BBox, line: BBox) -> float:
    return max(word.y0 - line.y1, line.y0 - word.y1, 0.0)


def _row_across(boxes: list[BBox], line: BBox, near: Callable[[BBox], float]) -> list[BBox]:
    """The nearest row of words beyond the marks (``boxes``, turned so that the line lies
    level; ``near``: a word's edge toward the marks) that stand on both sides of the line
    (category labels it passes between); else none."""
    for row in rows_by_top(boxes, near):
        if _across(row, line):
            return row
    return []


def _across(column: list[BBox], line: BBox) -> bool:
    """Whether labels stand both above and below a line."""
    return any(b.y1 < line.y0 for b in column) and any(b.y0 > line.y1 for b in column)


def _transposed(box: BBox) -> BBox:
    return BBox(box.y0, box.x0, box.y1, box.x1)


def _gap(line: BBox, box: BBox) -> float:
    if line.width >= line.height:
        return max(box.y0 - line.y1, line.y0 - box.y1, 0.0)
    return max(box.x0 - line.x1, line.x0 - box.x1, 0.0)


def _frames(line: BBox, box: BBox, words: list[Word], whole: BBox) -> bool:
    """A line crossing the plot so far, or one running along a side of it as an axis does
    (spanning that side and little beyond, not far from it, with no words between): a
    frame round the whole chart runs on past the tick labels. ``whole``: the line as
    drawn, before it was cut back at labels."""
    if line.intersection(box.grown(1)):
        return True
    if _runs_past_labels(whole, box, words):
        return False
    horizontal = line.width >= line.height
    along = (line.x0, line.x1, box.x0, box.x1) if horizontal else (line.y0, line.y1, box.y0, box.y1)
    if along[0] > along[2] + 1 or along[1] < along[3] - 1:
        return False
    extent = along[3] - along[2]
    if along[2] - along[0] > OVERSHOOT * extent or along[1] - along[3] > OVERSHOOT * extent:
        return False
    gap = (
        max(box.y0 - line.y1, line.y0 - box.y1)
        if horizontal
        else max(box.x0 - line.x1, line.x0 - box.x1)
    )
    if gap > 0.25 * (box.height if horizontal else box.width):
        return False
    # Tick labels between the marks and a line put it beyond the axis (a frame); a data
    # label or two printed there, next to the marks, do not. A line of words further off
    # than half its own height (a title, merged into one word) does.
    between = [w.bbox for w in words if _strictly_between(w.bbox, line, box, horizontal)]
    apart = any(_distance(word, box, horizontal) > 0.5 * word.height for word in between)
    return gap <= 0 or (len(between) < 2 and not apart)


def _runs_past_labels(whole: BBox, box: BBox, words: list[Word]) -> bool:
    """Whether a line beside the plot runs on past its ends to words beside them, level
    with the plot: tick labels under its bottom or left of its side. A frame round the
    chart (its right side passing the category labels' row) does; an axis ends at the
    plot, its tick marks short of them."""
    horizontal = whole.width >= whole.height
    for word in (w.bbox for w in words):
        if horizontal:
            past = whole.x0 <= word.center[0] < box.x0 or box.x1 < word.center[0] <= whole.x1
            level = word.y1 > box.y0 and word.y0 < box.y1
        else:
            past = whole.y0 <= word.center[1] < box.y0 or box.y1 < word.center[1] <= whole.y1
            level = word.x1 > box.x0 and word.x0 < box.x1
        if past and level:
            return True
    return False


def _distance(word: BBox, box: BBox, horizontal: bool) -> float:
    """How far a word stands off a box's nearer side, across ``horizontal`` lines."""
    if horizontal:
        return max(box.y0 - word.y1, word.y0 - box.y1, 0.0)
    return max(box.x0 - word.x1, word.x0 - box.x1, 0.0)


def _strictly_between(word: BBox, line: BBox, box: BBox, horizontal: bool) -> bool:
    x, y = word.center
    if horizontal:
        low, high = sorted((line.center[1], (box.y0 if line.y1 <= box.y0 else box.y1)))
        return low < y < high and box.x0 <= x <= box.x1
    low, high = sorted((line.center[0], (box.x0 if line.x1 <= box.x0 else box.x1)))
    return low < x < high and box.y0 <= y <= box.y1


def _title(words: list[Word], plot: BBox, legend: dict[Color, str]) -> str | None:
    """The top line of words above the plot, but not a legend standing there or an axis
    multiplier."""
    names = set(legend.values())
    above = [
        w
        for w in words
        if w.bbox.center[1] < plot.y0 - 2 and not is_multiplier(w.text) and w.text not in names
    ]
    if not above:
        return None
    first = min(w.bbox.center[1] for w in above)
    return " ".join(w.text for w in above if abs(w.bbox.center[1] - first) <= 2) or None
