"""Bars of a chart image too narrow for the segmentation to call filled regions (a few
pixels wide, as bars on a continuous axis are drawn): their anti-aliased edges leave no
core of three pixels, so they come out as strokes, and are told from line series here."""

from __future__ import annotations

import numpy as np

from docvlm.engines.native.segmentation import Piece

LONGER = 3.0  # a narrow bar is at least this many times longer than it is wide


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
