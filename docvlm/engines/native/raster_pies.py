"""Raster pies and doughnuts: the chart's largest blob of colour, if it is a disc (or a
ring), read round its centre. Slices are the runs of one colour along the circle, so
gradients within a slice, thin separators and slices of near shades all read right;
a slice's share is its share of the turn. Slices filled with a pattern (hatching, dots)
break into too many small regions to make a disc: then the disc is the drawn pixels', and
each step round the circle takes the mean colour of its sector, where a pattern averages
out to one tone per slice.

Hand-written on NumPy: no library reads a pie's slices from pixels."""

from __future__ import annotations

import math

import cv2
import numpy as np

from docvlm.engines.native.backdrops import find_backgrounds
from docvlm.engines.native.colours import delta_e, lab_to_rgb
from docvlm.engines.native.pies import Pie, Slice
from docvlm.engines.native.segmentation import FOREGROUND, Piece

BINS = 720  # half-degree steps round the circle
CUT = 6.0  # delta E between neighbouring steps that starts a new slice
MIN_SHARE = 0.004  # runs narrower than this are borders between slices
SEPARATOR_POINTS = 2.0  # the widest line drawn between slices


def find_pie(lab: np.ndarray, pieces: list[Piece], scale: float) -> Pie | None:
    """The pie the regions of an image make, if their largest blob is round; in points
    (``scale`` points per pixel)."""
    regions = _union(lab.shape[:2], [p for p in pieces if not p.thin])
    # Separators up to a couple of points wide close (a large image's are many pixels).
    side = max(5, 2 * round(SEPARATOR_POINTS / scale / 2) + 1)
    disc = _largest_blob(regions, side)
    # A pattern's strokes are no regions: they leave holes all over the disc.
    patterned = disc is None or float(regions[disc[0]].mean()) < SOLID
    if disc is None:
        disc = _largest_blob(_drawn(lab), side)
    if disc is None:
        return None
    mask, (cx, cy), radius = disc
    inner = _hole(mask, (cx, cy), radius)
    profile_of = _sector_profile if patterned else _profile
    # Separators, closed to find the disc, are no slice's: off the regions, they cut.
    solid = mask if patterned else mask & (regions > 0)
    profile, inside = profile_of(lab, solid, (cx, cy), inner, radius)
    slices = _slices(profile, inside)
    if len(slices) < 2:
        return None
    return Pie(slices, (cx * scale, cy * scale), radius * scale)


def _union(shape: tuple[int, ...], regions: list[Piece]) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    for piece in regions:
        x0, y0, x1, y1 = piece.box
        mask[y0:y1, x0:x1] |= piece.mask.astype(np.uint8)
    return mask


def _drawn(lab: np.ndarray) -> np.ndarray:
    """Every pixel that is not background: a patterned pie's disc."""
    distance = np.min([delta_e(lab, bg) for bg in find_backgrounds(lab)], axis=0)
    return (distance > FOREGROUND).astype(np.uint8)


