"""Charts in pictures on PDF pages. A page that is one picture (a chart pasted as a page,
a scan) is read at the picture's own pixels: rendered finer, a thin line's blended edges
break it into dots. A report page's text layer holds its prose but none of a pasted
chart's labels: the chart is read in its picture, its labels by OCR."""

from __future__ import annotations

import io

import pymupdf
import pytest
from PIL import Image

import docvlm
from docvlm.document import Document, Page
from docvlm.engines.native.engine import RENDER_DPI, _render_dpi
from docvlm.geometry import BBox
from tests.line_charts import SERIES, YEARS, line_chart_png


def _picture_pdf(
    image: Image.Image,
    box: tuple[float, float, float, float],
    size: tuple[float, float] | None = None,
) -> bytes:
    """A PDF page of ``size`` points (the box's by default) with ``image`` placed at ``box``."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    document = pymupdf.open()
    width, height = size or (box[2], box[3])
    page = document.new_page(width=width, height=height)
    page.insert_image(pymupdf.Rect(box), stream=png.getvalue(), keep_proportion=False)
    return document.tobytes()


def _picture_page(
    image: Image.Image,
    box: tuple[float, float, float, float],
    size: tuple[float, float] | None = None,
) -> Page:
    return Document.open(_picture_pdf(image, box, size), name="picture.pdf").page(1)


def test_a_page_that_is_a_picture_is_rendered_at_the_pictures_pixels():
    picture = Image.new("RGB", (700, 450), "white")
    pasted = _picture_page(picture, (0, 0, 525, 337.5))  # 96 pixels an inch
    assert pasted.picture_dpi == pytest.approx((96.0,))
    assert _render_dpi(pasted) == pytest.approx(96.0)
    turned = _picture_page(picture.rotate(90, expand=True), (0, 0, 337.5, 525))
    assert _render_dpi(turned) == pytest.approx(96.0)
    fine = _picture_page(Image.new("RGB", (2100, 1350), "white"), (0, 0, 525, 337.5))
    assert _render_dpi(fine) == RENDER_DPI  # a 288-dpi scan: read no finer than usual
    figure = _picture_page(picture, (72, 72, 297, 216), size=(595, 842))
    assert _render_dpi(figure) == RENDER_DPI  # a figure on a page: the page's drawing too


def _thin_line_chart() -> Image.Image:
    """The chart in 1.5-point lines, 672 by 432 pixels at a screen's 96 an inch."""
    return Image.open(io.BytesIO(line_chart_png(linewidth=1.5))).convert("RGB")


def test_a_chart_pasted_as_a_page_reads_as_its_image(rapidocr, tmp_path):
    """The picture rendered at 200 dpi broke each line into dots: eight series, five with
    no name. At its own pixels it reads as the image itself does."""
    image = _thin_line_chart()
    path = tmp_path / "pasted.pdf"
    path.write_bytes(_picture_pdf(image, (0, 0, image.width * 0.75, image.height * 0.75)))
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    chart = result.records[0]
    got = {s.name: {float(p.x): p.y for p in s.points} for s in chart.series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        assert sorted(got[name]) == [float(y) for y in YEARS], name
        for year, value in zip(YEARS, values, strict=True):
            assert got[name][float(year)] == pytest.approx(value * 1000, abs=500), (name, year)


def _report_page(chart: Image.Image, at: tuple[float, float]) -> bytes:
    """An A4 report page: a heading, a paragraph, ``chart`` pasted at ``at`` (its pixels
    at 96 an inch) and a caption naming the series under it."""
    png = io.BytesIO()
    chart.save(png, format="PNG")
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 72), "Annual report", fontsize=16)
    for line in range(6):
        page.insert_text((72, 100 + 14 * line), f"The year in review, paragraph line {line}.")
    box = pymupdf.Rect(at[0], at[1], at[0] + chart.width * 0.75, at[1] + chart.height * 0.75)
    page.insert_image(box, stream=png.getvalue())
    page.insert_text((72, box.y1 + 20), "Figure 1: sales, costs and income by year.")
    return document.tobytes()


def test_a_chart_pasted_in_a_report_page_is_read_in_its_picture(rapidocr, tmp_path):
    """It gave no chart: the page's words (its prose) label no axis."""
    path = tmp_path / "report.pdf"
    path.write_bytes(_report_page(_thin_line_chart(), (72.0, 200.0)))
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: {float(p.x): p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        assert sorted(got[name]) == [float(y) for y in YEARS], name
        for year, value in zip(YEARS, values, strict=True):
            assert got[name][float(year)] == pytest.approx(value * 1000, abs=500), (name, year)
    where = result.provenance[0]
    picture = BBox(72.0, 200.0, 72.0 + 672 * 0.75, 200.0 + 432 * 0.75)
    assert picture.contains_point(where.bbox.x0, where.bbox.y0)
    assert picture.contains_point(where.bbox.x1, where.bbox.y1)
    assert where.method.startswith("pixels of the pictures on the page")
    assert "from the picture's corner at (72, 200)" in where.method


def test_a_report_page_whose_picture_holds_no_chart_says_so(rapidocr, tmp_path):
    """A photograph pasted in a report: no chart, and the reason names the pictures."""
    path = tmp_path / "photo.pdf"
    path.write_bytes(_report_page(Image.new("RGB", (600, 400), (120, 160, 200)), (72, 200)))
    result = docvlm.extract(path, schema="chart")
    assert result.status == "empty" and not result.records
    message = result.warnings[0].message
    assert message.startswith("no chart found") and message.endswith(
        "in its pictures, no coloured marks"
    )


def _pie_png() -> Image.Image:
    """A pie of four named regions, its legend beside it, 640 by 480 pixels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    wedges, _ = axes.pie(PIE_SHARES.values(), startangle=90, counterclock=False)
    axes.legend(wedges, PIE_SHARES.keys(), loc="center left", bbox_to_anchor=(1.0, 0.5))
    axes.set_title("Sales by region")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return Image.open(buffer).convert("RGB")


PIE_SHARES = {"North": 0.4, "South": 0.3, "East": 0.2, "West": 0.1}


def test_a_pie_pasted_in_a_report_page_takes_its_names_from_its_picture(rapidocr, tmp_path):
    """A pie needs no tick labels, so the rendered page, read with its words (its prose),
    gave one: slices unnamed, the page's heading for its title. Its names and title are
    in its picture's pixels."""
    path = tmp_path / "report.pdf"
    path.write_bytes(_report_page(_pie_png(), (72.0, 200.0)))
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    assert chart.title == "Sales by region"
    got = {p.x: p.y for p in chart.series[0].points}
    assert got == pytest.approx(PIE_SHARES, abs=0.01)
