"""What a PDF page holds, as docvlm reads it: the words of its text layer (split at spaces
and at wide gaps, with their boxes, boldness and writing direction) and its vector paths.
Coordinates are in points in the page as displayed (rotation applied), origin top-left.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from docvlm.geometry import BBox

if TYPE_CHECKING:
    import pymupdf
else:
    from docvlm.pymupdf_import import pymupdf


@dataclass(frozen=True)
class Word:
    """One word of a page's text layer, in reading order (block, line, word)."""

    text: str
    bbox: BBox
    block: int = 0
    line: int = 0
    bold: bool = False
    angle: float = 0.0  # the writing direction as displayed, degrees anticlockwise


@dataclass(frozen=True)
class Drawing:
    """One vector path of a PDF page: its box, colours and stroke width."""

    bbox: BBox
    kind: Literal["stroke", "fill", "fill+stroke"]
    stroke: tuple[float, ...] | None
    fill: tuple[float, ...] | None
    width: float
    items: tuple[tuple[Any, ...], ...]


_DRAWING_KINDS: dict[str, Literal["stroke", "fill", "fill+stroke"]] = {
    "s": "stroke",
    "f": "fill",
    "fs": "fill+stroke",
}


def read_words(pdf_page: pymupdf.Page) -> tuple[Word, ...]:
    """The page's text layer as words with boxes, in the displayed page."""
    matrix = pdf_page.rotation_matrix
    upright = pdf_page.rotation % 360 == 0
    raw = pdf_page.get_text("rawdict", flags=pymupdf.TEXTFLAGS_WORDS)
    words = []
    for block_no, block in enumerate(raw["blocks"]):
        for line_no, line in enumerate(block.get("lines", ())):
            angle = _angle(line["dir"], matrix)
            for text, rect, bold in _line_words(line):
                box = BBox(*rect) if upright else BBox(*(pymupdf.Rect(rect) * matrix))
                words.append(Word(text, box, block_no, line_no, bold, angle))
    return tuple(words)


def read_drawings(pdf_page: pymupdf.Page) -> tuple[Drawing, ...]:
    """The page's vector paths, in displayed-page coordinates. A shape filled
    with a pattern (hatching) is one fill of the pattern's colour over the shape: the
    pattern's own cell, drawn in its own coordinates, is not on the page."""
    matrix = pdf_page.rotation_matrix
    out = []
    # The clips in force: (level, number, box); and the clips already given as a fill.
    clips: list[tuple[int, int, pymupdf.Rect]] = []
    filled: set[int] = set()
    for number, path in enumerate(pdf_page.get_drawings(extended=True)):
        level = int(path.get("level") or 0)
        clips = [clip for clip in clips if clip[0] < level]
        if path["type"] == "clip":
            clips.append((level, number, pymupdf.Rect(path["scissor"])))
            continue
        kind = _visible_kind(path)
        if kind is None:  # groups carry no marks, nor paths painted fully transparent
            continue
        rect, path_items = path["rect"], path["items"]
        if clips and path.get("fill") and _cut_at_edge(pymupdf.Rect(rect), clips[-1][2], path):
            rect = pymupdf.Rect(rect) & clips[-1][2]  # what shows of it
            path_items = [("re", rect, 1)]
        if clips and path.get("fill") and _pattern_cell(pymupdf.Rect(rect), clips[-1][2]):
            _, clip_number, clip_box = clips[-1]
            if clip_number not in filled:
                filled.add(clip_number)
                out.append(_clip_fill(clip_box, tuple(path["fill"]), matrix))
            continue
        if clips and _outside(pymupdf.Rect(rect), clips[-1][2]):
            continue  # wholly outside its clip, it does not show (a pattern cell's strokes)
        items = tuple((item[0], *(_transform(p, matrix) for p in item[1:])) for item in path_items)
        out.append(
            Drawing(
                bbox=BBox(*_mapped_rect(rect, matrix)),
                kind=kind,
                stroke=tuple(path["color"]) if kind != "fill" else None,
                fill=tuple(path["fill"]) if kind != "stroke" else None,
                width=float(path.get("width") or 0.0),
                items=items,
            )
        )
    return tuple(out)


