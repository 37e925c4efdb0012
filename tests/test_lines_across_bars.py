"""A line series drawn across bars in a chart image, its key apart from the bars' (R's
ggplot2 keys fills and lines each under a title): the line's stretch across a bar is
the line's, not the bar's outline; the slivers anti-aliasing leaves where it crosses a
bar's edge are no points of the bar's series; and the line's name, a year in line with
the bars' key's names a few lines above them, names it though its sample (a black
stroke) was taken for a glyph."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.engines.native.stray_ink import without_outline_pieces, without_slivers
from docvlm.geometry import BBox

RED, BLUE = (228, 26, 28), (55, 126, 184)
CATEGORIES = ["North", "South", "East", "West"]
CENTRES = [120, 200, 280, 360]
COSTS, PRODUCT, LINE = [29, 30, 18, 6], [21, 7, 18, 24], [16, 3, 33, 12]
SUPER = 4  # drawn this many times larger, then shrunk: edges anti-aliased


def _y(value: float) -> float:
    return 260 - 5 * value


def _chart() -> Image.Image:
    big = Image.new("RGB", (520 * SUPER, 320 * SUPER), "white")
    draw = ImageDraw.Draw(big)

    def box(x0: float, y0: float, x1: float, y1: float, fill, outline=None) -> None:
        draw.rectangle(
            [x0 * SUPER, y0 * SUPER, x1 * SUPER, y1 * SUPER],
            fill=fill,
            outline=outline,
            width=SUPER // 2,
        )

    for value in range(0, 41, 10):
        draw.line([(80 * SUPER, _y(value) * SUPER), (400 * SUPER, _y(value) * SUPER)], (225,) * 3)
    for centre, cost, product in zip(CENTRES, COSTS, PRODUCT, strict=True):
        box(centre - 36, _y(cost), centre, 260, RED, "white")
        box(centre, _y(product), centre + 36, 260, BLUE, "white")
    points = [(c * SUPER, _y(v) * SUPER) for c, v in zip(CENTRES, LINE, strict=True)]
    draw.line(points, fill="black", width=2 * SUPER)
    for x, y in points:
        r = 4 * SUPER
        draw.ellipse([x - r, y - r, x + r, y + r], fill="black")  # a disc: the line ends at it
    # The line's key: its sample (a stroke and a disc, as short as a glyph is wide) and
    # '2024'; under it the bars' key.
    draw.line([(421 * SUPER, 85 * SUPER), (435 * SUPER, 85 * SUPER)], "black", 2 * SUPER)
    draw.ellipse([424 * SUPER, 81 * SUPER, 432 * SUPER, 89 * SUPER], fill="black")
    box(420, 125, 436, 141, RED)
    box(420, 146, 436, 162, BLUE)
    return big.resize((520, 320), Image.Resampling.LANCZOS)


def _words() -> list[Word]:
    ticks = [Word(str(v), BBox(50, _y(v) - 6, 70, _y(v) + 6)) for v in range(0, 41, 10)]
    labels = [
        Word(c, BBox(x - 15, 266, x + 15, 278)) for c, x in zip(CATEGORIES, CENTRES, strict=True)
    ]
    keys = [
        Word("Legend", BBox(420, 58, 470, 72)),
        Word("2024", BBox(445, 79, 471, 91)),
        Word("Legend", BBox(420, 103, 470, 117)),
        Word("Costs", BBox(445, 127, 480, 139)),
        Word("Product A", BBox(445, 147, 505, 159)),
    ]
    return ticks + labels + keys


def test_a_line_across_bars_with_its_own_key_is_read_whole_and_named():
    chart = find_raster_charts(_chart(), tuple(_words()), 1.0)[0].chart
    got = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    assert set(got) == {"Costs", "Product A", "2024"}
    for name, values in (("Costs", COSTS), ("Product A", PRODUCT), ("2024", LINE)):
        assert got[name] == pytest.approx(dict(zip(CATEGORIES, values, strict=True)), abs=0.8)


def test_a_sliver_of_a_bars_hue_on_its_edge_is_no_point():
    bar = Mark("bar", BBox(100, 50, 130, 260), (0.89, 0.1, 0.11), pixels=6300)
    pink = Mark("line", BBox(128.5, 80, 130.4, 89), (0.97, 0.77, 0.77), pixels=30)  # a tint
    green = Mark("line", BBox(128.5, 80, 130.4, 89), (0.2, 0.7, 0.3), pixels=30)
    point = Mark("point", BBox(140, 80, 146, 86), (0.97, 0.77, 0.77), pixels=30)  # beside it
    assert without_slivers([bar, pink, green, point], 1.0) == [bar, green, point]


def test_pieces_of_a_bar_s_outline_found_apart_are_no_series():
    """A dark bar outlined in black: the outline along its top, found apart from it, is a
    black line as wide as the bar, a point of a series of short flat lines at every
    column's total. A black line series crossing the bars stays."""
    purple, black = (0.27, 0.0, 0.33), (0.0, 0.01, 0.01)
    bar = Mark("bar", BBox(166.3, 49.0, 181.4, 190.8), purple, pixels=2000)
    top = Mark("line", BBox(164.9, 47.5, 182.5, 49.0), black, [(164.9, 48.2), (182.5, 48.2)])
    side = Mark("line", BBox(165.0, 49.0, 166.3, 190.8), black, [(165.6, 49.0), (165.6, 190.8)])
    series = Mark("line", BBox(100.0, 40.0, 300.0, 60.0), black, [(100.0, 60.0), (300.0, 40.0)])
    assert without_outline_pieces([bar, top, side, series], 0.367) == [bar, series]
