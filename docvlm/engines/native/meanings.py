"""What a record field means, told by its name, and how a value of that meaning is found.

People name fields for what they hold (``date``, ``invoice_date``, ``total``, ``amount_due``)
and type them loosely (``str``) as often as exactly (``datetime.date``, ``float``), so a
field's meaning, not its type hint, chooses how its value is looked for: a date field finds
a date and an amount field finds an amount. The type hint only decides the form returned
(see ``records``). The meanings are the table ``MEANINGS``: name words -> value finder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from docvlm.engines.native.keyvalues import Pair, best_pair, labelled, normal_words
from docvlm.text import (
    DEFAULT_DATE_ORDER,
    DEFAULT_LANGUAGES,
    Amount,
    DateOrder,
    find_amounts,
    find_dates,
)

ROUNDING = Decimal("0.05")  # a rounded total lies this close to the exact one
ROUNDED_WORDS = ("round", "rundung", "gerundet", "arrondi", "redondeo")


@dataclass(frozen=True)
class Found:
    """A value as printed on the page and as parsed."""

    text: str
    value: dt.date | Decimal


@dataclass(frozen=True)
class Reading:
    """What a page offers the finders: its label/value pairs and its text."""

    pairs: list[Pair]
    text: str
    date_order: DateOrder = DEFAULT_DATE_ORDER
    languages: tuple[str, ...] = DEFAULT_LANGUAGES


def find_date(reading: Reading, names: list[str]) -> Found | None:
    """The date printed beside a label like the field's names; else the page's first date
    (a receipt's date often stands without a label, or beside a time)."""
    pair = best_pair(reading.pairs, names)
    for text in ([pair.value] if pair else []) + [reading.text]:
        dates = find_dates(text, reading.date_order, reading.languages)
        if dates:
            return Found(dates[0].text, dates[0].value)
    return None


def find_amount(reading: Reading, names: list[str]) -> Found | None:
    """The money amount beside the label that matches the names best: the last in its value
    (columns of quantity and unit price come before the line's amount)."""
    pair = best_pair(reading.pairs, names)
    amounts = _money(pair.value) if pair else []
    return Found(amounts[-1].text, amounts[-1].value) if amounts else None


def find_total(reading: Reading, names: list[str]) -> Found | None:
    """A total is the largest amount among the values labelled like the field (subtotals,
    amounts before tax and rounding lines are smaller or equal). Where cash is rounded, the
    rounded total stands near it, labelled as rounded or printed after it: that one."""
    amounts = [
        a for pair in labelled(reading.pairs, names) for a in _money(pair.value) if a.value > 0
    ]
    if not amounts:
        return None
    largest = max(a.value for a in amounts)
    rounded = [
        a
        for pair in reading.pairs
        if _says_rounded(pair.label)
        for a in _money(pair.value)
        if abs(largest - a.value) <= ROUNDING
    ]
    total = (rounded or [a for a in amounts if largest - a.value <= ROUNDING])[-1]
    return Found(total.text, total.value)


def _says_rounded(label: str) -> bool:
    return any(w.startswith(ROUNDED_WORDS) for w in normal_words(label).split())


def _money(text: str) -> list[Amount]:
    """The amounts in a value that are money: with cents or a currency (a count or a code
    has neither)."""
    return [a for a in find_amounts(text) if a.currency or a.has_cents]


Finder = Callable[[Reading, list[str]], "Found | None"]


@dataclass(frozen=True)
class Meaning:
    name: str
    words: re.Pattern[str]  # matched against the field's name, alias, title or description
    find: Finder
    kinds: tuple[type, ...]  # the field types, besides str, that can hold such a value
    # Labels such values are printed under, in the languages documents are commonly in,
    # besides the field's own names.
    labels: tuple[str, ...] = ()
    # Label words that name another value of the same kind ('Due date' is not the date of
    # a field called 'date'); a field whose names hold the word still takes such labels.
    others: tuple[str, ...] = ()
    narrows: str | None = None  # the meaning this one is a kind of (a total is an amount)

    def value(self, reading: Reading, names: list[str]) -> Found | None:
        told = set(" ".join(normal_words(n) for n in names).split())
        barred = [w for w in self.others if w not in told]
        pairs = [
            p
            for p in reading.pairs
            if not any(w.startswith(tuple(barred)) for w in normal_words(p.label).split())
        ]
        return self.find(replace(reading, pairs=pairs), [*names, *self.labels])


_DATE_WORDS = re.compile(r"\b(?:date|dated|issued|datum|fecha)\b")
_TOTAL_WORDS = re.compile(r"\b(?:total|grand total|sum|gesamtbetrag)\b")
_AMOUNT_WORDS = re.compile(
    r"\b(?:amount|price|balance|subtotal|cost|fee|charge|paid|due|payable|betrag|montant|importe)\b"
)
_NUMBERS = (float, int, Decimal)
_DATES = (dt.date, dt.datetime)
_DATE_LABELS = ("date", "dated", "date of issue", "issued", "datum", "fecha", "data")
_OTHER_DATES = (
    *("due", "expiry", "expires", "delivery", "valid", "until", "birth", "payment"),
    *("fällig", "fälligkeit", "liefer", "échéance", "livraison", "vencimiento", "entrega"),
)
_TOTAL_LABELS = (
    *("total", "grand total", "total amount", "amount due", "balance due", "total due"),
    *("amount payable",),
    *("net payable", "total payable", "nett total", "gesamtbetrag", "gesamtsumme", "summe"),
    *("gesamt", "endbetrag", "rechnungsbetrag", "zu zahlen", "total ttc", "montant total"),
    *("net à payer", "à payer", "importe total", "total a pagar", "importe", "totale"),
    *("importo totale", "totaal", "te betalen", "valor total"),
)

# Checked in order: 'due date' is a date, 'amount due' an amount, 'total amount' a total.
MEANINGS = (
    Meaning("date", _DATE_WORDS, find_date, _DATES, _DATE_LABELS, _OTHER_DATES),
    Meaning("total", _TOTAL_WORDS, find_total, _NUMBERS, _TOTAL_LABELS, narrows="amount"),
    Meaning("amount", _AMOUNT_WORDS, find_amount, _NUMBERS),
)
_BY_NAME = {m.name: m for m in MEANINGS}


def meaning_of(names: list[str], kind: type) -> Meaning | None:
    """The meaning the field's first telling name gives it (its own name before its alias,
    title and description: 'company' described as 'who issued the receipt' is no date),
    narrowed by a later name ('amount' described as 'total amount' is a total), if the
    field's type can hold such a value; a date-typed field with no telling name is a date."""
    told = [m for m in (_meaning_in(name) for name in names) if m is not None]
    if not told:
        return _BY_NAME["date"] if kind in _DATES else None
    meaning = next((m for m in told if m.narrows == told[0].name), told[0])
    return meaning if kind is str or kind in meaning.kinds else None


def _meaning_in(name: str) -> Meaning | None:
    words = normal_words(name)
    return next((m for m in MEANINGS if m.words.search(words)), None)
