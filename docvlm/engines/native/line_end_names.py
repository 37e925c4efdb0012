"""Series named at their lines' ends: a newspaper's style prints each line's name just
past its last point (or before its first) instead of a legend, and a level reference line
across the plot (a target, an average) has its name printed over or under one of its
ends. A line the legend leaves unnamed takes the word printed there.

Hand-written: no library pairs a chart's lines with the words beside them.
"""

from __future__ import annotations

from docvlm.document import Word
from docvlm.engines.native.marks import Color, Mark
from docvlm.text import parse_number

REACH = 1.5  # text heights: at most this between a line's end and its name
LEVEL = 0.75  # text heights: a name's middle stands this close to the line's end, up or down
FLAT = 0.5  # points: a reference line's vertices stand this close to one height
END_SHARE = 0.25  # the share of a level line's length at either end its name stands over


def named_at_line_ends(
    groups: dict[Color, list[Mark]], names: dict[Color, str | None], words: list[Word]
) -> dict[Color, str | None]:
    """``names`` with each unnamed group of lines named by the word printed level with one
    of its ends, just past it: the nearest such word no other series is named by (a
    turned word, an axis title up the side, names none)."""
    named = dict(names)
    taken = {name for name in names.values() if name}
    for colour, group in groups.items():
        ends = _ends([m for m in group if m.kind == "line" and len(m.vertices) >= 2])
        if named.get(colour) or not ends:
            continue
        near = [
            (gap, word)
            for word in words
            if word.text not in taken and not word.angle and parse_number(word.text) is None
            for gap in [_gap(word, ends), _over_a_level_end(word, group)]
            if gap is not None
        ]
        if near:
            _, word = min(near, key=lambda n: n[0])
            named[colour] = word.text
            taken.add(word.text)
    return named


def _ends(lines: list[Mark]) -> list[tuple[tuple[float, float], float]]:
    """The first and last points of the lines (left to right) and the way out of each
    (-1 left, 1 right)."""
    points = [p for line in lines for p in line.vertices]
    if not points:
        return []
    return [(min(points), -1.0), (max(points), 1.0)]


def _gap(word: Word, ends: list[tuple[tuple[float, float], float]]) -> float | None:
    """How far past a line's end a word starts, where it stands level with the end and
    within reach of it; None where it stands at neither end."""
    box, height = word.bbox, word.bbox.height
    gaps = []
    for (x, y), way in ends:
        gap = box.x0 - x if way > 0 else x - box.x1
        if 0 <= gap <= REACH * height and abs(box.center[1] - y) <= LEVEL * height:
            gaps.append(gap)
    return min(gaps, default=None)


def _over_a_level_end(word: Word, group: list[Mark]) -> float | None:
    """How far over or under a level line a word stands, where it stands within a text
    height of the line, over the first or last END_SHARE of its length; else None."""
    points = [p for m in group if m.kind == "line" for p in m.vertices]
    if len(points) < 2 or max(y for _, y in points) - min(y for _, y in points) > FLAT:
        return None
    (x0, y), (x1, _) = min(points), max(points)
    box, reach = word.bbox, END_SHARE * (x1 - x0)
    if box.x0 < x0 or box.x1 > x1 or (box.x0 > x0 + reach and box.x1 < x1 - reach):
        return None
    gap = max(box.y0 - y, y - box.y1)
    return gap if 0 <= gap <= box.height else None
