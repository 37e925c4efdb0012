"""Category labels that are dates at an even step ('15 Sep 2020', '29 Sep 2020', ...), with
the few that OCR misread ('120d2020', a space lost: 'Oct2021', a year cut off at the
image's edge: 'May') printed again from the step their neighbours keep.

A label is restored only where most labels read as dates in one printed form, they fall
on one even step of days or months at their places along the axis, and the misread one
still looks like the date its place gives. A concise time axis, which prints a month's
year only at each year's first label ('Oct 2023', 'Jan 2024', 'Apr', 'Jul'), has the year
carried on to the bare months. Printed forms are English (as ``strptime``
reads them); others are left as read. Written here: dateparser reads a date, but no
library tells the step of a row of them or prints one again in the row's own form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np
from rapidfuzz import fuzz

# The printed forms tried, each a strftime format a label must print back exactly in.
FORMATS = (
    "%d %b %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%b %Y",
    "%B %Y",
    "%Y-%m",
    "%b %y",
    "%d %b",
    "%b %d",
    "%b",
    "%B",
)
MOST = 0.6  # share of the labels that must read as dates in one form
MIN_DATES = 3
LOOKS_LIKE = 50.0  # rapidfuzz ratio between a misread label and the date its place gives


def restored_dates(
    labels: tuple[str, ...], centers: tuple[float, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The labels with misread dates printed again, and with the year a concise axis
    prints only at a year's first label carried on to the months after it; and each
    (as read, as restored)."""
    read = labels
    places = _places(centers)
    labels = _with_days(_with_years(labels), places)
    if len(labels) < MIN_DATES + 1:
        return labels, _changes(read, labels)
    fmt, dates = _printed_form(labels)
    if fmt is None or places is None:
        return labels, _changes(read, labels)
    at_place = _step(dates, places, monthly=len({d.day for d in dates if d}) == 1)
    if at_place is None:
        return labels, _changes(read, labels)
    restored = list(labels)
    for i, label in enumerate(labels):
        text = at_place(places[i]).strftime(fmt)
        if text != label and fuzz.ratio(label, text) >= LOOKS_LIKE:
            restored[i] = text
    return tuple(restored), _changes(read, tuple(restored))


def with_unread_dates(
    labels: tuple[str, ...], centers: tuple[float, ...]
) -> tuple[tuple[str, ...], tuple[float, ...], tuple[str, ...]]:
    """The labels and their centres with a label added at each place within an even row
    of dates that has none (OCR passed over a short turned label: 'Jul' between 'Jun'
    and 'Aug'), printed as the date the row's step gives there; and the labels added.
    Only a few, between labels read: a row with more gaps than a third of its labels
    is left as read."""
    places = _places(centers)
    unchanged = labels, centers, ()
    if places is None or len(labels) < MIN_DATES + 1:
        return unchanged
    holes = sorted(set(range(min(places), max(places) + 1)) - set(places))
    if not holes or len(holes) > len(labels) / 3:
        return unchanged
    fmt, dates = _dates_form(labels)
    if fmt is None:
        return unchanged
    at_place = _step(dates, places, monthly=len({d.day for d in dates if d}) == 1)
    if at_place is None:
        return unchanged
    pitch, origin = _pitch(centers), min(centers)
    added = [(origin + hole * pitch, at_place(hole).strftime(fmt)) for hole in holes]
    row = sorted([*zip(centers, labels, strict=True), *added])
    return tuple(t for _, t in row), tuple(c for c, _ in row), tuple(t for _, t in added)


# A day's date, and the same printed with its day lost (OCR passes over a turned label's
# short first word: '05 Feb 2023' read as 'Feb 2023').
DAY_FORMS = (("%d %b %Y", "%b %Y"), ("%b %d, %Y", "%b %Y"), ("%d %B %Y", "%B %Y"))


