"""Bars drawn as their outlines: a web library's bars filled in a tint too pale to pass for
drawn ink (the grid lines seen through it), their foot left open on the axis, are bars
from their top to their foot, not lines."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docvlm.engines.native.raster_charts import image_marks

GRID = (229, 229, 229)
BLUE = (78, 121, 167)
PALE_BLUE = (220, 228, 237)  # the blue at a fifth of its strength: a near gray
EDGE = (113, 148, 184)  # the outline's anti-aliased inner edge
GRID_THROUGH = (199, 207, 216)  # the grid line seen through the pale fill


def _outlined_bar(pixels: np.ndarray, box: tuple[int, int, int, int], grid_rows) -> None:
    """A bar as a canvas library strokes it: the pale fill, the grid showing through it,
    a two-pixel outline (one of them its soft inner edge) along its top and sides and
    none along its foot."""
    x0, y0, x1, y1 = box
    pixels[y0:y1, x0:x1] = PALE_BLUE
    for y in grid_rows:
        if y0 < y < y1:
            pixels[y : y + 2, x0:x1] = GRID_THROUGH
    pixels[y0 + 1, x0:x1] = EDGE
    pixels[y0:y1, [x0 + 1, x1 - 2]] = EDGE
    pixels[y0, x0:x1] = BLUE
    pixels[y0:y1, [x0, x1 - 1]] = BLUE


def test_bars_drawn_as_outlines_open_at_the_foot_are_bars():
    pixels = np.full((500, 400, 3), 255, np.uint8)  # room below for the labels
    grid_rows = range(40, 261, 44)
    for y in grid_rows:
        pixels[y : y + 2, 40:380] = GRID
    pixels[260:262, 40:380] = (166, 168, 170)  # the axis
    boxes = [(60, 90, 100, 260), (160, 150, 200, 260), (260, 60, 300, 260)]
    for box in boxes:
        _outlined_bar(pixels, box, grid_rows)
    marks = image_marks(Image.fromarray(pixels), 1.0)[0]
    assert sorted((m.kind, m.bbox.x0, m.bbox.y0, m.bbox.x1) for m in marks) == [
        ("bar", pytest.approx(x0, abs=1.5), pytest.approx(y0, abs=1.5), pytest.approx(x1, abs=1.5))
        for x0, y0, x1, _ in boxes
    ]


def test_a_hollow_marker_and_a_peaked_line_stay_what_they_are():
    """A small hollow square is a marker; a line rising and falling back to its start's
    level encloses no rectangle."""
    image = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 40, 40), outline=BLUE, width=2)
    draw.line([(60, 250), (150, 80), (240, 250)], fill=(214, 39, 40), width=3)
    marks = image_marks(image, 1.0)[0]
    assert sorted(m.kind for m in marks) == ["line", "point"]


def test_a_tall_outlined_bar_is_a_bar_inside_a_coloured_frame():
    """The sides of a bar drawn as an outline, taller than half the image, stand a bar's
    width apart: a bar, not the sides of a frame round the plot (which stand across it)."""
    pixels = np.full((300, 400, 3), 255, np.uint8)
    pixels[20:22, 20:380] = BLUE  # a frame round the plot, in a theme's colour
    pixels[278:280, 20:380] = BLUE
    pixels[20:280, 20:22] = BLUE
    pixels[20:280, 378:380] = BLUE
    pixels[250:252, 40:360] = (166, 168, 170)  # the axis
    box = (180, 60, 220, 250)
    _outlined_bar(pixels, box, ())
    marks = image_marks(Image.fromarray(pixels), 1.0)[0]
    assert [(m.kind, m.bbox.x0, m.bbox.y0, m.bbox.x1) for m in marks] == [
        (
            "bar",
            pytest.approx(180, abs=1.5),
            pytest.approx(60, abs=1.5),
            pytest.approx(220, abs=1.5),
        )
    ]
