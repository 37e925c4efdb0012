"""Fills that a pattern of dots drawn over them punctures: the fill stays one piece, full
of small holes, and covers too little of its box to read as a bar. The holes are filled
and the dots in them go.

Hand-written on OpenCV and NumPy: no library undoes a fill pattern.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from docvlm.engines.native.segmentation import Piece, enclosed

MIN_DOTS = 4  # a pattern punches at least this many holes in a fill
# Pixels: the largest hole a dot punches, anti-aliased edge and all (a 4-pixel dot); a
# label printed on a bar leaves larger holes, and a ring (a doughnut) one far larger.
DOT_PX = 49
MIN_DOT_PX = 3  # a hole smaller than this is an anti-aliased edge's, not a dot's
DOT_REACH = 5  # pixels: the widest notch a dot cuts in a fill's edge


def dots_filled(pieces: list[Piece]) -> list[Piece]:
    """The pieces with each fill punctured by dots made whole, and without the dots (any
    piece lying wholly inside one of its holes)."""
    wholes = {id(p): whole for p in pieces if (whole := _punctured(p)) is not None}
    if not wholes:
        return pieces
    holes = [(wholes[id(p)], wholes[id(p)].mask & ~p.mask) for p in pieces if id(p) in wholes]
    return [
        wholes.get(id(p), p)
        for p in pieces
        if id(p) in wholes or not any(_in_holes(p, whole, hole) for whole, hole in holes)
    ]


def _punctured(piece: Piece) -> Piece | None:
    """The piece with its holes filled, and the notches closed that dots on its edge cut,
    when it is a region with at least ``MIN_DOTS`` holes, none larger than a dot; else
    None. Holes, not notches, tell a punctured fill: a line's markers leave notches too;
    and a pattern's holes spread over the fill, where the holes of glyphs printed on it
    (a label OCR missed: '8', '0', 'a') stand together."""
    if piece.thin:
        return None
    holes = enclosed(piece.mask) & ~piece.mask
    if _dots(holes) < MIN_DOTS or not _spread(holes):
        return None
    # Closing first: a dot on the fill's edge cuts a notch, not a hole.
    reach = np.ones((DOT_REACH, DOT_REACH), np.uint8)
    padded = np.pad(piece.mask.astype(np.uint8), DOT_REACH)
    closed = cv2.morphologyEx(padded, cv2.MORPH_CLOSE, reach).astype(bool)
    whole = (closed | enclosed(closed))[DOT_REACH:-DOT_REACH, DOT_REACH:-DOT_REACH]
    if _dots(whole & ~piece.mask) < 0:
        return None
    return replace(piece, mask=whole, area=int(whole.sum()))


def _spread(holes: np.ndarray) -> bool:
    """Whether holes spread over at least ``SPREAD`` of their piece's width and height."""
    rows, columns = np.nonzero(holes)
    height, width = holes.shape
    return bool(np.ptp(rows) + 1 >= SPREAD * height and np.ptp(columns) + 1 >= SPREAD * width)


SPREAD = 0.5  # a pattern's holes reach over this share of the fill's width and height


def _dots(holes: np.ndarray) -> int:
    """How many dots punched ``holes``: -1 when one of them is larger than a dot."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), connectivity=8)
    sizes = stats[1:count, cv2.CC_STAT_AREA]
    if len(sizes) and sizes.max() > DOT_PX:
        return -1
    return int(np.count_nonzero(sizes >= MIN_DOT_PX))


def _in_holes(piece: Piece, whole: Piece, holes: np.ndarray) -> bool:
    """Whether a piece lies in a punctured fill's holes (a dot of its pattern)."""
    x0, y0, x1, y1 = piece.box
    wx0, wy0, wx1, wy1 = whole.box
    if x0 < wx0 or y0 < wy0 or x1 > wx1 or y1 > wy1:
        return False
    inside = holes[y0 - wy0 : y1 - wy0, x0 - wx0 : x1 - wx0]
    return bool(inside[piece.mask].all())
