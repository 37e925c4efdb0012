"""A line series that a program draws as a path per segment, each starting where the one
before it ends (an SVG line exported piece by piece): one line, read once at each point,
whether its segments are long or as short as tick marks."""

from __future__ import annotations

import itertools
import random

import pymupdf
import pytest

import docvlm

PLOT = (60.0, 30.0, 660.0, 250.0)  # x0, y0, x1, y1; the value axis runs 0 to 30
COLOURS = {"North": (0.12, 0.47, 0.71), "South": (1.0, 0.5, 0.05)}


def _y(value: float) -> float:
    _, y0, _, y1 = PLOT
    return y1 - (y1 - y0) * value / 30


def _chart(path, categories: list[str], series: dict[str, list[int]]) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=760, height=320)
    x0, _, x1, y1 = PLOT
    for value in range(0, 31, 10):
        page.draw_line((x0, _y(value)), (x1, _y(value)), color=(0.85, 0.85, 0.85), width=0.5)
        page.insert_text((x0 - 18, _y(value) + 3), str(value), fontsize=9)
    page.draw_line((x0, y1), (x1, y1), color=(0, 0, 0), width=0.8)
    step = (x1 - x0) / len(categories)
    xs = [x0 + step * (i + 0.5) for i in range(len(categories))]
    for x, category in zip(xs, categories, strict=True):
        width = pymupdf.get_text_length(category, fontsize=8)
        page.insert_text((x - width / 2, y1 + 14), category, fontsize=8)
    for k, (name, values) in enumerate(series.items()):
        points = [(x, _y(v)) for x, v in zip(xs, values, strict=True)]
        for start, end in itertools.pairwise(points):
            page.draw_line(start, end, color=COLOURS[name], width=2)
        page.draw_line((670, 40 + 14 * k), (690, 40 + 14 * k), color=COLOURS[name], width=2)
        page.insert_text((694, 43 + 14 * k), name, fontsize=9)
    doc.save(path)


@pytest.mark.parametrize("count", [6, 20])  # segments 100 points long, and 30
def test_a_line_drawn_a_path_per_segment_is_read_once_at_each_point(tmp_path, count):
    rng = random.Random(count)
    categories = [chr(ord("A") + i) * 2 for i in range(count)]
    series = {name: [rng.randint(5, 29) for _ in categories] for name in COLOURS}
    path = tmp_path / "segments.pdf"
    _chart(path, categories, series)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    assert chart.chart_type == "line"
    for name, values in series.items():
        got = next(s for s in chart.series if s.name == name)
        assert [p.x for p in got.points] == categories
        assert [p.y for p in got.points] == pytest.approx(values, abs=0.3)
