"""Chart looks drawn at random that the reader met on fresh styles: tick labels grouped with
a thousands' point, a palette ramp of near colours with thin legend swatches, a series the
legend reader missed among grouped bars, a line swelling at its sharp turns, markers traced
round each year, a pie with wide separators, a legend frame in a dark theme's bluish gray,
a grid line joined to a legend frame beyond the labels, a percent sign read with a tail."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from docvlm.document import Drawing, Word
from docvlm.engines.native.axes import numeric_axis
from docvlm.engines.native.charts import chart_from_marks
from docvlm.engines.native.labels import label_rows, merge_line_words
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_charts import _bars_apart, find_raster_charts, image_marks
from docvlm.engines.native.raster_labels import chart_labels
from docvlm.geometry import BBox
from tests.scatter_frames import read_points, y_of

FOOT = 250.0  # y of the value 0
GRAY = (0.4, 0.4, 0.4)


def _axes(right: float = 420.0) -> tuple[Drawing, ...]:
    return (
        Drawing(BBox(60, FOOT, right, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
        Drawing(BBox(60, 40, 60, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    )


def _value_column(values: list[int], per_unit: float) -> list[Word]:
    return [
        Word(str(v), BBox(20, FOOT - per_unit * v - 5, 44, FOOT - per_unit * v + 5)) for v in values
    ]


def _bar(x0: float, x1: float, top: float, colour: tuple[float, float, float]) -> Mark:
    return Mark("bar", BBox(x0, top, x1, FOOT), colour)


@pytest.mark.parametrize(
    ("texts", "at_third"),
    [
        # '2.000 €' is two thousand where every point is followed by three zeros.
        (["0 €", "2.000 €", "4.000 €", "6.000 €"], 4000.0),
        # '0.005' steps, with other digits than zeros after the point, stay decimals.
        (["0.000", "0.005", "0.010", "0.015"], 0.01),
    ],
)
def test_a_point_in_tick_labels_groups_thousands_only_before_three_zeros(
    texts: list[str], at_third: float
) -> None:
    words = [
        Word(text, BBox(100 + 100 * i - 15, 300, 100 + 100 * i + 15, 310))
        for i, text in enumerate(texts)
    ]
    axis = numeric_axis(words, "x", [])
    assert axis is not None
    assert math.isclose(axis.value(300), at_third, rel_tol=1e-4)


def test_thin_legend_swatches_in_a_ramp_of_near_colours_keep_their_own() -> None:
    """Two series in a ramp's neighbouring purples (10 delta E apart) and legend swatches
    three pixels tall: each swatch names its own series."""
    dark, light = (55, 4, 153), (96, 1, 166)
    image = Image.new("RGB", (520, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, 260), (440, 260)], fill=(0, 0, 0), width=1)
    draw.line([(60, 40), (60, 260)], fill=(0, 0, 0), width=1)
    words = [Word(str(v), BBox(20, 255 - 2 * v, 44, 265 - 2 * v)) for v in (0, 25, 50, 75, 100)]
    values = {"Costs": (dark, [40, 70, 55]), "Sales": (light, [80, 30, 65])}
    for i, category in enumerate(["North", "South", "East"]):
        x = 100 + 110 * i
        for offset, (colour, series) in zip((0, 30), values.values(), strict=True):
            draw.rectangle([x + offset, 260 - 2 * series[i], x + offset + 29, 259], fill=colour)
        words.append(Word(category, BBox(x + 10, 268, x + 50, 278)))
    for row, (name, (colour, _)) in enumerate(values.items()):
        y = 50 + 14 * row
        draw.rectangle([440, y - 1, 458, y + 1], fill=colour)
        words.append(Word(name, BBox(464, y - 5, 500, y + 5)))
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = {s.name: [round(p.y) for p in s.points] for s in chart.series}
    assert read.keys() == values.keys()
    for name, (_, series) in values.items():
        assert all(abs(a - b) <= 2 for a, b in zip(read[name], series, strict=True)), name


def test_grouped_bars_with_a_series_the_legend_missed_stand_on_their_years() -> None:
    """Three series side by side over years, the middle one's swatch unread: the groups
    are still centred on the year labels (two named series alone sit either side of a
    half step), so x is the year label, not the bar's place on a scale."""
    years = ["2007", "2008", "2009", "2010"]
    words = _value_column([0, 25, 50, 75, 100], 2.0)
    words += [
        Word(y, BBox(88 + 100 * i, FOOT + 8, 112 + 100 * i, FOOT + 18)) for i, y in enumerate(years)
    ]
    words += [Word("Costs", BBox(466, 55, 500, 65)), Word("Sales", BBox(466, 95, 500, 105))]
    colours = [(0.2, 0.0, 0.6), (0.4, 0.0, 0.65), (0.55, 0.0, 0.65)]
    marks = [
        Mark("bar", BBox(440, 54, 460, 66), colours[0]),
        Mark("bar", BBox(440, 94, 460, 106), colours[2]),
    ]
    for i in range(4):
        centre = 100 + 100 * i
        for k, colour in enumerate(colours):
            x0 = centre - 39 + 26 * k
            marks.append(_bar(x0, x0 + 26, FOOT - 2 * (20 + 10 * k + 5 * i), colour))
    chart = chart_from_marks(marks, words, _axes())[0].chart
    assert {p.x for s in chart.series for p in s.points} == set(years)
    sales = next(s for s in chart.series if s.name == "Sales")
    assert [round(p.y) for p in sales.points] == [40, 45, 50, 55]


