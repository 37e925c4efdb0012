"""A web charting library's legend boxes, up to three swatches wide (40 by 12 pixels)
beside each name, name their series and are no bars; a line whose points stand on year
labels turned 45 degrees, a little off their ticks, reads at the years; a legend column
left of the y labels is read again with them; boxes labelled with years are a legend."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm.engines.native.axes import NumericAxis
from docvlm.engines.native.cartesian import _vertices_on_steps
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_labels import reread_margins
from docvlm.geometry import BBox
from docvlm.page_content import Word

GRAY, GRID = (102, 102, 102), (225, 225, 225)
SERIES = {  # name: (colour, values per region)
    "Wholesale": ((78, 121, 167), (40, 25, 33, 18)),
    "Retail": ((242, 142, 43), (12, 30, 21, 44)),
    "Online": ((225, 87, 89), (28, 16, 9, 36)),
}
REGIONS = ("North", "South", "East", "West")
PLOT = (90, 70, 760, 420)  # x0, y0, x1, y1: values 0 to 50 from bottom to top


def _y(value: float) -> float:
    return PLOT[3] - (PLOT[3] - PLOT[1]) * value / 50


def _grouped_columns(path: Path) -> None:
    """Grouped columns under a legend row of boxes 46 by 13 pixels beside 13-pixel names
    (Chart.js draws 40 by 12 beside 12-pixel text, here a little larger)."""
    image = Image.new("RGB", (800, 470), "white")
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=16)
    for value in range(0, 51, 10):
        draw.line([(PLOT[0], _y(value)), (PLOT[2], _y(value))], fill=GRID, width=1)
        text = str(value)
        draw.text(
            (PLOT[0] - 10 - draw.textlength(text, font=font), _y(value) - 9), text, GRAY, font
        )
    step = (PLOT[2] - PLOT[0]) / len(REGIONS)
    for i, region in enumerate(REGIONS):
        centre = PLOT[0] + step * (i + 0.5)
        for k, (colour, values) in enumerate(SERIES.values()):
            left = centre - 75 + 50 * k
            draw.rectangle([left, _y(values[i]), left + 46, PLOT[3]], fill=colour)
        width = draw.textlength(region, font=font)
        draw.text((centre - width / 2, PLOT[3] + 10), region, GRAY, font)
    x, small = 220, ImageFont.load_default(size=13)
    for name, (colour, _) in SERIES.items():
        draw.rectangle([x, 25, x + 46, 38], fill=colour)
        draw.text((x + 54, 24), name, GRAY, small)
        x += 70 + draw.textlength(name, font=small)
    image.save(path)


def test_legend_boxes_three_swatches_wide_name_their_series(tmp_path):
    path = tmp_path / "wide_legend.png"
    _grouped_columns(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(SERIES)
    for name, (_, values) in SERIES.items():
        assert set(got[name]) == set(REGIONS), name
        for region, value in zip(REGIONS, values, strict=True):
            assert abs(got[name][region] - value) <= 0.05 * 50, (name, region)


def test_a_lines_bends_off_its_year_steps_leave_its_points_on_them():
    """Vertices a tenth of a step before each year (turned labels stand off their ticks),
    and a bend the tracing added where the line crossed another: the points on the steps
    are the line's, one per year."""
    axis = NumericAxis("x", 0.1, 2000.0, False, 2000.0, 2005.0, step=1.0)  # 10 points a year
    blue = (0.3, 0.5, 0.7)
    vertices = [(10.0 * k - 1.0, 10.0 * k - 1.0, blue) for k in range(6)]
    bend = (34.5, 34.5, blue)
    kept = _vertices_on_steps(axis, [*vertices, bend])
    assert sorted(kept) == sorted(vertices)
    scattered = [(x, x, blue) for x in (3.5, 14.0, 26.0, 35.0)]  # no steps: all kept
    assert _vertices_on_steps(axis, scattered) == scattered


