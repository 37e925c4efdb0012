"""A key that draws a ground under each entry's sample (R's ggplot2): a small neutral
square per entry, the squares of a column touching, the sample centred on each. The
grounds are no stacked bar, their samples no segments of one, and a line's sample lying on
its ground is no outline inside a bar."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

CATEGORIES = ["North", "South", "East", "West"]
SERIES = {"Online": [2.0, 3.5, 1.5, 4.0], "Retail": [1.0, 0.5, 2.5, 1.5]}
COLOURS = {"Online": (0.27, 0.0, 0.33), "Retail": (0.13, 0.57, 0.55)}
PANEL = (60.0, 30.0, 360.0, 230.0)  # x0, y0, x1, y1: 40 points a unit up from y1
GROUND = (0.92, 0.92, 0.92)  # the panel's
KEY_GROUND = (0.95, 0.95, 0.95)
KEY = 17.28  # a key ground's side


def _y(value: float) -> float:
    return PANEL[3] - 40 * value


def _chart(path, kind: str) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=270)
    page.draw_rect(pymupdf.Rect(PANEL), color=None, fill=GROUND)
    x0, _, x1, y1 = PANEL
    for value in range(6):
        page.draw_line((x0, _y(value)), (x1, _y(value)), color=(1, 1, 1), width=0.8)
        page.insert_text((x0 - 12, _y(value) + 3), str(value), fontsize=9)
    step = (x1 - x0) / len(CATEGORIES)
    for i, category in enumerate(CATEGORIES):
        centre = x0 + step * (i + 0.5)
        page.insert_text((centre - 12, y1 + 12), category, fontsize=9)
        base = 0.0
        for name, values in SERIES.items():
            if kind == "stacked":
                box = pymupdf.Rect(centre - 25, _y(base + values[i]), centre + 25, _y(base))
                page.draw_rect(box, color=None, fill=COLOURS[name])
                base += values[i]
    if kind == "lines":
        for name, values in SERIES.items():
            points = [(x0 + step * (i + 0.5), _y(v)) for i, v in enumerate(values)]
            page.draw_polyline(points, color=COLOURS[name], width=1.5)
    for k, name in enumerate(SERIES):
        ground = pymupdf.Rect(380, 100 + KEY * k, 380 + KEY, 100 + KEY * (k + 1))
        page.draw_rect(ground, color=None, fill=KEY_GROUND)
        middle = ground.y0 + KEY / 2
        if kind == "stacked":  # the fill's sample, inset from its ground
            inset = pymupdf.Rect(ground.x0 + 0.7, ground.y0 + 0.7, ground.x1 - 0.7, ground.y1 - 0.7)
            page.draw_rect(inset, color=None, fill=COLOURS[name])
        else:  # the line's sample across its ground
            page.draw_line((382, middle), (378 + KEY, middle), color=COLOURS[name], width=3)
        page.insert_text((402, middle + 3), name, fontsize=9)
    doc.save(path)


@pytest.mark.parametrize("kind", ["stacked", "lines"])
def test_a_key_drawing_a_ground_under_each_sample_names_its_series(tmp_path, kind):
    path = tmp_path / f"{kind}.pdf"
    _chart(path, kind)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        assert got[name] == pytest.approx(dict(zip(CATEGORIES, values, strict=True)), abs=0.05)
