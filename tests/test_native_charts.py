"""Vector charts read by the native engine, against the data they were drawn from."""

from __future__ import annotations

import csv
import io

import pytest

import docvlm
from docvlm import Chart, Document
from docvlm.cli import main
from docvlm.engines.native.axes import is_multiplier, numeric_axis
from docvlm.text import parse_number
from tests.conftest import CORPUS

SALES = {"2023": [12.5, 9.1, 20.3, 7.4], "2024": [14.0, 8.7, 21.9, 7.9]}
REGIONS = ["North", "South", "East", "West"]


def read_chart(path) -> Chart:
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and len(result.records) == 1
    chart = result.records[0]
    assert isinstance(chart, Chart)
    return chart


def series(chart: Chart) -> dict[str | None, list[tuple[object, float | None]]]:
    return {s.name: [(p.x, p.y) for p in s.points] for s in chart.series}


def _bar_spans(marks: list) -> list[tuple[float, float, float]]:
    """Each bar's left edge, top and foot (pixels of an image read at scale 1), in order."""
    return sorted((m.bbox.x0, m.bbox.y0, m.bbox.y1) for m in marks if m.kind == "bar")


def _within_a_pixel(*spans: tuple[float, float, float]) -> list[tuple]:
    return [tuple(pytest.approx(value, abs=1) for value in span) for span in spans]


def test_grouped_bars_with_legend(fixtures):
    chart = read_chart(fixtures / "chart_bar.pdf")
    assert (chart.chart_type, chart.title, chart.y_label) == ("bar", "Sales by region", "kEUR")
    assert series(chart) == {
        name: list(zip(REGIONS, values, strict=True)) for name, values in SALES.items()
    }


def test_lines_on_a_numeric_axis(fixtures):
    chart = read_chart(fixtures / "chart_line.pdf")
    assert chart.chart_type == "line" and chart.title == "Revenue and costs"
    years = [2019.0, 2020.0, 2021.0, 2022.0, 2023.0]
    assert series(chart) == {
        "Revenue": list(zip(years, [3.1, 4.5, 4.0, 5.2, 6.8], strict=True)),
        "Costs": list(zip(years, [2.0, 2.4, 3.1, 3.3, 3.9], strict=True)),
    }


def test_pie_shares(fixtures):
    chart = read_chart(fixtures / "chart_pie.pdf")
    assert chart.chart_type == "pie"
    assert series(chart) == {
        None: [("Rent", 0.4), ("Staff", 0.35), ("Energy", 0.15), ("Other", 0.1)]
    }


def test_chart_dataframe_is_long(fixtures):
    frame = read_chart(fixtures / "chart_bar.pdf").to_dataframe()
    assert list(frame.columns) == ["series", "x", "y"] and len(frame) == 8
    assert frame[(frame.series == "2024") & (frame.x == "East")].y.tolist() == [21.9]


def test_cli_prints_the_chart_data_as_csv(fixtures, capsys):
    assert (
        main(
            [
                "extract",
                str(fixtures / "chart_line.pdf"),
                "--schema",
                "chart",
                "--format",
                "csv",
                "--no-progress",
            ]
        )
        == 0
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["series", "x", "y"]
    assert rows[1:3] == [["Revenue", "2019.0", "3.1"], ["Revenue", "2020.0", "4.5"]]
    assert len(rows) == 11


def test_a_page_without_a_chart_gives_none_and_says_why(fixtures):
    result = docvlm.extract(fixtures / "report_3pages.pdf", schema="chart")
    assert result.records == [] and result.status == "empty" and result.errors == []
    assert [(w.page, w.kind, w.message) for w in result.warnings] == [
        (1, "empty", "no chart found: no coloured marks among the drawings"),
        (2, "empty", "no chart found: no coloured marks among the drawings"),
        (3, "empty", "no chart found: no vector drawings"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", 1000.0),
        ("\u221220", -20.0),
        ("0.5", 0.5),
        ("$30", 30.0),
        ("40%", 40.0),
        ("2k", 2000.0),
        ("1.5M", 1.5e6),
        ("2\u00d710\u2076", 2e6),  # a power of ten, its exponent raised
        ("-1.5\u00d7106", -1.5e6),  # ... as a PDF's text gives it, the exponent smaller
        ("2x10^6", 2e6),
        ("1E+06", 1e6),
        ("abc", None),
        ("1-2", None),
        ("2\u00d710", None),
    ],
)
def test_tick_label_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "multiplier"),
    [
        ("1e6", True),
        ("1e-05", True),
        ("\u00d710\u2076", True),
        ("x106", True),  # the power read flat
        ("x10^-3", True),
        ("1001", False),  # '100' with its tick mark read as a '1'
        ("1002", False),
        ("100", False),
    ],
)
def test_axis_multipliers_have_no_power_with_a_leading_zero(text, multiplier):
    assert is_multiplier(text) is multiplier


def test_log_axis_is_recognised():
    from docvlm.document import Word
    from docvlm.geometry import BBox

    words = [Word(str(10**k), BBox(0, 300 - 50 * k - 5, 20, 300 - 50 * k + 5)) for k in range(4)]
    axis = numeric_axis(words, "y", ticks=[])
    assert axis is not None and axis.log
    assert axis.value(225) == pytest.approx(10**1.5, rel=1e-3)


def _y_labels(texts: list[str]) -> list:
    from docvlm.document import Word
    from docvlm.geometry import BBox

    return [Word(t, BBox(0, 300 - 50 * k - 5, 20, 300 - 50 * k + 5)) for k, t in enumerate(texts)]


def test_decimal_points_lost_in_tiny_print_are_put_back():
    """Tick labels of 2.4 to 2.9 in tiny print, OCR keeping the point on one only: the
    axis runs from 2.4 to 2.9 (not 24 to 29 with '2.6' dropped as a misread)."""
    axis = numeric_axis(_y_labels(["24", "25", "2.6", "27", "28", "29"]), "y", ticks=[])
    assert axis is not None
    assert axis.value(300) == pytest.approx(2.4)
    assert axis.value(50) == pytest.approx(2.9)
    assert [text for value, text in axis.labels if value == pytest.approx(2.9)] == ["2.9"]


@pytest.mark.parametrize(
    "texts",
    [
        ["0", "2,000,000", "4,000.000"],
        ["0", "2.000.000", "4.000,000"],
        ["0", "$2,000.000", "$4,000,000"],
    ],
)
def test_a_thousands_mark_read_as_the_other_mark_is_put_back(texts):
    """Three labels, one with a thousands' mark OCR read as the other: the axis runs
    from 0 to 4,000,000 (not unread, the misread label taken for 4 or 2)."""
    axis = numeric_axis(_y_labels(texts), "y", ticks=[])
    assert axis is not None
    assert axis.value(300) == pytest.approx(0.0, abs=1e-6)
    assert axis.value(200) == pytest.approx(4_000_000)


def test_dollar_signs_read_as_an_s_are_put_back():
    """A small serif '$' OCR read as an 's' ('s30', and 'so' for '$0'): no label read
    as a number, and the axis was lost."""
    axis = numeric_axis(_y_labels(["so", "s10", "s20", "s30"]), "y", ticks=[])
    assert axis is not None
    assert axis.value(300) == pytest.approx(0.0, abs=1e-6)
    assert axis.value(150) == pytest.approx(30.0)


def test_words_beginning_with_an_s_are_no_dollars():
    assert numeric_axis(_y_labels(["so", "Sales", "Soft", "Stock"]), "y", ticks=[]) is None


def test_decimals_of_three_digits_stay_decimals():
    """'0.125', '0.250', '0.375': no thousands' mark anywhere, each keeps its point."""
    axis = numeric_axis(_y_labels(["0.000", "0.125", "0.250", "0.375"]), "y", ticks=[])
    assert axis is not None
    assert axis.value(150) == pytest.approx(0.375)


def test_labels_printed_whole_and_with_decimals_keep_their_values():
    """'0', '0.5', '1', '1.5' (whole steps printed plain): a straight line as they stand."""
    axis = numeric_axis(_y_labels(["0", "0.5", "1", "1.5", "2"]), "y", ticks=[])
    assert axis is not None
    assert axis.value(100) == pytest.approx(2.0)
    axis = numeric_axis(_y_labels(["10", "12.5", "15", "17.5", "20"]), "y", ticks=[])
    assert axis is not None
    assert axis.value(100) == pytest.approx(20.0)


@pytest.mark.skipif(not (CORPUS / "vega-lite-charts").exists(), reason="corpus not present")
@pytest.mark.parametrize(
    ("name", "span", "expected"),
    [
        (
            "bar",
            100,
            [
                ("A", 28),
                ("B", 55),
                ("C", 43),
                ("D", 91),
                ("E", 81),
                ("F", 53),
                ("G", 19),
                ("H", 87),
                ("I", 52),
            ],
        ),
        (
            "bar_negative",
            140,
            [
                ("A", -28),
                ("B", 55),
                ("C", -33),
                ("D", 91),
                ("E", 81),
                ("F", 53),
                ("G", -19),
                ("H", 87),
                ("I", 52),
            ],
        ),
    ],
)
def test_vega_lite_spot_cases(name, span, expected):
    chart = read_chart(CORPUS / "vega-lite-charts" / f"{name}.pdf")
    ((_, points),) = series(chart).items()
    assert [x for x, _ in points] == [x for x, _ in expected]
    for (_, got), (_, want) in zip(points, expected, strict=True):
        assert got == pytest.approx(want, abs=0.01 * span)  # 1% of the axis range


