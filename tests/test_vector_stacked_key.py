"""Horizontal stacked bars as a plotting program draws them: the key sets each name before
its sample, so a category whose first segments are short (swatch-sized) has its name
right before them too, but they meet the next segment edge to edge and are no key entry;
and the value axis's ticks stand up into the plot from its foot, its numbers a little off
them."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

CATEGORIES = ["Pears", "Cherries", "Figs"]
SERIES = {"Budget": [25.4, 30.0, 3.4], "Forecast": [26.2, 14.3, 6.0], "Costs": [27.0, 34.0, 22.7]}
COLOURS = {"Budget": (0.3, 0.45, 0.65), "Forecast": (0.95, 0.55, 0.15), "Costs": (0.88, 0.34, 0.35)}
PLOT = (100.0, 30.0, 300.0, 110.0)  # x0, y0, x1, y1: 2 points a unit from x0


def _x(value: float) -> float:
    return PLOT[0] + 2 * value


def _stacked_chart(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=280)
    x0, y0, _, y1 = PLOT
    page.draw_rect(pymupdf.Rect(PLOT), color=(0, 0, 0), width=0.5)
    for value in (0, 50, 100):
        x = _x(value)
        page.draw_line((x, y1 - 6), (x, y1), color=(0, 0, 0), width=0.5)  # inward
        page.insert_text((x - 8, y1 + 14), f"{value}%", fontsize=10)  # centred 2.5 right
    for i, category in enumerate(CATEGORIES):
        top = y0 + 12 + 22 * i
        width = pymupdf.get_text_length(category, fontsize=10)
        page.insert_text((x0 - 6 - width, top + 11), category, fontsize=10)  # set right
        start = 0.0
        for name, values in SERIES.items():
            box = pymupdf.Rect(_x(start), top, _x(start + values[i]), top + 15)
            page.draw_rect(box, color=(0, 0, 0), fill=COLOURS[name], width=0.5)
            start += values[i]
    for k, name in enumerate(SERIES):
        top = 40 + 14 * k
        width = pymupdf.get_text_length(name, fontsize=10)
        page.insert_text((364 - width, top + 7), name, fontsize=10)
        sample = pymupdf.Rect(370, top, 402, top + 7)
        page.draw_rect(sample, color=(0, 0, 0), fill=COLOURS[name], width=0.5)
    doc.save(path)


def test_short_stacked_segments_after_their_name_are_no_key(tmp_path):
    path = tmp_path / "stacked.pdf"
    _stacked_chart(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        # Within 0.4% of the axis: the numbers' centres alone set it 1.25 units off.
        expected = dict(zip(CATEGORIES, values, strict=True))
        assert got[name] == pytest.approx(expected, abs=0.4)
