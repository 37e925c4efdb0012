"""Category labels turned 45 degrees stand where their tick marks say: each library hangs
a turned label from its tick differently (by its box's corner, by the middle of its end),
so a line read at the labels' corners is read a little beside its points."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.axes import CategoryAxis
from docvlm.engines.native.cartesian import _turned_at_ticks
from docvlm.engines.native.colours import to_lab
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.engines.native.raster_ticks import ticks_under
from docvlm.geometry import BBox

FOOT, PER_UNIT = 250, 2.0  # y of the value 0, pixels per unit of value
TICKS = [100, 160, 220, 280, 340]
FAINT_GRAY = (229, 229, 229)  # a web library's grid line and tick colour


def _y(value: float) -> float:
    return FOOT - PER_UNIT * value


def _axis_with_faint_ticks(draw: ImageDraw.ImageDraw) -> None:
    """An x axis from 60 to 460 with grid lines up the plot at the ticks, run on under
    the axis 8 pixels as the tick marks."""
    for x in TICKS:
        draw.line([(x, 40), (x, FOOT + 8)], fill=FAINT_GRAY, width=1)
    draw.line([(60, FOOT), (460, FOOT)], fill=(205, 205, 205), width=1)
    draw.line([(60, 40), (60, FOOT)], fill=(205, 205, 205), width=1)


def test_faint_ticks_under_an_axis_are_found_and_a_line_running_on_is_not() -> None:
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    _axis_with_faint_ticks(draw)
    draw.line([(450, 100), (450, 290)], fill=(120, 120, 120), width=1)  # runs on past them
    lab = to_lab(np.asarray(image))
    ticks = ticks_under(lab, [(60, FOOT, 461, FOOT + 1)], 0.5, [])
    assert [d.bbox.x0 for d in ticks] == [(x + 0.5) / 2 for x in TICKS]  # pixel centres
    assert all(d.bbox.width == 0 and d.bbox.height == 4.0 for d in ticks)


def test_strokes_of_labels_set_close_under_an_axis_are_no_ticks() -> None:
    """Tick labels printed right under the axis ('1' '1' '1'): their upright strokes hang
    from it as ticks do, but lie in the labels' boxes; the ticks beside them count."""
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, FOOT), (460, FOOT)], fill=(120, 120, 120), width=1)
    for x in TICKS:
        draw.line([(x, FOOT + 1), (x, FOOT + 6)], fill=(120, 120, 120), width=1)  # a tick
        draw.line([(x + 20, FOOT + 1), (x + 20, FOOT + 8)], fill=(60, 60, 60), width=2)  # a '1'
    lab = to_lab(np.asarray(image))
    labels = [(x + 16, FOOT + 1, x + 26, FOOT + 10) for x in TICKS]
    ticks = ticks_under(lab, [(60, FOOT, 461, FOOT + 1)], 1.0, labels)
    assert [d.bbox.x0 for d in ticks] == [x + 0.5 for x in TICKS]


def _axis_with_inward_ticks(draw: ImageDraw.ImageDraw) -> None:
    """An x axis from 60 to 460 in black, its tick marks standing up from it into the plot
    (a plotting program's tics drawn in), no grid."""
    draw.line([(60, FOOT), (460, FOOT)], fill=(0, 0, 0), width=1)
    draw.line([(60, 40), (60, FOOT)], fill=(0, 0, 0), width=1)
    for x in TICKS:
        draw.line([(x, FOOT - 6), (x, FOOT)], fill=(0, 0, 0), width=1)


def test_ticks_standing_up_from_an_axis_into_the_plot_are_found() -> None:
    image = Image.new("RGB", (520, 300), "white")
    _axis_with_inward_ticks(ImageDraw.Draw(image))
    lab = to_lab(np.asarray(image))
    ticks = ticks_under(lab, [(60, FOOT, 461, FOOT + 1)], 1.0, [])
    assert [d.bbox.x0 for d in ticks] == [x + 0.5 for x in TICKS]
    # Down to the axis's foot, where a tick hanging under it would start.
    assert all((d.bbox.y0, d.bbox.y1) == (FOOT - 6, FOOT + 1) for d in ticks)


