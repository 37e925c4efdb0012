"""Chart labels: the words of a chart's axes and legend as labels a reader would see (one
label per category, however many lines or words it is printed in; rotated labels whole),
and where along its axis each label stands.

Hand-written: no library reads a chart's tick labels back out of positioned words."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from docvlm.document import Word
from docvlm.engines.native.raster_labels import TICK_DASHES
from docvlm.geometry import BBox
from docvlm.text import parse_number

ALIGN = 3.0  # points: labels of one axis share an edge or a centre line within this
T = TypeVar("T")
# The widest gap between two words of one label, in text heights: a space, as a text layer
# places it or as OCR boxes the glyphs either side of it (tighter, so the gap is wider).
SPACE = 0.5
# Words of one text-layer line, or of one turned label, stand up to this many text heights
# apart: a monospaced font's space, 0.6 em, is over half its box's height.
LINE_SPACE = 0.75
COLUMN = 0.8  # upright words overlap across this share of their text height in a column
# OCR's boxes of two words a tight space apart may overlap by this many text heights.
OVERLAP = 0.1
# Bars over their category labels stand within this many text heights of them.
BAR_REACH = 1.5
# A row of category labels whose words, taken apart, stand at one step (within EVEN of it)
# and whose joined labels do not (some step off by more than UNEVEN), from EVEN_WORDS words.
EVEN, UNEVEN, EVEN_WORDS = 0.12, 0.3, 5


def label_rows(words: list[Word], plot: BBox) -> list[Word]:
    """Words hanging from the band just below the plot area (top edges aligned, which holds
    for rotated labels too, whose tick end stands under the plot while the rest may reach
    far out); the y axis's lowest label, left of the plot, is not one."""
    column = set(map(id, label_column(words, plot)))
    below = [
        w
        for w in words
        if (w.bbox.y0 >= plot.y1 - ALIGN or w.bbox.center[1] >= plot.y1 + ALIGN)
        and plot.x0 - 20 <= anchor(w, "x") <= plot.x1 + 20
        and id(w) not in column
    ]
    if not below:
        return []
    # The first row down with the most labels: data labels hanging under a negative bar
    # may stand above the axis's labels.
    tops = sorted({round(w.bbox.y0) for w in below})
    rows = [[w for w in below if abs(w.bbox.y0 - top) <= _top_slack(w)] for top in tops]
    first = max(rows, key=len)
    row = sorted(first, key=lambda w: w.bbox.x0)
    return _with_lines_below(row, [w for w in below if w not in row], plot)


def _top_slack(word: Word) -> float:
    """How far off its row's top a label's box may start: ``ALIGN``, or for an upright
    label half its thickness (OCR boxes a short upright word, 'Müll', a few points off
    its longer neighbours' ends)."""
    return max(ALIGN, UPRIGHT_SLACK * word.bbox.width) if word.angle % 180 == 90 else ALIGN


UPRIGHT_SLACK = 0.5


def row_above(words: list[Word], plot: BBox) -> list[Word]:
    """Numbers standing on the band just above the plot area, bottom edges aligned (a
    value axis set along the plot's top): the row nearest the plot, left to right."""
    above = [
        w
        for w in words
        if w.bbox.y1 <= plot.y0 + ALIGN
        and plot.x0 - 20 <= anchor(w, "x") <= plot.x1 + 20
        and parse_number(w.text) is not None
    ]
    if not above:
        return []
    foot = max(w.bbox.y1 for w in above)
    return sorted((w for w in above if abs(w.bbox.y1 - foot) <= ALIGN), key=lambda w: w.bbox.x0)


