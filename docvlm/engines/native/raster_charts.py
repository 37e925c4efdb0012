"""Raster charts (PNG/JPEG, scanned pages): marks segmented by colour, axes calibrated on
OCR'd tick labels, values read from pixel positions.

The marks become the same shapes the vector reader uses (bars, points, lines, areas), so
both share one calibration and one reading; OpenCV (already needed by the OCR) finds the
connected regions of each colour.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from docvlm.document import Word
from docvlm.engines.native.charts import FoundChart, Mark, chart_from_marks
from docvlm.geometry import BBox

SATURATION = 40  # a mark's colour stands this far from grey (0-255 channel spread)
MIN_PIXELS = 6


def find_raster_charts(
    image: Image.Image,
    words: tuple[Word, ...],
    points_per_pixel: float,
) -> tuple[list[FoundChart], str]:
    """The chart in an image, with the calibration used described for checking."""
    marks = colour_marks(image, points_per_pixel)
    if not marks:
        return [], "no coloured marks"
    found = chart_from_marks(marks, list(words), drawings=())
    if not found:
        return [], "axes could not be calibrated from the tick labels"
    return found, "axes calibrated on OCR tick labels"


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
    for code, count in zip(values, counts, strict=True):
        if count < 4 * MIN_PIXELS:
            continue  # anti-aliasing fringes
        mask = (codes == code).astype(np.uint8)
        color = tuple(float(c) / 255 for c in rgb[mask.astype(bool)].mean(axis=0))
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, area in stats[1:n]:
            if area < MIN_PIXELS:
                continue
            box = BBox(*(float(v) * scale for v in (x, y, x + w, y + h)))
            mark = _shape(
                box, area / float(w * h), color, mask[y : y + h, x : x + w], scale, (x, y)
            )
            mark.pixels = float(area)
            marks.append(mark)
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
