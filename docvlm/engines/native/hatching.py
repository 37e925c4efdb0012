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
from docvlm.engines.native.narrow_bars import as_fill, stroked_fill
from docvlm.engines.native.segmentation import (
    FOREGROUND,
    SAME_COLOUR,
    Piece,
    enclosed,
    filled_box,
)

GAP = 7  # pixels: the widest hatch line (with its anti-aliased edges) a fill is joined across
MIN_PIECES = 2  # a pattern cuts a mark into at least this many pieces
# Joined across the gaps, a hatched mark covers at least this much more than its pieces do;
# a line with markers on it, or bars a white hairline apart, hardly more.
SWELL = 1.25
SLANT_FILL = 0.5  # a strip of fill between slanting hatch lines covers less of its box
MIN_STRIPS = 4  # a slanting pattern cuts a bar into at least this many strips
# A bit of fill that a grid line drawn over the bar cut off a strip (a triangle, a
# trapezoid) covers more of its box than a strip, and less than a rectangle does.
SLANT_BIT = 0.85
FILLED = 0.95  # joined, a hatched bar's bits fill at least this much of their box
# A narrow bar's bits leave its outline's anti-aliased ends out of the joined shape.
NARROW_FILLED = 0.9
OPEN = 0.03  # at most this share of a hatched bar's box is background or another fill


def join_hatched(
    pieces: list[Piece], lab: np.ndarray, backgrounds: list[np.ndarray], swatch_px: float
) -> list[Piece]:
    """The pieces with each pattern-filled mark made whole again: the pieces of one colour
    (:func:`~.segmentation.segment` gave each series one) that join across gaps of hatching
    into one solid shape become one filled piece, and so does a fill that a fine pattern
    left as one stroke (see :func:`~.narrow_bars.stroked_fill`); strokes on it (the hatch
    lines) go. ``swatch_px``: the size of a legend swatch, in pixels."""
    ground = ground_distances(lab, backgrounds).min(axis=0) < FOREGROUND
    stroked = [p for p in pieces if stroked_fill(p)]
    joined: list[Piece] = [as_fill(p) for p in stroked]
    replaced: set[int] = {id(p) for p in stroked}
    by_colour: dict[tuple[float, ...], list[Piece]] = {}
    for piece in pieces:
        if not _long_stroke(piece) and id(piece) not in replaced:
            by_colour.setdefault(tuple(np.round(piece.lab, 3)), []).append(piece)
    filled = _filled_by_colour(list(by_colour.values()), ground.shape)
    for number, members in enumerate(by_colour.values(), start=1):
        others = (filled > 0) & (filled != number)
        for whole, parts in _wholes(members, lab, swatch_px, ground | others):
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


def _filled_by_colour(groups: list[list[Piece]], shape: tuple[int, ...]) -> np.ndarray:
    """Which colour's filled regions cover each pixel: the group's number from 1 (0: none)."""
    filled = np.zeros(shape, np.int32)
    for number, members in enumerate(groups, start=1):
        for piece in members:
            if not piece.thin:
                x0, y0, x1, y1 = piece.box
                filled[y0:y1, x0:x1][piece.mask] = number
    return filled


def _wholes(
    members: list[Piece], lab: np.ndarray, swatch_px: float, elsewhere: np.ndarray
) -> list[tuple[Piece, list[Piece]]]:
    """The solid shapes one colour's pieces make, joined across hatching (at least
    ``MIN_PIECES`` of them, filling ``SWELL`` times what they cover; a legend swatch's
    pieces, hardly bigger than the hatching's gaps, need not), each with the pieces it is
    made of. ``elsewhere``: the pixels no hatched mark of this colour covers (background,
    other colours' fills)."""
    wholes = []
    for parts, component in _joined(members, lab.shape[:2], GAP):
        ys, xs = np.nonzero(component)
        sides = sorted((int(np.ptp(ys)) + 1, int(np.ptp(xs)) + 1))
        swatch = sides[0] <= swatch_px and sides[1] <= 2 * swatch_px
        swatch = swatch and any(not p.thin for p in parts)
        swells = component.sum() >= SWELL * sum(p.area for p in parts)
        swells = swells or _cut_on_a_slant(parts, component[ys.min() : ys.max() + 1])
        # Hatch lines far apart swell a fill little: bits that are all slanting and leave
        # nothing else in their box are one mark all the same.
        swells = swells or _hatched_box(parts, _box(component), elsewhere, MIN_PIECES)
        # Bits of an anti-aliased line lie close too: a fill's pieces are mostly regions.
        regions = sum(p.area for p in parts if not p.thin)
        if (
            len(parts) < MIN_PIECES
            or not (swells or swatch)
            or regions < 0.5 * sum(p.area for p in parts)
        ):
            continue
        box = _box(component)
        if _hatched_box(parts, box, elsewhere):
            wholes.append((filled_box(box, parts[0].lab), parts))
        else:
            wholes.append((_piece_of(component, parts[0].lab), parts))
    used = {id(p) for _, parts in wholes for p in parts}
    return wholes + _sparse_bits(
        [p for p in members if id(p) not in used and not p.thin], elsewhere
    )


