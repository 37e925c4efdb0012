"""A chart drawn with no axis line and no grid line: the value axis is its column of tick
labels alone. A line spanning only the middle of the axis has one label beside it, and
the column goes on past it, at its step, to the labels above and below."""

from __future__ import annotations

import pytest

from docvlm.document import Word
from docvlm.engines.native.charts import FoundChart, chart_from_marks
from docvlm.geometry import BBox
from tests.category_chart import CATEGORIES, FOOT, VALUES, axis_words, line_mark


def _line_chart(ticks: tuple[int, ...], extra: list[Word]) -> FoundChart:
    """The line through VALUES read against tick labels at ``ticks``, category labels under
    it, and ``extra`` words; no drawing but the line."""
    return chart_from_marks([line_mark(VALUES)], axis_words(ticks) + extra, ())[0]


def test_a_line_beside_one_tick_label_reads_on_the_whole_column() -> None:
    found = _line_chart((0, 10, 20, 30), [])
    points = [(p.x, p.y) for p in found.chart.series[0].points]
    assert points == [
        (c, pytest.approx(v, abs=0.01)) for c, v in zip(CATEGORIES, VALUES, strict=True)
    ]


def test_numbers_off_the_column_s_step_do_not_carry_it() -> None:
    """A number in line with the labels but off their step (a footnote's number under the
    axis) is not one of them; two labels beside the line still calibrate it."""
    found = _line_chart((10, 20, 30), [Word("7", BBox(36, FOOT + 40, 44, FOOT + 50))])
    assert "tick labels 10 to 30" in found.calibration
    assert [p.y for p in found.chart.series[0].points] == pytest.approx(VALUES, abs=0.01)
