"""Bars in a pale palette's lightest colours (a near-white gray, Pastel1's last), too pale to
pass for ink and drawn with no outline: the series is read and named from its swatch, and
a plot's ground, hidden under marks but for cells and strips, is no series."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.backdrops import find_backgrounds, ground_distances
from docvlm.engines.native.colours import delta_e, to_lab
from docvlm.engines.native.pale_fills import outlined_tints
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

WHITE, PALE, BLUE, GRID = (255, 255, 255), (242, 242, 242), (31, 119, 180), (204, 204, 204)
LAVENDER, INK = (234, 234, 242), (60, 60, 60)
VALUES = {"North": [12, 18, 15, 22, 7], "South": [8, 11, 19, 14, 16]}
CATEGORIES = ["Apples", "Pears", "Plums", "Figs", "Kiwis"]
FOOT, PER_UNIT = 300, 10  # the axis's row, and pixels per unit of value


def _glyphs(draw: ImageDraw.ImageDraw, word: Word) -> None:
    """Upright strokes standing for a word's letters."""
    box = word.bbox
    for x in range(int(box.x0) + 1, int(box.x1) - 1, 4):
        draw.line([(x, box.y0 + 1), (x, box.y1 - 1)], fill=INK, width=2)


def _grouped_columns(colours: dict[str, tuple[int, int, int]], ground: tuple[int, int, int]):
    """Two series of columns over gray grid lines (which meet the columns' sides), a key
    right of the plot with a swatch of each series' colour."""
    image = Image.new("RGB", (560, 360), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([60, 40, 420, FOOT], fill=ground)
    words = []
    for value in range(0, 30, 5):
        y = FOOT - value * PER_UNIT
        draw.line([(60, y), (420, y)], fill=GRID, width=2)
        words.append(Word(str(value), BBox(30, y - 5, 52, y + 5)))
    draw.line([(60, FOOT), (420, FOOT)], fill=INK, width=2)
    draw.line([(60, 40), (60, FOOT)], fill=INK, width=2)
    for i, category in enumerate(CATEGORIES):
        left = 75 + 70 * i
        for k, (name, values) in enumerate(VALUES.items()):
            x0 = left + 26 * k
            draw.rectangle([x0, FOOT - values[i] * PER_UNIT, x0 + 25, FOOT - 1], fill=colours[name])
        words.append(Word(category, BBox(left + 2, FOOT + 8, left + 50, FOOT + 18)))
    for k, name in enumerate(VALUES):
        y = 60 + 22 * k
        draw.rectangle([440, y - 7, 456, y + 7], fill=colours[name])
        words.append(Word(name, BBox(462, y - 5, 500, y + 5)))
    for word in words:
        _glyphs(draw, word)
    return image, words


def _read(image: Image.Image, words: list[Word]) -> dict[str | None, dict[str, float]]:
    chart = find_raster_charts(image, words, 1.0)[0].chart
    return {s.name: {str(p.x): p.y for p in s.points if p.y is not None} for s in chart.series}


def test_pale_gray_columns_with_no_outline_are_a_named_series() -> None:
    image, words = _grouped_columns({"North": PALE, "South": BLUE}, WHITE)
    read = _read(image, words)
    assert sorted(read, key=str) == ["North", "South"]
    for name, values in VALUES.items():
        assert list(read[name]) == CATEGORIES
        assert all(
            abs(read[name][c] - v) <= 0.3 for c, v in zip(CATEGORIES, values, strict=True)
        ), (name, read[name])


def test_pale_gray_columns_a_shade_lighter_than_a_lavender_plot_are_read() -> None:
    """The plot's ground is taken for its own colour, not one pulled toward the columns'
    (within 4 delta E of it): the columns stand off it and are read."""
    image, words = _grouped_columns({"North": PALE, "South": BLUE}, LAVENDER)
    lab = to_lab(np.asarray(image))
    plot = [bg for bg in find_backgrounds(lab) if float(delta_e(bg, lab[45, 70])) < 1.0]
    assert len(plot) == 1
    read = _read(image, words)
    assert sorted(read, key=str) == ["North", "South"]
    assert all(
        abs(read["North"][c] - v) <= 0.3 for c, v in zip(CATEGORIES, VALUES["North"], strict=True)
    )


def _tints(image: Image.Image) -> np.ndarray:
    lab = to_lab(np.asarray(image))
    backgrounds = find_backgrounds(lab)
    distances = ground_distances(lab, backgrounds)
    under = np.array(backgrounds)[distances.argmin(axis=0)]
    found, _ = outlined_tints(lab, distances.min(axis=0), distances.min(axis=0) > 12, under)
    return found


def test_a_cell_of_a_gray_ground_cut_off_by_a_white_grid_line_is_no_bar() -> None:
    """A gray plot ground mostly hidden under an area, too little of it showing to pass for
    a backdrop: the strip a white grid line cuts off its top goes on past the line, and
    is no pale bar."""
    image = Image.new("RGB", (500, 340), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([50, 30, 450, 300], fill=(237, 237, 237))
    draw.polygon([(50, 300), (50, 120), (450, 70), (450, 300)], fill=(90, 190, 120))
    draw.line([(50, 50), (450, 50)], fill=WHITE, width=2)
    assert not _tints(image).any()


def test_strips_of_a_gray_ground_between_full_columns_are_no_bars() -> None:
    """The ground of a 100% stacked chart shows only between its columns, as strips from
    its top to its foot: no pale bars."""
    image = Image.new("RGB", (500, 340), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([50, 30, 450, 300], fill=(235, 235, 235))
    for i in range(6):
        x0 = 60 + 65 * i
        draw.rectangle([x0, 30, x0 + 45, 150 + 10 * i], fill=(100, 165, 35))
        draw.rectangle([x0, 151 + 10 * i, x0 + 45, 300], fill=(230, 170, 0))
    assert not _tints(image).any()


def test_tick_marks_hanging_off_a_plot_ground_in_its_colour_leave_it_a_ground() -> None:
    """Tick marks under the axis whose anti-aliased sides pass through the plot's colour
    join to it; the ground is still told by the rows and columns it fills."""
    image, _ = _grouped_columns({"North": PALE, "South": BLUE}, LAVENDER)
    draw = ImageDraw.Draw(image)
    for x in (110, 190, 270, 350):
        draw.line([(x, FOOT + 1), (x, FOOT + 10)], fill=(187, 187, 187), width=1)
        for side in (x - 1, x + 1):  # the tick's blend with the white page
            draw.line([(side, FOOT + 1), (side, FOOT + 10)], fill=LAVENDER, width=1)
    lab = to_lab(np.asarray(image))
    assert any(float(delta_e(bg, lab[45, 70])) < 1.0 for bg in find_backgrounds(lab))


def test_an_area_peaking_over_its_flat_top_is_no_ground() -> None:
    """A stacked area's lower band, flat but for a peak in its middle, the line's markers
    drawn over it: the rows its peak thins through are no fringe to trim, so its box's
    upper corners stay bare and the band is a mark, not a plot's ground."""
    image = Image.new("RGB", (500, 340), WHITE)
    draw = ImageDraw.Draw(image)
    top = [(50, 120), (230, 120), (250, 40), (270, 120), (450, 120)]
    draw.polygon([(50, 300), *top, (450, 300)], fill=(70, 150, 200))
    for x in range(70, 440, 40):
        for y in (180, 250):
            draw.ellipse([x - 8, y - 8, x + 8, y + 8], fill=(200, 80, 40))
    lab = to_lab(np.asarray(image))
    assert all(float(delta_e(bg, lab[250, 100])) > 10 for bg in find_backgrounds(lab))


def test_a_lone_pale_box_is_no_bar() -> None:
    """One pale box, no other of its colour (a note's panel, no series and its swatch)."""
    image = Image.new("RGB", (400, 300), WHITE)
    ImageDraw.Draw(image).rectangle([100, 80, 170, 120], fill=PALE)
    assert not _tints(image).any()


def test_pale_panels_with_coloured_points_on_them_are_no_bars() -> None:
    """Two small plots on pale grounds, points drawn on each: grounds, not bars (the marks
    on a bar are neutral words)."""
    image = Image.new("RGB", (520, 300), WHITE)
    draw = ImageDraw.Draw(image)
    for x0, y0 in ((40, 40), (290, 150)):
        draw.rectangle([x0, y0, x0 + 110, y0 + 60], fill=PALE)
        for dx, dy in ((20, 40), (45, 15), (70, 30), (90, 20)):
            draw.ellipse([x0 + dx - 3, y0 + dy - 3, x0 + dx + 3, y0 + dy + 3], fill=BLUE)
    assert not _tints(image).any()
