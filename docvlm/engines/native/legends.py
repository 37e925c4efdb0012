"""Legends: small swatches with a label right beside them (after them, or before them where
the legend sets its names first) name a colour's series."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise

from docvlm.document import Word
from docvlm.engines.native.labels import ALIGN
from docvlm.engines.native.marks import (
    COLUMN_SLACK,
    KEY_GROUND,
    LEGEND_GAP,
    SWATCH,
    Color,
    Mark,
    colour_key,
    is_gray,
    is_neutral,
    key_grounds,
    wide_swatch,
)
from docvlm.engines.native.raster_labels import TICK_DASHES
from docvlm.geometry import BBox
from docvlm.text import parse_number

FRAME_SIDE = 4.0  # points: the thickest line a legend's frame is drawn with (anti-aliased)
SAME_LINE = 4.0  # points: a swatch's label is centred this close to the swatch's line


def split_legend(marks: list[Mark], words: list[Word]) -> tuple[dict[Color, str], list[Mark]]:
    """Small swatches with a label right beside them are legend entries, not data; so is a
    marker drawn on a swatch line (a line series' legend entry)."""
    legend: dict[Color, str] = {}
    swatches: list[Mark] = []
    entries: list[BBox] = []  # each entry's swatch and label
    numbered: list[tuple[Mark, str]] = []  # swatches labelled with a year: legend if in line
    data = []
    grounds = key_grounds(marks)
    held = {id(inner) for inner in grounds.values()}
    candidates = [
        m
        for m in marks
        if id(m) not in grounds
        and _swatch_shaped(m, marks)
        and not _sliver_of_bar(m, marks)
        and (id(m) in held or not _stacked_segment(m, marks))
    ]
    before = _names_before(candidates, words)
    labels = _labels(candidates, words, before)
    # Entries named by a word first: a number beside a mark of a colour a word names is
    # a data label (a short bar's, under its label), no second name for the colour.
    worded = sorted(marks, key=lambda m: not _worded(labels.get(id(m))))
    for mark in worded:
        label = labels.get(id(mark))
        if label is not None and colour_key(mark.color) in legend and not _worded(label):
            data.append(mark)
        elif (
            label is not None
            and label.text
            and (
                _a_name(label.text)
                or (_YEARLIKE.match(label.text) and mark.kind in ("line", "tick"))
                or (
                    _YEARLIKE.match(label.text)
                    and (_in_line(mark, marks) or wide_swatch(mark, marks))
                )
                or (_YEAR.match(label.text) and _square_swatch(mark))
            )
        ):
            legend[colour_key(mark.color)] = _without_swatch_end(label.text)
            swatches.append(mark)
            entries.append(mark.bbox.union(label.bbox))
        elif label is not None and _YEARLIKE.match(label.text):
            numbered.append((mark, label.text))
        else:
            data.append(mark)
    for mark, name in numbered:
        if colour_key(mark.color) in legend:
            data.append(mark)
        elif _beside_swatches(mark, swatches):
            legend[colour_key(mark.color)] = name
            swatches.append(mark)
            entries.append(mark.bbox)
        else:
            data.append(mark)
    if len(legend) < 1:
        return {}, marks
    order = {id(m): i for i, m in enumerate(marks)}
    data.sort(key=lambda m: order[id(m)])  # as they were drawn
    named = {id(m) for m in swatches}
    data = [m for m in data if id(grounds.get(id(m))) not in named]
    data = [m for m in data if not _unnamed_entry(m, swatches)]
    halves = _ground_halves(data, words)
    data = [m for m in data if id(m) not in halves]
    return legend, _swatch_parts(_without_frames(data, entries), swatches)


def _ground_halves(marks: list[Mark], words: list[Word]) -> set[int]:
    """The two halves of a key entry's neutral ground that its sample (a dark line
    across it, taken for a glyph in an image) cut apart: neutral boxes of one colour and
    width, one on the other, together a square of a key's size with a word right beside
    it. Left among the data, they stretch the plot over the axis's labels."""
    bars = [m for m in marks if m.kind == "bar" and is_neutral(m.color)]
    halves: set[int] = set()
    for top in bars:
        for foot in bars:
            a, b = top.bbox, foot.bbox
            whole = a.union(b)
            if (
                colour_key(top.color) == colour_key(foot.color)
                and abs(a.x0 - b.x0) <= SAME_SIZE
                and abs(a.x1 - b.x1) <= SAME_SIZE
                and 0 <= b.y0 - a.y1 <= SAME_SIZE
                and abs(whole.width - whole.height) <= 2 * SAME_SIZE
                and SWATCH / 2 <= whole.width <= KEY_GROUND
                and any(_label_beside_box(whole, w) for w in words)
            ):
                halves |= {id(top), id(foot)}
    return halves


def _label_beside_box(box: BBox, word: Word) -> bool:
    gap = word.bbox.x0 - box.x1
    return 0 <= gap <= LEGEND_GAP and abs(word.bbox.center[1] - box.center[1]) <= SAME_LINE


def _worded(label: Word | None) -> bool:
    return label is not None and _a_name(label.text)


KEY_STEP = 3.0  # a key's entries follow one another within this many swatch sizes
SAME_SIZE = 1.0  # points: a key's swatches share a size, and an edge, within this


def _unnamed_entry(mark: Mark, swatches: list[Mark]) -> bool:
    """Whether ``mark`` is a key entry whose name was not read (OCR missed it): a swatch's
    size, and next to one in the key's column or row. Left among the data, it stretches
    the plot out over the key and the axis's labels, so that no axis is calibrated; its
    series stays unnamed, and says so. A marker is not taken so: a scatter's points are
    its key's markers' size, one may stand in the key's column."""
    if mark.kind == "point":
        return False
    box = mark.bbox
    for swatch in swatches:
        other = swatch.bbox
        if abs(box.width - other.width) > SAME_SIZE or abs(box.height - other.height) > SAME_SIZE:
            continue
        step = KEY_STEP * max(other.width, other.height)
        in_column = abs(box.x0 - other.x0) <= SAME_SIZE and abs(box.y0 - other.y0) <= step
        in_row = abs(box.y0 - other.y0) <= SAME_SIZE and abs(box.x0 - other.x0) <= step
        if in_column or in_row:
            return True
    return False


def _square_swatch(mark: Mark) -> bool:
    """A filled square of a key's size (half a swatch to a swatch): a key's one entry,
    named by a year beside it (a scatter's points, each labelled by its year, are
    smaller; a bar's value is printed above or on it)."""
    box = mark.bbox
    return (
        mark.kind == "bar"
        and abs(box.width - box.height) <= 2 * SAME_SIZE
        and min(box.width, box.height) >= SWATCH / 2
        and max(box.width, box.height) <= SWATCH
    )


def _swatch_shaped(mark: Mark, marks: list[Mark]) -> bool:
    """Whether a mark is small enough for a legend's swatch: a box, a short line (with its
    marker), or a wide box among others like it."""
    return (
        max(mark.bbox.width, mark.bbox.height) <= SWATCH
        or (
            mark.kind in ("tick", "line", "bar", "area")  # an area: a line and its marker
            and mark.bbox.height <= SWATCH
            and mark.bbox.width <= 2 * SWATCH
        )
        or wide_swatch(mark, marks)
    )


def _labels(swatches: list[Mark], words: list[Word], before: bool) -> dict[int, Word | None]:
    """Each swatch's label (by the swatch's id): the word right beside it; or, for a
    swatch with none that near, the word on its line whose edge lines up with the labels of
    the swatches in its column (OCR's boxes of a column of names start a few points apart,
    and a label set far off may fall just out of reach)."""
    labels = {id(m): _label_beside(m, words, before) for m in swatches}
    labels.update(_centred_samples(swatches, labels, words, before))
    for mark in swatches:
        if labels[id(mark)] is not None:
            continue
        edges = [
            label.bbox.x1 if before else label.bbox.x0
            for other in swatches
            if (label := labels[id(other)]) is not None
            and abs(other.bbox.x0 - mark.bbox.x0) <= COLUMN_SLACK
            and abs(other.bbox.width - mark.bbox.width) <= COLUMN_SLACK
        ]
        if edges:
            edge = sorted(edges)[len(edges) // 2]
            labels[id(mark)] = next(
                (
                    w
                    for w in words
                    if abs((w.bbox.x1 if before else w.bbox.x0) - edge) <= ALIGN
                    and abs(w.bbox.center[1] - mark.bbox.center[1]) <= SAME_LINE
                ),
                None,
            )
    return labels


def _centred_samples(
    swatches: list[Mark], labels: dict[int, Word | None], words: list[Word], before: bool
) -> dict[int, Word]:
    """Labels of markers centred in a key's sample slot (a plotting program draws a
    marker-only sample in the middle of a line sample's length, half a handle further
    from its name): a marker with no label in reach takes the name on its line up to a
    swatch further off, where two or more such markers stand in one column (a line's
    first points stand so, a tick's number on their rows: numbers are no names here). A
    name a swatch in reach already has is not another's: bars' starts that show left of a
    key box drawn over them stand in a column too, each on an entry's line."""
    taken = {id(w) for w in labels.values() if w is not None}
    # A data point's row has tick numbers: names only.
    names = [w for w in words if _a_name(w.text) and id(w) not in taken]
    far: dict[int, Word] = {}
    for mark in swatches:
        if mark.kind != "point" or labels[id(mark)] is not None:
            continue
        # Either side: which side a key sets its names on is told by labels in reach.
        label = _label_beside(mark, names, before, LEGEND_GAP + SWATCH) or _label_beside(
            mark, names, not before, LEGEND_GAP + SWATCH
        )
        if label is not None:
            far[id(mark)] = label
    marked = [m for m in swatches if id(m) in far]
    return {
        id(m): far[id(m)]
        for m in marked
        if sum(abs(o.bbox.center[0] - m.bbox.center[0]) <= COLUMN_SLACK for o in marked) >= 2
    }


def _label_beside(
    mark: Mark, words: list[Word], before: bool = False, reach: float = LEGEND_GAP
) -> Word | None:
    """The word right beside a swatch, on its line: the nearest right of it, or left of it
    where the legend sets its names ``before`` their swatches."""

    def gap(word: Word) -> float:
        return mark.bbox.x0 - word.bbox.x1 if before else word.bbox.x0 - mark.bbox.x1

    return min(
        (
            w
            for w in words
            # Large type sets its label further off, and a marker centred on a handle as
            # long as a line swatch further still: 1.5 text heights.
            if 0 <= gap(w) <= max(reach, 1.5 * w.bbox.height)
            and abs(w.bbox.center[1] - mark.bbox.center[1]) <= SAME_LINE
        ),
        key=gap,  # the nearest word is its label
        default=None,
    )


def _names_before(swatches: list[Mark], words: list[Word]) -> bool:
    """Whether the legend sets its names before their swatches ('North ▬ South ▬', names
    set flush right in a column) rather than after them: then a swatch has a name left of
    it and none right of it, the last one of a row or every one of a column, where a name
    set after leaves the first of a row or every one of a column nothing left of it. Only
    swatches alike in size and of colours of their own count (a legend's entries): a
    short bar beside its category label, a gray grid line's dash, are none."""
    # A year names a series too ('2024 ▬ Wholesale ▬'): its swatch then has names both
    # sides, and the row's last one a name before it only.
    named = [w for w in words if _a_name(w.text) or _YEAR.match(w.text)]
    left_only, right_only = [], []
    for mark in swatches:
        if is_neutral(mark.color):
            continue
        left = _label_beside(mark, named, before=True) is not None
        right = _label_beside(mark, named) is not None
        if left and not right:
            left_only.append(mark)
        elif right and not left:
            right_only.append(mark)
    return _entries(left_only) > _entries(right_only)


def _entries(swatches: list[Mark]) -> int:
    """The most colours a set of swatches of one size shows."""
    return max(
        (
            len(
                {
                    colour_key(other.color)
                    for other in swatches
                    if abs(other.bbox.width - mark.bbox.width) <= COLUMN_SLACK
                    and abs(other.bbox.height - mark.bbox.height) <= COLUMN_SLACK
                }
            )
            for mark in swatches
        ),
        default=0,
    )


def _sliver_of_bar(mark: Mark, marks: list[Mark]) -> bool:
    """Whether a thin mark lies along a larger bar of its own colour: a sliver of the bar
    left at a stacked segment's edge (a value label printed on the next bar just right
    of it names nothing), not a line swatch."""
    if mark.kind not in ("line", "tick"):
        return False
    key = colour_key(mark.color)
    return any(
        m.kind == "bar"
        and m is not mark
        and colour_key(m.color) == key
        and max(m.bbox.width, m.bbox.height) > SWATCH
        and m.bbox.contains(mark.bbox, 1.0)
        for m in marks
    )


# Points: a stacked bar's segments meet edge to edge within this (in an image, the outline
# drawn between two segments stands between their fills).
FLUSH = 2.0


def _stacked_segment(mark: Mark, marks: list[Mark]) -> bool:
    """Whether a small bar meets a bar of another colour edge to edge along its whole
    side: a short segment of a stacked bar (its category's name right before it, as a
    legend's names stand before their swatches), not a swatch; a legend's swatches stand
    apart, or are of one size. A segment lies beside the other bar: a line swatch lying
    within the pale rim that anti-aliasing draws round it, as thin as the line, is no
    segment."""
    if mark.kind not in ("bar", "line", "point"):  # a segment a few pixels wide: no bar
        return False
    a = mark.bbox
    for other in marks:
        b = other.bbox
        if (
            other is mark
            or other.kind != "bar"
            or colour_key(other.color) == colour_key(mark.color)
            or _twin_swatch(a, b)
            or _outline_strip(other)
        ):
            continue
        level = abs(a.y0 - b.y0) <= FLUSH and abs(a.y1 - b.y1) <= FLUSH
        upright = abs(a.x0 - b.x0) <= FLUSH and abs(a.x1 - b.x1) <= FLUSH
        if (level and _beside(a.x0, a.x1, b.x0, b.x1)) or (
            upright and _beside(a.y0, a.y1, b.y0, b.y1)
        ):
            return True
    return False


def _outline_strip(mark: Mark) -> bool:
    """Whether a bar is a strip of outline: neutral, a frame's line thick at most (the
    outline between two swatches drawn edge to edge, found as a bar in an image), no
    segment a swatch would stand on."""
    return is_neutral(mark.color) and min(mark.bbox.width, mark.bbox.height) <= FRAME_SIDE / 2


def _twin_swatch(a: BBox, b: BBox) -> bool:
    """Whether two small boxes are the one size: swatches of a key whose entries touch
    (R's ggplot2 sets them a point or two apart), not a bar's segments."""
    return (
        max(a.width, a.height, b.width, b.height) <= SWATCH
        and abs(a.width - b.width) <= SAME_SIZE
        and abs(a.height - b.height) <= SAME_SIZE
    )


def _beside(a0: float, a1: float, b0: float, b1: float) -> bool:
    """Whether span a ends where span b starts, or starts where it ends (within FLUSH),
    rather than lying within it."""
    middle = (a0 + a1) / 2
    return (abs(a1 - b0) <= FLUSH and middle < b0) or (abs(b1 - a0) <= FLUSH and middle > b1)


def _without_frames(marks: list[Mark], entries: list[BBox]) -> list[Mark]:
    """The marks without the legend's frame or its drop shadow: gray or black, round the
    legend's entries and not much larger (a gray series' bar or area may lie under a
    legend drawn over the plot); a box is one only round all of them (a shadow drawn
    whole under the frame, one rectangle)."""
    legend, pad = BBox.enclosing(entries), 2 * SWATCH  # a frame's padding, its shadow's offset
    grown = legend.grown(pad)
    return [m for m in marks if not _frame_or_shadow(m, marks, entries, legend, grown)]


def _frame_or_shadow(
    mark: Mark, marks: list[Mark], entries: list[BBox], legend: BBox, grown: BBox
) -> bool:
    """Whether a mark within reach of the legend's entries (``grown``) is its frame,
    shadow or panel: a gray stroke or region round one of them, a box in a rule's neutral
    tint round all of them, a piece of a panel, or one side of the frame."""
    if grown.union(mark.bbox) != grown:
        return False
    inside = [mark.bbox.contains_point(*entry.center) for entry in entries]
    if mark.kind == "bar":
        return (is_neutral(mark.color) and all(inside)) or _panel_piece(mark, marks, entries)
    if mark.kind not in ("line", "area"):
        return False
    return (
        (is_gray(mark.color) and any(inside))
        or _frame_side(mark, legend)  # sides as rules
        or _outline_between(mark, legend)
    )


def _outline_between(mark: Mark, legend: BBox) -> bool:
    """A thin neutral line within the key's box: the outline two swatches drawn edge to
    edge share (an image leaves it apart from both fills), no series of its own."""
    box = mark.bbox
    return (
        mark.kind == "line"
        and is_neutral(mark.color)
        and min(box.width, box.height) <= FRAME_SIDE
        and legend.grown(FRAME_SIDE).contains(box)
    )


PANEL_GAP = 2.0  # points: a key panel's piece meets the entries that cut it within this


def _panel_piece(mark: Mark, marks: list[Mark], entries: list[BBox]) -> bool:
    """A piece of a filled key panel in a rule's neutral tint, cut by the entries' names
    and samples into pieces level with one another (a gray bar under an entry stands
    alone): it holds an entry or meets one, edge to edge."""
    if mark.kind != "bar" or not is_neutral(mark.color) or not _meets(mark.bbox, entries):
        return False
    return any(
        other is not mark
        and other.kind == "bar"
        and colour_key(other.color) == colour_key(mark.color)
        and abs(other.bbox.y0 - mark.bbox.y0) <= PANEL_GAP
        and abs(other.bbox.y1 - mark.bbox.y1) <= PANEL_GAP
        and _meets(other.bbox, entries)
        for other in marks
    )


def _meets(box: BBox, entries: list[BBox]) -> bool:
    grown = box.grown(PANEL_GAP)
    return any(grown.intersection(entry) is not None for entry in entries)


def _frame_side(mark: Mark, legend: BBox) -> bool:
    """A straight line in a rule's colour (a dark theme's frames are a bluish gray) as
    long as the legend's entries reach along it: one side of their frame, not a bit of a
    gray series' line."""
    box = mark.bbox
    upright = box.height > box.width
    return (
        mark.kind == "line"
        and min(box.width, box.height) <= FRAME_SIDE
        and (box.height >= legend.height if upright else box.width >= legend.width)
        and is_neutral(mark.color)
    )


def swatchless_names(
    legend: dict[Color, str], words: list[Word], samples: Sequence[BBox] = ()
) -> list[str]:
    """Names (words, or years) in the legend's column or row with no swatch found beside
    them (a swatch drawn over a bar of its own colour and lost in it, or merged with its
    frame; a series in a gray the reader takes for a rule's). A word right before one of
    the key's ``samples``, which has its name after it, is the key's title ('Type' before
    a row of entries), no name."""
    names = set(legend.values())
    labels = [w for w in words if not w.angle and _without_swatch_end(w.text) in names]
    if not labels:
        return []
    unnamed = [
        w
        for w in words
        if not w.angle
        and (_a_name(w.text) or _YEAR.match(w.text))
        and _without_swatch_end(w.text) not in names
        and not any(_title_before(w, sample) for sample in samples)
    ]
    return [w.text for w in _in_column(labels, unnamed) or _in_row(labels, unnamed)]


def _title_before(word: Word, sample: BBox) -> bool:
    gap = sample.x0 - word.bbox.x1
    return 0 <= gap <= LEGEND_GAP and abs(sample.center[1] - word.bbox.center[1]) <= SAME_LINE


def _in_column(labels: list[Word], words: list[Word]) -> list[Word]:
    """The words aligned with the legend's labels, on their left edges or their right (a
    key setting its names flush right before their samples), as high as they are, a
    whole number of rows from the first, at most a row before it or past the last."""
    for edge in (0, 2):
        if found := _aligned_in_column(labels, words, edge):
            return found
    return []


# Text heights between a key's names and a second key's above or under them: a title's
# line between them at least (a word a line off is an axis title over a key below the plot).
LONE_FROM, LONE_REACH = 2.0, 5.0


def _aligned_in_column(labels: list[Word], words: list[Word], edge: int) -> list[Word]:
    line = sorted(w.bbox.as_tuple()[edge] for w in labels)[len(labels) // 2]
    height = _median_height(labels)
    aligned = [w for w in words if _aligned(w, edge, line, height)]
    if len(labels) == 1:
        return _second_key_names(labels, aligned, height)
    if any(abs(w.bbox.as_tuple()[edge] - line) > ALIGN for w in labels):
        return []  # a legend in a row, or names standing apart
    tops = sorted(w.bbox.y0 for w in labels)
    step = min(b - a for a, b in pairwise(tops))
    if step < height:
        return []
    found = []
    for word in aligned:
        row = (word.bbox.y0 - tops[0]) / step
        if -1.25 <= row <= len(labels) + 0.25 and abs(row) > 0.5 and abs(row - round(row)) <= 0.25:
            found.append(word)
    return found + [w for w in _second_key_names(labels, aligned, height) if w not in found]


def _aligned(word: Word, edge: int, line: float, height: float) -> bool:
    """Whether a word stands in line with a key's names (their ``edge`` on ``line``), as
    high as they are (``height``)."""
    return (
        abs(word.bbox.as_tuple()[edge] - line) <= ALIGN
        and abs(word.bbox.height - height) <= 0.3 * height
    )


def _second_key_names(labels: list[Word], aligned: list[Word], height: float) -> list[Word]:
    """The words in line with a key's names (``aligned``), two to five lines above its
    first or below its last: a second key's (a chart that keys its bars and its line
    apart, each titled), whose sample was not found (a black line's, taken for a glyph)."""
    first, last = min(w.bbox.y0 for w in labels), max(w.bbox.y0 for w in labels)
    return [
        w
        for w in aligned
        if any(
            LONE_FROM * height <= off <= LONE_REACH * height
            for off in (first - w.bbox.y0, w.bbox.y0 - last)
        )
    ]


def _in_row(labels: list[Word], words: list[Word]) -> list[Word]:
    """The words level with a legend's labels in a row (the row most of them stand in), as
    high as they are, among them or at most an entry's width past either end."""
    top = sorted(w.bbox.y0 for w in labels)[len(labels) // 2]
    labels = [w for w in labels if abs(w.bbox.y0 - top) <= ALIGN]
    if len(labels) < 2:
        return []  # a legend in a column, or names standing apart
    lefts = sorted(w.bbox.x0 for w in labels)
    pitch = max(b - a for a, b in pairwise(lefts))
    right = max(w.bbox.x1 for w in labels)
    height = _median_height(labels)
    return [
        w
        for w in words
        if abs(w.bbox.y0 - top) <= ALIGN
        and abs(w.bbox.height - height) <= 0.3 * height
        and lefts[0] - pitch <= w.bbox.x0
        and w.bbox.x1 <= right + pitch
    ]


def _median_height(words: list[Word]) -> float:
    return sorted(w.bbox.height for w in words)[len(words) // 2]


def _a_name(text: str) -> bool:
    """Whether a label reads as a name: letters, not a number. Data labels in a row of
    thin segments, read as one word ('66,50046,000'), parse as no number but name none."""
    return parse_number(text) is None and any(c.isalpha() for c in text)


def _without_swatch_end(name: str) -> str:
    """A legend name without the end of its line swatch that OCR read into it as a dash
    ('-Nord'): a name does not start with a dash before a letter."""
    stripped = name.lstrip(TICK_DASHES)
    return stripped if stripped[:1].isalpha() else name


def _beside_swatches(mark: Mark, swatches: list[Mark]) -> bool:
    """Whether a swatch whose label is a number (a year) stands in the legend's row or
    column: level with a swatch already named, or centred under it a row or two away
    (markers of other shapes: in a raster, boxes of other sizes)."""
    a = mark.bbox
    return any(
        abs(s.bbox.center[1] - a.center[1]) <= 4
        or (
            abs(s.bbox.center[0] - a.center[0]) <= 2
            and abs(s.bbox.center[1] - a.center[1]) <= 2 * SWATCH
        )
        for s in swatches
    )


def _swatch_parts(marks: list[Mark], swatches: list[Mark]) -> list[Mark]:
    """The marks without the small ones that are parts of a swatch: a line series'
    marker on it, or the bits of the pattern a hatched swatch is cut into (in the colour
    the hatching blends them to), on it or in a row with it, touching it or each other."""
    boxes = [s.bbox for s in swatches]
    small = [m for m in marks if max(m.bbox.width, m.bbox.height) <= SWATCH]
    parts: set[int] = set()
    grown = True
    while grown:
        grown = False
        for mark in small:
            if id(mark) in parts:
                continue
            for index, box in enumerate(boxes):
                near = box.grown(3)
                joined = box.union(mark.bbox)
                if near.intersection(mark.bbox) is None or joined.width > 2 * SWATCH:
                    continue
                if joined.height > max(box.height, SWATCH / 2) + 4:
                    continue
                boxes[index] = joined
                parts.add(id(mark))
                grown = True
                break
    return [m for m in marks if id(m) not in parts]


KEYS_APART = 5.0  # swatch sizes: the most between two keys' samples, one over the other


def _in_line(mark: Mark, marks: list[Mark]) -> bool:
    """Whether other swatches stand in a column or a row with this one, in other colours
    (a legend, whose labels may be numbers such as years): in a column as wide as it (a
    bar's swatch over a line's, which anti-aliasing may widen by a pixel either end), or
    centred in one a few entries off, about as wide (a key per layer, its line's sample
    drawn a little short of its slot's sides), or in a row as high."""
    a = mark.bbox
    return any(
        other is not mark
        and other.color != mark.color
        and (
            (
                abs(other.bbox.x0 - a.x0) <= COLUMN_SLACK
                and abs(other.bbox.width - a.width) <= COLUMN_SLACK
            )
            or (
                abs(other.bbox.center[0] - a.center[0]) <= COLUMN_SLACK
                and abs(other.bbox.width - a.width) <= 2 * COLUMN_SLACK
                and abs(other.bbox.center[1] - a.center[1]) <= KEYS_APART * SWATCH
            )
            or (abs(other.bbox.y0 - a.y0) < 0.5 and abs(other.bbox.height - a.height) < 0.5)
        )
        and max(other.bbox.width, other.bbox.height) <= 2 * SWATCH
        for other in marks
    )


# A legend may name series by number (years), never by a value such as "-731" or "63,600".
_YEARLIKE = re.compile(r"^\d{1,4}$")
_YEAR = re.compile(r"^(1[89]|2[01])\d\d$")  # a year of these two centuries
NEAR_COLOUR = 0.12  # RGB distance within which a legend swatch names a series


def legend_name(color: Color, legend: dict[Color, str]) -> str | None:
    """The legend's name for a series' colour: the swatch of that colour, else the nearest
    within a few shades (a raster swatch anti-aliased to a slightly other colour)."""
    key = colour_key(color)
    if key in legend:
        return legend[key]
    nearest = min(legend, key=lambda c: math.dist(c, key), default=None)
    if nearest is not None and math.dist(nearest, key) <= NEAR_COLOUR:
        return legend[nearest]
    return None
