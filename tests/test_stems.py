"""Lollipop charts: a stem from the base line up to each value, a dot on its end. The
stems are bars; the dots on them are their heads, no points of their own."""

from __future__ import annotations

import pytest

from docvlm.engines.native.charts import FoundChart, chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from tests.category_chart import CATEGORIES, FOOT, VALUES, axis_words, category_x, value_y

RED = (0.84, 0.15, 0.16)


def _stroke(start: tuple[float, float], end: tuple[float, float]) -> Mark:
    box = BBox(
        min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])
    )
    return Mark("line", box, RED, [start, end])


def _read(marks: list[Mark]) -> FoundChart:
    return chart_from_marks(marks, axis_words(), ())[0]


def test_stems_with_dots_on_top_read_as_bars_once_each() -> None:
    marks = []
    for i, value in enumerate(VALUES):
        x, y = category_x(i), value_y(value)
        marks.append(_stroke((x, FOOT), (x, y)))
        marks.append(Mark("point", BBox(x - 4, y - 4, x + 4, y + 4), RED))
    found = _read(marks)
    assert found.chart.chart_type == "bar"
    points = [(p.x, p.y) for p in found.chart.series[0].points]
    assert points == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]


def test_lines_across_the_plot_from_one_edge_are_no_stems() -> None:
    """Three level lines drawn from the plot's left edge to its right (a target, a mean, a
    limit) share both ends: no stems, each still a line at its value."""
    lines = [_stroke((88, value_y(v)), (352, value_y(v))) for v in (10, 15, 20)]
    found = _read(lines)
    assert found.chart.chart_type == "line"
    assert sorted(p.y for s in found.chart.series for p in s.points) == pytest.approx(
        sorted([10.0] * 5 + [15.0] * 5 + [20.0] * 5), abs=0.01
    )
