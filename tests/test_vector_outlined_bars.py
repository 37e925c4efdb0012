"""Vector bars as a plotting program draws them: a see-through fill and then its outline,
a stroked rectangle of the same box to a tenth of a point (in the fill's colour, or
black); a line's star markers touching a bar's side; key samples a hair over two swatches
long, a box above a line's handle; and y ticks drawn into the plot from its left edge,
where the grid lines start, with labels set a little below them."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

CATEGORIES = ["North", "South", "East"]
BARS = {"Ventes": [2.8, 5.7, 6.4], "Costs": [6.6, 4.2, 1.1]}
LINE = {"Trend": [2.0, 5.0, 2.7]}
COLOURS = {"Ventes": (0.31, 0.47, 0.65), "Costs": (0.95, 0.56, 0.17), "Trend": (0.88, 0.34, 0.35)}
PLOT = (120.0, 40.0, 420.0, 200.0)  # x0, y0, x1, y1
SCALE = 20.0  # points per unit
KEY = 32.06  # a key sample's length: a hair over two swatches


def _y(value: float) -> float:
    return PLOT[3] - SCALE * value


def _star(shape: pymupdf.Shape, x: float, y: float) -> None:
    for a, b in (((x - 3.6, y), (x + 3.6, y)), ((x, y - 3.6), (x, y + 3.6))):
        shape.draw_line(a, b)  # each arm a path of its own
        shape.finish(color=COLOURS["Trend"], width=1.25)


def _plotted_chart(path, bars: dict[str, list[float]]) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=560, height=300)
    x0, _, x1, y1 = PLOT
    for value in range(0, 9, 2):
        y = _y(value)
        page.draw_line((x0, y), (x1, y), color=(0.6, 0.6, 0.6), width=0.5, dashes="[1 2] 0")
        page.draw_line((x0, y), (x0 + 6, y), color=(0, 0, 0), width=0.5)  # the tick, inward
        page.insert_text((x0 - 24, y + 5), f"{value}%", fontsize=10)  # centred 1.5 below
    page.draw_line((x0, y1), (x1, y1), color=(0, 0, 0), width=0.5)
    shape = page.new_shape()
    for i, category in enumerate(CATEGORIES):
        centre = 170 + 100 * i
        page.insert_text((centre - 14, y1 + 14), category, fontsize=10)
        for k, (name, values) in enumerate(bars.items()):
            left = centre - 36 + 36 * k
            bar = pymupdf.Rect(left, _y(values[i]), left + 36, y1)
            edge = pymupdf.Rect(bar.x0, bar.y0 + 0.05, bar.x1 - 0.05, bar.y1)
            if name == "Costs":  # see-through, outlined in its colour
                page.draw_rect(bar, color=None, fill=COLOURS[name], fill_opacity=0.5)
                page.draw_rect(edge, color=COLOURS[name], width=0.5)
            else:
                page.draw_rect(bar, color=None, fill=COLOURS[name])
                page.draw_rect(edge, color=(0, 0, 0), width=0.5)
        _star(shape, centre, _y(LINE["Trend"][i]))  # its upright arm on the bars' sides
    points = [(170 + 100 * i, _y(v)) for i, v in enumerate(LINE["Trend"])]
    shape.draw_polyline(points)
    shape.finish(color=COLOURS["Trend"], width=1.25)
    shape.commit()
    for k, name in enumerate([*bars, *LINE]):
        top = 50 + 16 * k
        page.insert_text((436, top + 7), name, fontsize=10)
        sample = pymupdf.Rect(480, top, 480 + KEY, top + 6.7)
        if name in bars:
            page.draw_rect(sample, color=COLOURS[name], fill=COLOURS[name], width=0.5)
        else:
            page.draw_line((480, top + 3.3), (480 + KEY, top + 3.3), color=COLOURS[name])
    doc.save(path)


@pytest.mark.parametrize("names", [["Ventes", "Costs"], ["Costs"]])
def test_a_plotting_programs_outlined_bars_read_whole(tmp_path, names):
    bars = {name: BARS[name] for name in names}  # one bar series: its key box stands alone
    path = tmp_path / "outlined_bars.pdf"
    _plotted_chart(path, bars)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    got = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    expected = {
        name: dict(zip(CATEGORIES, values, strict=True))
        for name, values in {**bars, **LINE}.items()
    }
    assert got.keys() == expected.keys()
    for name, values in expected.items():
        # Within 0.5% of the axis: labels' centres alone set it 1.5 points (0.075) off.
        assert got[name] == pytest.approx(values, abs=0.04)


def test_a_column_of_ticks_with_numbers_beside_is_no_legend(tmp_path):
    from docvlm.document import Document
    from docvlm.engines.native.marks import chart_marks

    doc = pymupdf.open()
    page = doc.new_page(width=300, height=200)
    for k, value in enumerate((0, 10, 20)):  # a right-hand axis's ticks, drawn inward
        y = 150 - 50 * k
        page.draw_line((200, y), (206, y), color=(0, 0, 0), width=0.5)
        page.insert_text((210, y + 3), str(value), fontsize=8)
    page.draw_line((40, 30), (64, 30), color=(0.4, 0.4, 0.4), width=1.5)  # a gray series'
    page.insert_text((68, 33), "2023", fontsize=8)
    path = tmp_path / "ticks.pdf"
    doc.save(path)
    with Document.open(path) as opened:
        marks = chart_marks(next(iter(opened)))
    assert [(m.kind, round(m.bbox.x0)) for m in marks] == [("tick", 40)]
