"""Gradient-shaded columns with a line series drawn across them (an office suite's bar and
line chart): a column the line cuts comes apart in a part left ragged by the line and,
where the line parts two shades of the gradient, in two colours. The columns are still
read as columns, each whole."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.area_pieces import area_marks
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.engines.native.segmentation import Piece
from docvlm.engines.native.series_names import joined_by_name
from docvlm.geometry import BBox

WHITE, INK = (255, 255, 255), (40, 40, 40)
BLUE, RED, GREEN = (60, 120, 200), (200, 60, 55), (150, 185, 80)
VALUES = {"Size": [20, 70, 180, 100], "Team": [70, 15, 125, 35]}
LINE = [14.0, 11.0, 10.0, 4.0]  # percent, on the right-hand axis
MONTHS = ["Mar", "Apr", "May", "Jun"]
LEFT, TOP, RIGHT, FOOT = 80, 40, 480, 340  # the plot; 200 units up its height


def _letters(draw: ImageDraw.ImageDraw, word: Word) -> None:
    box = word.bbox
    for x in range(int(box.x0) + 1, int(box.x1) - 3, 6):
        draw.rectangle([x, box.y0 + 2, x + 3, box.y1 - 2], fill=INK)


def _y(value: float, top: float = 200.0) -> float:
    return FOOT - value * (FOOT - TOP) / top


def _gradient_bar(draw: ImageDraw.ImageDraw, x0: int, x1: int, top: int, colour) -> None:
    """A column shaded from a pale top to its full colour at the foot, over 300 pixels
    (as tall as the plot): a tall column spans far more of the shading than a short one."""
    for y in range(top, FOOT):
        pale = (FOOT - y) / 300 * 0.3
        draw.line([(x0, y), (x1, y)], fill=tuple(round(c + (255 - c) * pale) for c in colour))


def _chart() -> tuple[Image.Image, list[Word]]:
    image = Image.new("RGB", (640, 400), WHITE)
    draw = ImageDraw.Draw(image)
    words = []
    for value in range(0, 201, 50):
        y = _y(value)
        draw.line([(LEFT, y), (RIGHT, y)], fill=(160, 160, 160), width=1)
        words.append(Word(str(value), BBox(40, y - 5, 72, y + 5)))
        words.append(Word(f"{value * 16 // 200}%", BBox(RIGHT + 8, y - 5, RIGHT + 34, y + 5)))
    draw.line([(LEFT, FOOT), (RIGHT, FOOT)], fill=INK, width=1)
    band = (RIGHT - LEFT) / len(MONTHS)
    centres = []
    for i, month in enumerate(MONTHS):
        centre = LEFT + band * (i + 0.5)
        centres.append(centre)
        for k, values in enumerate(VALUES.values()):
            x0 = round(centre - 30 + 30 * k)
            colour = (BLUE, RED)[k]
            _gradient_bar(draw, x0, x0 + 29, round(_y(values[i])), colour)
        words.append(Word(month, BBox(centre - 12, FOOT + 8, centre + 12, FOOT + 18)))
    points = [(c, _y(v, 16.0)) for c, v in zip(centres, LINE, strict=True)]
    draw.line(points, fill=GREEN, width=4)
    for x, y in points:  # diamond markers: the line with them is no thin stroke
        draw.polygon([(x - 7, y), (x, y - 7), (x + 7, y), (x, y + 7)], fill=GREEN)
    for k, (name, colour) in enumerate([("Size", BLUE), ("Team", RED), ("Budget", GREEN)]):
        y = 150 + 22 * k
        if name == "Budget":
            draw.line([(540, y), (560, y)], fill=colour, width=4)
        else:
            draw.rectangle([540, y - 5, 560, y + 5], fill=colour)
        words.append(Word(name, BBox(566, y - 6, 566 + 8 * len(name), y + 6)))
    for word in words:
        _letters(draw, word)
    return image, words


def test_gradient_columns_a_line_cuts_are_read_whole() -> None:
    image, words = _chart()
    chart = find_raster_charts(image, words, 1.0)[0].chart
    assert chart.chart_type == "bar"
    read = {s.name: {str(p.x): p.y for p in s.points} for s in chart.series}
    assert sorted(read, key=str) == ["Budget", "Size", "Team"]
    for name, values in VALUES.items():
        assert list(read[name]) == MONTHS, read[name]
        for month, value in zip(MONTHS, values, strict=True):
            assert abs(read[name][month] - value) <= 3.0, (name, month, read[name])
    for month, value in zip(MONTHS, LINE, strict=True):
        assert abs(read["Budget"][month] - value) <= 0.3, read["Budget"]


def _bar(x0: float, y0: float, y1: float, colour=(0.8, 0.2, 0.2), kind="bar") -> Mark:
    return Mark(kind, BBox(x0, y0, x0 + 30, y1), colour, pixels=30 * (y1 - y0))


def test_a_shade_holding_only_the_rest_of_its_series_bars_joins_them() -> None:
    """The part of a column above a line across it, in a paler shade the legend gives the
    same name, is the rest of that column: joined to it, not read as a second value."""
    dark, pale = (0.7, 0.2, 0.2), (0.78, 0.25, 0.24)
    foot_parts = [_bar(0, 150, 300, dark), _bar(100, 120, 300, dark), _bar(200, 260, 300, dark)]
    top_part = [_bar(100.5, 60, 126, pale, kind="area")]  # overlapping the foot's part
    groups = {dark: foot_parts, pale: top_part}
    joined = joined_by_name(groups, {dark: "Team", pale: "Team"}, lambda _: False, False)
    assert list(joined) == [dark]
    assert sorted(m.bbox.as_tuple() for m in joined[dark]) == [
        (0, 150, 30, 300),
        (100, 60, 130.5, 300),
        (200, 260, 230, 300),
    ]
    assert all(m.kind == "bar" for m in joined[dark])

    # A shade standing beside a bar at its category, not in line with it: two series.
    beside = [_bar(112, 60, 300, pale)]
    joined = joined_by_name({dark: foot_parts, pale: beside}, {dark: "Team", pale: "Team"},
                            lambda _: False, False)  # fmt: skip
    assert list(joined) == [dark, pale]


def _piece(x0: int, y0: int, x1: int, y1: int, ragged: bool = False) -> Piece:
    mask = np.ones((y1 - y0, x1 - x0), bool)
    if ragged:  # a slanting line's cut off its top right corner
        for row in range(10):
            mask[row, x1 - x0 - 10 + row :] = False
    red = np.asarray([50.0, 60.0, 40.0], np.float32)
    return Piece(mask, x0, y0, int(mask.sum()), red, rgb=(0.8, 0.2, 0.2))


def test_a_ragged_bar_running_along_no_plot_is_no_band() -> None:
    """A bar a line left ragged is an area's shape, not an area: the bar of its series in
    line with it (two values alike) stays a bar, not a level band taken as an area."""
    ragged, level = _piece(100, 50, 130, 200, ragged=True), _piece(100, 210, 130, 300)
    other = _piece(200, 120, 230, 300)
    data = [
        (ragged, Mark("area", BBox(100, 50, 130, 200), (0.8, 0.2, 0.2))),
        (level, Mark("bar", BBox(100, 210, 130, 300), (0.8, 0.2, 0.2))),
        (other, Mark("bar", BBox(200, 120, 230, 300), (0.8, 0.2, 0.2))),
    ]
    lab = np.full((320, 320, 3), [100.0, 0.0, 0.0], np.float32)
    marks = area_marks(data, [], [np.asarray([100.0, 0.0, 0.0], np.float32)], lab, 1.0)
    assert [m.kind for _, m in marks] == ["area", "bar", "bar"]


def test_a_level_block_under_a_band_cut_at_grid_lines_is_an_area() -> None:
    """Stacked areas cut into blocks at upright grid lines: a block of the lower band
    whose top is level (a bar's shape) under the upper band's block in its columns is a
    band too, though neither block runs along the plot."""
    upper = _piece(100, 50, 130, 120, ragged=True)
    level, elsewhere = _piece(100, 120, 130, 300), _piece(160, 60, 190, 300, ragged=True)
    data = [
        (upper, Mark("area", BBox(100, 50, 130, 120), (0.8, 0.2, 0.2))),
        (level, Mark("bar", BBox(100, 120, 130, 300), (0.2, 0.4, 0.8))),
        (elsewhere, Mark("area", BBox(160, 60, 190, 300), (0.8, 0.2, 0.2))),
    ]
    lab = np.full((320, 320, 3), [100.0, 0.0, 0.0], np.float32)
    marks = area_marks(data, [], [np.asarray([100.0, 0.0, 0.0], np.float32)], lab, 1.0)
    assert [m.kind for _, m in marks] == ["area", "area", "area"]


def test_a_shade_within_an_area_is_no_rest_of_a_bar() -> None:
    """A chart read as areas holds one across the plot, and every mark stands within its
    sides: a shade of the same name inside it is no part of a cut bar, and stays apart."""
    outline, red = (0.0, 0.0, 0.0), (0.89, 0.1, 0.11)
    across = [Mark("area", BBox(30, 20, 560, 330), outline)]
    inside = [Mark("area", BBox(110, 220, 560, 329), red)]
    joined = joined_by_name({outline: across, red: inside}, {outline: "Sales", red: "Sales"},
                            lambda _: False, False)  # fmt: skip
    assert list(joined) == [outline, red]
