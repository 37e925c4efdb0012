"""Menus from a page's words: sections, items, descriptions and prices.

Columns are found as vertical bands of whitespace and read left to right; within a column a
line ending in a price is an item (dotted leaders dropped), a line that is only a price
prices the item above it, a short heading-like line (bold, larger, or capitals) with no
price opens a section, and other lines describe the item above them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from docvlm.document import Word
from docvlm.engines.native.keyvalues import lines_of
from docvlm.text import CURRENCY, parse_amount

_AMOUNT = r"\d{1,6}(?:[.,]\d{1,2})?"
# A price at the end of a line: "4.50", "€ 12,00", "12 EUR", "8-10" (a range: its low end).
_PRICE = re.compile(
    rf"(?P<pre>{CURRENCY})?\s*(?P<low>{_AMOUNT})(?:\s*[-\u2013]\s*{_AMOUNT})?\s*(?P<post>{CURRENCY})?$"
)
_LEADERS = re.compile(r"\s*(?:\.{2,}|…+|·{2,}|_{2,})\s*")
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "RM": "MYR"}
COLUMN_GAP = 24.0  # points of blank page that separate two columns


@dataclass
class _Item:
    name: str
    description: list[str] = field(default_factory=list)
    price: float | None = None
    currency: str | None = None


@dataclass
class _Section:
    name: str | None
    items: list[_Item] = field(default_factory=list)


def read_menu(words: tuple[Word, ...] | list[Word]) -> dict[str, object] | None:
    """A Menu record's data, or None when the words hold no priced items."""
    sections: list[_Section] = [_Section(None)]
    for column in columns(list(words)):
        lines = lines_of(column)
        body = _body_height(lines)
        left = min(w.bbox.x0 for w in column)
        for index, line in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else None
            for piece in _priced_pieces(line, body):
                _take_line(piece, sections, body, left, _opens_items(following, body))
    data = [s for s in sections if s.items]
    if not any(item.price is not None for s in data for item in s.items):
        return None
    return {
        "sections": [
            {
                "name": s.name,
                "items": [
                    {
                        "name": i.name,
                        "description": " ".join(i.description) or None,
                        "price": i.price,
                        "currency": i.currency,
                    }
                    for i in s.items
                ],
            }
            for s in data
        ]
    }


