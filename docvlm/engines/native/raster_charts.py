"""Raster charts (PNG/JPEG, scanned pages): the image cut into background, rules and
coloured marks (see :mod:`~docvlm.engines.native.segmentation`), axes calibrated on the
tick labels' words (OCR'd, or a PDF's own text), values read from pixel positions.

The marks become the same shapes the vector reader uses (bars, points, lines, areas), so
both share one calibration and one reading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import FoundChart, NoChart, chart_from_marks, found_pie
from docvlm.engines.native.labels import merge_line_words
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import SWATCH, Mark
from docvlm.engines.native.raster_pies import find_pie
from docvlm.engines.native.segmentation import (
    Piece,
    find_backgrounds,
    ink_chroma,
    segment,
    to_lab,
)
from docvlm.geometry import BBox

TICK_DASHES = "-\u2013\u2014_"
RULE_POINTS = 30.0  # a straight line at least this long is an axis, grid line or frame
TEXT_POINTS = 10.0  # the height of a chart's text, when no word was read
NO_MARKS = "no coloured marks"
COLOURED = 25.0  # chroma of ink that is a coloured mark rather than text


def find_raster_charts(
    image: Image.Image,
    words: tuple[Word, ...],
    points_per_pixel: float,
) -> list[FoundChart]:
    """The chart in an image; raises :class:`NoChart` saying why there is none."""
    labels = [_without_tick_mark(word) for word in words]
    reading = read_image(image, points_per_pixel, labels)
    if not reading.marks:
        raise NoChart(NO_MARKS)
    pie = find_pie(reading.lab, reading.pieces, points_per_pixel)
    if pie is not None:
        texts = merge_line_words(reading.words)
        legend, _ = split_legend(reading.marks, texts)
        return [found_pie(pie, legend, texts, "pie: shares of the slices' turn")]
    return chart_from_marks(reading.marks, reading.words, drawings=reading.rules)


@dataclass
class ImageReading:
    """A chart image as marks, rules and words, in points; and its pixels in CIELAB with the
    pieces the marks were made of."""

    marks: list[Mark]
    rules: tuple[Drawing, ...]
    words: list[Word]
    lab: np.ndarray
    pieces: list[Piece]


def image_marks(
    image: Image.Image, scale: float, words: list[Word] | None = None
) -> tuple[list[Mark], tuple[Drawing, ...], list[Word]]:
    """The marks of a chart image and its rules (axes, grid lines, frames, as gray stroke
    drawings), in points (``scale`` points per pixel); ``words`` are kept out of both,
    except markers that OCR read as letters (returned are the words that are text)."""
    reading = read_image(image, scale, words or [])
    return reading.marks, reading.rules, reading.words


def read_image(image: Image.Image, scale: float, words: list[Word]) -> ImageReading:
    lab = to_lab(np.asarray(image.convert("RGB")))
    backgrounds = find_backgrounds(lab)
    words = [w for w in words if not _marker_read_as_text(w, lab, backgrounds, scale)]
    boxes = [_pixels(word.bbox, scale) for word in words]
    heights = [word.bbox.height for word in words if word.angle == 0]
    glyph = 1.5 * (float(np.median(heights)) if heights else TEXT_POINTS)
    segments = segment(
        lab,
        backgrounds,
        boxes,
        rule_px=max(15, int(RULE_POINTS / scale)),
        glyph_px=int(glyph / scale),
    )
    marks = [mark_of(piece, scale) for piece in segments.pieces]
    rules = tuple(
        Drawing(BBox(*box).scaled(scale), "stroke", (0.5, 0.5, 0.5), None, 1.0, ())
        for box in segments.rules
    )
    return ImageReading(marks, rules, words, lab, segments.pieces)


def _marker_read_as_text(
    word: Word, lab: np.ndarray, backgrounds: list[np.ndarray], scale: float
) -> bool:
    """OCR reads a ring or a cross marker as 'O', 'o' or 'x': a word of one or two
    characters drawn in colour is a mark, not text."""
    if len(word.text) > 2:
        return False
    return ink_chroma(lab, backgrounds, _pixels(word.bbox, scale)) > COLOURED


def _pixels(box: BBox, scale: float) -> tuple[int, int, int, int]:
    return (
        int(box.x0 / scale),
        int(box.y0 / scale),
        int(np.ceil(box.x1 / scale)),
        int(np.ceil(box.y1 / scale)),
    )


def _without_tick_mark(word: Word) -> Word:
    """OCR reads a tick mark touching its label as a dash ('70-'); a number never ends in
    one, so the dash and its share of the box go."""
    text = word.text.rstrip(TICK_DASHES)
    if not text or text == word.text or not text[-1].isdigit():
        return word
    box = word.bbox
    right = box.x0 + box.width * len(text) / len(word.text)
    return replace(word, text=text, bbox=BBox(box.x0, box.y0, right, box.y1))


def mark_of(piece: Piece, scale: float) -> Mark:
    """A piece of the image as the shape a vector chart would have drawn: a bar (a filled
    upright rectangle), a point (small), a line (a stroke, as its centre line) or an area
    (its upper and lower edges)."""
    x0, y0, x1, y1 = piece.box
    box = BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    small = max(box.width, box.height) <= SWATCH
    if piece.thin:
        compact = small and min(box.width, box.height) >= SWATCH / 4
        mark = Mark("point" if compact else "line", box, piece.rgb, _centre_line(piece, scale))
    elif piece.fill >= 0.85 and min(piece.mask.shape) >= 2:
        mark = Mark("bar", box, piece.rgb)
    elif small:
        mark = Mark("point", box, piece.rgb)
    else:
        mark = Mark("area", box, piece.rgb, _edges(piece, scale))
    mark.pixels = float(piece.area)
    return mark


def _columns(piece: Piece) -> range:
    width = piece.mask.shape[1]
    return range(0, width, max(1, width // 200))


def _centre_line(piece: Piece, scale: float) -> list[tuple[float, float]]:
    """A stroke's centre, column by column."""
    vertices = []
    for column in _columns(piece):
        rows = np.nonzero(piece.mask[:, column])[0]
        if len(rows):
            x = (piece.x + column + 0.5) * scale
            vertices.append((x, (piece.y + float(np.median(rows)) + 0.5) * scale))
    return vertices


def _edges(piece: Piece, scale: float) -> list[tuple[float, float]]:
    """An area's outline: its upper edge left to right, then its lower edge back."""
    upper, lower = [], []
    for column in _columns(piece):
        rows = np.nonzero(piece.mask[:, column])[0]
        if len(rows):
            x = (piece.x + column + 0.5) * scale
            upper.append((x, (piece.y + rows.min() + 0.5) * scale))
            lower.append((x, (piece.y + rows.max() + 0.5) * scale))
    return upper + lower[::-1]
