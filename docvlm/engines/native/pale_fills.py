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
A pale palette's lightest colours (a near-white gray, a wash of blue) fill bars and key
swatches with no outline at all: a flat pale fill that fills its box (grid lines seen
through it aside) is taken in the same way, unless its colour is a plot's ground that
marks hide but for cells and strips. Left out, its series was lost without a word, its
key swatch with it.

Hand-written on OpenCV and NumPy: no library tells a tinted fill from its ground."""

from __future__ import annotations

from collections.abc import Iterator

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
RIM = 2  # pixels: the blend of a fill with what lies past its edge is this wide at most
GOES_ON = 0.8  # the share of a fill's side past which its colour lies close by: it goes on
ALIKE_FILL = 3.0  # delta E within which two pale fills are of one colour
CROSSED = 0.005  # the share of a pale bar's box coloured marks on it cover, at most
BOXED = 0.95  # the share of its box a fill with no outline fills: a bar or a swatch (a
# panel round words, a shadow round a corner fill less)
STRENGTHEN = 3.0  # how many times as opaque a fill taken in is painted


def outlined_tints(
    lab: np.ndarray, distance: np.ndarray, drawn: np.ndarray, under: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of pale fills (bars, slices) that a coloured outline encloses and whose colour is
    that outline's seen through over the background, or that fill a box of their own with
    no outline (see :func:`_bare_boxes`), and the image with each painted
    stronger: ``lab`` the image (CIELAB), ``distance`` each pixel's delta E from
    its background, ``drawn`` the pixels taken for ink, ``under`` each pixel's background
    colour."""
    tinted = (distance > TINT) & ~drawn
    tinted |= _gray_lines_across(tinted, drawn, lab)
    found = np.zeros(drawn.shape, bool)
    painted = lab.copy()
    for fill, box, _ in _fills(tinted):
        colour = _outline_seen_through(fill, lab[box], drawn[box], under[box])
        if colour is not None:
            _paint(painted, found, fill, box, colour, drawn, under)
    for fill, box, colour in _bare_boxes(tinted & ~found, lab, drawn, under):
        _paint(painted, found, fill, box, colour, drawn, under)
    return found, painted


def _bare_boxes(
    tinted: np.ndarray, lab: np.ndarray, drawn: np.ndarray, under: np.ndarray
) -> list[tuple[np.ndarray, tuple[slice, slice], np.ndarray]]:
    """The flat pale boxes with no outline among ``tinted`` (each as its mask, its box
    and its colour), two or more of a colour (a series' bars, or a bar and its key
    swatch), no coloured marks on them, in colours that are no ground: a plot's
    ground, hidden under areas or bars but for strips and cells (too little of it to pass
    for a backdrop), goes on past a cell's thin lines on some side, or shows as strips
    between bars from one top to one foot."""
    # A fill's core: a grid line that meets its sides, its pale rims taken for a tint
    # (and the line between them for a grid line seen through one), joins it to the rest.
    kernel = np.ones((GRID_GAP, GRID_GAP), np.uint8)
    cores = cv2.morphologyEx(tinted.astype(np.uint8), cv2.MORPH_OPEN, kernel).astype(bool)
    found, bounds = [], []
    for fill, box, (x, y, width, height, area) in _fills(cores):
        colour = _flat_pale(fill, lab[box], drawn[box], under[box])
        inner = (slice(y, y + height), slice(x, x + width))
        boxed = area >= BOXED * width * height
        if colour is not None and boxed and not _crossed(cores[inner], lab[inner]):
            found.append((fill, box, colour))
            bounds.append((x, y, x + width, y + height))
    colours = [colour for _, _, colour in found]
    ground = [c for c, b in zip(colours, bounds, strict=True) if _goes_on(lab, b, c)]
    ground += [colours[i] for i in _spanning_alike(bounds, colours)]
    return [
        (fill, box, colour)
        for fill, box, colour in found
        if all(delta_e(colour, c) >= ALIKE_FILL for c in ground)
        and sum(float(delta_e(colour, c)) < ALIKE_FILL for c in colours) >= 2
    ]


def _crossed(fill: np.ndarray, crop: np.ndarray) -> bool:
    """Whether coloured marks stand on a pale box (``fill``: its mask over its box,
    ``crop`` that box, CIELAB): a plot's ground under the points or lines drawn on it,
    not a bar (the words printed on a bar are neutral)."""
    return float(((chroma(crop) >= GRAY) & ~fill).mean()) > CROSSED


def _spanning_alike(
    bounds: list[tuple[int, int, int, int]], colours: list[np.ndarray]
) -> list[int]:
    """The boxes spanning one top to one foot (or one left to one right) with another box
    of their colour."""
    return [
        i
        for i, a in enumerate(bounds)
        for j, b in enumerate(bounds[:i])
        if float(delta_e(colours[i], colours[j])) < ALIKE_FILL
        and (
            max(abs(a[1] - b[1]), abs(a[3] - b[3])) <= RIM
            or max(abs(a[0] - b[0]), abs(a[2] - b[2])) <= RIM
        )
    ]