def test_a_line_swelling_at_its_sharp_turns_has_no_markers() -> None:
    """A line three pixels wide without markers, so steep that its sharpest turns are
    thicker than the rest: every turn is a point, not only the two read as markers."""
    values = [45, 54, 55, 45, 40, 51, 58, 46, 40, 43, 43, 39]
    xs = [60 + 30 * i for i in range(len(values))]
    image = Image.new("RGB", (560, 420), (32, 32, 32))
    draw = ImageDraw.Draw(image)
    draw.line(
        [(x, 330 - 12 * (v - 35)) for x, v in zip(xs, values, strict=True)],
        fill=(200, 80, 150),
        width=3,
    )
    words = [
        Word(str(v), BBox(20, 325 - 12 * (v - 35), 44, 335 - 12 * (v - 35)))
        for v in range(35, 65, 5)
    ]
    months = [f"M{i + 1}" for i in range(len(values))]
    words += [Word(m, BBox(x - 8, 345, x + 8, 355)) for m, x in zip(months, xs, strict=True)]
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = [(p.x, p.y) for s in chart.series for p in s.points]
    assert [x for x, _ in read] == months
    assert all(abs(y - v) <= 0.5 for (_, y), v in zip(read, values, strict=True))


def test_a_line_traced_round_its_markers_stands_on_the_years() -> None:
    """A line whose tracing bent a few times round each marker: its vertices all stand
    right by the years, so the years are categories, one point each."""
    years = ["2016", "2017", "2018", "2019", "2020"]
    values = [30, 10, 18, 24, 15]
    words = _value_column([0, 10, 20, 30, 40], 5.0)
    words += [
        Word(y, BBox(88 + 80 * i, FOOT + 8, 112 + 80 * i, FOOT + 18)) for i, y in enumerate(years)
    ]
    words.append(Word("Sales", BBox(466, 55, 500, 65)))
    vertices = []
    for i, v in enumerate(values):
        x, y = 100 + 80 * i, FOOT - 5 * v
        vertices += [(x - 3, y + 1), (x, y), (x + 3, y - 1)]
    line = Mark(
        "line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), (0.6, 0.4, 0.8), vertices
    )
    swatch = Mark("line", BBox(440, 59, 460, 61), (0.6, 0.4, 0.8), [(440, 60), (460, 60)])
    chart = chart_from_marks([line, swatch], words, _axes())[0].chart
    points = chart.series[0].points
    assert [float(p.x) for p in points] == [float(y) for y in years]
    assert all(abs(p.y - v) <= 0.5 for p, v in zip(points, values, strict=True))


def test_a_pie_with_wide_separators_between_its_slices() -> None:
    """A large pie whose slices a line five pixels wide in the ground's colour keeps
    apart: the slices are read at their shares, the separators are none."""
    shares = [0.1, 0.25, 0.15, 0.3, 0.2]
    colours = [(250, 250, 150), (60, 110, 180), (240, 0, 130), (190, 90, 20), (130, 200, 130)]
    ground = (26, 28, 40)
    image = Image.new("RGB", (1000, 1000), ground)
    draw = ImageDraw.Draw(image)
    centre, radius, start = (500, 500), 400, -90.0
    edges = []
    for share, colour in zip(shares, colours, strict=True):
        draw.pieslice([100, 100, 900, 900], start, start + 360 * share, fill=colour)
        edges.append(start)
        start += 360 * share
    for angle in edges:
        end = (
            centre[0] + radius * math.cos(math.radians(angle)),
            centre[1] + radius * math.sin(math.radians(angle)),
        )
        draw.line([centre, end], fill=ground, width=5)
    found = find_raster_charts(image, (), 0.36)[0].chart
    read = sorted(p.y for s in found.series for p in s.points)
    assert found.chart_type == "pie"
    assert len(read) == len(shares)
    assert all(abs(a - b) <= 0.01 for a, b in zip(read, sorted(shares), strict=True))


