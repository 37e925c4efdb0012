"""An area series as one piece: the regions of one area that something cut apart (a
stacked band thinned to a hairline where its value is small, a label or a legend drawn
over it, the blends of a see-through area with others) joined back, so that the area is
read along its whole outline rather than each bit on its own."""

from __future__ import annotations

import numpy as np

from docvlm.engines.native.segmentation import Piece

TOUCHING = 2  # pixels: regions whose columns come this close continue one area


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
    overlap or touch are one area; a gap between spans (no value there) parts two."""
    runs: list[list[Piece]] = []
    end = 0
    for piece in sorted(pieces, key=lambda p: p.x):
        if runs and piece.x <= end + TOUCHING:
            runs[-1].append(piece)
            end = max(end, piece.box[2])
        else:
            runs.append([piece])
            end = piece.box[2]
    return runs
