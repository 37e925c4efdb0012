"""Stems: straight strokes standing on one base line, each up to its value (a lollipop
chart's sticks, with a dot on top; bars drawn as thick strokes). They are bars; a dot of
the stem's colour on its far end is its head, not a point of its own.

Hand-written: the marks are plain strokes; only their common base line says that they
are bars, not lines through two points.
"""

from __future__ import annotations

import math
from collections import Counter

from docvlm.engines.native.marks import SWATCH, Mark, colour_key

MIN_STEMS = 3  # strokes standing on one base line, at least
BASE_SLACK = 1.0  # points: stems' feet this close stand on one line
HEAD_SLACK = 1.0  # points: a head's centre lies this close to its stem's end, past its radius


def stems_as_bars(marks: list[Mark]) -> list[Mark]:
    """The marks with stems read as bars and their heads left out: upright strokes (or
    level ones) of two vertices, three or more with one end on one line, of three
    lengths or more, most of them longer than a marker (tick marks, a major and a minor
    length, lines across the plot from one edge to the other and a rug's ticks are no
    stems)."""
    for across in (0, 1):  # upright stems (x alike at both ends), then level ones
        strokes = [m for m in marks if _straight(m, across)]
        base = _base(strokes, 1 - across)
        if base is None:
            continue
        stems = [m for m in strokes if _foot(m, 1 - across, base) is not None]
        lengths = [abs(_far(m, 1 - across, base)[1 - across] - base) for m in stems]
        if len({round(length) for length in lengths}) < MIN_STEMS or (
            sorted(lengths)[len(lengths) // 2] <= SWATCH
        ):
            continue  # tick marks (a major and a minor length), lines across the plot
        heads = [p for p in marks if p.kind == "point" and _head_of(p, stems, 1 - across, base)]
        taken = {id(m) for m in (*stems, *heads)}
        kept = [m for m in marks if id(m) not in taken]
        return kept + [Mark("bar", m.bbox, m.color) for m in stems]
    return marks


def _straight(mark: Mark, across: int) -> bool:
    """A stroke from one end to the other with both ends alike across (x for upright)."""
    if mark.kind not in ("line", "tick") or len(mark.vertices) != 2:
        return False
    start, end = mark.vertices
    return abs(start[across] - end[across]) <= 0.5 and abs(start[1 - across] - end[1 - across]) > 0


def _base(strokes: list[Mark], along: int) -> float | None:
    """The line that three strokes or more have an end on."""
    ends = Counter(round(v[along] / BASE_SLACK) for m in strokes for v in m.vertices)
    key, count = ends.most_common(1)[0] if ends else (0, 0)
    return key * BASE_SLACK if count >= MIN_STEMS else None


def _foot(mark: Mark, along: int, base: float) -> float | None:
    ends = [v[along] for v in mark.vertices]
    return next((e for e in ends if abs(e - base) <= BASE_SLACK), None)


def _far(stem: Mark, along: int, base: float) -> tuple[float, float]:
    """A stem's end away from its base line."""
    return max(stem.vertices, key=lambda v: abs(v[along] - base))


def _head_of(point: Mark, stems: list[Mark], along: int, base: float) -> bool:
    """Whether a point sits on a stem's far end, in its colour."""
    if max(point.bbox.width, point.bbox.height) > SWATCH:
        return False
    reach = max(point.bbox.width, point.bbox.height) / 2 + HEAD_SLACK
    for stem in stems:
        far = _far(stem, along, base)
        if colour_key(stem.color) == colour_key(point.color) and (
            math.dist(far, point.bbox.center) <= reach
        ):
            return True
    return False
