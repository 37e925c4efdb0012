"""Areas in chart images: see-through areas that overlap, stacked bands thinned to a
hairline or level enough to pass for a bar, the backdrop an area must not pass for, and a
stacked band whose fill stops short of the edge line drawn over the band under it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.areas import read_area
from docvlm.engines.native.axes import CategoryAxis, NumericAxis
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

BLUE, ORANGE, GRAY = (68, 114, 196), (237, 125, 49), (165, 165, 165)
QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
CENTRES = [60, 160, 260, 360]  # x of each quarter; the plot runs from x = 60 to 360
FOOT, PER_UNIT = 250, 2.0  # y of the value 0, pixels per unit of value


def _y(value: float) -> float:
    return FOOT - PER_UNIT * value


def _labels(names: list[str]) -> list[Word]:
    """Tick labels left of the plot (0 to 100), quarters under it, legend names top right."""
    ticks = [Word(str(v), BBox(20, _y(v) - 5, 40, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    quarters = [
        Word(q, BBox(x - 8, FOOT + 8, x + 8, FOOT + 18))
        for q, x in zip(QUARTERS, CENTRES, strict=True)
    ]
    legend = [Word(n, BBox(404, 30 + 20 * i, 440, 40 + 20 * i)) for i, n in enumerate(names)]
    return ticks + quarters + legend


def _chart(series: list[tuple[tuple[int, int, int], list[float]]], alpha: int) -> Image.Image:
    """Areas from the zero line up to their values, drawn in order with opacity ``alpha``
    (0..255) over a white plot, each with a legend swatch drawn alike."""
    image = Image.new("RGBA", (460, 290), "white")
    for index, (colour, values) in enumerate(series):
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        top = [(x, _y(v)) for x, v in zip(CENTRES, values, strict=True)]
        draw.polygon([*top, (CENTRES[-1], FOOT), (CENTRES[0], FOOT)], fill=(*colour, alpha))
        draw.rectangle((390, 30 + 20 * index, 399, 39 + 20 * index), fill=(*colour, alpha))
        image = Image.alpha_composite(image, layer)
    return image.convert("RGB")


def _read(image: Image.Image, names: list[str]) -> dict[str | None, list[float | None]]:
    chart = find_raster_charts(image, tuple(_labels(names)), 1.0)[0].chart
    return {
        s.name: [p.y for p in sorted(s.points, key=lambda p: QUARTERS.index(p.x))]
        for s in chart.series
    }


def test_see_through_areas_that_overlap_each_read_up_to_their_own_top():
    """Where two translucent areas overlap, the blend of their colours is neither's: each
    area still reads up to its own top, the blend counted as both."""
    south, north = [40.0, 70.0, 50.0, 80.0], [60.0, 30.0, 75.0, 45.0]
    read = _read(_chart([(BLUE, south), (ORANGE, north)], alpha=140), ["South", "North"])
    assert set(read) == {"South", "North"}
    assert read["South"] == pytest.approx(south, abs=1.5)
    assert read["North"] == pytest.approx(north, abs=1.5)


def test_three_see_through_areas_drawn_one_over_another():
    """Three translucent areas: the overlap of all three and of each pair are blends the
    draw order and opacity explain; each series reads its own values."""
    values = {
        "A": [20.0, 35.0, 30.0, 25.0],
        "B": [55.0, 45.0, 80.0, 60.0],
        "C": [90.0, 70.0, 60.0, 95.0],
    }
    colours = dict(zip(values, (BLUE, ORANGE, GRAY), strict=True))
    image = _chart([(colours[n], values[n]) for n in ("C", "B", "A")], alpha=150)
    read = _read(image, ["C", "B", "A"])
    for name, expected in values.items():
        assert read[name] == pytest.approx(expected, abs=1.5)


def test_opaque_overlapping_areas_are_left_as_they_show():
    """Opaque areas blend nothing: the front one hides the other, which reads where it
    shows above it, and no region is taken for a blend of the two."""
    back, front = [60.0, 80.0, 70.0, 90.0], [30.0, 40.0, 35.0, 20.0]
    read = _read(_chart([(BLUE, back), (ORANGE, front)], alpha=255), ["Back", "Front"])
    assert read["Front"] == pytest.approx(front, abs=1.5)
    # The back area shows from the front one's top up: its height there, not its value.
    assert read["Back"] == pytest.approx([b - f for b, f in zip(back, front, strict=True)], abs=1.5)


def _stacked(bands: list[tuple[tuple[int, int, int], list[float]]]) -> Image.Image:
    """Opaque stacked areas, each band from the one below's top up by its values."""
    image = Image.new("RGB", (460, 290), "white")
    draw = ImageDraw.Draw(image)
    base = [0.0] * len(CENTRES)
    for index, (colour, values) in enumerate(bands):
        top = [b + v for b, v in zip(base, values, strict=True)]
        lower = [(x, _y(b)) for x, b in zip(CENTRES, base, strict=True)]
        upper = [(x, _y(t)) for x, t in zip(CENTRES, top, strict=True)]
        draw.polygon(upper + lower[::-1], fill=colour)
        draw.rectangle((390, 30 + 20 * index, 399, 39 + 20 * index), fill=colour)
        base = top
    return image


