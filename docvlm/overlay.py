"""A page drawn with what was read on it: each record's region and each value's box,
coloured by how the value was matched, so a person can check a result at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from docvlm.document import Page
from docvlm.geometry import BBox
from docvlm.provenance import ProvenancedRecord
from docvlm.raster import PymupdfRasteriser

OVERLAY_DPI = 100.0
RECORD_COLOUR = (37, 99, 235)
STATUS_COLOURS = {
    "exact": (22, 163, 74),
    "normalised": (13, 148, 136),
    "geometry": (147, 51, 234),
    "fuzzy": (234, 88, 12),
}


RECORD_PAD = 4.0  # points left between a record's content and its frame
VALUE_PAD = 1  # pixels left between a value's glyphs and its box
TAB_ALPHA = 200  # opacity of the tab behind a label (0-255)
LABEL_PX = 11.0  # a label's text height at OVERLAY_DPI; it scales with the dpi, from 7 px


def _label_font(dpi: float) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:  # Pillow's built-in font at a size, when Pillow has FreeType
        return ImageFont.load_default(size=max(7.0, LABEL_PX * dpi / OVERLAY_DPI))
    except (ImportError, OSError):
        return ImageFont.load_default()


def _label_place(
    frame: list[float], size: tuple[float, float], image: Image.Image
) -> tuple[float, float]:
    """Where a label goes: above the frame, else below it, else inside its top-left corner
    (on a translucent tab)."""
    width, height = size
    x = min(max(0.0, frame[0]), max(0.0, image.width - width))
    if frame[1] - height - 1 >= 0:
        return x, frame[1] - height - 1
    if frame[3] + height + 1 <= image.height:
        return x, frame[3] + 1
    return x, frame[1] + 1


def draw_page(
    page: Page, items: Sequence[ProvenancedRecord], dpi: float = OVERLAY_DPI
) -> Image.Image:
    """``page`` rendered at ``dpi`` with the regions of ``items`` that lie on it (blue,
    numbered; a record's one region on the page enlarged to the values read around it),
    the boxes of their values (green exact, teal normalised, purple geometry, orange
    fuzzy), and how many of each record's values were not found.

    Nothing is drawn over the page's text: a record's frame lies ``RECORD_PAD`` points
    outside its content, a value's box a pixel outside its glyphs, and a record's label
    above its frame (below it, or inside on a translucent tab, when there is no room)."""
    image = PymupdfRasteriser().render(page, dpi).convert("RGB")
    canvas = ImageDraw.Draw(image)
    tabs = Image.new("RGBA", image.size, (0, 0, 0, 0))
    tab_canvas = ImageDraw.Draw(tabs)
    labels = []
    font = _label_font(dpi)
    scale = dpi / 72.0
    line = max(1, round(dpi / 36))
    pad = RECORD_PAD * scale
    for number, item in enumerate(items, 1):
        for f in item.provenance.fields:
            if f.page == page.number and f.bbox is not None and f.status in STATUS_COLOURS:
                x0, y0, x1, y1 = (v * scale for v in f.bbox)
                box = [x0 - VALUE_PAD - 1, y0 - VALUE_PAD - 1, x1 + VALUE_PAD, y1 + VALUE_PAD]
                canvas.rectangle(box, outline=STATUS_COLOURS[f.status])
        regions = [r.bbox for r in item.provenance.regions if r.page == page.number and r.bbox]
        if len(regions) == 1:  # the frame holds the values read outside it (a chart's title)
            boxes = [f.bbox for f in item.provenance.fields if f.page == page.number and f.bbox]
            regions = [BBox.enclosing(BBox(*b) for b in [*regions, *boxes]).as_tuple()]
        for region in regions:
            x0, y0, x1, y1 = (v * scale for v in region)
            # Pillow draws a wide outline inwards from the rectangle given: grow it so the
            # whole line lies outside the padding.
            grow = pad + line
            frame = [x0 - grow, y0 - grow, x1 + grow, y1 + grow]
            canvas.rectangle(frame, outline=RECORD_COLOUR, width=line)
            missing = sum(
                f.status == "not_found" and f.page == page.number for f in item.provenance.fields
            )
            label = f"#{number} {item.schema_name}"
            if item.provenance.confidence is not None:
                label += f" {item.provenance.confidence:.2f}"
            if missing:
                label += f", {missing} not found"
            left, top, right, bottom = canvas.textbbox((0, 0), label, font=font)
            size = (right - left + 4, bottom - top + 3)
            x, y = _label_place(frame, size, image)
            tab_canvas.rectangle([x, y, x + size[0], y + size[1]], fill=(255, 255, 255, TAB_ALPHA))
            labels.append(((x + 2 - left, y + 1 - top), label))
    image = Image.alpha_composite(image.convert("RGBA"), tabs).convert("RGB")
    canvas = ImageDraw.Draw(image)
    for place, label in labels:
        canvas.text(place, label, fill=RECORD_COLOUR, font=font)
    return image


def overlay_name(source: str, page: int) -> str:
    """The file an overlay of ``page`` of ``source`` is saved as."""
    return f"{Path(source).stem}-page{page}.png"
