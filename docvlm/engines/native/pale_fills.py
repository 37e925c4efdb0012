"""Fills too pale to pass for ink that their own outline encloses: a web library draws a
bar or a slice as a strong edge round its colour seen through at a fifth of its strength,
and a pale blue or teal so laid over white stands less than ``segmentation.FOREGROUND``
off it. Left to the background, a bar is only its outline, cut at every grid line seen
through it, and a slice is nothing.
Taken in, such a fill is painted STRENGTHEN times as strong: two pale tints stand a fifth
as far apart as the colours they are tints of (a pale blue and a pale teal, 7 delta E), too
near to tell two series apart by. (Not the outline's colour itself: an outline drawn
between pixels is a lighter blend along one side than along another, while the fill is
flat.)

Hand-written on OpenCV and NumPy: no library tells a tinted fill from its ground."""

from __future__ import annotations

import cv2
import numpy as np

from docvlm.engines.native.colours import (
    GRAY,
    chroma,
    lab_to_srgb,
    nearest_seen_through,
    srgb_to_lab,
)

TINT = 3.0  # delta E off the background from which a flat region is a tint, not the ground
SMALLEST = 60  # pixels: a smaller tinted region is an anti-aliased fringe, not a fill
SIDE = 3  # pixels: a fill is at least this wide and high
RING = 2  # pixels round a fill where its outline (or a grid line, an axis) is looked for
ENCLOSED = 0.6  # the share of that ring drawn: the fill is boxed in, not a pale band
OUTLINE = 0.25  # ... and the share of it in a colour, not gray (an outline, not grid lines)
SEEN_THROUGH = 4.0  # delta E within which the fill is its outline's colour seen through
FAINTEST = 0.05  # the least opacity that fill is laid at ...
STRONGEST = 0.6  # ... and the most (a stronger one would have passed for ink)
GRID_GAP = 5  # pixels: a grid line seen through a fill is narrower than this
STRENGTHEN = 3.0  # how many times as opaque a fill taken in is painted


def outlined_tints(
    lab: np.ndarray, distance: np.ndarray, drawn: np.ndarray, under: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of pale fills (bars, slices) that a coloured outline encloses and whose colour is
    that outline's seen through over the background, and the image with each painted
    stronger: ``lab`` the image (CIELAB), ``distance`` each pixel's delta E from
    its background, ``drawn`` the pixels taken for ink, ``under`` each pixel's background
    colour."""
    tinted = (distance > TINT) & ~drawn
    tinted |= _gray_lines_across(tinted, drawn, lab)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        tinted.astype(np.uint8), connectivity=4
    )
    found = np.zeros(drawn.shape, bool)
    painted = lab.copy()
    for label in range(1, count):
        x, y, width, height, area = (int(v) for v in stats[label])
        if area < SMALLEST or min(width, height) < SIDE:
            continue
        box = (
            slice(max(0, y - RING), y + height + RING),
            slice(max(0, x - RING), x + width + RING),
        )
        fill = labels[box] == label
        if _outline_seen_through(fill, lab[box], drawn[box], under[box]):
            found[box] |= fill
            flat = fill & ~drawn[box]  # the fill itself, not the grid lines across it
            painted[box][fill] = _strengthened(lab[box][flat], under[box][flat])
    return found, painted


def _gray_lines_across(tinted: np.ndarray, drawn: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """Gray drawn pixels with a tint close by either side along a row or a column: grid
    lines seen through a pale fill, which cut it into parts no larger than their spacing."""
    closed = np.zeros(tinted.shape, bool)
    for kernel in (np.ones((1, GRID_GAP), np.uint8), np.ones((GRID_GAP, 1), np.uint8)):
        closed |= cv2.morphologyEx(tinted.astype(np.uint8), cv2.MORPH_CLOSE, kernel).astype(bool)
    return closed & drawn & (chroma(lab) < GRAY)


def _outline_seen_through(
    fill: np.ndarray, lab: np.ndarray, drawn: np.ndarray, under: np.ndarray
) -> bool:
    """Whether a coloured outline runs round ``fill`` (its mask in the crops given), the
    fill that colour seen through."""
    kernel = np.ones((2 * RING + 1, 2 * RING + 1), np.uint8)
    ring = cv2.dilate(fill.astype(np.uint8), kernel).astype(bool) & ~fill
    if not ring.any() or float(drawn[ring].mean()) < ENCLOSED:
        return False
    inked = lab[ring & drawn]
    coloured = inked[chroma(inked) >= GRAY]
    if len(coloured) < OUTLINE * int(ring.sum()):
        return False
    outline = np.median(coloured, axis=0)
    colour = np.median(lab[fill], axis=0)
    ground = np.median(under[fill], axis=0)
    gap, share = nearest_seen_through(colour, ground, outline)
    return float(gap) < SEEN_THROUGH and FAINTEST <= float(share) <= STRONGEST


def _strengthened(pixels: np.ndarray, ground: np.ndarray) -> np.ndarray:
    """The colour of a fill (its ``pixels``, CIELAB) laid STRENGTHEN times as opaque over
    its ``ground`` (an sRGB blend, as renderers composite)."""
    under = lab_to_srgb(np.median(ground, axis=0))
    rgb = np.clip(under + STRENGTHEN * (lab_to_srgb(np.median(pixels, axis=0)) - under), 0, 1)
    return srgb_to_lab(rgb).astype(pixels.dtype)