def _with_days(labels: tuple[str, ...], places: list[int] | None) -> tuple[str, ...]:
    """Labels of days, some read without their day, each printed whole again: where two
    or more read whole set an even step of days from place to place (``places``: each
    label's, see :func:`_places`), and every other one reads as the month and year that
    step gives at its place. Else as they are."""
    if places is None:
        return labels
    for whole, short in DAY_FORMS:
        days = [_as_date(label, whole) for label in labels]
        months = [_as_date(label, short) for label in labels]
        if sum(d is not None for d in days) < 2 or not any(months):
            continue
        if any(d is None and m is None for d, m in zip(days, months, strict=True)):
            continue
        at_place = _step(days, places, monthly=False)
        if at_place is None:
            continue
        printed = [at_place(place) for place in places]
        if all(
            m is None or (p.year, p.month) == (m.year, m.month)
            for p, m in zip(printed, months, strict=True)
        ):
            return tuple(p.strftime(whole) for p in printed)
    return labels


def _changes(read: tuple[str, ...], labels: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in zip(read, labels, strict=True) if a != b)


# A concise time axis prints a month with its year at each year's first label, and the
# months after it bare: 'Oct 2023', 'Jan 2024', 'Apr', 'Jul', 'Oct', 'Jan 2025'.
YEAR_FORMS = (("%b %Y", "%b"), ("%B %Y", "%B"))


