"""Key-values and user records from text layers and, through the bundled OCR, from scans."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pydantic import BaseModel, Field

import docvlm
from docvlm import (
    Document,
    EngineOptionError,
    EngineUnavailableError,
    KeyValues,
    OcrUnavailableError,
    ocr,
)
from docvlm.text import parse_amount, parse_date


class Invoice(BaseModel):
    number: str | None = Field(None, description="invoice number")
    date: dt.date | None = None
    customer: str | None = None
    total: float | None = Field(None, description="total amount")
    po_number: str | None = Field(None, description="purchase order")


EXPECTED = {
    "number": "INV-2024-017",
    "date": dt.date(2024, 3, 12),
    "customer": "Northwind Traders",
    "total": 1320.0,
    "po_number": None,
}


def test_key_values_from_the_text_layer(fixtures):
    result = docvlm.extract(fixtures / "invoice.pdf", schema="keyvalues")
    (record,) = result.records
    assert isinstance(record, KeyValues)
    pairs = [(p.label, p.value) for p in record.pairs]
    assert pairs == [
        ("Invoice number", "INV-2024-017"),
        ("Date", "12/03/2024"),
        ("Customer", "Northwind Traders"),
        ("Subtotal", "1,100.00"),
        ("VAT 20%", "220.00"),
        ("Total", "1,320.00"),
    ]


def test_user_record_fields_are_typed_and_missing_ones_stay_empty(fixtures):
    result = docvlm.extract(fixtures / "invoice.pdf", schema=Invoice)
    assert result.status == "ok"
    assert result.records[0].model_dump() == EXPECTED


def test_required_field_not_on_the_page_is_reported(fixtures):
    class Strict(BaseModel):
        total: float
        iban: str

    result = docvlm.extract(fixtures / "invoice.pdf", schema=Strict)
    assert result.records == [] and "not found on the page: iban" in result.errors[0].message


def test_nested_user_models_are_refused_before_work(fixtures):
    class Order(BaseModel):
        lines: list[str]

    with pytest.raises(EngineUnavailableError, match="nested or list fields"):
        docvlm.extract(fixtures / "invoice.pdf", schema=Order)


def test_scanned_invoice_is_read_through_ocr(fixtures):
    result = docvlm.extract(fixtures / "invoice_scan.png", schema=Invoice)
    assert result.status == "ok"
    assert result.records[0].model_dump() == EXPECTED


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_rotated_scan_is_turned_upright(fixtures):
    page = Document.open(fixtures / "invoice_scan_rotated.png").page(1)
    image = page.image()
    if ocr.detect_rotation(image) == 0:
        pytest.skip("Tesseract's orientation data (tesseract-ocr-osd) is not installed")
    assert ocr.detect_rotation(image) == 270  # turned 90 degrees anticlockwise when scanned
    frame = ocr.ocr_page(page, "rapidocr")
    number = next(w for w in frame.words if w.text == "INV-2024-017")
    assert number.bbox.width > number.bbox.height  # read upright
    # On the page as scanned the word runs upwards near the left edge (the top turned left).
    on_page = frame.to_page(number.bbox)
    assert on_page.height > on_page.width and on_page.x0 < page.width / 3
    result = docvlm.extract(fixtures / "invoice_scan_rotated.png", schema=Invoice)
    assert result.records[0].model_dump()["total"] == 1320.0


def test_tesseract_backend_reads_the_scan(fixtures):
    engine = docvlm.get_engine("native", ocr="tesseract")
    try:
        result = docvlm.extract(fixtures / "invoice_scan.png", schema=Invoice, engine=engine)
    except OcrUnavailableError as exc:
        pytest.skip(str(exc))
    assert result.records[0].model_dump()["number"] == "INV-2024-017"
    assert result.records[0].model_dump()["total"] == 1320.0


def test_ocr_results_are_cached_per_page_image(fixtures, monkeypatch):
    page = Document.open(fixtures / "invoice_scan.png").page(1)
    backend = ocr.get_backend("rapidocr")
    calls = []
    original = backend.read
    monkeypatch.setattr(
        backend, "read", lambda image, labels=False: calls.append(1) or original(image, labels)
    )
    ocr._cache.clear()
    first = ocr.ocr_page(page, "rapidocr")
    second = ocr.ocr_page(page, "rapidocr")
    assert first == second and len(calls) == 1


def test_text_layer_routing(fixtures):
    assert ocr.has_usable_text(Document.open(fixtures / "invoice.pdf").page(1))
    assert not ocr.has_usable_text(Document.open(fixtures / "invoice_scan.png").page(1))
    frame, source = ocr.page_words(Document.open(fixtures / "invoice.pdf").page(1), "rapidocr")
    assert source == "text" and frame.words[0].text == "ACME" and frame.rotation == 0
    engine = docvlm.get_engine("native", ocr=None)
    result = docvlm.extract(fixtures / "invoice_scan.png", schema=Invoice, engine=engine)
    assert result.records == [] and result.status == "empty"
    assert [w.message for w in result.warnings] == [
        "no Invoice found: no words in the text layer, and OCR is off (ocr=None)"
    ]
    with pytest.raises(EngineOptionError, match="ocr='abbyy': input should be 'rapidocr'"):
        docvlm.get_engine("native", ocr="abbyy")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.50", 1234.5),
        ("1.234,50", 1234.5),
        ("RM9.00", 9.0),
        ("(3.00)", -3.0),
        ("€ 12,5", 12.5),
        ("n/a", None),
    ],
)
def test_amounts(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14/03/20185:57:07PM", dt.date(2018, 3, 14)),
        ("2018-03-20", dt.date(2018, 3, 20)),
        ("5 Mar 2018", dt.date(2018, 3, 5)),
        ("Date: 12.3.18", dt.date(2018, 3, 12)),
        ("31/02/2018", None),
        ("no date", None),
    ],
)
def test_dates(text, value):
    assert parse_date(text) == value


def _page_with_picture(picture: tuple[float, float, float, float], words: list[str]) -> Document:
    """An A4 page: a grey picture at ``picture`` and one line of text per entry of ``words``."""
    import pymupdf
    from PIL import Image

    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    png = io.BytesIO()
    Image.new("RGB", (40, 40), (128, 128, 128)).save(png, format="PNG")
    page.insert_image(pymupdf.Rect(picture), stream=png.getvalue(), keep_proportion=False)
    for n, text in enumerate(words):
        page.insert_text((72, 40 + 14 * n if n < 2 else 800 - 14 * n), text, fontsize=10)
    return Document.open(document.tobytes(), name="figure.pdf")


def test_a_figure_within_the_margins_leaves_the_text_layer_usable():
    caption = ["Healthy Students Healthy Lives", "_" * 40, "Figure 3.6: Illnesses by gender"]
    figure = _page_with_picture((72, 80, 520, 700), caption)  # 71% of the page
    assert ocr.has_usable_text(figure.page(1))
    scan = _page_with_picture((0, 0, 595, 842), caption)  # a scanned sheet, a few stray words
    assert not ocr.has_usable_text(scan.page(1))
    # A rule typed as underscores is not garbage: a title page stays a text page.
    assert ocr.has_usable_text(_page_with_picture((0, 0, 1, 1), ["_" * 60, "Appendix 1"]).page(1))
    assert not ocr.has_usable_text(
        _page_with_picture((0, 0, 1, 1), ["#%& ^*~ $@!", "?? ,,"]).page(1)
    )