def label_column(words: list[Word], plot: BBox) -> list[Word]:
    """Words just left of the plot area whose right edges line up: the column that most
    words line up in (a stray word OCR read into a tick mark beside a label reaches further
    right than the rest), the nearest of those that tie; a column of numbers before one of
    none (an upright axis title OCR read level, as bits of words in a column)."""
    left = [
        w
        for w in words
        if w.bbox.x1 <= plot.x0 + ALIGN and plot.y0 - 10 <= w.bbox.center[1] <= plot.y1 + 10
    ]
    if not left:
        return []
    left = _without_trailing_ticks(left)

    def ranked(x: float) -> tuple[bool, int, float]:
        lined = [w for w in left if abs(w.bbox.x1 - x) <= ALIGN]
        numbers = sum(parse_number(w.text) is not None for w in lined)
        return numbers >= 2, len(lined), x

    edge = max((w.bbox.x1 for w in left), key=ranked)
    column = sorted((w for w in left if abs(w.bbox.x1 - edge) <= ALIGN), key=lambda w: w.bbox.y0)
    return _stacked_lines_joined(_continued(column, words, edge, plot))


def _continued(
    column: list[Word], words: list[Word], edge: float, plot: BBox, right: bool = False
) -> list[Word]:
    """The column (left of the plot, its words' right ends at ``edge``; or ``right`` of
    it, their left ends) with the numbers that go on from it past the plot's top and foot,
    in line with it at its even step of place and value: where no axis line or grid line sets
    the plot's height, a line's marks may span only the middle of its axis, leaving a
    label or none beside them. A column of CONTINUED numbers or more is left as it is
    (the plot's lines set its height, and OCR's place for one more label only adds
    noise to the fit)."""
    if sum(parse_number(w.text) is not None for w in column) >= CONTINUED:
        return column
    aligned = sorted(
        (
            w
            for w in words
            if (w.bbox.x0 >= plot.x1 - ALIGN if right else w.bbox.x1 <= plot.x0 + ALIGN)
            and abs((w.bbox.x0 if right else w.bbox.x1) - edge) <= ALIGN
            and parse_number(w.text) is not None
        ),
        key=lambda w: w.bbox.center[1],
    )
    inside = {id(w) for w in column}
    for start in range(len(aligned)):
        run = _even_run(aligned[start:])
        if any(id(w) in inside for w in run) and len(run) >= CONTINUED:
            added = [w for w in run if id(w) not in inside]
            return sorted(column + added, key=lambda w: w.bbox.y0)
    return column


CONTINUED = 3  # numbers at one step that carry a column past the plot
EVEN_STEP = 0.1  # share of the first step the others keep to, in place and value


def _even_run(words: list[Word]) -> list[Word]:
    """The words from the first on while each stands one even step of place and of value
    from the one before."""
    if len(words) < 2:
        return words
    places = [w.bbox.center[1] for w in words]
    values = [parse_number(w.text) or 0.0 for w in words]
    place_step, value_step = places[1] - places[0], values[1] - values[0]
    if place_step <= 0 or value_step == 0:
        return words[:1]
    count = 2
    while count < len(words) and (
        abs(places[count] - places[count - 1] - place_step) <= EVEN_STEP * place_step
        and abs(values[count] - values[count - 1] - value_step) <= EVEN_STEP * abs(value_step)
    ):
        count += 1
    return words[:count]


def right_column(words: list[Word], plot: BBox) -> list[Word]:
    """Words just right of the plot area whose left edges line up (a secondary axis's
    labels, or the only value axis's): the column that most numbers line up in (a tick
    mark that OCR read into a label as a minus sign reaches further left than the rest; a
    legend's names stand further right), the nearest of those that tie; a short one goes
    on past the plot, as a left one does."""
    right = [
        w
        for w in words
        if w.bbox.x0 >= plot.x1 - ALIGN and plot.y0 - 10 <= w.bbox.center[1] <= plot.y1 + 10
    ]
    if not right:
        return []
    right = _without_leading_ticks(right)
    numbers = [w for w in right if parse_number(w.text) is not None]
    edge = min(
        (w.bbox.x0 for w in right),
        key=lambda x: (-sum(abs(w.bbox.x0 - x) <= ALIGN for w in numbers), x),
    )
    column = sorted((w for w in right if abs(w.bbox.x0 - edge) <= ALIGN), key=lambda w: w.bbox.y0)
    return _continued(column, words, edge, plot, right=True)