def test_a_bend_the_tracing_put_near_a_step_the_line_runs_straight_across_is_not_a_point():
    """A thin line straight from 2003 to 2005 has no vertex at 2004; the tracing bent it
    at 2004.13 instead. The vertices right on the years are the line's points, and
    the years stay its categories (the bend, taken for 2004's point, stood too far off
    the step for them)."""
    axis = NumericAxis("x", 0.1, 2000.0, False, 2000.0, 2005.0, step=1.0)
    orange = (1.0, 0.5, 0.1)
    on_years = [(10.0 * k + 0.2, 10.0 * k + 0.2, orange) for k in (0, 1, 2, 3, 5)]
    bend = (41.3, 41.3, orange)
    kept = _vertices_on_steps(axis, [*on_years, bend])
    assert sorted(kept) == sorted(on_years)


def _legend_column_left_of_bars() -> tuple[list[Mark], list[Word]]:
    """Bars from x 200 to 600, and a legend column of 20-by-6-point boxes at x 10 with
    names beside them, left of the y labels."""
    colours = [(0.9, 0.3, 0.4), (0.2, 0.6, 0.9), (1.0, 0.8, 0.3)]
    bars = [
        Mark("bar", BBox(200, 40 + 40 * k, 200 + 100 * (k + 1), 60 + 40 * k), colour)
        for k, colour in enumerate(colours)
    ]
    boxes = [
        Mark("bar", BBox(10, 100 + 15 * k, 30, 106 + 15 * k), colour)
        for k, colour in enumerate(colours)
    ]
    names = [
        Word(name, BBox(34, 98 + 15 * k, 70, 108 + 15 * k))
        for k, name in enumerate(["Actual", "Wholesale", "Retail"])
    ]
    return bars + boxes, names


def test_a_legend_left_of_the_y_labels_is_read_again_with_them():
    """The band left of the data, read again for missed y labels, reaches the legend
    beside it: its boxes are no data, which would close the band at the page's edge."""
    marks, words = _legend_column_left_of_bars()
    bands: list[BBox] = []

    def reread(band: BBox, text: float) -> list[Word]:
        bands.append(band)
        return []

    reread_margins(words, marks, words, BBox(0, 0, 640, 220), reread)
    left = bands[0]
    assert left.x0 == 0 and left.x1 == 200  # from the page's edge to the bars


def test_a_legend_left_of_the_bars_named_by_a_year_alone_is_read_again_with_the_y_labels():
    """The same column, its first names missed by the first reading and its last a year (a
    number, as a value printed beside a bar is): boxes apart from the bars, beyond their
    labels, are still the legend, and the band read again reaches them and finds the
    names missed."""
    marks, words = _legend_column_left_of_bars()
    year = [Word("2023", BBox(34, 128, 52, 138))]
    missed = words[:2]

    def reread(band: BBox, text: float) -> list[Word]:
        return [w for w in missed if band.union(w.bbox) == band]

    read = reread_margins(year, marks, year, BBox(0, 0, 640, 220), reread)
    assert read is not None and [w.text for w in read] == ["2023", "Actual", "Wholesale"]


def test_wide_legend_boxes_named_by_years_name_their_slices():
    """A column of 37-by-10-point legend boxes labelled 2008 to 2010 (a pie's slices by
    year) is a legend: a year names a box standing in line with others of its size."""
    colours = [(0.3, 0.47, 0.65), (0.95, 0.56, 0.17), (0.88, 0.34, 0.35)]
    boxes = [
        Mark("bar", BBox(716, 199 + 23 * k, 753, 209 + 23 * k), colour)
        for k, colour in enumerate(colours)
    ]
    years = [Word(str(2008 + k), BBox(760, 198 + 23 * k, 790, 210 + 23 * k)) for k in range(3)]
    legend, data = split_legend(boxes, years)
    assert sorted(legend.values()) == ["2008", "2009", "2010"]
    assert data == []