def test_chart_page_bbox(fixtures):
    page = Document.open(fixtures / "chart_bar.pdf").page(1)
    result = docvlm.extract(fixtures / "chart_bar.pdf", schema="chart")
    box = result.provenance[0].bbox
    assert box is not None and 0 <= box.x0 < box.x1 <= page.width and box.y1 <= page.height


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_raster_bar_chart_from_a_png(fixtures):
    """OCR'd tick labels calibrate the axis, colour regions give the bars."""
    chart = read_chart(fixtures / "chart_bar.png")
    assert chart.chart_type == "bar"
    got = series(chart)
    assert set(got) == set(SALES)
    for name, values in SALES.items():
        by_region = dict(got[name])
        assert set(by_region) == set(REGIONS)
        for region, value in zip(REGIONS, values, strict=True):
            assert by_region[region] == pytest.approx(value, abs=0.02 * 22.5)  # 2% of the axis


def test_raster_colour_marks_are_shapes_in_points(fixtures):
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (200, 100), "white")
    image.paste((31, 119, 180), (20, 30, 40, 100))  # a bar 20 px wide, 70 px tall
    ImageDraw.Draw(image).ellipse((100, 50, 111, 61), fill=(255, 127, 14))  # a 12 px dot
    marks, _, _ = image_marks(image, scale=0.5)
    kinds = sorted((m.kind, m.bbox.as_tuple()) for m in marks)
    assert kinds == [("bar", (10.0, 15.0, 20.0, 50.0)), ("point", (50.0, 25.0, 56.0, 31.0))]


def test_bars_a_slanting_line_crosses_are_whole_bars():
    """A line drawn over bars cuts each into two slanted pieces (or cuts a corner off
    one): each bar is one rectangle again."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (300, 200), "white")
    bars = [(40, 60, 90, 190), (150, 30, 200, 190)]
    for bar in bars:
        image.paste((142, 211, 199), bar)
    # Steep through the first bar, then clipping the second one's upper left corner.
    pen = ImageDraw.Draw(image)
    pen.line([(30, 20), (100, 180), (170, 20), (230, 100)], fill=(100, 80, 160), width=3)
    marks, _, _ = image_marks(image, scale=1.0)
    teal = sorted(m.bbox.as_tuple() for m in marks if m.color[1] > 0.7)
    assert [m.kind for m in marks if m.color[1] > 0.7] == ["bar", "bar"]
    assert teal == [tuple(float(v) for v in bar) for bar in bars]


def _narrow_stacked_bar(hairline: bool):
    """A bar a few pixels wide (anti-aliased edges) on a light gray grid line that runs on
    above it for less than a rule's length, two values stacked a faint background
    hairline apart when ``hairline``."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 320), "white")
    pen = ImageDraw.Draw(image)
    pen.line((60, 80, 60, 300), fill=(221, 221, 221))
    pen.rectangle((58, 100, 61, 299), fill=(76, 120, 168))
    pen.line((57, 100, 57, 299), fill=(165, 187, 211))
    pen.line((62, 100, 62, 299), fill=(165, 187, 211))
    if hairline:
        pen.line((58, 200, 61, 200), fill=(108, 142, 180))
    return image


