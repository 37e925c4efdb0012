"""Bars drawn as a frame round a pattern in one colour on the page's ground: a plotting
program's pattern fill (hatching, cross-hatching) lays the series colour's lines over the
ground, not over a fill, and outlines the bar in the same colour. Segmentation gives the
frame, the hatch lines and their anti-aliased tints as many pieces in several shades, none
of them bar-shaped; each such bar is made one filled rectangle in the frame's colour, and
is painted so in the image the rest of the reading sees (the pattern's rows, read again
from the image, would pass for hairlines between stacked values).

Hand-written on OpenCV and NumPy: no library undoes a fill pattern.
"""

from __future__ import annotations

import cv2
import numpy as np

from docvlm.engines.native.backdrops import ground_distances
from docvlm.engines.native.colours import GRAY, chroma, nearest_seen_through
from docvlm.engines.native.segmentation import FOREGROUND, Piece, filled_box

TINT = 6.0  # delta E within which a shade is the frame's colour laid thinner on the ground
THINNEST = 0.15  # the least opacity a shade of the frame's colour is taken at
SMALLEST_SIDE = 5  # pixels: a framed bar's short side (a legend's sample included)
SHORTEST_LONG_SIDE = 12  # pixels: and its long side; a hollow marker is smaller
SIDE_DRAWN = 0.85  # the share of each side of its box a frame draws (a bar's foot too)
# The share of a frame's inside its pattern covers (none: a blank bar drawn as its outline)
# and the share where the page shows between its lines, none of the pieces' (none: a solid
# or see-through fill, left to the rest of the reading).
PATTERN = 0.08
OPEN = 0.05
# At least this share of what the pieces give as frame and pattern is the colour's shades in
# the image (a piece's mask may take in a label printed over it).
FRAME_TINTED = 0.5
OTHER_INK = 0.1  # at most this share of the inside is ink of another colour (a grid line)


def patterns_in_frames(
    pieces: list[Piece], lab: np.ndarray, backgrounds: list[np.ndarray]
) -> tuple[list[Piece], np.ndarray]:
    """The pieces with each bar drawn as a frame round a pattern of its own colour made one
    filled rectangle of that colour (the pieces of its shades inside it go), and the image
    with those bars painted solid."""
    ground = ground_distances(lab, backgrounds).min(axis=0) < FOREGROUND
    out = list(pieces)
    painted = lab
    for colour, members in _shades(pieces, backgrounds[0]):
        shade = _placed(members, lab.shape[:2])
        bars = [
            box
            for box in _framed_boxes(shade, ~ground & ~shade)
            if _patterned(box, shade, ground, lab, (colour, backgrounds[0]))
        ]
        if not bars:
            continue
        inside = {id(p) for p in members for box in bars if _within(p.box, box)}
        out = [p for p in out if id(p) not in inside] + [filled_box(box, colour) for box in bars]
        painted = painted.copy() if painted is lab else painted
        for x0, y0, x1, y1 in bars:
            painted[y0:y1, x0:x1] = colour
    return out, painted


def _shades(pieces: list[Piece], page: np.ndarray) -> list[tuple[np.ndarray, list[Piece]]]:
    """The coloured pieces grouped by colour: each with the strongest colour of which it is
    a thinner shade on the page (an anti-aliased hatch line's), strongest first."""
    groups: list[tuple[np.ndarray, list[Piece]]] = []
    coloured = [p for p in pieces if float(chroma(p.lab)) >= GRAY]
    for piece in sorted(coloured, key=lambda p: float(np.linalg.norm(p.lab - page)), reverse=True):
        for colour, members in groups:
            off, share = nearest_seen_through(piece.lab, page, colour)
            if float(off) <= TINT and float(share) >= THINNEST:
                members.append(piece)
                break
        else:
            groups.append((piece.lab, [piece]))
    return groups


def _placed(pieces: list[Piece], shape: tuple[int, ...]) -> np.ndarray:
    mask = np.zeros(shape, bool)
    for piece in pieces:
        x0, y0, x1, y1 = piece.box
        mask[y0:y1, x0:x1] |= piece.mask
    return mask


def _framed_boxes(mask: np.ndarray, ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The boxes of the shapes in ``mask`` that draw every side of their box. Where bars
    touch, the row they share blends both colours and is neither's: a side counts as drawn
    where other ``ink`` runs along just outside it."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    padded = np.pad(ink, 1)
    boxes = []
    for x, y, width, height, _ in stats[1:count]:
        if min(width, height) < SMALLEST_SIDE or max(width, height) < SHORTEST_LONG_SIDE:
            continue
        inner = mask[y : y + height, x : x + width]
        around = padded[y : y + height + 2, x : x + width + 2]
        sides = (
            inner[:2].any(axis=0) | around[0, 1:-1],
            inner[-2:].any(axis=0) | around[-1, 1:-1],
            inner[:, :2].any(axis=1) | around[1:-1, 0],
            inner[:, -2:].any(axis=1) | around[1:-1, -1],
        )
        if all(float(side.mean()) >= SIDE_DRAWN for side in sides):
            boxes.append((int(x), int(y), int(x + width), int(y + height)))
    return boxes


def _patterned(
    box: tuple[int, int, int, int],
    shade: np.ndarray,
    ground: np.ndarray,
    lab: np.ndarray,
    colour_on: tuple[np.ndarray, np.ndarray],
) -> bool:
    """Whether a frame's inside (the frame's own width and a pixel of anti-aliasing in)
    holds a pattern of its colour (``colour_on``: the colour and the page it is laid on)
    on the ground, with little ink of any other colour; and whether what the pieces give
    as frame and pattern is that colour in the image (a piece's mask may reach past the
    pixels of its colour: a line's took in the box of a label printed over it)."""
    x0, y0, x1, y1 = box
    colour, page = colour_on
    off, share = nearest_seen_through(lab[y0:y1, x0:x1], page, colour)
    tint = (off <= TINT) & (share >= THINNEST)
    drawn = shade[y0:y1, x0:x1]
    if float(tint[drawn].mean()) < FRAME_TINTED:
        return False
    inset = _frame_width(drawn) + 1
    inside = np.s_[inset : y1 - y0 - inset, inset : x1 - x0 - inset]
    if drawn[inside].size == 0:
        return False
    drawn_in, ground_in = drawn[inside], ground[y0:y1, x0:x1][inside]
    pattern = float(drawn_in.mean())
    open_ = float((ground_in & ~drawn_in).mean())
    other = float((~drawn_in & ~ground_in & ~tint[inside]).mean())
    return pattern >= PATTERN and open_ >= OPEN and other <= OTHER_INK


def _frame_width(mask: np.ndarray) -> int:
    """How many rows from the top a frame runs solid for, across most of its columns."""
    solid = mask.mean(axis=1) >= SIDE_DRAWN
    width = int(np.argmin(solid)) if not solid.all() else 0
    return max(1, min(width, mask.shape[0] // 4))


def _within(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = outer
    return inner[0] >= x0 and inner[1] >= y0 and inner[2] <= x1 and inner[3] <= y1
