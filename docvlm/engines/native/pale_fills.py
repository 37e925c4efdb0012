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
    delta_e,
    lab_to_srgb,
    nearest_seen_through,
    srgb_to_lab,
)

TINT = 3.0  # delta E off the background from which a flat region is a tint, not the ground
TINTED = 2.0  # chroma a tint has over its ground's at least
LIGHT = 60.0  # CIELAB lightness of a ground a tint too pale for ink is laid on, at least
FLAT = 1.5  # delta E from its colour within which nine in ten of a fill's pixels lie
SMALLEST = 60  # pixels: a smaller tinted region is an anti-aliased fringe, not a fill
SIDE = 3  # pixels: a fill is at least this wide and high
RING = 2  # pixels round a fill where its outline (or a grid line, an axis) is looked for
ENCLOSED = 0.6  # the share of that ring drawn: the fill is boxed in, not a pale band
OUTLINE = 0.25  # ... and the share of it in a colour, not gray (an outline, not grid lines)
ALIKE = 15.0  # delta E within which an outline's pixels (its blends with others) are its colour
ONE_COLOUR = 0.25  # the share of the ring's coloured pixels that are (a slice's neighbours
# edge it too)
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
        colour = _outline_seen_through(fill, lab[box], drawn[box], under[box])
        if colour is not None:
            found[box] |= fill
            flat = fill & ~drawn[box]  # the fill itself, not the grid lines across it
            painted[box][fill] = _strengthened(colour, under[box][flat])
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
) -> np.ndarray | None:
    """The fill's colour (CIELAB) where a coloured outline runs round ``fill`` (its mask in
    the crops given), the fill flat, that colour seen through, and more colourful than its
    light ground (a key's box, lighter than a gray plot, is no tint; nor is a dark theme's
    plot); else None."""
    flat = lab[fill & ~drawn]  # the fill, the grid lines across it left out
    colour = np.median(flat, axis=0)
    ground = np.median(under[fill], axis=0)
    if float(ground[0]) < LIGHT or float(chroma(colour)) < float(chroma(ground)) + TINTED:
        return None
    if float(np.percentile(delta_e(flat, colour), 90)) > FLAT:
        return None  # a gradient (a plot's shaded ground between its grid lines)
    # Round its outside: what lies inside it (a label, a key's samples) is no outline.
    outside, _ = cv2.findContours(fill.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    whole = cv2.drawContours(np.zeros(fill.shape, np.uint8), outside, -1, 1, cv2.FILLED)
    kernel = np.ones((2 * RING + 1, 2 * RING + 1), np.uint8)
    ring = cv2.dilate(whole, kernel).astype(bool) & ~whole.astype(bool)
    if not ring.any() or float(drawn[ring].mean()) < ENCLOSED:
        return None
    inked = lab[ring & drawn]
    coloured = inked[chroma(inked) >= GRAY]
    if len(coloured) < OUTLINE * int(ring.sum()):
        return None
    outline = np.median(coloured, axis=0)
    if float(np.mean(delta_e(coloured, outline) <= ALIKE)) < ONE_COLOUR:
        return None  # lines of several colours passing by, no outline
    gap, share = nearest_seen_through(colour, ground, outline)
    seen_through = float(gap) < SEEN_THROUGH and FAINTEST <= float(share) <= STRONGEST
    return colour if seen_through else None


def _strengthened(colour: np.ndarray, ground: np.ndarray) -> np.ndarray:
    """A fill's ``colour`` (CIELAB) laid STRENGTHEN times as opaque over its ``ground``
    (the pixels under it; an sRGB blend, as renderers composite)."""
    under = lab_to_srgb(np.median(ground, axis=0))
    rgb = np.clip(under + STRENGTHEN * (lab_to_srgb(colour) - under), 0, 1)
    return srgb_to_lab(rgb).astype(colour.dtype)