def test_a_narrow_bar_ends_where_its_colour_does_not_on_the_grid_line_above_it():
    """The light gray grid line on from a narrow bar's top is near a faint blend of the
    bar's blue in lightness, not in hue: the bar ends at its own top."""
    from docvlm.engines.native.raster_charts import image_marks

    marks, _, _ = image_marks(_narrow_stacked_bar(hairline=False), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((57, 100, 300))


def test_a_narrow_bar_splits_at_a_background_hairline_into_its_stacked_values():
    from docvlm.engines.native.raster_charts import image_marks

    marks, _, _ = image_marks(_narrow_stacked_bar(hairline=True), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((57, 100, 200), (57, 201, 300))


def test_a_stacked_areas_lower_band_is_an_area_not_a_backdrop_or_a_bar():
    """The lower band of two stacked areas, level for half the plot then slanting down,
    fills its box's lower corners and one upper one (as a backdrop fills them) and nearly
    all of its box (as a bar does): it is an area, its top slanting as drawn."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (400, 340), "white")
    pen = ImageDraw.Draw(image)
    pen.polygon(
        [(44, 70), (192, 10), (342, 190), (342, 250), (192, 190), (44, 190)], (128, 160, 194)
    )
    pen.polygon([(44, 190), (192, 190), (342, 250), (342, 310), (44, 310)], fill=(247, 169, 92))
    marks, _, _ = image_marks(image, scale=1.0)
    orange = [m for m in marks if m.color[0] > 0.9]
    assert [m.kind for m in orange] == ["area"]
    assert orange[0].bbox.as_tuple() == pytest.approx((44, 190, 343, 311), abs=1)
    tops = dict(orange[0].vertices[: len(orange[0].vertices) // 2])
    assert tops[min(tops, key=lambda x: abs(x - 100))] == pytest.approx(190.5, abs=1)
    assert tops[min(tops, key=lambda x: abs(x - 300))] == pytest.approx(233, abs=2)


def test_a_pale_tick_a_row_off_a_grid_line_is_a_mark_not_part_of_the_line():
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (500, 300), "white")
    pen = ImageDraw.Draw(image)
    for y in (100, 150, 200):
        pen.line((40, y, 490, y), fill=(221, 221, 221))
    pen.rectangle((200, 202, 217, 203), fill=(192, 207, 224))  # two rows under a grid line
    pen.rectangle((300, 122, 317, 123), fill=(192, 207, 224))  # clear of any
    marks, rules, _ = image_marks(image, scale=1.0)
    assert sorted(m.bbox.as_tuple() for m in marks) == [(200, 202, 218, 204), (300, 122, 318, 124)]
    assert sorted(r.bbox.y0 for r in rules) == [100, 150, 200]


def test_a_pale_hatched_fill_is_no_band_of_rules():
    """Fine slanting hatch lines cut a pale (nearly gray) fill into short level strokes,
    row after row, as dense grid lines are: what passes for rules there is a band, not a
    line, and no rule (which would widen the plot to it)."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (900, 500), "white")
    pen = ImageDraw.Draw(image)
    for y in range(40, 461, 10):
        pen.line((40, y, 860, y), fill=(200, 200, 200) if y % 50 else (130, 130, 130))
    for x0 in range(60, 820, 90):
        bar = Image.new("RGB", (45, 400), (208, 220, 240))
        hatch = ImageDraw.Draw(bar)
        for offset in range(-400, 100, 6):
            hatch.line((offset, 400, offset + 400, 0), fill=(70, 100, 170))
        image.paste(bar, (x0, 60))
    _, rules, _ = image_marks(image, scale=0.48)
    assert rules and max(min(r.bbox.width, r.bbox.height) for r in rules) <= 8.0


def test_a_bar_a_legend_hides_in_part_is_still_a_bar():
    """A legend box drawn over a bar's upper corner leaves it an L-shaped region, not a
    rectangle: among its series' bars, as wide as they are, it is a bar all the same."""
    from PIL import Image

    from docvlm.engines.native.raster_charts import read_image, series_marks

    image = Image.new("RGB", (300, 200), "white")
    for x0, top in ((30, 60), (110, 40), (190, 20)):
        image.paste((190, 186, 218), (x0, top, x0 + 50, 190))
    image.paste((40, 40, 45), (215, 10, 290, 90))  # the legend's box over the third bar
    marks = series_marks(read_image(image, 1.0, []), [], 1.0)
    lavender = sorted((m.kind, m.bbox.x0, m.bbox.y1) for m in marks if m.color[2] > 0.8)
    assert lavender == [("bar", 30.0, 190.0), ("bar", 110.0, 190.0), ("bar", 190.0, 190.0)]


def test_the_bits_of_a_hatched_legend_swatch_are_no_data():
    """Dense hatching cuts a legend swatch into bits, some in the colour it blends the
    fill to: the bit beside the label is the swatch, the bits in a row with it, touching
    it or each other, are parts of it (not data marks under the plot)."""
    from docvlm.document import Word
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    orange, dark = (0.85, 0.38, 0.01), (0.21, 0.13, 0.04)
    bar = Mark("bar", BBox(100, 50, 140, 200), orange, pixels=6000.0)
    swatch = Mark("bar", BBox(346, 311, 355, 319), orange, pixels=72.0)
    bits = [
        Mark("point", BBox(334, 311, 338, 319), dark, pixels=30.0),
        Mark("line", BBox(339, 311, 344, 312), dark, pixels=5.0),
        Mark("line", BBox(339, 319, 344, 320), dark, pixels=5.0),
    ]
    label = Word("2024", BBox(363, 309, 386, 321))
    legend, data = split_legend([bar, swatch, *bits], [label])
    assert legend == {orange: "2024"}
    assert data == [bar]


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_raster_pie_shares_from_pixel_areas(fixtures):
    chart = read_chart(fixtures / "chart_pie.png")
    assert chart.chart_type == "pie"
    shares = dict(series(chart)[None])
    expected = {"Rent": 0.4, "Staff": 0.35, "Energy": 0.15, "Other": 0.1}
    assert set(shares) == set(expected)
    for name, share in expected.items():
        assert shares[name] == pytest.approx(share, abs=0.01)


@pytest.mark.parametrize("spacing", [(3, 4, 5, 6), (5, 5, 5, 5)])
def test_a_pie_of_hatched_slices_reads_their_shares(spacing):
    """Hatch lines over each slice's fill cut it into many small pieces (so small, with
    the finest spacing, that they make no disc): the disc is all that is drawn, and each
    slice's pattern averages out to one tone round the circle."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import read_image
    from docvlm.engines.native.raster_pies import find_pie

    size, centre, radius = 400, (200, 200), 150
    image = Image.new("RGB", (size, size), (0, 0, 0))
    shares = [0.4, 0.25, 0.2, 0.15]
    fills = [(120, 160, 230), (250, 170, 110), (150, 210, 120), (255, 200, 60)]
    start = 0.0
    for index, (share, fill) in enumerate(zip(shares, fills, strict=True)):
        hatched = Image.new("RGB", (size, size), fill)
        pen = ImageDraw.Draw(hatched)
        for offset in range(-size, 2 * size, spacing[index]):
            tilt = size if index % 2 else -size
            pen.line((offset, 0, offset + tilt, size), fill=(40, 50, 120), width=1)
        wedge = Image.new("L", (size, size), 0)
        box = (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius)
        ImageDraw.Draw(wedge).pieslice(box, start, start + 360 * share, fill=255)
        image.paste(hatched, (0, 0), wedge)
        start += 360 * share
    reading = read_image(image, 0.5, [])
    pie = find_pie(reading.lab, reading.pieces, 0.5)
    assert pie is not None
    assert sorted(s.share for s in pie.slices) == pytest.approx(sorted(shares), abs=0.01)


RINGS = {"Trial A": [(1, 2), (2, 4), (3, 3)], "Trial B": [(1, 5), (2, 1), (3, 6)]}


def test_hollow_markers_with_the_legend_inside_the_plot(fixtures):
    """Ring markers are points, the legend inside the plot names them, and the axis lines
    (not the outermost points) bound the plot, so the '0' tick belongs to the y axis."""
    got = series(read_chart(fixtures / "chart_rings.pdf"))
    assert got == {name: [(float(x), float(y)) for x, y in pts] for name, pts in RINGS.items()}


def test_hollow_markers_in_a_png(fixtures):
    """Anti-aliased rings spread over many shades; each still comes out as one point."""
    got = series(read_chart(fixtures / "chart_rings.png"))
    assert set(got) == set(RINGS)
    for name, points in RINGS.items():
        read = sorted(got[name], key=lambda p: float(p[0]))  # type: ignore[arg-type]
        assert len(read) == len(points)
        for (x, y), (rx, ry) in zip(points, read, strict=True):
            assert rx == pytest.approx(x, abs=0.02 * 2) and ry == pytest.approx(y, abs=0.01 * 7)


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_chart_provenance_reports_the_calibration(fixtures):
    vector = docvlm.extract(fixtures / "chart_rings.pdf", schema="chart").provenance[0].method
    raster = docvlm.extract(fixtures / "chart_rings.png", schema="chart").provenance[0].method
    assert vector is not None and vector.startswith("vector drawings; x axis: value = ")
    assert raster is not None and raster.startswith("pixels (colour regions, OCR tick labels)")
    assert "y axis: value = " in raster and "(tick labels 0 to 6;" in raster
    pie = docvlm.extract(fixtures / "chart_pie.png", schema="chart").provenance[0].method
    assert pie is not None and pie.endswith("pie: shares of the slices' turn")


def test_ocr_dash_of_a_tick_mark_is_not_part_of_the_label():
    from docvlm.document import Word
    from docvlm.engines.native.raster_labels import without_tick_mark
    from docvlm.geometry import BBox

    cleaned = without_tick_mark(Word("70-", BBox(10, 0, 40, 10)))
    assert (cleaned.text, cleaned.bbox.as_tuple()) == ("70", (10, 0, 30, 10))
    assert without_tick_mark(Word("-20", BBox(0, 0, 30, 10))).text == "-20"
    assert without_tick_mark(Word("Q-", BBox(0, 0, 20, 10))).text == "Q-"
    assert without_tick_mark(Word("BBB-", BBox(0, 0, 40, 10))).text == "BBB-"
    named = without_tick_mark(Word("South-", BBox(0, 0, 60, 10)))
    assert (named.text, named.bbox.as_tuple()) == ("South", (0, 0, 50, 10))


def test_a_lone_one_among_one_letter_labels_is_the_letter_i():
    from docvlm.document import Word
    from docvlm.engines.native.raster_labels import chart_labels
    from docvlm.geometry import BBox

    row = [Word(t, BBox(20 * n, 100, 20 * n + 8, 110)) for n, t in enumerate("ABCDEFGH1")]
    assert [w.text for w in chart_labels(row)] == list("ABCDEFGHI")
    turned = [*row[:8], Word("\u4e00", BBox(160, 104, 168, 106))]
    assert [w.text for w in chart_labels(turned)] == list("ABCDEFGHI")
    # A '1' on another line (a y tick label) or among numbers stays a digit.
    ticks = [Word("1", BBox(0, 40, 8, 50)), *row[:3]]
    assert [w.text for w in chart_labels(ticks)] == ["1", "A", "B", "C"]
    numbers = [Word(t, BBox(20 * n, 100, 20 * n + 8, 110)) for n, t in enumerate("A1234")]
    assert [w.text for w in chart_labels(numbers)] == list("A1234")


def test_grid_lines_are_cut_back_from_their_tick_marks():
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks, read_image

    image = Image.new("RGB", (200, 200), "white")
    for y in (20, 100, 180):  # horizontal grid, running 6 px left of the y axis as ticks
        image.paste((200, 200, 200), (24, y, 190, y + 1))
    for x in (30, 110, 190):  # vertical grid, running 6 px below the x axis as ticks
        image.paste((200, 200, 200), (x, 20, x + 1, 187))
    marks, rules, _ = image_marks(image, scale=1.0)
    assert marks == []

    def by_kind(box: tuple[float, ...]) -> tuple[bool, tuple[float, ...]]:
        return (box[2] - box[0] < box[3] - box[1], box)

    boxes = sorted((d.bbox.as_tuple() for d in rules), key=by_kind)
    expected = sorted(
        [(30.0, y, 191.0, y + 1.0) for y in (20.0, 100.0, 180.0)]
        + [(x, 20.0, x + 1.0, 181.0) for x in (30.0, 110.0, 190.0)],
        key=by_kind,
    )
    assert len(boxes) == len(expected)
    for box, want in zip(boxes, expected, strict=True):
        assert box == pytest.approx(want, abs=1.0)  # a crossing's pixel goes to one line
    # The grid lines' runs on under the x axis are its tick marks, hairlines as a PDF's.
    reading = read_image(image, 1.0, [])
    ticks = sorted(d.bbox.as_tuple() for d in reading.ticks)
    assert ticks == [(x + 0.5, 181.0, x + 0.5, 187.0) for x in (30.0, 110.0, 190.0)]


@pytest.mark.skipif(not (CORPUS / "vega-lite-charts").exists(), reason="corpus not present")
def test_corpus_spot_case_a_raster_chart_with_hollow_points():
    result = docvlm.extract(CORPUS / "vega-lite-charts" / "point_ordinal_color.png", schema="chart")
    points = [(float(p.x), p.y) for s in result.records[0].series for p in s.points]
    for n in range(1, 7):  # each data point read within 5% of the axis range (6)
        assert any(abs(x - n) <= 0.3 and abs(y - n) <= 0.3 for x, y in points), n


def _approx_series(chart: Chart, expected: dict, categories: list, tolerance: float) -> None:
    got = series(chart)
    assert set(got) == set(expected)
    for name, values in expected.items():
        assert [x for x, _ in got[name]] == categories
        assert [y for _, y in got[name]] == pytest.approx(values, abs=tolerance)


@pytest.mark.parametrize("suffix", [".pdf", pytest.param(".png", marks=pytest.mark.slow)])
def test_bars_on_numbered_categories_take_the_category_label(fixtures, suffix):
    """Grouped bars at ticks labelled 2, 3, 4, 5: x is the label, not the bar's centre."""
    from fixtures.make_fixtures import CHART_SIZES

    chart = read_chart(fixtures / f"chart_numbered_bars{suffix}")
    assert chart.chart_type == "bar" and chart.x_label == "Rooms"
    tolerance = 1e-6 if suffix == ".pdf" else 0.05 * 12
    _approx_series(chart, CHART_SIZES, ["2", "3", "4", "5"], tolerance)


@pytest.mark.parametrize("suffix", [".pdf", pytest.param(".png", marks=pytest.mark.slow)])
def test_two_line_category_labels_are_joined(fixtures, suffix):
    from fixtures.make_fixtures import CHART_TYPES

    chart = read_chart(fixtures / f"chart_two_line_labels{suffix}")
    labels = [label.replace("\n", " ") for label in CHART_TYPES]
    tolerance = 1e-6 if suffix == ".pdf" else 0.05 * 18
    _approx_series(chart, {None: list(CHART_TYPES.values())}, labels, tolerance)


@pytest.mark.parametrize("suffix", [".pdf", pytest.param(".png", marks=pytest.mark.slow)])
def test_category_labels_turned_45_degrees_under_thick_lines(fixtures, suffix):
    """Long category labels printed at 45 degrees (OCR reads each as one slanted line; the
    first reaches far left of the plot) under 3-point lines that nothing crosses: whole
    labels, and lines read as lines, not as thin areas."""
    from fixtures.make_fixtures import TURNED_CATEGORIES, TURNED_LINES

    chart = read_chart(fixtures / f"chart_turned_labels{suffix}")
    assert chart.chart_type == "line"
    tolerance = 1e-6 if suffix == ".pdf" else 0.05 * 60
    _approx_series(chart, TURNED_LINES, TURNED_CATEGORIES, tolerance)


@pytest.mark.parametrize("suffix", [".pdf", pytest.param(".png", marks=pytest.mark.slow)])
def test_square_markers_are_a_scatter_not_bars(fixtures, suffix):
    from fixtures.make_fixtures import SQUARE_POINTS

    chart = read_chart(fixtures / f"chart_square_markers{suffix}")
    assert chart.chart_type == "scatter"
    got = series(chart)
    assert set(got) == set(SQUARE_POINTS)
    tolerance = 1e-6 if suffix == ".pdf" else 0.05 * 6
    for name, points in SQUARE_POINTS.items():
        assert [x for x, _ in got[name]] == pytest.approx([x for x, _ in points], abs=tolerance)
        assert [y for _, y in got[name]] == pytest.approx([y for _, y in points], abs=tolerance)


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_office_suite_columns_as_vector_and_raster(fixtures):
    """Columns as LibreOffice draws them: legend at the right, grid lines, a title."""
    from fixtures.make_fixtures import OFFICE_QUARTERS, OFFICE_SERIES

    vector = read_chart(fixtures / "chart_office_columns.pdf")
    assert (vector.chart_type, vector.title) == ("bar", "Sales by channel")
    _approx_series(vector, OFFICE_SERIES, OFFICE_QUARTERS, 0.01 * 200)
    raster = read_chart(fixtures / "chart_office_columns.png")
    assert (raster.chart_type, raster.title) == ("bar", "Sales by channel")
    got = series(raster)
    assert set(got) == set(OFFICE_SERIES)
    for name, values in OFFICE_SERIES.items():
        assert [y for _, y in got[name]] == pytest.approx(values, abs=0.05 * 200)
        # OCR reads the short labels of this 96-dpi image; one of them ('Q3') may be misread.
        labels = [x for x, _ in got[name]]
        assert sum(a == b for a, b in zip(labels, OFFICE_QUARTERS, strict=True)) >= 3


def test_a_line_drawn_on_in_a_second_path_keeps_the_shared_point_in_both(fixtures):
    """A measured line and its dashed forecast, one colour, the forecast starting at the
    measured line's last point: each path is read on its own, so April is there twice (as
    in the data) and nothing else is doubled."""
    from fixtures.make_fixtures import DASHED_PART

    chart = read_chart(fixtures / "chart_dashed_part.pdf")
    assert chart.chart_type == "line" and chart.title == "Measured, then forecast"
    solid, dashed = DASHED_PART
    assert series(chart) == {None: [*solid, *dashed]}


def test_gradient_filled_columns_are_read_from_their_shadings(fixtures):
    """Stacked columns filled with gradients (each a clip with a shading painted through
    it, and a picture of the same gradient under it) over a gradient plot area: every
    segment is a mark of its series' middle colour, read from the drawings, not from the
    rendered page."""
    from fixtures.make_fixtures import OFFICE_QUARTERS, OFFICE_SERIES

    result = docvlm.extract(fixtures / "chart_office_gradient.pdf", schema="chart")
    assert result.status == "ok" and "vector drawings" in result.provenance[0].method
    chart = result.records[0]
    assert isinstance(chart, Chart)
    assert (chart.chart_type, chart.title) == ("bar", "Stacked sales")
    _approx_series(chart, OFFICE_SERIES, OFFICE_QUARTERS, 0.01 * 300)


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_styled_png_with_a_gray_backdrop_and_white_grid(fixtures):
    """matplotlib's ggplot style: a light gray plot backdrop cut by white grid lines, the
    legend inside the plot, tick marks that OCR reads as dashes."""
    from fixtures.make_fixtures import STYLED_LINES, STYLED_MONTHS

    chart = read_chart(fixtures / "chart_styled_lines.png")
    assert (chart.chart_type, chart.title) == ("line", "Cups sold")
    _approx_series(chart, STYLED_LINES, STYLED_MONTHS, 0.05 * 70)


def _numbered_axis() -> object:
    from docvlm.engines.native.axes import NumericAxis

    # value = x / 50 + 8: tick 9 at x = 50, 10 at 100, ... 12 at 200
    labels = tuple((float(v), str(v)) for v in range(9, 13))
    return NumericAxis("x", 1 / 50, 8.0, False, 9.0, 12.0, 3, 1.0, labels)


@pytest.mark.parametrize(
    ("shift", "expected"),
    [(0.0, ["9", "10", "11", "12"]), (0.2, ["9", "10", "11", "12"]), (0.45, None)],
)
def test_bars_on_numbered_steps_shifted_by_turned_labels(shift, expected):
    """Labels turned 45 degrees, read by OCR without their angle, stand off their ticks by
    one shift: pairs of bars on every step, all shifted alike, are still on the steps; a
    shift near half a step is not told apart from bars between the steps."""
    from docvlm.engines.native.axes import lattice_categories

    blue, green = (0.3, 0.4, 0.7), (0.3, 0.6, 0.4)
    spans = []
    for tick in (50, 100, 150, 200):
        centre = tick + shift * 50
        spans += [(centre - 10, centre, blue), (centre, centre + 10, green)]
    axis = lattice_categories(_numbered_axis(), spans)
    if expected is None:
        assert axis is None
    else:
        assert list(axis.labels) == expected
        assert list(axis.centers) == pytest.approx([t + shift * 50 for t in (50, 100, 150, 200)])


def test_labels_the_first_reading_missed_are_read_again_in_the_margins(fixtures):
    """A category label missing from the whole-image reading is found by reading the
    margin below the marks again (the engine enlarges it and runs OCR); a word read twice
    is kept once."""
    from docvlm.engines.native.raster_charts import find_raster_charts
    from docvlm.ocr import page_words

    page = Document.open(fixtures / "chart_bar.png").page(1)
    words = page_words(page, "rapidocr")[0].words
    missed = [w for w in words if w.text == "West"]
    assert len(missed) == 1
    asked = []

    def reread(band, text_height):
        asked.append(band)
        return [w for w in words if band.intersection(w.bbox) == w.bbox]

    scale = 72.0 / page.image_dpi
    first = [w for w in words if w.text != "West"]
    without = find_raster_charts(page.image(), tuple(first), scale)[0].chart
    assert "West" not in {p.x for s in without.series for p in s.points}
    chart = find_raster_charts(page.image(), tuple(first), scale, reread)[0].chart
    assert len(asked) == 3  # left of, below and right of the marks
    assert {s.name: [p.x for p in s.points] for s in chart.series} == {
        name: REGIONS for name in SALES
    }


def test_a_legend_ring_read_as_a_letter_goes_from_its_label():
    """OCR reads a coloured ring and the gray label beside it as one word ('Ox'): the
    letter read from the ring goes, the label stays, the ring is a mark."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks
    from docvlm.geometry import BBox

    image = Image.new("RGB", (120, 40), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 14, 21, 25), outline=(228, 87, 86), width=2)
    draw.text((26, 13), "x", fill=(60, 60, 60))
    word = docvlm.document.Word("Ox", BBox(10, 12, 34, 27))
    marks, _, words = image_marks(image, scale=1.0, words=[word])
    assert [w.text for w in words] == ["x"]
    assert words[0].bbox.x0 == pytest.approx(22.0)
    assert [m.kind for m in marks] == ["point"]


def test_a_grid_line_cut_by_bars_standing_in_front_is_one_rule():
    """A light grid line behind bars shows only between them, in pieces shorter than a
    rule: together they are one grid line, not short gray lines of data."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (200, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.line((16, 50, 195, 50), fill=(220, 220, 220), width=1)
    # Tall bars hide the line but for 14 px before them and 22 px over the short one.
    for x0, x1, top in (
        (30, 69, 30),
        (72, 111, 30),
        (114, 138, 30),
        (141, 160, 70),
        (163, 195, 30),
    ):
        draw.rectangle((x0, top, x1, 100), fill=(76, 120, 168))
    marks, rules, _ = image_marks(image, scale=1.0)
    assert [m.kind for m in marks] == ["bar"] * 5
    assert any(r.bbox.y0 <= 50 <= r.bbox.y1 and r.bbox.width >= 100 for r in rules)


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_ocr_reads_a_slanted_label_as_one_word_with_its_angle(fixtures):
    """A label printed at 45 degrees is one word with its angle, on a line of its own: its
    upright box overlaps its neighbours', which must not join them into one label."""
    from docvlm.ocr import page_words
    from fixtures.make_fixtures import TURNED_CATEGORIES

    page = Document.open(fixtures / "chart_turned_labels.png").page(1)
    words = page_words(page, "rapidocr")[0].words
    turned = [w for w in words if w.angle]
    assert [w.text for w in turned] == TURNED_CATEGORIES
    assert all(w.angle == pytest.approx(45, abs=3) for w in turned)
    assert len({w.line for w in turned}) == len(turned)
    assert not {w.line for w in turned} & {w.line for w in words if not w.angle}


def test_y_labels_are_the_column_most_labels_line_up_in():
    """A stray word (a tick mark OCR read beside the lowest label) reaching further right
    than the labels does not stand for the label column."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import label_column
    from docvlm.geometry import BBox

    labels = [Word(f"{v}%", BBox(60, 300 - 3 * v, 77, 310 - 3 * v)) for v in (5, 10, 15, 20)]
    stray = Word("0% 0", BBox(62, 305, 95, 315))
    column = label_column([*labels, stray], BBox(95, 200, 500, 310))
    assert [w.text for w in column] == ["20%", "15%", "10%", "5%"]


def test_a_legend_swatch_read_as_a_symbol_leaves_the_name():
    from docvlm.document import Word
    from docvlm.engines.native.raster_labels import _without_swatch_symbol
    from docvlm.geometry import BBox

    word = _without_swatch_symbol(Word("\u2611 S\u00fcd", BBox(0, 0, 50, 10)))
    assert (word.text, word.bbox.x0) == ("S\u00fcd", 20)
    for kept in ("\u00b0C", "\u2611", "North"):
        assert _without_swatch_symbol(Word(kept, BBox(0, 0, 50, 10))).text == kept


def test_the_axis_title_under_a_turned_label_is_not_its_second_line():
    """Under labels turned 45 degrees, the level axis title below the middle one stays the
    title: a turned label's lines turn with it."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import label_rows
    from docvlm.geometry import BBox

    names = ("Routers", "Speakers", "Drones")
    turned = [
        Word(n, BBox(280 + 60 * i, 403, 320 + 60 * i, 445), angle=43) for i, n in enumerate(names)
    ]
    title = Word("Product", BBox(337, 453, 376, 467))
    rows = label_rows([*turned, title], BBox(250, 100, 500, 400))
    assert [w.text for w in rows] == list(names)


def test_the_axis_title_centred_on_the_labels_is_no_second_line_of_the_middle_one():
    """The axis title under the middle of five labels, centred on the row of labels though
    not on a plot box that a legend's frame beside it widened, is the title; a second line
    under a label off the middle continues that label."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import label_rows
    from docvlm.geometry import BBox

    names = ("Élevage", "Céréales", "Pêche", "Bâtiment", "Défense")
    row = [Word(n, BBox(40 + 145 * i, 395, 80 + 145 * i, 410)) for i, n in enumerate(names)]
    wide_plot = BBox(47, 4, 714, 396)
    title = Word("Secteur", BBox(330, 413, 370, 428))
    assert [w.text for w in label_rows([*row, title], wide_plot)] == list(names)
    second = Word("Nord", BBox(185, 411, 225, 426))
    read = [w.text for w in label_rows([*row, second], wide_plot)]
    assert read == ["Élevage", "Céréales Nord", "Pêche", "Bâtiment", "Défense"]


def test_a_legend_swatch_read_as_a_symbol_alone_is_no_label():
    """A gray swatch OCR read as a word of its own ('☑' before 'Süd') is dropped, so
    its box hides neither the swatch from the marks nor joins the name beside it."""
    from docvlm.document import Word
    from docvlm.engines.native.raster_labels import chart_labels
    from docvlm.geometry import BBox

    words = [
        Word("☑", BBox(414, 71, 419, 84)),
        Word("Süd", BBox(422, 71, 439, 84)),
        Word("■ □", BBox(300, 71, 320, 84)),
        Word("20°C", BBox(10, 71, 40, 84)),
    ]
    assert [w.text for w in chart_labels(words)] == ["Süd", "20°C"]


@pytest.mark.parametrize(("shift", "expected"), [(0.0, 2009.0), (0.1, 2009.0), (0.45, None)])
def test_a_traced_area_is_read_at_the_steps_it_spans(shift, expected):
    """An area traced from pixels (an outline point per column) over labelled years is
    read at the years, even when both ends stand a little off the ticks (turned labels);
    an area whose ends are between the steps stays on its own outline."""
    from docvlm.engines.native.areas import read_area
    from docvlm.engines.native.axes import NumericAxis
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    # x = 10 * (year - 2009 + shift); y = 100 - value
    labels = tuple((float(y), str(y)) for y in range(2009, 2014))
    x_axis = NumericAxis("x", 0.1, 2009.0 - shift, False, 2009.0, 2013.0, 3, 1.0, labels)
    y_axis = NumericAxis("y", -1.0, 100.0, False, 0.0, 100.0, 1, 10.0, ())
    xs = [x / 2 for x in range(0, 81)]
    upper = [(x, 100 - (20 + x / 4)) for x in xs]
    outline = upper + [(x, 100.0) for x in reversed(xs)]
    area = Mark("area", BBox(0, 70, 40, 100), (0.2, 0.4, 0.8), outline, pixels=900.0)
    points = read_area(area, x_axis, y_axis)
    if expected is None:
        assert len(points) > 10
    else:
        assert [x for x, _ in points] == [2009.0, 2010.0, 2011.0, 2012.0, 2013.0]
        assert [y for _, y in points] == pytest.approx([20, 22.5, 25, 27.5, 30], abs=0.3)


def test_a_steep_stroke_is_as_wide_as_a_level_one():
    """A thick line at 60 degrees cuts each column twice as long as it is wide; its width
    across is that of the same line drawn level, so a thick line that nothing crosses is
    told from an area's band."""
    import cv2
    import numpy as np

    from docvlm.engines.native.traced_lines import _stroke_width

    def width(end: tuple[int, int]) -> tuple[float, float]:
        curve = np.zeros((250, 250), np.uint8)
        cv2.line(curve, (20, 230), end, 1, thickness=5)
        centre = [
            (column + 0.5, float(np.median(rows)) + 0.5)
            for column in range(250)
            if len(rows := np.nonzero(curve[:, column])[0])
        ]
        columns = curve.sum(axis=0)
        return _stroke_width(curve.astype(bool), centre), float(np.median(columns[columns > 0]))

    level, _ = width((220, 230))
    steep, cut = width((120, 57))
    assert cut >= 1.8 * level
    assert steep == pytest.approx(level, rel=0.1)


def test_words_of_a_legend_name_boxed_by_ocr_are_one_label():
    """OCR boxes the glyphs either side of a space tightly ('Team' 'Alpha' 6 points apart
    at a 14-point height): one label; the next legend name, further on, is another."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import merge_line_words
    from docvlm.geometry import BBox

    words = [
        Word("2023", BBox(433.4, 465.1, 455.0, 479.5)),
        Word("Team", BBox(487.7, 465.1, 510.2, 479.5)),
        Word("Alpha", BBox(516.5, 465.1, 543.8, 479.5)),
    ]
    assert [w.text for w in merge_line_words(words)] == ["2023", "Team Alpha"]


def test_stacked_segments_shaded_by_one_gradient_are_two_bars():
    """Two stacked segments shaded top to bottom by one gradient meet in a step of a few
    delta E, far under the step that cuts regions, but the gradient around it moves by a
    fraction of that per pixel: the step cuts them apart."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((200, 120, 3), 255, np.uint8)
    for row in range(40, 180):
        shade = 150 - (row - 40) * 0.35  # about half a delta E a row
        lower = row >= 120
        pixels[row, 40:80] = (shade + 40 + (8 if lower else 0), shade, 44 if lower else 40)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    bars = sorted((m.bbox.y0, m.bbox.y1) for m in marks if m.kind == "bar")
    assert bars == [pytest.approx((40, 120), abs=1), pytest.approx((120, 180), abs=1)]


def test_a_label_reaching_a_bars_edge_leaves_it_a_bar():
    """A data label whose box reaches past a horizontal bar's top edge opens the bar's
    outline there: the label, with the bar either side of it, is still the bar's."""
    from PIL import Image, ImageDraw

    from docvlm.document import Word
    from docvlm.engines.native.raster_charts import image_marks
    from docvlm.geometry import BBox

    image = Image.new("RGB", (400, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 180, 50), fill=(76, 120, 168))
    draw.text((80, 28), "16.2%", fill=(0, 0, 0))
    word = Word("16.2%", BBox(76, 19, 116, 44))
    marks, _, words = image_marks(image, scale=1.0, words=[word])
    assert [w.text for w in words] == ["16.2%"]
    assert [(m.kind, m.bbox.x0, m.bbox.x1) for m in marks] == [
        ("bar", pytest.approx(20, abs=1), pytest.approx(181, abs=1))
    ]


def test_a_hatched_bar_is_one_bar_without_its_hatch_lines():
    """Black diagonal hatching over a bar's fill cuts it into many strips of the fill's
    colour: joined across the hatch lines they are the one bar, and the lines go."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((220, 300, 3), 255, np.uint8)
    rows, columns = np.mgrid[0:220, 0:300]
    for x0, top in ((40, 40), (140, 100)):
        bar = (columns >= x0) & (columns < x0 + 60) & (rows >= top) & (rows < 200)
        pixels[bar] = (52, 138, 189)
        pixels[bar & ((rows + columns) % 10 < 2)] = (0, 0, 0)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert sorted((m.kind, m.bbox.x0, m.bbox.y0, m.bbox.y1) for m in marks) == [
        ("bar", pytest.approx(40, abs=1.5), pytest.approx(40, abs=1.5), pytest.approx(200)),
        ("bar", pytest.approx(140, abs=1.5), pytest.approx(100, abs=1.5), pytest.approx(200)),
    ]


def test_a_line_with_markers_is_not_taken_for_a_hatched_fill():
    """A line's markers sit on it in its colour, a few pixels apart: joined, they would
    cover little more than they do, so they stay a line and its points."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.hatching import join_hatched
    from docvlm.engines.native.raster_charts import read_image

    image = Image.new("RGB", (300, 160), "white")
    draw = ImageDraw.Draw(image)
    points = [(30 + 40 * i, 120 - 12 * i) for i in range(7)]
    draw.line(points, fill=(214, 39, 40), width=2)
    for x, y in points:
        draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(214, 39, 40))
    reading = read_image(image, 1.0, [])
    backgrounds = [reading.lab[0, 0]]
    assert join_hatched(reading.pieces, reading.lab, backgrounds, 16.0) == reading.pieces


def test_a_tiny_outlined_legend_swatch_is_a_mark():
    """A small image's legend swatch: five by five pixels of colour inside a dark outline.
    Its anti-aliasing aside, only its three-by-three middle is clear of edges, and that is
    enough for a mark of its colour."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((60, 80, 3), 255, np.uint8)
    pixels[20:27, 30:37] = (64, 64, 64)
    pixels[21:26, 31:36] = (58, 118, 192)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert [(m.bbox.x0, m.bbox.y0) for m in marks] == [
        (pytest.approx(31, abs=1), pytest.approx(21, abs=1))
    ]
    assert marks[0].color[2] > 0.6 > marks[0].color[0]


def test_words_outside_a_dark_chart_area_are_not_the_charts():
    """A dark theme's chart area holds the plot and its axis labels; the data table printed
    below it, outside the area, is not read as the chart's labels."""
    from PIL import Image, ImageDraw

    from docvlm.document import Word
    from docvlm.engines.native.raster_charts import image_marks
    from docvlm.geometry import BBox

    image = Image.new("RGB", (400, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 390, 230), fill=(0, 0, 0))
    for x0, top in ((120, 60), (200, 110), (280, 150)):
        draw.rectangle((x0, top, x0 + 40, 200), fill=(200, 60, 60))
    inside = [Word("20", BBox(60, 55, 80, 67)), Word("10", BBox(60, 125, 80, 137))]
    below = [Word("1,660", BBox(120, 260, 160, 272)), Word("Revenue", BBox(20, 260, 80, 272))]
    _, _, words = image_marks(image, scale=1.0, words=inside + below)
    assert [w.text for w in words] == ["20", "10"]


def test_a_gray_gradient_bar_on_a_dark_chart_area_keeps_its_light_top():
    """On a black chart area in a white page, a gray bar shaded from near white at its top
    to mid gray at its foot is a bar its full height: nearly the page's colour is no
    ground inside the dark area."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((240, 320, 3), 255, np.uint8)
    pixels[10:230, 10:310] = 0
    for x0, top in ((60, 40), (140, 90), (220, 60)):
        shade = np.linspace(242, 185, 200 - top).astype(np.uint8)
        pixels[top:200, x0 : x0 + 30] = shade[:, None, None]
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((60, 40, 200), (140, 90, 200), (220, 60, 200))


def test_pale_bars_hatched_with_slanting_lines_are_whole_bars():
    """Pale blue bars that fine slanting hatch lines cut into strips the size of letters
    are whole bars: the strips are neither text nor grid lines, and joined they fill the
    bar, though thin lines far apart hardly swell the fill."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((400, 900, 3), 255, np.uint8)
    rows, columns = np.mgrid[0:400, 0:900]
    hatch = (rows + columns) % 8 < 2
    spans = [(40 + 80 * i, 120 + 20 * (i % 5)) for i in range(10)]
    for x0, top in spans:
        bar = (slice(top, 380), slice(x0, x0 + 31))
        pixels[bar] = (208, 220, 240)
        pixels[bar][hatch[bar]] = (108, 146, 208)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=0.44)
    bars = sorted(
        (m.bbox.x0 / 0.44, m.bbox.y0 / 0.44, m.bbox.y1 / 0.44) for m in marks if m.kind == "bar"
    )
    assert bars == _within_a_pixel(*((x0, top, 380) for x0, top in spans))


