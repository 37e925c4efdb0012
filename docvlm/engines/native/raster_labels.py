"""The words of a chart image as its labels: the tick marks and legend swatches OCR read
into them taken off, and the margins around the data marks read again, closer, for the
labels a reading of the whole image missed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.marks import (
    COLUMN_SLACK,
    LEGEND_GAP,
    SWATCH,
    Color,
    Mark,
    is_neutral,
    wide_swatch,
)
from docvlm.geometry import BBox
from docvlm.text import parse_number

TICK_DASHES = "-\u2013\u2014_"
TEXT_POINTS = 10.0  # the height of a chart's text, when no word was read


class Reread(Protocol):
    """Reads the words of a region again, closer (the region and the text's height, in
    points); on a ``fill`` (RGB in 0..1), the ink that stands from it, of any colour."""

    def __call__(self, box: BBox, text_height: float, fill: Color | None = None) -> list[Word]: ...


def reread_margins(
    labels: list[Word], marks: list[Mark], words: list[Word], image: BBox, reread: Reread
) -> list[Word] | None:
    """The words again, with the words added that a closer reading of the margins left of,
    below and right of the data marks finds (tick labels, axis titles, a legend) and the
    first reading missed; None when it found none. Words both read are kept as first read
    (an enlarged reading is not the better one of every word), unless the closer reading
    only joins the first one's pieces into one word."""
    # The data marks; a scatter's are all small (legend swatches too, then). A legend of
    # wide boxes (one of them named) above, below or left of them is no data: the x or y
    # labels lie between it and the plot, in the band read again.
    large = [m for m in marks if max(m.bbox.width, m.bbox.height) > SWATCH]
    # Gray or white frames beyond the coloured marks (a legend's under the labels, a
    # swatch's outline) are no data; gray bars among coloured ones are, and a chart drawn
    # in grays has only those.
    coloured = [m.bbox for m in large if not is_neutral(m.color)]
    if coloured:
        reach = BBox.enclosing(coloured)
        large = [m for m in large if not is_neutral(m.color) or m.bbox.intersection(reach)]
    boxes = [m for m in large if wide_swatch(m, marks)]
    others = [m.bbox for m in large if m not in boxes]
    if not any(_named(m, words) for m in boxes) and not _apart_from(boxes, others):
        boxes = []
    data = [m.bbox for m in large if m not in boxes]
    if data:
        core = BBox.enclosing(data)
        data += [m.bbox for m in boxes if not _outside_labels(m.bbox, core)]
    box = BBox.enclosing(data or [m.bbox for m in marks])
    heights = [w.bbox.height for w in words if w.angle == 0]
    text = float(np.median(heights)) if heights else TEXT_POINTS
    bands = (
        BBox(image.x0, box.y0 - text, box.x0, box.y1 + text),  # y tick labels
        # From a little above the marks' foot: OCR boxes the labels hanging under it a
        # pixel or two taller than their glyphs, which the band's edge would cut.
        BBox(box.x0 - 2 * text, box.y1 - text / 2, box.x1 + 2 * text, image.y1),  # x labels
        BBox(box.x1, image.y0, image.x1, image.y1),  # a second axis, a legend
        *_unnamed_legend_rows(marks, words, text),  # a legend drawn over the plot
    )
    added: list[Word] = []
    for margin in bands:
        band = margin.intersection(image)
        if band is None or min(band.width, band.height) < text / 2:
            continue
        for word in reread(band, text):
            if not any(c.isalnum() for c in word.text) or not _well_inside(word, band):
                continue
            first = [w for w in labels + added if _same_place(word, w)]
            if not first:
                added.append(word)
            elif rejoined(word, first):
                labels = [w for w in labels if w not in first]
                added = [w for w in added if w not in first] + [word]
    return labels + added if added else None


