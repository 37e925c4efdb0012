"""Chart axes from a page's words and drawings: numeric axes calibrated from tick labels,
category axes from label positions.

Hand-written because no library reads axes back out of a PDF's drawings; the geometry is
plain: tick labels sit in a row (x axis) or a column (y axis) beside the plot area, and a
numeric axis maps position to value by a straight line (or a straight line in log10).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.marks import Color, colour_key
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
    step: float = 0.0  # the smallest step between tick values
    labels: tuple[tuple[float, str], ...] = ()  # tick values and their printed text
    source: str = "tick labels"  # what the calibration was fitted to

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
            f"{'+' if self.b >= 0 else '-'} {abs(self.b):.6g} ({self.source} {self.low:g} "
            f"to {self.high:g}; {self.orientation} in page points)"
        )


@dataclass(frozen=True)
class CategoryAxis:
    orientation: Literal["x", "y"]
    labels: tuple[str, ...]
    centers: tuple[float, ...]
    # Dates printed again (misread, a year carried; read as '' where none was read).
    restored: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        shown = ", ".join(self.labels[:6]) + (", ..." if len(self.labels) > 6 else "")
        restored = "; ".join(
            f"'{read}' read as '{text}'" if read else f"'{text}' not read, put in its place"
            for read, text in self.restored
        )
        note = f" (dates printed again: {restored})" if restored else ""
        return f"{self.orientation} axis: categories {shown}{note}"

    def nearest(self, position: float) -> str:
        index = int(np.argmin([abs(c - position) for c in self.centers]))
        return self.labels[index]


def numeric_axis(
    words: list[Word], orientation: Literal["x", "y"], ticks: list[float]
) -> NumericAxis | None:
    """Fit an axis to aligned numeric labels; label centres snap to the nearest tick mark.
    Labels are read with a decimal point, else (European charts) a decimal comma; first
    with the comma where every point is followed by three zeros ('2.000 €', '10.000'), a
    thousands' point (a decimal axis whose steps are whole prints them plainer)."""
    words = _dollars_restored(words)
    for decimal in (",", ".") if _thousands_points(words) else (".", ","):
        axis = _numeric_axis(words, orientation, ticks, decimal)
        if axis is not None:
            return axis
    return None


def _dollars_restored(words: list[Word]) -> list[Word]:
    """The labels with a dollar sign that OCR read as an 's' put back ('s30', 'so' for
    '$30', '$0'; a small serif '$' reads so), where two labels or more read so and fewer
    than two read as numbers as they are."""
    if sum(parse_number(w.text) is not None for w in words) >= 2:
        return words
    restored = [_as_dollars(w.text) for w in words]
    if sum(text is not None for text in restored) < 2:
        return words
    return [
        w if text is None else replace(w, text=text)
        for w, text in zip(words, restored, strict=True)
    ]


def _as_dollars(text: str) -> str | None:
    """'$' and the number a label 's30' (or 'so') stands for, None where it is none."""
    match = _MISREAD_DOLLARS.match(text)
    if match is None:
        return None
    number = match.group(1).translate(_LETTERS_AS_DIGITS)
    return f"${number}" if parse_number(number) is not None else None


_MISREAD_DOLLARS = re.compile(r"^[sS]([\dOo][\d,.Oo]*)$")
_LETTERS_AS_DIGITS = str.maketrans("Oo", "00")


_THOUSANDS_POINT = re.compile(r"\d\.000(?!\d)")


def _thousands_points(words: list[Word]) -> bool:
    dotted = [w.text for w in words if "." in w.text and parse_number(w.text) is not None]
    return len(dotted) >= 2 and all(
        len(_THOUSANDS_POINT.findall(t)) == t.count(".") for t in dotted
    )