def test_a_grid_line_ends_where_it_is_drawn_not_at_a_letter_in_its_row():
    """A stroke of a letter in a grid line's row, beyond the line's end and further off
    than it is long, is no part of the line; a dashed line's dashes are."""
    import numpy as np

    from docvlm.engines.native.backdrops import find_rules
    from docvlm.engines.native.colours import to_lab

    pixels = np.full((100, 420, 3), 255, np.uint8)
    pixels[30, 10:300] = 150  # a grid line
    pixels[30, 360:366] = 0  # a letter's stroke, in the line's row
    pixels[60, 10:296][np.arange(286) % 8 < 6] = 150  # a dashed grid line
    lab = to_lab(pixels)
    drawn = pixels.min(axis=2) < 240
    _, boxes = find_rules(drawn, lab, 69)
    assert sorted((x0, y0, x1) for x0, y0, x1, _ in boxes) == [(10, 30, 300), (10, 60, 296)]


def test_stacked_segments_shaded_alike_part_where_the_gradient_starts_again():
    """Two stacked segments, each shaded top to bottom from light to dark in nearly one
    hue: the short one's gradient runs steeper than the small step back where the tall one
    starts, and still they are two bars."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    def shaded(top: tuple[int, ...], foot: tuple[int, ...], rows: int) -> np.ndarray:
        return np.linspace(top, foot, rows).round().astype(np.uint8)[:, None, :]

    pixels = np.full((240, 200, 3), 255, np.uint8)
    for x0 in (40, 120):
        pixels[78:100, x0 : x0 + 36] = shaded((246, 132, 38), (196, 105, 30), 22)
        pixels[100:200, x0 : x0 + 36] = shaded((207, 112, 33), (162, 89, 26), 100)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel(
        (40, 78, 100), (40, 100, 200), (120, 78, 100), (120, 100, 200)
    )


def test_a_bar_cut_by_a_line_drawn_across_it_is_one_bar():
    """A line series drawn across a bar near its top cuts it in two pieces of its colour,
    one above the other: they are one bar, as tall as both."""
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (300, 220), "white")
    draw = ImageDraw.Draw(image)
    for x0, top in ((40, 40), (120, 70), (200, 60)):
        draw.rectangle((x0, top, x0 + 30, 200), fill=(79, 129, 189))
    draw.line((20, 50, 140, 62, 280, 90), fill=(192, 80, 77), width=3)
    marks, _, _ = image_marks(image, scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((40, 40, 201), (120, 70, 201), (200, 60, 201))


def test_a_lone_area_below_zero_reads_negative_and_reaches_the_end_labels():
    """A vector area standing on the zero line and dipping below it: values below zero are
    negative, and the last label, centred a point past the area's end, still reads it."""
    from docvlm.engines.native.areas import read_area
    from docvlm.engines.native.axes import CategoryAxis, NumericAxis
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    # y = 50 - value: zero at y = 50
    y_axis = NumericAxis("y", -1.0, 50.0, False, -20.0, 20.0, 1, 10.0, ())
    x_axis = CategoryAxis("x", ("A", "B", "C"), (0.0, 20.0, 41.0))
    outline = [(0.0, 50.0), (0.0, 40.0), (20.0, 65.0), (40.0, 45.0), (40.0, 50.0)]
    area = Mark("area", BBox(0, 40, 40, 65), (0.2, 0.4, 0.8), outline)
    assert read_area(area, x_axis, y_axis) == [("A", 10.0), ("B", -15.0), ("C", 5.0)]