def _chart(offset: float, inward: bool = False) -> tuple[Image.Image, list[Word]]:
    """A zigzag line over five turned category labels whose boxes' upper right corners
    stand ``offset`` pixels right of the ticks (the labels hang by the middle of their
    ends, as a web library hangs them; or by their baseline's end, as a plotting program
    does, ``inward`` its ticks standing in the plot)."""
    image = Image.new("RGB", (520, 320), "white")
    draw = ImageDraw.Draw(image)
    if inward:
        _axis_with_inward_ticks(draw)
    else:
        _axis_with_faint_ticks(draw)
    draw.line(
        [(x, _y(v)) for x, v in zip(TICKS, (20, 80, 20, 80, 20), strict=True)],
        fill=(68, 114, 196),
        width=3,
    )
    words = [Word(str(v), BBox(20, _y(v) - 7, 44, _y(v) + 7)) for v in (0, 25, 50, 75, 100)]
    words += [
        Word(name, BBox(x + offset - 30, FOOT + 12, x + offset, FOOT + 42), angle=45)
        for name, x in zip(("North", "South", "West", "East", "Metro"), TICKS, strict=True)
    ]
    return image, words


def test_a_line_over_turned_labels_is_read_at_their_ticks() -> None:
    """The labels' corners stand 7 pixels right of the ticks (half their text's height;
    further than a traced line's corner is taken for a point), where the zigzag has come
    7 units from each point: read at the ticks, each point is the value drawn."""
    image, words = _chart(offset=7)
    chart = find_raster_charts(image, words, 1.0)[0].chart
    (series,) = chart.series
    assert [p.x for p in series.points] == ["North", "South", "West", "East", "Metro"]
    for point, value in zip(series.points, (20, 80, 20, 80, 20), strict=True):
        assert abs(point.y - value) <= 1.0, (point.x, point.y)


def test_labels_hung_by_their_baselines_end_over_ticks_drawn_in_are_read_at_them() -> None:
    """Labels set at 45 degrees from the end of their baseline: the box's corner stands
    0.7 of the text's height (14 pixels) right of the tick, which stands up into the plot."""
    image, words = _chart(offset=10, inward=True)
    chart = find_raster_charts(image, words, 1.0)[0].chart
    (series,) = chart.series
    assert [p.x for p in series.points] == ["North", "South", "West", "East", "Metro"]
    for point, value in zip(series.points, (20, 80, 20, 80, 20), strict=True):
        assert abs(point.y - value) <= 1.0, (point.x, point.y)


def _axis(centers: tuple[float, ...]) -> CategoryAxis:
    return CategoryAxis("x", tuple(f"c{i}" for i in range(len(centers))), centers)


def test_turned_labels_move_to_the_middle_between_ticks_that_part_the_categories() -> None:
    """A bar chart's ticks stand between its categories: the labels' places are midway."""
    centers = (105.0, 145.0, 185.0, 225.0)
    ticks = [80.0, 120.0, 160.0, 200.0, 240.0]
    placed = _turned_at_ticks(_axis(centers), ticks, text=10.0)
    assert placed.centers == (100.0, 140.0, 180.0, 220.0)


def test_turned_labels_far_from_every_tick_stay_where_they_hang() -> None:
    """Ticks further off the labels than a text height mark steps of their own (an
    office suite's months under labels every quarter): the labels keep their places."""
    centers = (130.0, 315.0, 500.0, 685.0)
    ticks = [95.0, 280.0, 465.0, 650.0]
    assert _turned_at_ticks(_axis(centers), ticks, text=10.0).centers == centers
    # Nor do labels move when they stand each a different way off their ticks.
    uneven = (105.0, 175.0, 265.0, 335.0)
    assert (
        _turned_at_ticks(_axis(uneven), [100.0, 180.0, 260.0, 340.0], text=10.0).centers == uneven
    )


def test_crowded_turned_labels_do_not_take_the_ticks_between_them() -> None:
    """Labels a text's height apart (large type, crowded): ticks parting the categories
    stand within a text height of each label, yet half a step off; the labels belong
    midway between them."""
    centers = (101.0, 121.0, 141.0, 161.0)
    ticks = [90.0, 110.0, 130.0, 150.0, 170.0]
    placed = _turned_at_ticks(_axis(centers), ticks, text=20.0)
    assert placed.centers == (100.0, 120.0, 140.0, 160.0)