def test_a_stacked_band_thinned_to_nothing_and_a_level_one_read_as_areas():
    """A stacked band whose value falls to nearly nothing falls apart into regions,
    joined back into one area (not a line through its middle); a level band fills its
    box like a bar across the plot, and is still an area."""
    level, middle, thin = (
        [30.0, 30.0, 30.0, 30.0],
        [20.0, 35.0, 25.0, 40.0],
        [12.0, 0.5, 15.0, 10.0],
    )
    image = _stacked([(BLUE, level), (ORANGE, middle), (GRAY, thin)])
    read = _read(image, ["Level", "Middle", "Thin"])
    assert read["Level"] == pytest.approx(level, abs=1.5)
    assert read["Middle"] == pytest.approx(middle, abs=1.5)
    assert [read["Thin"][i] for i in (0, 2, 3)] == pytest.approx([12.0, 15.0, 10.0], abs=1.5)


def test_a_gray_area_rising_to_the_right_is_no_plot_backdrop():
    """A gray area whose box it fills at three corners (it rises to the right) is data;
    a gray plot backdrop, marks drawn over it, has a straight top edge."""
    from docvlm.engines.native.backdrops import find_backgrounds
    from docvlm.engines.native.colours import to_lab

    area = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(area).polygon([(40, 200), (360, 40), (360, 260), (40, 260)], fill=(135,) * 3)
    assert len(find_backgrounds(to_lab(np.asarray(area)))) == 1
    backdrop = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(backdrop)
    draw.rectangle((40, 40, 360, 260), fill=(229,) * 3)
    draw.polygon([(60, 200), (340, 80), (340, 260), (60, 260)], fill=(52, 138, 189))
    backgrounds = find_backgrounds(to_lab(np.asarray(backdrop)))
    assert len(backgrounds) == 2
    assert float(backgrounds[1][0]) == pytest.approx(91.0, abs=1.0)  # L* of gray 229


def _band(top: float, bottom: float, colour: tuple[float, float, float]) -> Mark:
    """A traced area from x 10 to 90 between two level edges (y in points)."""
    upper = [(x + 0.5, top) for x in range(10, 90)]
    lower = [(x + 0.5, bottom) for x in range(10, 90)]
    return Mark("area", BBox(10, top, 90, bottom), colour, upper + lower[::-1], pixels=1.0)


def test_a_stacked_band_stands_on_the_band_under_it_across_their_edge_line():
    """A band filled from y 40 to 57, over a band whose top (its edge line's foot) is 3
    points lower: the upper band's value runs down to the lower band's top, 0 to 100 over
    y 100 to 0."""
    y_axis = NumericAxis("y", -1.0, 100.0, False, 0.0, 100.0, step=20.0)
    x_axis = CategoryAxis("x", ("A",), (50.0,))
    lower = _band(60, 100, (0.2, 0.4, 0.8))
    upper = _band(40, 57, (0.9, 0.5, 0.2))
    assert read_area(upper, x_axis, y_axis, [upper, lower]) == [("A", 20.0)]
    assert read_area(lower, x_axis, y_axis, [upper, lower]) == [("A", 40.0)]
    assert read_area(upper, x_axis, y_axis) == [("A", 17.0)]  # alone: its own height
    far = _band(40, 50, (0.9, 0.5, 0.2))  # 10 points above: a band of its own
    assert read_area(far, x_axis, y_axis, [far, lower]) == [("A", 10.0)]