def test_an_area_filled_to_the_floor_of_an_axis_above_zero_reads_at_its_top():
    """The value axis runs from 5 to 30, and the area is filled down to the plot's floor
    (it stands on the zero line below the plot, cut off there): each value is where its
    top stands, not its height above the floor; a band stacked on it stays a height."""
    from docvlm.engines.native.areas import read_area
    from docvlm.engines.native.axes import CategoryAxis, NumericAxis
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    # y = 130 - 4 * value: 5 at the floor, y = 110; zero 20 points below it
    y_axis = NumericAxis("y", -0.25, 32.5, False, 5.0, 30.0, 1, 5.0, ())
    x_axis = CategoryAxis("x", ("A", "B", "C"), (0.0, 20.0, 40.0))
    lower = Mark(
        "area",
        BBox(0, 50, 40, 110),
        (0.2, 0.4, 0.8),
        [(0.0, 110.0), (0.0, 82.0), (20.0, 50.0), (40.0, 70.0), (40.0, 110.0)],
    )
    upper = Mark(
        "area",
        BBox(0, 20, 40, 82),
        (0.9, 0.4, 0.1),
        [(0.0, 82.0), (0.0, 62.0), (20.0, 20.0), (40.0, 30.0), (40.0, 70.0), (20.0, 50.0)],
    )
    areas = [lower, upper]
    assert read_area(lower, x_axis, y_axis, areas) == [("A", 12.0), ("B", 20.0), ("C", 15.0)]
    assert read_area(upper, x_axis, y_axis, areas) == [("A", 5.0), ("B", 7.5), ("C", 10.0)]