def test_a_legend_frame_side_in_bluish_gray_is_no_series() -> None:
    """A dark theme frames its legend in a bluish gray; one side of the frame, left as a
    mark when the others were taken for rules, is no series."""
    words = [Word("2024", BBox(240, 334, 270, 348)), Word("Actual", BBox(340, 334, 376, 348))]
    swatches = [
        Mark("bar", BBox(202, 338, 236, 345), (0.99, 0.85, 0.92)),
        Mark("bar", BBox(297, 338, 333, 345), (0.95, 0.95, 0.95)),
    ]
    bars = [
        Mark("bar", BBox(80 + 60 * i, 100, 110 + 60 * i, 300), (0.95, 0.95, 0.95)) for i in range(5)
    ]
    frame_side = Mark(
        "line", BBox(196, 333, 197, 354), (0.38, 0.39, 0.42), [(196.5, 333), (196.5, 354)]
    )
    legend, data = split_legend(swatches + bars + [frame_side], words)
    assert set(legend.values()) == {"2024", "Actual"}
    assert frame_side not in data and len(data) == 5


def test_a_grid_line_joined_to_a_legend_frame_stops_at_the_labels() -> None:
    """A grid line at a category runs on below the plot into a legend's frame: it is cut
    where it meets the row of category labels (their boxes reach a pixel into the plot):
    the labels stay below the plot."""
    years = ["2009", "2010", "2011", "2012"]
    words = _value_column([0, 25, 50, 75, 100], 2.0)
    words += [
        Word(y, BBox(88 + 100 * i, FOOT - 1, 112 + 100 * i, FOOT + 10)) for i, y in enumerate(years)
    ]
    marks = [
        _bar(85 + 100 * i, 115 + 100 * i, FOOT - 2 * (30 + 10 * i), (0.9, 0.5, 0.6))
        for i in range(4)
    ]
    drawings = (*_axes(), Drawing(BBox(299.5, 60, 300.5, FOOT + 40), "stroke", GRAY, None, 1.0, ()))
    chart = chart_from_marks(marks, words, drawings)[0].chart
    assert [p.x for p in chart.series[0].points] == years
    assert [round(p.y) for p in chart.series[0].points] == [30, 40, 50, 60]


def test_a_percent_sign_read_with_a_tail_is_the_sign() -> None:
    labels = chart_labels([Word("20.0%6", BBox(0, 0, 30, 10)), Word("A6", BBox(0, 20, 30, 30))])
    assert [w.text for w in labels] == ["20.0%", "A6"]


