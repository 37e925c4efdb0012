"""Scatter markers in chart images: crosses and rings that OCR read as letters, run into
the legend names beside them, taken off the names and kept apart as the legend's
markers."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.backdrops import find_backgrounds
from docvlm.engines.native.colours import to_lab
from docvlm.engines.native.labels import merge_line_words
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marker_letters import without_marker_letters
from docvlm.engines.native.marks import Mark, colour_key
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

BLUE, ORANGE, INK = (68, 114, 196), (237, 125, 49), (60, 60, 60)


def _cross(draw: ImageDraw.ImageDraw, x: float, y: float, colour: tuple[int, int, int]) -> None:
    draw.line([(x - 5, y - 5), (x + 5, y + 5)], fill=colour, width=2)
    draw.line([(x - 5, y + 5), (x + 5, y - 5)], fill=colour, width=2)


def _text(draw: ImageDraw.ImageDraw, x0: int, y0: int, width: int) -> None:
    """Gray glyph-like strokes standing for a word's letters."""
    for x in range(x0 + 1, x0 + width - 1, 4):
        draw.line([(x, y0 + 1), (x, y0 + 9)], fill=INK, width=2)


def _legend_line() -> tuple[Image.Image, Word]:
    """'Budget', an orange cross, 'Product': one word as OCR read it."""
    image = Image.new("RGB", (200, 40), "white")
    draw = ImageDraw.Draw(image)
    _text(draw, 20, 15, 60)
    _cross(draw, 90, 20, ORANGE)
    _text(draw, 100, 15, 70)
    return image, Word("BudgetXProduct", BBox(20, 14, 170, 26))


def test_a_coloured_cross_inside_a_word_cuts_it_in_two() -> None:
    image, word = _legend_line()
    lab = to_lab(np.asarray(image))
    parts = without_marker_letters(word, lab, find_backgrounds(lab), 1.0)
    assert [p.text for p in parts] == ["Budget", "Product"]
    assert 80 <= parts[0].bbox.x1 <= 86 and 94 <= parts[1].bbox.x0 <= 100


def test_a_gray_x_is_a_letter() -> None:
    image = Image.new("RGB", (200, 40), "white")
    draw = ImageDraw.Draw(image)
    _text(draw, 20, 15, 60)
    _cross(draw, 90, 20, INK)
    _text(draw, 100, 15, 70)
    lab = to_lab(np.asarray(image))
    word = Word("BudgetXProduct", BBox(20, 14, 170, 26))
    assert without_marker_letters(word, lab, find_backgrounds(lab), 1.0) == [word]


def test_words_either_side_of_a_marker_stay_two_labels() -> None:
    words = [Word("Budget", BBox(20, 14, 84, 26)), Word("Product", BBox(89, 14, 170, 26))]
    assert [w.text for w in merge_line_words(words)] == ["Budget Product"]
    marker = BBox(84.5, 16, 88.5, 24)  # a space wide: OCR boxes crowd it
    assert [w.text for w in merge_line_words(words, apart=[marker])] == ["Budget", "Product"]


def test_scatter_legend_with_crosses_read_into_its_names() -> None:
    """Two series, blue squares and orange crosses; OCR read the legend's cross and the
    names either side of it as one word: each series gets its own name."""
    image = Image.new("RGB", (460, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, 250), (420, 250)], fill=(0, 0, 0), width=1)
    draw.line([(60, 50), (60, 250)], fill=(0, 0, 0), width=1)
    blue = [(100, 60), (180, 30), (260, 80), (340, 20)]
    orange = [(140, 40), (220, 90), (300, 50), (380, 70)]
    for x, v in blue:
        y = 250 - 2 * v
        draw.rectangle([x - 4, y - 4, x + 4, y + 4], fill=BLUE)
    for x, v in orange:
        _cross(draw, x, 250 - 2 * v, ORANGE)
    draw.rectangle([146, 16, 154, 24], fill=BLUE)  # legend: square, 'Budget', cross, 'Product'
    _text(draw, 160, 15, 50)
    _cross(draw, 222, 20, ORANGE)
    _text(draw, 232, 15, 60)
    ticks = [Word(str(v), BBox(20, 245 - 2 * v, 44, 255 - 2 * v)) for v in (0, 25, 50, 75, 100)]
    xs = [Word(str(x), BBox(x - 10, 258, x + 10, 268)) for x in (100, 200, 300, 400)]
    legend = [Word("BudgetXProduct", BBox(160, 14, 292, 26))]
    chart = find_raster_charts(image, ticks + xs + legend, 1.0)[0].chart
    named = {s.name: sorted((float(p.x), round(p.y)) for p in s.points) for s in chart.series}
    assert set(named) == {"Budget", "Product"}
    assert [y for _, y in named["Budget"]] == [60, 30, 80, 20]
    assert [y for _, y in named["Product"]] == [40, 90, 50, 70]


