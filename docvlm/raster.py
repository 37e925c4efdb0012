"""Rasterisers: turn a page (or a clip of it) into a Pillow image at a given DPI.

Two implementations behind one interface: pymupdf (the default, renders only the clip)
and pdf2image/poppler (renders the whole page, then crops; the last page is kept so the
tiles of one page cost one render). Image pages are resampled from their own pixels.
"""

from __future__ import annotations

import shutil
from typing import Protocol

import pymupdf
from PIL import Image

from docvlm.document import MAX_IMAGE_PIXELS, Page
from docvlm.errors import PageTooLargeError, RasterError
from docvlm.geometry import BBox

# Rendering more pixels than this in one image is refused (the same cap as for images).
MAX_RASTER_PIXELS = MAX_IMAGE_PIXELS


class Rasteriser(Protocol):
    name: str

    def render(self, page: Page, dpi: float, clip: BBox | None = None) -> Image.Image:
        """Render ``clip`` (page points; the whole page when None) at ``dpi``, as RGB."""
        ...


def check_pixel_budget(page: Page, dpi: float, clip: BBox) -> tuple[int, int]:
    """The pixel size of ``clip`` at ``dpi``; raises PageTooLargeError above the cap."""
    width = max(1, round(clip.width * dpi / 72))
    height = max(1, round(clip.height * dpi / 72))
    if width * height > MAX_RASTER_PIXELS:
        raise PageTooLargeError(
            f"page {page.number} at {dpi:g} DPI would be {width}x{height} pixels, over the cap "
            f"of {MAX_RASTER_PIXELS:,}; lower the DPI or tile the page",
            page.document.name,
        )
    return width, height


def _render_image_page(page: Page, dpi: float, clip: BBox) -> Image.Image:
    """Crop and resample an image page; its points map to pixels by its own DPI. An image
    far finer than ``dpi`` is decoded shrunk (to twice the resolution asked for), so a
    40-megapixel photo read at 150 DPI never sits in memory whole."""
    width, height = check_pixel_budget(page, dpi, clip)
    assert page.pixel_size is not None
    full_width, full_height = page.pixel_size
    ratio = dpi / page.image_dpi  # output pixels per pixel of the image
    needed = int(full_width * full_height * (2 * ratio) ** 2) if ratio < 0.5 else None
    image = page.image(needed)
    sx = image.width / full_width * page.image_dpi / 72  # decoded pixels per point
    sy = image.height / full_height * page.image_dpi / 72
    box = (clip.x0 * sx, clip.y0 * sy, clip.x1 * sx, clip.y1 * sy)
    if image.mode != "RGB":
        image = image.convert("RGB")
    return image.resize(
        (width, height),
        Image.Resampling.LANCZOS,
        box=box,
        reducing_gap=3.0 if needed else None,
    )


class PymupdfRasteriser:
    """Render with pymupdf (MuPDF): fast, and renders only the requested clip."""

    name = "pymupdf"

    def render(self, page: Page, dpi: float, clip: BBox | None = None) -> Image.Image:
        clip = clip or page.bbox
        if page.document.kind == "image":
            return _render_image_page(page, dpi, clip)
        check_pixel_budget(page, dpi, clip)
        # MuPDF rounds the clip outwards to whole pixels: nudge it inwards by a hair so a
        # clip on exact pixel edges is not widened by float noise.
        eps = 0.01 * 72 / dpi
        rect = pymupdf.Rect(clip.x0 + eps, clip.y0 + eps, clip.x1 - eps, clip.y1 - eps)
        matrix = pymupdf.Matrix(dpi / 72, dpi / 72)
        pixmap = page.pdf_page.get_pixmap(matrix=matrix, clip=rect, alpha=False)
        return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


class Pdf2imageRasteriser:
    """Render with poppler through pdf2image (needs ``pdftoppm`` from poppler-utils)."""

    name = "pdf2image"

    def __init__(self) -> None:
        if shutil.which("pdftoppm") is None:
            raise RasterError(
                "the pdf2image rasteriser needs poppler's pdftoppm: install poppler-utils "
                "(apt-get install poppler-utils) or use the pymupdf rasteriser"
            )
        self._last: tuple[int, int, float, Image.Image] | None = None

    def render(self, page: Page, dpi: float, clip: BBox | None = None) -> Image.Image:
        clip = clip or page.bbox
        if page.document.kind == "image":
            return _render_image_page(page, dpi, clip)
        check_pixel_budget(page, dpi, page.bbox)
        full = self._full_page(page, dpi)
        scale_x, scale_y = full.width / page.width, full.height / page.height
        box = (
            round(clip.x0 * scale_x),
            round(clip.y0 * scale_y),
            round(clip.x1 * scale_x),
            round(clip.y1 * scale_y),
        )
        return full.crop(box)

    def _full_page(self, page: Page, dpi: float) -> Image.Image:
        key = (id(page.document), page.index, dpi)
        if self._last is not None and self._last[:3] == key:
            return self._last[3]
        from pdf2image import convert_from_bytes

        data = page.document.pdf_bytes()
        image = convert_from_bytes(
            data,
            dpi=round(dpi),
            first_page=page.number,
            last_page=page.number,
            userpw=page.document.password or "",
        )[0].convert("RGB")
        self._last = (*key, image)
        return image


RASTERISERS: dict[str, type[PymupdfRasteriser] | type[Pdf2imageRasteriser]] = {
    "pymupdf": PymupdfRasteriser,
    "pdf2image": Pdf2imageRasteriser,
}


def get_rasteriser(name: str = "pymupdf") -> Rasteriser:
    try:
        factory = RASTERISERS[name]
    except KeyError:
        raise ValueError(
            f"unknown rasteriser {name!r}; choose one of {', '.join(RASTERISERS)}"
        ) from None
    return factory()