def _largest_blob(
    mask: np.ndarray, side: int
) -> tuple[np.ndarray, tuple[float, float], float] | None:
    """The largest connected blob of a mask (thin separators between slices closed), if
    it is round: a square box it fills as a disc (or a ring) does, and most of the
    mask's pixels."""
    if not mask.any():
        return None
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((side, side), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    if count < 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = (int(v) for v in stats[largest])
    if not 0.92 <= w / h <= 1.08 or min(w, h) < 40 or area < 0.5 * mask.sum():
        return None
    if not 0.3 <= area / (w * h) <= 0.82:
        return None
    blob = labels == largest
    centre = (x + w / 2.0, y + h / 2.0)
    radius = (w + h) / 4.0
    ys, xs = np.nonzero(blob)
    if (np.hypot(xs - centre[0], ys - centre[1]) > radius + 2).mean() > 0.02:
        return None
    return blob, centre, radius


def _hole(mask: np.ndarray, centre: tuple[float, float], radius: float) -> float:
    """A doughnut's inner radius (0 for a pie): where its ring begins, looking out from the
    centre along many rays."""
    starts = []
    for angle in np.linspace(0, 2 * math.pi, 36, endpoint=False):
        for r in np.arange(0, radius, 1.0):
            x = round(centre[0] + r * math.cos(angle))
            y = round(centre[1] - r * math.sin(angle))
            if 0 <= y < mask.shape[0] and 0 <= x < mask.shape[1] and mask[y, x]:
                starts.append(r)
                break
    inner = float(np.median(starts)) if starts else 0.0
    return inner if inner > 0.15 * radius else 0.0


def _profile(
    lab: np.ndarray,
    mask: np.ndarray,
    centre: tuple[float, float],
    inner: float,
    outer: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The colour round the ring, step by step (the median over several radii, so a label
    printed on a slice does not break it), and whether each step is on the blob."""
    angles = (np.arange(BINS) + 0.5) * 2 * math.pi / BINS
    radii = inner + (outer - inner) * np.array([0.3, 0.45, 0.6, 0.75, 0.9])
    xs = np.rint(centre[0] + np.outer(np.cos(angles), radii)).astype(int)
    ys = np.rint(centre[1] - np.outer(np.sin(angles), radii)).astype(int)
    xs = xs.clip(0, lab.shape[1] - 1)
    ys = ys.clip(0, lab.shape[0] - 1)
    profile = np.median(lab[ys, xs], axis=1)
    inside = mask[ys, xs].mean(axis=1) >= 0.5
    return profile, inside


SOLID = 0.95  # the share of a disc its regions cover unless a pattern is drawn on it
PATTERN = 5  # pixels: the spacing of a fine pattern, averaged out (not a slice's edge)
RINGS = 5  # bands across the ring whose colours are compared (a label covers one or two)


def _sector_profile(
    lab: np.ndarray,
    mask: np.ndarray,
    centre: tuple[float, float],
    inner: float,
    outer: float,
) -> tuple[np.ndarray, np.ndarray]:
    """A patterned ring's colour, step by step, and whether each step is on the blob: the
    mean over the step's sector of each of several bands across the ring (a pattern's
    strokes and gaps average out), then the median of the bands (a label printed on a
    slice covers one or two of them)."""
    height, width = mask.shape
    box = (
        slice(max(0, int(centre[1] - outer) - 1), min(height, int(centre[1] + outer) + 2)),
        slice(max(0, int(centre[0] - outer) - 1), min(width, int(centre[0] + outer) + 2)),
    )
    ys, xs = np.mgrid[box]
    dx, dy = xs + 0.5 - centre[0], centre[1] - (ys + 0.5)
    share = (np.hypot(dx, dy) - inner) / max(outer - inner, 1.0)
    steps = (np.arctan2(dy, dx) % (2 * math.pi) * BINS / (2 * math.pi)).astype(int) % BINS
    on = mask[box].astype(bool)
    # Blurred over a few pixels first: a fine pattern is one tone at any angle, even where
    # a step's sector near the centre is narrower than the pattern's spacing.
    tone = cv2.blur(lab[box], (PATTERN, PATTERN))
    colours, covered = [], []
    for low in np.linspace(0.3, 0.9, RINGS):  # each band 0.12 of the ring deep
        ring = (share >= low) & (share < min(low + 0.12, 0.95))
        counts = np.bincount(steps[ring], minlength=BINS)
        drawn = ring & on
        drawn_counts = np.bincount(steps[drawn], minlength=BINS)
        filled = np.maximum(drawn_counts, 1)
        colour = [
            np.bincount(steps[drawn], weights=tone[..., i][drawn], minlength=BINS) / filled
            for i in range(3)
        ]
        colours.append(np.stack(colour, axis=1))
        covered.append(drawn_counts / np.maximum(counts, 1))
    profile = np.median(np.stack(colours), axis=0)
    # A pattern's strokes lined up with the radius darken a step or two: the median of
    # five neighbouring steps leaves them out.
    profile = np.median([np.roll(profile, shift, axis=0) for shift in range(-2, 3)], axis=0)
    inside = np.mean(np.stack(covered), axis=0) >= 0.5
    return profile.astype(np.float32), inside


def _slices(profile: np.ndarray, inside: np.ndarray) -> list[Slice]:
    """Runs of one colour round the circle (starting at a cut), each a slice; steps off the
    blob (separators) and runs too narrow to be slices go to their neighbours."""
    step = delta_e(profile, np.roll(profile, 1, axis=0))
    cuts = np.flatnonzero((step > CUT) | ~inside | ~np.roll(inside, 1))
    if len(cuts) == 0:
        return []
    runs = []
    for start, stop in zip(cuts, np.append(cuts[1:], cuts[0] + BINS), strict=True):
        indices = np.arange(start, stop) % BINS
        indices = indices[inside[indices]]
        if len(indices):
            runs.append(indices)
    runs = [r for r in runs if len(r) >= MIN_SHARE * BINS]
    runs = _join_alike(runs, profile)
    total = sum(len(r) for r in runs)
    slices = []
    for run in runs:
        colour = np.median(profile[run], axis=0)
        angles = (run + 0.5) * 360.0 / BINS
        middle = math.degrees(
            math.atan2(np.sin(np.radians(angles)).mean(), np.cos(np.radians(angles)).mean())
        )
        slices.append(Slice(lab_to_rgb(colour), len(run) / total, middle % 360))
    return slices


def _join_alike(runs: list[np.ndarray], profile: np.ndarray) -> list[np.ndarray]:
    """Neighbouring runs of one colour are one slice (cut apart by a label on it)."""
    joined: list[np.ndarray] = []
    for run in runs:
        if joined and delta_e(profile[joined[-1][-1]], profile[run[0]]) <= CUT:
            joined[-1] = np.concatenate([joined[-1], run])
        else:
            joined.append(run)
    if len(joined) > 1 and delta_e(profile[joined[-1][-1]], profile[joined[0][0]]) <= CUT:
        joined[0] = np.concatenate([joined.pop(), joined[0]])
    return joined
