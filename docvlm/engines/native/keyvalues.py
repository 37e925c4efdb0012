"""Label/value pairs from a page's words, and the matching of labels to field names.

A value stands right of its label on the same line (after a colon, or after a wide gap such
as dotted leaders leave), or below a label that ends its line with a colon. A label matches
a field name when they are equal after case and separators are set aside, when it holds
all the name's words, or when they are close in spelling.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from docvlm.document import Word
from docvlm.geometry import BBox
from docvlm.text import CURRENCY, find_amounts, find_dates, sole_amount

GAP = 2.5  # a gap wider than this many character widths separates a label from its value
MATCH = 0.75  # label similarity needed to fill a field
_CURRENCY_WORD = re.compile(CURRENCY, re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    label: str
    value: str
    bbox: BBox


def lines_of(words: tuple[Word, ...] | list[Word]) -> list[list[Word]]:
    """Words grouped into visual lines, top to bottom, each left to right."""
    ordered = sorted(words, key=lambda w: (w.bbox.center[1], w.bbox.x0))
    lines: list[list[Word]] = []
    for word in ordered:
        if lines and abs(_middle(lines[-1]) - word.bbox.center[1]) <= 0.5 * word.bbox.height:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.bbox.x0) for line in lines]


def _middle(line: list[Word]) -> float:
    return sum(w.bbox.center[1] for w in line) / len(line)


def find_pairs(words: tuple[Word, ...] | list[Word]) -> list[Pair]:
    lines = lines_of(words)
    pairs = []
    for index, line in enumerate(lines):
        pair = _pair_on_line(line)
        below = lines[index + 1] if index + 1 < len(lines) else None
        if pair is None and below and _labels_line_below(_text(line), _text(below)):
            pair = Pair(_text(line).rstrip(" :"), _text(below), _box(line + below))
        if pair is not None and pair.label and pair.value:
            pairs.append(pair)
    return pairs


def _labels_line_below(text: str, below: str) -> bool:
    """Whether a line is the label of the line below it: it ends with a colon, or it is a
    few words without digits over an amount or a date alone (so a name over an address is
    no pair)."""
    if text.rstrip().endswith(":"):
        return True
    if len(text.split()) > 5 or any(c.isdigit() for c in text) or not text.strip():
        return False
    dates = find_dates(below)
    return sole_amount(below) is not None or (len(dates) == 1 and dates[0].text == below.strip())


def _pair_on_line(line: list[Word]) -> Pair | None:
    text = _text(line)
    if ":" in text:
        label, _, value = text.partition(":")
        if label.strip() and value.strip() and len(label) <= 60 and any(c.isalpha() for c in label):
            return Pair(label.strip(), value.strip(" .:"), _box(line))
    widths = [w.bbox.width / max(1, len(w.text)) for w in line]
    char = sorted(widths)[len(widths) // 2] if widths else 0
    for i in range(len(line) - 1, 0, -1):
        if line[i].bbox.x0 - line[i - 1].bbox.x1 > GAP * char:
            label, value = _text(line[:i]).strip(" .:"), _text(line[i:]).strip()
            if not any(c.isalpha() for c in label):
                return None
            if sole_amount(label) and any(c.isalpha() for c in value) and not _money(value):
                return Pair(value.strip(" .:"), label, _box(line))  # the amount printed first
            return Pair(label, value, _box(line))
    return _amount_pair(text, line)


def _amount_pair(text: str, line: list[Word]) -> Pair | None:
    """A label and an amount with cents at either end of the line, with no gap between
    them (``Total RM 9.00``, or ``RM 38.80 TOTAL`` where the amount is printed first)."""
    end = re.search(rf"\s((?:{CURRENCY}\s*)?\d[\d,.]*[.,]\d{{2}})$", text)
    if end and any(c.isalpha() for c in text[: end.start()]):
        return Pair(text[: end.start()].strip(" .:"), end.group(1), _box(line))
    start = re.match(rf"((?:{CURRENCY}\s*)?\d[\d,.]*[.,]\d{{2}})\s", text)
    if start and any(c.isalpha() for c in text[start.end() :]):
        return Pair(text[start.end() :].strip(" .:"), start.group(1), _box(line))
    return None


def _money(text: str) -> bool:
    """Whether the text holds an amount with cents."""
    return any(a.has_cents for a in find_amounts(text))


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _box(words: list[Word]) -> BBox:
    return BBox.enclosing(w.bbox for w in words)


def page_text(words: tuple[Word, ...] | list[Word]) -> str:
    """The page's words as text, one visual line per text line."""
    return "\n".join(_text(line) for line in lines_of(words))


def label_score(label: str, names: list[str]) -> float:
    """How well a label matches the best of a field's names (name, alias, description). A
    currency in the label ('Total RM', 'Amount (EUR)') is no part of its wording."""
    normal = " ".join(w for w in normal_words(label).split() if not _CURRENCY_WORD.fullmatch(w))
    return max((_similarity(normal, normal_words(n)) for n in names), default=0.0)


def labelled(pairs: list[Pair], names: list[str]) -> list[Pair]:
    """The pairs whose labels match the names, in page order."""
    return [pair for pair in pairs if label_score(pair.label, names) >= MATCH]


def best_pair(pairs: list[Pair], names: list[str]) -> Pair | None:
    """The pair whose label matches the names best (the later one on a tie)."""
    best, best_score = None, MATCH
    for pair in pairs:
        score = label_score(pair.label, names)
        if score > best_score or (score == best_score and best is not None):
            best, best_score = pair, score
    return best


def _similarity(label: str, wanted: str) -> float:
    if not label or not wanted:
        return 0.0
    if label == wanted:
        return 1.0
    label_words, wanted_words = set(label.split()), set(wanted.split())
    if wanted_words and wanted_words <= label_words:
        return 0.8 + 0.2 * len(wanted_words) / len(label_words)
    return fuzz.ratio(label, wanted) / 100


@functools.lru_cache(maxsize=4096)  # field names and labels recur on every page
def normal_words(text: str) -> str:
    """Lower-case words: 'invoiceDate', 'invoice_date' and 'Invoice date:' all give
    'invoice date'."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
    return " ".join(re.sub(r"[^\w ]", " ", text.lower()).split())