def _fills(
    mask: np.ndarray,
) -> Iterator[tuple[np.ndarray, tuple[slice, slice], tuple[int, int, int, int, int]]]:
    """Each part of ``mask`` large enough for a fill: its mask within its box and a ring
    round it, that box (as slices), and its own box and area (x, y, width, height, area)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=4
    )
    for label in range(1, count):
        x, y, width, height, area = (int(v) for v in stats[label])
        if area < SMALLEST or min(width, height) < SIDE:
            continue
        box = (
            slice(max(0, y - RING), y + height + RING),
            slice(max(0, x - RING), x + width + RING),
        )
        yield labels[box] == label, box, (x, y, width, height, area)


def _paint(
    painted: np.ndarray,
    found: np.ndarray,
    fill: np.ndarray,
    box: tuple[slice, slice],
    colour: np.ndarray,
    drawn: np.ndarray,
    under: np.ndarray,
) -> None:
    """Take a fill in (``found``) and paint it stronger in ``painted``."""
    found[box] |= fill
    flat = fill & ~drawn[box]  # the fill itself, not the grid lines across it
    painted[box][fill] = _strengthened(colour, under[box][flat])


def _gray_lines_across(tinted: np.ndarray, drawn: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """Gray drawn pixels with a tint close by either side along a row or a column: grid
    lines seen through a pale fill, which cut it into parts no larger than their spacing."""
    closed = np.zeros(tinted.shape, bool)
    for kernel in (np.ones((1, GRID_GAP), np.uint8), np.ones((GRID_GAP, 1), np.uint8)):
        closed |= cv2.morphologyEx(tinted.astype(np.uint8), cv2.MORPH_CLOSE, kernel).astype(bool)
    return closed & drawn & (chroma(lab) < GRAY)


def _flat_pale(
    fill: np.ndarray, lab: np.ndarray, drawn: np.ndarray, under: np.ndarray
) -> np.ndarray | None:
    """The colour (CIELAB) of a fill (its mask in the crops given) that is one flat colour
    on a light ground; else None (a gradient, such as a plot's shaded ground between its
    grid lines; a dark theme's plot)."""
    flat = lab[fill & ~drawn]  # the fill, the grid lines across it left out
    colour = np.median(flat, axis=0)
    if float(np.median(under[fill][:, 0])) < LIGHT:
        return None
    if float(np.percentile(delta_e(flat, colour), 90)) > FLAT:
        return None
    return colour


def _goes_on(lab: np.ndarray, bounds: tuple[int, int, int, int], colour: np.ndarray) -> bool:
    """Whether a flat pale box (``bounds``: x0, y0, x1, y1) goes on past a thin line on
    some side, along most of it: a cell of a ground cut by lighter grid lines. Past a
    bar's sides lie the ground and other series."""
    x0, y0, x1, y1 = bounds
    near, reach = RIM, GRID_GAP + 4  # past the fill's anti-aliased rim, a grid line away
    # Left, right, above and below it, its corners' rims left out.
    beyond = (
        lab[y0 + RIM : y1 - RIM, max(0, x0 - reach) : max(0, x0 - near)],
        lab[y0 + RIM : y1 - RIM, x1 + near : x1 + reach],
        lab[max(0, y0 - reach) : max(0, y0 - near), x0 + RIM : x1 - RIM].transpose(1, 0, 2),
        lab[y1 + near : y1 + reach, x0 + RIM : x1 - RIM].transpose(1, 0, 2),
    )
    # A side goes on where its colour lies within reach past most of its length, more
    # than a pixel of it (the blend of a darker line with a light ground, an axis's
    # anti-aliased side, passes through it in one).
    going_on = [
        strip.size > 0
        and float(((delta_e(strip, colour) < ALIKE_FILL).sum(axis=1) >= 2).mean()) > GOES_ON
        for strip in beyond
    ]
    return any(going_on)


def _outline_seen_through(
    fill: np.ndarray, lab: np.ndarray, drawn: np.ndarray, under: np.ndarray
) -> np.ndarray | None:
    """The fill's colour (CIELAB) where a coloured outline runs round ``fill`` (its mask in
    the crops given), the fill flat, that colour seen through, and more colourful than its
    light ground (a key's box, lighter than a gray plot, is no tint; nor is a dark theme's
    plot); else None."""
    colour = _flat_pale(fill, lab, drawn, under)
    ground = np.median(under[fill], axis=0)
    if colour is None or float(chroma(colour)) < float(chroma(ground)) + TINTED:
        return None
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