def test_labels_in_separate_text_blocks_stay_apart():
    """Crowded category labels a space apart ('Store 1' then 'Store 2'): the text layer
    keeps each in a text block of its own, and so do they; without blocks (OCR words) the
    words a space apart join."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import merge_line_words
    from docvlm.geometry import BBox

    words = [
        Word("Store", BBox(0, 0, 30, 10), block=0),
        Word("1", BBox(33, 0, 38, 10), block=0),
        Word("Store", BBox(42, 0, 72, 10), block=1),
        Word("2", BBox(75, 0, 80, 10), block=1),
    ]
    assert [w.text for w in merge_line_words(words, by_block=True)] == ["Store 1", "Store 2"]
    assert [w.text for w in merge_line_words(words)] == ["Store 1 Store 2"]


def test_a_legend_in_large_type_names_its_series():
    """A legend label set in large type stands further from its swatch than small type
    does (22 points for a 24-point text height): still the swatch's name."""
    from docvlm.document import Word
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    swatch = Mark("point", BBox(100, 10, 106, 16), (0.9, 0.3, 0.2))
    data = Mark("point", BBox(20, 60, 26, 66), (0.9, 0.3, 0.2))
    label = Word("Forecast", BBox(128, 1, 190, 25))
    legend, marks = split_legend([swatch, data], [label])
    assert legend == {(0.9, 0.3, 0.2): "Forecast"} and marks == [data]


def test_a_year_names_a_bar_swatch_stacked_over_a_line_swatch():
    """A legend of a bar series named '2023' over a line series: the bar's swatch and the
    line's stand in one column, so the year is the bar series' name, not a data label."""
    from docvlm.document import Word
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    bar = Mark("bar", BBox(650, 9, 670, 16), (0.3, 0.45, 0.7))
    line = Mark("line", BBox(650, 27, 670, 27), (0.3, 0.65, 0.4), [(650, 27), (670, 27)])
    words = [Word("2023", BBox(678, 7, 700, 19)), Word("Ventes", BBox(678, 21, 709, 33))]
    legend, marks = split_legend([bar, line], words)
    assert legend == {(0.3, 0.45, 0.7): "2023", (0.3, 0.65, 0.4): "Ventes"} and marks == []