def _without_trailing_ticks(words: list[Word]) -> list[Word]:
    """Labels left of the plot without the tick mark OCR read after some of them as a
    quote or a dash ('Käse"'): where, cut off with its share of the box, a label ends
    in line with another that ends in a letter or digit."""
    plain = [w.bbox.x1 for w in words if w.text[-1:].isalnum()]
    out = []
    for word in words:
        text = word.text.rstrip(TICK_MARKS)
        if text != word.text and any(c.isalnum() for c in text):
            right = word.bbox.x0 + word.bbox.width * len(text) / len(word.text)
            if any(abs(right - x) <= ALIGN for x in plain):
                word = replace(word, text=text, bbox=replace(word.bbox, x1=right))
        out.append(word)
    return out


TICK_MARKS = "\"'`-_|~\u2013\u2014"  # what OCR reads a tick mark beside a label as


def _without_leading_ticks(words: list[Word]) -> list[Word]:
    """A secondary axis's labels without the tick marks OCR read before them as minus
    signs: where a label read as negative stands above one read as positive (values rise
    up the axis, so no negative label stands above a positive one), the leading dashes
    are tick marks, and go with their share of the box."""
    dashed = [w for w in words if w.text[:1] in "-\u2013\u2014" and _positive(w.text[1:])]
    plain = [w for w in words if _positive(w.text)]
    if not any(d.bbox.center[1] < p.bbox.center[1] for d in dashed for p in plain):
        return words
    out = []
    for word in words:
        if word in dashed:
            box = word.bbox
            left = box.x1 - box.width * (len(word.text) - 1) / len(word.text)
            word = replace(word, text=word.text[1:].lstrip(), bbox=replace(box, x0=left))
        out.append(word)
    return out


def _positive(text: str) -> bool:
    value = parse_number(text)
    return value is not None and value > 0


def _with_lines_below(row: list[Word], below: list[Word], plot: BBox) -> list[Word]:
    """Category labels printed on two or more lines, each joined into one label: a line
    right under a label and centred (or left-aligned) on it continues it. A line that only
    the middle label has (one line more than every other label), centred on the plot or
    on the row of labels (a plot box widened by a legend's frame beside it), is taken for
    the axis title instead."""
    continued: dict[int, list[Word]] = {}
    for index, label in enumerate(row):
        lines, last = [], label
        while (following := _next_line(last, below)) is not None:
            lines.append(following)
            last = following
        continued[index] = lines
    counts = sorted(len(lines) for lines in continued.values())
    if counts and counts[-1] and (len(counts) == 1 or counts[-2] == counts[-1] - 1):
        longest = max(continued.values(), key=len)
        middle = (row[0].bbox.center[0] + row[-1].bbox.center[0]) / 2
        centre = longest[-1].bbox.center[0]
        if min(abs(centre - plot.center[0]), abs(centre - middle)) <= 0.02 * plot.width:
            longest.pop()
    return [_joined(_in_reading_order([label, *continued[i]])) for i, label in enumerate(row)]


def _in_reading_order(lines: list[Word]) -> list[Word]:
    """A label's pieces in the order they read: an upright label's piece under another
    comes before it (upright text reads from the bottom up, a word OCR left out between
    them, an '&', keeping them apart as words of one line)."""
    if lines[0].angle % 180 != 90:
        return lines
    return sorted(lines, key=_along_reading)


