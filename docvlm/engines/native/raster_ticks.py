"""Tick marks hanging under a raster chart's level rules (an x axis), or standing on them
into the plot, faint ones included:
a web library draws them in its grid lines' light gray, too close to the page's colour to
pass for drawn ink, yet they tell where each category stands exactly, which a turned
label's box does not (each library hangs a turned label from its tick differently).

Hand-written on NumPy: a tick is a few pixels of one column, which no line detector keeps.
"""

from __future__ import annotations

import numpy as np

from docvlm.document import Drawing
from docvlm.engines.native.backdrops import runs
from docvlm.engines.native.colours import GRAY, chroma, delta_e
from docvlm.geometry import BBox

TICK_POINTS = 10.0  # the longest tick mark (points)
FAINT = 4.0  # delta E from the ground that a faint tick stands out by
MIN_LENGTH = 3  # pixels: a tick mark is at least this long
TICK_WIDTH = 1.5  # points: the widest tick mark (pixels: at least 3, anti-aliased)
LENGTH_SLACK = 2  # pixels: tick marks of one axis are as long as one another within this
MIN_TICKS = 3


def ticks_under(
    lab: np.ndarray,
    rules: list[tuple[int, int, int, int]],
    scale: float,
    words: list[tuple[int, int, int, int]],
) -> tuple[Drawing, ...]:
    """The tick marks under the level rules (boxes in pixels; ``scale``: points a pixel),
    as upright hairline drawings in points, as a PDF draws them. Nothing inside a level
    word's box (``words``, in pixels) is a tick: tick labels set close under the axis
    have upright strokes hanging from it too. (A turned label's box is no help: it
    reaches up beside its tick.)"""
    text = np.zeros(lab.shape[:2], bool)
    for x0, y0, x1, y1 in words:
        text[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = True
    found: list[Drawing] = []
    seen: set[tuple[int, int]] = set()
    rows = {(y0, y1) for x0, y0, x1, y1 in rules if x1 - x0 > y1 - y0}  # the level rules'
    depth = max(MIN_LENGTH + 1, int(TICK_POINTS / scale))
    widest = max(3, int(TICK_WIDTH / scale))
    for y0, y1 in sorted(rows):
        # Ticks pointing out of the plot hang under its axis; pointing in, they stand on it.
        sides = (_ticks_below(lab, y0, y1, depth, widest), _ticks_above(lab, y0, y1, depth, widest))
        # A glyph's stroke inside a word's box is none.
        kept = [[t for t in side if not text[t[1] : t[2], int(t[0])].any()] for side in sides]
        for x, top, bottom in max(kept, key=len):
            if (round(x), bottom) in seen:
                continue  # one line found as two rules a row apart
            seen.update((round(x) + dx, bottom + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
            box = BBox(x, top, x, bottom).scaled(scale)
            found.append(Drawing(box, "stroke", (0.5, 0.5, 0.5), None, 1.0, ()))
    return tuple(found)


def _ticks_above(
    lab: np.ndarray, y0: int, y1: int, depth: int, widest: int
) -> list[tuple[float, int, int]]:
    """(centre column, top row, bottom row) of each tick standing up from the level rule in
    rows ``y0`` to ``y1`` into the plot, down to the rule's foot (where a tick hanging
    under it starts): those hanging from it, the image turned over."""
    if y0 < depth:
        return []
    height, foot = lab.shape[0], max(y1, y0 + 1)
    flipped = lab[::-1]
    return [
        (x, height - below, foot)
        for x, _, below in _ticks_below(flipped, height - foot, height - y0, depth, widest)
    ]


def _ticks_below(
    lab: np.ndarray, y0: int, y1: int, depth: int, widest: int
) -> list[tuple[float, int, int]]:
    """(centre column, top row, bottom row) of each tick hanging from the level rule in
    rows ``y0`` to ``y1``: thin upright runs of gray starting at the rule's lower edge and
    ending within ``depth`` rows (a grid line running on past the axis does not end), all
    about as long. Looked for along the rule's whole row, under its drawn pixels: the
    rule's box may stop short of the axis's ends (the corner tick hangs where the upright
    axis meets it; a line series crossing it cuts it)."""
    band = lab[y1 : y1 + depth]
    if band.shape[0] < depth:
        return []
    ground = np.median(band.reshape(-1, 3), axis=0)
    marked = (delta_e(band, ground) >= FAINT) & (chroma(band) < GRAY)
    under_rule = (delta_e(lab[y0 : max(y1, y0 + 1)], ground) >= FAINT).any(axis=0)
    # How far down from the rule each column runs marked (its first row may be the rule's
    # anti-aliased edge, or a pixel's gap under it).
    marked[0] |= marked[1]
    lengths = np.argmin(np.vstack([marked, np.zeros_like(marked[:1])]), axis=0)
    lengths[~under_rule] = 0
    ticks = []
    for left, right in runs(lengths >= MIN_LENGTH):
        length = int(lengths[left:right].max())
        if right - left <= widest and length < depth:
            ticks.append(((left + right) / 2, y1, y1 + length))
    if len(ticks) < MIN_TICKS:
        return []
    usual = float(np.median([bottom - top for _, top, bottom in ticks]))
    alike = [t for t in ticks if abs(t[2] - t[1] - usual) <= LENGTH_SLACK]
    return alike if len(alike) >= MIN_TICKS else []


LABEL_REACH = 12.0  # points beside a value label within which its tick (or grid line) starts
SHORTEST_TICK = 3.0  # points: a tick's length at least (a glyph's stroke is shorter)


def ticks_beside_labels(
    lab: np.ndarray, scale: float, words: list[tuple[int, int, int, int]]
) -> tuple[Drawing, ...]:
    """The level tick mark (or grid line) each level word points at, where one starts
    beside it (right, else left) within its rows, as a level hairline drawing in points,
    a pixel wide:
    where a value axis's labels stand exactly. A label's box is set by its glyphs, and a
    library centres the text's em box on its tick, not its digits' height: their boxes'
    centres stand a point and more off their ticks, all the same way."""
    found = []
    reach = int(LABEL_REACH / scale)
    for x0, y0, x1, y1 in words:
        for start, stop in ((x1 + 1, x1 + 1 + reach), (x0 - 1 - reach, x0 - 1)):
            row = _level_tick(lab, max(0, y0), y1, max(0, start), stop, scale)
            if row is not None:
                box = BBox(max(0, start), row, stop, row).scaled(scale)
                found.append(Drawing(box, "stroke", (0.5, 0.5, 0.5), None, scale, ()))
                break
    return tuple(found)


def _level_tick(lab: np.ndarray, y0: int, y1: int, x0: int, x1: int, scale: float) -> float | None:
    """The row (pixels, a fraction between two) of the one thin level gray run in the
    box given that is a tick's length at least, or None."""
    band = lab[y0:y1, x0:x1]
    if band.shape[0] < 3 or band.shape[1] < 3:
        return None
    ground = np.median(band.reshape(-1, 3), axis=0)
    marked = (delta_e(band, ground) >= FAINT) & (chroma(band) < GRAY)
    longest = np.array([max((b - a for a, b in runs(row)), default=0) for row in marked])
    rows = np.nonzero(longest >= SHORTEST_TICK / scale)[0]
    if not len(rows) or rows[-1] - rows[0] + 1 > max(3, int(TICK_WIDTH / scale)):
        return None  # none, or more than one line (a glyph's strokes, a hatched bar)
    weights = delta_e(band[rows], ground).mean(axis=1)
    return y0 + float(np.average(rows, weights=weights)) + 0.5
