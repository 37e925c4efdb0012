"""Fills outlined in their own colour: a web library draws a bar or an area as a strong
edge round a translucent fill of the same colour. The fill alone stops short of the shape's
edge by the outline's width (three pixels of a bar 40 high is several per cent of its
value), so a fill takes in its outline up to the outline's middle, where a drawn edge runs
(a stroke is centred on the path it draws).

Hand-written on OpenCV's distance transform: no library tells a shape's outline from its
fill."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

import cv2
import numpy as np

from docvlm.engines.native.colours import GRAY, chroma, nearest_seen_through


class Piece(Protocol):
    """What is read of a segmentation piece here (``segmentation.Piece``, which calls this
    module, so it is not imported): its mask inside its box, where the box stands, how
    many pixels it covers, its colour (CIELAB), its region number, its mask placed in a
    larger frame and the background it stands on."""

    mask: np.ndarray
    x: int
    y: int
    area: int
    lab: np.ndarray
    label: int

    @property
    def box(self) -> tuple[int, int, int, int]: ...

    def placed(self, x0: int, y0: int, width: int, height: int) -> np.ndarray: ...

    def ground(self, under: np.ndarray) -> np.ndarray: ...


P = TypeVar("P", bound=Piece)


# delta E within which a fill is its outline's colour seen through (a blend with the ground)
SEEN_THROUGH = 6.0
# The share of an edge's pixels within EDGE_REACH of its fill, and of the fill's outside:
# a line drawn inside a band of its colour (a mean in its spread) runs through the band,
# far from its outside.
ALONG = 0.8
EDGE_REACH = 6  # pixels: an edge as wide as a thick line
RING_OUT = 4  # pixels round an edge where the fill on its sides is looked for
THROUGH = 0.8  # the share of that ring a fill through which the edge runs covers


def take_in_edges(
    edges: Sequence[P], regions: Sequence[P], labels: np.ndarray, under: np.ndarray
) -> list[P]:
    """``edges`` (strokes, and regions: an edge three pixels wide or more is one) but those
    that edge a region in ``regions`` of their own colour seen through, each such region
    grown to its edge's middle. ``labels`` is the image of region numbers, ``under`` each
    pixel's background colour (CIELAB)."""
    by_label = {piece.label: piece for piece in regions}
    kept: list[P] = []
    for edge in edges:
        tinted = _tinted_beside(edge, labels, by_label, under)
        region = tinted[0] if tinted else None
        if region is None or _through(edge, labels, tinted) or not _grown_to_middle(region, edge):
            kept.append(edge)
        elif by_label.get(edge.label) is edge:
            del by_label[edge.label]  # taken in: no region of its own to grow into
    return kept


def _tinted_beside(
    border: Piece, labels: np.ndarray, by_label: Mapping[int, Piece], under: np.ndarray
) -> list[Piece]:
    """The regions beside ``border`` whose fill is the border's colour seen through (a
    blend of it with the ground), the nearest to it first: the first is the one it edges
    (a line between two areas borders both, and is the edge of the one of its colour). A
    gray, black or white edge (a bar drawn with a frame) is no part of the shape's
    colour."""
    if float(chroma(border.lab)) < GRAY:
        return []
    found = []
    for number in _beside(border, labels):
        region = by_label.get(number)
        if region is None or region is border:
            continue
        ground = region.ground(under)
        off, share = nearest_seen_through(region.lab[None], ground[None], border.lab[None])
        if float(off[0]) < SEEN_THROUGH and float(share[0]) < 1.0:
            found.append((float(off[0]), region))
    return [region for _, region in sorted(found, key=lambda f: f[0])]


def _through(border: Piece, labels: np.ndarray, tinted: list[Piece]) -> bool:
    """Whether ``border`` runs through a tinted fill, the fill on both its sides (a line
    drawn over a shaded band of its colour, cutting it in parts), not along its edge with
    the ground: the fill covers THROUGH of a ring round it, a pixel off it (its
    anti-aliased blends, neither's, left out)."""
    x0, y0 = max(0, border.x - RING_OUT), max(0, border.y - RING_OUT)
    near = labels[
        y0 : border.y + border.mask.shape[0] + RING_OUT,
        x0 : border.x + border.mask.shape[1] + RING_OUT,
    ]
    stroke = border.placed(x0, y0, near.shape[1], near.shape[0]).astype(np.uint8)
    outer = cv2.dilate(stroke, np.ones((2 * RING_OUT + 1,) * 2, np.uint8)).astype(bool)
    inner = cv2.dilate(stroke, np.ones((3, 3), np.uint8)).astype(bool)
    ring = outer & ~inner
    numbers = [piece.label for piece in tinted]
    return bool(ring.any()) and float(np.isin(near[ring], numbers).mean()) >= THROUGH


def _beside(border: Piece, labels: np.ndarray) -> list[int]:
    """The numbers of the regions that touch ``border`` (within a pixel)."""
    x0, y0 = max(0, border.x - 1), max(0, border.y - 1)
    near = labels[
        y0 : border.y + border.mask.shape[0] + 1, x0 : border.x + border.mask.shape[1] + 1
    ]
    ring = border.placed(x0, y0, near.shape[1], near.shape[0]).astype(np.uint8)
    ring = cv2.dilate(ring, np.ones((3, 3), np.uint8)).astype(bool)
    return [int(n) for n in np.unique(near[ring & (near > 0)])]


def _grown_to_middle(region: Piece, border: Piece) -> bool:
    """Give ``region`` the pixels of ``border`` nearer to it than to the outside, where
    ``border`` runs along the region's edge (False, and nothing given, where it does not)."""
    bx0, by0, bx1, by1 = border.box
    rx0, ry0, rx1, ry1 = region.box
    x0, y0 = min(bx0, rx0) - 1, min(by0, ry0) - 1
    width, height = max(bx1, rx1) + 1 - x0, max(by1, ry1) + 1 - y0
    inside = region.placed(x0, y0, width, height)
    stroke = border.placed(x0, y0, width, height)
    to_region = cv2.distanceTransform((~inside).astype(np.uint8), cv2.DIST_L2, 3)
    to_outside = cv2.distanceTransform((inside | stroke).astype(np.uint8), cv2.DIST_L2, 3)
    beside = float(np.mean(to_region[stroke] <= EDGE_REACH))
    edging = float(np.mean(to_outside[stroke] <= EDGE_REACH))
    if beside < ALONG or edging < ALONG:
        return False
    grown = inside | (stroke & (to_region <= to_outside))
    rows, columns = np.nonzero(grown)
    region.mask = grown[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    region.x, region.y = x0 + int(columns.min()), y0 + int(rows.min())
    region.area = int(region.mask.sum())
    return True
