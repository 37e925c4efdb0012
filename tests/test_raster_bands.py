"""An image of lines over a shaded band (a period marked on the plot): the band is no
series, and a line crossing a band tinted in its own colour is no edge of the band."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

import docvlm

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
SERIES = {  # name: (colour, values)
    "North": ((0.12, 0.47, 0.71), [12, 18, 15, 22, 9, 14]),
    "South": ((1.0, 0.5, 0.05), [8, 11, 19, 14, 17, 6]),
}


def _chart(path: Path, band: tuple[float, float, float]) -> None:
    """Two lines over a band from between Tue and Wed to past Thu, axes 0 to 25."""
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=320)
    x0, y0, x1, y1 = 80, 30, 400, 250

    def at(i: float, v: float) -> tuple[float, float]:
        return (x0 + (x1 - x0) * (i + 0.5) / len(DAYS), y1 - (y1 - y0) * v / 25)

    page.draw_rect(pymupdf.Rect(at(1.6, 0)[0], y0, at(3.3, 0)[0], y1), color=None, fill=band)
    for v in range(0, 26, 5):
        text = str(v)
        width = pymupdf.get_text_length(text, fontsize=9)
        page.insert_text((x0 - 6 - width, at(0, v)[1] + 3), text, fontsize=9)
    page.draw_line((x0, y1), (x1, y1), color=(0, 0, 0), width=0.8)
    page.draw_line((x0, y0), (x0, y1), color=(0, 0, 0), width=0.8)
    for i, day in enumerate(DAYS):
        width = pymupdf.get_text_length(day, fontsize=9)
        page.insert_text((at(i, 0)[0] - width / 2, y1 + 14), day, fontsize=9)
    for k, (name, (colour, values)) in enumerate(SERIES.items()):
        points = [at(i, v) for i, v in enumerate(values)]
        page.draw_polyline(points, color=colour, width=2)
        page.draw_line((410, 40 + 14 * k), (424, 40 + 14 * k), color=colour, width=2)
        page.insert_text((428, 43 + 14 * k), name, fontsize=9)
    page.get_pixmap(dpi=150).save(path)


@pytest.mark.parametrize("band", [(0.88, 0.88, 0.88), (0.85, 0.9, 0.97)], ids=["gray", "tinted"])
def test_lines_over_a_band_read_whole_and_the_band_is_no_series(tmp_path, band) -> None:
    path = tmp_path / "band.png"
    _chart(path, band)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    series = {s.name: [(p.x, p.y) for p in s.points] for s in result.records[0].series}
    assert series == {
        name: [(d, pytest.approx(v, abs=0.3)) for d, v in zip(DAYS, values, strict=True)]
        for name, (_, values) in SERIES.items()
    }
