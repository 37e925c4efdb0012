"""Horizontal stacked bars in a chart image, as a plotting program draws them small: each
segment outlined in black, so one segment's fill stands an outline's width off the next;
the key at the right sets each name before its sample, level with the gaps between the
bars. A short first segment, its category's name right before it, is no key entry, and
the edge of a key's sample, level with the gap between two bars, does not join them."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest
from PIL import Image

import docvlm
from docvlm.document import Word
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import Mark, colour_key
from docvlm.engines.native.raster_charts import image_marks
from docvlm.geometry import BBox

CATEGORIES = ["Pears", "Cherries", "Figs", "Plums"]
SERIES = {
    "Budget": [25.4, 30.0, 2.5, 22.0],
    "Forecast": [26.2, 14.3, 6.0, 20.5],
    "Costs": [27.0, 34.0, 22.7, 30.0],
}
COLOURS = {"Budget": (0.3, 0.47, 0.65), "Forecast": (0.95, 0.56, 0.17), "Costs": (0.88, 0.34, 0.35)}
PLOT = (100.0, 30.0, 300.0, 128.0)  # x0, y0, x1, y1: 2 points a unit from x0
BAR, STEP = 12.0, 21.0  # each bar's height, and the step from one to the next


def _x(value: float) -> float:
    return PLOT[0] + 2 * value


def _chart(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=280)
    x0, y0, _, y1 = PLOT
    page.draw_rect(pymupdf.Rect(PLOT), color=(0, 0, 0), width=1)
    for value in (0, 50, 100):
        page.draw_line((_x(value), y1), (_x(value), y1 + 4), color=(0, 0, 0), width=1)
        page.insert_text((_x(value) - 8, y1 + 16), f"{value}%", fontsize=10)
    for i, category in enumerate(CATEGORIES):
        top = y0 + 8 + STEP * i
        width = pymupdf.get_text_length(category, fontsize=10)
        page.insert_text((x0 - 6 - width, top + 10), category, fontsize=10)  # set right
        start = 0.0
        for name, values in SERIES.items():
            box = pymupdf.Rect(_x(start), top, _x(start + values[i]), top + BAR)
            page.draw_rect(box, color=(0, 0, 0), fill=COLOURS[name], width=1)
            start += values[i]
    for k, name in enumerate(SERIES):
        # Each sample's foot is level with the middle of the gap between two bars.
        top = y0 + 8 + BAR + (STEP - BAR) / 2 + STEP * k - 7
        width = pymupdf.get_text_length(name, fontsize=10)
        page.insert_text((364 - width, top + 7), name, fontsize=10)
        page.draw_rect(pymupdf.Rect(370, top, 410, top + 7), color=(0, 0, 0), fill=COLOURS[name])
    page.get_pixmap(dpi=72).save(path)


def test_outlined_stacked_bars_keep_their_key_and_their_rows(tmp_path):
    path = tmp_path / "stacked.png"
    _chart(path)
    result = docvlm.extract(path, schema="chart")
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        for category, value in zip(CATEGORIES, values, strict=True):
            if value >= 3:  # a segment a few pixels wide has no value to 5% of the axis
                assert got[name].get(category) == pytest.approx(value, abs=0.05 * 100), (
                    name,
                    category,
                )


PLOT_GROUND = (235, 235, 235)
BLUE = (77, 120, 166)
INK = (0, 0, 0)


def _outlined(pixels, x0: int, y0: int, x1: int, y1: int, fill) -> None:
    pixels[y0:y1, x0:x1] = INK
    pixels[y0 + 1 : y1 - 1, x0 + 1 : x1 - 1] = fill


def test_a_key_sample_s_edge_level_with_the_gap_between_two_bars_does_not_join_them():
    """Two bars of one colour five pixels of plot apart, and a key's sample beside the plot
    whose outlined foot (found as a rule) runs level with that gap: the rule's course, taken
    for a grid line seen through a fill, would join the bars into one shape."""
    pixels = np.full((160, 320, 3), 255, np.uint8)
    pixels[20:140, 40:220] = PLOT_GROUND
    _outlined(pixels, 40, 60, 160, 73, BLUE)  # rows 61 to 71 filled
    _outlined(pixels, 40, 78, 130, 91, BLUE)  # the plot shows on rows 73 to 77
    _outlined(pixels, 250, 69, 290, 76, BLUE)  # the sample: its foot on row 75
    marks = image_marks(Image.fromarray(pixels), 1.0)[0]
    in_plot = [m for m in marks if m.bbox.x1 < 220]
    assert sorted((m.kind, round(m.bbox.y0), round(m.bbox.x1)) for m in in_plot) == [
        ("bar", 61, 159),
        ("bar", 79, 129),
    ]


@pytest.mark.parametrize("kind", ["point", "line"])
def test_a_first_segment_a_few_pixels_wide_before_its_name_is_no_key_entry(kind):
    """A first segment four pixels wide is read as a point or a stroke, not a bar; its
    category's name before it, it is a key entry's shape and place, but it stands an
    outline's width off the next segment, level with it."""
    blue, orange, red = (0.3, 0.47, 0.65), (0.95, 0.56, 0.17), (0.88, 0.34, 0.35)
    marks = [
        Mark("bar", BBox(346, 49, 383, 55), blue),  # the key's samples
        Mark("bar", BBox(346, 63, 383, 69), orange),
        Mark("bar", BBox(346, 77, 383, 83), red),
        Mark("bar", BBox(107, 142, 146, 153), blue),
        Mark("bar", BBox(147, 142, 172, 153), orange),
        Mark("bar", BBox(174, 142, 197, 153), red),
        Mark(kind, BBox(107, 160, 111, 171), blue),
        Mark("bar", BBox(112, 160, 143, 171), orange),
        Mark("bar", BBox(145, 160, 170, 171), red),
    ]
    words = [
        Word("Energy", BBox(55, 158, 100, 174)),
        Word("Region", BBox(58, 140, 97, 156)),
        Word("Budget", BBox(295, 44, 339, 61)),
        Word("Forecast", BBox(289, 58, 338, 73)),
        Word("Costs", BBox(306, 72, 339, 87)),
    ]
    legend, _ = split_legend(marks, words)
    assert legend == {
        colour_key(blue): "Budget",
        colour_key(orange): "Forecast",
        colour_key(red): "Costs",
    }


