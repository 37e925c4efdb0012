"""Words from an OCR backend's raw pieces: the characters of Chinese and Japanese text
boxed one by one joined again, and a slanted text line kept whole with its angle.

Hand-written: the backends return pieces and line boxes, not words as a reader needs them.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any


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
