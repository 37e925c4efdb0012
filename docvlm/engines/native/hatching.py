"""Marks in chart images cut apart by what is drawn over them. Hatch lines, cross-hatching
and dots over a bar's (or slice's, or area's) fill cut it into many small pieces of the
fill's colour; a line series drawn across a bar cuts it in two. The pieces of one colour
that a few pixels of drawing keep apart are joined again into the mark they were cut from,
and the hatch strokes inside it go.

Hand-written on OpenCV and NumPy: no library undoes a fill pattern.
"""

from __future__ import annotations

import cv2
import numpy as np

from docvlm.engines.native.backdrops import ground_distances
from docvlm.engines.native.colours import delta_e, lab_to_rgb
from docvlm.engines.native.segmentation import FOREGROUND, SAME_COLOUR, Piece

GAP = 7  # pixels: the widest hatch line (with its anti-aliased edges) a fill is joined across
MIN_PIECES = 2  # a pattern cuts a mark into at least this many pieces
# Joined across the gaps, a hatched mark covers at least this much more than its pieces do;
# a line with markers on it, or bars a white hairline apart, hardly more.
SWELL = 1.25
SLANT_FILL = 0.5  # a strip of fill between slanting hatch lines covers less of its box
MIN_STRIPS = 4  # a slanting pattern cuts a bar into at least this many strips


def join_hatched(
    pieces: list[Piece], lab: np.ndarray, backgrounds: list[np.ndarray], swatch_px: float
) -> list[Piece]:
    """The pieces with each pattern-filled mark made whole again: the pieces of one colour
    (:func:`~.segmentation.segment` gave each series one) that join across gaps of hatching
    into one solid shape become one filled piece; strokes on it (the hatch lines) go.
    ``swatch_px``: the size of a legend swatch, in pixels."""
    ground = ground_distances(lab, backgrounds).min(axis=0) < FOREGROUND
    by_colour: dict[tuple[float, ...], list[Piece]] = {}
    for piece in pieces:
        if not _long_stroke(piece):
            by_colour.setdefault(tuple(np.round(piece.lab, 3)), []).append(piece)
    joined: list[Piece] = []
    replaced: set[int] = set()
    for members in by_colour.values():
        for whole, parts in _wholes(members, lab, swatch_px):
            joined.append(whole)
            replaced.update(id(p) for p in parts)
    if not joined:
        return _join_cut_bars(pieces, ground, swatch_px, _Tints(lab, backgrounds))
    cover = np.zeros(lab.shape[:2], np.uint8)
    for whole in joined:
        x0, y0, x1, y1 = whole.box
        cover[y0:y1, x0:x1] |= whole.mask.astype(np.uint8)
    # A pattern's strokes run on to the mark's outline, just outside its fill.
    near = cv2.dilate(cover, np.ones((GAP, GAP), np.uint8)).astype(bool)
    kept = [p for p in pieces if id(p) not in replaced and not (p.thin and _on(p, near))]
    return _join_cut_bars(kept + joined, ground, swatch_px, _Tints(lab, backgrounds))


def _join_cut_bars(
    pieces: list[Piece], ground: np.ndarray, swatch_px: float, tints: _Tints
) -> list[Piece]:
    """Rectangles of one colour standing in line, the same width (or height), a stroke's
    width apart with a stroke between them (not the background: ``ground``, nor a
    hairline of it anti-aliased into their colour: ``tints``), are one bar that a line
    drawn across it cut in two; so is a corner that a slanting line cut off a bar (inside
    the bar's box, filling it with the rest of the bar)."""
    for across in (0, 1):  # 0: columns (one above the other), 1: bars side by side
        pieces = _join_in_line(pieces, across, ground, swatch_px, tints)
    return _join_corners(pieces, ground)


def _join_corners(pieces: list[Piece], ground: np.ndarray) -> list[Piece]:
    regions = sorted((p for p in pieces if not p.thin), key=lambda p: -p.area)
    corners: set[int] = set()
    wholes: dict[int, Piece] = {}
    for whole in regions:
        for corner in regions:
            if (
                corner is whole
                or id(corner) in corners
                or id(whole) in corners
                or not np.allclose(whole.lab, corner.lab)
                or not _inside(corner.box, whole.box)
                or not _fill_together(wholes.get(id(whole), whole), corner)
                or _background_between(wholes.get(id(whole), whole), corner, ground)
            ):
                continue
            wholes[id(whole)] = _rectangle(wholes.get(id(whole), whole), corner)
            corners.add(id(corner))
    if not corners:
        return pieces
    return [wholes.get(id(p), p) for p in pieces if id(p) not in corners]


