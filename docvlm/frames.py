"""Typed DataFrames: the printed text of records turned into numbers, dates and ordered
categories, so a frame can be summed, sorted and plotted as it comes.

Numbers are read by the project's one number parser (:func:`docvlm.text.parse_number`:
thousands separators, decimal commas, currency signs, percent, parentheses for negatives),
dates by :func:`docvlm.text.find_dates`. A table column becomes numeric when every
non-empty cell is a number, a datetime column when every non-empty cell is a date; one
cell of other text keeps the whole column as printed, and so does a code with leading
zeros ('007'). Empty cells become missing values. A numeric date whose day and month
could swap ('03/04/2024') is read day first, as :data:`docvlm.text.DEFAULT_DATE_ORDER`
says; ``types=False`` keeps the printed text when that is wrong for a document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from docvlm.text import find_dates, parse_number

if TYPE_CHECKING:  # pandas is imported when a frame is made
    import pandas as pd

DECIMAL_MARKS = (".", ",")


class Chart(Protocol):
    """What the chart frames read of a ``docvlm.schemas.Chart`` (a protocol: the schemas
    type their frames through this module, which must not import them back)."""

    @property
    def title(self) -> str | None: ...
    @property
    def x_label(self) -> str | None: ...
    @property
    def series(self) -> Sequence[Any]: ...  # each with a ``name`` and ``points`` (x, y)


_LEADING_ZERO = re.compile(r"^[+\-\u2212(]?0\d")  # '007', '0123': a code, not a number
_DIGIT = re.compile(r"\d")


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def numbers_of(texts: Sequence[str]) -> list[float] | None:
    """The values of ``texts`` when every one is a number, read with one decimal mark for
    all ('.' first, then ','); None when some text is not a number."""
    if any(_LEADING_ZERO.match(text.strip()) for text in texts):
        return None
    for decimal in DECIMAL_MARKS:
        values = [parse_number(text, decimal) for text in texts]
        if all(value is not None for value in values):
            return [value for value in values if value is not None]
    return None


def date_of(text: str) -> Any:
    """The date ``text`` is, as a pandas Timestamp, when it is one date and nothing else."""
    import pandas as pd

    if not _DIGIT.search(text):
        return None
    dates = find_dates(text)
    if len(dates) != 1 or dates[0].text != text.strip():
        return None
    return pd.Timestamp(dates[0].value)


def _all_dates(texts: Sequence[str]) -> list[Any] | None:
    """The dates ``texts`` are, or None at the first that is not one."""
    dates = []
    for text in texts:
        date = date_of(text)
        if date is None:
            return None
        dates.append(date)
    return dates


def typed_column(values: Sequence[Any]) -> pd.Series | None:
    """``values`` (the printed cells of one column) as numbers or dates, or None when the
    column stays text: a cell that is neither, or a column without any value."""
    import pandas as pd

    if not all(_is_empty(v) or isinstance(v, str) for v in values):
        return None
    texts = [v for v in values if not _is_empty(v)]
    if not texts:
        return None
    numbers = numbers_of(texts)
    if numbers is not None:
        filled = iter(numbers)
        column = [math.nan if _is_empty(v) else next(filled) for v in values]
        if len(texts) == len(values) and all(n.is_integer() and abs(n) < 2**53 for n in numbers):
            return pd.Series(column, dtype="int64")
        return pd.Series(column, dtype="float64")
    dates = _all_dates(texts)
    if dates is not None:
        filled = iter(dates)
        return pd.Series(
            [pd.NaT if _is_empty(v) else next(filled) for v in values], dtype="datetime64[ns]"
        )
    return None


def typed_value(value: Any) -> Any:
    """One printed value as a number or a date when it is one (a key-value's value, whose
    neighbours in its column are other fields); other values as they are."""
    if not isinstance(value, str) or _is_empty(value):
        return value
    numbers = numbers_of([value])
    if numbers is not None:
        return numbers[0]
    date = date_of(value)
    return value if date is None else date


def type_columns(frame: pd.DataFrame, skip: Sequence[str] = ()) -> pd.DataFrame:
    """``frame`` with each column of printed text (but those named in ``skip``) converted
    by :func:`typed_column`."""
    frame = frame.copy()
    for position, label in enumerate(frame.columns):
        if str(label) in skip:
            continue
        column = typed_column(frame.iloc[:, position].tolist())
        if column is not None:
            frame.isetitem(position, column.to_numpy())
    return frame


def series_names(chart: Chart) -> list[str]:
    """Each series' name: its legend entry; a single unnamed series takes the chart's title
    (or 'value'), several unnamed ones 'series 1', 'series 2', … by position."""
    if len(chart.series) == 1 and chart.series[0].name is None:
        return [chart.title or "value"]
    return [s.name if s.name is not None else f"series {i + 1}" for i, s in enumerate(chart.series)]


def drawn_order(values: Sequence[Any]) -> list[Any]:
    """The distinct values in the order they first appear."""
    return list(dict.fromkeys(values))


def chart_x(xs: Sequence[float | str]) -> pd.Series:
    """A chart's x values: numbers stay numbers, dates become datetimes, categories an
    ordered categorical in the order they are drawn."""
    import pandas as pd

    if all(isinstance(x, int | float) for x in xs):
        return pd.Series(xs, dtype="float64")
    texts = [str(x) for x in xs]
    dates = _all_dates(texts) if texts else None
    if dates is not None:
        return pd.Series(dates, dtype="datetime64[ns]")
    return pd.Series(pd.Categorical(texts, categories=drawn_order(texts), ordered=True))


def chart_long(chart: Chart) -> pd.DataFrame:
    """A chart's typed long frame: one row per point, ``series`` (named, an ordered
    categorical in legend order), ``x`` (see :func:`chart_x`) and ``y`` (float)."""
    import pandas as pd

    names = series_names(chart)
    pairs = [
        (name, point.x, point.y)
        for name, series in zip(names, chart.series, strict=True)
        for point in series.points
    ]
    series = pd.Categorical([p[0] for p in pairs], categories=drawn_order(names), ordered=True)
    return pd.DataFrame(
        {
            "series": series,
            "x": chart_x([p[1] for p in pairs]),
            "y": pd.Series([p[2] for p in pairs], dtype="float64"),
        }
    )


def chart_wide(chart: Chart, types: bool = True) -> pd.DataFrame:
    """A chart's wide frame: one row per x (in the order drawn), one column per series (in
    legend order), the values ``y``; a point a series lacks is missing. ``types=False``
    keeps each x as printed."""
    import pandas as pd

    long = chart_long(chart)
    if not types:
        long["x"] = [p.x for s in chart.series for p in s.points]
    x = long["x"]
    if isinstance(x.dtype, pd.CategoricalDtype):
        index = pd.CategoricalIndex(x.cat.categories, ordered=True, name="x")
    else:
        index = pd.Index(drawn_order(x.tolist()), name="x")
    columns = {}
    for name in long["series"].cat.categories:
        points = long[long["series"] == name]
        values = pd.Series(points["y"].to_numpy(), index=points["x"].tolist())
        columns[name] = values[~values.index.duplicated()].reindex(index.tolist()).to_numpy()
    frame = pd.DataFrame(columns, index=index)
    frame.columns.name = "series"
    if chart.x_label:
        frame.index.name = chart.x_label
    return frame
