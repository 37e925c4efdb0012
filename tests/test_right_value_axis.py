"""A chart that prints its value axis on the right of the plot only (a newspaper's
style): the column of numbers there calibrates it, as a left one would."""

from __future__ import annotations

import pytest

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

FOOT = 250.0  # y of the value 0, 7 points a unit
CATEGORIES = ["Mon", "Tue", "Wed", "Thu", "Fri"]
VALUES = [14, 19, 23, 17, 26]


def _y(value: float) -> float:
    return FOOT - 7 * value


def test_a_line_reads_on_a_value_axis_printed_right_of_the_plot() -> None:
    """Level grid lines at each tick, their labels at the lines' right ends."""
    vertices = [(100.0 + 60 * i, _y(v)) for i, v in enumerate(VALUES)]
    line = Mark(
        "line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), (0.2, 0.3, 0.8), vertices
    )
    axis = [Word(str(v), BBox(356, _y(v) - 5, 370, _y(v) + 5)) for v in (0, 10, 20, 30)]
    categories = [
        Word(c, BBox(88 + 60 * i, FOOT + 8, 112 + 60 * i, FOOT + 18))
        for i, c in enumerate(CATEGORIES)
    ]
    grid = tuple(  # the style's level grid lines, across the plot at each tick
        Drawing(
            BBox(90, _y(v), 350, _y(v)),
            "stroke",
            (0.8, 0.8, 0.8),
            None,
            0.5,
            (("l", (90.0, _y(v)), (350.0, _y(v))),),
        )
        for v in (0, 10, 20, 30)
    )
    found = chart_from_marks([line], axis + categories, grid)[0]
    points = [(p.x, p.y) for p in found.chart.series[0].points]
    assert points == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]
    assert "tick labels 0 to 30" in found.calibration
