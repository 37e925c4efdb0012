"""Hatched bars in chart images: the bits of fill a pattern leaves are joined into the bar
they were cut from, whatever else is drawn over the bar (grid lines, crossed hatching)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docvlm.engines.native.colours import to_lab
from docvlm.engines.native.framed_patterns import patterns_in_frames
from docvlm.engines.native.raster_charts import image_marks
from docvlm.engines.native.segmentation import Piece

PAGE = (238, 238, 238)
GRID = (178, 178, 178)
INK = (0, 0, 0)


def _bar(pixels: np.ndarray, box: tuple[int, int, int, int], fill, pattern) -> None:
    """A bar drawn as a plotting library draws a hatched one: its fill, the pattern's
    lines over it, a dark outline round it."""
    x0, y0, x1, y1 = box
    rows, columns = np.mgrid[y0:y1, x0:x1]
    area = pixels[y0:y1, x0:x1]
    area[:] = fill
    area[pattern(rows, columns)] = INK
    pixels[y0:y1, [x0 - 1, x1]] = INK
    pixels[[y0 - 1, y1], x0 - 1 : x1 + 1] = INK


def _slanting(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    return (rows + columns) % 17 < 2


def _crossed(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    return ((rows + columns) % 17 < 2) | ((rows - columns) % 17 < 2)


def _dashed_grid(pixels: np.ndarray, columns=(), rows=()) -> None:
    """Dashed grid lines drawn over everything (a style that puts the grid on top)."""
    height, width = pixels.shape[:2]
    dashes = np.arange(height) % 8 < 5
    for x in columns:
        pixels[dashes, x] = GRID
    dashes = np.arange(width) % 8 < 5
    for y in rows:
        pixels[y, dashes] = GRID


# A pale fill's fine crossed pattern as an office suite renders it, eight pixels square:
# its fill, a mid and a dark tint of the pattern's lines.
TINTS = [(250, 222, 204), (246, 196, 164), (243, 176, 131)]
PATTERN = np.array(
    [
        [0, 1, 0, 0, 2, 1, 1, 1],
        [0, 0, 1, 2, 1, 0, 0, 1],
        [0, 0, 2, 2, 0, 0, 0, 1],
        [0, 2, 1, 0, 1, 0, 1, 1],
        [2, 1, 0, 0, 0, 2, 1, 0],
        [1, 2, 0, 0, 1, 1, 1, 0],
        [0, 1, 2, 1, 1, 0, 0, 1],
        [0, 0, 1, 2, 0, 0, 0, 0],
    ]
)


def _bars(marks: list) -> list[tuple[float, float, float, float]]:
    return sorted((m.bbox.x0, m.bbox.y0, m.bbox.x1, m.bbox.y1) for m in marks if m.kind == "bar")


def _near(*boxes: tuple[int, int, int, int], within: float = 2.5) -> list[tuple]:
    return [tuple(pytest.approx(v, abs=within) for v in box) for box in boxes]


def test_narrow_hatched_bars_side_by_side_are_whole_bars():
    """Grouped bars nine pixels wide, touching, each hatched with slanting lines that cut
    it into a column of bits, are each one bar its full height."""
    pixels = np.full((260, 200, 3), PAGE, np.uint8)
    colours = [(52, 138, 189), (166, 6, 40), (70, 120, 33)]
    boxes = [(60, 40, 69, 220), (70, 90, 79, 220), (80, 140, 89, 220)]
    for box, colour in zip(boxes, colours, strict=True):
        _bar(pixels, box, colour, _slanting)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bars(marks) == _near(*boxes)


def test_a_narrow_bar_of_crossed_hatching_under_a_grid_line_is_one_bar():
    """Crossed hatching in a narrow bar, a grid line drawn down its middle: the bits of
    fill on one side are too small for regions, those on the other lie a diamond apart.
    With nothing but drawing between them they are still the one bar."""
    pixels = np.full((260, 200, 3), PAGE, np.uint8)
    box = (96, 40, 105, 220)
    _bar(pixels, box, (122, 104, 166), _crossed)
    _dashed_grid(pixels, columns=[100])
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bars(marks) == _near(box)


def test_a_wide_hatched_bar_crossed_by_grid_lines_is_one_bar():
    """Slanting hatching cuts a wide bar into strips; grid lines drawn over it, across and
    down, cut the strips into triangles and trapezoids. Joined, they are the bar."""
    pixels = np.full((300, 300, 3), PAGE, np.uint8)
    box = (100, 60, 182, 240)
    _bar(pixels, box, (52, 138, 189), lambda r, c: (r + c) % 25 < 3)
    _dashed_grid(pixels, columns=[141], rows=[120, 180])
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bars(marks) == _near(box)


def test_hatched_bars_of_one_series_a_category_apart_stay_apart():
    """Two narrow bars of one series over neighbouring categories, the page showing
    between them, are two bars however their bits line up."""
    pixels = np.full((260, 200, 3), PAGE, np.uint8)
    boxes = [(60, 40, 69, 220), (90, 90, 99, 220)]
    for box in boxes:
        _bar(pixels, box, (52, 138, 189), _crossed)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    spans = [(x0, x1, y1) for x0, _, x1, y1 in _bars(marks)]
    assert spans == _near(*((x0, x1, y1) for x0, _, x1, y1 in boxes))


def test_bars_of_a_fine_pattern_with_no_room_for_regions_are_bars():
    """An office suite's pattern fill: a pale fill under crossed slanting lines of darker
    tints a few pixels apart leaves no bit of fill three pixels across, so the fill
    comes out as one stroke the shape of the bar. It is the bar; the pattern's lines on
    it go."""
    pixels = np.full((300, 260, 3), 255, np.uint8)
    boxes = [(20, 60, 90, 210), (110, 150, 180, 210), (200, 100, 240, 210)]
    for x0, y0, x1, y1 in boxes:
        area = pixels[y0:y1, x0:x1]
        area[:] = np.array(TINTS, np.uint8)[np.tile(PATTERN, (25, 10))[: y1 - y0, : x1 - x0]]
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bars(marks) == _near(*boxes)
    assert [m.kind for m in marks] == ["bar"] * 3


def _dotted_bar(pixels: np.ndarray, box: tuple[int, int, int, int], fill) -> None:
    """A bar under a dot pattern as a plotting library draws one: dots two pixels square
    in an anti-aliased ring of half ink, ten pixels apart, every other row of them
    shifted by half, over the bar's edges too."""
    _bar(pixels, box, fill, lambda r, c: np.zeros(r.shape, bool))
    x0, y0, x1, y1 = box
    halo = tuple((np.array(fill) + np.array(INK)) // 2)
    for top in range(y0 - 1, y1, 10):
        shift = (top - y0) // 10 % 2 * 5
        for left in range(x0 - 1 + shift, x1, 10):
            pixels[top : top + 4, left : left + 4] = halo
            pixels[top + 1 : top + 3, left + 1 : left + 3] = INK


def test_bars_punctured_by_dots_are_whole_bars_without_the_dots():
    """A dot pattern over a bar's fill leaves it one piece full of holes (and notches
    where dots sit on its edge), covering too little of its box for a bar. Its holes are
    the bar's; the dots are no marks of their own."""
    pixels = np.full((260, 260, 3), PAGE, np.uint8)
    boxes = [(40, 60, 90, 220), (110, 120, 160, 220), (180, 90, 230, 220)]
    for box in boxes:
        _dotted_bar(pixels, box, (176, 160, 208))
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bars(marks) == _near(*boxes)
    assert [m.kind for m in marks] == ["bar"] * 3


def test_wide_bars_of_sparse_slanting_hatching_are_one_bar_each():
    """Hatch lines far apart on a wide bar cut it into a few large bits, which joined
    cover hardly more than the bits do; with nothing but the lines between them in their
    box, they are one bar (a short bar's three bits as well as a tall one's many)."""
    pixels = np.full((300, 300, 3), PAGE, np.uint8)
    boxes = [(40, 200, 92, 250), (120, 60, 172, 250), (200, 150, 252, 250)]
    for box in boxes:
        _bar(pixels, box, (255, 191, 134), lambda r, c: (r + c) % 26 < 2)
    marks, _, _ = image_marks(Image.fromarray(pixels), scale=1.0)
    assert _bars(marks) == _near(*boxes)


def test_holes_of_glyphs_standing_together_are_no_dot_pattern():
    """A label OCR missed, printed on a bar ('80.8'), leaves holes standing together in
    one place of the fill; a dot pattern's holes spread over it. Only the pattern's are
    filled."""
    from docvlm.engines.native.dotted_fills import _punctured
    from docvlm.engines.native.segmentation import Piece

    def piece(holes: list[tuple[int, int]]) -> Piece:
        mask = np.ones((120, 40), bool)
        for x, y in holes:
            mask[y : y + 2, x : x + 2] = False
        return Piece(mask, 0, 0, int(mask.sum()), np.zeros(3))

    glyphs = [(8, 50), (14, 50), (8, 56), (22, 53), (28, 50)]
    pattern = [(6 + 10 * (k % 3), 8 + 25 * (k // 3)) for k in range(12)]
    assert _punctured(piece(glyphs)) is None
    filled = _punctured(piece(pattern))
    assert filled is not None and filled.area == 120 * 40


def _framed_pattern(image, box: tuple[int, int, int, int], colour, period: int) -> None:
    """A bar as a plotting program draws a pattern fill, drawn four times as large (the
    image is shrunk to anti-alias it): no fill, the pattern's slanting lines (crossed
    where ``period``, in pixels, is under 6) in a lighter shade of the series colour over
    the page, and a frame round it in the full colour."""
    x0, y0, x1, y1 = (v * ZOOM for v in box)
    width, height = x1 - x0, y1 - y0
    cell = image.crop((x0, y0, x1, y1))
    draw = ImageDraw.Draw(cell)
    shade = tuple(int(0.35 * 255 + 0.65 * c) for c in colour)
    for start in range(-height, width, period * ZOOM):
        draw.line([(start, height), (start + height, 0)], fill=shade, width=ZOOM)
        if period < 6:
            draw.line([(start, 0), (start + height, height)], fill=shade, width=ZOOM)
    draw.rectangle([0, 0, width - 1, height - 1], outline=colour, width=ZOOM * 3 // 2)
    image.paste(cell, (x0, y0))


ZOOM = 4
SCALE = 0.35  # points a pixel: an image drawn at 200 dots an inch


def test_bars_framed_round_a_pattern_of_their_colour_on_the_page_are_bars():
    """A pattern fill laid over the page, not over a fill, and a frame in the same colour:
    the frame and the pattern's lighter lines come out as pieces of two shades, none of
    them bar-shaped (cross-hatching four pixels square, its lines joined into a stroke
    the frame holds; slanting lines eight apart, each a stroke of its own). Each bar is
    one bar of its colour, a legend's sample too, and nothing of the pattern is left as
    lines or points."""
    big = Image.new("RGB", (300 * ZOOM, 200 * ZOOM), "white")
    purple, green = (148, 0, 211), (0, 158, 115)
    boxes = {
        purple: [(40, 30, 220, 46), (40, 80, 150, 96), (240, 170, 270, 180)],
        green: [(40, 50, 120, 66), (40, 100, 190, 116), (240, 150, 270, 160)],
    }
    for colour, period in ((purple, 4), (green, 8)):
        for box in boxes[colour]:
            _framed_pattern(big, box, colour, period)
    image = big.resize((300, 200), Image.Resampling.BOX)
    marks, _, _ = image_marks(image, scale=SCALE)
    for colour, expected in boxes.items():
        hue = np.array(colour) / 255
        own = [m for m in marks if np.abs(np.array(m.color) - hue).max() < 0.2]
        assert _bars(own) == _near(*(tuple(v * SCALE for v in box) for box in expected), within=0.5)
        assert [m.kind for m in own] == ["bar"] * len(expected)


def test_a_solid_tint_whose_piece_takes_in_a_few_rows_of_page_is_no_pattern():
    """A region in a pale tint of a bar's colour that the segmentation gave a few rows of
    the page as its own (a plot's ground between grid lines, painted as a pale fill) frames
    nothing: the page shows inside it, but not between the pieces' lines. It stays as it
    is, and no bar of the bars' colour is made of it."""
    pixels = np.full((60, 80, 3), 255, np.uint8)
    blue, tint = (76, 114, 176), (190, 204, 228)
    pixels[5:55, 50:70] = blue  # a bar, whose colour the tint is a shade of
    pixels[5:55, 10:30] = tint
    pixels[28:31, 10:30] = 255  # rows of page the tint's piece takes in
    lab = to_lab(pixels)
    mask = np.zeros((60, 80), bool)
    mask[5:55, 10:30] = True
    tinted = Piece(mask[5:55, 10:30], 10, 5, 1000, lab[20, 20])
    bar = Piece(np.ones((50, 20), bool), 50, 5, 1000, lab[20, 60])
    pieces, painted = patterns_in_frames([tinted, bar], lab, [lab[0, 0]])
    assert [id(p) for p in pieces] == [id(tinted), id(bar)]
    assert painted is lab
