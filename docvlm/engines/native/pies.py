"""Pie and doughnut charts: slices with their shares and directions (from vector wedges'
angles here, from a raster disc in :mod:`~docvlm.engines.native.raster_pies`), named by
the legend or by the label printed beside each slice."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, replace

from docvlm.document import Word
from docvlm.engines.native.legends import legend_name
from docvlm.engines.native.marks import Color, Mark
from docvlm.geometry import BBox
from docvlm.schemas import Chart
from docvlm.text import parse_number

# A year (1900-2099, four bare digits) is a slice's name; a share or a value is printed
# with a percent sign, decimals or separators, or outside that range.
_YEAR = re.compile(r"^(19|20)\d\d$")

TITLE_TYPE = 1.6  # a title's type stands this much taller than the labels' at least
UNLABELLED = "slice "  # a pie slice whose name was not read: "slice 2"
UNCOVERED = 0.01  # the share of the turn no wedge covers that is a slice of its own
GROUND_SLICE: Color = (1.0, 1.0, 1.0)  # its colour: the ground's, not known here


@dataclass(frozen=True)
class Slice:
    """One slice: its colour, its share of the whole, and the direction of its middle
    (degrees anticlockwise from the right, as seen on the page)."""

    color: Color
    share: float
    angle: float


@dataclass(frozen=True)
class Pie:
    slices: list[Slice]
    centre: tuple[float, float]
    radius: float

    @property
    def box(self) -> BBox:
        (x, y), r = self.centre, self.radius
        return BBox(x - r, y - r, x + r, y + r)


def as_pie(marks: list[Mark]) -> list[Mark]:
    """The marks as pie or doughnut slices, if every one is a filled outline whose points lie
    on one or two circles around the centre of them all; else nothing."""
    shapes = [m for m in marks if m.kind == "area" and len(m.vertices) >= 3]
    if len(shapes) < 2 or len(shapes) != len(marks):
        return []
    center, outer = _pie_center(shapes)
    if not all(_a_wedge(shape.vertices, center, outer) for shape in shapes):
        return []
    for shape in shapes:
        shape.kind = "wedge"
    return shapes


def _a_wedge(
    vertices: list[tuple[float, float]], center: tuple[float, float], outer: float
) -> bool:
    """Whether an outline's points lie on the pie's rim, and else on one inner circle (a
    doughnut's hole) or along the wedge's two straight sides (a program that draws polar
    coordinates in short steps, R's ggplot2, sets points along them too)."""
    slack = 0.03 * outer + 0.5
    placed = [(math.dist(center, v), _direction(v, center)) for v in vertices]
    placed = [(r, a) for r, a in placed if r > 1]
    rim = [a for r, a in placed if abs(r - outer) <= slack]
    if len(rim) < 2:
        return False
    sides = _sides(rim)
    inside = [
        r
        for r, a in placed
        if abs(r - outer) > slack and not any(_on_ray(r, a, side, slack) for side in sides)
    ]
    return not inside or max(inside) - min(inside) <= slack


def _direction(vertex: tuple[float, float], center: tuple[float, float]) -> float:
    """Radians anticlockwise from the right, as seen on the page."""
    return math.atan2(center[1] - vertex[1], vertex[0] - center[0])


def _sides(angles: list[float]) -> tuple[float, float]:
    """The directions of a wedge's two straight sides: either end of its rim's arc."""
    start, span = _arc(angles)
    return start, start + span


def _arc(angles: list[float]) -> tuple[float, float]:
    """Where the arc that directions (radians, two or more) cover starts, and how far it
    turns: all the turn but its widest gap between them, which lies outside it."""
    ordered = sorted(angles)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    gaps.append(ordered[0] + 2 * math.pi - ordered[-1])
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    return ordered[(widest + 1) % len(ordered)], 2 * math.pi - gaps[widest]


def _on_ray(radius: float, angle: float, side: float, slack: float) -> bool:
    turn = angle - side
    return math.cos(turn) > 0 and radius * abs(math.sin(turn)) <= slack


def _pie_center(shapes: list[Mark]) -> tuple[tuple[float, float], float]:
    """The centre and outer radius of a pie: the vertex every slice shares, or (doughnuts)
    the middle of them all."""
    box = BBox.enclosing(m.bbox for m in shapes)
    center = box.center
    for x, y in shapes[0].vertices:
        if all(any(math.dist((x, y), v) < 0.5 for v in s.vertices) for s in shapes[1:]):
            center = (x, y)
            break
    outer = max(math.dist(center, v) for s in shapes for v in s.vertices)
    return center, outer


def pie_of_wedges(wedges: list[Mark]) -> Pie:
    """A vector pie: each wedge's share is its angle's share of the circle. An arc that no
    wedge covers, a hundredth of the turn or more, is a slice too (one drawn in the
    ground's colour, taken for the ground; left out, the others' shares grew to fill
    the turn)."""
    center, outer = _pie_center(wedges)
    spans = [_angular_span(m.vertices, center) for m in wedges]
    slices = [Slice(m.color, span, middle) for m, (span, middle) in zip(wedges, spans, strict=True)]
    arc = _uncovered_arc(spans)
    if arc is not None:
        slices.append(Slice(GROUND_SLICE, *arc))
    total = sum(s.share for s in slices) or 1.0
    return Pie([replace(s, share=s.share / total) for s in slices], center, outer)


def _uncovered_arc(spans: list[tuple[float, float]]) -> tuple[float, float] | None:
    """The one arc of the turn no wedge covers (radians, and the direction of its middle in
    degrees), where wedges leave that much uncovered and nearly all of it in one arc (not
    slivers between them)."""
    left = 2 * math.pi - sum(span for span, _ in spans)
    if left < 2 * math.pi * UNCOVERED:
        return None
    arcs = sorted(
        ((middle - math.degrees(span) / 2) % 360, math.degrees(span)) for span, middle in spans
    )
    following = [start for start, _ in arcs[1:]] + [arcs[0][0] + 360]
    # Wedges meet a hair apart, or overlap a hair, where the turn is cut between them.
    gaps = [
        (start + width, then - start - width)
        for (start, width), then in zip(arcs, following, strict=True)
    ]
    start, widest = max(gaps, key=lambda gap: gap[1])
    if math.radians(widest) < 0.9 * left:
        return None
    return math.radians(widest), (start + widest / 2) % 360


def _angular_span(
    vertices: list[tuple[float, float]], center: tuple[float, float]
) -> tuple[float, float]:
    """The angle a wedge covers (radians) and the direction of its middle (degrees)."""
    angles = [_direction(v, center) for v in vertices if math.dist(v, center) > 1]
    if len(angles) < 2:
        return 0.0, 0.0
    start, span = _arc(angles)  # the slice begins after its empty gap
    return span, math.degrees(start + span / 2) % 360


def pie_chart(
    pie: Pie, legend: dict[Color, str], words: list[Word], precision: int = 6
) -> tuple[Chart, tuple[str, ...]]:
    """The pie as a Chart of shares, its slices named by the legend (by colour) or by the
    label printed beside them; with what it lacks."""
    names = _names(pie, legend, words)
    missing = sum(name is None for name in names)
    points = [
        {"x": name or f"{UNLABELLED}{i + 1}", "y": round(s.share, precision)}
        for i, (s, name) in enumerate(zip(pie.slices, names, strict=True))
    ]
    chart = Chart.model_validate(
        {"chart_type": "pie", "series": [{"name": None, "points": points}]}
    )
    gaps = (f"{missing} of {len(names)} slices have no label",) if missing else ()
    return chart, gaps


def _names(pie: Pie, legend: dict[Color, str], words: list[Word]) -> list[str | None]:
    names = [legend_name(s.color, legend) for s in pie.slices]
    if all(names):
        return names
    labels = _direction_labels(pie, words, [i for i, n in enumerate(names) if n is None])
    return [name or labels.get(i) for i, name in enumerate(names)]


def _direction_labels(pie: Pie, words: list[Word], wanted: list[int]) -> dict[int, str]:
    """Slices named by the words printed in their direction from the centre, beside or on
    them (not numbers: those are the slices' values, but a year names a slice); each word
    names one slice. A word within a slice's turn names it first; then the nearest in
    direction. A word in type much taller than the rest is the chart's title."""
    (cx, cy), radius = pie.centre, pie.radius
    candidates = []
    heights = sorted(w.bbox.height for w in words if not w.angle)
    tallest = TITLE_TYPE * heights[len(heights) // 2] if heights else math.inf
    for word in words:
        if word.bbox.height > tallest and not word.angle:
            continue
        # A label is anchored by its end nearest the pie (it reads away from the pie).
        box = word.bbox
        x, y = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
        near = math.dist((x, y), (cx, cy))
        inside = math.dist(box.center, (cx, cy)) >= 0.3 * radius
        value = parse_number(word.text) is not None and not _YEAR.match(word.text)
        if value or not inside or near > 1.3 * radius:
            continue
        direction = math.degrees(math.atan2(cy - y, x - cx)) % 360
        for index in wanted:
            share = pie.slices[index].share
            turn = abs((direction - pie.slices[index].angle + 180) % 360 - 180)
            within = turn <= 180 * share
            if within or turn <= max(20.0, 180 * share + 10):
                candidates.append((not within, turn, index, word))
    named: dict[int, str] = {}
    used: set[int] = set()
    for _, _, index, word in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        if index not in named and id(word) not in used:
            named[index] = word.text
            used.add(id(word))
    return named
