"""A series' pieces in a chart image as the line they trace: its centre column by column,
and the points it was drawn through (its markers, where it has them; else where it
turns).

Hand-written on OpenCV and NumPy: tracing a chart's line and telling its markers from
the swellings at its turns is particular to charts.
"""

from __future__ import annotations

import math
from itertools import pairwise

import cv2
import numpy as np

from docvlm.engines.native.backdrops import runs
from docvlm.engines.native.segmentation import Piece
from docvlm.geometry import BBox

# Measured across a line, anti-aliased edges and all: a bold office style's 4.5-point
# stroke spans about 5 points of pixels (a stacked area's band is thicker).
LINE_SPAN_POINTS = 5.5
# The most columns a value label printed across a line cuts out of it, in points.
STRETCH_GAP = 6.0
# How far, in stroke widths, a line drawn through markers strays from straight between them.
STRAIGHT = 1.0


def traced_line(
    pieces: list[Piece], shape: tuple[int, ...], scale: float
) -> tuple[BBox, list[tuple[float, float]], float] | None:
    """One series' pieces as a line, if together they make long thin curves across most of
    the series' width (a line cut into bits where it turns or crosses another, its markers
    on it; scattered points make many short ones): its box, its centre column by column,
    and its pixel count."""
    if not pieces:
        return None
    # Filled regions are a line only when as thin as a stroke is drawn (a thick line, cut
    # where it turns or nothing crosses), not a band of a stacked area.
    widest = LINE_SPAN_POINTS / scale if not any(p.thin for p in pieces) else None
    mask = np.zeros(shape, np.uint8)
    for piece in pieces:
        x0, y0, x1, y1 = piece.box
        mask[y0:y1, x0:x1] |= piece.mask.astype(np.uint8)
    columns = np.nonzero(mask.any(axis=0))[0]
    span = int(columns.max() - columns.min() + 1)
    joined = cv2.dilate(mask, np.ones((9, 9), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    # Long: wider than a tenth of the series and than any marker (points in a narrow chart).
    reach = max(0.1 * span, 20)
    long = [n for n in range(1, count) if stats[n, cv2.CC_STAT_WIDTH] >= reach]
    long += _stretches_beside(stats, long, reach, STRETCH_GAP / scale)
    if not long or sum(stats[n, cv2.CC_STAT_WIDTH] for n in long) < 0.6 * span or span < 24:
        return None
    curve = np.isin(labels, long) & (mask > 0)
    ys, xs = np.nonzero(curve)
    y0, y1 = int(ys.min()), int(ys.max()) + 1
    x0, x1 = int(xs.min()), int(xs.max()) + 1
    thickness = curve[:, x0:x1].sum(axis=0)
    drawn = float(np.median(thickness[thickness > 0]))
    if drawn > max(12, 0.25 * (y1 - y0)):
        return None  # a filled region (an area), not a stroke
    centre = [
        (column + 0.5, float(np.median(rows)) + 0.5)
        for column in range(x0, x1)
        if len(rows := np.nonzero(curve[:, column])[0])
    ]
    width = _stroke_width(curve, centre)
    if widest is not None and width > widest:
        return None
    markers = _markers(curve, x0, x1, thickness)
    if markers:  # a line with markers: those on its steep stretches swell no column
        blobs = _marker_blobs(curve, width)
        markers = sorted(blobs if len(blobs) > len(markers) else markers)
    if not _at_ends(markers, centre, max(3 * width, 6.0)) and (
        len(markers) < 3 or not _straight_between(markers, centre, width)
    ):
        markers = []  # swellings where a bold line turns sharply, no markers
    points = markers or _corners(centre)
    box = BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    return box, [(x * scale, y * scale) for x, y in points], float(curve.sum())


def _stretches_beside(stats: np.ndarray, long: list[int], reach: float, gap: float) -> list[int]:
    """The shorter pieces, half the reach wide at least, that a long piece of the line goes
    on from across a gap of up to ``gap`` columns: a stretch that a value label printed
    across the line cut off (its first, from its first point to the label)."""
    spans = [_columns(stats[n]) for n in long]
    found = []
    for n in range(1, len(stats)):
        left, right = _columns(stats[n])
        if n in long or right - left < reach / 2:
            continue
        if any(0 <= a - right <= gap or 0 <= left - b <= gap for a, b in spans):
            found.append(n)
    return found


def _columns(stat: np.ndarray) -> tuple[int, int]:
    left = int(stat[cv2.CC_STAT_LEFT])
    return left, left + int(stat[cv2.CC_STAT_WIDTH])


def _stroke_width(curve: np.ndarray, centre: list[tuple[float, float]]) -> float:
    """How wide a stroke is drawn, across it: its pixels over the length of its centre
    line (a column cuts a steep stroke far longer than its width)."""
    path = np.array(centre)
    length = float(np.hypot(*np.diff(path, axis=0).T).sum()) if len(path) > 1 else 1.0
    return float(curve.sum()) / max(length, 1.0)


def _markers(
    curve: np.ndarray, x0: int, x1: int, thickness: np.ndarray
) -> list[tuple[float, float]]:
    """The markers drawn on a line, if it has them: runs of columns where it swells to
    well over its own width; each marker's centre is a data point."""
    line = float(np.median(thickness[thickness > 0]))
    swollen = thickness >= max(1.8 * line, line + 3)
    found = []
    for start, stop in runs(swollen):
        if 3 <= stop - start <= 40 and _bulges(thickness, start, stop):
            rows = np.nonzero(curve[:, x0 + start : x0 + stop].any(axis=1))[0]
            found.append((x0 + (start + stop) / 2.0, (rows.min() + rows.max() + 1) / 2.0))
    return found if len(found) >= 2 else []


def _marker_blobs(curve: np.ndarray, width: float) -> list[tuple[float, float]]:
    """The markers on a line as what is left of it where a disc a little wider than its
    stroke fits inside (an opening): a stroke of any slope is too thin, a marker is not.
    Counting columns where the line swells misses markers on a steep stretch, which is
    as thick in every column."""
    side = max(3, math.ceil(1.4 * width))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (side, side))
    opened = cv2.morphologyEx(curve.astype(np.uint8), cv2.MORPH_OPEN, disc)
    count, _, stats, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    found = []
    for n in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[n])
        if area >= 1.5 * int(disc.sum()) and max(w, h) <= 40:  # more than the disc: no bulge
            found.append((x + w / 2.0, y + h / 2.0))
    return sorted(found)


