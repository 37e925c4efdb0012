"""Bar charts that print no value axis, only each bar's value at its end: the numbers at
the bars' far ends and the base line the bars stand on calibrate the value axis."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.document import Word
from docvlm.engines.native.charts import FoundChart, NoChart, chart_from_marks, parts_or_whole
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from docvlm.schemas.chart import Chart, Point, Series

BASE = 250.0  # the base line the bars stand on, 8 points a unit
CATEGORIES = ["Oslo", "Rome", "Lima", "Kyiv", "Nara"]
VALUES = [12.4, 18.2, -6.3, 22.7, 7.1]
BLUE = (0.12, 0.47, 0.71)


def _columns(values: list[float], printed: list[str], inside: bool = False) -> FoundChart:
    """Columns of ``values`` with ``printed`` over each (inside its end, if ``inside``),
    category labels under the base line, and no value axis."""
    marks, words = [], []
    for i, (value, text) in enumerate(zip(values, printed, strict=True)):
        left, end = 60 + 50 * i, BASE - 8 * value
        marks.append(Mark("bar", BBox(left, min(end, BASE), left + 30, max(end, BASE)), BLUE))
        outward = -1 if value >= 0 else 1
        step = -outward if inside else outward  # from the bar's end, toward the label
        near = end + 2 * step
        far = near + 8 * step
        words.append(Word(text, BBox(left + 8, min(near, far), left + 22, max(near, far))))
        words.append(Word(CATEGORIES[i], BBox(left + 3, BASE + 60, left + 27, BASE + 70)))
    return chart_from_marks(marks, words, ())[0]


def _values(found: FoundChart) -> list[tuple[str, float]]:
    return [(str(p.x), float(p.y)) for p in found.chart.series[0].points]


def test_columns_read_on_the_values_printed_over_them() -> None:
    found = _columns(VALUES, [f"{v:g}" for v in VALUES])
    assert _values(found) == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]
    assert "values printed on the bars" in found.calibration


def test_values_printed_inside_the_bars_ends_calibrate_too() -> None:
    found = _columns(VALUES, [f"{v:g}" for v in VALUES], inside=True)
    assert [v for _, v in _values(found)] == pytest.approx(VALUES, abs=0.01)


def test_rounded_labels_calibrate_and_the_bars_are_read_finer() -> None:
    """Values printed to whole numbers still fit (each within half a unit); the bars are
    read from their lengths, to a digit finer than the labels."""
    found = _columns(VALUES, [f"{v:.0f}" for v in VALUES])
    assert [v for _, v in _values(found)] == pytest.approx(VALUES, abs=0.3)
    assert any(v != round(v) for _, v in _values(found))


def test_one_misread_label_among_four_or_more_is_left_out() -> None:
    """A label OCR misread ('7' as '1') misses the line the others fit: with four or more,
    the axis is fitted without it."""
    printed = [f"{v:g}" for v in VALUES]
    printed[-1] = "1"
    found = _columns(VALUES, printed)
    assert [v for _, v in _values(found)] == pytest.approx(VALUES, abs=0.01)


def test_numbers_that_are_not_the_bars_values_calibrate_nothing() -> None:
    """Numbers over the bars that no straight line through the base line fits (ranks,
    not values) are no axis: there is no chart, as before."""
    with pytest.raises(NoChart, match="could not be calibrated"):
        _columns(VALUES, ["3", "2", "5", "1", "4"])


def _line(values: list[float], printed: list[str]) -> FoundChart:
    """A line through ``values`` (10 points a unit, from y=300 at 0) with ``printed`` over
    each vertex, category labels under it, and no value axis."""
    vertices = [(80.0 + 60 * i, 300 - 10 * v) for i, v in enumerate(values)]
    line = Mark("line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), BLUE, vertices)
    words = [
        Word(t, BBox(x - 7, y - 14, x + 7, y - 5))
        for t, (x, y) in zip(printed, vertices, strict=True)
    ]
    words += [
        Word(c, BBox(x - 12, 420, x + 12, 430))
        for c, (x, _) in zip(CATEGORIES, vertices, strict=True)
    ]
    return chart_from_marks([line], words, ())[0]


def test_a_line_reads_on_the_values_printed_over_its_points() -> None:
    found = _line(VALUES, [f"{v:g}" for v in VALUES])
    assert _values(found) == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]
    assert "values printed at the points" in found.calibration


def test_numbers_over_a_line_that_no_straight_line_fits_calibrate_nothing() -> None:
    with pytest.raises(NoChart, match="could not be calibrated"):
        _line(VALUES, ["1", "2", "3", "4", "5"])


def test_bars_on_their_side_read_on_the_values_at_their_ends(tmp_path) -> None:
    """A PDF of bars lying on their side, each with its value printed inside its end, in
    white, and no value axis: read through the whole pipeline, calibrated on the values."""
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=260)
    values = [abs(v) for v in VALUES]
    for i, (name, value) in enumerate(zip(CATEGORIES, values, strict=True)):
        top, end = 30 + 40 * i, 80 + 12 * value
        page.draw_rect(pymupdf.Rect(80, top, end, top + 24), color=None, fill=BLUE)
        text = f"{value:g}"
        page.insert_text(
            (end - 4 - pymupdf.get_text_length(text, fontsize=8), top + 15),
            text,
            fontsize=8,
            color=(1, 1, 1),
        )
        page.insert_text(
            (76 - pymupdf.get_text_length(name, fontsize=9), top + 15), name, fontsize=9
        )
    path = tmp_path / "bars.pdf"
    doc.save(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    points = result.records[0].series[0].points
    assert [(p.x, p.y) for p in points] == [
        (c, pytest.approx(v, abs=0.05)) for c, v in zip(CATEGORIES, values, strict=True)
    ]


def test_an_image_s_white_numbers_inside_its_columns_calibrate_it(tmp_path) -> None:
    """An image of columns, each with its value printed small and white inside its top,
    and no value axis: a reading of the whole image passes over light text on the dark
    bars, so the bars are read again, each on its own colour."""
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=260)
    values = [12, 18, 6, 22, 7]
    for i, (name, value) in enumerate(zip(CATEGORIES, values, strict=True)):
        left, top = 40 + 70 * i, 220 - 8 * value
        page.draw_rect(pymupdf.Rect(left, top, left + 25, 220), color=None, fill=BLUE)
        text = str(value)
        width = pymupdf.get_text_length(text, fontsize=7)
        page.insert_text((left + 12.5 - width / 2, top + 9), text, fontsize=7, color=(1, 1, 1))
        width = pymupdf.get_text_length(name, fontsize=9)
        page.insert_text((left + 12.5 - width / 2, 234), name, fontsize=9)
    path = tmp_path / "columns.png"
    page.get_pixmap(dpi=150).save(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    points = result.records[0].series[0].points
    assert [p.x for p in points] == CATEGORIES
    assert [p.y for p in points] == pytest.approx(values, abs=0.2)


def _found(points: int, calibration: str) -> FoundChart:
    chart = Chart(
        chart_type="bar",
        series=[Series(name="A", points=[Point(x=str(i), y=float(i)) for i in range(points)])],
    )
    return FoundChart(chart, BBox(0, 0, 100, 100), calibration)


def test_regions_read_on_printed_values_give_way_to_the_whole_read_on_its_axis() -> None:
    """A page's regions, one of them cut off from the value axis the page has and read on
    the values printed on its bars, are one chart's parts: the page read whole, on its
    tick labels, is taken, though the parts hold more points (stray marks among them)."""
    parts = [_found(5, "x axis: ... (values printed on the bars 0 to 600)"), _found(2, "ticks")]
    whole = [_found(6, "x axis: ... (tick labels 0 to 700)")]
    assert parts_or_whole(parts, [], lambda: whole) == whole
    plain = [_found(5, "x axis: ... (tick labels 0 to 600)"), _found(2, "ticks")]
    assert parts_or_whole(plain, [], lambda: whole) == plain
