"""A plotting program's key and markers: a '+' or an 'x' drawn a stroke per arm is one
point; a marker-only key sample stands centred in a line sample's slot, half a handle
further from its name than a swatch; and a key in a row that sets each name before its
sample, a year first ('2024 ▬ Wholesale ▬')."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

POINTS = {
    "Imports": [(1.0, 27.0), (3.0, 15.0), (5.0, 8.0), (7.0, 20.0)],
    "Costs": [(2.0, 34.0), (4.0, 13.0), (6.0, 23.0), (8.0, 30.0)],
}
COLOURS = {"Imports": (1.0, 0.0, 0.0), "Costs": (0.0, 0.7, 0.0)}
BARS = {"2024": [429.0, 371.0, 504.0], "Wholesale": [313.0, 261.0, 172.0]}
BAR_COLOURS = {"2024": (0.31, 0.47, 0.65), "Wholesale": (0.95, 0.56, 0.17)}


def _marker(page: pymupdf.Page, name: str, x: float, y: float) -> None:
    arms = (
        [((x - 3.6, y), (x + 3.6, y)), ((x, y - 3.6), (x, y + 3.6))]  # '+'
        if name == "Imports"
        else [((x - 3.6, y - 3.6), (x + 3.6, y + 3.6)), ((x - 3.6, y + 3.6), (x + 3.6, y - 3.6))]
    )
    for a, b in arms:  # a path an arm
        page.draw_line(a, b, color=COLOURS[name], width=0.75)


def _right_set(page: pymupdf.Page, x1: float, y: float, text: str) -> None:
    page.insert_text((x1 - pymupdf.get_text_length(text, fontsize=10), y), text, fontsize=10)


def _scatter(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=520, height=300)
    page.draw_rect(pymupdf.Rect(60, 40, 460, 240), color=(0, 0, 0), width=0.5)
    for value in range(0, 41, 10):  # y: 5 points a unit over 240
        page.draw_line((60, 240 - 5 * value), (66, 240 - 5 * value), color=(0, 0, 0), width=0.5)
        _right_set(page, 54, 244 - 5 * value, str(value))
    for value in range(0, 9, 2):  # x: 50 points a unit from 60
        x = 60 + 50 * value
        page.draw_line((x, 234), (x, 240), color=(0, 0, 0), width=0.5)
        page.insert_text((x - 3, 254), str(value), fontsize=10)
    for name, points in POINTS.items():
        for x, y in points:
            _marker(page, name, 60 + 50 * x, 240 - 5 * y)
    for k, name in enumerate(POINTS):  # names set right, samples centred 28 points on
        y = 56 + 16 * k
        _right_set(page, 400, y + 4, name)
        _marker(page, name, 432, y)
    doc.save(path)


def _bars_with_a_key_row(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=300)
    page.draw_line((60, 220), (360, 220), color=(0, 0, 0), width=0.5)
    for value in range(0, 801, 200):  # 0.2 points a unit over 220
        y = 220 - 0.2 * value
        page.draw_line((54, y), (60, y), color=(0, 0, 0), width=0.5)
        _right_set(page, 50, y + 4, str(value))
    for i, category in enumerate(["North", "South", "East"]):
        centre = 110 + 100 * i
        page.insert_text((centre - 14, 234), category, fontsize=10)
        for k, (name, values) in enumerate(BARS.items()):
            box = pymupdf.Rect(centre - 30 + 30 * k, 220 - 0.2 * values[i], centre + 30 * k, 220)
            page.draw_rect(box, color=None, fill=BAR_COLOURS[name])
    x = 120
    for name in BARS:  # the key in a row under the plot, each name before its sample
        page.insert_text((x, 268), name, fontsize=10)
        x += pymupdf.get_text_length(name, fontsize=10) + 8
        page.draw_rect(pymupdf.Rect(x, 260, x + 32, 266), color=None, fill=BAR_COLOURS[name])
        x += 48
    doc.save(path)


def test_markers_drawn_an_arm_a_stroke_with_samples_centred_in_their_slot(tmp_path):
    path = tmp_path / "scatter.pdf"
    _scatter(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: sorted((p.x, p.y) for p in s.points) for s in result.records[0].series}
    assert set(got) == set(POINTS)
    for name, points in POINTS.items():
        assert got[name] == [pytest.approx(point, abs=0.05) for point in points]


def test_a_key_row_naming_each_sample_before_it_a_year_first(tmp_path):
    path = tmp_path / "key_row.pdf"
    _bars_with_a_key_row(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: [p.y for p in s.points] for s in result.records[0].series}
    assert got == {name: pytest.approx(values, abs=2.0) for name, values in BARS.items()}
