"""Numbers, money amounts and dates as documents print them: found in text and parsed.

Every reader goes through here: key-values and user records, menu prices, chart tick labels
and grounding's comparison of numbers, so that '1.234,56', '₹1,23,456.00' and '(3.00)' mean
the same thing everywhere.

Dates: regular expressions find the spans shaped like a date; numeric ones ('12.03.2024',
'2024-03-12', '2024年3月12日') are read here, in the day/month order given (``DMY``,
``MDY`` or ``YMD``), and spans with a month name ('10 MAR 2018', 'March 12, 2024',
'12. März 2024') go to dateparser, which knows month names in many languages. Only the
spans go to dateparser: it is slow on whole pages and finds dates in words that are not.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

DateOrder = Literal["DMY", "MDY", "YMD"]
DATE_ORDERS: tuple[DateOrder, ...] = ("DMY", "MDY", "YMD")
DEFAULT_DATE_ORDER: DateOrder = "DMY"  # what most of the world prints; US documents are MDY
# Languages whose month names are recognised by default; more cost a little time per date.
DEFAULT_LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "it", "nl", "pt")

CURRENCY = (
    r"(?:[$€£¥₹₩₽₺₪฿₫₱¢]|R\$|RM|Rs\.?|"
    r"(?:EUR|USD|GBP|CHF|INR|MYR|SGD|JPY|CNY|AUD|CAD|SEK|NOK|DKK|PLN)(?![A-Za-z]))"
)
# Digits grouped by thousands ('1,234', '1.234', "1'234", '1 234' before a decimal comma),
# in lakhs ('1,23,456'), or plain; then optional cents.
_NUMBER = (
    r"(?:\d{1,2}(?:,\d\d)+,\d{3}"
    r"|\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+"
    r"|\d{1,3}(?:[ ]\d{3})+(?=,\d{1,2}(?!\d))"
    r"|\d+)"
    r"(?:[.,]\d{1,2})?"
)
_AMOUNT = re.compile(
    rf"""(?<![\w.,/:\-\u2212])
    (?P<open>\()?
    (?P<sign>[-\u2212+])?
    (?:(?P<pre>{CURRENCY})[ \t]*)?
    (?P<number>{_NUMBER})
    (?!\d|[.,/:]\d|\s?%)
    (?:[ \t]*(?P<post>{CURRENCY}))?
    (?P<close>\))?""",
    re.VERBOSE,
)
# A time glued to the year ('14/03/20185:57PM', seen on receipts) still ends the date.
_YEAR_END = r"(?=\d{1,2}:\d\d|(?![\d]|[.,]\d))"
# Some receipts space the separators out ('07 / 05 / 2017'), both alike.
_NUMERIC_DATE = re.compile(
    rf"(?<![\d.,/\-])(\d{{4}}|\d{{1,2}})( ?[./\-] ?)(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_YEAR_END}"
)
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_MONTH_WORD = r"[^\W\d_]{3,10}\.?"
_WORDED_DATES = (
    # '10 MAR 2018', '12. März 2024', '12 de marzo de 2024', '12-Mar-18', '1st June 2024'
    re.compile(
        rf"(?<![\w.])\d{{1,2}}(?:st|nd|rd|th|er)?\.?[ \-/]*(?:de[ ]+)?{_MONTH_WORD}"
        rf"(?:[ ]+de)?[ ,\-/]*(?:\d{{4}}|\d{{2}}){_YEAR_END}"
    ),
    # 'March 12, 2024', 'Mar 12 2024'
    re.compile(rf"(?<!\w){_MONTH_WORD}[ ]*\d{{1,2}}(?:st|nd|rd|th)?,?[ ]*\d{{4}}{_YEAR_END}"),
)


@dataclass(frozen=True)
class Amount:
    """A money amount as printed (``text``, currency and sign included) and its value."""

    text: str
    value: Decimal
    currency: str | None
    start: int
    end: int

    @property
    def has_cents(self) -> bool:
        """Whether it is printed with two decimals, as money is (a count or a code is not)."""
        return re.search(r"\d[.,]\d\d(?!\d)", self.text) is not None


@dataclass(frozen=True)
class FoundDate:
    """A date as printed (``text``) and the calendar day it names."""

    text: str
    value: dt.date
    start: int
    end: int


def decimal_of(digits: str) -> Decimal | None:
    """The value of digits with grouping and decimal marks: the later of two different marks
    is the decimal one; one mark repeated groups thousands; a lone mark followed by exactly
    three digits groups thousands ('1.234', '1,234') unless the whole part is 0 ('0.125').
    Hand-written: price-parser reads '0.125' as 125 and '12,345.678' as 12345678."""
    digits = re.sub(r"[\s'\u00a0\u202f]", "", digits)
    marks = {c for c in digits if c in ".,"}
    if marks:
        last = max(digits.rfind("."), digits.rfind(","))
        whole, fraction = digits[:last], digits[last + 1 :]
        repeated = digits.count(digits[last]) > 1
        grouping = len(marks) == 1 and (repeated or (len(fraction) == 3 and whole.strip("0") != ""))
        if grouping:
            digits = re.sub(r"[.,]", "", digits)
        else:
            digits = re.sub(r"[.,]", "", whole) + "." + fraction
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in the text, in order: '1.234,56', '1 234,56', '₹1,23,456.00',
    '(3.00)' and '-5.00' (negative), 'RM 12.50', '$1,234', '12,50 €'. Numbers inside dates,
    times, percentages and identifiers ('INV-2024-017') are not amounts."""
    found = []
    for match in _AMOUNT.finditer(text):
        value = decimal_of(match.group("number"))
        if value is None:
            continue
        start, end = match.span()
        if match.group("open") and not match.group("close"):
            start += 1  # a bracket opened before the amount but closed elsewhere
        elif match.group("close") and not match.group("open"):
            end -= 1
        negative = match.group("sign") in ("-", "\u2212") or bool(
            match.group("open") and match.group("close")
        )
        currency = match.group("pre") or match.group("post")
        found.append(Amount(text[start:end], -value if negative else value, currency, start, end))
    return found


