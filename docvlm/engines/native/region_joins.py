"""Regions of one fill that something drawn across them cut apart, made one again: a grid
line seen through a see-through fill, or a data label wider than the bar it is printed
on. Pixel regions are joined by hand: image libraries label connected pixels, but none
knows which of the things parting two regions of one colour lie on top of a single fill."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from docvlm.engines.native.colours import delta_e

# A grid line seen through a see-through fill: at most this many pixels wide, looked across
# up to REACH pixels either side, the fill's colour the same (delta E) on both.
THIN_RULE, REACH, SEEN_THROUGH = 4, 4, 6.0
# Pixels the pieces a see-through line parts may stand off its course, both sides together
# (its anti-aliased edges): further off, the page shows between them, and the line that
# runs on there elsewhere (a key's swatch edge level with a gap between two bars) parts
# nothing.
LINE_EDGES = 2
MIN_SEAM = 3  # pixels: a label joins the fill either side of it along at least this much
CUT_SLACK = 2  # pixels: a piece a word cut off lies this near within the word's span


class Crossing(NamedTuple):
    """Rows (columns, for a horizontal band) where a band's course parts two regions: the
    band's span across them (``low`` to ``high``), and the regions before and after it."""

    vertical: bool
    rows: np.ndarray
    low: int
    high: int
    before: np.ndarray
    after: np.ndarray