def _visible_kind(path: dict[str, Any]) -> Literal["stroke", "fill", "fill+stroke"] | None:
    """What a path paints that shows: a fill or a stroke painted at no opacity (a browser's
    invisible hit area over a legend entry) shows nothing."""
    kind = _DRAWING_KINDS.get(path["type"])
    if kind is None:
        return None
    fills = kind != "stroke" and path.get("fill") and path.get("fill_opacity") != 0
    strokes = kind != "fill" and path.get("color") and path.get("stroke_opacity") != 0
    if fills and strokes:
        return "fill+stroke"
    return "fill" if fills else "stroke" if strokes else None


# A gap (or overlap) wider than this share of the font size splits a word even without a
# space: charts and forms often place separate labels as one run of text.
WORD_GAP = 0.3


Box = tuple[float, float, float, float]


def _line_words(line: dict[str, Any]) -> list[tuple[str, Box, bool]]:
    """Split one text line into words at spaces and at wide gaps between characters.

    Boxes are plain float tuples (x0, y0, x1, y1), joined as MuPDF joins rectangles (an empty
    box, of no width or no height, adds nothing): building ``pymupdf.Rect`` objects per
    character cost a tenth of a table page's time."""
    horizontal = abs(line["dir"][1]) < 1e-3
    words: list[tuple[str, Box, bool]] = []
    chars: list[str] = []
    rect: Box = (0.0, 0.0, 0.0, 0.0)
    bold = False
    last_x1: float | None = None

    def flush() -> None:
        nonlocal chars, rect, bold
        if chars:
            words.append(("".join(chars), rect, bold))
        chars, rect, bold = [], (0.0, 0.0, 0.0, 0.0), False

    for span in line["spans"]:
        size = span["size"]
        span_bold = bool(span["flags"] & 16)
        for char in span["chars"]:
            c = char["c"]
            if c.isspace():
                flush()
                last_x1 = None
                continue
            x0, y0, x1, y1 = char["bbox"]
            # A wide gap, or a jump back over the previous character, starts a new word.
            if horizontal and last_x1 is not None and abs(x0 - last_x1) > WORD_GAP * size:
                flush()
            if not chars:
                rect = (x0, y0, x1, y1)
            elif x0 < x1 and y0 < y1:
                a0, b0, a1, b1 = rect
                if a0 < a1 and b0 < b1:
                    rect = (min(a0, x0), min(b0, y0), max(a1, x1), max(b1, y1))
                else:
                    rect = (x0, y0, x1, y1)
            chars.append(c)
            bold = bold or span_bold
            last_x1 = x1
    flush()
    return words


def _outside(rect: pymupdf.Rect, clip: pymupdf.Rect) -> bool:
    """Whether a path's box lies wholly beyond its clip (a straight line's box has no area,
    which pymupdf's own test of overlap counts as lying nowhere)."""
    return rect.x0 > clip.x1 or rect.x1 < clip.x0 or rect.y0 > clip.y1 or rect.y1 < clip.y0


def _pattern_cell(rect: pymupdf.Rect, clip: pymupdf.Rect) -> bool:
    """A fill drawn past the clip that holds it: a pattern's cell in its own coordinates
    (or a fill larger than the shape it is cut to), which shows as the clip's shape. A
    shape the clip only trims, most of it in view (a scatter's marker on the plot's
    edge, clipped to the plot), is itself."""
    grown = pymupdf.Rect(clip.x0 - 1, clip.y0 - 1, clip.x1 + 1, clip.y1 + 1)
    if grown.contains(rect):
        return False
    shown = rect & clip
    in_view = not shown.is_empty and shown.width * shown.height >= SHOWN * rect.width * rect.height
    # A pattern's cell (an inch square) may lie half over a small clip, but is larger.
    small = rect.width <= LARGER * clip.width and rect.height <= LARGER * clip.height
    return not (in_view and small)


