"""Chart marks: the coloured shapes that carry a chart's data (bars, points, lines, areas,
wedges, ticks), from a PDF's drawings or an image's colour regions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

from docvlm.document import Drawing, Page, Word
from docvlm.engines.native.colours import NEUTRAL, chroma, rgb_to_lab
from docvlm.engines.native.shadings import shaded_drawings
from docvlm.geometry import BBox
from docvlm.text import parse_number

Color = tuple[float, ...]
MarkKind = Literal["bar", "point", "line", "area", "wedge", "tick"]
SWATCH = 16.0  # points: legend symbols and scatter points are at most this big
LEGEND_GAP = 18.0  # points: at most this between a legend symbol and its label
COLUMN_SLACK = 1.5  # points: swatches in a legend's column share a left edge and a width
BORDER = 2.5  # points: the widest border drawn round a legend's box


@dataclass
class Mark:
    kind: MarkKind
    bbox: BBox
    color: Color
    vertices: list[tuple[float, float]] = field(default_factory=list)
    pixels: float = 0.0  # raster marks: how many pixels the region covers


def chart_marks(page: Page) -> list[Mark]:
    """The marks among a page's drawings: every filled shape and every coloured or bent
    stroke, but not the boxes that hold other drawings (backgrounds, frames, legend boxes),
    shapes in the colour of the background they sit on, or gray straight lines and frames
    (axes, grid lines, ticks). Gradient-filled shapes count as fills of their middle
    colour."""
    words = page.words
    drawings = _without_hatching(page.drawings + shaded_drawings(page), page.bbox.area)
    drawings = _segments_chained(drawings)
    holders = [d for d in drawings if _holds_others(d, drawings)]
    backdrop = max(holders, key=lambda d: d.bbox.area).fill if holders else (1.0, 1.0, 1.0)
    filled = [
        d.bbox
        for d in drawings
        if d.fill is not None and _boxy(d) and not _same_colour(d.fill, backdrop)
    ]
    marks = []
    for drawing in drawings:
        if drawing in holders or drawing.bbox.area > 0.8 * page.bbox.area:
            continue
        if drawing.kind == "stroke" and _boxy(drawing) and _edge_of_any(drawing.bbox, filled):
            continue  # a filled bar's edge, drawn after it (a second bar, else, at its place)
        if drawing.fill is not None and _same_colour(drawing.fill, backdrop):
            continue
        mark = mark_from_drawing(drawing) or _gray_swatch(drawing, words, drawings)
        if mark is not None:
            marks.append(mark)
    marks = _arms_joined(marks)
    bars = [m.bbox for m in marks if m.kind == "bar"]
    samples = {id(m) for m in key_grounds(marks).values()}  # a key's line on its ground
    return [
        m
        for m in marks
        if id(m) in samples or not (m.kind in ("line", "tick") and _within_any(m.bbox, bars))
    ]


KEY_GROUND = 1.6 * SWATCH  # points: the largest ground a key draws under one sample
CENTRED = 1.5  # points: a sample sits this close to its ground's centre


def key_grounds(marks: list[Mark]) -> dict[int, Mark]:
    """The grounds some keys (R's ggplot2) draw under each entry's sample, by id, with the
    sample each holds: a small, near square box in a rule's neutral tint, a mark of another
    colour centred in it. The grounds of a column of
    entries touch, and would pass for a stacked bar's segments, their samples with them."""
    grounds: dict[int, Mark] = {}
    for mark in marks:
        box = mark.bbox
        if (
            mark.kind != "bar"
            or not is_neutral(mark.color)
            or max(box.width, box.height) > KEY_GROUND
            or abs(box.width - box.height) > 0.35 * max(box.width, box.height)
        ):
            continue
        inner = next((m for m in marks if _sample_of(m, mark)), None)
        if inner is not None:
            grounds[id(mark)] = inner
    return grounds


def _sample_of(mark: Mark, ground: Mark) -> bool:
    a, b = mark.bbox, ground.bbox
    return (
        mark is not ground
        and colour_key(mark.color) != colour_key(ground.color)
        and b.contains(a, 0.5)
        and abs(a.center[0] - b.center[0]) <= CENTRED
        and abs(a.center[1] - b.center[1]) <= CENTRED
    )


def _arms_joined(marks: list[Mark]) -> list[Mark]:
    """The marks with short strokes of one colour crossing at one centre joined into one
    point: a '+' or an 'x' marker that a plotting program draws a stroke per arm (each
    arm, else, a point of its own, every value read twice)."""
    joined: list[Mark] = []
    arms: list[list[Mark]] = []
    for mark in marks:
        if mark.kind != "tick" or max(mark.bbox.width, mark.bbox.height) > SWATCH:
            joined.append(mark)
            continue
        centre = mark.bbox.center
        crossing = next(
            (
                group
                for group in arms
                if colour_key(group[0].color) == colour_key(mark.color)
                and math.dist(group[0].bbox.center, centre) <= 0.5
            ),
            None,
        )
        if crossing is None:
            arms.append([mark])
        else:
            crossing.append(mark)
    for group in arms:
        box = BBox.enclosing(m.bbox for m in group)
        joined.append(group[0] if len(group) == 1 else Mark("point", box, group[0].color))
    return joined


def _segments_chained(drawings: tuple[Drawing, ...]) -> tuple[Drawing, ...]:
    """The drawings with straight strokes of one colour and width, each drawn from where
    the one before it ends, joined into the one line they draw: a line series that a
    program draws a path per segment is one line, not many (each point read twice, or
    the segments, short where points crowd, taken for tick marks)."""
    out: list[Drawing] = []
    chain: list[Drawing] = []
    for drawing in (*drawings, None):
        if drawing is not None and chain and _continues(chain[-1], drawing):
            chain.append(drawing)
            continue
        out.extend([_one_path(chain)] if len(chain) > 1 else chain)
        chain = [drawing] if drawing is not None and _coloured_segment(drawing) else []
        if drawing is not None and not chain:
            out.append(drawing)
    return tuple(out)


def _coloured_segment(drawing: Drawing) -> bool:
    """One straight stroke in a colour of its own (gray ones are rules: an axis drawn in
    pieces stays pieces)."""
    return (
        drawing.kind == "stroke"
        and drawing.stroke is not None
        and [item[0] for item in drawing.items] == ["l"]
        and not is_neutral(drawing.stroke)
    )


def _continues(before: Drawing, drawing: Drawing) -> bool:
    return (
        _coloured_segment(drawing)
        and before.stroke is not None
        and drawing.stroke is not None
        and colour_key(before.stroke) == colour_key(drawing.stroke)
        and abs(before.width - drawing.width) < 0.01
        and math.dist(before.items[-1][-1], drawing.items[0][1]) <= 0.01
    )


def _one_path(chain: list[Drawing]) -> Drawing:
    first = chain[0]
    items = tuple(item for drawing in chain for item in drawing.items)
    return Drawing(
        BBox.enclosing(d.bbox for d in chain), "stroke", first.stroke, None, first.width, items
    )


def _without_hatching(drawings: tuple[Drawing, ...], page_area: float) -> tuple[Drawing, ...]:
    """The drawings but the hatch lines of pattern-filled bars and wedges (office suites
    draw a pattern as the shape's fill and short strokes over it, cut to the shape)."""
    # A wedge's box is larger than a bar's: a quarter of a pie fills a fifth of the page.
    bars = [
        d.bbox
        for d in drawings
        if d.kind != "stroke"
        and (
            (_is_rectangle(d) and d.bbox.area <= 0.1 * page_area)
            or (_outline(d) and d.bbox.area <= 0.25 * page_area)
        )
    ]
    coloured = [(d, d.stroke) for d in drawings if d.kind == "stroke" and d.stroke is not None]
    segments = [(d, colour) for d, colour in coloured if [item[0] for item in d.items] == ["l"]]
    hatching = {
        id(d) for d, colour in segments if not is_gray(colour) and _within_any(d.bbox, bars)
    }
    hatching |= _gray_hatching([d for d, colour in segments if is_gray(colour)], bars)
    return tuple(d for d in drawings if id(d) not in hatching)


HATCH_SPACING = 8.0  # points: at most this between a pattern's lines, on average


def _gray_hatching(strokes: list[Drawing], bars: list[BBox]) -> set[int]:
    """Gray strokes inside a bar that are its pattern: many of them, densely spaced (grid
    lines inside a plot backdrop stand much further apart)."""
    found: set[int] = set()
    for bar in bars:
        inside = [d for d in strokes if _within_any(d.bbox, [bar])]
        if len(inside) >= 4 and len(inside) * HATCH_SPACING >= max(bar.width, bar.height):
            found |= {id(d) for d in inside}
    return found


def _outline(drawing: Drawing) -> bool:
    """A filled outline of curves or of many sides (a pie's wedge, a doughnut's segment
    drawn as a polygon)."""
    return any(item[0] == "c" for item in drawing.items) or len(drawing.items) >= 8


def _handle(mark: Mark) -> bool:
    """A level line no longer than three swatches: a line series' legend handle."""
    box = mark.bbox
    return mark.kind in ("line", "tick") and box.height <= SWATCH / 3 and box.width <= 3 * SWATCH


def _edge_of_any(box: BBox, boxes: list[BBox]) -> bool:
    """Whether a stroked box runs round one of ``boxes`` (within half a point)."""
    return any(
        max(abs(a - b) for a, b in zip(box.as_tuple(), other.as_tuple(), strict=True)) <= 0.5
        for other in boxes
    )


def _within_any(box: BBox, boxes: list[BBox]) -> bool:
    """Whether a stroke lies inside a bar: hatching or an outline of the bar, not data."""
    return any(b.contains(box, 0.5) for b in boxes)


def _gray_swatch(
    drawing: Drawing, words: tuple[Word, ...], drawings: tuple[Drawing, ...]
) -> Mark | None:
    """A short level gray line with a label right beside it: a gray series' legend entry
    (which would pass for a tick mark); not a tick mark with its number beside it, in a
    column of ticks (a right-hand axis's)."""
    box = drawing.bbox
    color = drawing.stroke
    if color is None or not 4 <= box.width <= 2 * SWATCH or box.height > 1:
        return None
    label = next(
        (
            w
            for w in words
            if 0 <= w.bbox.x0 - box.x1 <= LEGEND_GAP and abs(w.bbox.center[1] - box.center[1]) <= 4
        ),
        None,
    )
    if label is None or (parse_number(label.text) is not None and _tick_column(box, drawings)):
        return None
    return Mark("tick", box, color, [(box.x0, box.y0), (box.x1, box.y1)])


def _tick_column(box: BBox, drawings: tuple[Drawing, ...]) -> bool:
    """Whether two more level strokes as long as ``box`` start where it starts: ticks."""
    alike = [
        d
        for d in drawings
        if d.bbox.height <= 1
        and abs(d.bbox.x0 - box.x0) <= 0.5
        and abs(d.bbox.width - box.width) <= 0.5
    ]
    return len(alike) >= 3  # itself among them


def _holds_others(drawing: Drawing, drawings: tuple[Drawing, ...]) -> bool:
    """A filled box (upright or with rounded corners) with other shapes lying in it (not
    counting tick marks: a bar may stand over an inward tick, and hold the marker of a line
    drawn over it, filled and outlined; nor its own outline, drawn round it after it). A
    box with rounded corners round one shape holds it: a key's frame round its one sample
    (a rounded bar holds nothing)."""
    if drawing.fill is None or not _boxy(drawing):
        return False
    enough = 1 if "c" in {item[0] for item in drawing.items} else 2
    # Half a point of slack: grid lines end on the plot backdrop's edges, or a hair past.
    box = drawing.bbox
    grown = box.grown(0.5)
    inside: set[tuple[int, ...]] = set()  # a marker's fill and outline are one shape
    for other in drawings:
        within = grown.contains_point(other.bbox.x0, other.bbox.y0) and grown.contains_point(
            other.bbox.x1, other.bbox.y1
        )
        edge = other.kind == "stroke" and _edge_of_any(other.bbox, [box])  # its own outline
        if (
            other is not drawing
            and within
            and other.bbox.area < box.area
            and not (_tick(other) or edge)
        ):
            inside.add(tuple(round(v) for v in other.bbox.as_tuple()))
            if len(inside) >= enough:
                return True
    return False


def _tick(drawing: Drawing) -> bool:
    """A short gray straight stroke: a tick mark."""
    box = drawing.bbox
    colour = drawing.stroke if drawing.stroke is not None else drawing.fill
    ops = [item[0] for item in drawing.items]
    return (
        ops == ["l"]
        and colour is not None
        and is_gray(colour)
        and min(box.width, box.height) < 0.5
        and max(box.width, box.height) <= 10
    )


def _boxy(drawing: Drawing) -> bool:
    """An upright rectangle, or one with four rounded corners."""
    ops = [item[0] for item in drawing.items]
    rounded = ops.count("c") == 4 and ops.count("l") <= 5 and set(ops) <= {"l", "c"}
    return ops == ["re"] or _is_rectangle(drawing) or rounded


def _same_colour(a: Color, b: Color | None) -> bool:
    return b is not None and max(abs(x - y) for x, y in zip(a, b, strict=False)) < 0.02


def mark_from_drawing(drawing: Drawing) -> Mark | None:
    ops = [item[0] for item in drawing.items]
    # One straight segment has nothing to fill: it is a stroke however it is painted.
    stroked = drawing.kind == "stroke" or (ops == ["l"] and drawing.stroke is not None)
    color = drawing.stroke if stroked else drawing.fill
    if color is None:
        return None
    if stroked and is_neutral(color) and (ops in (["l"], ["re"]) or _is_rectangle(drawing)):
        return None  # an axis, a grid line, a tick or a frame
    # Path ends only: a curve's control points lie off the outline.
    vertices = [p for item in drawing.items if item[0] in ("l", "c") for p in (item[1], item[-1])]
    box = drawing.bbox
    # A rectangle's outline in a series' colour is a bar drawn as its outline (its pattern
    # of hatch lines drawn apart, or nothing, inside), as a filled one is a bar; a straight
    # stroke is no rectangle's.
    outline = stroked and ops != ["l"] and min(box.width, box.height) > 0.5
    if (ops == ["re"] or _is_rectangle(drawing) or _rounded_box(drawing)) and (
        outline or not stroked
    ):
        square = abs(box.width - box.height) < 0.5 and box.width <= SWATCH
        return Mark("point" if square else "bar", box, color)
    if stroked and ops == ["l"]:
        return Mark(
            "tick" if max(box.width, box.height) <= 2 * SWATCH else "line", box, color, vertices
        )
    if max(box.width, box.height) <= SWATCH:
        return Mark("point", box, color, vertices)
    if stroked:
        return Mark("line", box, color, _dedupe(vertices))
    return Mark("area", box, color, _dedupe(vertices))


def _is_rectangle(drawing: Drawing) -> bool:
    """A path of straight segments around an upright rectangle (office suites draw bars so,
    not as rectangle operators): every segment upright or level, every point on the box's
    sides."""
    items = drawing.items
    if not items or len(items) > 8 or any(item[0] not in ("l", "qu") for item in items):
        return False
    if items[0][0] == "qu":
        points = list(items[0][1])  # a quad's four corners
        segments = list(zip(points, points[1:] + points[:1], strict=True))
    else:
        segments = [(item[1], item[2]) for item in items]
    box = drawing.bbox
    for (x0, y0), (x1, y1) in segments:
        if abs(x0 - x1) > 0.1 and abs(y0 - y1) > 0.1:
            return False  # slanted
        for x, y in ((x0, y0), (x1, y1)):
            on_side = min(abs(x - box.x0), abs(x - box.x1), abs(y - box.y0), abs(y - box.y1))
            if on_side > 0.1:
                return False
    return True


def _rounded_box(drawing: Drawing) -> bool:
    """An upright rectangle with rounded corners (a modern style's bar): straight sides on
    the box's edges, and curves that each turn a corner, starting and ending within half
    the box's width of it. A circle, curves alone, has no straight side."""
    items, box = drawing.items, drawing.bbox
    lines = [item for item in items if item[0] == "l"]
    curves = [item for item in items if item[0] == "c"]
    if len(lines) < 2 or not curves or len(lines) + len(curves) != len(items) or len(items) > 12:
        return False
    if not _is_rectangle(replace(drawing, items=tuple(lines))):
        return False
    reach = min(box.width, box.height) / 2 + 0.1
    corners = [(x, y) for x in (box.x0, box.x1) for y in (box.y0, box.y1)]
    return all(
        any(
            math.dist(curve[1], corner) <= reach and math.dist(curve[-1], corner) <= reach
            for corner in corners
        )
        for curve in curves
    )


def is_gray(color: Color) -> bool:
    return max(color) - min(color) < 0.02


def is_neutral(color: Color) -> bool:
    """Gray, or a tint too faint for a series' colour (a theme's pale blue-gray grid
    lines, '#EBF0F8'): the colour of rules."""
    if is_gray(color):
        return True
    return float(chroma(rgb_to_lab(color))) < NEUTRAL


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for point in points:
        if not out or math.dist(out[-1], point) > 0.01:
            out.append(point)
    return out


def colour_key(color: Color) -> Color:
    return tuple(round(c, 2) for c in color)


def wide_swatch(mark: Mark, marks: list[Mark]) -> bool:
    """A box up to three swatches wide (a web library's legend box, 40 by 12 pixels; a
    line's handle drawn long) that others of its size in other colours stand in a row or
    column with: a legend's. Sizes
    and edges agree within a border's width either side (a see-through box's fill, inside
    a border of another shade, is smaller than a solid one); a line's handle beside a box
    is as long, not as high."""
    a = mark.bbox
    level_line = mark.kind == "line" and a.height <= SWATCH / 2  # a long handle, a marker on it
    if not (mark.kind in ("bar", "area") or level_line):
        return False
    if a.height > SWATCH or a.width > 3 * SWATCH:
        return False
    slack = 2 * BORDER
    return any(
        other is not mark
        and other.color != mark.color
        and abs(other.bbox.width - a.width) <= slack
        and (abs(other.bbox.height - a.height) <= slack or _handle(other) or level_line)
        and (
            abs(other.bbox.center[1] - a.center[1]) <= BORDER
            or abs(other.bbox.center[0] - a.center[0]) <= BORDER
        )
        for other in marks
    )
