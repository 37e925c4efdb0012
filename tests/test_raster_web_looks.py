"""Charts in web charting libraries' looks: text printed in a theme's tint rather than gray,
images at twice the screen's pixels that state no resolution, tick marks read as minus
signs on a secondary axis, grouped bars with one bar missing."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm.document import Word
from docvlm.engines.native.axes import NumericAxis, lattice_categories
from docvlm.engines.native.colours import delta_e, to_lab
from docvlm.engines.native.engine import _text_shrink
from docvlm.engines.native.labels import right_column
from docvlm.engines.native.marker_letters import marker_read_as_text
from docvlm.engines.native.raster_charts import read_image
from docvlm.engines.native.text_ink import text_ink
from docvlm.geometry import BBox
from fixtures.make_fixtures import WEB_INK, WEB_SALES, WEB_YEARS

SLATE = tuple(int(WEB_INK[i : i + 2], 16) for i in (1, 3, 5))  # the fixture's text tint


def test_a_web_style_screenshot_is_read_whole(fixtures):
    """Tinted tick labels ('5k' included) are text, the chart at twice the pixels is read
    at a printed chart's size, and the group with a missing bar keeps its category (the
    zero drawn as nothing is the one warning)."""
    result = docvlm.extract(fixtures / "chart_web_style.png", schema="chart")
    assert result.status == "ok"
    assert [w.message for w in result.warnings] == [
        "chart 1: 1 value(s) missing where other series have one (of 4 categories): "
        "a zero, or a mark not read"
    ]
    chart = result.records[0]
    assert chart.chart_type == "bar"
    got = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    assert set(got) == set(WEB_SALES)
    span = 17500
    for name, values in WEB_SALES.items():
        shown = {year: v for year, v in zip(WEB_YEARS, values, strict=True) if v}
        assert set(got[name]) == set(shown), name
        for year, value in shown.items():
            assert abs(got[name][year] - value) <= 0.02 * span, (name, year)


def _text_image(colour: tuple[int, int, int]) -> tuple[np.ndarray, list[Word]]:
    """A white image with three words and a short label printed in ``colour`` (a pixel is
    a point), and the words' boxes."""
    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    words = []
    for text, at in (("Revenue", (10, 10)), ("Quarter", (10, 50)), ("Sales", (120, 50))):
        draw.text(at, text, fill=colour, font=font)
        words.append(Word(text, BBox(*draw.textbbox(at, text, font=font))))
    draw.text((150, 90), "5k", fill=colour, font=font)
    words.append(Word("5k", BBox(*draw.textbbox((150, 90), "5k", font=font))))
    return to_lab(np.asarray(image)), words


def test_the_text_ink_is_the_tint_the_words_are_printed_in():
    lab, words = _text_image(SLATE)
    ink = text_ink(words, lab, 1.0)
    assert ink is not None
    slate = to_lab(np.array([[SLATE]], np.uint8))[0, 0]
    assert float(delta_e(ink, slate)) < 8
    gray_lab, gray_words = _text_image((60, 60, 60))
    assert text_ink(gray_words, gray_lab, 1.0) is None  # gray text: nothing to tell apart


def test_a_short_label_in_the_text_ink_is_no_marker():
    """'5k' in the chart's slate text is a label; in a series' orange it is a marker."""
    lab, words = _text_image(SLATE)
    backgrounds = [to_lab(np.array([[(255, 255, 255)]], np.uint8))[0, 0]]
    ink = text_ink(words, lab, 1.0)
    short = words[-1]
    assert not marker_read_as_text(short, lab, backgrounds, 1.0, ink)
    assert marker_read_as_text(short, lab, backgrounds, 1.0, None)  # colour alone says mark
    orange_lab, orange_words = _text_image((255, 127, 14))
    assert marker_read_as_text(orange_words[-1], orange_lab, backgrounds, 1.0, ink)


def _word(text: str, x0: float, y0: float, height: float = 10.0) -> Word:
    return Word(text, BBox(x0, y0, x0 + 0.6 * height * len(text), y0 + height))


def test_an_image_with_large_text_is_read_shrunk_to_a_printed_charts_size():
    large = tuple(_word(t, 10, 40 * i, 45.0) for i, t in enumerate(("Sales", "Month", "2024")))
    assert _text_shrink(large) == pytest.approx(3.0)
    printed = tuple(_word(t, 10, 40 * i, 14.0) for i, t in enumerate(("Sales", "Month", "2024")))
    assert _text_shrink(printed) == 1.0
    # Words standing on end (a turned axis title read flat) and short words tell nothing.
    turned = Word("Sales", BBox(0, 50, 45, 200))
    assert _text_shrink((_word("ab", 0, 0, 45.0), _word("xy", 0, 50, 45.0), turned)) == 1.0