def test_turned_year_labels_of_a_numeric_axis_are_read_at_their_ticks(tmp_path) -> None:
    """Years turned 45 degrees, each hung from its tick by its baseline's end (the box's
    corner stands a third of a step left of the tick): the axis is shifted onto the ticks,
    and a line over the years read at each year, not 0.35 of a year early."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import docvlm

    years = list(range(2004, 2015))
    values = {
        "Revenue": [16.0, 9.0, 5.8, 3.2, 8.1, 13.6, 19.9, 25.0, 17.8, 11.0, 17.8],
        "Costs": [32.7, 29.1, 29.3, 34.7, 39.6, 40.1, 38.9, 30.6, 30.6, 24.1, 23.6],
    }
    fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=100)
    for (name, ys), colour in zip(values.items(), ("#e41a1c", "#377eb8"), strict=True):
        ax.plot(years, ys, color=colour, label=name)
    ax.set_xticks(years)
    ax.set_xticklabels(map(str, years), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_ylim(0, 45)
    ax.legend(loc="upper left")
    fig.tight_layout()
    path = tmp_path / "turned_years.png"
    fig.savefig(path)
    plt.close(fig)

    chart = docvlm.extract(path, schema="chart").records[0]
    read = {s.name: [(p.x, p.y) for p in s.points] for s in chart.series}
    assert read == {
        name: [(year, pytest.approx(v, abs=0.5)) for year, v in zip(years, ys, strict=True)]
        for name, ys in values.items()
    }


MONTHS = ["February", "March", "April", "May", "June", "July", "August", "September"]


def _months_turned_with_no_ticks(path, draw) -> list:
    """A chart ``draw(ax, places)`` draws over the months turned 45 degrees and hung by
    their baselines' ends, no tick marks drawn; its series as read."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import docvlm

    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    places = np.arange(len(MONTHS))
    draw(ax, places)
    ax.set_xticks(places, MONTHS, rotation=45, ha="right", rotation_mode="anchor")
    ax.tick_params(axis="x", length=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return docvlm.extract(path, schema="chart").records[0].series


def test_turned_labels_with_no_ticks_seen_stand_at_their_bars(tmp_path) -> None:
    """Bars under a line: each label's box corner stands most of a text height right of
    its bar, and the line was read there, its bends 2 to 4 units off. The bars' middles
    place the categories."""
    bars = [138, 131, 135, 82, 136, 76, 81, 121]
    line = [92, 89, 74, 68, 70, 60, 72, 55]

    def draw(ax, places) -> None:
        ax.bar(places, bars, 0.7, color="#7aa6d8", label="Costs")
        ax.plot(places, line, color="#f08c2c", linewidth=2.5, label="Retail")
        ax.set_ylim(0, 150)

    series = _months_turned_with_no_ticks(tmp_path / "bars_and_line.png", draw)
    read = {s.name: [(p.x, p.y) for p in s.points] for s in series}
    assert read == {  # within half a per cent of the axis
        name: [(m, pytest.approx(v, abs=0.75)) for m, v in zip(MONTHS, ys, strict=True)]
        for name, ys in (("Costs", bars), ("Retail", line))
    }


def test_turned_labels_with_no_ticks_seen_stand_on_the_areas_steps(tmp_path) -> None:
    """An area over the months: it runs from the first month's place to the last's, and
    the months stand evenly between. Read at the labels' box corners, most of a text
    height right, the last month fell past the area's end and the others 2 to 4 units
    off."""
    values = [92, 89, 74, 68, 80, 60, 72, 55]

    def draw(ax, places) -> None:
        ax.fill_between(places, 0, values, color="#7aa6d8", label="Retail")
        ax.set_xlim(-0.3, len(MONTHS) - 0.7)
        ax.set_ylim(0, 100)

    series = _months_turned_with_no_ticks(tmp_path / "area_over_months.png", draw)
    read = [(p.x, p.y) for p in series[0].points]
    # Within 2% of the axis: the traced outline cuts the sharp bends a little.
    assert read == [(m, pytest.approx(v, abs=2.0)) for m, v in zip(MONTHS, values, strict=True)]


def test_bars_of_a_group_set_apart_place_no_labels() -> None:
    """Two bars per category a little apart are two groups each: four groups under two
    labels place none of them (each label would go to its category's right-hand bar)."""
    from docvlm.engines.native.cartesian import _bar_groups
    from docvlm.engines.native.marks import Mark

    def bar(x0: float) -> Mark:
        return Mark("bar", BBox(x0, 100, x0 + 15, 250), (0.8, 0.1, 0.6))

    apart = [bar(48.0), bar(66.0), bar(124.0), bar(142.0)]
    assert _bar_groups(apart, 2) == []
    touching = [bar(50.0), bar(65.0), bar(126.0), bar(141.0)]
    assert _bar_groups(touching, 2) == [65.0, 141.0]
