"""A value axis from the values printed on the marks, where the chart prints no value
axis (a report's chart with its axis left out and each bar or point labelled).

Hand-written: no library pairs a PDF's or an image's marks with the numbers printed on
them. Bars stand on a common base line, the value zero, and a number printed on a bar
gives the value of its length; a number printed over or under a line's point gives the
value at the point's height. One straight line that holds every label, to the precision
it is printed in, is the axis.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from typing import Literal, TypeVar

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.axes import NumericAxis
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from docvlm.text import parse_number

BASE_SLACK = 1.0  # points: bars' ends this close stand on one base line
MIN_LABELLED = 2  # bars labelled with their value, at least (with the base line: 3 points)
ACROSS_SLACK = 1.0  # points: a label's centre lies within its bar's breadth, give or take
GAP = 0.8  # text heights: at most this between a bar's end and a label printed past it
POINT_GAP = 1.5  # text heights: at most this between a point and the label over or under it
MIN_POINTS = 3  # points labelled with their value, at least (two always fit a line)
FIT = 0.01  # of the values' span: a label may miss the fitted line by this, or by rounding

# A place along the axis (a bar's length, a point's height), the value printed there,
# the value's rounding and its text.
Pair = tuple[float, float, float, str]
T = TypeVar("T")
_MANTISSA = re.compile(r"\d+(?:[.,]\d+)?")


def axis_from_bar_values(
    marks: list[Mark], words: list[Word], orientation: Literal["x", "y"]
) -> NumericAxis | None:
    """The value axis along ``orientation`` that the numbers printed on the bars
    calibrate, or None where too few bars are labelled or the labels fit no straight line
    through the base line (they are no values of the bars, or the axis starts above zero,
    which only a printed axis could say)."""
    bars = [m.bbox for m in marks if m.kind == "bar"]
    base = _base_line(bars, orientation)
    if base is None:
        return None
    pairs = []
    for word in words:
        value = parse_number(word.text)
        length = _labelled_length(word, bars, base, orientation) if value is not None else None
        if value is not None and length is not None:
            pairs.append((length, value, _rounding(word.text, value), word.text))
    return _fitted(pairs, base, orientation)


def _base_line(bars: list[BBox], orientation: str) -> float | None:
    """Where most bars have an end (two at least): the line they stand on."""
    ends = [end for bar in bars for end in _ends(bar, orientation)]
    counts = Counter(round(end / BASE_SLACK) for end in ends)
    if not counts:
        return None
    key, count = counts.most_common(1)[0]
    on_line = [e for e in ends if abs(e - key * BASE_SLACK) <= BASE_SLACK]
    return float(np.median(on_line)) if count >= 2 else None


def _ends(box: BBox, orientation: str) -> tuple[float, float]:
    return (box.y0, box.y1) if orientation == "y" else (box.x0, box.x1)


def _labelled_length(word: Word, bars: list[BBox], base: float, orientation: str) -> float | None:
    """The length, from its near end to its far one (signed, in page points), that a
    number printed on a bar gives the value of: a number inside a bar (a stacked
    segment's among them) is that bar's value; one just past a bar's far end, in line
    with it, is the value of all that stands under it, from the base line."""
    for bar in bars:
        if bar.contains_point(*word.bbox.center):
            near, far = sorted(_ends(bar, orientation), key=lambda end: abs(end - base))
            return far - near
    across = word.bbox.center[0] if orientation == "y" else word.bbox.center[1]
    size = word.bbox.height if orientation == "y" else min(word.bbox.height, word.bbox.width)
    gaps = []
    for bar in bars:
        low, high = (bar.x0, bar.x1) if orientation == "y" else (bar.y0, bar.y1)
        if not low - ACROSS_SLACK <= across <= high + ACROSS_SLACK:
            continue
        far = max(_ends(bar, orientation), key=lambda end: abs(end - base))
        outward = 1.0 if far > base else -1.0
        inner = min(_ends(word.bbox, orientation), key=lambda end: outward * end)
        gap = (inner - far) * outward
        if -ACROSS_SLACK <= gap <= GAP * size:
            gaps.append((gap, far - base))
    return min(gaps)[1] if gaps else None


def _rounding(text: str, value: float) -> float:
    """Half a unit of the last digit a value is printed to ('12' 0.5, '1.25k' 5)."""
    mantissa = _MANTISSA.search(text)
    if mantissa is None:
        return 0.0
    digits = mantissa.group()
    decimals = len(re.split(r"[.,]", digits)[1]) if re.search(r"[.,]\d{1,2}$", digits) else 0
    printed = parse_number(digits.replace(",", ".") if decimals else digits)
    scale = abs(value / printed) if printed else 1.0
    return 0.5 * 10.0**-decimals * scale


def axis_from_point_values(marks: list[Mark], words: list[Word]) -> NumericAxis | None:
    """The value axis along y that the numbers printed over or under the points of lines
    and scatters calibrate (each centred on its point), or None where fewer than three
    points are labelled or the labels fit no straight line."""
    points = [(x, y) for m in marks if m.kind in ("line", "point") for x, y in _places(m)]
    pairs = []
    for word in words:
        value = parse_number(word.text)
        height = _labelled_height(word, points) if value is not None else None
        if value is not None and height is not None:
            pairs.append((height, value, _rounding(word.text, value), word.text))
    line = _leaving_one_out(pairs, _line, 5)
    if line is None:
        return None
    return _axis("y", *line, pairs, f"{PRINTED} at the points", [])


def _places(mark: Mark) -> list[tuple[float, float]]:
    return list(mark.vertices) if mark.kind == "line" else [mark.bbox.center]


def _labelled_height(word: Word, points: list[tuple[float, float]]) -> float | None:
    """The height of the point a number is printed over or under: centred on it across,
    and the nearest within a gap of the text's height and a half."""
    box = word.bbox
    near = [
        (min(abs(y - box.y0), abs(y - box.y1)), y)
        for x, y in points
        if abs(x - box.center[0]) <= max(ACROSS_SLACK, box.width / 2) and not box.y0 <= y <= box.y1
    ]
    gap, height = min(near, default=(math.inf, 0.0))
    return height if gap <= POINT_GAP * box.height else None


def _fitted(pairs: list[Pair], base: float, orientation: Literal["x", "y"]) -> NumericAxis | None:
    """The axis through the base line that every label fits; else, with four or more,
    every label but one (misread by OCR: a '7' read as '1')."""
    scale = _leaving_one_out(pairs, _scale, 4)
    if scale is None:
        return None
    return _axis(orientation, scale, -scale * base, pairs, SOURCE, [0.0])


def _leaving_one_out(
    pairs: list[Pair], fit: Callable[[list[Pair]], T | None], least: int
) -> T | None:
    """What ``fit`` makes of all the labels; else, with ``least`` or more, of all but one
    (misread by OCR: a '7' read as '1')."""
    found = fit(pairs)
    if found is not None or len(pairs) < least:
        return found
    return next((f for k in range(len(pairs)) if (f := fit(pairs[:k] + pairs[k + 1 :]))), None)


def _axis(
    orientation: Literal["x", "y"],
    a: float,
    b: float,
    pairs: list[Pair],
    source: str,
    known: list[float],
) -> NumericAxis:
    """The axis value = a * position + b, its range the values printed and ``known`` (the
    bars' base line, zero)."""
    values = [value for _, value, _, _ in pairs] + known
    finest = min(rounding for _, _, rounding, _ in pairs)
    # A digit finer than the finest label: the marks are read, not copied from the labels.
    digits = max(0, 1 - math.floor(math.log10(2 * finest))) if finest > 0 else 6
    printed = tuple(sorted({(value, text) for _, value, _, text in pairs}))
    low, high = min(values), max(values)
    return NumericAxis(orientation, a, b, False, low, high, digits, 0.0, printed, source)


def _scale(pairs: list[Pair]) -> float | None:
    """Value per point along the bars, where each label's value is its length times it,
    to its rounding and a share of the values' span; None where they fit no one scale."""
    if len(pairs) < MIN_LABELLED or len({value for _, value, _, _ in pairs}) < 2:
        return None
    # The base line is zero exactly (the bars stand on it): the line runs through it.
    lengths = np.array([length for length, _, _, _ in pairs])
    values = np.array([value for _, value, _, _ in pairs])
    a = float(lengths @ values / (lengths @ lengths))
    return a if a != 0 and _holds(a * lengths, pairs) else None


def _line(pairs: list[Pair]) -> tuple[float, float] | None:
    """value = a * height + b through the labelled points, to each label's rounding and a
    share of the values' span; None where no such line holds them."""
    if len(pairs) < MIN_POINTS or len({value for _, value, _, _ in pairs}) < 3:
        return None
    heights = np.array([height for height, _, _, _ in pairs])
    values = np.array([value for _, value, _, _ in pairs])
    a, b = (float(c) for c in np.polyfit(heights, values, 1))
    return (a, b) if a != 0 and _holds(a * heights + b, pairs) else None


def _holds(fitted: np.ndarray, pairs: list[Pair]) -> bool:
    values = np.array([value for _, value, _, _ in pairs])
    rounding = np.array([r for _, _, r, _ in pairs])
    span = float(max(values.max(), 0.0) - min(values.min(), 0.0))
    return bool((np.abs(fitted - values) <= FIT * span + rounding).all())


PRINTED = "values printed"  # how every calibration on printed values begins
SOURCE = f"{PRINTED} on the bars"
