"""Bars of a chart image that the segmentation gives as strokes, told from line series
here: bars too narrow for filled regions (a few pixels wide, as bars on a continuous axis
are drawn: their anti-aliased edges leave no core of three pixels), and bars whose fine
fill pattern leaves no core either (a pale fill between hatch lines a pixel or two apart:
the fill's pixels, joined, are one stroke the shape of the bar)."""

from __future__ import annotations

import cv2
import numpy as np

from docvlm.engines.native.segmentation import Piece

LONGER = 3.0  # a narrow bar is at least this many times longer than it is wide
# A fill between fine hatch lines covers at least this much of its box, and of nearly
# every row and column of it; a line series' stroke covers far less of its box.
STROKED_FILL = 0.6
STROKED_SPAN = 0.5
STROKED_SIDE = 8  # pixels: both sides of such a fill are longer than a pattern's cell


def narrow_bar(piece: Piece, scale: float, line_points: float) -> bool:
    """Whether a piece is a narrow bar: a long solid rectangle, filled across to within an
    anti-aliased pixel and along nearly all its length, wider than ``line_points`` (the
    thickest stroke a line series is drawn with; ``scale``: points a pixel)."""
    height, width = piece.mask.shape
    short, long = sorted((height, width))
    if short * scale <= line_points or long < LONGER * short:
        return False
    across, along = (1, 0) if height > width else (0, 1)
    filled_across = np.median(piece.mask.sum(axis=across))
    filled_along = np.median(piece.mask.sum(axis=along))
    return bool(filled_across >= short - 1 and filled_along >= 0.9 * long)


def strips_on_one_base(pieces: list[Piece], scale: float) -> bool:
    """Whether a colour's strokes are bars as narrow as a line is thick: solid strips,
    each a bar's shape (:func:`narrow_bar` with no width required), all standing side by
    side on one base line and not all of one length. A line series is one stroke, or
    strokes running on across the chart, never strips standing side by side."""
    if len(pieces) < MIN_STRIPS or not all(narrow_bar(p, scale, 0.0) for p in pieces):
        return False
    if min(min(p.mask.shape) for p in pieces) < 2:  # a hairline: a rule, a tick mark
        return False
    boxes = np.array([p.box for p in pieces], dtype=float)
    upright = all(p.mask.shape[0] > p.mask.shape[1] for p in pieces)
    level = all(p.mask.shape[1] > p.mask.shape[0] for p in pieces)
    if not (upright or level):
        return False
    low, high = (1, 3) if upright else (0, 2)  # the ends: tops and feet, or lefts and rights
    lengths = boxes[:, high] - boxes[:, low]
    if lengths.max() - lengths.min() <= ALIKE_PIXELS:  # rules or ticks, all alike
        return False
    return any(float(np.ptp(boxes[:, end])) <= ALIKE_PIXELS for end in (low, high))


MIN_STRIPS = 3  # fewer strips side by side could be a line's bits
ALIKE_PIXELS = 2  # ends on one base line stand within this many pixels of each other


def stroked_fill(piece: Piece) -> bool:
    """Whether a stroke is the fill of a bar that a fine pattern cut into bits too small
    for regions: it fills most of its box, row by row and column by column."""
    if not piece.thin or min(piece.mask.shape) < STROKED_SIDE:
        return False
    rows, columns = piece.mask.mean(axis=1), piece.mask.mean(axis=0)
    return (
        piece.fill >= STROKED_FILL
        and float(np.quantile(rows, 0.1)) >= STROKED_SPAN
        and float(np.quantile(columns, 0.1)) >= STROKED_SPAN
    )


def as_fill(piece: Piece) -> Piece:
    """A stroked fill as the filled region it is: the pattern's gaps closed."""
    closed = cv2.morphologyEx(piece.mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5)))
    mask = np.pad(closed, 1)
    cv2.floodFill(mask, None, (0, 0), 2)
    filled = (mask != 2)[1:-1, 1:-1]
    return Piece(filled, piece.x, piece.y, int(filled.sum()), piece.lab, rgb=piece.rgb)