def _inside(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return (
        inner[0] >= outer[0] - 1
        and inner[1] >= outer[1] - 1
        and inner[2] <= outer[2] + 1
        and inner[3] <= outer[3] + 1
    )


def _join_in_line(
    pieces: list[Piece], across: int, ground: np.ndarray, swatch_px: float, tints: _Tints
) -> list[Piece]:
    def span(piece: Piece) -> tuple[int, int]:
        box = piece.box
        return (box[0], box[2]) if across == 0 else (box[1], box[3])

    def extent(piece: Piece) -> tuple[int, int]:
        box = piece.box
        return (box[1], box[3]) if across == 0 else (box[0], box[2])

    bars = sorted(
        (p for p in pieces if not p.thin),
        key=lambda p: (tuple(np.round(p.lab, 3)), span(p), extent(p)),
    )
    merged: dict[int, Piece] = {}
    out: list[Piece] = []
    for piece in bars:
        last = out[-1] if out else None
        if (
            last is not None
            and np.allclose(last.lab, piece.lab)
            and all(abs(a - b) <= 1 for a, b in zip(span(last), span(piece), strict=True))
            and extent(last)[0] < extent(piece)[0] <= extent(last)[1] + GAP
            and (_rectangular(last) or _rectangular(piece) or _fill_together(last, piece))
            and not _background_between(last, piece, ground, tints)
            and max(extent(piece)[1] - extent(piece)[0], extent(last)[1] - extent(last)[0])
            > swatch_px
        ):
            joined = _rectangle(last, piece)
            merged[id(piece)] = merged[id(last)] = joined
            out[-1] = joined
        else:
            out.append(piece)
    if not merged:
        return pieces
    ids = {id(p) for p in bars}
    return [p for p in pieces if id(p) not in ids] + out


def _background_between(
    first: Piece, second: Piece, ground: np.ndarray, tints: _Tints | None = None
) -> bool:
    """Whether the pixels of the two pieces' box that neither covers are mostly background
    (two bars side by side, or stacked a background-coloured hairline apart, which
    anti-aliasing tints with their colour), not a stroke drawn over one bar."""
    (x0, y0, x1, y1), covered = _covered(first, second)
    between = ground[y0:y1, x0:x1]
    if tints is not None:
        between = between | tints.of(first.lab, (x0, y0, x1, y1))
    rest = between[~covered]
    return bool(rest.size) and float(rest.mean()) >= 0.5


TINT = 0.6  # a tint holds less than this share of a colour, the rest background


class _Tints:
    """Which pixels of an image are tints of a colour: blends of a background with less
    than ``TINT`` of it (a background-coloured hairline anti-aliased into a bar's fill,
    where a stroke of another colour is not)."""

    def __init__(self, lab: np.ndarray, backgrounds: list[np.ndarray]) -> None:
        self.lab, self.backgrounds = lab, backgrounds

    def of(self, colour: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
        x0, y0, x1, y1 = box
        pixels = self.lab[y0:y1, x0:x1].astype(np.float32)
        tinted = np.zeros(pixels.shape[:2], bool)
        for background in self.backgrounds:
            span = (colour - background).astype(np.float32)
            share = ((pixels - background) * span).sum(axis=2) / max(float((span**2).sum()), 1e-6)
            blend = background + np.clip(share, 0.0, 1.0)[..., None] * span
            tinted |= (share < TINT) & (delta_e(pixels, blend) < SAME_COLOUR)
        return tinted


def _rectangular(piece: Piece) -> bool:
    return piece.fill >= 0.85 or piece.upright


def _fill_together(first: Piece, second: Piece) -> bool:
    """Whether two pieces fill the box they stand in together, but for a stroke's width
    between them: a bar that a slanting line cut into two pieces, neither of them a
    rectangle."""
    return float(_covered(first, second)[1].mean()) >= 0.85


def _covered(first: Piece, second: Piece) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """The box two pieces stand in, and which of its pixels either covers."""
    x0, y0 = min(first.box[0], second.box[0]), min(first.box[1], second.box[1])
    x1, y1 = max(first.box[2], second.box[2]), max(first.box[3], second.box[3])
    covered = np.zeros((y1 - y0, x1 - x0), bool)
    for piece in (first, second):
        px0, py0, px1, py1 = piece.box
        covered[py0 - y0 : py1 - y0, px0 - x0 : px1 - x0] |= piece.mask
    return (x0, y0, x1, y1), covered


def _rectangle(first: Piece, second: Piece) -> Piece:
    """Two pieces of a bar as the one bar: the rectangle both stand in."""
    x0, y0 = min(first.box[0], second.box[0]), min(first.box[1], second.box[1])
    x1, y1 = max(first.box[2], second.box[2]), max(first.box[3], second.box[3])
    mask = np.ones((y1 - y0, x1 - x0), bool)
    return Piece(mask, x0, y0, int(mask.sum()), first.lab, rgb=first.rgb)


def _wholes(
    members: list[Piece], lab: np.ndarray, swatch_px: float
) -> list[tuple[Piece, list[Piece]]]:
    """The solid shapes one colour's pieces make, joined across hatching (at least
    ``MIN_PIECES`` of them, filling ``SWELL`` times what they cover; a legend swatch's
    pieces, hardly bigger than the hatching's gaps, need not), each with the pieces it is
    made of."""
    mask = np.zeros(lab.shape[:2], np.uint8)
    for piece in members:
        x0, y0, x1, y1 = piece.box
        mask[y0:y1, x0:x1] |= piece.mask.astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((GAP, GAP), np.uint8))
    _, labels = cv2.connectedComponents(closed, connectivity=8)
    groups: dict[int, list[Piece]] = {}
    for piece in members:
        ys, xs = np.nonzero(piece.mask)
        groups.setdefault(int(labels[piece.y + ys[0], piece.x + xs[0]]), []).append(piece)
    wholes = []
    for number, parts in groups.items():
        component = labels == number
        ys, xs = np.nonzero(component)
        sides = sorted((int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1))
        swatch = sides[0] <= swatch_px and sides[1] <= 2 * swatch_px
        swatch = swatch and any(not p.thin for p in parts)
        swells = component.sum() >= SWELL * sum(p.area for p in parts)
        swells = swells or _cut_on_a_slant(parts, component[ys.min() : ys.max() + 1])
        # Bits of an anti-aliased line lie close too: a fill's pieces are mostly regions.
        regions = sum(p.area for p in parts if not p.thin)
        if (
            len(parts) < MIN_PIECES
            or not (swells or swatch)
            or regions < 0.5 * sum(p.area for p in parts)
        ):
            continue
        wholes.append((_piece_of(component, parts[0].lab), parts))
    return wholes


def _cut_on_a_slant(parts: list[Piece], rows: np.ndarray) -> bool:
    """Whether a fill that fine slanting hatch lines cut into strips is whole again: most
    of the pieces are slanting strips (each filling little of its box), and joined they
    fill the box they stand in (``rows``: the joined component's rows), as a bar does. Thin
    lines far apart swell the fill too little to tell it from pieces lying close."""
    columns = np.nonzero(rows.any(axis=0))[0]
    box = rows[:, columns.min() : columns.max() + 1]
    strips = sum(not p.thin and p.fill < SLANT_FILL for p in parts)
    return strips >= MIN_STRIPS and strips >= 0.5 * len(parts) and float(box.mean()) >= 0.95


def _piece_of(component: np.ndarray, lab: np.ndarray) -> Piece:
    """A filled piece covering a joined component, its holes (dots of a pattern) filled."""
    ys, xs = np.nonzero(component)
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    inner = component[y0:y1, x0:x1].astype(np.uint8)
    outer = np.pad(inner, 1)
    flood = outer.copy()
    cv2.floodFill(flood, None, (0, 0), 2)
    filled = (flood != 2)[1:-1, 1:-1]
    return Piece(filled, x0, y0, int(filled.sum()), lab, rgb=lab_to_rgb(lab))


def _long_stroke(piece: Piece) -> bool:
    """A stroke longer than a pattern cuts bits of fill into: a line series, not part of a
    fill (a fine pattern leaves bits of fill too thin for regions, taken for strokes)."""
    height, width = piece.mask.shape
    return piece.thin and max(height, width) > 3 * GAP


def _on(stroke: Piece, cover: np.ndarray) -> bool:
    """Whether a stroke lies on the joined marks (a hatch line), not across them."""
    x0, y0, x1, y1 = stroke.box
    return float(cover[y0:y1, x0:x1][stroke.mask].mean()) >= 0.8
