"""Pages and images holding several charts: each is read in its own region, with its own
axes and legend."""

from __future__ import annotations

import pymupdf
import pytest
from PIL import Image

import docvlm
from docvlm import Chart, Document
from docvlm.engines.native.charts import find_charts
from docvlm.engines.native.raster_regions import chart_blocks

PLACES = {
    "chart_line.pdf": pymupdf.Rect(300, 60, 560, 250),
    "chart_bar.pdf": pymupdf.Rect(300, 290, 560, 480),
}


def series(chart: Chart) -> dict[str | None, list[tuple[object, float | None]]]:
    return {s.name: [(p.x, p.y) for p in s.points] for s in chart.series}


@pytest.fixture
def report_page(fixtures, tmp_path):
    """A report page: a small table of text on the left, two charts stacked on the right,
    and a coloured figure without axes below the table."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    for name, rect in PLACES.items():
        with pymupdf.open(fixtures / name) as source:
            page.show_pdf_page(rect, source, 0)
    page.draw_rect(pymupdf.Rect(60, 600, 200, 700), color=None, fill=(0.2, 0.5, 0.8))
    for n, (week, price) in enumerate([("Week", "Price"), ("1", "2.31"), ("2", "2.35")]):
        page.insert_text((60, 80 + 14 * n), week, fontsize=9)
        page.insert_text((150, 80 + 14 * n), price, fontsize=9)
    path = tmp_path / "report.pdf"
    document.save(path)
    return path


def test_each_vector_chart_of_a_report_page_is_read_in_its_own_region(fixtures, report_page):
    found = find_charts(Document.open(report_page).page(1))
    alone = [docvlm.extract(fixtures / name, schema="chart").records[0] for name in PLACES]
    assert [series(f.chart) for f in found] == [series(chart) for chart in alone]
    for chart, rect in zip(found, PLACES.values(), strict=True):
        assert rect.contains(pymupdf.Rect(chart.bbox.as_tuple()))
    # The coloured figure has marks but no axes: the page says it was not read.
    assert [g for f in found for g in f.gaps if "was not read" in g] == [
        "a chart at (60, 600, 200, 700) was not read: "
        "axes could not be calibrated from the tick labels"
    ]


def _rendered(path, dpi: int) -> Image.Image:
    with pymupdf.open(path) as document:
        pixmap = document[0].get_pixmap(dpi=dpi)
    return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def test_an_image_of_a_report_page_is_cut_into_one_block_per_chart(report_page):
    image = _rendered(report_page, 100)
    blocks = chart_blocks(image)
    points = [pymupdf.Rect(*(v * 72 / 100 for v in block)) for block in blocks]
    # One block per chart, each within its chart's place; the table and figure are not.
    assert len(points) == 2
    for block, rect in zip(points, PLACES.values(), strict=True):
        grown = pymupdf.Rect(rect.x0 - 4, rect.y0 - 4, rect.x1 + 4, rect.y1 + 4)
        assert grown.contains(block) and block.width > 0.8 * rect.width


@pytest.mark.parametrize("name", ["chart_bar.png", "chart_pie.png", "chart_line.png"])
def test_an_image_of_one_chart_is_read_whole(fixtures, name):
    # A legend or title beside the plot is not a chart of its own.
    assert chart_blocks(Image.open(fixtures / name)) == []


@pytest.mark.slow  # two charts read from pixels with OCR
def test_each_chart_in_an_image_of_a_report_page_is_read(report_page, tmp_path):
    _rendered(report_page, 150).save(tmp_path / "report.png", dpi=(150, 150))
    result = docvlm.extract(tmp_path / "report.png", schema="chart")
    assert [c.title for c in result.records] == ["Revenue and costs", "Sales by region"]
    bars = series(result.records[1])
    assert [x for x, _ in bars["2023"]] == ["North", "South", "East", "West"]
    assert [y for _, y in bars["2023"]] == pytest.approx([12.5, 9.1, 20.3, 7.4], abs=0.05 * 22)


def test_a_line_high_above_the_others_is_one_chart_with_them(tmp_path):
    """A chart whose axes are one path as big as most of the page (page furniture to the
    region finder), a line series high above the others across an empty stretch of the
    plot: no tick label or title stands in that stretch, so it is one chart, not two."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    high, low = [20.2, 18.7, 20.9, 19.9, 21.0, 16.7], [7.1, 2.0, 9.8, 3.0, 6.5, 4.9]
    document = pymupdf.open()
    page = document.new_page(width=432, height=324)

    def at(k: int, value: float) -> pymupdf.Point:
        return pymupdf.Point(80 + 60 * k, 280 - 10 * value)  # 0 to 25 over 250 points

    page.draw_polyline([(50, 20), (50, 280), (420, 280)], color=(0, 0, 0), width=1)
    for value in range(0, 26, 5):
        page.insert_text((28, 283 - 10 * value), str(value), fontsize=9)
    for k, month in enumerate(months):
        page.insert_text((at(k, 0).x - 8, 296), month, fontsize=9)
    for values, colour in ((high, (0.1, 0.6, 0.5)), (low, (0.8, 0.4, 0.1))):
        page.draw_polyline([at(k, v) for k, v in enumerate(values)], color=colour, width=1.5)
    path = tmp_path / "apart.pdf"
    document.save(path)

    result = docvlm.extract(path, schema="chart")
    assert len(result.records) == 1
    read = sorted([(p.x, p.y) for p in line.points] for line in result.records[0].series)
    expected = sorted([list(zip(months, v, strict=True)) for v in (high, low)])
    assert [[(x, pytest.approx(y, abs=0.25)) for x, y in line] for line in read] == expected
