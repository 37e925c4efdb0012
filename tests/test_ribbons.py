"""A line drawn as the filled outline of its stroke, a thin ribbon out along one side
and back along the other, is the line along its middle, not an area near zero."""

from __future__ import annotations

import math

import pytest

from docvlm.engines.native.charts import FoundChart, chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from tests.category_chart import BLUE, CATEGORIES, FOOT, VALUES, axis_words, category_x, value_y

ORANGE = (1.0, 0.5, 0.05)


def _area(outline: list[tuple[float, float]], colour: tuple[float, float, float]) -> Mark:
    return Mark("area", BBox.enclosing(BBox(x, y, x, y) for x, y in outline), colour, outline)


def _ribbon(points: list[tuple[float, float]], half: float) -> list[tuple[float, float]]:
    """The outline of a stroke ``2 * half`` thick along ``points`` (mitred joins)."""
    left, right = [], []
    for k, (x, y) in enumerate(points):
        before, after = points[max(k - 1, 0)], points[min(k + 1, len(points) - 1)]
        normals = []
        for a, b in ((before, (x, y)), ((x, y), after)):
            if a != b:
                length = math.dist(a, b)
                normals.append((-(b[1] - a[1]) / length, (b[0] - a[0]) / length))
        nx, ny = (sum(n[0] for n in normals), sum(n[1] for n in normals))
        scale = half / ((nx * normals[0][0] + ny * normals[0][1]) or 1.0)
        left.append((x + nx * scale, y + ny * scale))
        right.append((x - nx * scale, y - ny * scale))
    return left + right[::-1]


def test_a_filled_stroke_outline_reads_as_its_line() -> None:
    points = [(category_x(i), value_y(v)) for i, v in enumerate(VALUES)]
    found: FoundChart = chart_from_marks([_area(_ribbon(points, 1.0), BLUE)], axis_words(), ())[0]
    assert found.chart.chart_type == "line"
    read = [(p.x, p.y) for p in found.chart.series[0].points]
    assert read == [(c, pytest.approx(v, abs=0.1)) for c, v in zip(CATEGORIES, VALUES, strict=True)]


def test_a_thin_band_stacked_on_a_thick_one_stays_an_area() -> None:
    """A stacked area chart's thin band (a small series) lies on a thick band: areas."""
    xs = [category_x(i) for i in range(5)]
    tops = [value_y(v) for v in VALUES]
    thin = [value_y(v + 0.4) for v in VALUES]
    thick = _area([(xs[0], FOOT), *zip(xs, tops, strict=True), (xs[-1], FOOT)], BLUE)
    band = _area([*zip(xs, thin, strict=True), *reversed(list(zip(xs, tops, strict=True)))], ORANGE)
    found = chart_from_marks([thick, band], axis_words(), ())[0]
    assert found.chart.chart_type == "area"
    values = {str(p.x): p.y for s in found.chart.series for p in s.points if p.y and p.y < 5}
    assert list(values) == CATEGORIES
    assert list(values.values()) == pytest.approx([0.4] * 5, abs=0.05)


def test_a_ribbon_with_a_rounded_cap_reads_along_its_middle() -> None:
    """An outline with a vertex more at one end (a rounded cap) pairs no vertices across:
    the middle is taken across the ribbon at each vertex's place."""
    points = [(category_x(i), value_y(v)) for i, v in enumerate(VALUES)]
    outline = [(99.0, points[0][1]), *_ribbon(points, 1.0)]
    found = chart_from_marks([_area(outline, BLUE)], axis_words(), ())[0]
    read = [p.y for p in found.chart.series[0].points]
    assert read == pytest.approx(VALUES, abs=0.2)
