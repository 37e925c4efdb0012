"""Line series in chart images drawn in bold strokes: a line as thick as an office
style's boldest is a line, not an area."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

BLUE, RED = (68, 114, 196), (192, 80, 77)
QUARTERS = ["Q1", "Q2", "Q3", "Q4", "Q5"]
CENTRES = [80, 160, 240, 320, 400]
FOOT, PER_UNIT = 250, 2.0  # y of the value 0, pixels per unit of value


def _y(value: float) -> float:
    return FOOT - PER_UNIT * value


def _axes_and_labels(draw: ImageDraw.ImageDraw) -> list[Word]:
    """Black axes from 60 to 420 across and 40 to FOOT up, and their labels' words: the
    values 0 to 100 and the quarters at CENTRES."""
    draw.line([(60, FOOT), (420, FOOT)], fill=(0, 0, 0), width=1)
    draw.line([(60, 40), (60, FOOT)], fill=(0, 0, 0), width=1)
    words = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    return words + [
        Word(q, BBox(x - 8, FOOT + 8, x + 8, FOOT + 18))
        for q, x in zip(QUARTERS, CENTRES, strict=True)
    ]


def test_bold_lines_are_lines() -> None:
    """Two series drawn 5 points thick (the anti-aliased span of a 4.5-point stroke)."""
    series = {"North": (BLUE, [20, 60, 35, 80, 50]), "South": (RED, [70, 40, 90, 25, 60])}
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    words = _axes_and_labels(draw)
    for row, (name, (colour, values)) in enumerate(series.items()):
        points = [(x, _y(v)) for x, v in zip(CENTRES, values, strict=True)]
        draw.line(points, fill=colour, width=5, joint="curve")
        y = 60 + 20 * row
        draw.line([(440, y), (460, y)], fill=colour, width=5)  # the legend's swatch
        words.append(Word(name, BBox(466, y - 5, 500, y + 5)))
    chart = find_raster_charts(image, words, 1.0)[0].chart
    assert chart.chart_type == "line"
    read = {s.name: [round(p.y) for p in s.points] for s in chart.series}
    assert read.keys() == series.keys()
    for name, (_, values) in series.items():
        assert all(abs(a - b) <= 2 for a, b in zip(read[name], values, strict=True)), name


def test_years_stay_categories_beside_a_stray_unnamed_piece() -> None:
    """Lines with a point on each year, and a piece of one line in a colour that its
    anti-aliasing blended (no legend's), turning between the years: the years are still
    the categories, the named lines read at each."""
    years = ["1998", "1999", "2000", "2001"]
    xs = [100.0, 200.0, 300.0, 400.0]
    words = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    words += [
        Word(t, BBox(x - 12, FOOT + 8, x + 12, FOOT + 18)) for t, x in zip(years, xs, strict=True)
    ]
    words += [Word("North", BBox(466, 55, 500, 65)), Word("South", BBox(466, 75, 500, 85))]
    blue, red, pink = (0.27, 0.45, 0.77), (0.75, 0.31, 0.3), (0.98, 0.44, 0.34)
    north, south = [20, 60, 35, 80], [70, 40, 90, 25]

    def line(colour: tuple[float, float, float], points: list[tuple[float, float]]) -> Mark:
        return Mark("line", BBox.enclosing(BBox(x, y, x, y) for x, y in points), colour, points)

    marks = [
        line(blue, [(x, _y(v)) for x, v in zip(xs, north, strict=True)]),
        line(red, [(x, _y(v)) for x, v in zip(xs, south, strict=True)]),
        line(pink, [(230.0, _y(50)), (262.0, _y(68)), (288.0, _y(84))]),
        Mark("line", BBox(440, 59, 460, 61), blue, [(440, 60), (460, 60)]),
        Mark("line", BBox(440, 79, 460, 81), red, [(440, 80), (460, 80)]),
    ]
    axes = (
        Drawing(BBox(60, FOOT, 420, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
        Drawing(BBox(60, 40, 60, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    )
    chart = chart_from_marks(marks, words, axes)[0].chart
    steps = {float(year) for year in years}
    assert {float(p.x) for s in chart.series for p in s.points} <= steps  # nothing between
    read = {s.name: [round(p.y) for p in s.points] for s in chart.series}
    assert read["North"] == north and read["South"] == south


def _axes() -> tuple[Drawing, ...]:
    return (
        Drawing(BBox(60, FOOT, 420, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
        Drawing(BBox(60, 40, 60, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    )


def test_a_line_read_at_few_of_its_turns_says_its_labels_were_not_read() -> None:
    """A line turning at six places across the plot, of whose category labels only two
    were read: the chart says so, rather than pass for a two-point line."""
    ticks = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    labels = [Word("Jan", BBox(88, FOOT + 8, 112, FOOT + 18))]
    labels.append(Word("Feb", BBox(148, FOOT + 8, 172, FOOT + 18)))
    turns = [(100.0, _y(20)), (160.0, _y(60)), (220.0, _y(35)), (280.0, _y(80))]
    turns += [(340.0, _y(50)), (400.0, _y(70))]
    line = Mark("line", BBox(100, _y(80), 400, _y(20)), (0.27, 0.45, 0.77), turns)
    found = chart_from_marks([line], ticks + labels, _axes())[0]
    assert [round(p.y) for p in found.chart.series[0].points] == [20, 60]
    assert found.gaps == ("a line across the plot read at 2 place(s): labels not read",)
    every = labels + [
        Word(m, BBox(x - 12, FOOT + 8, x + 12, FOOT + 18))
        for m, x in (("Mar", 220), ("Apr", 280), ("May", 340), ("Jun", 400))
    ]
    assert chart_from_marks([line], ticks + every, _axes())[0].gaps == ()


PALE_BLUE, STRONG_RED, BOLD_GREEN = (126, 176, 213), (230, 60, 50), (30, 120, 40)


def test_a_pale_thin_line_crossing_a_strong_one_is_read() -> None:
    """A pale blue line and a strong red one, a pixel and a half wide and anti-aliased,
    cross: their strokes are one connected bit, whose strongest pixels are all red, yet
    the blue line keeps its own colour and is read."""
    series = {
        "Pale": (PALE_BLUE, [90, 85, 40, 30, 20]),
        "Strong": (STRONG_RED, [20, 35, 50, 70, 60]),
        "Bold": (BOLD_GREEN, [60, 20, 30, 45, 85]),
    }
    big = 4  # drawn four times larger, then shrunk: anti-aliased as a browser draws
    image = Image.new("RGB", (520 * big, 300 * big), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60 * big, FOOT * big), (420 * big, FOOT * big)], fill=(0, 0, 0), width=big)
    draw.line([(60 * big, 40 * big), (60 * big, FOOT * big)], fill=(0, 0, 0), width=big)
    for colour, values in series.values():
        points = [(x * big, _y(v) * big) for x, v in zip(CENTRES, values, strict=True)]
        draw.line(points, fill=colour, width=6 if colour == PALE_BLUE else 10, joint="curve")
    image = image.resize((520, 300), Image.Resampling.LANCZOS)
    draw = ImageDraw.Draw(image)
    for row, (colour, _) in enumerate(series.values()):  # crisp legend boxes: no fringe
        draw.rectangle([440, 58 + 20 * row, 460, 62 + 20 * row], fill=colour)
    words = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    words += [
        Word(q, BBox(x - 8, FOOT + 8, x + 8, FOOT + 18))
        for q, x in zip(QUARTERS, CENTRES, strict=True)
    ]
    words += [
        Word(name, BBox(466, 55 + 20 * row, 500, 65 + 20 * row)) for row, name in enumerate(series)
    ]
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = {s.name: [round(p.y) for p in s.points] for s in chart.series}
    assert read.keys() == series.keys()
    for name, (_, values) in series.items():
        assert all(abs(a - b) <= 2 for a, b in zip(read[name], values, strict=True)), name


def test_a_bar_whose_top_a_line_cuts_off_is_read_to_its_top() -> None:
    """A line drawn over bars crosses one just under its top: the strip of the bar left
    over the line was read as a bar of its own, 2 high, beside the bar read up to where
    the line starts."""
    bars, line = [40, 65, 30, 50, 45], [55, 62, 70, 72, 75]
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    words = _axes_and_labels(draw)
    for x, value in zip(CENTRES, bars, strict=True):
        draw.rectangle([(x - 20, _y(value)), (x + 19, FOOT - 1)], fill=RED)
    # Under the second bar's top at its left side, over it at its right.
    draw.line([(x, _y(v)) for x, v in zip(CENTRES, line, strict=True)], fill=BLUE, width=3)
    draw.rectangle([(440, 55), (460, 65)], fill=RED)  # the legend's swatches
    draw.line([(440, 80), (460, 80)], fill=BLUE, width=3)
    words += [Word("Sales", BBox(466, 55, 500, 65)), Word("Trend", BBox(466, 75, 500, 85))]
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = {s.name: [p.y for p in s.points] for s in chart.series}
    assert read["Sales"] == [pytest.approx(v, abs=1.0) for v in bars]


def test_a_bar_whose_top_a_line_runs_along_reaches_to_the_line_s_middle() -> None:
    """A bold line drawn over bars runs level along one bar's top, hiding it: the bar was
    read where the line starts, 2 short (half the line's width)."""
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    words = _axes_and_labels(draw)
    bars, line = [40, 65, 30, 50, 45], [80, 70, 62, 62, 85]
    for x, value in zip(CENTRES, bars, strict=True):
        draw.rectangle([(x - 20, _y(value)), (x + 19, FOOT - 1)], fill=RED)
    draw.line([(x, _y(v)) for x, v in zip(CENTRES, line, strict=True)], fill=BLUE, width=7)
    # A level stretch of it over the fourth bar, its middle on the bar's top.
    draw.line([(CENTRES[3] - 30, _y(50)), (CENTRES[3] + 30, _y(50))], fill=BLUE, width=7)
    draw.rectangle([(440, 55), (460, 65)], fill=RED)  # the legend's swatches
    draw.line([(440, 80), (460, 80)], fill=BLUE, width=7)
    words += [Word("Sales", BBox(466, 55, 500, 65)), Word("Trend", BBox(466, 75, 500, 85))]
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = {s.name: [p.y for p in s.points] for s in chart.series}
    assert read["Sales"] == [pytest.approx(v, abs=0.75) for v in bars]


def test_a_line_s_first_stretch_a_value_label_cuts_off_is_part_of_it() -> None:
    """A steep first stretch, cut 20 points off its first point by the box of a value label
    printed across it (a gap 30 points deep, a few columns wide), shorter than a tenth
    of the line: it is still the line's, and its first point is read."""
    values = [5, 95, 60, 75, 40]
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    words = _axes_and_labels(draw)
    points = [(x, _y(v)) for x, v in zip(CENTRES, values, strict=True)]
    draw.line(points, fill=BLUE, width=3)
    label = BBox(88, _y(5) - 70, 106, _y(5) - 40)  # over the line from x 98 to 106
    draw.rectangle(label.as_tuple(), fill="white")
    words.append(Word("5", label))
    chart = find_raster_charts(image, words, 1.0)[0].chart
    (line,) = chart.series
    read = {p.x: round(p.y) for p in line.points}
    assert read.keys() == set(QUARTERS)
    assert all(abs(read[q] - v) <= 2 for q, v in zip(QUARTERS, values, strict=True)), read


def test_a_bold_line_swelling_at_its_sharp_turns_alone_is_read_at_every_point() -> None:
    """A bold line whose joins swell where it turns sharply (a web library's mitred joins),
    at three of its seven points and at neither end, and turns gently at the others: the
    swellings are no markers (a line through markers runs straight from one to the next),
    and it is read at all seven points, not at the three."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    values = [20, 80, 70, 30, 40, 90, 50]
    xs = [80 + 55 * k for k in range(7)]
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, FOOT), (440, FOOT)], fill=(0, 0, 0), width=1)
    draw.line([(60, 40), (60, FOOT)], fill=(0, 0, 0), width=1)
    words = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    words += [
        Word(d, BBox(x - 10, FOOT + 8, x + 10, FOOT + 18)) for d, x in zip(days, xs, strict=True)
    ]
    points = [(x, _y(v)) for x, v in zip(xs, values, strict=True)]
    draw.line(points, fill=BLUE, width=4)
    for k in (1, 3, 5):  # the sharp turns: a join's tip juts past its point
        x, y = points[k]
        tip = y - 3 if y < points[k - 1][1] else y + 3
        draw.ellipse([(x - 6, tip - 6), (x + 6, tip + 6)], fill=BLUE)
    chart = find_raster_charts(image, words, 1.0)[0].chart
    (line,) = chart.series
    read = {p.x: round(p.y) for p in line.points}
    assert list(read) == days
    assert all(abs(read[d] - v) <= 3 for d, v in zip(days, values, strict=True)), read


def test_the_bar_of_the_next_row_of_a_horizontal_stack_is_no_line_over_a_bar() -> None:
    """Horizontal stacked bars a pixel apart, each row's first segment shorter than the
    longer second segment of the row above: that bar runs on past the segment's side
    along its top, but it is as thick as a bar, no line hiding the segment's top."""
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, 40), (60, 250)], fill=(0, 0, 0), width=1)
    draw.line([(60, 250), (460, 250)], fill=(0, 0, 0), width=1)
    rows = {"North": (40, 120), "South": (100, 60), "East": (70, 90)}  # value: 2 px a unit
    words = [
        Word(str(v), BBox(60 + 2 * v - 8, 256, 60 + 2 * v + 8, 266)) for v in (0, 50, 100, 150)
    ]
    for k, (name, (blue, red)) in enumerate(rows.items()):
        top = 60 + 61 * k
        draw.rectangle([61, top, 60 + 2 * blue, top + 59], fill=BLUE)
        draw.rectangle([61 + 2 * blue, top, 60 + 2 * (blue + red), top + 59], fill=RED)
        words.append(Word(name, BBox(14, top + 25, 52, top + 35)))
    words += [Word("Nord", BBox(476, 55, 506, 65)), Word("Sud", BBox(476, 75, 500, 85))]
    draw.rectangle([460, 56, 470, 64], fill=BLUE)
    draw.rectangle([460, 76, 470, 84], fill=RED)
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = {s.name: {p.x: round(p.y) for p in s.points} for s in chart.series}
    assert read == {
        "Nord": {n: b for n, (b, _) in rows.items()},
        "Sud": {n: r for n, (_, r) in rows.items()},
    }
