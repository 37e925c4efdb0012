"""Areas in a chart image, each series as one piece: the regions of one area that
something cut apart (a stacked band thinned to a hairline where its value is small, a
label or a legend drawn over it) joined back, see-through areas joined with their blends
(see :mod:`~docvlm.engines.native.see_through`), and a band level enough to pass for a
bar taken as the area it is; so that each area is read along its whole outline."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from docvlm.engines.native.marks import Color, Mark
from docvlm.engines.native.see_through import overlapping_areas
from docvlm.engines.native.segmentation import Piece
from docvlm.geometry import BBox

TOUCHING = 2  # pixels: regions whose columns come this close continue one area
# Pixels: a region whose columns start and end with an area's (within anti-aliasing)
# runs along the whole plot as the areas do.
SAME_SPAN = 2

Pair = tuple[Piece, Mark]


def area_marks(
    data: list[Pair],
    swatches: list[Pair],
    backgrounds: list[np.ndarray],
    lab: np.ndarray,
    scale: float,
) -> list[Pair]:
    """The data marks (with their pieces) of a chart image that holds areas, each bar
    spanning the areas' columns taken as an area, and see-through areas that overlap
    each made one area of its own regions and its blends with others, in its legend
    ``swatches``' colour (``scale``: points per pixel). Other charts' marks as they are."""
    areas = [p for p, m in data if m.kind == "area" and not p.thin]
    if not areas:
        return data
    boxes = [p.box for p, _ in data if not p.thin]
    width = max(b[2] for b in boxes) - min(b[0] for b in boxes)  # the data's, in pixels
    data = [(p, _level_area(p, m, areas, width, scale)) for p, m in data]
    # Bars too: grid lines drawn through a see-through area cut it into blocks.
    regions = [p for p, m in data if m.kind in ("area", "bar") and not p.thin]
    found, used = overlapping_areas(regions, [p for p, _ in swatches], backgrounds, lab)
    gone = {id(p) for p in used}
    kept = [(p, m) for p, m in data if id(p) not in gone]
    for index, parts in found.items():
        swatch, mark = swatches[index]
        joined = joined_piece(parts, swatch.lab, swatch.rgb)
        kept.append((joined, area_mark(joined, mark.color, scale)))
    return kept


def _level_area(piece: Piece, mark: Mark, areas: list[Piece], width: int, scale: float) -> Mark:
    """A bar whose columns are an area's (a stacked band whose values hardly change, cut
    square at the plot's ends, or at grid lines) as an area; any other mark as it is. The
    area stands on the bar or under it (a band on a band), or runs along the plot's width:
    a region that a legend drawn over a bar left ragged is none, and the bars in line with
    it, a gap apart (a 100% chart's bars on their side, their right ends at 100%), are no
    bands. ``width``: the width the data spans."""
    if mark.kind != "bar" or piece.thin:
        return mark
    x0, y0, x1, y1 = piece.box
    for area in areas:
        same_span = abs(area.box[0] - x0) <= SAME_SPAN and abs(area.box[2] - x1) <= SAME_SPAN
        meets = area.box[1] <= y1 + TOUCHING and y0 <= area.box[3] + TOUCHING
        plot_wide = area.box[2] - area.box[0] >= WHOLE_WIDTH * width
        if same_span and (meets or plot_wide):
            return replace(mark, kind="area", vertices=outline(piece, scale))
    return mark


WHOLE_WIDTH = 0.9  # an area runs along this share of the width the data spans, at least


def areas_joined(members: list[Pair], scale: float) -> list[Mark]:
    """A colour's marks, with the regions of an area that continue one another (see
    :func:`column_runs`) joined into one area."""
    areas = [(p, m) for p, m in members if m.kind == "area" and not p.thin]
    marks = [m for p, m in members if m.kind != "area" or p.thin]
    by_piece = {id(p): m for p, m in areas}
    for run in column_runs([p for p, _ in areas]):
        first = by_piece[id(run[0])]
        if len(run) == 1:
            marks.append(first)
        else:
            marks.append(area_mark(joined_piece(run, run[0].lab, run[0].rgb), first.color, scale))
    return marks


def area_mark(piece: Piece, colour: Color, scale: float) -> Mark:
    """An area's mark: its box and outline in points, in the series' ``colour``."""
    x0, y0, x1, y1 = piece.box
    box = BBox(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    return Mark("area", box, colour, outline(piece, scale), float(piece.area))


def joined_piece(parts: list[Piece], lab: np.ndarray, rgb: tuple[float, float, float]) -> Piece:
    """One piece of colour ``lab`` (CIELAB; ``rgb`` in sRGB) covering every part."""
    x0 = min(p.x for p in parts)
    y0 = min(p.y for p in parts)
    x1 = max(p.box[2] for p in parts)
    y1 = max(p.box[3] for p in parts)
    mask = np.zeros((y1 - y0, x1 - x0), bool)
    for part in parts:
        px0, py0, px1, py1 = part.box
        mask[py0 - y0 : py1 - y0, px0 - x0 : px1 - x0] |= part.mask
    return Piece(mask, x0, y0, int(mask.sum()), np.asarray(lab, np.float32), rgb=rgb)


def column_runs(pieces: list[Piece]) -> list[list[Piece]]:
    """Regions of one area colour grouped by the columns they span: those whose spans
    overlap or touch are one area, and so are two that thin to a hairline toward each
    other (a stacked band whose value falls to nearly nothing); any other gap between
    spans (no value there) parts two."""
    runs: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: p.x):
        last = max(runs[-1], key=lambda p: p.box[2]) if runs else None
        if last is not None and (piece.x <= last.box[2] + TOUCHING or _thinned(last, piece)):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


HAIRLINE = 6  # pixels: a band this thin at its end fades out rather than stops


def _thinned(left: Piece, right: Piece) -> bool:
    """Whether two regions, a gap apart, both thin to a hairline across it, at heights
    the gap joins (a band's run from one to the other)."""
    ends = (_end(left, left.mask.shape[1] - 3), _end(right, 0))
    if any(end is None for end in ends):
        return False
    (left_top, left_height), (right_top, right_height) = ends  # type: ignore[misc]
    gap = right.x - left.box[2]
    return (
        max(left_height, right_height) <= HAIRLINE and abs(left_top - right_top) <= gap + HAIRLINE
    )


def _end(piece: Piece, start: int) -> tuple[float, int] | None:
    """The middle row and the height of a region's three columns from ``start``."""
    rows = np.nonzero(piece.mask[:, max(0, start) : start + 3].any(axis=1))[0]
    if not len(rows):
        return None
    return piece.y + (rows.min() + rows.max()) / 2, int(rows.max() - rows.min() + 1)


def columns(piece: Piece) -> range:
    """The columns a piece is traced along: every one, or some 200 across a wide one."""
    width = piece.mask.shape[1]
    return range(0, width, max(1, width // 200))


def outline(piece: Piece, scale: float) -> list[tuple[float, float]]:
    """An area's outline: its upper edge left to right, then its lower edge back."""
    upper, lower = [], []
    for column in columns(piece):
        rows = np.nonzero(piece.mask[:, column])[0]
        if len(rows):
            x = (piece.x + column + 0.5) * scale
            upper.append((x, (piece.y + rows.min() + 0.5) * scale))
            lower.append((x, (piece.y + rows.max() + 0.5) * scale))
    return upper + lower[::-1]