def test_a_value_printed_on_the_next_bar_names_no_sliver_of_a_bar_beside_it():
    """A stacked bar's top segment left a thin sliver of its colour along its edge, and
    the next bar's value label ('412') stands just right of it: a sliver of a bar is no
    line swatch, so the value names nothing; the swatch beside 'Exports' names it."""
    from docvlm.document import Word
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    purple = (0.51, 0.45, 0.7)
    sliver = Mark("line", BBox(245, 133.9, 260.9, 134.6), purple, [(245, 134), (261, 134)])
    bars = [Mark("bar", BBox(237.5, 134, 268.5, 156), purple)]
    bars.append(Mark("bar", BBox(276.8, 127.8, 307.8, 146.7), purple))
    swatch = Mark("bar", BBox(572, 103, 582, 113), purple)
    words = [Word("412", BBox(282.8, 129.3, 301.3, 144.3))]
    words.append(Word("Exports", BBox(597, 100, 634, 118)))
    legend, marks = split_legend([swatch, *bars, sliver], words)
    assert legend == {purple: "Exports"}
    assert swatch not in marks and all(bar in marks for bar in bars)


def test_a_legend_drawn_over_the_bars_keeps_its_names():
    """A legend drawn inside the plot over the bars (a vector chart's bars stay whole
    under it): its swatches and names lie on the bars, and still name the series, a line
    swatch over a bar of another colour included."""
    from docvlm.document import Word
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    green, purple, red = (0.3, 0.6, 0.3), (0.51, 0.45, 0.7), (0.8, 0.2, 0.2)
    bar = Mark("bar", BBox(40, 10, 90, 200), green)
    swatches = [Mark("bar", BBox(46, 20, 60, 27), purple)]
    swatches.append(Mark("line", BBox(46, 34, 60, 35), red, [(46, 34.5), (60, 34.5)]))
    words = [Word("Imports", BBox(64, 18, 98, 29)), Word("Exports", BBox(64, 29, 98, 40))]
    legend, marks = split_legend([bar, *swatches], words)
    assert legend == {purple: "Imports", red: "Exports"} and marks == [bar]


def test_a_bar_over_a_tick_mark_and_a_marker_is_a_mark_not_a_box_of_others():
    """A bar with an inward tick mark at its base and a line's marker over it (filled and
    outlined: two drawings, one shape) holds no other shapes the way a backdrop or a legend
    box does."""
    from dataclasses import replace

    from docvlm.document import Drawing
    from docvlm.engines.native.marks import _holds_others
    from docvlm.geometry import BBox

    def box(x0: float, y0: float, x1: float, y1: float) -> Drawing:
        items = (("re", (x0, y0, x1, y1)),)
        return Drawing(BBox(x0, y0, x1, y1), "fill", None, (0.2, 0.5, 0.7), 0.0, items)

    def stroke(x0: float, y0: float, x1: float, y1: float, gray: float) -> Drawing:
        items = (("l", (x0, y0), (x1, y1)),)
        return Drawing(BBox(x0, y0, x1, y1), "stroke", (gray, gray, gray), None, 0.8, items)

    bar = box(130, 90, 170, 370)
    tick = stroke(150, 366, 150, 370, 0.0)
    marker = box(148, 150, 154, 156)
    outline = replace(marker, kind="stroke", stroke=(0.7, 0.3, 0.3), fill=None)
    assert not _holds_others(bar, (bar, tick, marker, outline))
    grid = stroke(130, 200, 170, 200, 0.8)  # a backdrop's grid line: a box of others
    assert _holds_others(bar, (bar, tick, marker, outline, grid))


def test_an_area_is_read_at_its_corners_under_labels_turned_45_degrees():
    """Labels turned 45 degrees end a few points off their ticks: a vector area is read at
    its corner by each label, not between corners."""
    from docvlm.engines.native.areas import read_area
    from docvlm.engines.native.axes import CategoryAxis, NumericAxis
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    y_axis = NumericAxis("y", -1.0, 100.0, False, 0.0, 100.0, 1, 10.0, ())
    x_axis = CategoryAxis("x", ("A", "B", "C"), (3.5, 43.5, 83.5))  # corners at 0, 40, 80
    outline = [(0.0, 100.0), (0.0, 80.0), (40.0, 40.0), (80.0, 70.0), (80.0, 100.0)]
    area = Mark("area", BBox(0, 40, 80, 100), (0.2, 0.4, 0.8), outline)
    assert read_area(area, x_axis, y_axis) == [("A", 20.0), ("B", 60.0), ("C", 30.0)]


def test_a_category_named_as_a_series_is_still_a_category():
    """A category labelled 'Sales' under a line whose legend also says 'Sales': the legend's
    word names the series, the word in the row of category labels is a category."""
    from docvlm.document import Drawing, Word
    from docvlm.engines.native.charts import chart_from_marks
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    # Categories at x = 100, 200, 300; y = 300 - 2 * value (0 at y = 300, 100 at y = 100).
    values = [10.0, 95.0, 55.0]
    vertices = [(100.0 * (k + 1), 300 - 2 * v) for k, v in enumerate(values)]
    line = Mark("line", BBox(100, 110, 300, 280), (0.8, 0.2, 0.2), vertices)
    swatch = Mark("line", BBox(150, 40, 170, 40), (0.8, 0.2, 0.2), [(150, 40), (170, 40)])
    ticks = [Word(str(v), BBox(60, 300 - 2 * v - 5, 80, 300 - 2 * v + 5)) for v in (0, 50, 100)]
    labels = [
        Word(text, BBox(x - 15, 305, x + 15, 315), block=k)
        for k, (text, x) in enumerate((("North", 100), ("South", 200), ("Sales", 300)))
    ]
    legend = Word("Sales", BBox(175, 35, 205, 45), block=9)
    gray = (0.5, 0.5, 0.5)
    axes = tuple(
        Drawing(BBox(*box), "stroke", gray, None, 1.0, (("l", box[:2], box[2:]),))
        for box in ((90.0, 300.0, 310.0, 300.0), (90.0, 100.0, 90.0, 300.0))
    )
    words = [*ticks, *labels, legend]
    (found,) = chart_from_marks([line, swatch], words, axes, text_layer=True)
    assert series(found.chart) == {
        "Sales": list(zip(["North", "South", "Sales"], values, strict=True))
    }


def test_hatch_lines_over_a_wedge_are_hatching_not_data():
    """A pattern-filled wedge: its fill and short strokes of a darker shade cut to it. The
    strokes are the pattern; a stroke elsewhere on the page stays."""
    from docvlm.document import Drawing
    from docvlm.engines.native.marks import _without_hatching
    from docvlm.geometry import BBox

    wedge_items = (
        ("l", (300.0, 300.0), (300.0, 150.0)),
        ("c", (300.0, 150.0), (380.0, 150.0), (450.0, 220.0), (450.0, 300.0)),
        ("l", (450.0, 300.0), (300.0, 300.0)),
    )
    wedge = Drawing(BBox(300, 150, 450, 300), "fill", None, (0.8, 0.85, 0.95), 0.0, wedge_items)
    blue = (0.3, 0.45, 0.8)

    def stroke(x0: float, y0: float, x1: float, y1: float) -> Drawing:
        return Drawing(
            BBox(x0, y0, x1, y1), "stroke", blue, None, 0.5, (("l", (x0, y0), (x1, y1)),)
        )

    hatching = [stroke(300, 150 + 10 * k, 310 + 10 * k, 160 + 10 * k) for k in range(6)]
    elsewhere = stroke(100, 100, 130, 130)
    kept = _without_hatching((wedge, *hatching, elsewhere), page_area=600.0 * 800.0)
    assert kept == (wedge, elsewhere)


