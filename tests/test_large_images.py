"""Large images are decoded and read at the resolution the reader needs, and images that
do not state their resolution are read at their own pixels, not enlarged as 72 dpi."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm import Document, ocr
from docvlm.raster import PymupdfRasteriser


def _pattern(width: int, height: int) -> Image.Image:
    """Smooth colour ramps with a few dark bands: resampling any way gives near one result."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    pixels = np.stack(
        [np.broadcast_to(x, (height, width)), np.broadcast_to(y, (height, width)), (x + y) / 2],
        axis=-1,
    ).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    for i in range(1, 5):
        draw.rectangle([0, i * height // 5 - height // 40, width, i * height // 5], fill="black")
    return image


@pytest.mark.parametrize(
    ("suffix", "decoded"),
    [(".png", (2000, 1334)), (".jpg", (1500, 1000))],  # JPEG: decoded at 1/2, then halved
)
def test_a_large_image_is_decoded_shrunk_by_a_whole_factor(tmp_path, suffix, decoded):
    path = tmp_path / f"big{suffix}"
    _pattern(6000, 4000).save(path)
    page = Document.open(path).page(1)
    assert page.pixel_size == (6000, 4000) and page.image().size == (6000, 4000)
    small = page.image(4_000_000)
    assert small.size == decoded and small.width * small.height <= 4_000_000
    reference = np.asarray(page.image().resize(decoded, Image.Resampling.BOX), dtype=np.float32)
    assert np.abs(np.asarray(small, dtype=np.float32) - reference).mean() < 3.0


def test_an_image_rendered_far_below_its_resolution_matches_a_full_decode(tmp_path):
    path = tmp_path / "big.png"
    full = _pattern(4000, 3000)
    full.save(path)  # no resolution stated: 72 dpi, a page of 4000 x 3000 points
    page = Document.open(path).page(1)
    rendered = PymupdfRasteriser().render(page, 30)  # decoded at half size first
    assert rendered.size == (1667, 1250)
    reference = full.resize(rendered.size, Image.Resampling.LANCZOS)
    difference = np.abs(np.asarray(rendered, np.float32) - np.asarray(reference, np.float32))
    assert difference.mean() < 2.0


@pytest.mark.parametrize(
    ("size", "dpi", "read"),
    [
        ((2000, 1500), None, (2000, 1500)),  # its own pixels (was 4167 x 3125, as 72 -> 150 dpi)
        ((1000, 700), None, (1500, 1050)),  # small: enlarged until its long side is 1,500
        ((600, 400), None, (1250, 833)),  # enlarged at most as 72 -> 150 dpi
        ((1000, 700), 300, (500, 350)),  # a stated resolution: read at 150 dpi
        ((5000, 4000), None, (3873, 3098)),  # 20 MP: read at 12 MP
    ],
)
def test_ocr_reads_images_at_their_own_pixels_unless_small(tmp_path, monkeypatch, size, dpi, read):
    path = tmp_path / "page.png"
    Image.new("RGB", size, "white").save(path, **({"dpi": (dpi, dpi)} if dpi else {}))
    sizes = []

    def reader(image, backend, labels=False):
        sizes.append(image.size)
        return 0, []

    monkeypatch.setattr(ocr, "read_image", reader)
    page = Document.open(path).page(1)
    assert page.image_dpi_stated is (dpi is not None)
    frame = ocr.ocr_page(page, "rapidocr")
    assert sizes == [read] and frame.words == ()
    ocr.ocr_page(page, "rapidocr")  # read once per page: the engine and grounding share it
    assert len(sizes) == 1


def _bar_chart(width: int, height: int) -> Image.Image:
    """A bar chart drawn in proportion to its size (text, lines and bars grow with it)."""
    unit = height / 1000
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=round(22 * unit))
    left, right, top, bottom = 150 * unit, 1280 * unit, 120 * unit, 860 * unit
    draw.text((width / 2, 50 * unit), "Sales by region", fill="black", font=font, anchor="mm")
    for tick in range(0, 36, 5):
        y = bottom - (bottom - top) * tick / 35
        draw.line([(left, y), (right, y)], fill=(220, 220, 220), width=round(2 * unit))
        draw.text((left - 15 * unit, y), str(tick), fill="black", font=font, anchor="rm")
    draw.line([(left, bottom), (right, bottom)], fill="black", width=round(2 * unit))
    slot = (right - left) / len(BARS)
    for i, ((name, value), colour) in enumerate(zip(BARS.items(), COLOURS, strict=True)):
        x0, x1 = left + slot * (i + 0.2), left + slot * (i + 0.8)
        draw.rectangle([x0, bottom - (bottom - top) * value / 35, x1, bottom], fill=colour)
        draw.text(((x0 + x1) / 2, bottom + 30 * unit), name, fill="black", font=font, anchor="mm")
    return image


BARS = {"North": 12.0, "South": 30.0, "East": 22.0, "West": 8.0}
COLOURS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40)]


@pytest.mark.slow
def test_a_12_megapixel_chart_without_resolution_reads_like_a_small_one(tmp_path):
    # 72 dpi makes it a page of 4000 x 3000 points; its axis line is 6 points thick.
    path = tmp_path / "chart.png"
    _bar_chart(4000, 3000).save(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and result.errors == []
    (chart,) = result.records
    read = {p.x: p.y for s in chart.series for p in s.points}
    assert read.keys() == BARS.keys()
    assert all(read[name] == pytest.approx(value, abs=0.35) for name, value in BARS.items())
    (where,) = result.provenance
    assert where.regions[0].bbox[2] > 3000  # the plot's box is in the page's own points