def _row_turn(words: list[Word]) -> float:
    """The angle a row of x labels is turned by (0 when level or upright): most of them
    turned alike; OCR gives a label of a character or two no angle (its box is as wide
    as it is high), though it hangs from its tick like the others."""
    turned = [w.angle for w in words if w.angle not in (0, 90, -90, 180)]
    return float(np.median(turned)) if len(turned) >= 0.5 * len(words) and turned else 0.0


def _numeric_axis(
    words: list[Word], orientation: Literal["x", "y"], ticks: list[float], decimal: str
) -> NumericAxis | None:
    numbers = [(w, v) for w in words if (v := parse_number(w.text, decimal)) is not None]
    turn = _row_turn([w for w, _ in numbers]) if orientation == "x" else 0.0
    ticks = sorted(ticks)
    points = _tick_points(numbers, orientation, ticks, turn)
    if len({p for p, _ in points}) < 2:
        return None
    for repair in (_decimals_restored, _grouping_restored):
        if _fit_points(points)[0] is None and (restored := repair(numbers, decimal)):
            again = _tick_points(restored, orientation, ticks, turn)
            if _fit_points(again)[0] is not None:
                numbers, points = restored, again
    fit, values = _robust_fit(points)
    if fit is None:
        return None
    a, b, log = fit
    step = float(np.min(np.diff(np.unique(values))))
    digits = max(0, 3 - math.floor(math.log10(step)))
    low, high = float(values.min()), float(values.max())
    printed: dict[float, str] = {}
    for word, value in numbers:
        printed.setdefault(value, word.text)
    return NumericAxis(
        orientation, a, b, log, low, high, digits, step, tuple(sorted(printed.items()))
    )


def _tick_points(
    numbers: list[tuple[Word, float]], orientation: str, ticks: list[float], turn: float
) -> list[tuple[float, float]]:
    """(position, value) of each label, at its tick mark where one is near."""
    labelled = []
    for word, value in numbers:
        center = word.bbox.center[0] if orientation == "x" else word.bbox.center[1]
        if turn:  # a turned label hangs from its upper end, at its tick
            center = word.bbox.x1 if turn > 0 else word.bbox.x0
        labelled.append((center, value))
    labelled.sort()
    if len(ticks) == len(labelled):
        # One tick per label: pair them in order (end labels are often shifted inwards to
        # stay inside the chart, so their centres miss their ticks).
        return [(tick, value) for tick, (_, value) in zip(ticks, labelled, strict=True)]
    return [(_snap(center, ticks), value) for center, value in labelled]


def _decimals_restored(
    numbers: list[tuple[Word, float]], decimal: str
) -> list[tuple[Word, float]] | None:
    """The labels with the decimal separator that OCR lost in tiny print put back ('2.9'
    read as '29'), where some labels kept theirs, all with as many decimals, and the
    others are whole numbers with more digits than that; None where that is not so."""
    places = {
        len(match.group(1))
        for w, _ in numbers
        if (match := re.search(r"\d" + re.escape(decimal) + r"(\d+)", w.text))
    }
    if len(places) != 1:
        return None
    (k,) = places
    restored = []
    for word, value in numbers:
        digits = re.search(r"\d+", word.text)
        if decimal in word.text or digits is None:
            restored.append((word, value))
        elif len(digits.group()) > k:
            whole = digits.group()
            text = word.text.replace(whole, f"{whole[:-k]}{decimal}{whole[-k:]}", 1)
            restored.append((replace(word, text=text), value / 10**k))
        else:
            return None
    return restored


def _grouping_restored(
    numbers: list[tuple[Word, float]], decimal: str
) -> list[tuple[Word, float]] | None:
    """The labels with a thousands' mark that OCR read as the other mark put back
    ('4,000.000' among '2,000,000' and '0'), where the others with a mark group their
    thousands and none has decimals; None where no label was misread so."""
    grouping = "," if decimal == "." else "."
    g, d = re.escape(grouping), re.escape(decimal)
    misread = re.compile(rf"^\D*\d{{1,3}}(?:{g}\d{{3}})+{d}\d{{3}}\D*$")
    others = [w.text for w, _ in numbers if not misread.match(w.text)]
    if len(others) == len(numbers) or decimal in "".join(others):
        return None
    if not any(grouping in text for text in others):
        return None
    restored = []
    for word, value in numbers:
        text = word.text.replace(decimal, grouping)
        number = parse_number(text, decimal) if misread.match(word.text) else None
        restored.append((word, value) if number is None else (replace(word, text=text), number))
    return restored


