"""Chart images in looks the reader meets under other styles: a turned axis title in the
text's tinted ink, bars with blank bands between their groups and no axis line beside them,
scatter markers cut in half at the plot's edge, a legend framed in black with a drop
shadow."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import Mark, colour_key
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.engines.native.raster_regions import chart_blocks, read_image_charts
from docvlm.geometry import BBox
from tests.scatter_frames import read_points, y_of

NAVY, WHITE, RED, INK = (31, 53, 80), (255, 255, 255), (230, 50, 20), (60, 60, 60)
GREEN, PURPLE = (120, 200, 120), (180, 160, 210)


def _blend(colour: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    return tuple(round(share * c + (1 - share) * 255) for c in colour)  # type: ignore[return-value]


def _glyphs(draw: ImageDraw.ImageDraw, box: BBox, colour: tuple[int, int, int]) -> None:
    """Upright strokes standing for a word's letters."""
    for x in range(int(box.x0) + 1, int(box.x1) - 1, 4):
        draw.line([(x, box.y0 + 1), (x, box.y1 - 1)], fill=colour, width=2)


def _numbers_left(draw: ImageDraw.ImageDraw, values: list[int], bottom: int) -> list[Word]:
    words = [
        Word(f"{v:,}", BBox(30, bottom - 5 - v // 25, 60, bottom + 5 - v // 25)) for v in values
    ]
    for word in words:
        _glyphs(draw, word.bbox, NAVY)
    return words


def test_a_turned_axis_title_in_tinted_ink_is_no_series() -> None:
    """The bits of a turned axis title that no word covers, thin enough that their colour
    is a blend of the navy ink with the ground, are text: the plot does not widen past the
    tick labels onto them, and the axis beside it is read."""
    image = Image.new("RGB", (460, 320), WHITE)
    draw = ImageDraw.Draw(image)
    draw.line([(70, 260), (440, 260)], fill=NAVY, width=1)  # a theme's axis, in its ink
    values = [4000, 2500, 1000, 3000]
    for i, value in enumerate(values):
        x = 100 + 85 * i
        draw.rectangle([x, 260 - value // 25, x + 40, 260], fill=(150, 160, 190))
    ticks = _numbers_left(draw, [0, 1000, 2000, 3000, 4000, 5000], 260)
    for y in range(110, 190, 7):  # the turned title's letters, anti-aliased to a pale navy
        draw.line([(8, y), (14, y + 2)], fill=_blend(NAVY, 0.5), width=1)
    names = ["North", "South", "East", "West"]
    labels = [Word(n, BBox(100 + 85 * i, 266, 140 + 85 * i, 276)) for i, n in enumerate(names)]
    for word in labels:
        _glyphs(draw, word.bbox, NAVY)
    chart = find_raster_charts(image, ticks + labels, 1.0)[0].chart
    assert len(chart.series) == 1
    read = {p.x: p.y for p in chart.series[0].points}
    assert list(read) == names
    assert all(abs(read[n] - v) <= 100 for n, v in zip(names, values, strict=True))


def _bar_groups() -> tuple[Image.Image, list[Word]]:
    """Horizontal bars, two series in three groups set apart by blank bands, no axis line
    on their left: only the value axis under the last group calibrates."""
    image = Image.new("RGB", (620, 560), WHITE)
    draw = ImageDraw.Draw(image)
    words = []
    for i, (green, purple) in enumerate([(120, 40), (300, 160), (200, 260)]):
        top = 20 + 180 * i
        draw.rectangle([150, top, 150 + green, top + 65], fill=GREEN)
        draw.rectangle([150, top + 65, 150 + purple, top + 130], fill=PURPLE)
        words.append(Word(str(2016 + i), BBox(90, top + 60, 130, top + 70)))
    draw.line([(150, 520), (600, 520)], fill=(60, 60, 60), width=1)
    for v in range(0, 500, 100):
        words.append(Word(str(v // 10), BBox(140 + v, 526, 160 + v, 536)))
    for word in words:
        _glyphs(draw, word.bbox, (60, 60, 60))
    return image, words


def test_bar_groups_set_apart_by_blank_bands_are_one_chart() -> None:
    """The blank bands cut the image into blocks, and the upper groups' blocks hold no
    axis: the image is read whole, every group on the one value axis."""
    image, words = _bar_groups()
    assert len(chart_blocks(image)) >= 2  # the cut does take them for several charts
    charts = read_image_charts(image, tuple(words), 1.0, None)
    assert len(charts) == 1
    read = sorted((str(p.x), round(p.y)) for s in charts[0].chart.series for p in s.points)
    assert read == [
        ("2016", 4),
        ("2016", 12),
        ("2017", 16),
        ("2017", 30),
        ("2018", 20),
        ("2018", 26),
    ]
    assert not charts[0].gaps


def test_scatter_markers_cut_at_the_plot_edge_stay_points() -> None:
    """Small markers (at 0.72 points a pixel) on the plot's left and right edges, half of
    each clipped away, are short strokes of the series' colour: the series is still its
    points, not one line through them."""
    image = Image.new("RGB", (640, 420), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([80, 60, 580, 350], outline=(80, 80, 80))
    inside = [(140, 60), (190, 20), (250, 30), (300, 90), (360, 80), (420, 50), (470, 20)]
    for x, v in inside:
        y = y_of(v)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=RED)
    draw.pieslice([77, 172, 83, 178], -90, 90, fill=RED)  # on the left edge: v = 70
    draw.pieslice([577, 247, 583, 253], 90, 270, fill=RED)  # on the right edge: v = 40
    points = read_points(image)
    assert len(points) == 9
    for (x, y), (x_drawn, v) in zip(points[1:-1], inside, strict=True):
        assert abs(x - x_drawn) <= 2 and abs(y - v) <= 2
    assert abs(points[0][1] - 70) <= 2 and abs(points[-1][1] - 40) <= 2


def test_a_legend_framed_in_black_with_a_drop_shadow_is_no_series() -> None:
    """A legend under the plot in a black frame with a dark shadow: the frame and shadow
    are no marks, so the category labels between the plot and the legend stay its row."""
    image = Image.new("RGB", (460, 340), WHITE)
    draw = ImageDraw.Draw(image)
    draw.line([(70, 250), (440, 250)], fill=(40, 40, 40), width=1)
    values = {"North": (120, 60), "South": (90, 150), "East": (170, 40)}
    for i, (blue, gold) in enumerate(values.values()):
        x = 100 + 110 * i
        draw.rectangle([x, 250 - blue, x + 35, 250], fill=(40, 200, 230))
        draw.rectangle([x + 35, 250 - gold, x + 70, 250], fill=(230, 200, 40))
    ticks = [Word(str(v), BBox(30, 245 - v, 54, 255 - v)) for v in (0, 50, 100, 150, 200)]
    labels = [Word(n, BBox(115 + 110 * i, 256, 155 + 110 * i, 266)) for i, n in enumerate(values)]
    draw.rectangle([165, 296, 335, 322], fill=(40, 40, 40))  # the shadow, offset
    draw.rectangle([160, 290, 330, 316], fill=(240, 240, 240), outline=(40, 40, 40), width=2)
    draw.rectangle([170, 298, 180, 308], fill=(40, 200, 230))
    draw.rectangle([250, 298, 260, 308], fill=(230, 200, 40))
    legend = [Word("Nord", BBox(185, 298, 220, 308)), Word("Retail", BBox(265, 298, 310, 308))]
    for word in ticks + labels + legend:
        _glyphs(draw, word.bbox, (40, 40, 40))
    chart = find_raster_charts(image, ticks + labels + legend, 1.0)[0].chart
    read = {s.name: {p.x: round(p.y) for p in s.points} for s in chart.series}
    assert read == {
        "Nord": {n: blue for n, (blue, _) in values.items()},
        "Retail": {n: gold for n, (_, gold) in values.items()},
    }


def test_a_gray_area_under_a_legend_drawn_over_it_stays() -> None:
    """A gray series' area reaching well beyond a legend drawn over it is data, not the
    legend's frame."""
    swatch = Mark("bar", BBox(300, 40, 310, 47), (0.2, 0.4, 0.8))
    frame = Mark("area", BBox(290, 32, 372, 56), (0.15, 0.15, 0.15))
    area = Mark("area", BBox(60, 30, 420, 250), (0.6, 0.6, 0.6))
    words = [Word("North", BBox(314, 38, 350, 49))]
    legend, data = split_legend([swatch, frame, area], words)
    assert legend == {colour_key(swatch.color): "North"}
    assert data == [area]


def test_a_legend_s_shadow_drawn_whole_as_one_gray_box_is_no_data() -> None:
    """A PDF's legend shadow, one dark gray rectangle drawn whole under the frame and set
    off from it a few points, reads as a bar round the legend's entries: no data (left in,
    it stretched a scatter's plot over its x labels, and no x value was read); a gray bar
    under one entry of two stays."""
    swatches = [
        Mark("point", BBox(330, 416, 336, 422), (0.99, 0.75, 0.53)),
        Mark("point", BBox(390, 416, 396, 422), (0.2, 0.4, 0.8)),
    ]
    shadow = Mark("bar", BBox(318, 409, 430, 429), (0.3, 0.3, 0.3))
    gray_bar = Mark("bar", BBox(325, 400, 345, 428), (0.5, 0.5, 0.5))
    words = [Word("Team Alpha", BBox(340, 414, 380, 424)), Word("Nord", BBox(400, 414, 420, 424))]
    legend, data = split_legend([*swatches, shadow], words)
    assert sorted(legend.values()) == ["Nord", "Team Alpha"]
    assert data == []
    assert split_legend([*swatches, gray_bar], words)[1] == [gray_bar]


def test_vector_bar_groups_apart_with_no_axis_line_beside_them_are_one_chart(tmp_path) -> None:
    """The same in a PDF's drawings: each bar group is a part of the page apart from the
    others, and only the last one's holds the value axis; the page is read whole."""
    import pymupdf

    from docvlm.document import Document
    from docvlm.engines.native.charts import find_charts

    document = pymupdf.open()
    page = document.new_page(width=500, height=420)
    values = [(12, 4), (30, 16), (20, 26)]
    for i, (green, purple) in enumerate(values):
        top = 20 + 120 * i
        page.draw_rect(pymupdf.Rect(100, top, 100 + 10 * green, top + 40), fill=(0.5, 0.8, 0.5))
        page.draw_rect(
            pymupdf.Rect(100, top + 40, 100 + 10 * purple, top + 80), fill=(0.7, 0.6, 0.8)
        )
        page.insert_text((55, top + 44), str(2016 + i), fontsize=9)
    page.draw_line((100, 360), (480, 360), color=(0.3, 0.3, 0.3), width=0.8)
    for v in range(0, 40, 10):
        page.insert_text((96 + 10 * v, 372), str(v), fontsize=9)
    path = tmp_path / "groups.pdf"
    document.save(path)
    charts = find_charts(Document.open(path).page(1))
    assert len(charts) == 1 and not charts[0].gaps
    read = sorted((str(p.x), round(p.y)) for s in charts[0].chart.series for p in s.points)
    assert read == sorted([(str(2016 + i), v) for i, pair in enumerate(values) for v in pair])


def test_a_turned_label_box_reaching_into_the_bars_foot_leaves_them_bars() -> None:
    """Turned category labels whose boxes reach three pixels up into the feet of stacked
    bars: the covered strip is the bars', which stay bars on their categories."""
    image = Image.new("RGB", (460, 340), WHITE)
    draw = ImageDraw.Draw(image)
    stacks = {"North": (60, 90), "South": (120, 40), "East": (30, 150)}
    for i, (low, high) in enumerate(stacks.values()):
        x = 100 + 110 * i
        draw.rectangle([x, 250 - low, x + 60, 249], fill=(230, 150, 155))
        draw.rectangle([x, 250 - low - high, x + 60, 250 - low - 1], fill=(120, 60, 115))
    ticks = [Word(str(v), BBox(30, 245 - v, 54, 255 - v)) for v in (0, 50, 100, 150, 200)]
    labels = [
        Word(name, BBox(95 + 110 * i, 247, 135 + 110 * i, 290), angle=41)
        for i, name in enumerate(stacks)
    ]
    for word in [*ticks, *labels]:
        _glyphs(draw, BBox(word.bbox.x0, max(word.bbox.y0, 252), word.bbox.x1, word.bbox.y1), INK)
    chart = find_raster_charts(image, ticks + labels, 1.0)[0].chart
    assert chart.chart_type == "bar"
    read = sorted(sorted((str(p.x), round(p.y)) for p in s.points) for s in chart.series)
    lows = sorted((name, low) for name, (low, _) in stacks.items())
    highs = sorted((name, high) for name, (_, high) in stacks.items())
    assert sorted([lows, highs]) == read


def test_line_samples_on_a_filled_key_panel_name_their_lines() -> None:
    """A key under the plot on a panel filled in a warm gray, each line sample three pixels
    high on it: the samples are the key's lines (not the panel's outline), and the panel,
    cut into pieces by the names and samples, is no bar: the category labels between the
    plot and the key stay its row."""
    image = Image.new("RGB", (460, 340), WHITE)
    draw = ImageDraw.Draw(image)
    draw.line([(70, 250), (440, 250)], fill=(40, 40, 40), width=1)
    values = {"Pears": (60, 120), "Kiwis": (110, 90), "Limes": (90, 170), "Melons": (150, 40)}
    colours = {"Profit": (250, 180, 174), "Nord": (180, 210, 232)}
    for k, colour in enumerate(colours.values()):
        line = [(110 + 100 * i, 250 - pair[k]) for i, pair in enumerate(values.values())]
        draw.line(line, fill=colour, width=3)
    ticks = [Word(str(v), BBox(30, 245 - v, 54, 255 - v)) for v in (0, 50, 100, 150, 200)]
    labels = [Word(n, BBox(92 + 100 * i, 256, 128 + 100 * i, 266)) for i, n in enumerate(values)]
    draw.rectangle([150, 288, 350, 314], fill=(201, 197, 190))  # the panel
    legend = []
    for k, (name, colour) in enumerate(colours.items()):
        x = 158 + 100 * k
        draw.rectangle([x, 300, x + 26, 302], fill=colour)
        legend.append(Word(name, BBox(x + 32, 296, x + 72, 306)))
    for word in ticks + labels + legend:
        _glyphs(draw, word.bbox, (40, 40, 40))
    chart = find_raster_charts(image, ticks + labels + legend, 1.0)[0].chart
    read = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    assert chart.chart_type == "line"
    assert read == {
        name: {n: pytest.approx(pair[k], abs=2) for n, pair in values.items()}
        for k, name in enumerate(colours)
    }


def test_pieces_of_a_key_panel_cut_by_its_entries_are_no_bars() -> None:
    """A warm gray key panel that the entries' names and samples cut into pieces, each level
    with the others and meeting an entry, is the key's, not bars under the plot."""
    pink, blue, panel = (0.98, 0.71, 0.69), (0.71, 0.82, 0.92), (0.79, 0.78, 0.75)
    samples = [
        Mark("line", BBox(117, 309, 135, 311), pink),
        Mark("line", BBox(206, 309, 224, 311), blue),
    ]
    pieces = [
        Mark("bar", BBox(112, 305, 227, 316), panel),  # up to the last name, round the samples
        Mark("bar", BBox(248, 305, 256, 316), panel),  # after it
    ]
    plot = [Mark("line", BBox(60, 40, 400, 250), pink), Mark("line", BBox(60, 60, 400, 230), blue)]
    words = [Word("Profit", BBox(144, 304, 166, 317)), Word("Nord", BBox(228, 304, 247, 317))]
    legend, data = split_legend([*samples, *pieces, *plot], words)
    assert legend == {colour_key(pink): "Profit", colour_key(blue): "Nord"}
    assert data == plot


def test_a_stroke_across_a_panel_is_a_line_and_across_a_coloured_fill_is_not() -> None:
    """A short straight stroke three pixels high across the inside of a filled region: on a
    neutral panel it is a key's line sample, a line of its own; inside a coloured fill (a
    piece of an edge line seen through a see-through area) it stays the fill's, as an
    outline is."""
    from docvlm.engines.native.raster_charts import image_marks

    image = Image.new("RGB", (300, 120), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 30, 130, 80], fill=(201, 197, 190))  # a warm gray panel
    draw.rectangle([170, 30, 280, 80], fill=(150, 190, 230))  # a pale blue fill
    for x0 in (40, 190):
        draw.rectangle([x0, 54, x0 + 30, 56], fill=RED)
    marks, _, _ = image_marks(image, 1.0)
    red_lines = [m for m in marks if m.kind == "line" and m.color[0] > 0.8 > 0.3 > m.color[1]]
    assert [round(m.bbox.x0) for m in red_lines] == [40]