def test_a_marker_centred_on_a_long_legend_handle_names_its_series() -> None:
    """A scatter's legend marker stands in the middle of a handle as long as a line
    swatch, its label well over a text height off; the nearest word is its label."""
    marker = Mark("point", BBox(100, 20, 108, 28), (0.2, 0.4, 0.8))
    label = Word("Forecast", BBox(133, 14, 190, 33))  # 25 points off, text 19 high
    further = Word("North", BBox(140, 15, 170, 33))
    legend, data = split_legend([marker], [further, label])
    assert legend == {colour_key(marker.color): "Forecast"} and data == []


def test_a_year_names_a_swatch_in_the_legend_row() -> None:
    """A legend row 'Online', '2023': markers of other shapes (boxes of other sizes) in one
    row; the swatch beside the year is the legend's, a point beside a lone year is data."""
    online = Mark("point", BBox(100, 20, 107, 27), (0.2, 0.4, 0.8))
    year = Mark("point", BBox(150, 19, 158, 28), (0.9, 0.5, 0.2))
    lone = Mark("point", BBox(151, 200, 157, 206), (0.5, 0.7, 0.3))
    words = [
        Word("Online", BBox(111, 17, 140, 30)),
        Word("2023", BBox(162, 17, 185, 30)),
        Word("2024", BBox(162, 198, 185, 211)),
    ]
    legend, data = split_legend([online, year, lone], words)
    assert legend == {colour_key(online.color): "Online", colour_key(year.color): "2023"}
    assert data == [lone]


def test_square_markers_run_together_are_two_points() -> None:
    """Two of a scatter's square markers close enough to touch make one region: it is
    read as the two points, at the ends of the diagonal it fills."""
    image = Image.new("RGB", (460, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, 250), (420, 250)], fill=(0, 0, 0), width=1)
    draw.line([(60, 50), (60, 250)], fill=(0, 0, 0), width=1)
    values = [(100, 60), (180, 30), (260, 80), (340, 20), (300, 50), (310, 45)]
    for x, v in values:
        y = 250 - 2 * v
        draw.rectangle([x - 6, y - 6, x + 6, y + 6], fill=BLUE)
    ticks = [Word(str(v), BBox(20, 245 - 2 * v, 44, 255 - 2 * v)) for v in (0, 25, 50, 75, 100)]
    xs = [Word(str(x), BBox(x - 10, 258, x + 10, 268)) for x in (100, 200, 300, 400)]
    chart = find_raster_charts(image, ticks + xs, 1.0)[0].chart
    assert chart.chart_type == "scatter"
    points = sorted((round(float(p.x)), round(p.y)) for p in chart.series[0].points)
    assert points == sorted(values)


def test_black_discs_of_a_gray_scatter_are_points() -> None:
    """A scatter drawn in black and gray (no colour at all): its black discs, small and
    neutral as a character the words missed, are markers (solid, as no letter is)."""
    image = Image.new("RGB", (460, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, 250), (420, 250)], fill=(0, 0, 0), width=1)
    draw.line([(60, 50), (60, 250)], fill=(0, 0, 0), width=1)
    discs = [(100, 60), (180, 30), (260, 80), (340, 20)]
    squares = [(140, 40), (220, 90), (300, 50), (380, 70)]
    for x, v in discs:
        y = 250 - 2 * v
        draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=(0, 0, 0))
    for x, v in squares:
        y = 250 - 2 * v
        draw.rectangle([x - 5, y - 5, x + 5, y + 5], fill=(100, 100, 100))
    ticks = [Word(str(v), BBox(20, 245 - 2 * v, 44, 255 - 2 * v)) for v in (0, 25, 50, 75, 100)]
    xs = [Word(str(x), BBox(x - 10, 258, x + 10, 268)) for x in (100, 200, 300, 400)]
    chart = find_raster_charts(image, ticks + xs, 1.0)[0].chart
    read = sorted(sorted((round(float(p.x)), round(p.y)) for p in s.points) for s in chart.series)
    assert read == sorted([sorted(discs), sorted(squares)])


def test_a_line_drawn_behind_a_word_cuts_nothing_out_of_it() -> None:
    """A series' line runs behind a legend name ('2023') through its '0': a thin
    coloured stroke, not a marker as tall as the letters."""
    image = Image.new("RGB", (200, 40), "white")
    draw = ImageDraw.Draw(image)
    _text(draw, 20, 15, 60)
    draw.line([(40, 20), (60, 20)], fill=BLUE, width=2)
    lab = to_lab(np.asarray(image))
    word = Word("2023", BBox(20, 14, 80, 26))
    assert without_marker_letters(word, lab, find_backgrounds(lab), 1.0) == [word]


