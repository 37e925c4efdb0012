"""OCR of chart text: short labels read as printed, wherever a chart prints them."""

from __future__ import annotations

import pytest
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

from docvlm import OcrUnavailableError, ocr

SHORT_LABELS = ["90%", "Süd", "9,060", "60%", "Nord", "Ost", "6", "9"]


@pytest.fixture(scope="module")
def rapidocr() -> str:
    try:
        ocr.get_backend("rapidocr")
    except OcrUnavailableError as exc:
        pytest.skip(str(exc))
    return "rapidocr"


def _label_row(labels: list[str], size: int = 16) -> Image.Image:
    image = Image.new("RGB", (80 * len(labels) + 20, 60), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size)  # matplotlib's
    for n, label in enumerate(labels):
        draw.text((10 + 80 * n, 20), label, fill="black", font=font)
    return image


def test_short_upright_labels_are_not_read_upside_down(rapidocr):
    """A text-direction classifier turns short words ('Süd' read as 'pnS'); upright
    labels are read as printed."""
    image = _label_row(SHORT_LABELS)
    words = ocr.get_backend(rapidocr).read(image)
    assert [w.text for w in words] == SHORT_LABELS
