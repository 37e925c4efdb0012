from __future__ import annotations

import shutil

import numpy as np
import pytest

from docvlm import BBox, Document, PageTooLargeError, TileOptions, TilePlan
from docvlm.raster import Pdf2imageRasteriser, PymupdfRasteriser, get_rasteriser

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")


def dark_box(image) -> tuple[int, int, int, int]:
    """Bounding box of the dark pixels of an image."""
    pixels = np.asarray(image.convert("L")) < 200
    ys, xs = np.nonzero(pixels)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def test_pymupdf_renders_the_page_at_the_dpi(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    image = PymupdfRasteriser().render(page, 72)
    assert image.size == (595, 842) and image.mode == "RGB"
    # The table's outer rules run from (72, 180) to (502, 300) points.
    x0, y0, x1, y1 = dark_box(image.crop((60, 170, 540, 310)))
    # Half-point rules are anti-aliased over the two pixels they straddle.
    assert abs(x0 + 60 - 72) <= 1 and abs(y0 + 170 - 180) <= 1
    assert abs(x1 + 60 - 502) <= 1 and abs(y1 + 170 - 300) <= 1


@needs_poppler
def test_both_rasterisers_agree(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    clip = BBox(60, 170, 540, 310)
    a = np.asarray(PymupdfRasteriser().render(page, 100, clip).convert("L"), dtype=float)
    b = np.asarray(Pdf2imageRasteriser().render(page, 100, clip).convert("L"), dtype=float)
    assert abs(a.shape[0] - b.shape[0]) <= 1 and abs(a.shape[1] - b.shape[1]) <= 1
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    assert np.mean(np.abs(a[:h, :w] - b[:h, :w])) < 12  # same picture, different anti-aliasing


def test_rotated_page_renders_as_displayed(fixtures):
    page = Document.open(fixtures / "rotated.pdf").page(1)
    image = get_rasteriser("pymupdf").render(page, 36)
    assert image.size == (421, 298)


def test_image_page_clip_is_resampled(fixtures):
    page = Document.open(fixtures / "scan.png").page(1)
    image = PymupdfRasteriser().render(page, 120, BBox(0, 0, 297.5, 421))
    assert image.size == (496, 702)


def test_pixel_cap_guards_rendering(fixtures):
    page = Document.open(fixtures / "huge_page.pdf").page(1)
    with pytest.raises(PageTooLargeError, match="over the cap"):
        PymupdfRasteriser().render(page, 150)


def test_unknown_rasteriser():
    with pytest.raises(ValueError, match="pymupdf, pdf2image"):
        get_rasteriser("ghostscript")


def test_tile_options_validate():
    with pytest.raises(ValueError):
        TileOptions(dpi=5)
    with pytest.raises(ValueError):
        TileOptions(tile_size=256, overlap=200)


def test_single_tile_without_a_size(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    plan = TilePlan.for_page(page, TileOptions(dpi=144))
    assert len(plan) == 1
    tile = plan.tiles[0]
    assert tile.bbox == BBox(0, 0, 595, 842)
    assert (tile.pixel_width, tile.pixel_height) == (1190, 1684)


def test_tiles_cover_the_page_with_overlap(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    plan = TilePlan.for_page(page, TileOptions(dpi=150, tile_size=512, overlap=64))
    # 1240 x 1754 px: 3 columns and 4 rows of 512 px tiles.
    assert len(plan) == 12
    assert all((t.pixel_width, t.pixel_height) == (512, 512) for t in plan)
    first, second = plan.tiles[0], plan.tiles[1]
    overlap_px = (first.bbox.x1 - second.bbox.x0) * 150 / 72
    assert overlap_px >= 64
    union = first.bbox
    for tile in plan:
        union = union.union(tile.bbox)
    assert union.x0 == union.y0 == 0
    assert 595 <= union.x1 < 595 + 72 / 150 and 842 <= union.y1 < 842 + 72 / 150


def test_tile_maps_round_trip(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    for tile in TilePlan.for_page(page, TileOptions(dpi=200, tile_size=700, overlap=50)):
        for point in [(0, 0), (13.5, 611.25), (699, 699)]:
            assert tile.to_pixels(*tile.to_page(*point)) == pytest.approx(point)
        box = tile.box_to_page((10.0, 20.0, 110.0, 220.0))
        assert (box.x0, box.y0) == pytest.approx(tile.to_page(10.0, 20.0))
        assert box.width == pytest.approx(100 * 72 / 200)
        a, _, _, d, e, f = tile.matrix
        x, y = 321.0, 45.0
        assert tile.to_page(x, y) == pytest.approx((a * x + e, d * y + f))


def test_tile_pixels_land_on_the_page_words(fixtures):
    """A word's box mapped into a tile's pixels covers that word's ink in the rendered tile."""
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    plan = TilePlan.for_page(page, TileOptions(dpi=150, tile_size=512, overlap=64))
    word = next(w for w in page.words if w.text == "Total")
    tile = next(
        t
        for t in plan
        if t.bbox.contains_point(word.bbox.x0, word.bbox.y0)
        and t.bbox.contains_point(word.bbox.x1, word.bbox.y1)
    )
    image = plan.render(tile, page, PymupdfRasteriser())
    assert image.size == (512, 512)
    x0, y0 = tile.to_pixels(word.bbox.x0, word.bbox.y0)
    x1, y1 = tile.to_pixels(word.bbox.x1, word.bbox.y1)
    ink = dark_box(image.crop((int(x0) - 2, int(y0) - 2, int(x1) + 3, int(y1) + 3)))
    width_px = ink[2] - ink[0]
    assert width_px == pytest.approx(x1 - x0, abs=4)  # the ink spans the mapped word box


def test_enclosing_box():
    boxes = [BBox(10, 20, 30, 40), BBox(5, 25, 15, 50), BBox(12, 18, 28, 22)]
    assert BBox.enclosing(boxes) == BBox(5, 18, 30, 50)
    assert BBox.enclosing(iter(boxes[:1])) == boxes[0]
    with pytest.raises(ValueError, match="no boxes"):
        BBox.enclosing([])
