"""Pies and doughnuts drawn as bars in polar coordinates (R's ggplot2): each wedge an
outline of short steps, with points along its straight sides as well as its rim."""

from __future__ import annotations

import math

import pymupdf
import pytest

import docvlm

SHARES = {"Laptops": 0.25, "Phones": 0.1, "Tablets": 0.4, "Drones": 0.25}
COLOURS = [(0.11, 0.62, 0.47), (0.85, 0.37, 0.01), (0.46, 0.44, 0.7), (0.91, 0.16, 0.54)]
CENTRE, RADIUS = (150.0, 140.0), 100.0


def _outline(start: float, end: float, hole: float) -> list[tuple[float, float]]:
    """A wedge from turn ``start`` to ``end`` (clockwise from the top), in steps of a
    hundredth of the turn along its rim and a tenth of the radius along its sides."""

    def at(turn: float, radius: float) -> tuple[float, float]:
        angle = 2 * math.pi * turn
        return CENTRE[0] + radius * math.sin(angle), CENTRE[1] - radius * math.cos(angle)

    steps = max(2, round((end - start) * 100))
    rim = [at(start + (end - start) * k / steps, RADIUS) for k in range(steps + 1)]
    inner = [at(end - (end - start) * k / steps, hole) for k in range(steps + 1)]
    out_side = [at(start, hole + (RADIUS - hole) * k / 10) for k in range(10)]
    in_side = [at(end, RADIUS - (RADIUS - hole) * k / 10) for k in range(1, 10)]
    return out_side + rim + in_side + (inner if hole else [CENTRE])


def _pie(path, hole: float) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=290)
    turn = 0.0
    for share, colour in zip(SHARES.values(), COLOURS, strict=True):
        points = _outline(turn, turn + share, hole)
        page.draw_polyline([*points, points[0]], color=None, fill=colour, closePath=True)
        turn += share
    for k, (name, colour) in enumerate(zip(SHARES, COLOURS, strict=True)):
        top = 100 + 17.28 * k
        page.draw_rect(pymupdf.Rect(300, top + 0.7, 315.9, top + 16.6), color=None, fill=colour)
        page.insert_text((322, top + 12), name, fontsize=9)
    doc.save(path)


@pytest.mark.parametrize("hole", [0.0, 40.0])
def test_a_pie_drawn_in_steps_along_its_sides_reads_its_shares(tmp_path, hole):
    path = tmp_path / "pie.pdf"
    _pie(path, hole)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    assert chart.chart_type == "pie"
    got = {p.x: p.y for p in chart.series[0].points}
    assert got == pytest.approx(SHARES, abs=0.002)