def _next_line(label: Word, words: list[Word]) -> Word | None:
    height = label.bbox.height
    for word in words:
        if word.angle != label.angle:
            continue  # a turned label's lines turn with it: a level line is the axis title
        top = word.bbox.y0
        if not label.bbox.y0 + 0.3 * height <= top <= label.bbox.y1 + 0.3 * height:
            continue
        centred = (
            abs(word.bbox.center[0] - label.bbox.center[0])
            <= 0.15 * max(word.bbox.width, label.bbox.width) + 1.0
        )
        if centred or abs(word.bbox.x0 - label.bbox.x0) <= 1.5:
            return word
    return None


def _stacked_lines_joined(column: list[Word]) -> list[Word]:
    """Labels of a vertical category axis printed on several lines: lines much closer to
    each other than the labels are to one another are one label (numbers never are)."""
    if len(column) < 2:
        return column
    gaps = [b.bbox.y0 - a.bbox.y1 for a, b in itertools.pairwise(column)]
    widest = max(gaps)
    labels = [[column[0]]]
    for gap, word in zip(gaps, column[1:], strict=True):
        previous = labels[-1][-1]
        tight = gap <= 0.25 * word.bbox.height and gap < widest - 0.5 * word.bbox.height
        if tight and parse_number(word.text) is None and parse_number(previous.text) is None:
            labels[-1].append(word)
        else:
            labels.append([word])
    return [_joined(lines) for lines in labels]


def _joined(lines: list[Word]) -> Word:
    first = lines[0]
    if len(lines) == 1:
        return first
    box = BBox.enclosing(w.bbox for w in lines)
    return replace(first, text=" ".join(w.text for w in lines), bbox=box)


def merge_line_words(
    words: list[Word],
    by_block: bool = False,
    apart: Sequence[BBox] = (),
    data: Sequence[BBox] = (),
) -> list[Word]:
    """Join the words of one label that the text layer split: 'New York' on one line, and
    the words of a rotated label ('Research & Development' at 45 degrees), which share
    their text line. ``by_block``: words of a text layer, where a label is one text block
    (crowded labels a space apart, 'Store 1' 'Store 2', are then still two). ``apart``:
    marks (a legend's markers) that no label runs across: the words either side of one
    are two labels, however close. ``data``: the bars' boxes; a name and a number either
    side of a bar's end are two labels (a value printed at a bar's start, right after
    its category's name)."""
    merged: list[list[Word]] = []  # each label's words, left to right
    for word in sorted(words, key=_reading_place(words)):
        last = next(
            (
                parts
                for parts in reversed(merged)
                if _continues(_joined(parts), word, by_block, apart, data)
            ),
            None,
        )
        if last is None:
            merged.append([word])
        else:
            last.append(word)
            last.sort(key=_along_reading)
    return [_joined(parts) for label in _split_even_rows(merged) for parts in label]


def _reading_place(words: list[Word]) -> Callable[[Word], tuple[float, float]]:
    """Where a word comes in reading order: level words by rows (their tops within
    ``ALIGN``: OCR's boxes of one line start a point apart, and a label's last word taken
    for a line above came before its first), left to right; turned words by their tops."""
    rows = rows_by_top((w for w in words if not w.angle), lambda w: w.bbox.y0)
    row_top = {id(w): row[0].bbox.y0 for row in rows for w in row}
    return lambda w: (round(row_top.get(id(w), w.bbox.y0)), w.bbox.x0)


def _along_reading(word: Word) -> float:
    """How far along its reading direction a word stands: left to right for level text,
    bottom to top for text turned 90 degrees (turned 45, up and to the right)."""
    if not word.angle:
        return word.bbox.x0
    turn = math.radians(word.angle)
    x, y = word.bbox.center
    return x * math.cos(turn) - y * math.sin(turn)


