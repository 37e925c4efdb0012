"""A chart that prints its value axis on the right of the plot only (a newspaper's
style): the column of numbers there calibrates it, as a left one would."""

from __future__ import annotations

import pytest

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import chart_from_marks
from docvlm.geometry import BBox
from tests.category_chart import CATEGORIES, VALUES, category_words, line_mark, value_y


def test_a_line_reads_on_a_value_axis_printed_right_of_the_plot() -> None:
    """Level grid lines at each tick, their labels at the lines' right ends."""
    axis = [Word(str(v), BBox(356, value_y(v) - 5, 370, value_y(v) + 5)) for v in (0, 10, 20, 30)]
    grid = tuple(  # the style's level grid lines, across the plot at each tick
        Drawing(
            BBox(90, value_y(v), 350, value_y(v)),
            "stroke",
            (0.8, 0.8, 0.8),
            None,
            0.5,
            (("l", (90.0, value_y(v)), (350.0, value_y(v))),),
        )
        for v in (0, 10, 20, 30)
    )
    found = chart_from_marks([line_mark(VALUES)], axis + category_words(), grid)[0]
    points = [(p.x, p.y) for p in found.chart.series[0].points]
    assert points == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]
    assert "tick labels 0 to 30" in found.calibration
