"""Thick lines traced from an image, crossing: where they overlap for a stretch the
tracing bends each of them several times off the years they stand on. The bends are no
points, and the years stay the lines' categories; a reading of a region that puts a
series' points at one category over and over holds no more points than that."""

from __future__ import annotations

from docvlm.engines.native.axes import CategoryAxis, NumericAxis
from docvlm.engines.native.cartesian import _on_categories
from docvlm.engines.native.charts import FoundChart, chart_points
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from docvlm.schemas import Chart

AXIS = NumericAxis("x", 0.02, 2008.0, False, 2010.0, 2015.0, step=1.0)  # 50 points a year


def _traced(points: list[tuple[float, float]], colour: tuple[float, float, float]) -> Mark:
    box = BBox.enclosing(BBox(x, y, x, y) for x, y in points)
    return Mark("line", box, colour, points, pixels=600.0)


def test_bends_where_thick_lines_cross_are_no_points_and_the_years_stay_categories():
    years = [100.0 + 50 * k for k in range(6)]  # 2010 to 2015
    flat = _traced([(x, 200.0) for x in years], (0.4, 0.6, 1.0))
    # Down across the flat line between 2011 and 2012, and up across it between 2013 and
    # 2014: bent four times on it each time, as the tracing of their overlap leaves it.
    crossing = [(years[0], 150.0), (years[1], 160.0)]
    crossing += [(180.0 + 4 * k, 197.0 + 2 * k) for k in range(4)]
    crossing += [(years[2], 240.0), (years[3], 245.0)]
    crossing += [(285.0 + 4 * k, 203.0 - 2 * k) for k in range(4)]
    crossing += [(years[4], 190.0), (years[5], 170.0)]
    axis = _on_categories([flat, _traced(crossing, (0.0, 0.7, 0.2))], AXIS, horizontal=False)
    assert isinstance(axis, CategoryAxis)
    assert [float(label) for label in axis.labels] == [2010, 2011, 2012, 2013, 2014, 2015]


def _found(series: list[list[tuple[str, float]]]) -> FoundChart:
    chart = Chart.model_validate(
        {
            "chart_type": "line",
            "series": [{"points": [{"x": x, "y": y} for x, y in s]} for s in series],
        }
    )
    return FoundChart(chart, BBox(0, 0, 100, 100), "")


def test_points_at_one_category_over_and_over_count_once():
    repeated = _found([[("200,000", 2010.0 + k) for k in range(8)]] * 2)
    spread = _found([[(str(2010 + k), 5.0) for k in range(6)]] * 2)
    assert chart_points([repeated]) == 2
    assert chart_points([spread]) == 12