def _sparse_bits(left: list[Piece], elsewhere: np.ndarray) -> list[tuple[Piece, list[Piece]]]:
    """Bars whose hatching left bits of fill further apart than a hatch line (crossed
    hatching, or a grid line down a narrow bar, leaves one side's bits too small for
    regions): bits one above another across one width (or side by side across one
    height) join when nothing but drawing lies between them (see :func:`_hatched_box`)."""
    wholes: list[tuple[Piece, list[Piece]]] = []
    for across in (0, 1):  # 0: bits one above another, 1: side by side
        taken = {id(p) for _, parts in wholes for p in parts}
        for run in _runs_in_line([p for p in left if id(p) not in taken], across, elsewhere):
            box = (
                min(p.box[0] for p in run),
                min(p.box[1] for p in run),
                max(p.box[2] for p in run),
                max(p.box[3] for p in run),
            )
            if _hatched_box(run, box, elsewhere):
                wholes.append((filled_box(box, run[0].lab), run))
    return wholes


def _runs_in_line(bits: list[Piece], across: int, elsewhere: np.ndarray) -> list[list[Piece]]:
    """Bits of one span across (columns for ``across`` 0), one after another with only
    drawing between each and the next; runs of at least ``MIN_STRIPS``."""
    low, high = (0, 2) if across == 0 else (1, 3)
    runs: list[list[Piece]] = []
    for bit in sorted(bits, key=lambda p: (p.box[low], p.box[high], p.box[1 - across])):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and abs(last.box[low] - bit.box[low]) <= 1
            and abs(last.box[high] - bit.box[high]) <= 1
            and _only_drawing_between(last, bit, across, elsewhere)
        ):
            runs[-1].append(bit)
        else:
            runs.append([bit])
    return [run for run in runs if len(run) >= MIN_STRIPS]


def _only_drawing_between(first: Piece, second: Piece, across: int, elsewhere: np.ndarray) -> bool:
    x0, y0, x1, y1 = first.box
    if across == 0:
        gap = elsewhere[y1 : second.box[1], max(x0, second.box[0]) : min(x1, second.box[2])]
    else:
        gap = elsewhere[max(y0, second.box[1]) : min(y1, second.box[3]), x1 : second.box[0]]
    return not gap.size or float(gap.mean()) <= OPEN


def _joined(
    members: list[Piece], shape: tuple[int, ...], reach: int
) -> list[tuple[list[Piece], np.ndarray]]:
    """The pieces grouped by the shapes they make joined across gaps up to ``reach``
    pixels, each group with its shape (a mask of the whole image)."""
    mask = np.zeros(shape, np.uint8)
    for piece in members:
        x0, y0, x1, y1 = piece.box
        mask[y0:y1, x0:x1] |= piece.mask.astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((reach, reach), np.uint8))
    _, labels = cv2.connectedComponents(closed, connectivity=8)
    groups: dict[int, list[Piece]] = {}
    for piece in members:
        ys, xs = np.nonzero(piece.mask)
        groups.setdefault(int(labels[piece.y + ys[0], piece.x + xs[0]]), []).append(piece)
    return [(parts, labels == number) for number, parts in groups.items()]


def _box(component: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(component)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _cut_on_a_slant(parts: list[Piece], rows: np.ndarray) -> bool:
    """Whether a fill that slanting hatch lines cut into bits is whole again: most of the
    pieces are slanting bits (no rectangles), and joined they fill the box they stand in
    (``rows``: the joined component's rows), as a bar does. Either a few are slanting
    strips (each filling little of its box; some cut again by a grid line drawn over the
    bar), or the bits stand one above another (or side by side) across the bar's whole
    width, as hatching cuts a narrow bar. Thin lines far apart swell the fill too little
    to tell it from pieces lying close."""
    columns = np.nonzero(rows.any(axis=0))[0]
    box = rows[:, columns.min() : columns.max() + 1]
    slanting = sum(not p.thin and p.fill < SLANT_BIT for p in parts)
    if slanting < MIN_STRIPS or slanting < 0.5 * len(parts):
        return False
    strips = sum(not p.thin and p.fill < SLANT_FILL for p in parts)
    if strips >= MIN_STRIPS and float(box.mean()) >= FILLED:
        return True
    return _across_the_bar(parts, box.shape) and float(box.mean()) >= NARROW_FILLED


def _across_the_bar(parts: list[Piece], shape: tuple[int, ...]) -> bool:
    """Whether every region among the pieces spans the joined shape's whole width (or
    whole height), a pixel or two aside: bits of a narrow bar, one after another."""
    regions = [p.mask.shape for p in parts if not p.thin]
    return any(all(abs(side[axis] - shape[axis]) <= 2 for side in regions) for axis in (0, 1))


def _hatched_box(
    parts: list[Piece],
    box: tuple[int, int, int, int],
    elsewhere: np.ndarray,
    fewest: int = MIN_STRIPS,
) -> bool:
    """Whether a hatched mark's pieces are bits of one bar filling ``box``: slanting bits
    (no rectangles; at least ``fewest``), and nothing in the box but them and what is drawn
    over them (hatch lines, a grid line, the pattern's crossings): no background, no other
    colour's fill. Crossed hatching in a narrow bar leaves bits too small for regions
    along one side."""
    slanting = sum(not p.thin and p.fill < SLANT_BIT for p in parts)
    if slanting < fewest or slanting < 0.5 * len(parts):
        return False
    x0, y0, x1, y1 = box
    return float(elsewhere[y0:y1, x0:x1].mean()) <= OPEN


def _piece_of(component: np.ndarray, lab: np.ndarray) -> Piece:
    """A filled piece covering a joined component, its holes (dots of a pattern) filled."""
    ys, xs = np.nonzero(component)
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    inner = component[y0:y1, x0:x1]
    filled = inner | enclosed(inner)
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