def sole_amount(text: str) -> Amount | None:
    """The amount when the text is one amount and nothing else (its currency aside)."""
    amounts = find_amounts(text)
    return amounts[0] if len(amounts) == 1 and amounts[0].text == text.strip() else None


def parse_amount(text: str) -> float | None:
    """The first money amount in the text as a float ('1,234.50', '1.234,50', '€ 12',
    '(3.00)', 'RM9.00'); None if there is none."""
    amounts = find_amounts(text)
    return float(amounts[0].value) if amounts else None


_TICK = re.compile(
    r"^(?P<open>\()?(?P<sign>[+\-\u2212]?)\s*(?P<before>[$€£¥₹])?\s*"
    r"(?P<digits>\d(?:[\d,.'\u00a0\u202f ]*\d)?|[.,]\d+)\s*"
    r"(?P<suffix>%|[kKMB]|bn|Mio|Mrd)?\s*(?P<after>[$€£¥₹])?(?P<close>\))?$"
)
_TICK_SCALE = {"": 1.0, "%": 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "bn": 1e9}
_TICK_SCALE.update({"Mio": 1e6, "Mrd": 1e9})
_GROUPING = re.compile(r"^\d{1,3}(?:[,.'\u00a0\u202f ]\d{3})+$")


# A power of ten: 2 times 10 with a raised 6 (a PDF's text sets the exponent as plain
# digits, only smaller: '2\u00d7106'), '2x10^6', '1E+06'.
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_POWER = re.compile(
    r"^(?P<mantissa>[+\-\u2212]?\d+(?:\.\d+)?)\s*"
    r"(?:[\u00d7xX\u00b7]\s*10\^?(?P<exponent>[+\-\u2212]?\d{1,2})|[eE](?P<e>[+\-]?\d{1,3}))$"
)


def parse_number(text: str, decimal: str = ".") -> float | None:
    """A chart tick label's value ('1,000', '-20' also with a minus sign, '0.5', '$30',
    '25,000 €', '40%', '2k', '(5)', '2x10^6' or with a raised 6, '1E+06'); None for
    anything else. Stricter than amounts: a label is one number. ``decimal`` is the
    decimal mark ('.' or ','): the other marks group thousands; an axis tries ',' when
    its labels do not fit with '.'."""
    power = _POWER.match(text.strip().translate(_SUPERSCRIPTS))
    if power:
        exponent = (power["exponent"] or power["e"]).replace("\u2212", "-")
        return float(power["mantissa"].replace("\u2212", "-")) * 10.0 ** int(exponent)
    match = _TICK.match(text.strip())
    if not match or (match["open"] is None) != (match["close"] is None):
        return None
    if match["before"] and match["after"]:
        return None
    digits = match["digits"]
    grouping = "," if decimal == "." else "."
    if digits.count(decimal) > 1:
        return None
    whole, _, fraction = digits.partition(decimal)
    if any(mark in whole for mark in (grouping, "'", "\u00a0", "\u202f", " ")) and not (
        _GROUPING.match(whole)
    ):
        return None
    if any(mark in fraction for mark in ",.' \u00a0\u202f"):
        return None
    plain = re.sub(r"[,.'\u00a0\u202f ]", "", whole) + ("." + fraction if fraction else "")
    try:
        value = float(plain or "0") * _TICK_SCALE[match["suffix"] or ""]
    except ValueError:
        return None
    negative = match["sign"] in ("-", "\u2212") or match["open"] is not None
    return -value if negative else value


