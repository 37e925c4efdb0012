"""Label/value pairs from a page's words, and user records filled from them.

A value stands right of its label on the same line (after a colon, or after a wide gap such
as dotted leaders leave), or below a label that ends its line with a colon. Record fields
are matched to labels by their names, aliases and descriptions, and values are converted to
the field's type; a field whose label is not on the page stays empty rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

from docvlm.document import Word
from docvlm.geometry import BBox

GAP = 2.5  # a gap wider than this many character widths separates a label from its value
MATCH = 0.75  # label similarity needed to fill a field
# Digits grouped by thousands (with , . ' or a space) or plain, then optional cents.
_MONEY = re.compile(r"[-+]?\(?[$€£¥]?\s*(?:\d{1,3}(?:[,.' ]\d{3})+|\d+)(?:[.,]\d{1,2})?\)?")
_DATE_PATTERNS = [
    # A time glued to the year ("14/03/20185:57PM") still ends the date.
    (
        re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?=\b|\d{1,2}:\d\d)"),
        ("d", "m", "y"),
    ),
    (re.compile(r"\b(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(r"\b(\d{1,2})\s*([A-Za-z]{3,9})\.?,?\s*(\d{4}|\d{2})\b"), ("d", "mon", "y")),
]
_CURRENCY = r"(?:RM|[$€£¥]|EUR|USD|GBP)"
_MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


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
        if pair is None and _text(line).rstrip().endswith(":") and index + 1 < len(lines):
            below = lines[index + 1]
            pair = Pair(_text(line).rstrip(" :"), _text(below), _box(line + below))
        if pair is not None and pair.label and pair.value:
            pairs.append(pair)
    return pairs


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
            if any(c.isalpha() for c in label):
                return Pair(label, value, _box(line))
            return None
    return _amount_pair(text, line)


def _amount_pair(text: str, line: list[Word]) -> Pair | None:
    """A label and an amount with cents at either end of the line, with no gap between
    them (``Total RM 9.00``, or ``RM 38.80 TOTAL`` where the amount is printed first)."""
    end = re.search(rf"\s((?:{_CURRENCY}\s*)?\d[\d,.]*[.,]\d{{2}})$", text)
    if end and any(c.isalpha() for c in text[: end.start()]):
        return Pair(text[: end.start()].strip(" .:"), end.group(1), _box(line))
    start = re.match(rf"((?:{_CURRENCY}\s*)?\d[\d,.]*[.,]\d{{2}})\s", text)
    if start and any(c.isalpha() for c in text[start.end() :]):
        return Pair(text[start.end() :].strip(" .:"), start.group(1), _box(line))
    return None


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def _box(words: list[Word]) -> BBox:
    return BBox.enclosing(w.bbox for w in words)


def fill_record(
    model: type[BaseModel], words: tuple[Word, ...] | list[Word]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values for the model's scalar fields, and each field's status (found / not_found)."""
    pairs = find_pairs(words)
    text = " \n".join(_text(line) for line in lines_of(words))
    values: dict[str, Any] = {}
    status: dict[str, str] = {}
    for name, field in model.model_fields.items():
        kind = _scalar(field.annotation)
        names = [n for n in (name, field.alias, field.title, field.description) if n]
        value: Any
        if kind in (int, float) and any("total" in _normal(n).split() for n in names):
            value = _grand_total(pairs, names)
        else:
            pair = _best_pair(pairs, names)
            value = _convert(pair.value, kind) if pair else None
        if value is None and kind is dt.date:
            value = parse_date(text)  # a date is recognisable without its label
        if value is None:
            status[name] = "not_found"
            continue
        values[field.alias or name] = value
        status[name] = "found"
    return values, status


def _grand_total(pairs: list[Pair], names: list[str]) -> float | None:
    """A total is the largest money amount among the values labelled like the field
    (subtotals, amounts before tax and rounding lines are smaller or equal)."""
    wanted = [_normal(n) for n in names]
    amounts = []
    for pair in pairs:
        if max(_similarity(_normal(pair.label), w) for w in wanted) < MATCH:
            continue
        if re.search(r"\d[.,]\d{2}\b", pair.value):  # money has cents
            amount = parse_amount(pair.value)
            if amount is not None and amount > 0:
                amounts.append(amount)
    if not amounts:
        return None
    # Of the largest and the amounts a rounding away from it, the last printed: a rounded
    # total follows the exact one.
    largest = max(amounts)
    return [a for a in amounts if largest - a <= 0.05][-1]


def _best_pair(pairs: list[Pair], names: list[str]) -> Pair | None:
    wanted = [_normal(n) for n in names]
    best, best_score = None, MATCH
    for pair in pairs:
        label = _normal(pair.label)
        score = max(_similarity(label, w) for w in wanted)
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
    return SequenceMatcher(None, label, wanted).ratio()


def _normal(text: str) -> str:
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
    return " ".join(re.sub(r"[^\w ]", " ", text.lower()).split())


SCALARS = (str, int, float, bool, dt.date, dt.datetime)


def is_scalar(annotation: Any) -> bool:
    """Whether a field holds one plain value (optionally None), not a list or a model."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(args) == 1 and is_scalar(args[0])
    return annotation in SCALARS or origin is typing.Literal


def _scalar(annotation: Any) -> Any:
    """The field's type without Optional: str, int, float, bool, date, datetime, or str."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _scalar(args[0]) if len(args) == 1 else str
    return annotation if annotation in (int, float, bool, dt.date, dt.datetime) else str


def _convert(raw: str, kind: Any) -> Any:
    if kind in (int, float):
        number = parse_amount(raw)
        if number is None:
            return None
        return int(number) if kind is int and number == int(number) else number
    if kind in (dt.date, dt.datetime):
        return parse_date(raw)
    if kind is bool:
        return raw.strip().lower() in ("yes", "true", "x", "1", "y")
    return raw.strip() or None


def parse_amount(text: str) -> float | None:
    """A money amount: '1,234.50', '1.234,50', '€ 12', '(3.00)', 'RM9.00'; None if none."""
    match = _MONEY.search(text.replace("RM", " "))
    if not match:
        return None
    raw = match.group(0).strip()
    negative = raw.startswith(("-", "(")) and (raw.endswith(")") or raw.startswith("-"))
    digits = re.sub(r"[^\d.,]", "", raw)
    if not digits:
        return None
    if "," in digits and "." in digits:  # the later mark is the decimal separator
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        head, _, tail = digits.rpartition(",")
        digits = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else digits.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    return -value if negative else value


def parse_date(text: str) -> dt.date | None:
    """The first plausible date in the text (day first for ambiguous numeric dates)."""
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            try:
                month = _MONTHS.get(parts["mon"][:3].lower()) if "mon" in parts else int(parts["m"])
                year = int(parts["y"])
                year += 2000 if year < 100 else 0
                if month:
                    return dt.date(year, month, int(parts["d"]))
            except ValueError:
                continue
    return None
