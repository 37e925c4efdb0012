"""Pie and doughnut slices named by the labels printed on them: a year names a slice, a
share does not."""

from __future__ import annotations

import math

from docvlm.document import Word
from docvlm.engines.native.pies import Pie, Slice, pie_chart
from docvlm.geometry import BBox


def _word(text: str, angle: float, distance: float, row: int = 0) -> Word:
    """A word centred ``distance`` from the centre (100, 100) in direction ``angle``."""
    x = 100 + distance * math.cos(math.radians(angle))
    y = 100 - distance * math.sin(math.radians(angle)) + 12 * row
    return Word(text, BBox(x - 12, y - 5, x + 12, y + 5))


def test_years_printed_on_a_doughnut_name_its_slices_and_shares_do_not() -> None:
    shares = [(0.11, 70.0), (0.25, 0.0), (0.30, -100.0), (0.34, 150.0)]
    pie = Pie([Slice((0.5, 0.5, 0.5), s, a) for s, a in shares], (100.0, 100.0), 80.0)
    years = ["2018", "2019", "2020", "2021"]
    words = [_word(year, angle, 60) for year, (_, angle) in zip(years, shares, strict=True)]
    words += [_word(f"{round(s * 100)}%", a, 60, row=1) for s, a in shares]
    chart, gaps = pie_chart(pie, {}, words)
    assert [p.x for p in chart.series[0].points] == years
    assert gaps == ()


def test_a_value_outside_the_years_names_no_slice() -> None:
    pie = Pie(
        [Slice((0.5, 0.5, 0.5), 0.5, 90.0), Slice((0.2, 0.2, 0.2), 0.5, 270.0)], (100, 100), 80
    )
    chart, gaps = pie_chart(pie, {}, [_word("1250", 90, 60), _word("South", 270, 60)])
    assert [p.x for p in chart.series[0].points] == ["slice 1", "South"]
    assert gaps == ("1 of 2 slices have no label",)


def test_the_title_above_a_pie_names_no_slice() -> None:
    pie = Pie(
        [Slice((0.5, 0.5, 0.5), 0.6, 90.0), Slice((0.2, 0.2, 0.2), 0.4, 270.0)], (100, 100), 80
    )
    title = Word("Sales", BBox(70, 0, 130, 20))  # type twice the labels' height, over the pie
    labels = [_word("South", 270, 60), _word("60%", 90, 40), _word("40%", 270, 40, row=1)]
    chart, gaps = pie_chart(pie, {}, [title, *labels])
    assert [p.x for p in chart.series[0].points] == ["slice 1", "South"]
    assert gaps == ("1 of 2 slices have no label",)