_NUMBER_TOKEN = re.compile(rf"[+\-\u2212]?(?:{CURRENCY})?(?P<number>{_NUMBER})%?")


def canonical_number(text: str) -> str | None:
    """One token's number in canonical form: '1,234.50' -> '1234.5', '12,5' -> '12.5',
    '1.234' -> '1234', '-3%' -> '-3'; None for anything that is not one number."""
    text = re.sub(r"[\s\u00a0\u202f]", "", text)
    match = _NUMBER_TOKEN.fullmatch(text) or _NUMBER_TOKEN.fullmatch(text.replace("'", ""))
    if not match:
        return None
    number = decimal_of(match.group("number"))
    if number is None:
        return None
    canonical = format(number.normalize(), "f")
    negative = text.startswith(("-", "\u2212")) and canonical != "0"
    return f"-{canonical}" if negative else canonical


def find_dates(
    text: str,
    order: DateOrder = DEFAULT_DATE_ORDER,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> list[FoundDate]:
    """Every date in the text, in order of position. ``order`` settles numeric dates whose
    day and month could swap ('03/04/2024'); a reading that is no valid date in that order
    tries the other ('14/03/2018' under MDY). Two-digit years are 1970-2069."""
    found = [*_numeric_dates(text, order), *_cjk_dates(text)]
    taken = [(f.start, f.end) for f in found]
    for pattern in _WORDED_DATES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            value = _worded_date(match.group(0), order, languages)
            if value is not None:
                found.append(FoundDate(match.group(0), value, *match.span()))
                taken.append(match.span())
    return sorted(found, key=lambda f: f.start)


def parse_date(
    text: str,
    order: DateOrder = DEFAULT_DATE_ORDER,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> dt.date | None:
    """The first date in the text; None if there is none."""
    dates = find_dates(text, order, languages)
    return dates[0].value if dates else None


def _numeric_dates(text: str, order: DateOrder) -> list[FoundDate]:
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        first, _, middle, last = match.groups()
        if len(first) == 4:
            readings = [(first, middle, last)]
        elif order == "YMD":
            readings = [(first, middle, last), (last, first, middle)]
        elif order == "MDY":
            readings = [(last, first, middle), (last, middle, first)]
        else:
            readings = [(last, middle, first), (last, first, middle)]
        value = next((d for d in (_day(*r) for r in readings) if d), None)
        if value is not None:
            found.append(FoundDate(match.group(0), value, *match.span()))
    return found


def _cjk_dates(text: str) -> list[FoundDate]:
    found = []
    for match in _CJK_DATE.finditer(text):
        value = _day(*match.groups())
        if value is not None:
            found.append(FoundDate(match.group(0), value, *match.span()))
    return found


def _day(year: str, month: str, day: str) -> dt.date | None:
    full = int(year)
    if len(year) == 2:
        full += 2000 if full < 70 else 1900
    try:
        return dt.date(full, int(month), int(day))
    except ValueError:
        return None


def _worded_date(span: str, order: DateOrder, languages: tuple[str, ...]) -> dt.date | None:
    result = _date_parser(order, languages).get_date_data(span)
    value = result.date_obj if result else None
    return value.date() if isinstance(value, dt.datetime) else None


def unknown_languages(languages: tuple[str, ...]) -> str | None:
    """Why dateparser cannot read month names in these languages, or None when it can."""
    try:  # dateparser loads the languages at the first date it reads
        _date_parser(DEFAULT_DATE_ORDER, languages).get_date_data("1 January 2000")
    except ValueError as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=8)
def _date_parser(order: DateOrder, languages: tuple[str, ...]) -> Any:
    from dateparser.date import DateDataParser  # slow to import: only when a date is read

    settings = {
        "DATE_ORDER": order,
        "PREFER_LOCALE_DATE_ORDER": False,
        "STRICT_PARSING": True,  # day, month and year all printed
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    return DateDataParser(languages=list(languages), settings=settings)