def test_a_stacked_band_read_a_column_in_from_an_end_its_edge_line_alone_reaches():
    """The upper band's edge line, taken into it, reaches a pixel past both bands' fill at
    the left end: that column is the line's thickness alone, not the band's height, which
    it read as 0 where the first category stands on the end."""
    y_axis = NumericAxis("y", -1.0, 100.0, False, 0.0, 100.0, step=20.0)
    x_axis = CategoryAxis("x", ("A", "B"), (10.0, 90.0))
    lower = _band(60, 100, (0.2, 0.4, 0.8))
    upper = _band(40, 60, (0.9, 0.5, 0.2))
    sliver = [(9.5, 41.0), (9.5, 43.0)]  # the line's end, in the column before the fill
    upper.vertices = sliver[:1] + upper.vertices + sliver[1:]
    assert read_area(upper, x_axis, y_axis, [upper, lower]) == [("A", 20.0), ("B", 20.0)]
    # On a numeric axis too, read at its steps: 0 to 8 over x 10 to 90.
    numbers = NumericAxis("x", 0.1, -1.0, False, 0.0, 8.0, digits=1, step=2.0)
    read = read_area(upper, numbers, y_axis, [upper, lower])
    assert read == [(0.0, 20.0), (2.0, 20.0), (4.0, 20.0), (6.0, 20.0), (8.0, 20.0)]


def test_a_tick_labels_fringe_in_the_backdrops_colour_leaves_its_side_where_it_is():
    """Shrunk, a tick label's anti-aliased edges pass through the plot backdrop's pale
    colour, and a chain of such pixels joined the label to it: the backdrop's side, the
    plot's frame, moved out over the labels, which then stood inside the plot."""
    from docvlm.engines.native.backdrops import backdrop_boxes, find_backgrounds
    from docvlm.engines.native.colours import to_lab

    image = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(image)
    pale = (229, 236, 246)
    draw.rectangle((60, 40, 360, 260), fill=pale)
    draw.rectangle((100, 150, 140, 260), fill=BLUE)  # a bar on it
    draw.rectangle((55, 90, 59, 100), fill=(90, 90, 90))  # the label's last letter
    draw.line((56, 95, 59, 95), fill=pale)  # a chain of fringe pixels on to the backdrop
    lab = to_lab(np.asarray(image))
    assert backdrop_boxes(lab, find_backgrounds(lab)) == [(60, 40, 361, 261)]


def _edged_chart(series: list[tuple[tuple[int, int, int], list[float]]]) -> Image.Image:
    """Areas as a web library draws them: each a half-opaque fill of its colour with its
    top drawn over it as a line five pixels wide in the full colour, one after another;
    each legend swatch the fill edged in the full colour."""
    image = Image.new("RGBA", (460, 290), "white")
    for index, (colour, values) in enumerate(series):
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        top = [(x, _y(v)) for x, v in zip(CENTRES, values, strict=True)]
        draw.polygon([*top, (CENTRES[-1], FOOT), (CENTRES[0], FOOT)], fill=(*colour, 128))
        draw.rectangle((388, 28 + 20 * index, 401, 41 + 20 * index), fill=(*colour, 128))
        image = Image.alpha_composite(image, layer)
        draw = ImageDraw.Draw(image)
        draw.line(top, fill=colour, width=5, joint="curve")
        draw.rectangle((388, 28 + 20 * index, 401, 41 + 20 * index), outline=colour, width=2)
    return image.convert("RGB")


def test_an_edge_line_over_another_area_s_fill_is_its_own_area_s_top():
    """Where the front area stands a little above the one behind, its edge line covers
    all of its own fill that would show above the other's: only the blend shows below the
    line, and the line blends nothing. It is still the front area's top, read at its
    middle (a stroke is centred on the path it draws)."""
    behind, front = [60.0, 69.0, 75.0, 45.0], [40.0, 71.0, 50.0, 80.0]
    image = _edged_chart([(BLUE, behind), (ORANGE, front)])
    read = _read(image, ["Behind", "Front"])
    assert read["Front"] == pytest.approx(front, abs=0.8)