def _cut_at_edge(rect: pymupdf.Rect, clip: pymupdf.Rect, path: dict[str, Any]) -> bool:
    """Whether a box runs past one edge of its clip only, further than half its width
    along that edge and a point: a bar drawn from a base its axis does not show (from
    zero, on an axis from five), cut off at the plot's edge. A marker on the plot's edge
    runs half its width past it, and keeps its shape (its middle is its place)."""
    past = [clip.x0 - rect.x0, rect.x1 - clip.x1, clip.y0 - rect.y0, rect.y1 - clip.y1]
    sides = [side for side, length in enumerate(past) if length > 1]
    if len(sides) != 1 or not _a_box(path):
        return False
    along = rect.height if sides[0] < 2 else rect.width
    return past[sides[0]] > along / 2 + 1  # a point for the marker's stroke


def _a_box(path: dict[str, Any]) -> bool:
    """Whether a path draws an upright box: a rectangle, or lines or a quad from corner to
    corner of its own box."""
    items, box = path["items"], pymupdf.Rect(path["rect"])
    if len(items) == 1 and items[0][0] == "re":
        return True
    corners = {(round(x, 2), round(y, 2)) for x in (box.x0, box.x1) for y in (box.y0, box.y1)}
    ends = set()
    for kind, *points in items:
        if kind == "qu":
            points = list(points[0])  # a quad's four corners
        elif kind != "l":
            return False
        ends |= {(round(p.x, 2), round(p.y, 2)) for p in points}
    return ends <= corners


SHOWN = 0.4  # a shape a clip trims keeps this share of its box in view; a pattern's cell less
LARGER = 1.25  # a shape a clip trims is at most this much larger than the clip


def _clip_fill(clip: pymupdf.Rect, fill: tuple[float, ...], matrix: pymupdf.Matrix) -> Drawing:
    box = clip * matrix
    corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    items = tuple(("l", a, b) for a, b in itertools.pairwise([*corners, corners[0]]))
    return Drawing(BBox(*box), "fill", None, fill, 0.0, items)


def _mapped_rect(rect: Any, matrix: pymupdf.Matrix) -> tuple[float, float, float, float]:
    """The box of ``rect``'s corners mapped by ``matrix``, in float arithmetic (pymupdf's
    Rect * Matrix, the same for a valid rect, cost more than the rest of the drawings)."""
    x0, y0, x1, y1 = rect
    if x0 > x1 or y0 > y1:  # an invalid rect: as MuPDF maps it
        return tuple(pymupdf.Rect(rect) * matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    xs = (x0 * a + y0 * c + e, x1 * a + y0 * c + e, x0 * a + y1 * c + e, x1 * a + y1 * c + e)
    ys = (x0 * b + y0 * d + f, x1 * b + y0 * d + f, x0 * b + y1 * d + f, x1 * b + y1 * d + f)
    return (min(xs), min(ys), max(xs), max(ys))


def _angle(direction: tuple[float, float], matrix: pymupdf.Matrix) -> float:
    """A text line's writing direction on the displayed page, in whole degrees
    anticlockwise (0 for ordinary text, 90 for text running up the page)."""
    dx = direction[0] * matrix.a + direction[1] * matrix.c
    dy = direction[0] * matrix.b + direction[1] * matrix.d
    return float(round(math.degrees(math.atan2(-dy, dx)))) + 0.0


def _transform(value: Any, matrix: pymupdf.Matrix) -> Any:
    # Plain float arithmetic: pymupdf's Point * Matrix was a tenth of a table page's time.
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    if isinstance(value, pymupdf.Point):
        x, y = value.x, value.y
        return (x * a + y * c + e, x * b + y * d + f)
    if isinstance(value, pymupdf.Rect):
        return _mapped_rect(value, matrix)
    if isinstance(value, pymupdf.Quad):
        corners = (value.ul, value.ur, value.ll, value.lr)
        return tuple((p.x * a + p.y * c + e, p.x * b + p.y * d + f) for p in corners)
    return value
