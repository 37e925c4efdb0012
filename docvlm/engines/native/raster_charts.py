"""Raster charts (PNG/JPEG, scanned pages): marks segmented by colour, axes calibrated on
OCR'd tick labels, values read from pixel positions.

The marks become the same shapes the vector reader uses (bars, points, lines, areas), so
both share one calibration and one reading; OpenCV (already needed by the OCR) finds the
connected regions of each colour.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import FoundChart, NoChart, chart_from_marks
from docvlm.engines.native.marks import Color, Mark
from docvlm.geometry import BBox

SATURATION = 40  # a mark's colour stands this far from grey (0-255 channel spread)
MIN_PIXELS = 6
TICK_DASHES = "-\u2013\u2014_"
RULE_POINTS = 24.0  # a gray line at least this long is an axis, grid line or frame


RASTER_METHOD = "pixels (colour regions, OCR tick labels)"


def find_raster_charts(
    image: Image.Image,
    words: tuple[Word, ...],
    points_per_pixel: float,
) -> list[FoundChart]:
    """The chart in an image; raises :class:`NoChart` saying why there is none."""
    marks = colour_marks(image, points_per_pixel)
    if not marks:
        raise NoChart("no coloured marks")
    labels = [_without_tick_mark(word) for word in words]
    return chart_from_marks(marks, labels, drawings=rule_lines(image, points_per_pixel))


def _without_tick_mark(word: Word) -> Word:
    """OCR reads a tick mark touching its label as a dash ('70-'); a number never ends in
    one, so the dash and its share of the box go."""
    text = word.text.rstrip(TICK_DASHES)
    if not text or text == word.text or not text[-1].isdigit():
        return word
    box = word.bbox
    right = box.x0 + box.width * len(text) / len(word.text)
    return replace(word, text=text, bbox=BBox(box.x0, box.y0, right, box.y1))


def rule_lines(image: Image.Image, scale: float) -> tuple[Drawing, ...]:
    """Long horizontal and vertical gray lines (axes, grid lines, frames) as stroke drawings,
    so the plot area reaches its axes as it does in a PDF."""
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    gray = (rgb.max(axis=2) - rgb.min(axis=2) < SATURATION) & (rgb.min(axis=2) < 235)
    mask = gray.astype(np.uint8)
    length = max(12, int(RULE_POINTS / scale)) | 1  # odd: an even kernel shifts by a pixel
    found = []
    for kernel in (np.ones((1, length), np.uint8), np.ones((length, 1), np.uint8)):
        opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        n, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
        found.append(
            [BBox(*(float(v) for v in (x, y, x + w, y + h))) for x, y, w, h, _ in stats[1:n]]
        )
    horizontal, vertical = _clip_ticks(*found)
    return tuple(
        Drawing(box.scaled(scale), "stroke", (0.5, 0.5, 0.5), None, 1.0, ())
        for box in horizontal + vertical
    )


def _clip_ticks(horizontal: list[BBox], vertical: list[BBox]) -> tuple[list[BBox], list[BBox]]:
    """Grid lines run on into their tick marks, past the axis they cross; in pixels the two
    are one line, so each is cut back to the span of the lines across it."""
    if horizontal and vertical:
        top, bottom = min(b.y0 for b in horizontal), max(b.y1 for b in horizontal)
        left, right = min(b.x0 for b in vertical), max(b.x1 for b in vertical)
        vertical = [BBox(b.x0, max(b.y0, top), b.x1, min(b.y1, bottom)) for b in vertical]
        horizontal = [BBox(max(b.x0, left), b.y0, min(b.x1, right), b.y1) for b in horizontal]
    return horizontal, vertical


def colour_marks(image: Image.Image, scale: float) -> list[Mark]:
    """Connected regions of each saturated colour, as marks in page points."""
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    coloured = spread >= SATURATION
    if not coloured.any():
        return []
    quantised = (rgb // 24).astype(np.int32)
    codes = quantised[..., 0] * 10000 + quantised[..., 1] * 100 + quantised[..., 2]
    codes[~coloured] = -1
    values, counts = np.unique(codes[coloured], return_counts=True)
    marks: list[Mark] = []
    leftover = coloured.copy()
    for code, count in zip(values, counts, strict=True):
        if count < 4 * MIN_PIXELS:
            continue  # anti-aliasing fringes, or thin strokes (read below)
        mask = (codes == code).astype(np.uint8)
        color = tuple(float(c) / 255 for c in rgb[mask.astype(bool)].mean(axis=0))
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, area in stats[1:n]:
            if area >= MIN_PIXELS:
                crop = mask[y : y + h, x : x + w]
                marks.append(_mark(crop, (int(x), int(y)), int(area), color, scale))
                leftover[y : y + h, x : x + w] &= mask[y : y + h, x : x + w] == 0
    fringe = cv2.dilate((coloured & ~leftover).astype(np.uint8), np.ones((3, 3), np.uint8))
    marks.extend(_stroke_marks(rgb, spread, leftover & (fringe == 0), scale))
    return marks


def _mark(crop: np.ndarray, origin: tuple[int, int], area: int, color: Color, scale: float) -> Mark:
    """A connected region (``crop``: its mask inside its bounding box at ``origin``)."""
    (x, y), (h, w) = origin, crop.shape
    box = BBox(*(float(v) * scale for v in (x, y, x + w, y + h)))
    mark = _shape(box, area / float(w * h), color, crop, scale, origin)
    mark.pixels = float(area)
    return mark


def _stroke_marks(
    rgb: np.ndarray, spread: np.ndarray, leftover: np.ndarray, scale: float
) -> list[Mark]:
    """Thin anti-aliased strokes (hollow point rings, outlines) spread over many shades, none
    frequent enough on its own (pixels touching a mark found by colour are its anti-aliased
    edge, already removed from ``leftover``): each connected piece takes the colour of its
    most saturated pixels, snapped to the quantisation grid so one series shares one colour."""
    mask = leftover.astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    marks: list[Mark] = []
    for label in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area < 2 * MIN_PIXELS:
            continue
        piece = labels[y : y + h, x : x + w] == label
        colours = rgb[y : y + h, x : x + w][piece]
        strongest = spread[y : y + h, x : x + w][piece]
        core = colours[strongest >= np.quantile(strongest, 0.75)].mean(axis=0)
        snapped = (np.floor(core / 24) * 24 + 12).clip(0, 255)
        color = tuple(float(c) / 255 for c in snapped)
        marks.append(_mark(piece.astype(np.uint8), (x, y), area, color, scale))
    return marks


def _shape(
    box: BBox,
    fill: float,
    color: tuple[float, ...],
    crop: np.ndarray,
    scale: float,
    origin: tuple[int, int],
) -> Mark:
    if fill >= 0.85 and min(box.width, box.height) >= 2 * scale:
        return Mark("bar", box, color)
    if max(box.width, box.height) <= 16:
        return Mark("point", box, color)
    # A line or an area: its upper edge, column by column, as vertices.
    vertices = []
    for column in range(0, crop.shape[1], max(1, crop.shape[1] // 60)):
        rows = np.nonzero(crop[:, column])[0]
        if len(rows):
            x = (origin[0] + column + 0.5) * scale
            vertices.append((x, (origin[1] + rows.min() + 0.5) * scale))
            if fill > 0.3:
                vertices.append((x, (origin[1] + rows.max() + 0.5) * scale))
    return Mark("area" if fill > 0.3 else "line", box, color, vertices)
