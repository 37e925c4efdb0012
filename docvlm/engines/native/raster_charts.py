"""Raster charts (PNG/JPEG, scanned pages): the image cut into background, rules and
coloured marks (see :mod:`~docvlm.engines.native.segmentation`), axes calibrated on the
tick labels' words (OCR'd, or a PDF's own text), values read from pixel positions.

The marks become the same shapes the vector reader uses (bars, points, lines, areas), so
both share one calibration and one reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np
from PIL import Image

from docvlm.document import Drawing, Word
from docvlm.engines.native.accents import without_false_accents
from docvlm.engines.native.area_pieces import area_marks, areas_joined, columns, outline
from docvlm.engines.native.backdrops import (
    backdrop_boxes,
    find_backgrounds,
    within_chart_frame,
)
from docvlm.engines.native.bar_parts import with_rest_joined
from docvlm.engines.native.charts import (
    UNCALIBRATED,
    FoundChart,
    NoChart,
    chart_from_marks,
    found_pie,
)
from docvlm.engines.native.colours import to_lab
from docvlm.engines.native.covered_tops import raised_under_lines
from docvlm.engines.native.dotted_fills import dots_filled
from docvlm.engines.native.framed_patterns import patterns_in_frames
from docvlm.engines.native.hairlines import split_at_hairlines
from docvlm.engines.native.hatching import join_hatched
from docvlm.engines.native.hidden_by_legend import bars_whole_under_legend, legend_box
from docvlm.engines.native.labels import merge_line_words
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marker_fringes import markers_whole
from docvlm.engines.native.marker_letters import (
    dashes_read_as_text,
    marker_read_as_text,
    without_marker_letters,
)
from docvlm.engines.native.marks import SWATCH, Mark, colour_key, is_gray
from docvlm.engines.native.narrow_bars import narrow_bar, strips_on_one_base
from docvlm.engines.native.raster_labels import TEXT_POINTS, Reread, chart_labels, reread_margins
from docvlm.engines.native.raster_pies import find_pie
from docvlm.engines.native.raster_ticks import ticks_beside_labels, ticks_under
from docvlm.engines.native.segmentation import Piece, enclosed, segment
from docvlm.engines.native.stray_ink import (
    without_outline_pieces,
    without_slivers,
    without_stray_ink,
)
from docvlm.engines.native.text_ink import text_ink
from docvlm.engines.native.tinted_areas import tinted_areas
from docvlm.engines.native.traced_lines import traced_line
from docvlm.geometry import BBox
from docvlm.text import parse_number

RULE_POINTS = 30.0  # a straight line at least this long is an axis, grid line or frame
NO_MARKS = "no coloured marks"
LINE_POINTS = 4.0  # the thickest stroke a chart draws a line series with
RULE_BAND = 8.0  # points: a rule's box is at most this thick (a frame's side, dense grid lines)


def find_raster_charts(
    image: Image.Image,
    words: tuple[Word, ...],
    points_per_pixel: float,
    reread: Reread | None = None,
) -> list[FoundChart]:
    """The chart in an image; raises :class:`NoChart` saying why there is none. ``reread``
    (OCR'd images) reads the margins around the marks again, closer: tick labels and
    legend names that a reading of the whole image missed."""
    labels = chart_labels(words)
    reading = read_image(image, points_per_pixel, labels)
    if not reading.marks:
        raise NoChart(NO_MARKS)
    if reread is not None:
        size = BBox(0, 0, image.width, image.height).scaled(points_per_pixel)
        closer = reread_margins(labels, reading.marks, reading.words, size, reread)
        if closer is not None:
            labels = chart_labels(closer)
            reading = read_image(image, points_per_pixel, labels)
    try:
        return _chart_read(reading, points_per_pixel)
    except NoChart as exc:
        if str(exc) != UNCALIBRATED or not (on_bars := _numbers_on_bars(reading, reread)):
            raise
        return _chart_read(_with_numbers_on_bars(reading, on_bars), points_per_pixel)


def _chart_read(reading: ImageReading, points_per_pixel: float) -> list[FoundChart]:
    markers = [m.bbox for m in reading.marks if max(m.bbox.width, m.bbox.height) <= SWATCH]
    texts = merge_line_words(reading.words, apart=markers)
    pie = find_pie(reading.lab, reading.pieces, points_per_pixel)
    if pie is not None:
        legend, _ = split_legend(reading.marks, texts)
        return [found_pie(pie, legend, texts, "pie: shares of the slices' turn")]
    marks = series_marks(reading, texts, points_per_pixel)
    return chart_from_marks(marks, reading.words, reading.rules, ticks=reading.ticks)


def _with_numbers_on_bars(reading: ImageReading, numbers: list[Word]) -> ImageReading:
    """The reading with the numbers printed on its bars among its words, and without the
    specks of a bar's colour left between their strokes (taken for marks of their own)."""
    kept = [
        (piece, mark)
        for piece, mark in zip(reading.pieces, reading.marks, strict=True)
        if mark.kind == "bar" or not any(w.bbox.contains(mark.bbox, 1.0) for w in numbers)
    ]
    return replace(
        reading,
        words=[*reading.words, *numbers],
        pieces=[piece for piece, _ in kept],
        marks=[mark for _, mark in kept],
    )


def _numbers_on_bars(reading: ImageReading, reread: Reread | None) -> list[Word]:
    """The numbers printed inside the bars (each bar read on its own colour: white on a
    dark bar is lost to a reading of the whole image), for a chart with no value axis
    that the values printed on its bars calibrate."""
    if reread is None:
        return []
    heights = [w.bbox.height for w in reading.words if w.angle == 0]
    text = float(np.median(heights)) if heights else TEXT_POINTS
    found = []
    for bar in (m for m in reading.marks if m.kind == "bar"):
        if min(bar.bbox.width, bar.bbox.height) < text:
            continue  # no room for a number
        inside = BBox(bar.bbox.x0 + 1, bar.bbox.y0 + 1, bar.bbox.x1 - 1, bar.bbox.y1 - 1)
        found += [w for w in reread(inside, text, bar.color) if parse_number(w.text) is not None]
    return found


def series_marks(reading: ImageReading, texts: list[Word], scale: float) -> list[Mark]:
    """The marks again, a series at a time: a series whose pieces join into one long thin
    curve (a thick line cut into bits where it turns, its markers on it) is one line;
    any other keeps its pieces as marks. Legend swatches stay as they are."""
    legend, data = split_legend(reading.marks, texts)
    data_ids = {id(m) for m in data}
    marks: list[Mark] = [m for m in reading.marks if id(m) not in data_ids]
    by_colour: dict[tuple[float, ...], list[tuple[Piece, Mark]]] = {}
    pairs = list(zip(reading.pieces, reading.marks, strict=True))
    swatches = list(
        {
            colour_key(m.color): (p, m)
            for p, m in pairs
            if id(m) not in data_ids and not p.thin and colour_key(m.color) in legend
        }.values()
    )
    drawn = [(p, m) for p, m in pairs if id(m) in data_ids]
    swatch_count = len(marks)
    areas = area_marks(drawn, swatches, reading.backgrounds, reading.lab, scale)
    for piece, mark in tinted_areas(areas, marks, reading.backgrounds):
        # By its key: a region recoloured as a tint of a series' colour lands a rounding
        # off its bars' colour, and is one of them (the chart groups its series so).
        by_colour.setdefault(colour_key(mark.color), []).append((piece, mark))
    for colour, members in by_colour.items():
        squares = [m for _, m in members if m.kind == "bar"]
        if _square_markers(squares, scale):
            size = float(np.median([m.bbox.width for m in squares]))
            others = [(p, m) for p, m in members if m.kind != "bar"]
            clumps = [(p, m) for p, m in others if _clump(m, size, scale)]
            # A marker cut at the plot's edge is a part of one: a stroke, or a point.
            parts = [m for _, m in others if max(m.bbox.width, m.bbox.height) <= size + 2 * scale]
            if len(clumps) + len(parts) == len(others):
                marks.extend(replace(m, kind="point") for m in squares)
                marks.extend(point for p, m in clumps for point in _clump_points(p, m, size))
                marks.extend(replace(m, kind="point", vertices=[]) for m in parts)
                continue
        if _scattered(members):
            marks.extend(replace(m, kind="point", vertices=[]) for _, m in members)
            continue
        if strips_on_one_base([p for p, _ in members], scale):
            marks.extend(replace(m, kind="bar", vertices=[]) for _, m in members)
            continue
        solid = sum(m.pixels for _, m in members if m.kind == "bar" and _wide(m))
        if solid >= 0.5 * sum(m.pixels for _, m in members) or _bars_apart(
            [m for _, m in members], scale
        ):
            # Bars, not a line cut into bits; one that a legend hides in part is a bar too.
            marks.extend(_partly_hidden_bars([m for _, m in members]))
            continue
        line = traced_line([p for p, _ in members], reading.lab.shape[:2], scale)
        if line is not None:
            marks.append(Mark("line", line[0], colour, line[1], pixels=line[2]))
        else:
            marks.extend(areas_joined(members, scale))
    key = legend_box([m for _, m in swatches], texts, set(legend.values()))
    data = bars_whole_under_legend(marks[swatch_count:], key, reading.backgrounds)
    data = without_outline_pieces(without_stray_ink(data), scale)
    return marks[:swatch_count] + without_slivers(data, scale)


def _scattered(members: list[tuple[Piece, Mark]]) -> bool:
    """Whether a colour's marks are a scatter's points: most of its ink in markers, and
    nothing larger than one (a marker cut in half at the plot's edge is read as a short
    stroke, and must not make the points one line through them)."""
    ink = sum(m.pixels for _, m in members)
    dotted = sum(m.pixels for _, m in members if m.kind == "point")
    small = all(max(m.bbox.width, m.bbox.height) <= SWATCH for _, m in members)
    return small and dotted >= 0.5 * ink


def _partly_hidden_bars(members: list[Mark]) -> list[Mark]:
    """A series' bars, with each region of its colour that is no rectangle read as the bar
    it is part of, the box of what shows of it: one that something drawn over it (a
    legend) hid in part, or what hatching left of a bar that could not be joined whole.
    A series of bars holds no area, and one such region must not make it read as one.
    Such a region that is the rest of one of the bars (a line drawn across the bar cut it
    off, see :mod:`~.bar_parts`) joins it."""
    bars = [m for m in members if m.kind != "area"]
    for ragged in (replace(m, kind="bar", vertices=[]) for m in members if m.kind == "area"):
        bars = with_rest_joined(bars, ragged, None) or [*bars, ragged]
    return bars


def _bars_apart(members: list[Mark], scale: float) -> bool:
    """Whether a colour's regions, some read as bars and the others as areas (bars whose
    pattern or printed labels left them ragged), are bars all the same: all of one
    width (or height), standing a gap apart, as bars of one series do; the blocks that
    grid lines cut a stacked area into touch one another."""
    if len(members) < 2 or any(m.kind not in ("bar", "area") for m in members):
        return False
    if not any(m.kind == "bar" for m in members):
        return False
    for low, high in ((0, 2), (1, 3)):
        spans = sorted((m.bbox.as_tuple()[low], m.bbox.as_tuple()[high]) for m in members)
        width = float(np.median([b - a for a, b in spans]))
        if max(abs(b - a - width) for a, b in spans) > 2 * scale:
            continue
        # Pieces of one bar (cut by a label printed on it) share its span.
        starts = [a for a, _ in spans]
        steps = [b - a for a, b in pairwise(starts) if b - a > width / 2]
        if steps and min(steps) - width >= BAR_GAP * width:
            return True
    return False


BAR_GAP = 0.2  # bars of one series stand at least this share of their width apart


def _square_markers(members: list[Mark], scale: float) -> bool:
    """Whether a colour's marks are a scatter's square markers, not bars: small filled
    squares, most of them of one size (bars of one series share a width, not a height),
    the others smaller, none larger (a marker that a legend or a grid line drawn over it
    hides in part, or the plot's edge cuts)."""
    if len(members) < 2 or any(m.kind != "bar" for m in members):
        return False
    alike = 2 * scale  # two pixels of anti-aliasing either way
    width = float(np.median([m.bbox.width for m in members]))
    height = float(np.median([m.bbox.height for m in members]))
    if max(width, height) > SWATCH or abs(width - height) > alike:
        return False
    sizes = [(m.bbox.width, m.bbox.height) for m in members]
    same = [(w, h) for w, h in sizes if abs(w - width) <= alike and abs(h - height) <= alike]
    smaller = all(w <= width + alike and h <= height + alike for w, h in sizes)
    return smaller and len(same) >= max(2, SAME_SIZE * len(members))


SAME_SIZE = 0.75  # the share of a scatter's square markers drawn whole, of one size


def _clump(mark: Mark, size: float, scale: float) -> bool:
    """Whether a mark is two square markers of ``size`` run together (points close by,
    overlapping or joined by their anti-aliased edges): more than one marker wide and high,
    at most two and a half (a gap between them a half marker wide at most)."""
    alike = 2 * scale
    sides = (mark.bbox.width, mark.bbox.height)
    return all(size + alike < side <= 2.5 * size + alike for side in sides)


def _clump_points(piece: Piece, mark: Mark, size: float) -> list[Mark]:
    """Two overlapping square markers as the two points they are: at the ends of the
    diagonal of the clump's box that its pixels fill (the other's corners are empty)."""
    mask, box = piece.mask, mark.bbox
    falling = mask[:2, :2].any() and mask[-2:, -2:].any()  # top left to bottom right
    left = (box.x0, box.y0) if falling else (box.x0, box.y1 - size)
    right = (box.x1 - size, box.y1 - size) if falling else (box.x1 - size, box.y0)
    return [
        replace(mark, kind="point", bbox=BBox(x, y, x + size, y + size), vertices=[])
        for x, y in (left, right)
    ]


def _wide(mark: Mark) -> bool:
    return min(mark.bbox.width, mark.bbox.height) >= 3.0


@dataclass
class ImageReading:
    """A chart image as marks, rules and words, in points; and its pixels in CIELAB with the
    pieces the marks were made of."""

    marks: list[Mark]
    rules: tuple[Drawing, ...]
    words: list[Word]
    lab: np.ndarray
    pieces: list[Piece]
    backgrounds: list[np.ndarray] = field(default_factory=list)
    ticks: tuple[Drawing, ...] = ()  # tick marks under the level rules (see raster_ticks)


def image_marks(
    image: Image.Image, scale: float, words: list[Word] | None = None
) -> tuple[list[Mark], tuple[Drawing, ...], list[Word]]:
    """The marks of a chart image and its rules (axes, grid lines, frames, as gray stroke
    drawings), in points (``scale`` points per pixel); ``words`` are kept out of both,
    except markers that OCR read as letters (returned are the words that are text)."""
    reading = read_image(image, scale, words or [])
    return reading.marks, reading.rules, reading.words


def read_image(image: Image.Image, scale: float, words: list[Word]) -> ImageReading:
    lab = to_lab(np.asarray(image.convert("RGB")))
    backgrounds = find_backgrounds(lab)
    ink = text_ink(words, lab, scale)
    words = [
        part for w in words for part in without_marker_letters(w, lab, backgrounds, scale, ink)
    ]
    words = [w for w in words if not marker_read_as_text(w, lab, backgrounds, scale, ink)]
    words = without_false_accents(words, lab, backgrounds, scale)
    dashes = {id(w) for w in dashes_read_as_text(words)}
    words = [w for w in words if id(w) not in dashes]
    boxes = [word.bbox.pixel_bounds(scale) for word in words]
    heights = [word.bbox.height for word in words if word.angle == 0]
    glyph = 1.5 * (float(np.median(heights)) if heights else TEXT_POINTS)
    segments = segment(
        lab,
        backgrounds,
        boxes,
        rule_px=max(15, int(RULE_POINTS / scale)),
        glyph_px=int(glyph / scale),
        ink=ink,
    )
    lab = segments.lab  # pale fills inside their outlines painted stronger
    framed, lab = patterns_in_frames(dots_filled(segments.pieces), lab, backgrounds)
    pieces = [
        p for p in join_hatched(framed, lab, backgrounds, SWATCH / scale) if not _upright_rule(p)
    ]
    pieces = split_at_hairlines(markers_whole(pieces, SWATCH / scale), lab, backgrounds)
    pieces = raised_under_lines(pieces, lab.shape)
    marks = [mark_of(piece, scale) for piece in pieces]
    backdrops = backdrop_boxes(lab, backgrounds)
    frames = [side for box in backdrops for side in _sides(box, lab.shape[:2])]
    level = [box for box, word in zip(boxes, words, strict=True) if not word.angle]
    ticks = ticks_under(lab, segments.rules, scale, level) + ticks_beside_labels(lab, scale, level)
    rules = tuple(
        Drawing(BBox(*box).scaled(scale), "stroke", (0.5, 0.5, 0.5), None, 1.0, ())
        for box in segments.rules + frames
        if _line_like(box, scale)
    )
    data = [m.bbox for m in marks if max(m.bbox.width, m.bbox.height) > SWATCH]
    words = within_chart_frame(words, data, [BBox(*box).scaled(scale) for box in backdrops])
    return ImageReading(marks, rules, words, lab, pieces, backgrounds, ticks)


def _line_like(box: tuple[int, int, int, int], scale: float) -> bool:
    """Whether a rule's box is a line's (thin one way), not a band of rows a pattern's
    fill crowds with short strokes (a hatched bar's texture passes for many rules)."""
    x0, y0, x1, y1 = box
    return min(x1 - x0, y1 - y0) * scale <= RULE_BAND


def _upright_rule(piece: Piece) -> bool:
    """A short straight upright stroke in gray or black (a table's cell border, a tick
    mark) is no data: a line series runs across the chart, not straight up."""
    x0, y0, x1, y1 = piece.box
    return piece.thin and is_gray(piece.rgb) and x1 - x0 <= 2 and y1 - y0 >= 3 * (x1 - x0)


def _sides(
    box: tuple[int, int, int, int], shape: tuple[int, ...]
) -> list[tuple[int, int, int, int]]:
    """A plot backdrop's edges, as the lines that frame the plot; not those on the image's
    border (a ground filling the whole figure frames nothing)."""
    x0, y0, x1, y1 = box
    height, width = shape
    sides = [
        ((x0, y0, x1, y0 + 1), y0 > 0),
        ((x0, y1 - 1, x1, y1), y1 < height),
        ((x0, y0, x0 + 1, y1), x0 > 0),
        ((x1 - 1, y0, x1, y1), x1 < width),
    ]
    return [side for side, inside in sides if inside]


def mark_of(piece: Piece, scale: float) -> Mark:
    """A piece of the image as the shape a vector chart would have drawn: a bar (a filled
    upright rectangle), a point (small), a line (a stroke, as its centre line) or an area
    (its upper and lower edges)."""
    x0, y0, x1, y1 = piece.box
    box = BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    small = max(box.width, box.height) <= SWATCH
    if narrow_bar(piece, scale, LINE_POINTS) or (piece.thin and _outlined_bar(piece, box)):
        mark = Mark("bar", box, piece.rgb)
    elif piece.thin:
        compact = small and min(box.width, box.height) >= SWATCH / 4
        mark = Mark("point" if compact else "line", box, piece.rgb, _centre_line(piece, scale))
    elif (
        (piece.fill >= 0.85 or piece.upright) and min(piece.mask.shape) >= 2 and _level(piece.mask)
    ):
        mark = Mark("bar", box, piece.rgb)
    elif small:
        mark = Mark("point", box, piece.rgb)
    else:
        mark = Mark("area", box, piece.rgb, outline(piece, scale))
    mark.pixels = float(piece.area)
    return mark


OUTLINED_INSIDE = 0.3  # the share of its box a bar drawn as an outline at least encloses
OUTLINED_FILL = 0.9  # ... and fills with what it encloses (a grid line may run on past it)
LEVEL = 0.8  # the share of a bar's columns whose top (and foot) is level with the rest


def _outlined_bar(piece: Piece, box: BBox) -> bool:
    """Whether a stroke closes round an upright rectangle: a bar drawn as its outline, its
    inside left blank or filled in a tint too pale to pass for drawn ink (gray grid
    lines seen through it). The outline may leave the bar's foot open (it stands on the
    axis): the rectangle is closed along each side of its box in turn."""
    if max(box.width, box.height) <= SWATCH:  # a hollow marker, a point
        return False
    inside = max((enclosed(closed) for closed in _closed_sides(piece.mask)), key=np.sum)
    whole = piece.mask | inside
    return (
        float(inside.mean()) >= OUTLINED_INSIDE
        and float(whole.mean()) >= OUTLINED_FILL
        and _level(whole)
    )


def _closed_sides(mask: np.ndarray) -> list[np.ndarray]:
    """``mask`` with its box's bottom, top, left and right edge drawn in, one at a time."""
    sides = []
    for edge in (np.s_[-1, :], np.s_[0, :], np.s_[:, 0], np.s_[:, -1]):
        closed = mask.copy()
        closed[edge] = True
        sides.append(closed)
    return sides


def _level(mask: np.ndarray) -> bool:
    """Whether a filled piece's top and foot run level (``mask``: its pixels inside its
    box), as a bar's do (its corners may be rounded): an area filled nearly to its box (a
    stacked area's lower band, its top slanting down at one end) is no bar."""
    drawn = mask.any(axis=0)
    tops = np.argmax(mask, axis=0)[drawn]
    feet = (mask.shape[0] - np.argmax(mask[::-1], axis=0))[drawn]
    return all(
        float(np.mean(np.abs(edge - np.median(edge)) <= 2)) >= LEVEL for edge in (tops, feet)
    )


def _centre_line(piece: Piece, scale: float) -> list[tuple[float, float]]:
    """A stroke's centre, column by column."""
    vertices = []
    for column in columns(piece):
        rows = np.nonzero(piece.mask[:, column])[0]
        if len(rows):
            x = (piece.x + column + 0.5) * scale
            vertices.append((x, (piece.y + float(np.median(rows)) + 0.5) * scale))
    return vertices