def _unnamed_legend_rows(marks: list[Mark], words: list[Word], text: float) -> list[BBox]:
    """Beside a legend's column of swatches, the band its names stand in, where some
    swatches have a name beside them and others none (names the first reading missed,
    which a legend drawn over the plot lies outside the margins for): as high as the
    column, as wide as its longest name and half again."""
    swatches = [m for m in marks if max(m.bbox.width, m.bbox.height) <= SWATCH]
    bands = []
    for swatch in swatches:
        column = [m for m in swatches if _same_column(m.bbox, swatch.bbox)]
        if len(column) < 2 or swatch is not column[0]:
            continue  # a lone marker, or a column already looked at
        if not 0 < sum(_named(m, words) for m in column) < len(column):
            continue
        top, right = BBox.enclosing(m.bbox for m in column), column[0].bbox.x1
        names = [w for w in words if _beside(w.bbox, top) and parse_number(w.text) is None]
        reach = max((w.bbox.x1 - right for w in names), default=0.0)
        bands.append(BBox(right, top.y0 - text / 2, right + 1.5 * reach, top.y1 + text / 2))
    return bands


def _same_column(a: BBox, b: BBox) -> bool:
    """Whether two swatches are alike and stand in one column."""
    return (
        abs(a.x0 - b.x0) <= COLUMN_SLACK
        and abs(a.width - b.width) <= COLUMN_SLACK
        and abs(a.height - b.height) <= COLUMN_SLACK
    )


def _beside(word: BBox, column: BBox) -> bool:
    """Whether a word stands right of a column of swatches, as a legend's names do."""
    return (
        0 <= word.x0 - column.x1 <= max(LEGEND_GAP, 1.5 * word.height)
        and column.y0 - 2 <= word.center[1] <= column.y1 + 2
    )


def _outside_labels(box: BBox, core: BBox) -> bool:
    """Whether a box lies above, below or left of the data (beyond their axis labels)."""
    x, y = box.center
    return x < core.x0 or (x <= core.x1 and not core.y0 <= y <= core.y1)


def _named(mark: Mark, words: list[Word]) -> bool:
    """Whether a name (no number) stands right beside a mark, as beside a legend's box."""
    box = mark.bbox
    return any(
        0 <= w.bbox.x0 - box.x1 <= max(LEGEND_GAP, 1.5 * w.bbox.height)
        and abs(w.bbox.center[1] - box.center[1]) <= 4
        and parse_number(w.text) is None
        for w in words
    )


def rejoined(word: Word, pieces: list[Word]) -> bool:
    """Whether ``word`` is the first reading's ``pieces`` as one word ('Lem', 'ons' read
    closer as 'Lemons'): the same letters, nothing read differently."""
    if len(pieces) < 2 or any(p.angle for p in pieces) or word.angle:
        return False
    text = "".join(p.text for p in sorted(pieces, key=lambda p: p.bbox.x0))
    return text.replace(" ", "") == word.text.replace(" ", "")


def _well_inside(word: Word, band: BBox) -> bool:
    """Whether a word lies inside the band read, not cut by its edge."""
    return (
        word.bbox.x0 > band.x0 + 0.5
        and word.bbox.x1 < band.x1 - 0.5
        and word.bbox.y0 > band.y0 + 0.5
        and word.bbox.y1 < band.y1 - 0.5
    )


def _same_place(word: Word, other: Word) -> bool:
    overlap = word.bbox.intersection(other.bbox)
    return overlap is not None and overlap.area >= 0.3 * min(word.bbox.area, other.bbox.area)


def chart_labels(words: Iterable[Word]) -> list[Word]:
    """The words without the tick marks OCR read as dashes, alone or at a label's end, and
    without the legend swatch OCR read as a symbol, alone ('☑') or before a name
    ('☑ North'): a swatch's box kept as a word's would hide the swatch from the marks. A
    lone 'I' read as '1' (or turned, as '一') among one-letter labels is the letter; a
    small percent sign read with a stroke after it ('20.0%6') is the sign."""
    labels = [
        _without_swatch_symbol(without_tick_mark(_without_percent_tail(word)))
        for word in words
        if word.text.strip(TICK_DASHES) and not all(map(_symbol, word.text.replace(" ", "")))
    ]
    return _letters_in_line([w for w in labels if not _tick_above_label(w, labels)])


