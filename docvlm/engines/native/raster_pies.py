"""Raster pies and doughnuts: the chart's largest blob of colour, if it is a disc (or a
ring), read round its centre. Slices are the runs of one colour along the circle, so
gradients within a slice, thin separators and slices of near shades all read right;
a slice's share is its share of the turn.

Hand-written on NumPy: no library reads a pie's slices from pixels."""

from __future__ import annotations

import math

import cv2
import numpy as np

from docvlm.engines.native.colours import delta_e, lab_to_rgb
from docvlm.engines.native.pies import Pie, Slice
from docvlm.engines.native.segmentation import Piece

BINS = 720  # half-degree steps round the circle
CUT = 6.0  # delta E between neighbouring steps that starts a new slice
MIN_SHARE = 0.004  # runs narrower than this are borders between slices


def find_pie(lab: np.ndarray, pieces: list[Piece], scale: float) -> Pie | None:
    """The pie the regions of an image make, if their largest blob is round; in points
    (``scale`` points per pixel)."""
    disc = _largest_blob(lab.shape[:2], [p for p in pieces if not p.thin])
    if disc is None:
        return None
    mask, (cx, cy), radius = disc
    inner = _hole(mask, (cx, cy), radius)
    profile, inside = _profile(lab, mask, (cx, cy), inner, radius)
    slices = _slices(profile, inside)
    if len(slices) < 2:
        return None
    return Pie(slices, (cx * scale, cy * scale), radius * scale)


def _largest_blob(
    shape: tuple[int, ...], regions: list[Piece]
) -> tuple[np.ndarray, tuple[float, float], float] | None:
    """The largest connected blob of regions (thin separators between slices closed), if
    it is round: a square box it fills as a disc (or a ring) does, and most of the
    regions' pixels."""
    if not regions:
        return None
    mask = np.zeros(shape, np.uint8)
    for piece in regions:
        x0, y0, x1, y1 = piece.box
        mask[y0:y1, x0:x1] |= piece.mask.astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
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
