"""Several vector charts on one page (a report page with a table and three charts beside
it): each chart's drawings, marks and words, so that each is read with its own axes and
legend instead of all marks against one set of tick labels.

A chart's drawings touch or nearly touch one another (bars stand on their axis, grid lines
cross the plot, a legend sits inside or beside it); two charts are set apart by their tick
labels and titles. So the drawings' boxes, grown by half a text height, are painted on a
coarse mask of the page and its connected parts (OpenCV), joined where their boxes
overlap, are the candidate regions. A part
holding only legend swatches joins the nearest part holding data; words go to the nearest
region within reach of its tick labels, titles and legend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from docvlm.document import Drawing, Page, Word
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

CELL = 2.0  # points per mask cell
GROW = 4.0  # points: drawings this close are one chart's (half a small text height)
REACH = 60.0  # points: a chart's words (tick labels, titles, legend) lie this close to it
FRAME = 0.5  # drawings over this share of the page are page furniture, not a chart's
# More parts than this (a scatter of scattered points with no frame) are read as one
# chart, as they always were: joining them pairwise would cost more than the reading.
MAX_PARTS = 300
MIN_CHART = 40.0  # points: a part narrower or lower than this is a legend or a stray mark


@dataclass(frozen=True)
class ChartRegion:
    """One chart's share of the page."""

    box: BBox
    marks: list[Mark]
    drawings: tuple[Drawing, ...]
    words: list[Word]


def chart_regions(page: Page, marks: list[Mark]) -> list[ChartRegion]:
    """The page's charts, one region each, in reading order; one region (the whole page)
    unless two or more parts of the page hold data marks."""
    whole = [ChartRegion(page.bbox, marks, page.drawings, list(page.words))]
    drawings = [d for d in page.drawings if d.bbox.area <= FRAME * page.bbox.area]
    # Marks too: a gradient-filled shape is a clip, not one of the page's drawings.
    parts = _parts(page.bbox, [d.bbox for d in drawings] + [m.bbox for m in marks])
    if not 2 <= len(parts) <= MAX_PARTS:
        return whole
    owned: list[list[Mark]] = [[] for _ in parts]
    for mark in marks:
        index = _nearest(parts, mark.bbox.center, limit=GROW)
        if index is not None:
            owned[index].append(mark)
    data = [i for i, own in enumerate(owned) if own and _holds_chart(parts[i], own, page.words)]
    data = _joined_without_words_between(data, parts, owned, page.words)
    if len(data) < 2:
        return whole
    boxes = {i: parts[i] for i in data}
    members: dict[int, list[int]] = {i: [i] for i in data}
    for i, own in enumerate(owned):
        if own and i not in members:  # a legend, or a mark beside the plot: the nearest chart's
            home = min(data, key=lambda d: _distance(parts[d], parts[i].center))
            members[home].append(i)
            boxes[home] = boxes[home].union(parts[i])
    order = sorted(data, key=lambda d: (round(boxes[d].y0 / 50), boxes[d].x0))
    placed = [boxes[i] for i in order]
    words: list[list[Word]] = [[] for _ in order]
    for word in page.words:
        index = _nearest(placed, word.bbox.center)
        if index is not None:
            words[index].append(word)
    return [
        ChartRegion(
            box,
            [m for j in members[i] for m in owned[j]],
            tuple(d for d in drawings if box.contains_point(*d.bbox.center)),
            words[k],
        )
        for k, (i, box) in enumerate(zip(order, placed, strict=True))
    ]


def _joined_without_words_between(
    data: list[int], parts: list[BBox], owned: list[list[Mark]], words: Sequence[Word]
) -> list[int]:
    """The data parts, those whose marks face each other across a gap with no word in it
    joined (their boxes and marks go to the first): two charts are set apart by their tick
    labels and titles (which a part's box may hold, a figure's ground drawn under them);
    one chart's series lie apart across an empty stretch of its plot where its axes are
    left out (drawn as one path as big as the page's half, taken for page furniture): a
    line high above the others."""
    kept = list(data)
    spans = {i: BBox.enclosing(m.bbox for m in owned[i]) for i in kept}
    while (pair := _facing_pair(kept, spans, words)) is not None:
        a, b = pair
        parts[a] = parts[a].union(parts[b])
        spans[a] = spans[a].union(spans[b])
        owned[a] = owned[a] + owned[b]
        owned[b] = []
        kept.remove(b)
    return kept


