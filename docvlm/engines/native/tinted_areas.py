"""Areas filled with a see-through tint of their series' colour: web charting libraries
fill an area with its series colour at half opacity and draw its top edge as a line in
the full colour, which is also the colour of its legend swatch. The tint is no series'
colour: each such area takes the colour it is a tint of (its edge's, its swatch's), and
its edge line, which only repeats the area's top, goes.

Hand-written on NumPy: compositing one colour over the background (sRGB, as renderers
blend) is a line between two colours, and whether a third lies on it a projection.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from docvlm.engines.native.colours import delta_e, lab_to_rgb, rgb_to_lab
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.segmentation import SAME_COLOUR, Piece

Pair = tuple[Piece, Mark]
TINT = 5.0  # delta E within which a colour is the blend foreseen
OPACITY = (0.15, 0.85)  # a tint: neither nearly clear nor nearly solid
EDGE_SLACK = 3  # pixels: an edge line's ends lie within the area's columns, this much aside


def tinted_areas(
    pairs: list[Pair], swatches: list[Mark], backgrounds: list[np.ndarray]
) -> list[Pair]:
    """The pairs with every area of a see-through tint in the colour it is a tint of (a
    legend swatch's, or a line's drawn in the chart), and without the lines that edge such
    an area; pairs of a chart with no tinted area as they are."""
    colours = [rgb_to_lab(m.color) for m in swatches]
    colours += [p.lab for p, m in pairs if p.thin and m.kind == "line"]
    if not colours:
        return pairs
    recoloured: list[Pair] = []
    for piece, mark in pairs:
        if mark.kind != "area" or piece.thin:
            recoloured.append((piece, mark))
            continue
        full = _tinted(piece.lab, colours, backgrounds)
        if full is None:
            recoloured.append((piece, mark))
            continue
        rgb = lab_to_rgb(full)
        piece = replace(piece, lab=full.astype(np.float32), rgb=rgb)
        recoloured.append((piece, replace(mark, color=rgb)))
    tinted = [q for (p, _), (q, _) in zip(pairs, recoloured, strict=True) if p is not q]
    return [(p, m) for p, m in recoloured if not _edge_of(p, m, tinted)]


def _tinted(
    colour: np.ndarray, fulls: list[np.ndarray], grounds: list[np.ndarray]
) -> np.ndarray | None:
    """The full colour that ``colour`` is a see-through tint of over one of the grounds;
    None where it is a full colour itself (near one of them) or no tint of any."""
    if any(float(delta_e(colour, full)) <= SAME_COLOUR for full in fulls):
        return None
    best, best_off = None, TINT
    for full in fulls:
        for ground in grounds:
            off = _off_tint(colour, full, ground)
            if off is not None and off < best_off:
                best, best_off = full, off
    return best


def _off_tint(colour: np.ndarray, full: np.ndarray, ground: np.ndarray) -> float | None:
    """How far ``colour`` is from ``full`` drawn over ``ground`` at the opacity that comes
    nearest (sRGB); None where that opacity is no tint's."""
    c, f, g = (np.array(lab_to_rgb(x)) for x in (colour, full, ground))
    span = f - g
    if float(span @ span) < 1e-4:
        return None
    alpha = float((c - g) @ span / (span @ span))
    if not OPACITY[0] <= alpha <= OPACITY[1]:
        return None
    return float(delta_e(colour, rgb_to_lab(tuple(g + alpha * span))))


def _edge_of(piece: Piece, mark: Mark, areas: list[Piece]) -> bool:
    """Whether a line is the edge of a tinted area: drawn in its full colour, within its
    columns."""
    if mark.kind != "line" or not piece.thin:
        return False
    x0, _, x1, _ = piece.box
    return any(
        float(delta_e(piece.lab, area.lab)) <= SAME_COLOUR
        and x0 >= area.box[0] - EDGE_SLACK
        and x1 <= area.box[2] + EDGE_SLACK
        for area in areas
    )
