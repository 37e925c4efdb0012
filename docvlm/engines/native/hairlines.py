"""Bars of one colour stacked in one column with a faint hairline of the background
between them (a stroke drawn round each value, anti-aliased into the fill): too faint a
step for the segmentation to cut at, but each is a value of its own.

Hand-written on NumPy: the hairline is a single row (or column) a little toward the
background across the whole bar, with the fill flat either side."""

from __future__ import annotations

import itertools

import numpy as np

from docvlm.engines.native.colours import delta_e
from docvlm.engines.native.segmentation import JUMP, SAME_COLOUR, Piece

FLAT = 1.5  # delta E: the fill either side of a hairline hardly changes
MOST_HAIRLINES = 3  # more across one bar are a pattern of stripes, not stacked values
ACROSS = 0.9  # a hairline runs across at least this share of the bar
SHORTEST = 3  # pixels: each value's share of the bar is at least this long
BESIDE = 4  # pixels beside a bar where a grid line seen through it shows going on


def split_at_hairlines(
    pieces: list[Piece], lab: np.ndarray, backgrounds: list[np.ndarray]
) -> list[Piece]:
    """The pieces with every filled rectangle cut at the background hairlines across it."""
    out: list[Piece] = []
    for piece in pieces:
        out.extend(_split(piece, lab, backgrounds))
    return out


def _split(piece: Piece, lab: np.ndarray, backgrounds: list[np.ndarray]) -> list[Piece]:
    height, width = piece.mask.shape
    if piece.fill < 0.85 or min(height, width) < 3:
        return [piece]
    x0, y0, x1, y1 = piece.box
    region = lab[y0:y1, x0:x1].astype(np.float32)
    for axis in (0, 1):  # 0: rows across an upright bar; 1: columns across a lying one
        cuts = [
            cut
            for cut in _hairlines(region, backgrounds, axis)
            if not _runs_on(lab, piece.box, cut, axis)
        ]
        if cuts and len(cuts) <= MOST_HAIRLINES:
            return _cut(piece, cuts, axis)
    return [piece]


def _runs_on(lab: np.ndarray, box: tuple[int, int, int, int], cut: int, axis: int) -> bool:
    """Whether the line at ``cut`` (a row of the bar for ``axis`` 0, a column for 1) goes on
    beyond the bar, standing out of the ground beside it as it does across the bar: a grid
    line seen through a see-through bar, not a hairline between two stacked values."""
    x0, y0, x1, y1 = box
    if axis == 1:  # a lying bar: the same question of its columns, the image transposed
        return _runs_on(lab.transpose(1, 0, 2), (y0, x0, y1, x1), cut, 0)
    row = y0 + cut
    if row < 2 or row + 2 >= lab.shape[0]:
        return False
    for start, stop in ((x0 - 1 - BESIDE, x0 - 1), (x1 + 1, x1 + 1 + BESIDE)):
        start, stop = max(0, start), min(lab.shape[1], stop)
        if stop <= start:
            continue
        line = lab[row, start:stop].astype(np.float32)
        ground = (lab[row - 2, start:stop] + lab[row + 2, start:stop]).astype(np.float32) / 2
        if float(np.median(delta_e(line, ground))) > JUMP:
            return True
    return False


def _hairlines(region: np.ndarray, backgrounds: list[np.ndarray], axis: int) -> list[int]:
    """Rows (``axis`` 0) or columns (1) of a bar's pixels, its edges left out, that are a
    tint of the fill either side toward a background, the fill flat two lines either side
    (a gradient moves on)."""
    inner = region[:, 1:-1] if axis == 0 else region[1:-1, :]
    lines = inner if axis == 0 else inner.transpose(1, 0, 2)  # lines[i]: its pixels
    found: list[int] = []
    for index in range(2, len(lines) - 2):
        before, after = lines[index - 2], lines[index + 2]
        # Pixel by pixel: the fill either side alike (a gradient across the bar moves
        # along the line, not across it), and every pixel of the line off it (a label
        # printed over the bar covers a few).
        if float(np.median(delta_e(before, after))) >= FLAT:
            continue
        fill = (before + after) / 2
        across = float(np.mean(delta_e(lines[index], fill) > JUMP))
        colour = np.median(lines[index], axis=0)
        if across < ACROSS or not _tint(colour, np.median(fill, axis=0), backgrounds):
            continue
        if not found or index - found[-1] >= SHORTEST:
            found.append(index)
    ends = [0, *found, len(lines)]
    return found if min(b - a for a, b in itertools.pairwise(ends)) >= SHORTEST else []


def _tint(pixel: np.ndarray, colour: np.ndarray, backgrounds: list[np.ndarray]) -> bool:
    for background in backgrounds:
        span = colour - background
        share = float(np.dot(pixel - background, span) / max(float(np.dot(span, span)), 1e-6))
        blend = background + min(max(share, 0.0), 1.0) * span
        if share < 1.0 and float(delta_e(pixel, blend)) < SAME_COLOUR:
            return True
    return False


def _cut(piece: Piece, cuts: list[int], axis: int) -> list[Piece]:
    """The piece in parts between the cuts (each cut line left out)."""
    parts = []
    starts = [0, *(c + 1 for c in cuts)]
    stops = [*cuts, piece.mask.shape[axis]]
    for start, stop in zip(starts, stops, strict=True):
        mask = piece.mask[start:stop] if axis == 0 else piece.mask[:, start:stop]
        x = piece.x + (start if axis == 1 else 0)
        y = piece.y + (start if axis == 0 else 0)
        parts.append(Piece(mask, x, y, int(mask.sum()), piece.lab, rgb=piece.rgb))
    return parts