def test_stacked_segments_set_apart_by_a_white_outline_stay_stacked() -> None:
    """Horizontal stacked bars in an image whose segments a white outline sets four points
    apart: each segment is its own length, not a floating range from its start."""
    years = ["2011", "2012"]
    words = [
        Word(str(v), BBox(60 + 3 * v - 10, 262, 60 + 3 * v + 10, 272)) for v in (0, 25, 50, 75, 100)
    ]
    words += [Word(y, BBox(20, 70 + 100 * i, 50, 80 + 100 * i)) for i, y in enumerate(years)]
    words += [Word("North", BBox(466, 55, 500, 65)), Word("South", BBox(466, 95, 500, 105))]
    blue, green = (0.15, 0.33, 0.7), (0.49, 0.7, 0.14)
    marks = [Mark("bar", BBox(440, 54, 460, 66), blue), Mark("bar", BBox(440, 94, 460, 106), green)]
    for i, (north, south) in enumerate([(30, 20), (45, 35)]):
        top = 50 + 100 * i
        marks.append(Mark("bar", BBox(60, top, 60 + 3 * north - 2, top + 50), blue, pixels=5000))
        start = 60 + 3 * north + 2
        marks.append(
            Mark("bar", BBox(start, top, start + 3 * south - 4, top + 50), green, pixels=5000)
        )
    axes = (
        Drawing(BBox(60, 250, 420, 250), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
        Drawing(BBox(60, 40, 60, 250), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    )
    chart = chart_from_marks(marks, words, axes)[0].chart
    read = {s.name: [(p.x, round(p.y)) for p in s.points] for s in chart.series}
    assert read["South"] == [("2011", 20), ("2012", 35)]


def test_an_axis_title_under_labels_of_two_lines_is_no_third_line() -> None:
    """Every category label printed on two lines, the axis title right under the middle
    one: the title is no third line of that label."""
    quarters = ["Q1", "Q2", "Q3", "Q4", "Q1"]
    years = ["2015", "2015", "2015", "2015", "2016"]
    words = [Word(q, BBox(87 + 143 * i, 397, 97 + 143 * i, 407)) for i, q in enumerate(quarters)]
    words += [Word(y, BBox(84 + 143 * i, 405, 100 + 143 * i, 416)) for i, y in enumerate(years)]
    title = Word("Quarter", BBox(358, 417, 397, 431))
    labels = label_rows([*words, title], BBox(47, 20, 714, 396))
    assert [w.text for w in labels] == [f"{q} {y}" for q, y in zip(quarters, years, strict=True)]


def test_square_markers_with_one_cut_at_the_plot_edge_stay_points() -> None:
    """Square markers, one of them cut in half at the plot's left edge (a short stroke):
    the series is still a scatter's points, not bars."""
    image = Image.new("RGB", (640, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(80, 350), (580, 350)], fill=(80, 80, 80))  # no frame: the plot is clipped unseen
    inside = [
        (140, 60),
        (190, 20),
        (250, 30),
        (300, 90),
        (360, 80),
        (420, 50),
        (470, 20),
        (530, 70),
    ]
    for x, v in inside:
        y = y_of(v)
        draw.rectangle([x - 4, y - 4, x + 4, y + 4], fill=(70, 130, 200))
    # The part of one at v = 70 right of the frame: a sliver, its edge anti-aliased.
    draw.rectangle([81, 170, 82, 180], fill=(70, 130, 200))
    draw.line([(83, 170), (83, 180)], fill=(160, 195, 230))
    points = read_points(image)
    assert len(points) == 9
    for (x, y), (x_drawn, v) in zip(points[1:], inside, strict=True):
        assert abs(x - x_drawn) <= 2 and abs(y - v) <= 2


def test_a_long_tick_over_a_small_number_is_the_tick() -> None:
    """A tick mark OCR read as '1' or '一', taller than the small number under it: a tick,
    not the first line of a label '1 0.0%'."""
    words = [
        Word("1", BBox(46, 397, 54, 408)),
        Word("0.0%", BBox(42, 408, 54, 417)),
        Word("一", BBox(191, 397, 198, 408)),
        Word("5.0%", BBox(187, 408, 199, 417)),
    ]
    assert [w.text for w in chart_labels(words)] == ["0.0%", "5.0%"]


def test_a_ground_filling_the_whole_image_frames_nothing() -> None:
    """A light gray figure ground round a paler panel: the image's own border is no
    frame (taken for one, it let the plot grow past the tick labels to the whole image)."""
    image = Image.new("RGB", (520, 300), (240, 240, 240))
    ImageDraw.Draw(image).rectangle([60, 10, 500, 280], fill=(250, 250, 250))
    _, rules, _ = image_marks(image, 1.0)
    boxes = [rule.bbox for rule in rules]
    assert all(b.x0 > 0 and b.x1 < 520 and b.y0 > 0 and b.y1 < 300 for b in boxes)


def test_short_turned_labels_that_ocr_gave_no_angle_hang_from_their_ticks() -> None:
    """Numbers turned 45 degrees under the ticks: the longer ones ('1.5') read as turned,
    the one-character ones ('2') level, all hang from their ticks by their upper right
    end, and the axis steps by a half."""
    words = []
    for i in range(9):
        x, value = 100.0 + 50 * i, 1.5 + 0.5 * i
        text = f"{value:g}"
        if len(text) > 1:
            words.append(Word(text, BBox(x - 27, 277, x, 304), angle=45))
        else:
            words.append(Word(text, BBox(x - 12, 290, x, 302)))
    axis = numeric_axis(words, "x", [])
    assert axis is not None and axis.step == 0.5
    assert math.isclose(axis.value(300), 3.5, abs_tol=0.01)


def test_a_legend_of_long_line_handles_names_the_lines() -> None:
    """Line swatches drawn 40 points long (a long legend handle), one under another, each
    with its name beside it: they are the legend, and name the lines."""
    months = ["Jan", "Feb", "Mar", "Apr"]
    words = _value_column([0, 25, 50, 75, 100], 2.0)
    words += [
        Word(m, BBox(88 + 100 * i, FOOT + 8, 112 + 100 * i, FOOT + 18))
        for i, m in enumerate(months)
    ]
    series = {
        "North": ((0.99, 0.5, 0.1), [20, 60, 35, 80]),
        "South": ((0.6, 0.3, 0.1), [70, 40, 90, 25]),
    }
    marks = []
    for row, (name, (colour, values)) in enumerate(series.items()):
        points = [(100.0 + 100 * i, FOOT - 2 * v) for i, v in enumerate(values)]
        marks.append(
            Mark("line", BBox.enclosing(BBox(x, y, x, y) for x, y in points), colour, points)
        )
        y = 60 + 16 * row
        marks.append(Mark("line", BBox(70, y - 1, 110, y + 1), colour, [(70, y), (110, y)]))
        words.append(Word(name, BBox(116, y - 6, 150, y + 6)))
    chart = chart_from_marks(marks, words, _axes())[0].chart
    read = {s.name: [round(p.y) for p in s.points] for s in chart.series}
    assert read == {name: values for name, (_, values) in series.items()}


def test_a_unit_boxed_no_taller_than_its_glyph_joins_its_number() -> None:
    """OCR boxes a tick label's currency sign apart, shorter than the digits: it is still
    the number's unit ('4,000 €'), so the column of labels is of numbers, not of signs."""
    words = [Word("4,000", BBox(3, 6, 45, 25)), Word("€", BBox(49, 9, 62, 22))]
    assert [w.text for w in merge_line_words(words)] == ["4,000 €"]
    apart = [Word("Sales", BBox(3, 6, 45, 25)), Word("€", BBox(49, 9, 62, 22))]
    assert [w.text for w in merge_line_words(apart)] == ["Sales", "€"]


def test_a_steep_stretch_of_a_line_with_small_markers_holds_no_markers() -> None:
    """A line drawn with markers hardly wider than it: its steep first stretch is thick in
    every column, and the jags of its edges cut that into many runs of columns thicker
    than the rest of the line. Those are no markers (they stand no higher than the
    stretch beside them); the line is read at its years."""
    years = [2016, 2017, 2018, 2019, 2020]
    values = [3.0, 2.15, 2.45, 2.7, 2.35]
    xs = [80 + 220 * i for i in range(len(years))]
    points = [(x, 540 - 500 * (v - 2.0)) for x, v in zip(xs, values, strict=True)]
    # Drawn four times larger and shrunk: anti-aliased, as a plotting library draws.
    large = Image.new("RGB", (4000, 2400), "white")
    draw = ImageDraw.Draw(large)
    purple = (150, 104, 193)
    draw.line([(4 * x, 4 * y) for x, y in points], fill=purple, width=12)
    for x, y in points:
        draw.ellipse((4 * x - 12, 4 * y - 12, 4 * x + 12, 4 * y + 12), fill=purple)
    image = large.resize((1000, 600), Image.Resampling.BOX)
    words = [
        Word(f"{v:.1f}", BBox(40, 535 - 500 * (v - 2.0), 60, 545 - 500 * (v - 2.0)))
        for v in (2.0, 2.2, 2.4, 2.6, 2.8, 3.0)
    ]
    words += [Word(str(y), BBox(x - 12, 560, x + 12, 570)) for y, x in zip(years, xs, strict=True)]
    chart = find_raster_charts(image, words, 1.0)[0].chart
    read = [(float(p.x), p.y) for s in chart.series for p in s.points]
    assert [x for x, _ in read] == pytest.approx(years, abs=0.05)
    assert [y for _, y in read] == pytest.approx(values, abs=0.02)


def test_a_sliver_of_a_glyph_beside_a_legend_name_splits_no_name() -> None:
    """The stem of a 'B' a pixel left of the box OCR gave it is read as a thin mark in the
    gap between 'Product' and 'B': it is no marker (far narrower than the text is high),
    so the name is 'Product B'; a marker as wide as the text in that gap still splits."""
    words = [Word("Product", BBox(680, 33, 705, 44)), Word("B", BBox(707, 33, 710, 44))]
    sliver = BBox(705.8, 37, 706.4, 42)
    marker = BBox(703.5, 36, 708.5, 41)
    assert [w.text for w in merge_line_words(words, apart=[sliver])] == ["Product B"]
    assert [w.text for w in merge_line_words(words, apart=[marker])] == ["Product", "B"]


def test_bars_of_one_series_read_partly_as_areas_are_bars() -> None:
    """A series whose pattern or printed labels left most of its bars ragged (read as
    areas) and one whole: all of one width, a gap apart, they are bars. Blocks of one
    width that touch (a stacked area that grid lines cut) are not."""
    colour = (0.5, 0.4, 0.2)

    def column(x: float, top: float, kind: str) -> Mark:
        return Mark(kind, BBox(x, top, x + 36, 320), colour)

    bars = [column(56 + 52 * i, 100 + 20 * i, "area") for i in range(6)]
    bars[3] = replace(bars[3], kind="bar")
    assert _bars_apart(bars, 0.6)
    blocks = [column(56 + 37 * i, 100 + 20 * i, "area") for i in range(6)]
    blocks[3] = replace(blocks[3], kind="bar")
    assert not _bars_apart(blocks, 0.6)
    assert not _bars_apart([replace(b, kind="area") for b in bars], 0.6)


def _right_y(value: float) -> float:
    """Where a value of the secondary axis (3 at the foot, 4 at the top) stands."""
    return FOOT - 200 * (value - 3.0)


def test_bars_with_a_scrap_of_stroke_stay_on_the_left_axis_and_the_right_one_scales() -> None:
    """Bars under a line on a secondary axis: a sliver of the bars' colour where the line
    crosses one is read as a short stroke, yet the bars are no line and stay on the left
    axis; the '1e6' printed above the right axis scales the line's values."""
    years = ["1996", "1997", "1998", "1999"]
    words = _value_column([0, 25, 50, 75, 100], 2.0)
    right = [3.0, 3.25, 3.5, 3.75, 4.0]
    words += [Word(f"{v:.2f}", BBox(424, _right_y(v) - 5, 444, _right_y(v) + 5)) for v in right]
    words.append(Word("1e6", BBox(410, 22, 430, 32)))
    words += [
        Word(y, BBox(88 + 100 * i, FOOT + 8, 112 + 100 * i, FOOT + 18)) for i, y in enumerate(years)
    ]
    cyan, yellow = (0.3, 0.83, 0.9), (0.88, 0.78, 0.28)
    heights = [90, 40, 80, 20]
    bars = [_bar(80 + 100 * i, 120 + 100 * i, FOOT - 2 * v, cyan) for i, v in enumerate(heights)]
    levels = [3.7, 3.9, 3.2, 3.5]
    vertices = [(100.0 + 100 * i, _right_y(v)) for i, v in enumerate(levels)]
    line = Mark("line", BBox(100, 70, 400, 210), yellow, vertices)
    scrap = Mark("line", BBox(118, 150, 119, 155), cyan, [(118, 150), (119, 155)])
    chart = chart_from_marks([*bars, scrap, line], words, _axes())[0].chart
    bar_series = next(s for s in chart.series if all(isinstance(p.x, str) for p in s.points))
    line_series = next(s for s in chart.series if s is not bar_series)
    bar_points = {(p.x, round(p.y)) for p in bar_series.points}
    assert set(zip(years, heights, strict=True)) <= bar_points
    assert [p.y for p in line_series.points] == pytest.approx([v * 1e6 for v in levels])


def test_a_legend_name_whose_swatch_was_lost_names_the_one_unnamed_series() -> None:
    """A legend drawn over the last bar hides the swatch of that bar's colour in it: its
    name, in the legend's column a row below the others, names the one whole series left
    unnamed. Where no series is left for it, it is reported."""
    years = ["2007", "2008", "2009"]
    words = _value_column([0, 25, 50, 75, 100], 2.0)
    words += [
        Word(y, BBox(88 + 100 * i, FOOT + 8, 112 + 100 * i, FOOT + 18)) for i, y in enumerate(years)
    ]
    names = ["Costs", "Sales", "Profit"]
    words += [Word(n, BBox(366, 45 + 14 * k, 400, 55 + 14 * k)) for k, n in enumerate(names)]
    colours = [(0.2, 0.3, 0.7), (0.8, 0.3, 0.5), (0.5, 0.8, 0.3)]
    swatches = [Mark("bar", BBox(350, 46 + 14 * k, 362, 54 + 14 * k), colours[k]) for k in (0, 1)]
    bars = [
        _bar(70 + 100 * i + 20 * k, 90 + 100 * i + 20 * k, FOOT - 2 * (30 + 10 * k + 5 * i), colour)
        for i in range(3)
        for k, colour in enumerate(colours)
    ]
    chart = chart_from_marks([*swatches, *bars], words, _axes())[0]
    profit = next(s for s in chart.chart.series if s.name == "Profit")
    assert [round(p.y) for p in profit.points] == [50, 55, 60]
    unread = chart_from_marks([*swatches, *bars[:2], bars[3], bars[4]], words, _axes())[0]
    assert "1 legend name(s) with no swatch read: Profit" in unread.gaps


def test_the_first_name_of_a_key_set_flush_right_whose_sample_was_lost_names_its_series() -> None:
    """A plotting program's key, names set flush right before their samples, the first
    name's sample lost (black, drawn as straight as a rule): the name, in the names'
    column a row above the others, names the one whole series left unnamed."""
    years = ["2007", "2008", "2009"]
    words = _value_column([0, 25, 50, 75, 100], 2.0)
    words += [
        Word(y, BBox(88 + 100 * i, FOOT + 8, 112 + 100 * i, FOOT + 18)) for i, y in enumerate(years)
    ]
    names = {"Profit": 34, "Ventes": 36, "Budget": 38}  # name: width, ending at x 400
    words += [
        Word(n, BBox(400 - w, 45 + 14 * k, 400, 55 + 14 * k))
        for k, (n, w) in enumerate(names.items())
    ]
    colours = [(0.0, 0.0, 0.0), (0.9, 0.6, 0.0), (0.3, 0.7, 0.9)]
    samples = [
        Mark(
            "line",
            BBox(406, 49 + 14 * k, 430, 51 + 14 * k),
            colours[k],
            [(406, 50 + 14 * k), (430, 50 + 14 * k)],
        )
        for k in (1, 2)
    ]
    lines = []
    for colour, values in zip(colours, ([20, 40, 30], [60, 50, 80], [90, 70, 75]), strict=True):
        vertices = [(100.0 + 100 * i, FOOT - 2 * v) for i, v in enumerate(values)]
        lines.append(
            Mark("line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), colour, vertices)
        )
    chart = chart_from_marks([*samples, *lines], words, _axes())[0].chart
    assert sorted(str(s.name) for s in chart.series) == ["Budget", "Profit", "Ventes"]
    profit = next(s for s in chart.series if s.name == "Profit")
    assert [round(p.y) for p in profit.points] == [20, 40, 30]


def test_square_markers_one_half_hidden_by_a_legend_stay_points() -> None:
    """Square markers of one size, one of them half hidden under a legend box drawn over
    it (smaller than the others), beside a series of round markers: the squares are a
    scatter's points too, not bars."""
    image = Image.new("RGB", (640, 420), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([80, 60, 580, 350], outline=(80, 80, 80))
    squares = [(140, 60), (250, 30), (360, 80), (470, 20)]
    rounds = [(190, 20), (300, 90), (420, 50), (500, 70)]
    for x, v in [*squares, (530, 96)]:
        y = y_of(v)
        draw.rectangle([x - 4, y - 4, x + 4, y + 4], fill=(180, 30, 110))
    for x, v in rounds:
        y = y_of(v)
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=(60, 170, 40))
    draw.rectangle([531, 80, 578, 120], fill="white", outline=(200, 200, 200))  # the legend
    words = [
        *(Word(str(v), BBox(30, y_of(v) - 5, 60, y_of(v) + 5)) for v in (0, 25, 50, 75, 100)),
        *(Word(str(x), BBox(x - 12, 360, x + 12, 372)) for x in (100, 200, 300, 400, 500)),
    ]
    in_points = [Word(w.text, w.bbox.scaled(0.72)) for w in words]
    chart = find_raster_charts(image, in_points, 0.72)[0].chart
    assert chart.chart_type == "scatter"
    read = sorted((float(p.x), p.y) for s in chart.series for p in s.points)
    drawn = sorted([*squares, *rounds])
    assert len(read) == 9
    for x, v in drawn:
        assert any(abs(rx - x) <= 2 and abs(ry - v) <= 2 for rx, ry in read)