def columns(words: list[Word]) -> list[list[Word]]:
    """Split words into columns at vertical bands of whitespace, left to right. A few words
    across a band (a centred title) do not close it."""
    if not words:
        return []
    left = min(w.bbox.x0 for w in words)
    right = max(w.bbox.x1 for w in words)
    heights = sorted(w.bbox.height for w in words)
    # Two columns stand apart by a gap that grows with the text (a photo at 72 dpi has
    # letters a hundred points tall).
    gap = max(COLUMN_GAP, 2.0 * heights[len(heights) // 2])
    allowed = max(2, len(words) // 20)
    cuts: list[float] = []
    start = None
    x = left
    while x <= right:
        covered = sum(w.bbox.x0 <= x <= w.bbox.x1 for w in words)
        if covered <= allowed:
            start = x if start is None else start
        else:
            if start is not None and x - start >= gap:
                cuts.append((start + x) / 2)
            start = None
        x += gap / 12
    bands: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
    for word in words:
        crossing = any(word.bbox.x0 < cut < word.bbox.x1 for cut in cuts)
        index = 0 if crossing else sum(word.bbox.center[0] > cut for cut in cuts)
        bands[index].append(word)
    merged: list[list[Word]] = []
    for band in bands:
        if merged and band and _prices_only(band):
            merged[-1].extend(band)  # the right-aligned prices of the column to its left
        elif band:
            merged.append(band)
    return merged


def _priced_pieces(line: list[Word], body: float) -> list[list[Word]]:
    """A line holding several items, each name followed by its price (columns the column
    finder could not part, as on a photographed board), cut after each such price."""
    pieces: list[list[Word]] = [[]]
    for index, word in enumerate(line):
        pieces[-1].append(word)
        following = line[index + 1] if index + 1 < len(line) else None
        previous = line[index - 1] if index else None
        if following is None or previous is None or not _is_price(word.text):
            continue
        stands_apart = word.bbox.x0 - previous.bbox.x1 > 1.5 * body
        if (
            not _is_price(following.text)
            and not re.fullmatch(CURRENCY, following.text)
            and (stands_apart or _wide(previous.text) or _looks_priced(word.text))
        ):
            pieces.append([])
    return [piece for piece in pieces if piece]


def _is_price(text: str) -> bool:
    return _PRICE.fullmatch(text) is not None


def _prices_only(band: list[Word]) -> bool:
    pricey = sum(
        bool(re.fullmatch(rf"{CURRENCY}?\$?[\d.,\-\u2013]+{CURRENCY}?|{CURRENCY}", w.text))
        for w in band
    )
    return pricey >= 0.8 * len(band)


def _body_height(lines: list[list[Word]]) -> float:
    heights = sorted(w.bbox.height for line in lines for w in line)
    return heights[len(heights) // 2] if heights else 0.0


def _opens_items(line: list[Word] | None, body: float) -> bool:
    """Whether a line is a priced item with its name (what follows a section heading)."""
    if not line:
        return False
    text = " ".join(w.text for w in line)
    apart = len(line) > 1 and line[-1].bbox.x0 - line[-2].bbox.x1 > 1.5 * body
    name, price, _ = _split_price(text, apart)
    return price is not None and bool(name)


def _take_line(
    line: list[Word], sections: list[_Section], body: float, left: float, before_items: bool
) -> None:
    text = " ".join(w.text for w in line).strip()
    section = sections[-1]
    apart = len(line) > 1 and line[-1].bbox.x0 - line[-2].bbox.x1 > 1.5 * body
    name, price, currency = _split_price(text, apart)
    last = section.items[-1] if section.items else None
    if price is not None and not name:
        if last is not None and last.price is None:  # the price on the line after its item
            last.price, last.currency = price, currency
        return
    if price is not None:
        section.items.append(_Item(name, price=price, currency=currency))
        return
    if _is_heading(line, text, body) or (
        before_items and _short_title(text) and (last is None or last.price is not None)
    ):
        sections.append(_Section(text.strip(" :")))
        return
    describes = max(w.bbox.height for w in line) < 0.95 * body or line[0].bbox.x0 > left + 4
    if last is not None and describes:
        last.description.append(text)
    elif last is not None and last.price is None and not last.description:
        last.name = f"{last.name} {text}"  # an item name running over two lines
    else:
        section.items.append(_Item(text))  # priced by a line below, or not at all


def _split_price(text: str, apart: bool) -> tuple[str, float | None, str | None]:
    match = _PRICE.search(text)
    if not match:
        return text, None, None
    name = _LEADERS.sub(" ", text[: match.start()]).strip(" .:-\u2013")
    price = parse_amount(match.group("low"))
    symbol = match.group("pre") or match.group("post")
    if name and not symbol and not apart and not _looks_priced(text) and not _wide(name):
        return text, None, None  # a bare number inside a dish name ("Menu 2")
    return name, price, _SYMBOLS.get(symbol or "", symbol)


def _wide(text: str) -> bool:
    """Whether ``text`` ends in a Chinese or Japanese character, brackets aside: after one, an
    ASCII number is a price ('魯肉飯 30', '水餃(高) 80')."""
    last = text.rstrip(")]\uff09\u3011")[-1:]
    return bool(last) and unicodedata.east_asian_width(last) in ("W", "F")


def _looks_priced(text: str) -> bool:
    """A trailing number is a price when it has cents or follows leaders (or, checked by the
    caller, carries a currency, stands apart from the name or follows a wide character)."""
    return bool(re.search(r"[.,]\d{2}\s*$|\.{2,}|…", text))


def _short_title(text: str) -> bool:
    return len(text.split()) <= 3 and text[:1].isupper() and not text.endswith((",", "."))


def _is_heading(line: list[Word], text: str, body: float) -> bool:
    if len(text) > 40 or not any(c.isalpha() for c in text):
        return False
    larger = max(w.bbox.height for w in line) > 1.15 * body
    bold = all(w.bold for w in line)
    capitals = text.upper() == text and sum(c.isalpha() for c in text) >= 3
    return larger or bold or capitals
