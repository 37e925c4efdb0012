"""Chart axes from a page's words and drawings: numeric axes calibrated from tick labels,
category axes from label positions.

Hand-written because no library reads axes back out of a PDF's drawings; the geometry is
plain: tick labels sit in a row (x axis) or a column (y axis) beside the plot area, and a
numeric axis maps position to value by a straight line (or a straight line in log10).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from docvlm.document import Word
from docvlm.geometry import BBox
from docvlm.text import parse_number

ALIGN = 3.0  # points: labels of one axis share an edge or a centre line within this


@dataclass(frozen=True)
class NumericAxis:
    """value = a * position + b, or 10 ** (a * position + b) on a log axis."""

    orientation: Literal["x", "y"]
    a: float
    b: float
    log: bool
    low: float  # the smallest and largest tick values
    high: float
    digits: int = 6  # decimals worth keeping: a thousandth of the tick step

    def value(self, position: float) -> float:
        linear = self.a * position + self.b
        value = float(10**linear) if self.log else linear
        return round(value, self.digits) if not self.log else float(f"{value:.4g}")

    def position(self, value: float) -> float:
        target = math.log10(value) if self.log else value
        return (target - self.b) / self.a

    @property
    def span(self) -> float:
        return self.high - self.low

    def describe(self) -> str:
        """The calibration in words: the fitted line, in page points (y runs down)."""
        scale = "log10(value)" if self.log else "value"
        return (
            f"{self.orientation} axis: {scale} = {self.a:.6g} * {self.orientation} "
            f"{'+' if self.b >= 0 else '-'} {abs(self.b):.6g} (tick labels {self.low:g} to "
            f"{self.high:g}; {self.orientation} in page points)"
        )


@dataclass(frozen=True)
class CategoryAxis:
    orientation: Literal["x", "y"]
    labels: tuple[str, ...]
    centers: tuple[float, ...]

    def describe(self) -> str:
        shown = ", ".join(self.labels[:6]) + (", ..." if len(self.labels) > 6 else "")
        return f"{self.orientation} axis: categories {shown}"

    def nearest(self, position: float) -> str:
        index = int(np.argmin([abs(c - position) for c in self.centers]))
        return self.labels[index]


def numeric_axis(
    words: list[Word], orientation: Literal["x", "y"], ticks: list[float]
) -> NumericAxis | None:
    """Fit an axis to aligned numeric labels; label centres snap to the nearest tick mark."""
    labelled = []
    for word in words:
        value = parse_number(word.text)
        if value is not None:
            center = word.bbox.center[0] if orientation == "x" else word.bbox.center[1]
            labelled.append((center, value))
    labelled.sort()
    ticks = sorted(ticks)
    if len(ticks) == len(labelled):
        # One tick per label: pair them in order (end labels are often shifted inwards to
        # stay inside the chart, so their centres miss their ticks).
        points = [(tick, value) for tick, (_, value) in zip(ticks, labelled, strict=True)]
    else:
        points = [(_snap(center, ticks), value) for center, value in labelled]
    if len({p for p, _ in points}) < 2:
        return None
    fit, values = _fit_points(points)
    if fit is None and len(points) >= 4:
        # End labels are often nudged inwards to stay inside the chart: try without them.
        fit, values = _fit_points(points[1:-1])
    if fit is None:
        return None
    a, b, log = fit
    step = float(np.min(np.diff(np.unique(values))))
    digits = max(0, 3 - math.floor(math.log10(step)))
    return NumericAxis(orientation, a, b, log, float(values.min()), float(values.max()), digits)


def _fit_points(
    points: list[tuple[float, float]],
) -> tuple[tuple[float, float, bool] | None, np.ndarray]:
    positions = np.array([p for p, _ in points])
    values = np.array([v for _, v in points])
    fit = _fit(positions, values, log=False)
    if fit is None and (values > 0).all():
        fit = _fit(positions, np.log10(values), log=True)
    return fit, values


def _fit(positions: np.ndarray, values: np.ndarray, log: bool) -> tuple[float, float, bool] | None:
    a, b = np.polyfit(positions, values, 1)
    if a == 0:
        return None
    residual = np.abs(a * positions + b - values).max()
    span = values.max() - values.min()
    return (float(a), float(b), log) if span > 0 and residual <= 0.01 * span else None


def _snap(center: float, ticks: list[float]) -> float:
    near = [t for t in ticks if abs(t - center) <= 4.0]
    return min(near, key=lambda t: abs(t - center)) if near else center


def label_rows(words: list[Word], plot: BBox) -> list[Word]:
    """Words hanging from the band just below the plot area (top edges aligned, which holds
    for rotated labels too)."""
    below = [
        w
        for w in words
        if w.bbox.y0 >= plot.y1 - ALIGN and plot.x0 - 20 <= w.bbox.center[0] <= plot.x1 + 20
    ]
    if not below:
        return []
    first = min(w.bbox.y0 for w in below)
    return sorted((w for w in below if abs(w.bbox.y0 - first) <= ALIGN), key=lambda w: w.bbox.x0)


def label_column(words: list[Word], plot: BBox) -> list[Word]:
    """Words just left of the plot area whose right edges line up, nearest column first."""
    left = [
        w
        for w in words
        if w.bbox.x1 <= plot.x0 + ALIGN and plot.y0 - 10 <= w.bbox.center[1] <= plot.y1 + 10
    ]
    if not left:
        return []
    edge = max(w.bbox.x1 for w in left)
    return sorted((w for w in left if abs(w.bbox.x1 - edge) <= ALIGN), key=lambda w: w.bbox.y0)


def merge_line_words(words: list[Word]) -> list[Word]:
    """Join words of one label that the text layer split ('New York')."""
    merged: list[Word] = []
    for word in sorted(words, key=lambda w: (round(w.bbox.y0), w.bbox.x0)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and abs(last.bbox.y0 - word.bbox.y0) <= 1
            and abs(last.bbox.y1 - word.bbox.y1) <= 1
            and 0 <= word.bbox.x0 - last.bbox.x1 <= 0.4 * word.bbox.height
        ):
            merged[-1] = Word(
                f"{last.text} {word.text}",
                last.bbox.union(word.bbox),
                last.block,
                last.line,
                last.bold,
            )
        else:
            merged.append(word)
    return merged