def _continues(
    label: Word, word: Word, by_block: bool, apart: Sequence[BBox], data: Sequence[BBox]
) -> bool:
    """Whether a word goes on a label of the same line (see :func:`merge_line_words`)."""
    # A monospaced space between words of one text-layer line, where no bar stands
    # between them (two category labels set tight under their bars stand so apart too).
    # So do two OCR'd words in one monospaced font (no text layer tells their line).
    spaced = _one_line(label, word) if by_block else _monospaced(label, word)
    wide = spaced and not _bar_between(label, word, data)
    return (
        _same_label(label, word, by_block, wide)
        and not _mark_between(label, word, apart)
        and not _bar_edge_between(label, word, data)
    )


def _bar_between(a: Word, b: Word, bars: Sequence[BBox]) -> bool:
    """Whether a bar stands right above or below two words, between their centres, as
    bars stand over their category labels (a legend's row a line or more further down,
    under the labels, stands apart from them)."""
    low, high = sorted((a.bbox.center[0], b.bbox.center[0]))
    top, bottom = min(a.bbox.y0, b.bbox.y0), max(a.bbox.y1, b.bbox.y1)
    reach = BAR_REACH * max(a.bbox.height, b.bbox.height)
    return any(
        bar.x0 < high and bar.x1 > low and bar.y1 >= top - reach and bar.y0 <= bottom + reach
        for bar in bars
    )


def _bar_edge_between(last: Word, word: Word, bars: Sequence[BBox]) -> bool:
    """Whether a number follows a word with a bar's end between them, across their
    height: a value printed on the bar (centred on it, its box may reach past the end)
    after the category's name off it. A legend drawn over the bars, its words on and off
    them, has no number standing so."""
    if last.angle or word.angle:
        return False
    left, right = sorted((last, word), key=lambda w: w.bbox.x0)
    # A tick mark beside the bar's end may be read into the value as a leading dash.
    value = right.text.lstrip(TICK_DASHES)
    if parse_number(value) is None or parse_number(left.text) is not None:
        return False
    middle = (left.bbox.center[1] + right.bbox.center[1]) / 2
    return any(
        bar.y0 <= middle <= bar.y1
        and any(left.bbox.x1 - 1 <= end <= right.bbox.center[0] for end in (bar.x0, bar.x1))
        for bar in bars
    )


def rows_by_top(items: Iterable[T], top: Callable[[T], float]) -> list[list[T]]:
    """Items in rows, top to bottom, each row's tops within ``ALIGN`` of its first's."""
    rows: list[list[T]] = []
    for item in sorted(items, key=top):
        if rows and top(item) - top(rows[-1][0]) <= ALIGN:
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def _split_even_rows(labels: list[list[Word]]) -> list[list[list[Word]]]:
    """Labels of a crowded row taken apart again where their words stand at one even step
    and the joined labels do not: category names a little more than a space apart
    ('Lemons Oranges Peaches' under three bars) are one label each, while a row of
    two-word names ('New York', 'Los Angeles') has its words unevenly spaced. A row whose
    labels a second line continues is parted as the lines under it are (see
    ``_under_lines``), however evenly a typewriter font spaces its words."""
    rows = rows_by_top((p for p in labels if p[0].angle == 0), lambda parts: parts[0].bbox.y0)
    split: dict[int, list[list[Word]]] = {}
    for index, row in enumerate(rows):
        below = rows[index + 1] if index + 1 < len(rows) else []
        if not _uneven_but_words_even(row):
            continue
        for parts in row:
            if len(parts) > 1:
                split[id(parts)] = _under_lines(parts, below) or [[w] for w in parts]
    return [split.get(id(parts), [parts]) for parts in labels]