def test_tick_marks_read_as_minus_signs_before_secondary_labels_go():
    """Labels read '-206.8' above '123.2' on a right-hand axis: values rise up an axis, so
    the dashes are its tick marks; a real negative label below the positive ones stays."""
    plot = BBox(50, 20, 300, 220)
    ticked = [_word("-206.8", 302, 20), _word("-178.9", 302, 70), _word("123.2", 308, 120)]
    assert [w.text for w in right_column(ticked, plot)] == ["206.8", "178.9", "123.2"]
    negative = [_word("20", 305, 20), _word("10", 305, 70), _word("-10", 305, 170)]
    assert [w.text for w in right_column(negative, plot)] == ["20", "10", "-10"]


def test_groups_of_bars_with_one_bar_missing_stay_on_their_steps():
    """Three series side by side at each numbered step; where a group keeps only its first
    bar (the others zero), that bar still belongs to its step."""
    axis = NumericAxis("x", 1 / 50, 8.0, False, 9.0, 12.0, 3, 1.0, ())  # tick 9 at x = 50
    colours = [(0.3, 0.4, 0.7), (0.9, 0.3, 0.2), (0.1, 0.7, 0.5)]
    spans = []
    for tick in (50, 100, 150, 200):
        kept = colours[:1] if tick == 150 else colours
        for k, colour in enumerate(kept):
            left = tick - 20 + 13 * k
            spans.append((left, left + 13.0, colour))
    found = lattice_categories(axis, spans)
    assert found is not None
    assert list(found.labels) == ["9", "10", "11", "12"]
    assert list(found.centers) == pytest.approx([49.5, 99.5, 149.5, 199.5])


def _pair(rgb: tuple[float, float, float], kind: str, x0: int, x1: int, thin: bool) -> tuple:
    from docvlm.engines.native.marks import Mark
    from docvlm.engines.native.segmentation import Piece

    pixel = np.array([[[round(255 * v) for v in rgb]]], np.uint8)
    mask = np.ones((3 if thin else 40, x1 - x0), bool)
    piece = Piece(mask, x0, 10, int(mask.sum()), to_lab(pixel)[0, 0], thin=thin, rgb=rgb)
    return piece, Mark(kind, BBox(x0, 10, x1, 10 + mask.shape[0]), rgb)  # type: ignore[arg-type]


def test_an_area_in_a_see_through_tint_takes_its_series_colour_and_sheds_its_edge():
    """A web library fills an area with its colour at half opacity over the plot and draws
    its top edge in the full colour: the area is that series, the edge no series of its
    own; an opaque area in a colour of its own stays as it is."""
    from docvlm.engines.native.tinted_areas import tinted_areas

    blue, orange = (0.12, 0.47, 0.71), (1.0, 0.5, 0.06)
    tint = tuple(0.5 * v + 0.5 for v in blue)  # blue at half opacity over white
    area, edge = _pair(tint, "area", 20, 200, False), _pair(blue, "line", 21, 199, True)
    opaque = _pair(orange, "area", 20, 200, False)
    swatch = _pair(blue, "bar", 220, 230, False)[1]
    white = to_lab(np.array([[[255, 255, 255]]], np.uint8))[0, 0]
    out = tinted_areas([area, edge, opaque], [swatch], [white])
    assert [m.kind for _, m in out] == ["area", "area"]
    assert out[0][1].color == pytest.approx(blue, abs=0.02)
    assert out[1] == opaque
    assert tinted_areas([opaque], [swatch], [white]) == [opaque]


def test_a_bar_cut_in_two_by_a_line_across_it_is_one_bar_of_its_group():
    """A line drawn across a bar cuts it into two pieces, one over the other: they overlap
    whole, so the group holds one bar of that colour, not two side by side."""
    axis = NumericAxis("x", 1 / 50, 8.0, False, 9.0, 12.0, 3, 1.0, ())  # tick 9 at x = 50
    blue, green = (0.3, 0.4, 0.7), (0.3, 0.6, 0.4)
    spans = []
    for tick in (50, 100, 150, 200):
        spans += [(tick - 10.0, tick, blue), (tick, tick + 10.0, green)]
    spans.append((153.0, 160.0, green))  # the upper piece of the green bar at 11
    found = lattice_categories(axis, spans)
    assert found is not None and list(found.labels) == ["9", "10", "11", "12"]
    side_by_side = [*spans[:-1], (160.5, 170.0, green)]
    assert lattice_categories(axis, side_by_side) is None


def test_an_upright_tick_read_over_its_category_label_is_no_first_line():
    """A tick mark over the label '5' reads as a short '1': the tick goes, the label is '5';
    a '1' as tall as the '2' under it (a legend's entries) is a word."""
    from docvlm.engines.native.raster_labels import chart_labels

    ticked = [
        Word("1", BBox(185.6, 479.4, 192.4, 488.3)),
        Word("5", BBox(185.4, 488.4, 194.4, 501.6)),
    ]
    assert [w.text for w in chart_labels(ticked)] == ["5"]
    entries = [Word("1", BBox(400, 100, 408, 113)), Word("2", BBox(400, 114, 408, 127))]
    assert [w.text for w in chart_labels(entries)] == ["1", "2"]
    # A legend's '1' boxed shorter than the '2' a gap below it is an entry too.
    entries = [Word("1", BBox(338, 20.5, 345, 29.7)), Word("2", BBox(338, 32.9, 346, 44.8))]
    assert [w.text for w in chart_labels(entries)] == ["1", "2"]