def _bulges(thickness: np.ndarray, start: int, stop: int) -> bool:
    """Whether the columns from ``start`` to ``stop`` swell well over the line beside them,
    as a marker does: a steep stretch is thick in every column, and the jags of its
    anti-aliased edges cut it into runs of swollen columns that stand no higher than
    their neighbours (the thinner quarter of the columns on either side, which between
    markers drawn close together is the line)."""
    reach = 2 * (stop - start)
    before, after = thickness[max(0, start - reach) : start], thickness[stop : stop + reach]
    beside = np.concatenate([before, after])
    beside = beside[beside > 0]
    if not len(beside):
        return True
    around = float(np.percentile(beside, 25))
    return float(thickness[start:stop].max()) >= max(1.5 * around, around + 2)


def _at_ends(
    markers: list[tuple[float, float]], centre: list[tuple[float, float]], reach: float
) -> bool:
    """Whether markers stand at both ends of a line, as a line drawn with markers has one
    on its first and last points (where no other line hides them); a line without them
    swells only where it turns sharply, between its ends."""
    return bool(markers) and (
        markers[0][0] <= centre[0][0] + reach and markers[-1][0] >= centre[-1][0] - reach
    )


def _corners(centre: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A traced line's vertices: where it turns (Douglas-Peucker within a pixel and a half),
    as the points it was drawn through."""
    path = np.array(centre, np.float32).reshape(-1, 1, 2)
    return [(float(x), float(y)) for x, y in cv2.approxPolyDP(path, 1.5, False).reshape(-1, 2)]


def _straight_between(
    markers: list[tuple[float, float]], centre: list[tuple[float, float]], width: float
) -> bool:
    """Whether a line runs straight from marker to marker, as a line drawn through its
    markers does (where another line hides one, it turns between two): the middle
    stretch's widest departure from the straight line, past the markers themselves,
    within a stroke's width. The swellings at a bold line's sharp turns leave the turns
    it takes gently between them."""
    path = np.array(centre)
    departures = []
    for (xa, ya), (xb, yb) in pairwise(markers):
        inside = (path[:, 0] > xa + 2 * width) & (path[:, 0] < xb - 2 * width)
        if inside.any():
            xs, ys = path[inside].T
            chord = ya + (yb - ya) * (xs - xa) / (xb - xa)
            departures.append(float(np.abs(ys - chord).max()))
    return not departures or float(np.median(departures)) <= STRAIGHT * width
