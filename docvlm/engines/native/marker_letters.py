"""Markers that OCR read as letters: a scatter's rings and crosses read as 'O' or 'x',
alone or run into the legend names beside them ('XBudget', 'BudgetXProduct A'). Text is
drawn in gray or black (or in the tint a theme prints all its text in, see
:mod:`~docvlm.engines.native.text_ink`), a marker in its series' colour: a letter that a
marker could be read as, drawn in colour between gray letters, is the marker. And the
dashes of a dashed grid line, read as strokes ('1', 'I', '-'), gray as text is: words of
a stroke or two standing in a line across the plot are the grid line."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.backdrops import runs
from docvlm.engines.native.colours import chroma, delta_e
from docvlm.engines.native.segmentation import FOREGROUND, ink_chroma
from docvlm.engines.native.text_ink import INK_MATCH, ground_around, off_ink

COLOURED = 10.0  # chroma of ink that is a coloured mark rather than text (gray text: ~0)
# What OCR reads a marker as: rings, dots, crosses (x, the times sign), pluses, stars.
MARKER_LETTERS = "Oo0\u25cb\u25cf\u25ef\u2022xX\u00d7+*"
# What OCR reads a row of upright bars or a column of swatches as: strokes, any number.
STROKE_LETTERS = "Il|1i!"
# What OCR reads a dash of a grid line as, across or along it: strokes and dashes.
DASH_LETTERS = STROKE_LETTERS + "T\u4e00-\u2013\u2014_"


def marker_read_as_text(
    word: Word,
    lab: np.ndarray,
    backgrounds: list[np.ndarray],
    scale: float,
    ink: np.ndarray | None = None,
) -> bool:
    """A word of one or two characters, or of strokes only ('III': a legend's column of
    swatches), drawn in colour (other than the text's ``ink``) is a mark, not text."""
    if len(word.text) > 2 and not all(c in STROKE_LETTERS for c in word.text):
        return False
    box = word.bbox.pixel_bounds(scale)
    if ink_chroma(lab, backgrounds, box) <= COLOURED:
        return False
    if ink is None:
        return True
    x0, y0, x1, y1 = box
    crop = lab[max(0, y0) : y1, max(0, x0) : x1]
    drawn = np.min([delta_e(crop, bg) for bg in backgrounds], axis=0) > FOREGROUND
    return float(np.mean(off_ink(crop[drawn], ground_around(crop), ink) >= INK_MATCH)) > 0.5


def without_marker_letters(
    word: Word,
    lab: np.ndarray,
    backgrounds: list[np.ndarray],
    scale: float,
    ink: np.ndarray | None = None,
) -> list[Word]:
    """The word without the markers OCR read into it as letters: cut where a run of
    coloured columns stands on a marker letter, the letters either side gray. A word
    with no such run comes back as it is."""
    if len(word.text) < 2 or word.angle:
        return [word]
    x0, y0, x1, y1 = word.bbox.pixel_bounds(scale)
    columns = _column_ink(lab[max(0, y0) : y1, max(0, x0) : x1], backgrounds, ink)
    if columns is None:
        return [word]
    drawn, coloured, vivid = columns
    step = len(drawn) / len(word.text)  # OCR boxes words, not letters: an even share
    gray = drawn & ~coloured
    for start, stop in runs(coloured):
        letter = min(int((start + stop) / 2 / step), len(word.text) - 1)
        if word.text[letter] not in MARKER_LETTERS:
            continue
        rows = np.nonzero(vivid[:, start:stop].any(axis=1))[0]
        if rows[-1] - rows[0] + 1 < vivid.shape[0] / 3:
            continue  # a line drawn behind the word, not a marker near as tall as its letters
        if not gray[:start].any() and not gray[stop:].any():
            continue  # all of it in colour: a coloured word, not a marker beside text
        if _fill_beyond(lab, backgrounds, (x0, y0, x1, y1), start, stop, len(drawn)):
            continue  # the box reaches over a bar or an area beside the word
        edges = ((x0 + start) * scale, (x0 + stop) * scale)
        return _cut(word, letter, edges, lab, backgrounds, scale, ink)
    return [word]


def _fill_beyond(
    lab: np.ndarray,
    backgrounds: list[np.ndarray],
    box: tuple[int, int, int, int],
    start: int,
    stop: int,
    width: int,
) -> bool:
    """Whether a coloured run at the edge of a word's box goes on past it as a filled
    region, most of the box high (OCR's box of a tick label reaching over the plot's
    first bar or area); a marker stands clear inside the box, a line swatch is thin."""
    x0, y0, x1, y1 = box
    if stop >= width:
        beyond = lab[max(0, y0) : y1, x1 : x1 + 3]
    elif start <= 0:
        beyond = lab[max(0, y0) : y1, max(0, x0 - 3) : max(0, x0)]
    else:
        return False
    if not beyond.size:
        return False
    drawn = np.min([delta_e(beyond, bg) for bg in backgrounds], axis=0) > FOREGROUND
    filled = (drawn & (chroma(beyond) > COLOURED)).any(axis=1)
    return float(filled.mean()) >= 0.6


def _cut(
    word: Word,
    letter: int,
    edges: tuple[float, float],
    lab: np.ndarray,
    backgrounds: list[np.ndarray],
    scale: float,
    ink: np.ndarray | None,
) -> list[Word]:
    """The word's letters before and after the marker's, as words ending at and starting
    from the marker's edges (the rest looked at again for another marker)."""
    before, after = word.text[:letter].rstrip(), word.text[letter + 1 :].lstrip()
    box, (left, right) = word.bbox, edges
    out = []
    if before:
        out.append(replace(word, text=before, bbox=replace(box, x1=left)))
    if after:
        rest = replace(word, text=after, bbox=replace(box, x0=right))
        out.extend(without_marker_letters(rest, lab, backgrounds, scale, ink))
    return out


def _column_ink(
    crop: np.ndarray, backgrounds: list[np.ndarray], ink: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Per column of a word's box: whether anything is drawn in it, and whether what is
    drawn there is coloured (its median chroma, beyond the tint of the ground the word is
    printed on: gray text anti-aliased on a tinted ground blends to that tint; and off the
    text's tinted ``ink``); and the coloured pixels. The ground is the colour at the rim
    of the box, which a translucent legend box over a bar tints away from the chart's
    backgrounds (its tint would otherwise pass for a coloured marker among the letters)."""
    if not crop.size:
        return None
    ground = ground_around(crop)
    drawn = np.min([delta_e(crop, bg) for bg in [*backgrounds, ground]], axis=0) > FOREGROUND
    threshold = COLOURED + float(chroma(ground))
    # The text's own ink counts as no colour at all.
    vivid = np.where(off_ink(crop, ground, ink) >= INK_MATCH, chroma(crop), 0.0)
    coloured = np.zeros(crop.shape[1], bool)
    for column in np.nonzero(drawn.any(axis=0))[0]:
        coloured[column] = float(np.median(vivid[drawn[:, column], column])) > threshold
    return drawn.any(axis=0), coloured, drawn & (vivid > threshold)


def dashes_read_as_text(words: list[Word]) -> list[Word]:
    """The words that are dashes of a dashed grid line OCR read as strokes ('1', 'I',
    '-1'): words of one or two strokes or dashes, three or more standing in one column
    (an upright line's dashes) or on one row (a level one's). A tick label '1' stands in
    such a line too (under its grid line, or beside it), but in a row or a column of other
    labels across it, which a dash does not."""
    dashes = [w for w in words if len(w.text) <= 2 and all(c in DASH_LETTERS for c in w.text)]
    others = [w for w in words if w not in dashes]
    found = []
    for word in dashes:
        reach = word.bbox.height / 2
        for along, across in ((0, 1), (1, 0)):  # a column (x alike), then a row
            place, crossing = word.bbox.center[along], word.bbox.center[across]
            line = [w for w in dashes if abs(w.bbox.center[along] - place) <= reach]
            labelled = any(abs(w.bbox.center[across] - crossing) <= reach for w in others)
            if len(line) >= DASHES_IN_LINE and not labelled:
                found.append(word)
                break
    return found


DASHES_IN_LINE = 3  # dash-like words in one line that are a dashed line's dashes