def test_a_gray_legend_frame_under_the_labels_leaves_the_band_below_the_bars():
    """A legend framed in gray (a white outline round its swatch) under the x labels is
    no data: the band read again for missed labels runs from the bars' foot down, not
    from the frame's."""
    bars = [
        Mark("bar", BBox(60 + 60 * i, 40, 100 + 60 * i, 160), (0.29, 0.18, 0.12)) for i in range(4)
    ]
    frame = Mark("area", BBox(150, 205, 190, 217), (0.65, 0.66, 0.67))
    outline = Mark("area", BBox(152, 207, 169, 214), (0.99, 0.99, 0.99))
    words = [Word("Actual", BBox(172, 207, 186, 214))]
    bands: list[BBox] = []

    def reread(band: BBox, text: float) -> list[Word]:
        bands.append(band)
        return []

    reread_margins(words, [*bars, frame, outline], words, BBox(0, 0, 320, 220), reread)
    below = bands[1]
    assert below.y0 < 160 < below.y1 == 220


def test_names_missed_in_a_legend_over_the_plot_are_read_again() -> None:
    """A legend drawn over the bars, four swatches in a column, two of whose names the
    first reading missed: the band beside the column is read again (the margins do not
    reach it), and the names found there join the words."""
    colours = [(0.58, 0.4, 0.74), (0.55, 0.34, 0.29), (0.89, 0.47, 0.76), (0.5, 0.5, 0.5)]
    bars = [Mark("bar", BBox(60 + 80 * i, 40, 120 + 80 * i, 300), colours[i % 4]) for i in range(5)]
    swatches = [
        Mark("bar", BBox(400, 50 + 11 * k, 415, 56 + 11 * k), colour)
        for k, colour in enumerate(colours)
    ]
    words = [Word("Dépenses", BBox(421, 48, 451, 58)), Word("Other", BBox(421, 81, 440, 91))]
    missed = [Word("Costs", BBox(421, 59, 438, 69)), Word("Umsatz", BBox(421, 70, 443, 80))]
    bands: list[BBox] = []

    def reread(band: BBox, text: float) -> list[Word]:
        bands.append(band)
        return [w for w in missed if band.union(w.bbox) == band]

    read = reread_margins(words, [*bars, *swatches], words, BBox(0, 0, 480, 320), reread)
    legend = bands[-1]
    assert legend.x0 == 415 and legend.y0 < 50 and legend.y1 > 89
    assert read is not None and {w.text for w in read} == {"Dépenses", "Other", "Costs", "Umsatz"}


def test_a_label_set_a_little_further_off_than_the_others_of_its_column_names_its_swatch():
    """Markers as legend swatches in a column, their names set far off (a plotting
    program's key): OCR's box of the middle name starts 1.4 points right of the first's,
    just beyond reach of its swatch alone; lined up with the others, it is its label."""
    colours = [(0.89, 0.1, 0.11), (0.21, 0.49, 0.72), (0.32, 0.69, 0.28)]
    swatches = [
        Mark("point", BBox(130, 58 + 15 * k, 137, 65 + 15 * k), colour)
        for k, colour in enumerate(colours)
    ]
    names = [("Budget", 158.9), ("Nord", 160.3), ("Süd", 157.4)]
    words = [
        Word(name, BBox(x0, 54.5 + 15 * k, x0 + 30, 69.9 + 15 * k))  # 15.4 points high
        for k, (name, x0) in enumerate(names)
    ]
    legend, data = split_legend(swatches, words)
    assert legend == {colour: name for colour, (name, _) in zip(colours, names, strict=True)}
    assert data == []

    # A word on the swatch's line standing where no label of its column does names nothing.
    words[1] = Word("Nord", BBox(175, 69.5, 205, 84.9))
    legend, data = split_legend(swatches, words)
    assert "Nord" not in legend.values() and data == [swatches[1]]
