"""Pie and doughnut charts: slice shares from vector wedges' angles, or from the pixels of a
raster pie's colours."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from docvlm.engines.native.marks import Color, Mark, colour_key
from docvlm.geometry import BBox
from docvlm.schemas import Chart

UNLABELLED = "slice "  # a pie slice whose legend entry was not read: "slice 2"


def unlabelled_slices(chart: Chart) -> tuple[str, ...]:
    if chart.chart_type != "pie":
        return ()
    points = [p for s in chart.series for p in s.points]
    missing = sum(isinstance(p.x, str) and p.x.startswith(UNLABELLED) for p in points)
    if not missing:
        return ()
    return (f"{missing} of {len(points)} slices have no label (legend not read)",)


def as_pie(marks: list[Mark]) -> list[Mark]:
    """The marks as pie or doughnut slices, if every one is a filled outline whose points lie
    on one or two circles around the centre of them all; else nothing."""
    shapes = [m for m in marks if m.kind == "area" and len(m.vertices) >= 3]
    if len(shapes) < 2 or len(shapes) != len(marks):
        return []
    center, outer = _pie_center(shapes)
    for shape in shapes:
        radii = [math.dist(center, v) for v in shape.vertices if math.dist(center, v) > 1]
        rim = [r for r in radii if abs(r - outer) <= 0.03 * outer + 0.5]
        inside = [r for r in radii if abs(r - outer) > 0.03 * outer + 0.5]
        if len(rim) < 2 or (inside and max(inside) - min(inside) > 0.03 * outer + 0.5):
            return []
    for shape in shapes:
        shape.kind = "wedge"
    return shapes


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


def pie_from_wedges(wedges: list[Mark], legend: dict[Color, str]) -> Chart:
    center, _ = _pie_center(wedges)
    spans = [_angular_span(m.vertices, center) for m in wedges]
    total = sum(spans) or 1.0
    return Chart.model_validate(
        {
            "chart_type": "pie",
            "series": [
                {
                    "name": None,
                    "points": [
                        {
                            "x": legend.get(colour_key(m.color), f"{UNLABELLED}{i + 1}"),
                            "y": round(span / total, 6),
                        }
                        for i, (m, span) in enumerate(zip(wedges, spans, strict=True))
                    ],
                }
            ],
        }
    )


def pie_from_pixels(marks: list[Mark], legend: dict[Color, str]) -> Chart | None:
    """A raster pie or doughnut without axes: slices are the colours of a round blob, and a
    slice's share of the pixels is its share of the whole."""
    if any(m.pixels <= 0 for m in marks) or len(marks) < 2:
        return None
    largest = max(m.pixels for m in marks)
    marks = [m for m in marks if m.pixels >= 0.01 * largest]  # anti-aliasing crumbs
    box = BBox.enclosing(m.bbox for m in marks)
    if not 0.9 <= box.width / max(box.height, 1e-9) <= 1.1:
        return None
    cx, cy = box.center
    slack = 0.03 * box.width
    if not all(
        m.bbox.x0 - slack <= cx <= m.bbox.x1 + slack
        and m.bbox.y0 - slack <= cy <= m.bbox.y1 + slack
        for m in marks
    ):
        return None  # every slice of a pie reaches its centre
    by_colour: dict[Color, float] = defaultdict(float)
    for mark in marks:
        by_colour[colour_key(mark.color)] += mark.pixels
    if len(by_colour) < 2:
        return None
    total = sum(by_colour.values())
    return Chart.model_validate(
        {
            "chart_type": "pie",
            "series": [
                {
                    "name": None,
                    "points": [
                        {
                            "x": legend.get(colour, f"{UNLABELLED}{i + 1}"),
                            "y": round(count / total, 4),
                        }
                        for i, (colour, count) in enumerate(by_colour.items())
                    ],
                }
            ],
        }
    )


def _angular_span(vertices: list[tuple[float, float]], center: tuple[float, float]) -> float:
    angles = sorted(
        math.atan2(y - center[1], x - center[0])
        for x, y in vertices
        if math.dist((x, y), center) > 1
    )
    if len(angles) < 2:
        return 0.0
    gaps = [b - a for a, b in itertools.pairwise(angles)]
    gaps.append(angles[0] + 2 * math.pi - angles[-1])
    return 2 * math.pi - max(gaps)  # the slice covers all but its largest empty gap
