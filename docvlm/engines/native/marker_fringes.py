"""A small marker drawn with thin strokes (a '+', an 'x', a '*') is a strong core where its
strokes cross and arms anti-aliased to a paler tint of its colour: the image's pieces of
one colour cut it into two pieces, one in each shade, on one spot. Read apart, each shade
is a series of its own (the cores' a line through them). Pieces of one hue standing on one
spot are one marker."""

from __future__ import annotations

from docvlm.engines.native.colours import chroma, hue, hues_apart
from docvlm.engines.native.segmentation import Piece

SAME_SPOT = 1.5  # pixels: the centres of a marker's two shades stand this close
SAME_HUE = 20.0  # degrees: a shade of a colour and its paler tint
BUCKET = 8  # pixels: pieces are paired within squares this big (and their neighbours)


def markers_whole(pieces: list[Piece], largest: float) -> list[Piece]:
    """The pieces, each small one (``largest`` pixels across at most) standing on the spot
    of another small one of its hue joined to it: one piece, in the stronger shade."""
    small = [i for i, p in enumerate(pieces) if max(p.mask.shape) <= largest]
    buckets: dict[tuple[int, int], list[int]] = {}
    for i in small:
        buckets.setdefault(_bucket(pieces[i]), []).append(i)
    joined: dict[int, Piece] = {}
    gone: set[int] = set()
    for i in small:
        if i in gone:
            continue
        bx, by = _bucket(pieces[i])
        for j in (
            j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in buckets.get((bx + dx, by + dy), [])
        ):
            if j != i and j not in gone and _one_marker(joined.get(i, pieces[i]), pieces[j]):
                joined[i] = _joined(joined.get(i, pieces[i]), pieces[j])
                gone.add(j)
    return [joined.get(i, p) for i, p in enumerate(pieces) if i not in gone]


def _bucket(piece: Piece) -> tuple[int, int]:
    x, y = _centre(piece)
    return int(x // BUCKET), int(y // BUCKET)


def _centre(piece: Piece) -> tuple[float, float]:
    x0, y0, x1, y1 = piece.box
    return (x0 + x1) / 2, (y0 + y1) / 2


def _one_marker(piece: Piece, other: Piece) -> bool:
    """Two pieces of one marker: centred on one spot, of one hue, in two shades."""
    (x, y), (ox, oy) = _centre(piece), _centre(other)
    if max(abs(x - ox), abs(y - oy)) > SAME_SPOT:
        return False
    first, second = hue(piece.lab), hue(other.lab)
    return first is not None and second is not None and hues_apart(first, second) <= SAME_HUE


def _joined(piece: Piece, other: Piece) -> Piece:
    """Two pieces as one, in the stronger (more colourful) one's colour."""
    x0, y0 = min(piece.x, other.x), min(piece.y, other.y)
    x1, y1 = max(piece.box[2], other.box[2]), max(piece.box[3], other.box[3])
    size = (x0, y0, x1 - x0, y1 - y0)
    mask = piece.placed(*size) | other.placed(*size)
    strong = max((piece, other), key=lambda p: float(chroma(p.lab)))
    return Piece(
        mask,
        x0,
        y0,
        int(mask.sum()),
        strong.lab,
        thin=strong.thin,
        rgb=strong.rgb,
        label=strong.label,
    )
