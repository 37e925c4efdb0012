"""Bars lying on their side whose value axis runs along the plot's top (its numbers above
the plot, the category names left of it): the chart is read on that axis."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

CATEGORIES = ["Apples", "Pears", "Plums", "Figs"]
SERIES = {"North": [12.0, 18.0, 15.0, 22.0], "South": [8.0, 11.0, 19.0, 14.0]}
COLOURS = {"North": (0.12, 0.47, 0.71), "South": (1.0, 0.5, 0.05)}
PLOT = (80.0, 40.0, 400.0, 260.0)  # x0, y0, x1, y1; the value axis runs 0 to 25


def _x(value: float) -> float:
    return PLOT[0] + (PLOT[2] - PLOT[0]) * value / 25


def _chart(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=300)
    x0, y0, _, y1 = PLOT
    page.insert_text((180, 16), "Harvest by region", fontsize=11)
    for value in range(0, 26, 5):
        page.draw_line((_x(value), y0), (_x(value), y1), color=(0.88, 0.88, 0.88), width=0.5)
        width = pymupdf.get_text_length(str(value), fontsize=9)
        page.insert_text((_x(value) - width / 2, y0 - 6), str(value), fontsize=9)
    band = (y1 - y0) / len(CATEGORIES)
    for i, category in enumerate(CATEGORIES):
        middle = y0 + band * (i + 0.5)
        width = pymupdf.get_text_length(category, fontsize=9)
        page.insert_text((x0 - 6 - width, middle + 3), category, fontsize=9)
        for k, (name, values) in enumerate(SERIES.items()):
            top = middle - band * 0.4 + band * 0.4 * k
            box = pymupdf.Rect(_x(0), top, _x(values[i]), top + band * 0.4)
            page.draw_rect(box, color=None, fill=COLOURS[name])
    for k, name in enumerate(SERIES):
        page.draw_rect(pymupdf.Rect(410, 60 + 14 * k, 420, 70 + 14 * k), fill=COLOURS[name])
        page.insert_text((424, 68 + 14 * k), name, fontsize=9)
    doc.save(path)


def test_bars_on_their_side_with_the_value_axis_along_the_top_are_read(tmp_path):
    path = tmp_path / "top_axis.pdf"
    _chart(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    assert chart.chart_type == "bar"
    for name, values in SERIES.items():
        got = {p.x: p.y for p in next(s for s in chart.series if s.name == name).points}
        assert got == pytest.approx(dict(zip(CATEGORIES, values, strict=True)), abs=0.25)
