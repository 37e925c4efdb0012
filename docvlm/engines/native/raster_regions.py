"""Several charts in one image (a dashboard, a scanned report page): each read in its own
block, with its own axes and legend, instead of all marks against one set of labels.

Charts on a page are set apart by blank bands across the page; the image is cut along the
widest such band, again and again (an XY cut), and the blocks large enough for a chart are
read one by one. Smaller blocks (a title, a legend beside the plot, a note) join the
nearest large one. An image without two large blocks is read whole, as one chart.

A blank band may also run across one chart: between the bar groups of a chart drawn without
a frame or an axis line on that side. A block then holds bars without their axis, and is not
read; where one is not, the image is read whole as well, and the whole kept where it reads
as many points as the blocks together.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PIL import Image

from docvlm.document import Word
from docvlm.engines.native.charts import (
    FoundChart,
    NoChart,
    on_printed_values,
    parts_or_whole,
    unread_note,
)
from docvlm.engines.native.marks import Color
from docvlm.engines.native.raster_charts import NO_MARKS, Reread, find_raster_charts
from docvlm.geometry import BBox
from docvlm.label_slips import mended_labels
from docvlm.ocr_regions import read_on_fill, read_region

Block = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, end exclusive

SIDE = 600  # pixels: the long side the image is cut at
INK = 235  # grey levels below this are not blank page
GUTTER = 0.04  # a blank band this share of the image's side, at least, parts two blocks
MIN_GUTTER = 12  # pixels at SIDE
MIN_WIDTH, MIN_HEIGHT = 0.25, 0.2  # shares of the image's sides: large enough for a chart
MIN_PIXELS = (150, 120)  # a chart's block is at least this many of the image's own pixels
PEER = 0.25  # a chart's block is at least this share of the largest block (not a legend)
NEAR = 3.0  # gutters: a small block this close to a chart's is its title or legend
DEPTH = 4


def chart_blocks(image: Image.Image) -> list[Block]:
    """The blocks of the image that each hold a chart (in the image's pixels), with the
    small blocks beside them joined in; none unless there are two or more."""
    factor = min(1.0, SIDE / max(image.size))
    small = image.convert("L").resize(
        (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    )
    ink = np.asarray(small) < INK
    leaves = [b for b in _cut(ink, (0, 0, ink.shape[1], ink.shape[0]), DEPTH) if b]
    large = [b for b in leaves if _large(b, ink.shape, factor)]
    biggest = max((_area(b) for b in large), default=0)
    large = [b for b in large if _area(b) >= PEER * biggest]
    if len(large) < 2:
        return []
    grown = {b: b for b in large}
    near = NEAR * max(MIN_GUTTER, GUTTER * max(ink.shape))
    for leaf in leaves:
        if leaf in grown:
            continue
        home = min(large, key=lambda b: _gap(b, leaf))
        if _gap(home, leaf) <= near:  # a title or legend; farther text is not the chart's
            grown[home] = _union(grown[home], leaf)
    return [tuple(round(v / factor) for v in grown[b]) for b in large]  # type: ignore[misc]


def read_image_charts(
    image: Image.Image,
    words: tuple[Word, ...],
    points_per_pixel: float,
    reread: Reread | None,
) -> list[FoundChart]:
    """The charts of an image: one per block where it holds several (see the module's
    docstring), else the one chart of the whole image. Raises :class:`NoChart` why none."""
    blocks = chart_blocks(image)
    if not blocks:
        return find_raster_charts(image, words, points_per_pixel, reread)
    try:
        found, unread = read_blocks(image, blocks, words, points_per_pixel, reread)
    except NoChart:
        found, unread = [], []
    if found and not unread and not on_printed_values(found):
        return found
    return parts_or_whole(
        found, unread, lambda: find_raster_charts(image, words, points_per_pixel, reread)
    )


def read_blocks(
    image: Image.Image,
    blocks: list[Block],
    words: tuple[Word, ...],
    points_per_pixel: float,
    reread: Reread | None,
) -> tuple[list[FoundChart], list[str]]:
    """The chart of each block (boxes in the whole image's points), and a note for each
    block with marks but no chart. Raises :class:`NoChart` when no block has one."""
    found: list[FoundChart] = []
    unread: list[str] = []
    failure: NoChart | None = None
    for block in blocks:
        box = BBox(*block).scaled(points_per_pixel)
        dx, dy = box.x0, box.y0  # the block's origin in the image
        inside = tuple(_moved(w, -dx, -dy) for w in words if box.contains_point(*w.bbox.center))
        try:
            charts = find_raster_charts(
                image.crop(block), inside, points_per_pixel, _moved_reread(reread, dx, dy)
            )
        except NoChart as exc:
            failure = failure or exc
            if str(exc) != NO_MARKS:
                unread.append(unread_note(box, exc))
            continue
        found += [replace(c, bbox=c.bbox.shifted(dx, dy)) for c in charts]
    if not found:
        raise failure or NoChart(NO_MARKS)
    return found, unread


def _cut(ink: np.ndarray, block: Block, depth: int) -> list[Block]:
    """The leaves of an XY cut of ``block``: each trimmed to its ink, split at its widest
    blank band across (rows or columns) while one is wide enough."""
    x0, y0, x1, y1 = block
    area = ink[y0:y1, x0:x1]
    rows, cols = np.flatnonzero(area.any(axis=1)), np.flatnonzero(area.any(axis=0))
    if not len(rows):
        return []
    x0, x1, y0, y1 = x0 + cols[0], x0 + cols[-1] + 1, y0 + rows[0], y0 + rows[-1] + 1
    if depth == 0:
        return [(x0, y0, x1, y1)]
    area = ink[y0:y1, x0:x1]
    across = _widest_blank(np.any(area, axis=1))  # a band of blank rows
    down = _widest_blank(np.any(area, axis=0))
    need = max(MIN_GUTTER, GUTTER * max(ink.shape))
    if max(across[1], down[1]) < need:
        return [(x0, y0, x1, y1)]
    if across[1] >= down[1]:
        middle = y0 + across[0]
        first, second = (x0, y0, x1, middle), (x0, middle, x1, y1)
    else:
        middle = x0 + down[0]
        first, second = (x0, y0, middle, y1), (middle, y0, x1, y1)
    return _cut(ink, first, depth - 1) + _cut(ink, second, depth - 1)


def _widest_blank(filled: np.ndarray | np.bool_) -> tuple[int, int]:
    """The middle and length of the longest run of False in ``filled`` (0, 0 if none)."""
    best, start = (0, 0), None
    for i, value in enumerate([*np.atleast_1d(filled).tolist(), True]):
        if not value and start is None:
            start = i
        elif value and start is not None:
            if i - start > best[1]:
                best = ((start + i) // 2, i - start)
            start = None
    return best


def _large(block: Block, shape: tuple[int, ...], factor: float) -> bool:
    """Whether a block is large enough to be a chart: a share of the image, and enough
    pixels of the image itself for axes, marks and labels."""
    width, height = block[2] - block[0], block[3] - block[1]
    return (
        width >= MIN_WIDTH * shape[1]
        and height >= MIN_HEIGHT * shape[0]
        and width >= MIN_PIXELS[0] * factor
        and height >= MIN_PIXELS[1] * factor
    )


def _area(block: Block) -> int:
    return (block[2] - block[0]) * (block[3] - block[1])


def _gap(a: Block, b: Block) -> float:
    dx = max(a[0] - b[2], 0, b[0] - a[2])
    dy = max(a[1] - b[3], 0, b[1] - a[3])
    return float(np.hypot(dx, dy))


def _union(a: Block, b: Block) -> Block:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _moved(word: Word, dx: float, dy: float) -> Word:
    return replace(word, bbox=word.bbox.shifted(dx, dy))


def _moved_reread(reread: Reread | None, dx: float, dy: float) -> Reread | None:
    """``reread`` for a block whose origin is (dx, dy) in the image: boxes given and words
    returned in the block's points."""
    if reread is None:
        return None
    base = reread

    def within(box: BBox, text_height: float, fill: Color | None = None) -> list[Word]:
        return [_moved(w, -dx, -dy) for w in base(box.shifted(dx, dy), text_height, fill)]

    return within


def region_reader(image: Image.Image, scale: float, backend: str) -> Reread:
    """Reads a region of a chart image again, enlarged (boxes in points; ``scale``: points
    a pixel)."""

    def reread(box: BBox, text_height: float, fill: Color | None = None) -> list[Word]:
        pixels = (
            int(box.x0 / scale),
            int(box.y0 / scale),
            int(box.x1 / scale),
            int(box.y1 / scale),
        )
        text_px = text_height / scale
        read = (
            read_region(image, pixels, backend, text_px)
            if fill is None
            else read_on_fill(image, pixels, fill, backend, text_px)
        )
        words = tuple(
            Word(word.text, BBox(*word.box).scaled(scale), angle=word.angle) for word in read
        )
        return list(mended_labels(words, image, scale, backend)) if fill is None else list(words)

    return reread
