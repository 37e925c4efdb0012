"""Vector charts as a browser prints a web charting library's SVG: grid lines in a pale
blue-gray, and a legend entry under an invisible hit area (a black rectangle painted at no
opacity)."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.page_content import read_drawings

CATEGORIES = ["North", "South", "East"]
SERIES = {"Online": [12.0, 18.0, 7.0], "Retail": [9.0, 4.0, 15.0]}
COLOURS = {"Online": (0.39, 0.43, 0.98), "Retail": (0.94, 0.33, 0.23)}
GRID = (0.922, 0.941, 0.973)  # '#EBF0F8'


def _web_chart(path) -> None:
    """Grouped bars on a white plot, y = 300 - 10 * value, grid lines every 5."""
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=340)
    for value in range(0, 25, 5):
        y = 300 - 10 * value
        page.draw_line((60, y), (330, y), color=GRID, width=0.75, stroke_opacity=0.75)
        page.insert_text((40, y + 3), str(value), fontsize=8)
    for i, category in enumerate(CATEGORIES):
        centre = 105 + 90 * i
        page.insert_text((centre - 12, 315), category, fontsize=8)
        for k, (name, values) in enumerate(SERIES.items()):
            left = centre - 30 + 30 * k
            box = pymupdf.Rect(left, 300 - 10 * values[i], left + 30, 300)
            page.draw_rect(box, color=None, fill=COLOURS[name])
    for k, name in enumerate(SERIES):
        top = 60 + 16 * k
        page.draw_rect(pymupdf.Rect(345, top, 353, top + 8), color=None, fill=COLOURS[name])
        page.insert_text((358, top + 7), name, fontsize=8)
        hit_area = pymupdf.Rect(342, top - 3, 410, top + 11)
        page.draw_rect(hit_area, color=None, fill=(0, 0, 0), fill_opacity=0)
    doc.save(path)


def test_a_browser_printed_web_chart_reads_whole(tmp_path):
    path = tmp_path / "web_chart.pdf"
    _web_chart(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    got = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    expected = {name: dict(zip(CATEGORIES, values, strict=True)) for name, values in SERIES.items()}
    assert got.keys() == expected.keys()
    for name, values in expected.items():
        assert got[name] == pytest.approx(values, abs=0.1)


def test_a_path_painted_at_no_opacity_is_no_drawing(tmp_path):
    path = tmp_path / "hit_area.pdf"
    _web_chart(path)
    with pymupdf.open(path) as doc:
        drawings = read_drawings(doc[0])
    black = [d for d in drawings if d.fill == (0.0, 0.0, 0.0)]
    assert black == []
    swatches = [d.fill for d in drawings if d.fill is not None and d.bbox.x0 >= 345]
    assert swatches == [pytest.approx(c, abs=0.01) for c in COLOURS.values()]


def test_a_pale_tinted_straight_line_is_a_rule_not_a_series():
    from docvlm.engines.native.marks import mark_from_drawing
    from docvlm.geometry import BBox
    from docvlm.page_content import Drawing

    def line(colour: tuple[float, ...]) -> Drawing:
        items = (("l", (60.0, 100.0), (330.0, 100.0)),)
        return Drawing(BBox(60, 100, 330, 100), "stroke", colour, None, 0.75, items)

    assert mark_from_drawing(line(GRID)) is None
    mark = mark_from_drawing(line(COLOURS["Online"]))
    assert mark is not None and mark.kind == "line"