def _under_lines(parts: list[Word], below: list[list[Word]]) -> list[list[Word]] | None:
    """A run of words parted by the labels' second lines in the row below, each word going
    to the line nearest it; None unless that row lies right below and each line has words
    centred over it (two-line labels: 'Store 1' over 'Lyon', a typewriter font spacing
    'Store 1 Store 2' evenly)."""
    lines = sorted((w for p in below for w in p), key=lambda w: w.bbox.x0)  # crowded too
    height = max(w.bbox.height for w in parts)
    if len(lines) < 2 or not 0 < lines[0].bbox.y0 - parts[0].bbox.y0 <= 1.6 * height:
        return None
    step = (lines[-1].bbox.center[0] - lines[0].bbox.center[0]) / (len(lines) - 1)
    groups: dict[int, list[Word]] = {}
    for word in parts:
        nearest = min(lines, key=lambda line: abs(line.bbox.center[0] - word.bbox.center[0]))
        groups.setdefault(lines.index(nearest), []).append(word)
    joined = {i: _joined(group) for i, group in groups.items()}
    if len(groups) < 2 or any(
        abs(label.bbox.center[0] - lines[i].bbox.center[0]) > 0.25 * step
        for i, label in joined.items()
    ):
        return None
    return [groups[i] for i in sorted(groups)]


def _uneven_but_words_even(row: list[list[Word]]) -> bool:
    words = sorted((w for parts in row for w in parts), key=lambda w: w.bbox.x0)
    if len(words) < EVEN_WORDS or len(words) == len(row):
        return False
    labels = sorted((_joined(parts) for parts in row), key=lambda w: w.bbox.x0)
    return _even([w.bbox.center[0] for w in words], EVEN) and not _even(
        [w.bbox.center[0] for w in labels], UNEVEN
    )


