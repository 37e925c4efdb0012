"""A chart read wrong in a way its own readings reveal says so in its warnings: a legend
entry that names no series, two series of one name, a series without a value at a
category the others have."""

from __future__ import annotations

from dataclasses import replace

import pytest

import docvlm
from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import NoChart, chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

FOOT, PER_UNIT = 250, 2.0  # y of the value 0, pixels per unit of value
XS = [100.0, 200.0, 300.0, 400.0]
BLUE, RED, GREEN = (0.27, 0.45, 0.77), (0.75, 0.31, 0.3), (0.3, 0.65, 0.3)


def _y(value: float) -> float:
    return FOOT - PER_UNIT * value


def _line(colour: tuple[float, float, float], points: list[tuple[float, float]]) -> Mark:
    return Mark("line", BBox.enclosing(BBox(x, y, x, y) for x, y in points), colour, points)


def _swatch(colour: tuple[float, float, float], y: float) -> Mark:
    return Mark("line", BBox(440, y - 1, 460, y + 1), colour, [(440, y), (460, y)])


def _words(legend: list[str]) -> list[Word]:
    words = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    words += [
        Word(q, BBox(x - 8, FOOT + 8, x + 8, FOOT + 18))
        for q, x in zip(["Q1", "Q2", "Q3", "Q4"], XS, strict=True)
    ]
    return words + [Word(n, BBox(466, 55 + 20 * i, 500, 65 + 20 * i)) for i, n in enumerate(legend)]


AXES = (
    Drawing(BBox(60, FOOT, 420, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
    Drawing(BBox(60, 40, 60, FOOT), "stroke", (0.0, 0.0, 0.0), None, 1.0, ()),
)


def test_a_legend_entry_whose_series_was_not_read_is_named():
    north, south = [20, 60, 35, 80], [70, 40, 90, 25]
    lines = [
        _line(BLUE, [(x, _y(v)) for x, v in zip(XS, north, strict=True)]),
        _line(RED, [(x, _y(v)) for x, v in zip(XS, south, strict=True)]),
    ]
    swatches = [_swatch(BLUE, 60), _swatch(RED, 80)]
    found = chart_from_marks(lines + swatches, _words(["North", "South"]), AXES)[0]
    assert [s.name for s in found.chart.series] == ["North", "South"]
    assert found.gaps == ()
    # A third entry, whose (green) line is not among the marks read.
    missed = chart_from_marks(
        [*lines, *swatches, _swatch(GREEN, 100)], _words(["North", "South", "East"]), AXES
    )[0]
    assert {s.name for s in missed.chart.series} == {"North", "South"}
    assert missed.gaps == ("1 legend entr(ies) name no series read: East",)


def _chart(
    chart_type: str, series: dict[str | None, list[tuple[str | float, float]]]
) -> docvlm.Chart:
    return docvlm.Chart.model_validate(
        {
            "chart_type": chart_type,
            "series": [
                {"name": name, "points": [{"x": x, "y": y} for x, y in points]}
                for name, points in series.items()
            ],
        }
    )


def test_a_series_without_a_value_where_the_others_have_one():
    whole = [("Q1", 1.0), ("Q2", 2.0), ("Q3", 3.0)]
    assert _chart("bar", {"A": whole, "B": whole}).gaps() == []
    gapped = _chart("bar", {"A": whole, "B": [whole[0], whole[2]]})
    assert gapped.gaps() == [
        "1 value(s) missing where other series have one (of 3 categories): "
        "a zero, or a mark not read"
    ]
    # A label read as two ("Q2" and "Q2b") leaves each series a category short.
    split = _chart("line", {"A": whole, "B": [*whole[:2], ("Q2b", 2.5)]})
    assert split.gaps() == [
        "2 value(s) missing where other series have one (of 4 categories): "
        "a zero, or a mark not read"
    ]
    # Stray marks read as a third series, at one category: that series is named, and the
    # whole series are not said to miss anything.
    stray = _chart("bar", {"A": whole, "B": whole, None: [("Q2", 0.5)]})
    assert stray.gaps()[-1:] == [
        "1 series at half the categories or fewer (unnamed): "
        "stray marks read as a series, or a series mostly not read"
    ]
    # On a numeric axis, series are read where their own marks are.
    numbers = _chart("scatter", {"A": [("1", 1.0)], "B": [("2", 2.0)]})
    assert numbers.gaps() == []
    assert _chart("line", {"A": [(1.5, 1.0)], "B": [(2.5, 2.0)]}).gaps() == []


def test_two_series_of_one_name():
    points = [("Q1", 1.0), ("Q2", 2.0)]
    chart = _chart("bar", {"A": points, None: points})
    chart.series[1].name = "A"
    assert chart.gaps() == ["1 name(s) given to two series: A"]


def test_points_over_the_plot_at_one_category_label_are_no_chart():
    """A scatter whose value labels up the side went unread, only its axis title beside
    them: read as categories, that one word put every point at one 'category', values
    right on the other axis, and no warning. Points spread up and down the plot stand at
    no one category: its axes could not be calibrated."""
    points = [
        Mark("point", BBox(x - 3, y - 3, x + 3, y + 3), BLUE)
        for x, y in ((100, 60), (180, 220), (260, 120), (340, 180), (400, 90))
    ]
    words = [
        Word(str(v), BBox(x - 8, FOOT + 8, x + 8, FOOT + 18))
        for v, x in ((0, 60), (50, 240), (100, 420))
    ]
    title = Word("Menge", BBox(20, 120, 32, 170), angle=90)
    with pytest.raises(NoChart, match="axes could not be calibrated"):
        chart_from_marks(points, [*words, title], AXES)
    # Points in one row across it: a strip of one category, read.
    strip = [replace(p, bbox=BBox(p.bbox.x0, 147, p.bbox.x1, 153)) for p in points]
    found = chart_from_marks(strip, [*words, title], AXES)[0]
    assert {p.x for p in found.chart.series[0].points} == {"Menge"}