def test_gray_letters_on_a_tinted_ground_are_no_marker() -> None:
    """A translucent legend box over a red bar tints the ground of 'Costs'; its gray
    letters, anti-aliased into that tint, are text, and the 'o' is no ring marker."""
    big = Image.new("RGB", (800, 160), "white")
    draw = ImageDraw.Draw(big)
    draw.rectangle([40, 20, 760, 140], fill=(236, 178, 178))
    for x in range(90, 700, 70):  # glyph strokes and a ring, as thin as small type
        draw.ellipse([x, 60, x + 40, 104], outline=INK, width=6)
    image = big.resize((200, 40), Image.Resampling.BOX)
    lab = to_lab(np.asarray(image))
    word = Word("Costs", BBox(20, 13, 180, 28))
    assert without_marker_letters(word, lab, find_backgrounds(lab), 1.0) == [word]


def _anti_aliased_plus(pixels: np.ndarray, x: int, y: int) -> None:
    """A '+' a plotting program draws seven pixels across, centred on (x, y): strokes a
    pixel wide of full red, the pixels beside them half red on white, the arms' ends
    fading out."""
    half, third, faint = (255, 127, 127), (255, 170, 170), (255, 213, 213)
    for d in range(-3, 4):
        for along in ((y, x + d), (y + d, x)):
            pixels[along] = (255, 0, 0) if abs(d) < 3 else half
    for d in (-2, -1, 1, 2):
        shade = third if abs(d) == 2 else (255, 113, 113)
        for beside in ((y - 1, x + d), (y + 1, x + d), (y + d, x - 1), (y + d, x + 1)):
            pixels[beside] = shade
    for corner in ((y - 1, x - 3), (y + 1, x - 3), (y - 1, x + 3), (y + 1, x + 3)):
        pixels[corner] = faint
        pixels[corner[1] - x + y, corner[0] - y + x] = faint


def test_a_plus_of_full_colour_strokes_with_paler_edges_is_one_marker() -> None:
    """The strokes and their paler anti-aliased edges are two pieces of two shades on one
    spot: one marker, not a point in each shade (two series, one of them traced as a line
    through the markers' cores)."""
    from docvlm.engines.native.raster_charts import image_marks

    pixels = np.full((200, 300, 3), 255, np.uint8)
    spots = [(30, 150), (70, 60), (120, 110), (170, 40), (220, 160), (260, 90)]
    for x, y in spots:
        _anti_aliased_plus(pixels, x, y)
    marks = image_marks(Image.fromarray(pixels), 1.0)[0]
    assert sorted((m.kind, m.bbox.center) for m in marks) == [
        ("point", (x + 0.5, y + 0.5)) for x, y in sorted(spots)
    ]
    assert all(m.color[0] > 0.95 and max(m.color[1:]) < 0.05 for m in marks)  # the strokes' red


def test_dashes_of_a_grid_line_read_as_strokes_are_no_words() -> None:
    from docvlm.engines.native.marker_letters import dashes_read_as_text

    column = [Word(t, BBox(209, 65 + 22 * k, 218, 79 + 22 * k)) for k, t in enumerate("1I\u4e001")]
    row = [
        Word(t, BBox(100 + 40 * k, 50, 110 + 40 * k, 62))
        for k, t in enumerate(["-", "\u2014", "-1"])
    ]
    # Tick labels: '1' under the upright line's dashes, in a row with '10'; '1' on the
    # level line's row, in a column with '2' and '3'.
    ticks = [Word("1", BBox(209, 400, 218, 414)), Word("10", BBox(300, 400, 318, 414))]
    ticks += [Word(t, BBox(80, y, 90, y + 12)) for t, y in (("1", 50), ("2", 250), ("3", 300))]
    assert dashes_read_as_text(column + row + ticks) == column + row


def test_numbers_beside_short_bars_of_named_colours_are_data_labels():
    """A key names two colours by words; two short bars of those colours, under data
    labels OCR read as '15' and '16', stand in line: data, not a key renaming them."""
    purple, lime = (0.27, 0.0, 0.33), (0.73, 0.87, 0.15)
    keys = [Mark("bar", BBox(183, 32, 198, 48), purple), Mark("bar", BBox(261, 32, 276, 48), lime)]
    short = [
        Mark("point", BBox(359, 177, 371, 192), purple),
        Mark("point", BBox(405, 177, 417, 192), lime),
    ]
    words = [
        Word("Wholesale", BBox(208, 33, 255, 45)),
        Word("Product B", BBox(283, 32, 329, 44)),
        Word("15", BBox(372, 180, 379, 192)),
        Word("16", BBox(417, 181, 427, 192)),
    ]
    legend, data = split_legend(short + keys, words)
    assert legend == {colour_key(purple): "Wholesale", colour_key(lime): "Product B"}
    assert data == short
