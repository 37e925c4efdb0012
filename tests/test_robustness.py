"""Nothing a reader meets, or makes, loses a page: empty OCR, odd image shapes, records
that break their schema's bounds, and damaged files of every kind."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm import EngineUnavailableError, ocr

BACKENDS = ["rapidocr", "tesseract"]


def _backend(name: str) -> str:
    try:
        ocr.get_backend(name)
    except EngineUnavailableError as exc:
        pytest.skip(str(exc))
    return name


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("size", [(400, 300), (8, 8), (2100, 10)])
def test_ocr_of_an_image_without_text_is_empty_not_an_error(backend, size):
    rotation, words = ocr.read_image(Image.new("RGB", size, "white"), _backend(backend))
    assert (rotation, words) == (0, [])


@pytest.mark.parametrize("backend", BACKENDS)
def test_ocr_reads_a_long_thin_strip(backend):
    strip = Image.new("RGB", (3000, 40), "white")
    font = ImageFont.load_default(size=28)
    ImageDraw.Draw(strip).text((10, 4), "TOTAL AMOUNT 1320.00", fill="black", font=font)
    _, words = ocr.read_image(strip, _backend(backend))
    assert "1320.00" in [w.text for w in words]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_blank_scan_is_an_empty_page(tmp_path, backend):
    path = tmp_path / "blank.png"
    Image.new("RGB", (400, 300), "white").save(path)
    engine = docvlm.get_engine("native", ocr=_backend(backend))
    result = docvlm.extract(path, schema="keyvalues", engine=engine)
    assert result.status == "empty" and result.errors == []


def test_rapidocr_logs_nothing_on_standard_error(tmp_path):
    blank, text = tmp_path / "blank.png", tmp_path / "text.png"
    Image.new("RGB", (400, 300), "white").save(blank)
    image = Image.new("RGB", (600, 120), "white")
    ImageDraw.Draw(image).text(
        (10, 30), "Total: 12.50", fill="black", font=ImageFont.load_default(40)
    )
    image.save(text)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "docvlm.cli",
            "extract",
            "-s",
            "keyvalues",
            "--no-progress",
            str(blank),
            str(text),
        ],
        capture_output=True,
        text=True,
    )
    lines = done.stderr.splitlines()
    assert lines == [
        f"docvlm: {blank}: no keyvalues found on page 1 (no text layer, and OCR "
        "(rapidocr) read no words)"
    ], done.stderr
