"""Words from an OCR backend's raw pieces: the characters of Chinese and Japanese text
boxed one by one joined again, a slanted text line kept whole with its angle, and the
words of a line parted where the ink leaves a space.

Hand-written: the backends return pieces and line boxes, not words as a reader needs them.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

import numpy as np


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: tuple[float, float, float, float]  # pixels of the image read
    confidence: float  # 0..1
    angle: float = 0.0  # a turned text line's writing direction, degrees anticlockwise


# A text line turned by this many degrees or more, short of upright (labels printed at 45
# degrees under an axis), is one word with its angle: its words' boxes, upright, overlap.
SLANT_MIN, SLANT_MAX = 15.0, 75.0


def slant(quad: Any) -> float:
    """The writing direction of a detected text line (its corners from the top left,
    clockwise), in degrees anticlockwise, when it is slanted; else 0."""
    (x0, y0), (x1, y1) = quad[0], quad[1]
    angle = math.degrees(math.atan2(y0 - y1, x1 - x0))
    return round(angle) if SLANT_MIN <= abs(angle) <= SLANT_MAX else 0.0


def turned_line(text: str, quad: Any, pieces: Any, angle: float) -> OcrWord:
    confidence = min(float(score) for _, score, _ in pieces)
    return OcrWord(text, enclosing(quad), confidence, angle)


def enclosing(points: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


OPENING, CLOSING = "([\uff08\u3010", ")]\uff09\u3011"


def join_characters(pieces: list[OcrWord]) -> list[OcrWord]:
    """RapidOCR boxes Chinese and Japanese text (and the digits beside it) character by
    character; characters of one script standing close together are one word again. A
    change of script (a dish name, then its price) stays a word boundary."""
    words: list[OcrWord] = []
    for piece in pieces:
        last = words[-1] if words else None
        if last is not None and _glued(last, piece):
            box = (
                min(last.box[0], piece.box[0]),
                min(last.box[1], piece.box[1]),
                max(last.box[2], piece.box[2]),
                max(last.box[3], piece.box[3]),
            )
            confidence = min(last.confidence, piece.confidence)
            words[-1] = OcrWord(last.text + piece.text, box, confidence)
        else:
            words.append(piece)
    return words


def _glued(left: OcrWord, right: OcrWord) -> bool:
    if len(right.text) != 1:
        return False  # a word RapidOCR boxed whole ('11:22' after a date) stands alone
    height = max(left.box[3] - left.box[1], right.box[3] - right.box[1], 1.0)
    gap = right.box[0] - left.box[2]
    a, b = _script(left.text[-1]), _script(right.text[0])
    if right.text[0] in CLOSING or left.text[-1] in OPENING:
        return gap <= 0.3 * height
    if left.text[-1] in CLOSING or right.text[0] in OPENING:  # '(高)80' is a name, a price
        return "wide" in (a, b) and "digit" not in (a, b) and gap <= 0.3 * height
    if "wide" in (a, b) and {a, b} <= {"wide", "bracket"}:
        return gap <= 0.6 * height
    if {a, b} <= {"digit", "bracket"}:
        return gap <= 0.3 * height
    return False


def _script(char: str) -> str:
    if char.isdigit() or char in ".,":
        return "digit"
    if char in OPENING or char in CLOSING:
        return "bracket"
    return "wide" if unicodedata.east_asian_width(char) in ("W", "F") else "other"


# Ink: a pixel this far in colour from the line's background (RGB, 0-255 each) at least,
# so that pale marks (a legend's swatch) and letters' anti-aliased edges count and a
# scan's noise does not; and never nearer than this share of the strongest contrast in it.
INK_DISTANCE = 40.0
INK_SHARE = 0.1
RULE_ROW = 0.9  # a row this much inked is a rule drawn through the line, not letters
# A blank run this share of the line's height wide (a space is a third of the type's size,
# the line's box a third taller than the type) parts words; gaps between letters are less.
SPACE_HEIGHT = 0.15
MIN_SPACE = 2  # pixels
# The rows of a line's box that letters ink: from capitals' tops to the baseline.
BAND = (0.15, 0.75)
# The recogniser's edges are off by part of a letter: an edge moved further is a wrong guess.
MAX_SHIFT = 1.5
# Words this many text heights apart read as two labels; a space is less. Only boxes read
# so far apart while their ink stands a space apart are moved: elsewhere the boxes as read
# tell the words apart as their ink does.
APART = 0.5
# A block of columns inked alike, each over SWATCH_SIDE of the line's height, SWATCH_WIDTH of
# it wide side by side, is a swatch (a letter's stem is a tenth of it wide at most).
SWATCH_SIDE, SWATCH_WIDTH = 0.2, 0.25


def parted_at_spaces(words: list[OcrWord], pixels: np.ndarray) -> list[OcrWord]:
    """The words of one detected text line, each edge between neighbours that stops short
    of its word's ink moved out to where the ink ends. RapidOCR places a word's box from
    where its recogniser saw each letter, each a line's average letter wide: a wide last
    letter ('m') ends the box early, and 'Team Alpha' then reads as two words a wide gap
    apart. A word's ink is the run of inked columns its box overlaps, letters joined
    across gaps narrower than a space; a mark between two words (a legend's next swatch)
    is neither's. Only words whose boxes stand ``APART`` while their ink stands a space
    apart are moved; edges only move into the space between (a box never shrinks), by at
    most ``MAX_SHIFT`` of the word's average letter and over no swatch; two words whose
    ink runs together keep the boxes given. ``pixels``: the image read, RGB."""
    if len(words) < 2:
        return words
    top = int(max(0, min(w.box[1] for w in words)))
    bottom = int(min(pixels.shape[0], max(w.box[3] for w in words) + 1))
    left = int(max(0, words[0].box[0]))
    right = int(min(pixels.shape[1], words[-1].box[2] + 1))
    if bottom - top < 4 or right - left < 2:
        return words
    height = bottom - top
    ink = _ink(pixels[top:bottom, left:right].astype(np.float32))
    blank = np.asarray(~ink.any(axis=0))
    runs = [
        (a + left, b + left) for a, b in _ink_runs(blank, max(MIN_SPACE, SPACE_HEIGHT * height))
    ]

    def grows_over_swatch(a: float, b: float) -> bool:  # the columns a word would gain
        return _holds_swatch(ink[:, int(a) - left : int(b) - left], height)

    out = list(words)
    for index in range(len(out) - 1):
        first, second = out[index], out[index + 1]
        ends, starts = _overlapping(runs, first), _overlapping(runs, second)
        if not ends or not starts or ends[-1] == starts[0]:
            continue
        end, start = ends[-1][1], starts[0][0]
        tall = max(first.box[3] - first.box[1], second.box[3] - second.box[1])
        if second.box[0] - first.box[2] <= APART * tall or start - end > APART * tall:
            continue  # the boxes as read already tell one name, or two labels, as the ink does
        # A word ending (or starting) in a symbol may hold a swatch read as a glyph ('☐Süd').
        if (
            first.text[-1].isalnum()
            and 0 < end - first.box[2] <= MAX_SHIFT * _letter(first)
            and not grows_over_swatch(first.box[2], end)
        ):
            out[index] = _with_x(first, x1=float(end))
        if (
            second.text[0].isalnum()
            and 0 < second.box[0] - start <= MAX_SHIFT * _letter(second)
            and not grows_over_swatch(start, second.box[0])
        ):
            out[index + 1] = _with_x(second, x0=float(start))
    return out


def _overlapping(runs: list[tuple[int, int]], word: OcrWord) -> list[tuple[int, int]]:
    return [run for run in runs if run[0] < word.box[2] and run[1] > word.box[0]]


def _letter(word: OcrWord) -> float:
    return (word.box[2] - word.box[0]) / max(len(word.text), 1)


def _ink(crop: np.ndarray) -> np.ndarray:
    """The ink of a text line's crop (RGB), in the letters' band: pixels far in colour
    from the background (the median of its edge), a swatch of another colour as much as
    text. The band leaves out an underline, a grid line or dashes under the baseline and
    marks reaching above the capitals; rows inked nearly across are a rule, no letter."""
    edge = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    height = crop.shape[0]
    band = crop[int(BAND[0] * height) : max(int(BAND[1] * height), 1)]
    distance = np.linalg.norm(band - np.median(edge, axis=0), axis=2)
    ink = distance >= max(INK_DISTANCE, INK_SHARE * float(distance.max()))
    return ink[ink.mean(axis=1) < RULE_ROW]


def _holds_swatch(ink: np.ndarray, height: int) -> bool:
    """Whether a run of ink holds a block: columns inked alike, each in one stroke over a
    fifth of the line's height, side by side for a quarter of it. A legend's swatch
    standing closer to its name than a space is one; no letter is (a stem is narrower, a
    bar lower, an 'E' in three strokes)."""
    widest = run = 0
    for column in range(ink.shape[1]):
        rows = np.flatnonzero(ink[:, column])
        tall = len(rows) >= SWATCH_SIDE * height and rows[-1] - rows[0] + 1 == len(rows)
        alike = column > 0 and np.array_equal(ink[:, column], ink[:, column - 1])
        run = run + 1 if tall and alike else (1 if tall else 0)
        widest = max(widest, run)
    return widest >= SWATCH_WIDTH * height


def _ink_runs(blank: np.ndarray, space: float) -> list[tuple[int, int]]:
    """The runs of inked columns, joined across blank runs narrower than ``space``: each
    its first column and one past its last."""
    runs: list[tuple[int, int]] = []
    for column in np.flatnonzero(~blank):
        if runs and column - runs[-1][1] < space:
            runs[-1] = (runs[-1][0], int(column) + 1)
        else:
            runs.append((int(column), int(column) + 1))
    return runs


def _with_x(word: OcrWord, x0: float | None = None, x1: float | None = None) -> OcrWord:
    left, top, right, bottom = word.box
    return replace(word, box=(left if x0 is None else x0, top, right if x1 is None else x1, bottom))