def _tick_above_label(word: Word, words: list[Word]) -> bool:
    """OCR reads an upright tick mark over its category label as a lone stroke ('1', 'I',
    '|'): one standing right above another word, over its middle, is the tick
    (the label would otherwise read as two lines, '1 5')."""
    box = word.bbox
    if word.angle or len(word.text) != 1 or word.text not in ONE_STROKE + "I!":
        return False
    return any(
        other is not word
        and other.bbox.x0 <= box.center[0] <= other.bbox.x1
        # A tick touches its label and is shorter than a character (a legend's entries
        # stand a gap apart), or taller than the number it stands on: a long tick over a
        # small label ('1' over '0.0%'), where a legend's '1' over '2' is as tall.
        and 0 <= other.bbox.y0 - box.y1 <= 0.2 * other.bbox.height
        and (
            box.height < 0.75 * other.bbox.height
            or (box.height >= other.bbox.height + 1 and parse_number(other.text) is not None)
        )
        for other in words
    )


# What OCR reads a lone capital 'I' as: upright, or turned on its side ('一', CJK one).
ONE_STROKE = "1l|\u4e00"
LETTER_ROW = 3  # one-letter labels on a line that make it a row of letters


def _letters_in_line(words: list[Word]) -> list[Word]:
    """A lone '1' (or 'l', '|', or a level stroke) on a line of one-letter capitals
    (categories A, B, C...) as the 'I' it is: alone, OCR reads that one stroke as a digit,
    or turned on its side as the ideograph 'one'."""
    letters = [w for w in words if len(w.text) == 1 and w.text.isupper() and not w.angle]
    out = []
    for word in words:
        if len(word.text) == 1 and word.text in ONE_STROKE and not word.angle:
            row = [w for w in letters if _same_row(w.bbox, word.bbox)]
            if len(row) >= LETTER_ROW:
                word = replace(word, text="I")
        out.append(word)
    return out


def _same_row(a: BBox, b: BBox) -> bool:
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    return overlap >= 0.5 * min(a.height, b.height)


def _without_swatch_symbol(word: Word) -> Word:
    """A word led by symbols (ballot boxes, squares, bullets: Unicode's 'other symbol')
    and a space, then a name: the symbols are a swatch, and go with their share of the
    box."""
    text = word.text
    symbols = len(text) - len(text.lstrip("".join(c for c in text if _symbol(c)) + " "))
    rest = text[symbols:]
    if not symbols or " " not in text[: symbols + 1] or not any(c.isalnum() for c in rest):
        return word
    box = word.bbox
    left = box.x0 + box.width * symbols / len(text)
    return replace(word, text=rest, bbox=BBox(left, box.y0, box.x1, box.y1))


def _symbol(char: str) -> bool:
    return unicodedata.category(char) == "So"


_PERCENT_TAIL = re.compile(r"^(.*\d\s*%)[\do]$")


def _without_percent_tail(word: Word) -> Word:
    """No number goes on after its percent sign: a glyph read there is the sign's own."""
    match = _PERCENT_TAIL.match(word.text)
    return replace(word, text=match[1]) if match else word


def without_tick_mark(word: Word) -> Word:
    """OCR reads a tick mark touching its label as a dash ('70-', 'South-'); neither a
    number nor a word in lower case ends in one, so the dash and its share of the box go
    (a grade such as 'A-' or 'BBB-' keeps its minus)."""
    text = word.text.rstrip(TICK_DASHES)
    if not text or text == word.text:
        return word
    suffix = text[-1] in "kKMB" and text[:-1][-1:].isdigit()  # '5M-'
    if not (text[-1].isdigit() or text[-1].islower() or text[-1] in "%$€£¥" or suffix):
        return word
    box = word.bbox
    right = box.x0 + box.width * len(text) / len(word.text)
    return replace(word, text=text, bbox=BBox(box.x0, box.y0, right, box.y1))


def _apart_from(boxes: list[Mark], others: list[BBox]) -> bool:
    """Whether a legend's boxes, none of them named by a word (names OCR missed, or years:
    numbers, as a value printed beside a bar is), all stand apart from the other marks,
    beyond where their axis labels lie, as a legend does and no bar of the data."""
    if len(boxes) < 2 or not others:
        return False
    core = BBox.enclosing(others)
    return all(_outside_labels(m.bbox, core) for m in boxes)