def test_a_line_swatch_end_read_into_a_legend_name_goes():
    """The end of a line swatch right before a name reads as a dash ('-Nord')."""
    from docvlm.engines.native.legends import split_legend
    from docvlm.engines.native.marks import Mark

    green, blue = (0.17, 0.63, 0.17), (0.12, 0.47, 0.71)
    swatch = Mark("line", BBox(100, 10, 115, 12), green, [(100, 11), (115, 11)])
    other = Mark("line", BBox(100, 30, 115, 32), blue, [(100, 31), (115, 31)])
    data = Mark("line", BBox(0, 50, 300, 200), blue, [(0, 50), (300, 200)])
    words = [Word("-Nord", BBox(118, 5, 150, 17)), Word("-5%", BBox(118, 25, 140, 37))]
    legend, rest = split_legend([swatch, other, data], words)
    assert list(legend.values()) == ["Nord"]
    assert data in rest


def test_a_tick_labels_box_reaching_over_the_plots_fill_keeps_its_last_zero():
    """OCR's box of '120,000' reaches a few pixels over the area filling the plot beside
    it: that colour is the area's, not a marker read as the last '0'."""
    from docvlm.engines.native.marker_letters import without_marker_letters

    image = Image.new("RGB", (200, 40), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    draw.text((10, 10), "120,000", fill=(60, 60, 60), font=font)
    left, top, right, bottom = draw.textbbox((10, 10), "120,000", font=font)
    draw.rectangle((right + 1, 0, 199, 39), fill=(70, 110, 200))  # the plot's area
    word = Word("120,000", BBox(left - 2, top - 2, right + 5, bottom + 2))
    lab = to_lab(np.asarray(image))
    white = to_lab(np.array([[[255, 255, 255]]], np.uint8))[0, 0]
    assert [w.text for w in without_marker_letters(word, lab, [white], 1.0)] == ["120,000"]


def test_markers_on_a_steep_line_are_found_where_a_disc_fits():
    """Markers on steep stretches swell no column (a steep stroke is as thick in every
    column): they are what is left where a disc a little wider than the stroke fits."""
    import itertools

    import cv2

    from docvlm.engines.native.traced_lines import _marker_blobs

    vertices = [(20, 20), (60, 180), (100, 40), (140, 170)]
    line = np.zeros((200, 160), np.uint8)
    cv2.polylines(line, [np.array(vertices, np.int32)], False, 1, thickness=3)
    length = sum(np.hypot(x1 - x0, y1 - y0) for (x0, y0), (x1, y1) in itertools.pairwise(vertices))
    width = float(line.sum()) / length  # as the reader measures a stroke: pixels per length
    # A bare line leaves at most its sharpest joins, which are its data points too (the
    # reader looks for blobs only on a line whose markers swell some columns).
    for fx, fy in _marker_blobs(line.astype(bool), width):
        assert min(np.hypot(fx - x, fy - y) for x, y in vertices) <= 6
    marked = line.copy()
    for x, y in vertices:
        diamond = np.array([(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)], np.int32)
        cv2.fillPoly(marked, [diamond], 1)
    found = _marker_blobs(marked.astype(bool), width)
    assert len(found) == len(vertices)
    for (x, y), (fx, fy) in zip(vertices, found, strict=True):
        assert abs(fx - x) <= 3 and abs(fy - y) <= 3  # a fifth of the marker


def test_a_column_of_legend_swatches_read_as_strokes_is_marks():
    """OCR reads a legend's column of coloured swatches as one word of strokes ('III');
    taken for text, it hid the swatches and left every slice of a pie unnamed."""
    colours = ((78, 121, 167), (242, 142, 43), (225, 87, 89), (118, 183, 178), (89, 161, 79))
    image = Image.new("RGB", (200, 120), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=12)
    words = []
    for i, colour in enumerate(colours):
        y = 10 + 20 * i
        draw.rectangle((20, y, 50, y + 10), fill=colour)
        draw.text((60, y - 1), str(2008 + i), fill=(102, 102, 102), font=font)
        words.append(
            Word(str(2008 + i), BBox(*draw.textbbox((60, y - 1), str(2008 + i), font=font)))
        )
    strokes = Word("III", BBox(18, 8, 52, 102))
    reading = read_image(image, 1.0, [*words, strokes])
    assert [w.text for w in reading.words] == [w.text for w in words]
    swatches = sorted(m.bbox.y0 for m in reading.marks if m.bbox.width > 20)
    assert swatches == pytest.approx([10 + 20 * i for i in range(5)], abs=1.5)
    # A coloured word of letters is still text.
    lab = to_lab(np.asarray(image))
    white = [to_lab(np.array([[(255, 255, 255)]], np.uint8))[0, 0]]
    assert marker_read_as_text(strokes, lab, white, 1.0, None)
    assert not marker_read_as_text(Word("Sales", strokes.bbox), lab, white, 1.0, None)
