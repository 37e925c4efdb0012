"""User records filled from a page's words.

A field with a meaning (a date, a total, an amount: see ``meanings``) gets the value of that
meaning, in the field's type: ``str`` keeps it exactly as printed ('14/03/2018', 'RM 80.90'),
``datetime.date``/``datetime`` and ``float``/``int``/``Decimal`` get it parsed. Any other
field takes the value beside the label that matches its name, alias or description,
converted to its type. A field whose value is not on the page stays empty rather than
guessed.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from docvlm.document import Word
from docvlm.engines.native.keyvalues import best_pair, find_pairs, page_text
from docvlm.engines.native.meanings import Found, Reading, meaning_of
from docvlm.text import (
    DEFAULT_DATE_ORDER,
    DEFAULT_LANGUAGES,
    DateOrder,
    find_amounts,
    find_dates,
)

SCALARS = (str, int, float, bool, Decimal, dt.date, dt.datetime)


def fill_record(
    model: type[BaseModel],
    words: tuple[Word, ...] | list[Word],
    date_order: DateOrder = DEFAULT_DATE_ORDER,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values for the model's scalar fields, and each field's status (found / not_found)."""
    reading = Reading(find_pairs(words), page_text(words), date_order, languages)
    values: dict[str, Any] = {}
    status: dict[str, str] = {}
    for name, field in model.model_fields.items():
        kind = _scalar(field.annotation)
        names = [n for n in (name, field.alias, field.title, field.description) if n]
        meaning = meaning_of(names, kind)
        if meaning is not None:
            found = meaning.value(reading, names)
            value = _as_kind(found, kind) if found else None
        else:
            pair = best_pair(reading.pairs, names)
            value = _convert(pair.value, kind, reading) if pair else None
        if value is None:
            status[name] = "not_found"
            continue
        values[field.alias or name] = value
        status[name] = "found"
    return values, status


def is_scalar(annotation: Any) -> bool:
    """Whether a field holds one plain value (optionally None), not a list or a model."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return len(args) == 1 and is_scalar(args[0])
    return annotation in SCALARS or origin is typing.Literal


def _scalar(annotation: Any) -> Any:
    """The field's type without Optional: one of SCALARS, or str."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _scalar(args[0]) if len(args) == 1 else str
    return annotation if annotation in SCALARS else str


def _as_kind(found: Found, kind: Any) -> Any:
    """A found value in the field's type: as printed for str, else parsed."""
    value = found.value
    if kind is str:
        return found.text
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()) if kind is dt.datetime else value
    if kind is int:
        return int(value) if value == int(value) else None
    return float(value) if kind is float else value


def _convert(raw: str, kind: Any, reading: Reading) -> Any:
    if kind in (int, float, Decimal):
        amounts = find_amounts(raw)
        return _as_kind(Found(amounts[0].text, amounts[0].value), kind) if amounts else None
    if kind in (dt.date, dt.datetime):
        dates = find_dates(raw, reading.date_order, reading.languages)
        return _as_kind(Found(dates[0].text, dates[0].value), kind) if dates else None
    if kind is bool:
        return raw.strip().lower() in ("yes", "true", "x", "1", "y")
    return raw.strip() or None