# '10' and a power ('x10⁶' read flat as 'x106'); a power is printed with no leading zero,
# so '1001' is a label '100' with its tick mark read as a '1', not ten to the first.
_MULTIPLIER = re.compile(
    r"^(?:[\u00d7x\u2715]\s*)?(?:1e([+\-\u2212]?\d+)|10\^?([+\-\u2212]?[1-9]\d*))$"
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


def is_multiplier(text: str) -> bool:
    """Whether a word is an axis multiplier ('1e6', 'x10⁶')."""
    return _MULTIPLIER.match(text.translate(_SUPERSCRIPTS).replace(" ", "")) is not None


def scaled_by_multiplier(
    axis: NumericAxis, words: list[Word], plot: BBox, right: bool = False
) -> NumericAxis:
    """The axis times the multiplier printed at its end ('1e6' or 'x10⁶' above a y axis,
    left or ``right``, at the right end of an x axis), as plotting libraries print large
    or small scales."""
    for word in words:
        match = _MULTIPLIER.match(word.text.translate(_SUPERSCRIPTS).replace(" ", ""))
        if match is None:
            continue
        x, y = word.bbox.center
        side = x >= plot.x1 - 0.2 * plot.width if right else x <= plot.x0 + 0.2 * plot.width
        if axis.orientation == "y" and not (y <= plot.y0 + 2 and side):
            continue
        if axis.orientation == "x" and not (y >= plot.y1 - 2 and x >= plot.x1 - 0.2 * plot.width):
            continue
        power = match.group(1) or match.group(2)
        factor = 10.0 ** int(power.replace("\u2212", "-"))
        step = axis.step * factor
        return replace(
            axis,
            a=axis.a * factor,
            b=axis.b * factor,
            low=axis.low * factor,
            high=axis.high * factor,
            step=step,
            digits=max(0, 3 - math.floor(math.log10(step))) if step > 0 else axis.digits,
            labels=tuple((value * factor, text) for value, text in axis.labels),
        )
    return axis


def _robust_fit(
    points: list[tuple[float, float]],
) -> tuple[tuple[float, float, bool] | None, np.ndarray]:
    """A straight line through every label; else through all labels but one (misread by
    OCR, or an end label nudged inwards to stay inside the chart); else without both
    ends."""
    fit, values = _fit_points(points)
    if fit is not None or len(points) < 4:
        return fit, values
    for skip in range(len(points)):
        fit, values = _fit_points(points[:skip] + points[skip + 1 :])
        if fit is not None:
            return fit, values
    return _fit_points(points[1:-1]) if len(points) >= 5 else (None, values)


Span = tuple[float, float, tuple[float, ...]]  # low and high along the axis, and a colour


def lattice_categories(axis: NumericAxis, spans: list[Span]) -> CategoryAxis | None:
    """The categories of marks standing on numbered places (bars over '2', '3', '4'; a
    line's points over the years 1998, 1999, ...): each group of marks centred on a step of
    the tick values is that step's category, named as printed (or, where OCR missed the
    label, as the step's number). None when the marks do not stand on the steps (a
    histogram's bins, a line on a continuous scale), or a group holds two marks of one
    colour side by side. Where every other tick label went unread (OCR passed over the
    short ones, '3' between '2.5' and '3.5'), the marks stand on half steps: two groups or
    more on the labelled steps and as many between them (marks only between them are a
    histogram's bins; one group between two labelled ones, bars on a quantitative scale)."""
    if axis.log or axis.step <= 0 or not spans:
        return None
    found = _lattice(axis, spans)
    if found is None:
        found = _lattice(replace(axis, step=axis.step / 2), spans, both_halves=True)
    return found


def _lattice(
    axis: NumericAxis, spans: list[Span], both_halves: bool = False
) -> CategoryAxis | None:
    groups: dict[int, list[Span]] = {}
    # Each series' marks stand at one offset from the steps (its place in a group of bars
    # side by side), whichever of a group's bars are missing (a zero or a gap).
    offsets: dict[Color, list[float]] = defaultdict(list)
    for span in spans:
        place = (axis.value((span[0] + span[1]) / 2) - axis.low) / axis.step
        groups.setdefault(round(place), []).append(span)
        offsets[colour_key(span[2])].append(place - round(place))
    if any(_side_by_side(group) for group in groups.values()):
        return None
    halves = Counter(step % 2 for step in groups)
    if both_halves and min(halves[0], halves[1]) < 2:
        return None
    series = {colour: float(np.median(found)) for colour, found in offsets.items()}
    if any(abs(o - series[c]) > 0.12 for c, found in offsets.items() for o in found):
        return None
    # Labels turned 45 degrees and read by OCR (which gives no angle) stand a little off
    # their ticks, all by the same amount: the marks then stand on the same steps, shifted.
    shift = _group_centre(list(series.values()))
    if abs(shift) > 0.3:
        return None
    if abs(shift) > 0.12 and len(groups) < 3:
        return None  # too few groups to tell a shift from marks off the steps
    printed = dict(axis.labels)
    values = [axis.low + step * axis.step for step in sorted(groups)]
    names = [_printed(value, printed, axis.step) for value in values]
    centres = [axis.position(value + shift * axis.step) for value in values]
    return CategoryAxis(axis.orientation, tuple(names), tuple(centres))


def _side_by_side(group: list[Span]) -> bool:
    """Whether a group holds two marks of one colour side by side (overlapping by less
    than half the narrower: a histogram's bins, not one category's bars); two pieces of
    one bar that a line drawn across it cut apart overlap whole."""
    for a, b in itertools.combinations(group, 2):
        if colour_key(a[2]) != colour_key(b[2]):
            continue
        overlap = min(a[1], b[1]) - max(a[0], b[0])
        if overlap < 0.5 * min(a[1] - a[0], b[1] - b[0]):
            return True
    return False


def _group_centre(offsets: list[float]) -> float:
    """The centre of a group of bars side by side, from each series' offset from the steps
    (in steps): the series run round the circle of one step, and the group is what lies
    outside the widest gap between them (a group shifted by near half a step has series
    either side of the half, whose offsets round to two steps)."""
    ordered = sorted(offset % 1.0 for offset in offsets)
    if len(ordered) == 1:
        return offsets[0]
    gaps = [(ordered[(i + 1) % len(ordered)] - ordered[i]) % 1.0 for i in range(len(ordered))]
    widest = int(np.argmax(gaps))
    start, end = ordered[(widest + 1) % len(ordered)], ordered[widest]
    centre = (start + ((end - start) % 1.0) / 2) % 1.0
    return centre - 1.0 if centre > 0.5 else centre


def _printed(value: float, printed: dict[float, str], step: float) -> str:
    """A tick value as the chart prints it; a value whose label was not read, in the
    labels' own precision."""
    nearest = min(printed, key=lambda v: abs(v - value), default=None)
    if nearest is not None and abs(nearest - value) <= 0.01 * step:
        return printed[nearest]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    return f"{value:.{decimals}f}"


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


def coordinate(axis: NumericAxis | CategoryAxis | None, position: float) -> float | str | None:
    """What an axis reads at a position: a value, or the nearest category."""
    if isinstance(axis, NumericAxis):
        return axis.value(position)
    if isinstance(axis, CategoryAxis):
        return axis.nearest(position)
    return None
