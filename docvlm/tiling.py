"""Tile plans: how a page is cut into overlapping tiles at a given DPI.

Every tile carries the exact affine map between its pixels and page points, so whatever an
engine reports in tile pixels lands on the right spot of the page, and back.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from PIL import Image

from docvlm.document import Page
from docvlm.geometry import BBox
from docvlm.raster import Rasteriser, check_pixel_budget


@dataclass(frozen=True)
class TileOptions:
    """How pages are rasterised and tiled.

    ``tile_size`` is the side of a square tile in pixels; ``None`` takes the engine's
    preferred input size, or the whole page when the engine states none. ``overlap`` is in
    pixels, shared by neighbouring tiles so a line cut by one edge is whole in the other.
    """

    dpi: float = 150.0
    tile_size: int | None = None
    overlap: int = 64
    rasteriser: str = "pymupdf"

    def __post_init__(self) -> None:
        if not 10 <= self.dpi <= 1200:
            raise ValueError(f"dpi must be between 10 and 1200, got {self.dpi}")
        if self.tile_size is not None and self.tile_size < 64:
            raise ValueError(f"tile_size must be at least 64 pixels, got {self.tile_size}")
        if self.overlap < 0 or (self.tile_size is not None and self.overlap >= self.tile_size // 2):
            raise ValueError(
                f"overlap must be >= 0 and under half the tile size, got {self.overlap}"
            )


@dataclass(frozen=True)
class Tile:
    """A rectangle of a page, in points and in pixels at the plan's DPI."""

    page_number: int
    index: int
    bbox: BBox  # page points
    dpi: float
    pixel_width: int
    pixel_height: int

    @property
    def scale(self) -> float:
        """Points per pixel."""
        return 72.0 / self.dpi

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """Map a point in tile pixels to page points."""
        return (self.bbox.x0 + x * self.scale, self.bbox.y0 + y * self.scale)

    def to_pixels(self, x: float, y: float) -> tuple[float, float]:
        """Map a point in page points to tile pixels."""
        return ((x - self.bbox.x0) / self.scale, (y - self.bbox.y0) / self.scale)

    def box_to_page(self, box: tuple[float, float, float, float]) -> BBox:
        x0, y0 = self.to_page(box[0], box[1])
        x1, y1 = self.to_page(box[2], box[3])
        return BBox(x0, y0, x1, y1)

    @property
    def matrix(self) -> tuple[float, float, float, float, float, float]:
        """The pixel-to-page affine map as ``(a, b, c, d, e, f)``: x' = a·x + e, y' = d·y + f."""
        return (self.scale, 0.0, 0.0, self.scale, self.bbox.x0, self.bbox.y0)


@dataclass(frozen=True)
class TilePlan:
    """The tiles of one page, in reading order (rows top to bottom, left to right)."""

    page_number: int
    dpi: float
    tiles: tuple[Tile, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.tiles)

    def __iter__(self) -> Iterator[Tile]:
        return iter(self.tiles)

    @classmethod
    def for_page(
        cls, page: Page, options: TileOptions | None = None, preferred_size: int | None = None
    ) -> TilePlan:
        """Plan the tiles of ``page``; ``preferred_size`` is the engine's input size in pixels."""
        options = options or TileOptions()
        size = options.tile_size or preferred_size
        width_px = page.width * options.dpi / 72
        height_px = page.height * options.dpi / 72
        overlap = min(options.overlap, (size or 0) // 4)
        xs = _spans(width_px, size, overlap)
        ys = _spans(height_px, size, overlap)
        tiles: list[Tile] = []
        for y0, y1 in ys:
            for x0, x1 in xs:
                bbox = BBox(*(v * 72 / options.dpi for v in (x0, y0, x1, y1)))
                tiles.append(
                    Tile(page.number, len(tiles), bbox, options.dpi, round(x1 - x0), round(y1 - y0))
                )
        return cls(page.number, options.dpi, tuple(tiles))

    @classmethod
    def whole_page(cls, page: Page, dpi: float = 150.0) -> TilePlan:
        """One tile covering the page (engines that read whole pages)."""
        return cls.for_page(page, TileOptions(dpi=dpi), None)

    def render(self, tile: Tile, page: Page, rasteriser: Rasteriser) -> Image.Image:
        """The tile's image, exactly ``pixel_width`` x ``pixel_height`` pixels."""
        check_pixel_budget(page, tile.dpi, tile.bbox)
        image = rasteriser.render(page, tile.dpi, tile.bbox)
        size = (tile.pixel_width, tile.pixel_height)
        # Renderers may round a clip edge the other way; the map is defined by the tile.
        return image if image.size == size else image.crop((0, 0, *size))


def _spans(length: float, size: int | None, overlap: int) -> list[tuple[float, float]]:
    """Cut ``length`` pixels into spans of ``size`` that overlap by at least ``overlap``."""
    if size is None or length <= size:
        return [(0.0, length)]
    length = math.ceil(length)  # the last tile may reach a fraction of a pixel past the page
    count = math.ceil((length - overlap) / (size - overlap))
    step = (length - size) / (count - 1)
    # Whole-pixel origins keep every tile on the rasteriser's pixel grid.
    starts = [float(math.floor(i * step)) for i in range(count)]
    return [(start, start + size) for start in starts]
