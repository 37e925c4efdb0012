"""Ruling lines printed in pixels: in a picture under a page's text (scanned forms with a
text layer, bills and statements exported as one image with the text laid over it), and on
scanned pages read by OCR. Their tables are drawn in pixels, so no vector drawing holds
their lines.

The page is rendered in grey and the lines are found with OpenCV's morphological opening
(a long, one-pixel-thin kernel keeps runs of ink at least a rule long and removes text);
each run becomes a drawing of the displayed page, as a vector line would be, and goes to
the same lattice reader (``table_lattice``). A band of ink too thick for a line (a
shaded header bar) is a box: its edges are the lines.
"""

from __future__ import annotations

import cv2
import numpy as np
import pymupdf

from docvlm.document import Drawing, Page
from docvlm.geometry import BBox

# The share of the page's words that must lie over pictures for the pictures to be read.
OVER_PICTURES = 0.5
DPI = 144  # one pixel is half a point: a hairline rule is a pixel or two
INK = 235  # grey levels below this are ink: pale coloured hairlines render near 210
MIN_LINE = 12.0  # points: shorter runs are glyph strokes, ticks or marks
THIN = 2.5  # points: a run this thin is a line; thicker ones are boxes


def under_text(page: Page) -> bool:
    """Whether most of the page's words lie over pictures (and so may be ruled by them)."""
    words = page.words
    if not words:
        return False
    boxes = [box for box in page.pictures if box.width > MIN_LINE and box.height > MIN_LINE]
    if not boxes:
        return False
    over = sum(any(box.contains_point(*w.bbox.center) for box in boxes) for w in words)
    return over >= OVER_PICTURES * len(words)


def picture_rules(page: Page) -> tuple[Drawing, ...]:
    """The ruling lines printed in the page's pictures, as drawings of the displayed page
    (none unless most of its words lie over pictures: see :func:`under_text`)."""
    if not under_text(page):
        return ()
    pixmap = page.pdf_page.get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
    grey = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.width)
    return image_rules(grey, 72.0 / DPI)


def scan_rules(page: Page, rotation: int) -> tuple[Drawing, ...]:
    """The ruling lines of a scanned page turned upright by ``rotation`` degrees
    anticlockwise (as OCR read it), as drawings of the upright page."""
    from docvlm.raster import PymupdfRasteriser

    image = PymupdfRasteriser().render(page, DPI).convert("L")
    if rotation:
        image = image.rotate(rotation, expand=True)
    return image_rules(np.asarray(image), 72.0 / DPI)


def image_rules(grey: np.ndarray, scale: float) -> tuple[Drawing, ...]:
    """The ruling lines of a grey image (``scale`` points a pixel), as drawings."""
    ink = _outlined((grey < INK).astype(np.uint8), round(THIN / scale) + 1)
    length = max(3, round(MIN_LINE / scale))
    drawings: list[Drawing] = []
    for horizontal in (True, False):
        shape = (length, 1) if horizontal else (1, length)
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape)
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        count, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for x, y, w, h, _ in stats[1:count]:
            drawings += _run_drawings(horizontal, x * scale, y * scale, w * scale, h * scale)
    return tuple(drawings)


def _outlined(ink: np.ndarray, thick: int) -> np.ndarray:
    """The ink with its blobs thicker than ``thick`` pixels each way (shaded bars and
    boxes) replaced by their outlines: a bar is two edges, and the thin lines that meet it
    are not one component with it."""
    square = cv2.getStructuringElement(cv2.MORPH_RECT, (thick, thick))
    blobs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, square)
    if not blobs.any():
        return ink
    ring = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    outline = cv2.morphologyEx(blobs, cv2.MORPH_GRADIENT, ring)
    kept = cv2.dilate(blobs, ring) == 0
    return ((ink.astype(bool) & kept) | (outline > 0)).astype(np.uint8)


def _run_drawings(horizontal: bool, x: float, y: float, w: float, h: float) -> list[Drawing]:
    """A run of ink as drawings: a line along its middle when thin, else its two edges
    across the run's direction (the other pass finds the edges along it)."""
    across = h if horizontal else w
    if across <= THIN:
        if horizontal:
            return [_line(x, y + h / 2, x + w, y + h / 2)]
        return [_line(x + w / 2, y, x + w / 2, y + h)]
    if horizontal:
        return [_line(x, y, x + w, y), _line(x, y + h, x + w, y + h)]
    return [_line(x, y, x, y + h), _line(x + w, y, x + w, y + h)]


def _line(x0: float, y0: float, x1: float, y1: float) -> Drawing:
    box = BBox(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return Drawing(box, "stroke", (0.0, 0.0, 0.0), None, 1.0, (("l", (x0, y0), (x1, y1)),))
