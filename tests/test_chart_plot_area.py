"""A chart's plot area grows to its axes, not to the frame round the whole chart."""

from __future__ import annotations

import pytest

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import _plot_area
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

GRAY = (0.5, 0.5, 0.5)


def _line(x0: float, y0: float, x1: float, y1: float) -> Drawing:
    return Drawing(BBox(x0, y0, x1, y1), "stroke", GRAY, None, 1.0, ())


def _chart(title: Word) -> tuple[list[Mark], tuple[Drawing, ...], list[Word]]:
    """Bars from 80 to 380 points down, axes at their left and foot, a frame round the
    chart a little beyond the axes' ends and far above and below the plot, the title
    between the frame's top and the tallest bar."""
    bars = [
        Mark("bar", BBox(100 + 60 * i, top, 140 + 60 * i, 380), (0.3, 0.5, 0.7))
        for i, top in enumerate((80, 200, 150))
    ]
    axes = (_line(70, 380, 300, 381), _line(70, 80, 71, 380))
    frame = (_line(55, 20, 315, 21), _line(55, 20, 56, 480))
    frame += (_line(55, 480, 315, 481), _line(315, 20, 316, 480))
    labels = [Word("A", BBox(115, 385, 125, 395)), Word("B", BBox(175, 385, 185, 395))]
    return bars, axes + frame, [title, *labels]


def test_a_title_between_the_frame_and_the_plot_keeps_the_frame_out():
    """The title, its words merged into one, stands well off the tallest bar: the frame
    beyond it is no axis, and the plot ends at the axes."""
    marks, drawings, words = _chart(Word("Sales by region", BBox(110, 37, 260, 62)))
    plot = _plot_area(marks, drawings, words)
    assert plot.as_tuple() == pytest.approx((70, 80, 300, 381))


def test_a_data_label_just_over_the_tallest_bar_leaves_the_top_line_an_axis():
    """A data label printed just over the tallest bar sits between the marks and a line
    along the plot's top: that line still frames the plot."""
    marks, drawings, words = _chart(Word("12.5", BBox(110, 70, 130, 78)))
    drawings = (*drawings[:2], _line(70, 60, 300, 61))  # the axes, a top line, no frame
    plot = _plot_area(marks, drawings, words)
    assert plot.y0 == pytest.approx(60)


def test_a_zero_line_running_into_a_secondary_axis_label_ends_before_its_column():
    """In an image, the zero line meets the secondary axis's label printed at its end and
    runs on through it: the plot ends where the column of that axis's labels begins."""
    bars = [
        Mark("bar", BBox(100 + 60 * i, 100, 140 + 60 * i, 200), (0.3, 0.5, 0.7)) for i in range(3)
    ]
    zero_line = _line(70, 200, 345, 201)  # through the missed label at 305..345
    secondary = [
        Word(text, BBox(305, y, 340, y + 10)) for text, y in (("24,375", 95), ("17,383", 245))
    ]
    plot = _plot_area(bars, (zero_line, _line(70, 300, 300, 301)), secondary)
    assert plot.x1 == pytest.approx(305)


def test_a_frame_close_beside_the_plot_but_running_past_its_labels_is_no_axis():
    """A chart drawn on a framed box of its own: the frame's right side stands close to the
    plot, with no label between, but runs on down past the category labels' row (and its
    top past the value labels' column); the plot ends at its axes, not at the frame."""
    bars = [
        Mark("bar", BBox(120 + 100 * i, top, 160 + 100 * i, 453), (0.83, 0.83, 0.83))
        for i, top in enumerate((94, 162, 211, 272, 351, 406))
    ]
    axes = (_line(85, 453, 710, 454), _line(89, 37, 90, 458))
    frame = (_line(22, 22, 725, 23), _line(22, 479, 725, 481))
    frame += (_line(22, 22, 23, 481), _line(723, 23, 724, 479))
    values = [Word(str(50 * n), BBox(65, 448 - 70 * n, 84, 458 - 70 * n)) for n in range(7)]
    years = [Word(str(1998 + i), BBox(129 + 100 * i, 458, 153 + 100 * i, 471)) for i in range(6)]
    plot = _plot_area(bars, axes + frame, values + years)
    assert plot.as_tuple() == pytest.approx((85, 37, 710, 458))


def _scatter(words: list[Word]) -> tuple[list[Mark], tuple[Drawing, ...]]:
    """Points well clear of two axes meeting at the plot's lower left corner: each axis
    runs past the points' box by a tenth of it and more, one side at a time too far for
    an axis."""
    points = [
        Mark("point", BBox(x, y, x + 5, y + 5), (0.9, 0.1, 0.1))
        for x, y in ((86, 90), (150, 200), (300, 120), (445, 268))
    ]
    axes = (_line(48, 283.4, 453.5, 285.6), _line(48, 40.7, 50.1, 285.6))
    return points, axes


def test_a_scatter_clear_of_its_axes_grows_to_their_corner():
    labels = [Word("0", BBox(44, 295, 53, 307)), Word("500000", BBox(180, 295, 217, 307))]
    labels += [Word("40", BBox(30, 34, 38, 46)), Word("30", BBox(27, 95, 39, 107))]
    marks, drawings = _scatter(labels)
    plot = _plot_area(marks, drawings, labels)
    assert plot.as_tuple() == pytest.approx((48, 40.7, 453.5, 285.6))


def test_an_l_beyond_the_tick_labels_is_no_corner_of_the_plot():
    """Tick labels standing between the points and the lines: the lines are a frame's."""
    labels = [Word("30", BBox(60, 150, 72, 162)), Word("20", BBox(60, 220, 72, 232))]
    marks, drawings = _scatter(labels)
    plot = _plot_area(marks, drawings, labels)
    assert plot.as_tuple() == pytest.approx((86, 90, 450, 273))


def test_a_line_standing_over_the_only_level_rule_keeps_its_length():
    """Rules are cut back where they run past the lines across them by a tick's length;
    an upright axis standing on the one level rule found (a dotted grid is not) is no
    tick running past it, nor is the level axis running past a short upright stroke."""
    from docvlm.engines.native.backdrops import _clip_ticks

    axis_x, axis_y, stroke = (66, 56, 69, 393), (66, 390, 674, 393), (148, 67, 151, 91)
    assert _clip_ticks([axis_y, axis_x, stroke]) == [axis_y, axis_x, stroke]
    grid = (60, 200, 674, 202)  # running 6 pixels past the upright axis into its tick
    assert _clip_ticks([grid, axis_x])[0] == (66, 200, 674, 202)


def test_a_bar_edge_running_on_under_the_axis_is_cut_back_at_it():
    """A bar's dark edge joined in pixels to a key sample's hatching under the plot runs
    past the axis by a fifth of its length, far more than a tick: it is cut back at the
    axis all the same (left long, it drew the plot's foot down past the category labels)."""
    from docvlm.engines.native.backdrops import _clip_ticks

    left, right = (55, 24, 56, 302), (509, 24, 510, 302)
    top, foot = (56, 23, 509, 24), (56, 302, 509, 303)
    edge = (383, 124, 384, 355)
    assert _clip_ticks([top, foot, left, right, edge])[-1] == (383, 124, 384, 303)