def test_a_line_sample_within_its_pale_rim_is_a_key_entry():
    """Anti-aliased, a key's line sample is a stroke a pixel high inside a pale rim of its
    colour, found as a bar of another colour as wide as the stroke and a pixel or two
    higher: the stroke lies within the rim, not beside it, so it is no stacked segment."""
    red, pink = (0.89, 0.1, 0.11), (0.94, 0.55, 0.55)
    blue, pale_blue = (0.2, 0.5, 0.75), (0.6, 0.75, 0.87)
    marks = [
        Mark("line", BBox(419, 49.6, 452, 50.3), red),
        Mark("bar", BBox(418, 48.9, 452.6, 51.0), pink),
        Mark("line", BBox(419, 63.6, 452, 64.3), blue),
        Mark("bar", BBox(418, 62.9, 452.6, 65.0), pale_blue),
    ]
    words = [Word("Süd", BBox(458, 45, 480, 55)), Word("Revenue", BBox(458, 59, 500, 69))]
    legend, _ = split_legend(marks, words)
    assert legend[colour_key(red)] == "Süd"
    assert legend[colour_key(blue)] == "Revenue"


def test_swatches_drawn_edge_to_edge_keep_their_names_across_the_outline_between():
    """A key's outlined swatches one under the next, as R draws them: in an image the
    outline two of them share is found as two thin black bars, which each swatch met edge
    to edge as a stacked bar's segment meets the next, and two series lost their names."""
    purple, blue, green, lime = (
        (0.27, 0, 0.33),
        (0.21, 0.38, 0.55),
        (0.13, 0.66, 0.52),
        (0.73, 0.87, 0.15),
    )
    black = (0.0, 0.01, 0.01)
    marks = [
        Mark("bar", BBox(370.4, 103.3, 384.8, 118.1), purple),
        Mark("bar", BBox(370.4, 120.6, 384.8, 135.4), blue),
        Mark("bar", BBox(370.4, 137.9, 384.8, 152.6), green),
        Mark("bar", BBox(370.4, 155.2, 384.8, 169.9), lime),
        Mark("line", BBox(369.0, 102.2, 386.3, 103.3), black),
        Mark("bar", BBox(369.0, 152.6, 386.3, 153.7), black),
        Mark("bar", BBox(369.0, 154.1, 386.3, 155.2), black),
        Mark("line", BBox(369.0, 170.3, 385.9, 171.4), black),
        Mark("bar", BBox(56.2, 40.0, 71.3, 211.7), purple),  # a column of the plot
    ]
    words = [
        Word("Süd", BBox(390, 106, 406, 116)),
        Word("Umsatz", BBox(391, 123, 420, 132)),
        Word("Bénéfice", BBox(392, 139, 422, 150)),
        Word("Forecast", BBox(391, 158, 422, 168)),
    ]
    legend, _ = split_legend(marks, words)
    assert sorted(legend.values()) == ["Bénéfice", "Forecast", "Süd", "Umsatz"]
