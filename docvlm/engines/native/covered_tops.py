"""Bars whose top a line series drawn over them hides: the bar's fill stops where the line
starts, a line's width short of where the bar ends somewhere under it (a line 3 pixels
wide over a plot 290 high is 1% of the axis). The middle of the line is the nearest
guess, as a stroke's middle is where its path runs (see :mod:`~.fill_borders`).

Hand-written on NumPy: no library tells what a stroke hides."""

from __future__ import annotations

import numpy as np

from docvlm.engines.native.colours import GRAY, chroma, delta_e
from docvlm.engines.native.segmentation import SAME_COLOUR, Piece

SOLID = 0.85  # the share of its box a bar's fill covers
ACROSS = 0.8  # the share of the bar's top the line runs along
BEYOND = 3  # pixels: the line runs on past the bar's side at least this far (no edge)
GAP = 2  # pixels between the bar's top and the line (their anti-aliased seam)
THICKEST = 8  # pixels: a line thicker than this over the bar is no stroke


def raised_under_lines(pieces: list[Piece], shape: tuple[int, ...]) -> list[Piece]:
    """``pieces`` with each bar whose top a coloured line covers grown up to where it
    ends: to the top of the strip of it left over the line where the line cuts across
    near its top (that strip no piece of its own then), else, where the line runs along
    its top, to the line's middle (``shape``: the image's height and width)."""
    owner = np.zeros(shape[:2], np.int32)  # 1 + the index of the piece at each pixel
    for index, piece in enumerate(pieces):
        x0, y0, x1, y1 = piece.box
        owner[y0:y1, x0:x1][piece.mask] = index + 1
    merged: set[int] = set()
    for index, piece in enumerate(pieces):
        if index in merged or piece.thin or piece.fill < SOLID or min(piece.mask.shape) < 3:
            continue
        strip = _strip_over(piece, pieces, owner)
        if strip is not None:
            _grow_up(piece, piece.y - pieces[strip].y)
            merged.add(strip)
        elif (line := _line_along_top(piece, pieces, owner)) is not None:
            _grow_up(piece, _half_under(piece, line, owner))
    return [piece for index, piece in enumerate(pieces) if index not in merged]


def _line_along_top(piece: Piece, pieces: list[Piece], owner: np.ndarray) -> int | None:
    """The number in ``owner`` of the coloured line running along most of ``piece``'s top
    (within a seam's width over it), or None."""
    x0, y0, x1, _ = piece.box
    band = owner[max(0, y0 - GAP - 1) : y0, x0:x1]
    numbers = band[band > 0]
    if not len(numbers):
        return None
    number = int(np.bincount(numbers).argmax())
    along = float(np.mean((band == number).any(axis=0)))
    return number if along >= ACROSS and _a_line(pieces[number - 1], piece) else None


def _strip_over(piece: Piece, pieces: list[Piece], owner: np.ndarray) -> int | None:
    """The index of a piece of ``piece``'s colour over it within its sides, with nothing
    between them but a coloured line running on past the bar: the bar's top, which the
    line cut off."""
    x0, y0, x1, _ = piece.box
    top = max(0, y0 - GAP - THICKEST - GAP - 1)
    band = owner[top:y0, x0:x1]
    for number in np.unique(band[band > 0]):
        other = pieces[int(number) - 1]
        ox0, _, ox1, _ = other.box
        if other is piece or ox0 < x0 - 1 or ox1 > x1 + 1:
            continue
        if float(delta_e(other.lab, piece.lab)) > SAME_COLOUR:
            continue
        lines = set(np.unique(band[(band > 0) & (band != number)]).tolist())
        if len(lines) == 1 and _a_line(pieces[lines.pop() - 1], piece):
            return int(number) - 1
    return None


def _half_under(piece: Piece, line: int, owner: np.ndarray) -> int:
    """Rows from ``piece``'s top to the middle of the line over it (0 for a line too
    thick to be a stroke)."""
    x0, y0, x1, _ = piece.box
    band = owner[max(0, y0 - GAP - THICKEST - 1) : y0, x0:x1]
    hidden = [int(np.sum(band[:, i] == line)) for i in range(band.shape[1])]
    thickness = float(np.median([h for h in hidden if h])) if any(hidden) else 0.0
    return _seam(band, line) + round(thickness / 2) if thickness <= THICKEST else 0


def _seam(column: np.ndarray, line: int) -> int:
    """Rows between the bar's top and the line's foot (the median over the columns)."""
    feet = []
    for i in range(column.shape[1]):
        rows = np.nonzero(column[::-1, i] == line)[0]
        if len(rows):
            feet.append(int(rows[0]))
    return round(float(np.median(feet))) if feet else 0


def _a_line(line: Piece, bar: Piece) -> bool:
    """Whether ``line`` is a coloured stroke running on past the bar's sides, not the
    next segment of a stack, the bar of the next row or an edge drawn round the bar."""
    lx0, _, lx1, _ = line.box
    bx0, _, bx1, _ = bar.box
    past = lx0 <= bx0 - BEYOND or lx1 >= bx1 + BEYOND
    # A stroke: as thin, on average along its width, as a line is drawn (the next row's
    # bar of a horizontal stack, running on past this one, is as thick as a bar).
    thin = line.area <= THICKEST * max(1, lx1 - lx0)
    return past and thin and float(chroma(line.lab)) >= GRAY


def _grow_up(piece: Piece, rows: int) -> None:
    if rows <= 0:
        return
    top = np.repeat(piece.mask[:1], rows, axis=0)  # the top row, carried up
    piece.mask = np.vstack([top, piece.mask])
    piece.y -= rows
    piece.area = int(piece.mask.sum())
