"""The long layout: one row per extracted value, under one fixed set of typed columns.

Every schema (a table, a chart, a menu, key-values, a user model) and an empty document
give the same columns with the same Arrow types, so the outputs of any documents
concatenate into one dataset. A value is a cell of its record's frame (see
``Result.to_pandas``): ``row`` and ``col`` are its place there, ``header`` its column
label, ``path`` its field path in the record (``rows.3.2``, ``sections.0.items.1.price``),
and the box, status and confidence are its grounding's (see ``docvlm.grounding``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from docvlm.schemas.base import Record, record_to_dataframe, value_path
from docvlm.text import canonical_number, find_dates

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from docvlm.provenance import ProvenancedRecord as ExtractedRecord


class Result(Protocol):
    """What the long layout reads of a ``docvlm.result.Result`` (a protocol: the result
    lays itself out through this module, which must not import it back)."""

    @property
    def source(self) -> str: ...
    @property
    def items(self) -> Sequence[ExtractedRecord]: ...


# The columns and their Arrow types, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "string"),
    ("page", "int64"),
    ("record", "int64"),
    ("record_type", "string"),
    ("path", "string"),
    ("row", "int64"),
    ("col", "int64"),
    ("header", "string"),
    ("text", "string"),
    ("value_num", "float64"),
    ("value_date", "date32"),
    ("bbox_x0", "float64"),
    ("bbox_y0", "float64"),
    ("bbox_x1", "float64"),
    ("bbox_y1", "float64"),
    ("status", "string"),
    ("confidence", "float64"),
    ("engine", "string"),
)
COLUMN_NAMES = [name for name, _ in COLUMNS]


def arrow_schema() -> pa.Schema:
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64()}
    types["date32"] = pa.date32()
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS])


def long_rows(results: Sequence[Result]) -> list[dict[str, Any]]:
    """The long layout's rows as plain Python values (None for a missing value)."""
    return [
        row
        for result in results
        for index, item in enumerate(result.items)
        for row in _record_rows(result.source, index, item)
    ]


def long_frame(results: Sequence[Result]) -> pd.DataFrame:
    """The long layout as a DataFrame whose columns have the fixed Arrow types."""
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pylist(long_rows(results), schema=arrow_schema())
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def _record_rows(source: str, index: int, item: ExtractedRecord) -> Iterator[dict[str, Any]]:
    record = item.record
    frame = record_to_dataframe(record)
    labels = [_label(column) for column in frame.columns]
    row_paths = _row_paths(record)
    cells = frame.to_numpy(dtype=object)
    for r, row_path in enumerate(row_paths[: len(cells)]):
        for c, label in enumerate(labels):
            path = _value_path(record, row_path, c, label)
            yield _value_row(source, index, item, path, r, c, label, cells[r, c])


def _value_row(
    source: str,
    index: int,
    item: ExtractedRecord,
    path: str,
    row: int,
    col: int,
    header: str,
    value: Any,
) -> dict[str, Any]:
    grounding = item.provenance.field(path)
    box = grounding.bbox if grounding and grounding.bbox else (None, None, None, None)
    text = _text(value)
    number = _number(value, text)
    return {
        "source": source,
        "page": grounding.page if grounding else item.provenance.page,
        "record": index,
        "record_type": item.schema_name,
        "path": path,
        "row": row,
        "col": col,
        "header": header,
        "text": text,
        "value_num": number,
        "value_date": _date(text) if number is None else None,
        "bbox_x0": box[0],
        "bbox_y0": box[1],
        "bbox_x1": box[2],
        "bbox_y1": box[3],
        "status": grounding.status if grounding else None,
        "confidence": grounding.confidence if grounding else None,
        "engine": item.provenance.engine,
    }


def _row_paths(record: Any) -> list[str]:
    return record.row_paths() if isinstance(record, Record) else [""]


def _value_path(record: Any, row_path: str, column: int, label: str) -> str:
    if isinstance(record, Record):
        return record.value_path(row_path, column, label)
    return value_path(row_path, label)  # a user model: its frame is its fields


def _label(column: Any) -> str:
    """A column label as text; a header of several rows joined with ' / '."""
    if isinstance(column, tuple):
        return " / ".join(str(part) for part in column if part)
    return str(column)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, list | dict):  # a user model's list field, kept whole
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _number(value: Any, text: str | None) -> float | None:
    """The value as a number: numbers as they are, text when it is one number and nothing
    else ('3,150', '+2.1%', '€12.50')."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) else float(value)
    canonical = canonical_number(text) if text else None
    return float(canonical) if canonical is not None else None


def _date(text: str | None) -> dt.date | None:
    """The text's date when the text is one date and nothing else."""
    if not text:
        return None
    dates = find_dates(text)
    whole = len(dates) == 1 and dates[0].text == text.strip()
    return dates[0].value if whole else None
