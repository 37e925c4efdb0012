"""A series drawn in gray is data, not a rule: a gently slanting gray line sweeps down many
rows a stretch of its length each, three of which together hold a rule's length, yet it
is no grid line; the grid line it crosses still is one."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from docvlm.engines.native.backdrops import find_rules
from docvlm.engines.native.colours import to_lab
from docvlm.engines.native.raster_charts import image_marks


def _chart() -> Image.Image:
    """A gray line falling 30 pixels over 400 (13 pixels a row, three rows more than a
    rule's length of 33), crossing a light gray grid line, over a white plot."""
    image = Image.new("RGB", (480, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (460, 120)], fill=(200, 200, 200), width=1)  # a grid line
    draw.line([(40, 100), (440, 130)], fill=(110, 110, 110), width=2)  # the gray series
    draw.line([(40, 60), (240, 40), (440, 80)], fill=(30, 90, 200), width=2)  # a blue one
    return image


def test_a_gently_slanting_gray_line_is_no_rule_but_the_grid_line_it_crosses_is() -> None:
    pixels = np.asarray(_chart())
    drawn = pixels.min(axis=2) < 240
    mask, boxes = find_rules(drawn, to_lab(pixels), 33)
    assert [(x0, x1) for x0, _, x1, _ in boxes] == [(20, 461)]
    assert all(y1 - y0 <= 2 for _, y0, _, y1 in boxes)
    off_the_grid_line = np.ones(drawn.shape, bool)
    off_the_grid_line[119:122] = False
    assert (mask & off_the_grid_line).sum() == 0  # the gray line stays drawn, all along


def test_a_gray_series_line_is_read_as_a_line() -> None:
    marks, _, _ = image_marks(_chart(), scale=1.0)
    gray = [m for m in marks if m.kind == "line" and max(m.color) - min(m.color) < 0.05]
    assert gray  # (cut where it crosses the grid line)
    assert min(m.bbox.x0 for m in gray) <= 42 and max(m.bbox.x1 for m in gray) >= 438


def test_gray_hatching_over_a_bar_stays_a_texture_no_mark_is_read_from() -> None:
    """Gray hatch lines slanting across a wide bar cross every row many times: the band
    they fill is taken whole, as the rules' are, not read as gray strokes of a series."""
    image = Image.new("RGB", (480, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 100, 440, 140], fill=(240, 200, 120))
    for x in range(-200, 440, 14):  # shallow strokes, six pixels a row each
        draw.line([(x, 140), (x + 240, 100)], fill=(120, 120, 120), width=1)
    draw.rectangle([0, 90, 39, 150], fill="white")
    draw.rectangle([441, 90, 479, 150], fill="white")
    pixels = np.asarray(image)
    hatch = np.abs(pixels.astype(int) - (120, 120, 120)).max(axis=2) < 30
    drawn = pixels.min(axis=2) < 240
    mask, _ = find_rules(drawn, to_lab(pixels), 33)
    assert (mask & hatch).sum() >= 0.9 * hatch.sum()