def _facing_pair(
    kept: list[int], spans: dict[int, BBox], words: Sequence[Word]
) -> tuple[int, int] | None:
    """The first two parts whose marks face each other across a gap no word stands in."""
    return next(
        (
            (a, b)
            for a in kept
            for b in kept
            if a != b and _facing_across_nothing(spans[a], spans[b], words)
        ),
        None,
    )


def _facing_across_nothing(a: BBox, b: BBox, words: Sequence[Word]) -> bool:
    """Whether two boxes face each other (above one another, or side by side, sharing
    most of the narrower's span) across a gap no word stands in."""
    first, second = a.as_tuple(), b.as_tuple()
    for along, across in ((0, 1), (1, 0)):  # facing across y (shared x), then across x
        shared = min(first[along + 2], second[along + 2]) - max(first[along], second[along])
        narrower = min(first[along + 2] - first[along], second[along + 2] - second[along])
        if narrower <= 0 or shared < FACING * narrower:
            continue
        gap_from = min(first[across + 2], second[across + 2])
        gap_to = max(first[across], second[across])
        if gap_to <= gap_from:
            continue
        span = (max(first[along], second[along]), min(first[along + 2], second[along + 2]))
        return not any(
            span[0] <= w.bbox.center[along] <= span[1]
            and gap_from <= w.bbox.center[across] <= gap_to
            for w in words
        )
    return False


FACING = 0.5  # two parts face each other over this share of the narrower's span


def _holds_chart(box: BBox, marks: list[Mark], words: Sequence[Word]) -> bool:
    """Whether a part of the page is big enough for a chart and holds marks other than
    legend swatches."""
    return min(box.width, box.height) >= MIN_CHART and bool(split_legend(marks, list(words))[1])


def _parts(page: BBox, boxes: list[BBox]) -> list[BBox]:
    """The boxes of the connected parts of the drawings (each drawing grown by GROW on a
    mask of the page), each the union of its drawings' boxes."""
    width, height = int(page.width / CELL) + 1, int(page.height / CELL) + 1
    mask = np.zeros((height, width), np.uint8)
    cells = []
    for box in boxes:
        x0 = min(width - 1, max(0, int((box.x0 - page.x0 - GROW) / CELL)))
        y0 = min(height - 1, max(0, int((box.y0 - page.y0 - GROW) / CELL)))
        x1 = max(0, int((box.x1 - page.x0 + GROW) / CELL))
        y1 = max(0, int((box.y1 - page.y0 + GROW) / CELL))
        mask[y0 : y1 + 1, x0 : x1 + 1] = 1
        cells.append((y0, x0))
    _, labels = cv2.connectedComponents(mask, connectivity=8)
    parts: dict[int, BBox] = {}
    for box, (y, x) in zip(boxes, cells, strict=True):
        label = int(labels[y, x])
        parts[label] = parts[label].union(box) if label in parts else box
    return _overlapping_joined(list(parts.values()))


def _overlapping_joined(boxes: list[BBox]) -> list[BBox]:
    """The boxes, those that overlap joined until none does: a scatter's points or a
    doughnut's rings lie apart but within the box of their chart's axes or outer ring."""
    while True:
        out: list[BBox] = []
        for box in boxes:
            index = next((k for k, o in enumerate(out) if o.intersection(box)), None)
            if index is None:
                out.append(box)
            else:
                out[index] = out[index].union(box)
        if len(out) == len(boxes):
            return out
        boxes = out


def _distance(box: BBox, point: tuple[float, float]) -> float:
    x, y = point
    dx = max(box.x0 - x, 0.0, x - box.x1)
    dy = max(box.y0 - y, 0.0, y - box.y1)
    return float(np.hypot(dx, dy))


def _nearest(boxes: list[BBox], point: tuple[float, float], limit: float = REACH) -> int | None:
    """The index of the box nearest ``point``, if within ``limit``."""
    distances = [_distance(box, point) for box in boxes]
    best = min(range(len(boxes)), key=distances.__getitem__)
    return best if distances[best] <= limit else None