def _even(centres: list[float], slack: float) -> bool:
    """Whether points stand at one step (each step within ``slack`` of the median)."""
    steps = [b - a for a, b in itertools.pairwise(centres)]
    if len(steps) < 2:
        return False
    middle = sorted(steps)[len(steps) // 2]
    return middle > 0 and all(abs(step - middle) <= slack * middle for step in steps)


SLIVER = 0.2  # a mark narrower than this share of the text's height is a bit of a glyph


def _mark_between(last: Word, word: Word, marks: Sequence[BBox]) -> bool:
    """Whether a mark stands in the gap between two words of a line. A sliver of a glyph
    that a word's box left out (the stem of a 'B' a pixel left of its box) is far
    narrower than a marker, which is about as wide as the text is high."""
    if last.angle or word.angle:
        return False
    left, right = sorted((last.bbox, word.bbox), key=lambda box: box.x0)
    top, bottom = min(left.y0, right.y0), max(left.y1, right.y1)
    sliver = SLIVER * min(left.height, right.height)
    return any(
        left.x1 - 1 <= (m.x0 + m.x1) / 2 <= right.x0 + 1
        and top <= (m.y0 + m.y1) / 2 <= bottom
        and m.width >= sliver
        for m in marks
    )


def _same_label(last: Word, word: Word, by_block: bool, wide: bool = False) -> bool:
    if last.angle != word.angle or (by_block and last.block != word.block):
        return False
    if last.angle == 0:
        # Two lone characters are two labels (crowded categories 'C' 'Z'), not one, but a
        # digit and its unit are one ('6 €', '5 %'); OCR boxes a unit's glyph alone, no
        # taller than it is ('4,000' '€').
        unit = _number_and_unit(last, word)
        level = abs(last.bbox.y0 - word.bbox.y0) <= 1 and abs(last.bbox.y1 - word.bbox.y1) <= 1
        # A word of the line may come after one right of it (its top a point lower).
        gap = (
            word.bbox.x0 - last.bbox.x1
            if word.bbox.x0 >= last.bbox.x0
            else last.bbox.x0 - word.bbox.x1
        )
        space = LINE_SPACE if wide else SPACE
        return (
            (max(len(last.text), len(word.text)) > 1 or unit)
            and (level or (unit and _within_height(word.bbox, last.bbox)))
            and -OVERLAP * word.bbox.height
            <= gap
            <= space * (max(word.bbox.height, last.bbox.height) if unit else word.bbox.height)
        )
    upright = word.angle % 180 == 90
    across = min(last.bbox.x1, word.bbox.x1) - max(last.bbox.x0, word.bbox.x0)
    # OCR's readings (first, and closer in the margins) number their lines apart: upright
    # words square in one column are of one line all the same.
    in_column = upright and across >= COLUMN * min(last.bbox.width, word.bbox.width)
    if not (_one_line(last, word) or in_column):
        return False
    if upright:  # one above the other, a space apart at most
        gap = max(last.bbox.y0 - word.bbox.y1, word.bbox.y0 - last.bbox.y1)
        return across > 0 and gap <= LINE_SPACE * word.bbox.width
    # Turned: the words of one text line, touching (their boxes overlap at 45 degrees), in
    # line: the boxes of labels side by side under their ticks overlap too.
    return bool(last.bbox.grown(2).intersection(word.bbox)) and _in_line(last, word)


def _monospaced(a: Word, b: Word) -> bool:
    """Whether two level words, one of them two characters long at least and neither a
    number, have characters equally wide, as a monospaced font's are: its space is a
    whole character wide, and words of one line stand further apart than a proportional
    font's ('Product B'). Numbers side by side are two labels (crowded years)."""
    if max(len(a.text), len(b.text)) < 2:
        return False
    if any(parse_number(w.text) is not None for w in (a, b)):
        return False
    pitches = sorted(w.bbox.width / len(w.text) for w in (a, b))
    return pitches[1] - pitches[0] <= MONOSPACED * pitches[1]


MONOSPACED = 0.08  # the characters of two words in one monospaced font differ this little


def _in_line(last: Word, word: Word) -> bool:
    """Whether two turned words stand on one line along their direction: their centres
    less than half a text height apart across it (labels side by side, each hung from
    its tick, stand their ticks' step times the turn's sine apart across it)."""
    turn = math.radians(word.angle)
    (x, y), (ox, oy) = last.bbox.center, word.bbox.center
    across = abs((ox - x) * math.sin(turn) + (oy - y) * math.cos(turn))
    return across <= 0.5 * min(_turned_height(last), _turned_height(word))


def _turned_height(word: Word) -> float:
    """A turned word's text height, from its box and its length: the box of a line
    ``length`` long and ``height`` high turned by ``angle`` is ``length * |cos| + height *
    |sin|`` wide and ``length * |sin| + height * |cos|`` high, and a character is about
    half a text height wide."""
    turn = math.radians(word.angle)
    cos, sin = abs(math.cos(turn)), abs(math.sin(turn))
    length = CHARACTER_WIDTH * max(1, len(word.text))  # in text heights
    return (word.bbox.width + word.bbox.height) / (length * (cos + sin) + cos + sin)


CHARACTER_WIDTH = 0.55  # a character's width, in text heights


def _one_line(last: Word, word: Word) -> bool:
    """Whether two words are of one text line (of a text layer, or of OCR's reading)."""
    return (last.block, last.line) == (word.block, word.line)


def _within_height(a: BBox, b: BBox) -> bool:
    """Whether one box's height lies within the other's, a point either way."""
    inner, outer = sorted((a, b), key=lambda box: box.height)
    return outer.y0 - 1 <= inner.y0 and inner.y1 <= outer.y1 + 1


def _number_and_unit(first: Word, second: Word) -> bool:
    """Whether two words read as one number with its unit, one of them no number."""
    left, right = sorted((first, second), key=lambda w: w.bbox.x0)
    return parse_number(f"{left.text} {right.text}") is not None and (
        parse_number(left.text) is None or parse_number(right.text) is None
    )


def anchor(word: Word, orientation: str) -> float:
    """Where along an axis a label stands: its centre; for a label rotated anticlockwise
    under an x axis, its upper end (the tick it names); clockwise, its upper start."""
    box = word.bbox
    if orientation == "y" or word.angle in (0, 90, -90, 180):
        return box.center[0] if orientation == "x" else box.center[1]
    return box.x1 if word.angle > 0 else box.x0
