"""A page drawn with what was read on it: each record's region and each value's box,
coloured by how the value was matched, so a person can check a result at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw

from docvlm.document import Page
from docvlm.raster import PymupdfRasteriser
from docvlm.result import ExtractedRecord

OVERLAY_DPI = 100.0
RECORD_COLOUR = (37, 99, 235)
STATUS_COLOURS = {
    "exact": (22, 163, 74),
    "normalised": (13, 148, 136),
    "geometry": (147, 51, 234),
    "fuzzy": (234, 88, 12),
}


def draw_page(
    page: Page, items: Sequence[ExtractedRecord], dpi: float = OVERLAY_DPI
) -> Image.Image:
    """``page`` rendered at ``dpi`` with the regions of ``items`` that lie on it (blue,
    numbered), the boxes of their values (green exact, teal normalised, purple geometry,
    orange fuzzy), and how many of each record's values were not found."""
    image = PymupdfRasteriser().render(page, dpi).convert("RGB")
    canvas = ImageDraw.Draw(image)
    scale = dpi / 72.0
    for number, item in enumerate(items, 1):
        for f in item.provenance.fields:
            if f.page == page.number and f.bbox is not None and f.status in STATUS_COLOURS:
                canvas.rectangle([v * scale for v in f.bbox], outline=STATUS_COLOURS[f.status])
        for region in item.provenance.regions:
            if region.page != page.number or region.bbox is None:
                continue
            box = [v * scale for v in region.bbox]
            canvas.rectangle(box, outline=RECORD_COLOUR, width=3)
            missing = sum(
                f.status == "not_found" and f.page == page.number for f in item.provenance.fields
            )
            label = f"#{number} {item.schema_name}"
            if item.provenance.confidence is not None:
                label += f" {item.provenance.confidence:.2f}"
            if missing:
                label += f", {missing} not found"
            canvas.text((box[0] + 3, max(0.0, box[1] - 12)), label, fill=RECORD_COLOUR)
    return image


def overlay_name(source: str, page: int) -> str:
    """The file an overlay of ``page`` of ``source`` is saved as."""
    return f"{Path(source).stem}-page{page}.png"