def _with_years(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Labels of months, some with a year and the rest bare, each with its year: the one
    printed last before it, a year on where the months turn past December (and back from
    the first year printed for the months before it). Any other labels as they are."""
    for dated, bare in YEAR_FORMS:
        printed = [_as_date(label, dated) for label in labels]
        parsed = [p or _as_date(label, bare) for p, label in zip(printed, labels, strict=True)]
        months = [d.month for d in parsed if d is not None]
        if len(months) < len(labels) or all(printed) or not any(printed):
            continue
        years = _carried_years(months, [d.year if d else None for d in printed])
        return tuple(
            date(year, month, 1).strftime(dated) for year, month in zip(years, months, strict=True)
        )
    return labels


def _carried_years(months: list[int], printed: list[int | None]) -> list[int]:
    """Each month's year, from the years printed: carried on past each printed one (a year
    on where a month comes round again), and back from the first."""
    first = next(i for i, year in enumerate(printed) if year is not None)
    years = [0] * len(months)
    year = 0
    for i in range(first, len(months)):
        known = printed[i]
        if known is not None:
            year = known
        elif months[i] <= months[i - 1]:
            year += 1
        years[i] = year
    year = years[first]
    for i in range(first - 1, -1, -1):
        if months[i] >= months[i + 1]:
            year -= 1
        years[i] = year
    return years


FINER = 0.75  # points at most this share of their date labels' pitch apart
WHOLE_PARTS = 0.15  # the labels' pitch is a whole number of the points' to within this


def dates_along(
    labels: tuple[str, ...], centers: tuple[float, ...], spacing: float
) -> Callable[[float], date] | None:
    """The date at a position along an axis whose labels all read as dates with a year in
    one printed form, at one even step from place to place ('Jan 2024', 'Apr 2024', ...),
    for points ``spacing`` apart, closer than the labels. Where the points cut each step
    in whole parts (monthly points under quarterly labels), the nearest date of that finer
    step; else the days between two labels' dates in proportion. None for any other axis,
    or points no closer than the labels."""
    if len(labels) < MIN_DATES:
        return None
    forms = {
        fmt: found
        for fmt in FORMATS
        if None not in (found := [_as_date(label, fmt) for label in labels])
    }
    # A year-less label tells no year ('Jan 05': the fifth of January, or January 2005?).
    dated = [found for fmt, found in forms.items() if "%y" in fmt.lower()]
    places = _places(centers)
    if len(dated) != len(forms) or not dated or places is None:
        return None
    pitch = _pitch(centers)
    if not 0 < spacing <= FINER * pitch:
        return None
    dates = dated[0]
    monthly = len({d.day for d in dates if d}) == 1
    at_place = _step(list(dates), places, monthly)
    if at_place is None:
        return None
    first, start = min(centers), at_place(0)
    step = _months(start, at_place(1)) if monthly else (at_place(1) - start).days
    parts = round(pitch / spacing)
    if abs(pitch / spacing - parts) > WHOLE_PARTS or step % parts:
        parts = 1

    def at(position: float) -> date:
        place = (position - first) / pitch
        if parts > 1 or place == round(place):  # a whole number of months (or days) a part
            units = round(place * parts) * (step // parts)
            return _months_on(start, units) if monthly else start + timedelta(days=units)
        whole = int(np.floor(place))
        low, high = at_place(whole), at_place(whole + 1)
        return low + timedelta(days=round((high - low).days * (place - whole)))

    return at


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _months_on(start: date, months: int) -> date:
    unit = start.year * 12 + start.month - 1 + months
    return date(unit // 12, unit % 12 + 1, start.day)


def _printed_form(labels: tuple[str, ...]) -> tuple[str | None, list[date | None]]:
    """The form most labels read as dates in, and each label's date in it (see
    :func:`_dates_form`); None where all print exactly in it (none to restore)."""
    fmt, dates = _dates_form(labels)
    if fmt is None or all(_as_date(label, fmt) for label in labels):
        return None, []
    return fmt, dates


def _dates_form(labels: tuple[str, ...]) -> tuple[str | None, list[date | None]]:
    """The form most labels read as dates in, and each label's date in it (None where it
    reads as none): printed exactly in it, or but for a space lost between a word and
    a number ('Oct2021'). None where too few read as dates."""
    best: tuple[str | None, list[date | None]] = (None, [])
    best_count = 0
    for fmt in FORMATS:
        printed = [_as_date(label, fmt) for label in labels]
        pairs = zip(printed, labels, strict=True)
        dates = [d or _as_date(_spaced(label), fmt) for d, label in pairs]
        count = sum(d is not None for d in dates)
        if count > best_count:
            best, best_count = (fmt, dates), count
    if best_count < max(MIN_DATES, MOST * len(labels)):
        return None, []
    return best


_WORD_NUMBER = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _spaced(text: str) -> str:
    """A label with a space between a word and a number next to it, one space apart."""
    return " ".join(_WORD_NUMBER.sub(" ", text).split())


def _as_date(text: str, fmt: str) -> date | None:
    try:
        parsed = datetime.strptime(text, fmt)
    except ValueError:
        return None
    return parsed.date() if parsed.strftime(fmt) == text else None


def _places(centers: tuple[float, ...]) -> list[int] | None:
    """Each label's place along the axis in steps of the pitch between neighbours, or
    None where the labels stand unevenly."""
    spots = np.asarray(centers, float)
    gaps = np.diff(np.sort(spots))
    if not len(gaps) or gaps.min() <= 0:
        return None
    steps = (spots - spots.min()) / _pitch(centers)
    if np.abs(steps - np.round(steps)).max() > 0.2:
        return None
    return [int(s) for s in np.round(steps)]


def _pitch(centers: tuple[float, ...]) -> float:
    """The step between neighbouring labels: the median gap between their centres."""
    return float(np.median(np.diff(sorted(centers))))


def _step(
    dates: list[date | None], places: list[int], monthly: bool
) -> Callable[[int], date] | None:
    """The date at each place, where the dates read keep one whole step of days (or of
    months, all on one day of the month) from place to place; else None."""
    known = [(p, d) for p, d in zip(places, dates, strict=True) if d is not None]
    (p0, d0), (p1, _) = known[0], known[-1]
    if p1 == p0:
        return None
    if monthly:
        units = [d.year * 12 + d.month - 1 for _, d in known]
    else:
        units = [d.toordinal() for _, d in known]
    span = units[-1] - units[0]
    if span % (p1 - p0):
        return None
    step = span // (p1 - p0)
    off_step = any(u != units[0] + step * (p - p0) for (p, _), u in zip(known, units, strict=True))
    if step == 0 or off_step:
        return None

    def at_place(place: int) -> date:
        units_on = step * (place - p0)
        return _months_on(d0, units_on) if monthly else d0 + timedelta(days=units_on)

    return at_place
