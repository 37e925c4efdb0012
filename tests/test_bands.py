"""Shaded bands behind a line chart (a recession's years): a box spanning the lines'
whole height marks a stretch of the plot, no bar of a series of its own."""

from __future__ import annotations

import pytest

from docvlm.engines.native.charts import FoundChart, chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from tests.category_chart import CATEGORIES, FOOT, VALUES, axis_words, line_mark, value_y

PALE = (0.85, 0.9, 0.97)


def _chart(extra: list[Mark]) -> FoundChart:
    return chart_from_marks([*extra, line_mark(VALUES)], axis_words(), ())[0]


def test_boxes_spanning_the_lines_height_are_bands_not_bars() -> None:
    bands = [
        Mark("bar", BBox(x0, value_y(30), x1, FOOT), PALE) for x0, x1 in ((130, 170), (250, 290))
    ]
    found = _chart(bands)
    assert found.chart.chart_type == "line"
    assert len(found.chart.series) == 1
    points = [(p.x, p.y) for p in found.chart.series[0].points]
    assert points == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]


def test_bars_of_many_heights_over_a_low_line_stay_bars() -> None:
    """Bars each taller than a line drawn low across them (a bar and line chart) are
    bars: they stand at many heights, where bands share one top."""
    bars = [
        Mark("bar", BBox(90 + 60 * i, value_y(v + 14), 110 + 60 * i, FOOT), PALE)
        for i, v in enumerate(VALUES)
    ]
    found = _chart(bars)
    assert found.chart.chart_type == "bar"
    values = sorted(p.y for s in found.chart.series for p in s.points)
    assert values == pytest.approx(sorted(VALUES + [v + 14 for v in VALUES]), abs=0.01)