def test_narrow_bars_on_a_continuous_axis_are_bars():
    """Bars a few pixels wide (on a continuous axis), anti-aliased at both edges, are too
    narrow for a filled region's core: solid rectangles wider than a line is drawn are
    still bars, whole to their ends; a line series drawn across the chart is not."""
    import numpy as np
    from PIL import Image, ImageDraw

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((220, 300, 3), 255.0)
    blue = np.array([76.0, 120.0, 168.0])
    for x0, top in ((40, 40), (120, 130), (200, 90)):
        pixels[top:200, x0] = 0.5 * blue + 0.5 * 255  # the edges fall between pixels
        pixels[top:200, x0 + 1 : x0 + 5] = blue
        pixels[top:200, x0 + 5] = 0.3 * blue + 0.7 * 255
    image = Image.fromarray(pixels.astype(np.uint8))
    ImageDraw.Draw(image).line((20, 20, 150, 30, 280, 15), fill=(228, 87, 86), width=3)
    marks, _, _ = image_marks(image, scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((40, 40, 200), (120, 130, 200), (200, 90, 200))
    assert {m.kind for m in marks if m.color[0] > 0.8} == {"line"}


def test_a_raster_bar_a_pixel_or_two_off_the_zero_line_stands_on_it():
    """An image's zero line is placed from OCR'd tick labels, a pixel or two off: a
    raster bar whose end is that near stands on zero (one value); a vector bar that far
    off floats (its two ends)."""
    from docvlm.engines.native.axes import CategoryAxis, NumericAxis
    from docvlm.engines.native.cartesian import _bar
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    # x = 45 + 3 * value: zero at x = 45
    value_axis = NumericAxis("x", 1 / 3, -15.0, False, 0.0, 90.0, 0, 10.0, ())
    categories = CategoryAxis("y", ("a",), (40.0,))
    box = BBox(42.5, 37, 120, 43)
    raster = Mark("bar", box, (0.3, 0.5, 0.7), pixels=460.0)
    vector = Mark("bar", box, (0.3, 0.5, 0.7))
    assert _bar(raster, [raster], value_axis, categories, True) == [("a", 25.0)]
    assert len(_bar(vector, [vector], value_axis, categories, True)) == 2


def test_an_accent_ocr_put_on_a_plain_capital_goes():
    """OCR reads a category 'E' as 'È': its ink stands no taller than the capitals beside
    it, so it is 'E'; a real accent rises above its neighbours and stays, and so do the
    accents of a word."""
    import numpy as np

    from docvlm.document import Word
    from docvlm.engines.native.accents import without_false_accents
    from docvlm.engines.native.colours import to_lab
    from docvlm.geometry import BBox

    pixels = np.full((40, 120, 3), 255, np.uint8)
    pixels[20:30, 10:16] = 0  # 'D', ten pixels tall
    pixels[20:30, 30:36] = 0  # 'E', read as 'È'
    pixels[15:30, 50:56] = 0  # a real 'É', its accent above the line
    lab = to_lab(pixels)
    background = [lab[0, 0].astype(np.float32)]
    words = [
        Word("D", BBox(9, 18, 17, 31)),
        Word("È", BBox(29, 18, 37, 31)),
        Word("É", BBox(49, 13, 57, 31)),
        Word("Süd", BBox(9, 18, 37, 31)),  # a word: its 'd' as tall as its 'ü'
    ]
    read = without_false_accents(words, lab, background, 1.0)
    assert [w.text for w in read] == ["D", "E", "É", "Süd"]


def test_lone_letters_side_by_side_are_separate_labels():
    """Crowded one-letter categories ('C' 'Z' a pixel apart, as OCR boxes turned letters)
    are one label each; a word and a letter a space apart ('Type A') still join."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import merge_line_words
    from docvlm.geometry import BBox

    letters = [Word("C", BBox(88, 316, 105, 326)), Word("Z", BBox(106, 316, 125, 326))]
    assert [w.text for w in merge_line_words(letters)] == ["C", "Z"]
    named = [Word("Type", BBox(0, 0, 24, 10)), Word("A", BBox(28, 0, 34, 10))]
    assert [w.text for w in merge_line_words(named)] == ["Type A"]


def test_bars_of_one_colour_stacked_a_white_hairline_apart_stay_two():
    """Two values of one colour stacked in one column, drawn a white hairline apart that
    anti-aliasing tints with their colour: two bars, each its own height; a line of
    another colour drawn across a bar still leaves it one."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((220, 200, 3), 255.0)
    blue = np.array([70.0, 130.0, 180.0])
    pixels[60:200, 40:60] = blue
    pixels[120] = np.where(pixels[120] < 255, 0.5 * blue + 0.5 * 255, 255)  # the hairline
    pixels[121, 40:60] = 0.2 * blue + 0.8 * 255
    pixels[60:200, 120:140] = blue
    pixels[100:103, 110:150] = (228, 87, 86)  # a line across the second column
    marks, _, _ = image_marks(Image.fromarray(pixels.astype(np.uint8)), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((40, 60, 120), (40, 122, 200), (120, 60, 200))


def test_a_grid_line_seen_through_a_see_through_bar_leaves_it_one():
    """White grid lines on a gray plot ground, seen through a half see-through bar as a
    line of the bar's colour toward white (as a hairline between stacked values is): the
    line goes on beside the bar, so it is the grid, and the bar stays one."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    red = np.array([245.0, 117.0, 117.0])  # a pure red half see-through over the gray
    pixels = np.full((260, 240, 3), 255.0)
    pixels[20:230, 20:220] = 235.0
    pixels[40:230, 60:90] = red
    for row in (70, 130):
        pixels[[row - 1, row + 1], 20:220] = 245.0  # grid lines, anti-aliased
        pixels[row, 20:220] = 255.0
        pixels[[row - 1, row + 1], 60:90] = red + 6.0  # ... seen through the bar
        pixels[row, 60:90] = red + 10.0
    marks, _, _ = image_marks(Image.fromarray(pixels.astype(np.uint8)), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel((60, 40, 230))


def test_values_of_one_colour_stacked_a_faint_hairline_apart_are_split():
    """Three values of one colour stacked in a column with a faint background hairline
    between them (a few delta E lighter, too faint a step to cut at) are three bars; a
    gradient-shaded bar, its colour moving smoothly, stays one."""
    import numpy as np
    from PIL import Image

    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((220, 200, 3), 255.0)
    blue = np.array([76.0, 120.0, 168.0])
    pixels[40:200, 40:60] = blue
    for row in (100, 170):
        pixels[row, 40:60] = 0.85 * blue + 0.15 * 255
    for row in range(40, 200):
        pixels[row, 120:140] = blue + (row - 40) * 0.3
    marks, _, _ = image_marks(Image.fromarray(pixels.astype(np.uint8)), scale=1.0)
    assert _bar_spans(marks) == _within_a_pixel(
        (40, 40, 100), (40, 101, 170), (40, 171, 200), (120, 40, 200)
    )


@pytest.mark.parametrize("marker", ["o", "s"])
def test_scatter_markers_the_plot_clips_at_its_edges_are_points(tmp_path, marker):
    """A vector scatter whose first and last points lie on the plot's edges: each marker
    there is clipped to the plot by a clip no wider than itself. It is the marker, read
    at its point, not a filled box the size of the clip."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs, ys = [10, 25, 40, 55, 70], [3.0, 7.0, 5.0, 8.0, 4.0]
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.scatter(xs, ys, marker=marker, s=40, color="#3a0ca3")
    axes.set_xlim(10, 70)
    axes.set_ylim(0, 10)
    path = tmp_path / "scatter.pdf"
    figure.savefig(path)
    plt.close(figure)
    chart = read_chart(path)
    assert chart.chart_type == "scatter"
    points = sorted((float(p.x), p.y) for s in chart.series for p in s.points)
    assert [x for x, _ in points] == pytest.approx(xs, abs=0.6)
    assert [y for _, y in points] == pytest.approx(ys, abs=0.1)


def test_names_set_before_their_swatches_name_the_swatch_after_them():
    """A legend that sets each name before its swatch, in a row ('Online ▬ Forecast ▬') or
    flush right in a column: each swatch takes the name left of it, not the next entry's
    name right of it (which named every series after its neighbour)."""
    from docvlm.document import Word
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark
    from docvlm.geometry import BBox

    green, orange, purple = (0.1, 0.6, 0.5), (0.85, 0.37, 0.01), (0.46, 0.44, 0.7)
    row = [
        Word("Online", BBox(130, 300, 160, 310)),
        Word("Forecast", BBox(225, 300, 270, 310)),
        Word("Ingresos", BBox(330, 300, 375, 310)),
    ]
    swatches = [
        Mark("bar", BBox(165, 302, 205, 308), green),
        Mark("bar", BBox(275, 302, 315, 308), orange),
        Mark("bar", BBox(380, 302, 420, 308), purple),
    ]
    legend, marks = split_legend(swatches, row)
    assert legend == {green: "Online", orange: "Forecast", purple: "Ingresos"} and marks == []
    column = [
        Word(w.text, BBox(400 - w.bbox.width, 20 + 12 * i, 400, 30 + 12 * i))
        for i, w in enumerate(row)
    ]
    lines = [
        Mark(
            "line",
            BBox(405, 24.5 + 12 * i, 435, 25.5 + 12 * i),
            colour,
            [(405, 25 + 12 * i), (435, 25 + 12 * i)],
        )
        for i, colour in enumerate((green, orange, purple))
    ]
    legend, marks = split_legend(lines, column)
    assert legend == {green: "Online", orange: "Forecast", purple: "Ingresos"} and marks == []
    # Names after their swatches, as most legends set them, stay theirs.
    after = [Word(w.text, BBox(440, w.bbox.y0, 440 + w.bbox.width, w.bbox.y1)) for w in column]
    legend, _ = split_legend(lines, after)
    assert legend == {green: "Online", orange: "Forecast", purple: "Ingresos"}


def test_a_pie_slice_drawn_in_the_ground_s_colour_keeps_its_share(tmp_path):
    """A vector pie on a light gray ground whose last slice is filled a shade off the
    ground (a pastel palette's gray), taken for the ground and dropped: the arc no wedge
    covers is that slice, named by the label printed beside it, and the others keep
    their shares rather than grow to fill the turn."""
    import math

    import pymupdf

    ground, shares = (0.94, 0.94, 0.94), {"Rent": 0.4, "Staff": 0.35, "Energy": 0.15, "Other": 0.1}
    fills = [(0.98, 0.71, 0.68), (0.70, 0.80, 0.89), (0.80, 0.92, 0.77), (0.95, 0.95, 0.95)]
    document = pymupdf.open()
    page = document.new_page(width=400, height=320)
    page.draw_rect(page.rect, color=None, fill=ground)
    centre, radius, start = pymupdf.Point(200, 160), 110, 0.0
    for (name, share), fill in zip(shares.items(), fills, strict=True):
        turn = [start + 2 * math.pi * share * k / 40 for k in range(41)]
        rim = [centre + pymupdf.Point(math.cos(a), -math.sin(a)) * radius for a in turn]
        shape = page.new_shape()
        shape.draw_polyline([centre, *rim])
        shape.finish(color=None, fill=fill, closePath=True)
        shape.commit()
        middle = start + math.pi * share
        at = centre + pymupdf.Point(math.cos(middle), -math.sin(middle)) * (radius + 16)
        page.insert_text(at + pymupdf.Point(-12, 3), name, fontsize=9)
        start += 2 * math.pi * share
    path = tmp_path / "pie.pdf"
    document.save(path)
    chart = read_chart(path)
    read = dict(series(chart)[None])
    assert set(read) == set(shares)
    for name, share in shares.items():
        assert read[name] == pytest.approx(share, abs=0.005), name
