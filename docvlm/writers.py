"""Writers: results to JSON, JSONL, CSV and Parquet."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from docvlm import atomic

if TYPE_CHECKING:  # pandas comes in with the first table written, not with the CLI
    from docvlm.result import Layout, Result

Format = Literal["json", "jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("json", "jsonl", "csv", "parquet")
BINARY_FORMATS = {"parquet"}


def to_json(results: list[Result]) -> str:
    """A JSON list with one object per document: records with provenance, errors, usage."""
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"


def to_jsonl(results: list[Result], layout: Layout | None = None) -> str:
    """One JSON object per record and line, each naming its source document; with
    ``layout="long"``, one per value, with the long layout's columns."""
    if layout == "long":
        from docvlm.long_layout import long_rows

        rows = long_rows(results)
        return "".join(json.dumps(row, ensure_ascii=False, default=str) + "\n" for row in rows)
    lines = [
        json.dumps({"source": r.source, **item.to_dict()}, ensure_ascii=False)
        for r in results
        for item in r.items
    ]
    return "".join(line + "\n" for line in lines)


def to_csv(results: list[Result], keys: bool | None = None, layout: Layout | None = None) -> str:
    """The records as ``Result.to_pandas`` stacks them (never merged by column label)."""
    from docvlm.result import flatten_columns, frames_to_pandas

    frame = flatten_columns(frames_to_pandas(results, keys, layout=layout))
    return frame.to_csv(index=False)


def to_parquet(
    results: list[Result], keys: bool | None = None, layout: Layout | None = None
) -> bytes:
    from docvlm.result import flatten_columns, frames_to_pandas

    frame = flatten_columns(frames_to_pandas(results, keys, layout=layout))
    frame.columns = [str(c) for c in frame.columns]
    for column in frame.columns:
        if frame[column].dtype != object:  # typed already (the long layout's columns)
            continue
        kinds = {type(v) for v in frame[column] if v is not None}
        if len(kinds) > 1:  # Arrow columns hold one type: text and numbers become text
            frame[column] = [None if v is None else str(v) for v in frame[column]]
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def render(
    results: list[Result], fmt: Format, keys: bool | None = None, layout: Layout | None = None
) -> str | bytes:
    if fmt == "json":
        return to_json(results)
    if fmt == "jsonl":
        return to_jsonl(results, layout)
    if fmt == "csv":
        return to_csv(results, keys, layout)
    if fmt == "parquet":
        return to_parquet(results, keys, layout)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def write(
    results: list[Result],
    fmt: Format,
    out: str | Path | TextIO,
    keys: bool | None = None,
    layout: Layout | None = None,
) -> None:
    """Write ``results`` in ``fmt`` to a path (atomically: see ``docvlm.atomic``) or an
    open text stream."""
    data = render(results, fmt, keys, layout)
    if isinstance(out, str | Path):
        atomic.write_file(out, data)  # a killed run leaves the old file or the new one
    elif isinstance(data, bytes):
        raise ValueError(f"{fmt} output is binary: give a file path with -o")
    else:
        out.write(data)


def guess_format(path: str | Path) -> Format | None:
    suffix = Path(path).suffix.lower().lstrip(".")
    return next((fmt for fmt in FORMATS if fmt == suffix), None)
