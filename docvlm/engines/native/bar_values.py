"""A value axis from the values printed at the bars' ends, where the chart prints no
value axis (a report's bar chart with its axis left out and each bar labelled).

Hand-written: no library pairs a PDF's or an image's bars with the numbers printed on
them. Bars stand on a common base line, the value zero; each bar's far end and the
number printed just past it (or just inside it) give a point of the axis, and a straight
line through them and the base line that holds every label, to the precision it is
printed in, is the axis.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Literal

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
FIT = 0.01  # of the values' span: a label may miss the fitted line by this, or by rounding

Pair = tuple[float, float, float, str]  # a bar's length, its value, the value's rounding, text
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


def _fitted(pairs: list[Pair], base: float, orientation: Literal["x", "y"]) -> NumericAxis | None:
    """The axis through the base line that every label fits; else, with four or more,
    every label but one (misread by OCR: a '7' read as '1')."""
    scale = _scale(pairs)
    if scale is None and len(pairs) >= 4:
        scale = next(
            (a for k in range(len(pairs)) if (a := _scale(pairs[:k] + pairs[k + 1 :]))), None
        )
    if scale is None:
        return None
    values = [value for _, value, _, _ in pairs]
    finest = min(rounding for _, _, rounding, _ in pairs)
    # A digit finer than the finest label: the bars are read, not copied from the labels.
    digits = max(0, 1 - math.floor(math.log10(2 * finest))) if finest > 0 else 6
    printed = tuple(sorted({(value, text) for _, value, _, text in pairs}))
    low, high = min(*values, 0.0), max(*values, 0.0)
    return NumericAxis(
        orientation, scale, -scale * base, False, low, high, digits, 0.0, printed, SOURCE
    )


def _scale(pairs: list[Pair]) -> float | None:
    """Value per point along the bars, where each label's value is its length times it,
    to its rounding and a share of the values' span; None where they fit no one scale."""
    if len(pairs) < MIN_LABELLED or len({value for _, value, _, _ in pairs}) < 2:
        return None
    # The base line is zero exactly (the bars stand on it): the line runs through it.
    lengths = np.array([length for length, _, _, _ in pairs])
    values = np.array([value for _, value, _, _ in pairs])
    rounding = np.array([r for _, _, r, _ in pairs])
    a = float(lengths @ values / (lengths @ lengths))
    span = float(max(values.max(), 0.0) - min(values.min(), 0.0))
    fits = a != 0 and bool((np.abs(a * lengths - values) <= FIT * span + rounding).all())
    return a if fits else None


SOURCE = "values printed on the bars"
