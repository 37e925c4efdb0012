"""Chart marks: the coloured shapes that carry a chart's data (bars, points, lines, areas,
wedges, ticks), from a PDF's drawings or an image's colour regions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from docvlm.document import Drawing, Page
from docvlm.geometry import BBox

Color = tuple[float, ...]
MarkKind = Literal["bar", "point", "line", "area", "wedge", "tick"]
SWATCH = 16.0  # points: legend symbols and scatter points are at most this big


@dataclass
class Mark:
    kind: MarkKind
    bbox: BBox
    color: Color
    vertices: list[tuple[float, float]] = field(default_factory=list)
    pixels: float = 0.0  # raster marks: how many pixels the region covers


def mark_from_drawing(drawing: Drawing, page: Page) -> Mark | None:
    color = drawing.fill if drawing.kind != "stroke" else drawing.stroke
    if color is None or is_gray(color) or drawing.bbox.area > 0.8 * page.bbox.area:
        return None
    ops = [item[0] for item in drawing.items]
    # Path ends only: a curve's control points lie off the outline.
    vertices = [p for item in drawing.items if item[0] in ("l", "c") for p in (item[1], item[-1])]
    box = drawing.bbox
    if drawing.kind != "stroke" and (ops == ["re"] or _is_rectangle(drawing)):
        square = abs(box.width - box.height) < 0.5 and box.width <= SWATCH
        return Mark("point" if square else "bar", box, color)
    if drawing.kind == "stroke" and len(ops) == 1 and ops[0] == "l":
        return Mark(
            "tick" if max(box.width, box.height) <= 2 * SWATCH else "line", box, color, vertices
        )
    if max(box.width, box.height) <= SWATCH:
        return Mark("point", box, color, vertices)
    if drawing.kind == "stroke":
        return Mark("line", box, color, _dedupe(vertices))
    return Mark("area", box, color, _dedupe(vertices))


def _is_rectangle(drawing: Drawing) -> bool:
    """A path of straight segments around an upright rectangle (office suites draw bars so,
    not as rectangle operators): every corner on the box's sides, two x and two y values."""
    items = drawing.items
    if not items or any(item[0] not in ("l", "qu") for item in items):
        return False
    if items[0][0] == "qu":
        quad = items[0][1]
        corners = [(quad.ul.x, quad.ul.y), (quad.ur.x, quad.ur.y), (quad.ll.x, quad.ll.y)]
        corners.append((quad.lr.x, quad.lr.y))
    else:
        corners = [p for item in items for p in (item[1], item[2])]
    xs = {round(float(p[0]), 1) for p in corners}
    ys = {round(float(p[1]), 1) for p in corners}
    return len(items) <= 5 and len(xs) == 2 and len(ys) == 2


def is_gray(color: Color) -> bool:
    return max(color) - min(color) < 0.02


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for point in points:
        if not out or math.dist(out[-1], point) > 0.01:
            out.append(point)
    return out


def colour_key(color: Color) -> Color:
    return tuple(round(c, 2) for c in color)
