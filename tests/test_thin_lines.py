"""Lines about a pixel wide (a screen's 1-point lines): where such a line runs between
pixel centres its strongest pixels are only half covered, a paler shade of its colour.
The line is one colour, not dashes of its colour and that shade; a thin legend swatch
(a full row between two half-covered ones) has the full row's colour."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import docvlm
from docvlm.engines.native.colours import delta_e, to_lab
from docvlm.engines.native.segmentation import FOREGROUND, MIN_REGION, SAME_COLOUR, _own_colour
from docvlm.engines.native.stroke_palette import _paler_blend, stroke_palette
from tests.line_charts import SERIES, YEARS, line_chart_png

ORANGE, DARK_BLUE, LIGHT_BLUE = (255, 127, 14), (31, 119, 180), (174, 199, 232)
WHITE = np.array([100.0, 0.0, 0.0], np.float32)  # CIELAB
SUPER = 4  # drawn this many times larger, then shrunk: anti-aliased as a renderer does


def _palette(lines: list[tuple[tuple[int, int, int], list[tuple[int, int]], float]]):
    """The stroke palette of a white 300 by 200 image with ``lines`` (colour, points,
    width in pixels) drawn anti-aliased, and the colours of the image in CIELAB."""
    large = Image.new("RGB", (300 * SUPER, 200 * SUPER), "white")
    draw = ImageDraw.Draw(large)
    for colour, points, width in lines:
        draw.line(
            [(x * SUPER, y * SUPER) for x, y in points], fill=colour, width=round(width * SUPER)
        )
    lab = to_lab(np.asarray(large.resize((300, 200), Image.Resampling.BOX)))
    distance = delta_e(lab, WHITE)
    under = np.broadcast_to(WHITE, lab.shape).copy()
    thin = distance > FOREGROUND
    return stroke_palette(lab, thin, distance, under, SAME_COLOUR, MIN_REGION)


def _near(found: list[np.ndarray], rgb: tuple[int, int, int]) -> bool:
    target = to_lab(np.array([[rgb]], np.uint8))[0, 0]
    return any(float(delta_e(colour, target)) < SAME_COLOUR for colour in found)


def test_a_line_a_pixel_wide_is_one_colour():
    """Two 1.3-pixel lines rising gently: along each, stretches of its strongest pixels
    are half covered, a paler shade that stood as a colour of its own (four colours)."""
    palette = _palette(
        [
            (ORANGE, [(10, 150), (100, 130), (200, 115), (290, 90)], 1.3),
            (DARK_BLUE, [(10, 50), (290, 20)], 1.3),
        ]
    )
    assert len(palette) == 2
    assert _near(palette, ORANGE) and _near(palette, DARK_BLUE)


def test_a_light_series_apart_from_its_dark_shade_keeps_its_colour():
    """A light blue line, a blend of the dark blue with white near enough, drawn apart
    from the dark blue one (tab20's pair): two colours."""
    light = to_lab(np.array([[LIGHT_BLUE]], np.uint8))[0, 0]
    dark = to_lab(np.array([[DARK_BLUE]], np.uint8))[0, 0]
    assert _paler_blend(light, dark, WHITE, SAME_COLOUR)
    palette = _palette(
        [
            (DARK_BLUE, [(10, 40), (150, 60), (290, 100)], 3.0),
            (LIGHT_BLUE, [(10, 170), (150, 150), (290, 120)], 3.0),
        ]
    )
    assert len(palette) == 2
    assert _near(palette, DARK_BLUE) and _near(palette, LIGHT_BLUE)


def test_a_thin_swatchs_colour_is_its_full_row():
    """A swatch one pixel high drawn between rows: a full row (its ends half covered)
    between two pale ones, the pale pixels over two thirds of its pixels."""
    full = to_lab(np.array([[ORANGE]], np.uint8))[0, 0]
    pale = to_lab(np.array([[(255, 232, 213)]], np.uint8))[0, 0]
    lab = np.stack([np.tile(pale, (30, 1)), np.tile(full, (30, 1)), np.tile(pale, (30, 1))])
    lab[1, [0, -1]] = pale
    lab = lab.astype(np.float32)
    piece = np.ones((3, 30), bool)
    colour = _own_colour(piece, lab, delta_e(lab, WHITE))
    assert float(delta_e(colour, full)) < 1.0


def test_a_chart_of_one_point_lines_reads_each_line_under_its_name(tmp_path):
    """matplotlib's lines one point wide, in an image of 96 pixels an inch: three named
    series, a point each year read on its line (it read six series, three with no name)."""
    path = tmp_path / "thin.png"
    path.write_bytes(line_chart_png(linewidth=1.0))

    chart = docvlm.extract(path, schema="chart").records[0]
    got = {s.name: [(float(p.x), p.y) for p in s.points] for s in chart.series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        truth = [v * 1000 for v in values]
        assert [x for x, _ in got[name]] == [float(year) for year in YEARS], name
        for x, y in got[name]:
            assert y == pytest.approx(np.interp(x, YEARS, truth), abs=800), (name, x)
