"""The colours a chart image's strokes are drawn in: each thin stroke's least blended
pixels, gathered into distinct colours. Hand-written on NumPy and OpenCV: the colours of
anti-aliased strokes are ranked by how far they stand from the ground, which no
clustering library does for a stroke's pixels."""

from __future__ import annotations

import cv2
import numpy as np

from docvlm.engines.native.colours import GRAY, chroma, colour_counts, delta_e, nearest_blend


def stroke_palette(
    lab: np.ndarray,
    thin: np.ndarray,
    distance: np.ndarray,
    under: np.ndarray,
    same: float,
    least: int,
) -> list[np.ndarray]:
    """The distinct colours (CIELAB) of the strokes in ``thin`` (a mask of the image in
    ``lab``; ``distance``: each pixel's delta E from its ground, ``under`` that ground's
    colour): colours within ``same`` delta E twice over are one, and a colour needs
    ``least`` pixels of strongest ink. The colours of faint strokes that only a ranking
    within their hue finds come after, where they are none of the others: they add
    colours, and change none."""
    strongest, within_hues = _cores(lab, thin, distance)
    pixels = lab.reshape(-1, 3)
    palette = _palette(pixels[strongest], same, least)
    palette = _without_blends(palette, strongest, pixels, under.reshape(-1, 3), thin.shape, same)
    added = [
        colour
        for colour in _palette(pixels[within_hues], same, least)
        if all(float(delta_e(colour, other)) > 2 * same for other in palette)
    ]
    return palette + added


# A paler colour whose strongest pixels stand this close to a stronger one's, for the most
# part, is its blend (within one pixel: the two alternate along one stroke).
ALONGSIDE = 0.5
PALER = 0.9  # the share of the stronger colour a blend holds at most


def _without_blends(
    palette: list[np.ndarray],
    cores: np.ndarray,
    pixels: np.ndarray,
    grounds: np.ndarray,
    shape: tuple[int, ...],
    same: float,
) -> list[np.ndarray]:
    """The palette less the colours that are a paler blend of another with the ground
    whose strongest pixels lie alongside that colour's. A stroke about a pixel wide never
    covers a whole pixel where it runs between pixel centres: its strongest pixels there
    are a paler shade, which, taken for a colour of its own, cuts the stroke into dashes of
    two colours. A pale series of its own (a light and a dark blue) lies apart from the
    dark one but where they cross."""
    if len(palette) < 2:
        return palette
    nearest = np.argmin(delta_e(pixels[cores][:, None], np.stack(palette)[None]), axis=1)
    members = [cores[nearest == index] for index in range(len(palette))]
    masks = []
    for chosen in members:
        mask = np.zeros(shape[0] * shape[1], bool)
        mask[chosen] = True
        masks.append(mask.reshape(shape[:2]))
    beside = [cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0 for mask in masks]
    kept = []
    for index, colour in enumerate(palette):
        mine = masks[index]
        if mine.any():
            ground = np.median(grounds[members[index]], axis=0)
            if any(
                _paler_blend(colour, stronger, ground, same)
                and (mine & beside[other]).sum() >= ALONGSIDE * mine.sum()
                for other, stronger in enumerate(palette)
                if other != index
            ):
                continue  # the paler pixels of a stronger colour's strokes
        kept.append(colour)
    return kept


def _paler_blend(colour: np.ndarray, stronger: np.ndarray, ground: np.ndarray, same: float) -> bool:
    """Whether ``colour`` is a blend of ``stronger`` with ``ground``, paler than it."""
    off, share = nearest_blend(colour, ground, stronger - ground)
    return float(off) < same and float(share) < PALER


HUES = 12  # hue sectors in which a stroke's pixels are ranked apart (30 degrees each)


def _cores(
    lab: np.ndarray, thin: np.ndarray, distance: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The least blended pixels of each connected bit of stroke (its strongest third): the
    colours strokes are drawn in, faint strokes as much as strong ones. Lines that cross
    are one bit, so its coloured pixels are ranked again within each hue, in hues its
    strongest pixels do not hold: a pale line crossing a strong one has cores of its own
    (the second array). Both are indices into the image's pixels, row by row."""
    count, labels = cv2.connectedComponents(thin.astype(np.uint8), connectivity=8)
    bits, strength = labels.ravel(), distance.ravel()
    strongest = _strongest(bits, strength, count)
    angle = np.arctan2(lab[..., 2], lab[..., 1]).ravel()
    sector = ((angle + np.pi) / (2 * np.pi) * HUES).astype(np.int64) % HUES
    # Hues a bit's strongest pixels already hold, and those beside them (the paler blends
    # of its colour, whose hue drifts a little), are not ranked again.
    held = np.zeros(count * HUES + 1, bool)
    for step in (-1, 0, 1):
        held[bits[strongest] * HUES + (sector[strongest] + step) % HUES + 1] = True
    coloured = (bits > 0) & (chroma(lab).ravel() >= GRAY)
    groups = np.where(coloured, bits * HUES + sector + 1, 0)
    groups = np.where(held[groups], 0, groups)
    within_hues = _strongest(groups, strength, count * HUES + 1)
    return strongest, within_hues


def _strongest(groups: np.ndarray, strength: np.ndarray, count: int) -> np.ndarray:
    """The indices of the strongest third of each group's pixels (groups 1 to count - 1;
    0 is none)."""
    order = np.lexsort((-strength, groups))
    starts = np.searchsorted(groups[order], np.arange(1, count))
    stops = np.append(starts[1:], len(order))
    # The strongest third, and the one pixel of a bit of one or two (none of an empty group).
    chosen = [
        order[a : a + max((b - a) // 3, min(1, b - a))] for a, b in zip(starts, stops, strict=True)
    ]
    return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)


def _palette(pixels: np.ndarray, same: float, least: int) -> list[np.ndarray]:
    """The distinct colours among strokes' strongest pixels: the commonest first, each
    taking the pixels within ``same`` twice over of it, kept with ``least`` pixels."""
    values, counts = colour_counts(pixels, 4.0)
    centres: list[np.ndarray] = []
    weights: list[float] = []
    for index in np.argsort(-counts):
        colour, count = values[index] * 4.0, float(counts[index])
        near = [float(delta_e(colour, c)) for c in centres]
        if near and min(near) <= 2 * same:
            k = int(np.argmin(near))
            centres[k] = (centres[k] * weights[k] + colour * count) / (weights[k] + count)
            weights[k] += count
        else:
            centres.append(colour)
            weights.append(count)
    return [c for c, w in zip(centres, weights, strict=True) if w >= least]