def joined_across_rules(
    labels: np.ndarray, colours: np.ndarray, rules: list[tuple[int, int, int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Regions (``labels``: the image of region numbers, 0 for none; ``colours``: each
    number's CIELAB colour) that a grid line seen through a see-through fill cut apart,
    made one: the same colour either side of the line's course, where the line runs on
    beyond what it cut (its pixels in the open, found as a rule), the line's pixels
    between them theirs. Where a rule is drawn in front of a fill, its pixels are the
    rule's and the fill's pieces stay as they are. Returns the new image of region
    numbers and, per old number, its new one."""
    return _joined(labels, colours, _rule_crossings(labels, rules), 1)


def joined_across_text(
    labels: np.ndarray, colours: np.ndarray, text_boxes: list[tuple[int, int, int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """Regions that a word printed across a fill cut in two, made one: a data label wider
    than its stacked segment leaves a strip of the segment above it and one below, in
    one colour, which are one bar and not two. The word's pixels between them are theirs.
    Both pieces lie within the word's span along it (the word cut the fill across its
    whole width), their sides in line; two bars of one colour that a word merely stands
    between do not.
    Returns as :func:`joined_across_rules` does."""
    crossings = []
    boxes: np.ndarray | None = None
    for x0, y0, x1, y1 in text_boxes:
        for vertical in (False, True):
            # A word across a bar (a horizontal band: the strips above and below it), or
            # a word taller than a thin bar (a vertical band: the pieces left and right).
            low, high = (x0 - 1, x1 + 1) if vertical else (y0 - 1, y1 + 1)
            start, stop = (y0, y1) if vertical else (x0, x1)
            crossing = _crossing(labels, vertical, low, high, start, stop)
            if crossing is None:
                continue
            boxes = _region_boxes(labels, len(colours)) if boxes is None else boxes
            # The pieces' extents along the band: rows of a vertical band, else columns.
            first, last = (boxes[:, 1], boxes[:, 3]) if vertical else (boxes[:, 0], boxes[:, 2])
            before, after = crossing.before, crossing.after
            inside = (
                (first[before] >= start - CUT_SLACK)
                & (last[before] <= stop + CUT_SLACK)
                & (first[after] >= start - CUT_SLACK)
                & (last[after] <= stop + CUT_SLACK)
                # One bar's two pieces share its sides: a word over a column between two
                # others parts their segments, of one colour but at other heights.
                & (np.abs(first[before] - first[after]) <= CUT_SLACK)
                & (np.abs(last[before] - last[after]) <= CUT_SLACK)
            )
            crossings.append(
                crossing._replace(
                    rows=crossing.rows[inside],
                    before=crossing.before[inside],
                    after=crossing.after[inside],
                )
            )
    return _joined(labels, colours, crossings, MIN_SEAM)


def _region_boxes(labels: np.ndarray, count: int) -> np.ndarray:
    """Per region number, the box of its pixels: x0, y0, x1, y1 (inclusive)."""
    ys, xs = np.nonzero(labels)
    numbers = labels[ys, xs]
    boxes = np.zeros((count, 4), np.int64)
    boxes[:, :2] = np.iinfo(np.int64).max
    np.minimum.at(boxes[:, 0], numbers, xs)
    np.minimum.at(boxes[:, 1], numbers, ys)
    np.maximum.at(boxes[:, 2], numbers, xs)
    np.maximum.at(boxes[:, 3], numbers, ys)
    return boxes


def _joined(
    labels: np.ndarray, colours: np.ndarray, crossings: list[Crossing], seam: int
) -> tuple[np.ndarray, np.ndarray]:
    """The regions either side of each crossing in one colour along at least ``seam``
    rows, joined, with the band's empty pixels between them theirs."""
    parent = np.arange(len(colours))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return int(n)

    kept = []
    for crossing in crossings:
        same = delta_e(colours[crossing.before], colours[crossing.after]) < SEEN_THROUGH
        if same.sum() >= seam:
            crossing = crossing._replace(
                rows=crossing.rows[same], before=crossing.before[same], after=crossing.after[same]
            )
            pairs = zip(crossing.before.tolist(), crossing.after.tolist(), strict=True)
            for first, second in set(pairs):
                parent[root(first)] = root(second)
            kept.append(crossing)
    roots = np.array([root(n) for n in range(len(parent))])
    joined = roots[labels]
    for crossing in kept:
        view = joined if crossing.vertical else joined.T  # a view: writing it writes joined
        span = slice(max(0, crossing.low - REACH), crossing.high + REACH)
        band = view[crossing.rows, span]
        view[crossing.rows, span] = np.where(band == 0, roots[crossing.before][:, None], band)
    return joined, roots


def _rule_crossings(labels: np.ndarray, rules: list[tuple[int, int, int, int]]) -> list[Crossing]:
    """Where each thin rule's course parts two regions, outside the rule's own span (there
    it is seen through what it crosses)."""
    found = []
    for x0, y0, x1, y1 in rules:
        if x1 <= x0 or y1 <= y0:
            continue  # a line that clipping to the ticks' span left nothing of
        vertical = y1 - y0 > x1 - x0
        low, high = (x0, x1) if vertical else (y0, y1)
        if high - low > THIN_RULE:
            continue
        start, stop = (y0, y1) if vertical else (x0, x1)
        length = labels.shape[0] if vertical else labels.shape[1]
        beyond = np.ones(length, bool)
        beyond[start:stop] = False
        crossing = _crossing(labels, vertical, low, high, 0, length, beyond, LINE_EDGES)
        if crossing is not None:
            found.append(crossing)
    return found


def _crossing(
    labels: np.ndarray,
    vertical: bool,
    low: int,
    high: int,
    start: int,
    stop: int,
    where: np.ndarray | None = None,
    off: int = 2 * REACH,
) -> Crossing | None:
    """Where a band across the image (columns ``low`` to ``high`` of a vertical band, rows
    of a horizontal one) parts two regions, between rows ``start`` and ``stop`` (columns,
    for a horizontal band) and where ``where`` allows, the two standing no more than
    ``off`` pixels off the band, both sides together; None where it parts none."""
    across = labels if vertical else labels.T
    if low < REACH or high + REACH > across.shape[1]:
        return None
    start, stop = max(0, start), min(len(across), stop)
    before, before_off = _first_region(across[start:stop, low - REACH : low][:, ::-1])
    after, after_off = _first_region(across[start:stop, high : high + REACH])
    parted = (before > 0) & (after > 0) & (before != after) & (before_off + after_off <= off)
    if where is not None:
        parted &= where[start:stop]
    rows = np.nonzero(parted)[0]
    if not len(rows):
        return None
    return Crossing(vertical, rows + start, low, high, before[rows], after[rows])


def _first_region(strip: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the first region number in a strip of columns (0: none), and its column."""
    hit = strip > 0
    first = hit.argmax(axis=1)
    return np.where(hit.any(axis=1), strip[np.arange(len(strip)), first], 0), first
