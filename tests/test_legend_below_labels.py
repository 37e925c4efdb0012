"""A legend under the axis's labels, met on random looks: swatches in thick frames that
are not read as swatches, a bar's outline in line with the legend's frame joined to it
through the labels, a name whose swatch was lost in a legend laid out in a row."""

from __future__ import annotations

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

FOOT = 250.0  # y of the value 0
CATEGORIES = ["North", "South", "East", "West"]
COLOURS = [(0.2, 0.3, 0.7), (0.8, 0.3, 0.5), (0.5, 0.8, 0.3), (0.9, 0.6, 0.1)]
AXES = (
    Drawing(BBox(60, FOOT, 460, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    Drawing(BBox(60, 40, 60, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
)


def _words(legend: list[tuple[str, float]]) -> list[Word]:
    """Value labels left of the plot (2 points a unit), category labels under it, and the
    legend's names in a row lower down (each with its left edge)."""
    words = [
        Word(str(v), BBox(20, FOOT - 2 * v - 5, 44, FOOT - 2 * v + 5)) for v in range(0, 101, 25)
    ]
    words += [
        Word(c, BBox(82 + 100 * i, FOOT + 6, 118 + 100 * i, FOOT + 16))
        for i, c in enumerate(CATEGORIES)
    ]
    return words + [Word(n, BBox(x, FOOT + 40, x + 34, FOOT + 50)) for n, x in legend]


def _bars(values: list[list[int]]) -> list[Mark]:
    """Grouped bars, one series a row of ``values``, each bar 20 points wide."""
    return [
        Mark("bar", BBox(x0, FOOT - 2 * v, x0 + 20, FOOT), COLOURS[k])
        for k, series in enumerate(values)
        for i, v in enumerate(series)
        for x0 in [80 + 100 * i + 20 * k]
    ]


def _points(chart_series: list, name: str | None) -> list[tuple[str, int]]:
    series = next(s for s in chart_series if s.name == name)
    return [(p.x, round(p.y)) for p in series.points]


def test_framed_swatches_under_the_labels_leave_them_below_the_plot() -> None:
    """Two swatches stacked in a column, each in a thick black frame that the reader takes
    as one dark mark 24 points high: it is the legend's, not data, and the category
    labels above it stay below the plot."""
    values = [[30, 60, 45, 80], [50, 20, 70, 40]]
    words = _words([("Sales", 130.0), ("Costs", 130.0)])
    words[-1] = Word("Costs", BBox(130, FOOT + 54, 164, FOOT + 64))
    swatches = [
        Mark("bar", BBox(114, FOOT + 42, 120, FOOT + 48), COLOURS[0]),
        Mark("bar", BBox(114, FOOT + 56, 120, FOOT + 62), COLOURS[1]),
    ]
    frames = Mark("line", BBox(110, FOOT + 38, 125, FOOT + 66), (0.0, 0.0, 0.0), [(110, 288)] * 3)
    chart = chart_from_marks([*_bars(values), *swatches, frames], words, AXES)[0].chart
    assert _points(chart.series, "Sales") == list(zip(CATEGORIES, values[0], strict=True))
    assert _points(chart.series, "Costs") == list(zip(CATEGORIES, values[1], strict=True))


def test_a_bar_outline_joined_to_the_legend_frame_stops_at_the_labels() -> None:
    """A bar's dark outline in line with the legend frame's side is one rule with it, run
    through the last category's label (no number on either side of it to cut it at): it
    is cut where it meets the labels, which stay below the plot."""
    values = [[30, 60, 45, 80]]
    words = _words([("Sales", 130.0)])
    swatch = Mark("bar", BBox(114, FOOT + 41, 124, FOOT + 49), COLOURS[0])
    rule = Drawing(BBox(399.5, 90, 400.5, FOOT + 60), "stroke", (0.3, 0.3, 0.3), None, 1.0, ())
    chart = chart_from_marks([*_bars(values), swatch], words, (*AXES, rule))[0].chart
    assert _points(chart.series, "Sales") == list(zip(CATEGORIES, values[0], strict=True))


def test_a_name_in_a_legend_row_whose_swatch_was_lost_names_the_unnamed_series() -> None:
    """A legend in a row under the labels, one of its four names with no swatch found
    beside it: the one whole series left unnamed takes it, though another series holds
    stray marks read as extra points (the named series' typical count decides, not the
    largest). Where no series is left for it, it is reported."""
    values = [[30, 60, 45, 80], [50, 20, 70, 40], [25, 35, 55, 65], [10, 15, 20, 25]]
    names = ["Sales", "Costs", "Profit", "Stock"]
    words = _words([(n, 130.0 + 80 * k) for k, n in enumerate(names)])
    swatches = [
        Mark("bar", BBox(114 + 80 * k, FOOT + 41, 124 + 80 * k, FOOT + 49), COLOURS[k])
        for k in range(3)
    ]
    strays = [
        Mark("bar", BBox(82 + 2 * j, FOOT - 8, 83 + 2 * j, FOOT), COLOURS[0]) for j in range(8)
    ]
    bars = _bars(values)
    chart = chart_from_marks([*bars, *swatches, *strays], words, AXES)[0].chart
    assert _points(chart.series, "Stock") == list(zip(CATEGORIES, values[3], strict=True))
    unread = chart_from_marks([*bars[:12], *swatches], words, AXES)[0]
    assert "1 legend name(s) with no swatch read: Stock" in unread.gaps
