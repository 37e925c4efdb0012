"""Results read back from the JSON or JSONL that ``docvlm extract`` writes.

JSON holds whole documents (records with provenance, errors, warnings, usage, pages), so a
result reads back equal to the one written. JSONL holds one record per line: records and
their provenance read back, grouped by source; a document's errors, warnings and usage are
not in it, nor are documents without records. The long layout (one value per line) is not
a record's form and cannot be read back.

A result read back opens its document again in ``show()`` when its source names a file
(relative to the working directory). A built-in schema's records come back as its class
(``Table``, ``Menu``, ``Chart``, ``KeyValues``); a user model's need ``schema=`` (the model,
or its JSON Schema file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from docvlm.errors import DocumentNotFoundError, ResultsFileError
from docvlm.provenance import Provenance
from docvlm.result import ExtractedRecord, PageError, PageWarning, Result
from docvlm.schemas import BUILTIN_SCHEMAS, SchemaSpec, resolve_schema


def load_results(path: str | Path, schema: SchemaSpec | None = None) -> list[Result[Any]]:
    """The results that ``docvlm extract`` wrote to ``path`` as JSON or JSONL (see the
    module's docstring); ``schema`` is the model of records that are not of a built-in
    schema."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DocumentNotFoundError("no such results file", where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ResultsFileError(f"cannot read the results file: {exc}", where) from None
    model = resolve_schema(schema) if schema is not None else None
    try:
        if text.lstrip().startswith("["):
            return [_document(d, model) for d in json.loads(text)]
        if Path(path).suffix.lower() == ".json":  # one document object
            return [_document(json.loads(text), model)]
        return _from_lines(text.splitlines(), model)
    except json.JSONDecodeError as exc:
        raise ResultsFileError(f"not JSON written by docvlm extract: {exc}", where) from None
    except (ValidationError, KeyError, TypeError, AttributeError) as exc:
        cause = str(exc).splitlines()[0]
        raise ResultsFileError(f"not results written by docvlm extract: {cause}", where) from None
    except ResultsFileError as exc:
        raise ResultsFileError(exc.message, where) from None


def _document(data: dict[str, Any], model: type[BaseModel] | None) -> Result[Any]:
    return Result(
        source=data["source"],
        origin=_file(data["source"]),
        schema_name=data["schema"],
        items=[_item(record, model) for record in data["records"]],
        errors=[PageError.model_validate(e) for e in data.get("errors", [])],
        warnings=[PageWarning.model_validate(w) for w in data.get("warnings", [])],
        pages_total=data.get("pages_total", 0),
        page_numbers=data.get("page_numbers", []),
        pages_failed=data.get("pages_failed", 0),
        usage=data.get("usage", {}),
    )


def _from_lines(lines: list[str], model: type[BaseModel] | None) -> list[Result[Any]]:
    results: dict[str, Result[Any]] = {}
    for line in filter(str.strip, lines):
        data = json.loads(line)
        if "data" not in data:
            raise ResultsFileError("the long layout (one value per line) cannot be read back")
        item = _item(data, model)
        result = results.setdefault(
            data["source"],
            Result(data["source"], item.schema_name, origin=_file(data["source"])),
        )
        result.items.append(item)
    return list(results.values())


def _file(source: str) -> Path | None:
    """The document a result was read from, for ``show()``, when its name is a file here."""
    return Path(source) if Path(source).is_file() else None


def _item(data: dict[str, Any], model: type[BaseModel] | None) -> ExtractedRecord[Any]:
    name = data["schema"]
    kind = model or BUILTIN_SCHEMAS.get(name)
    if kind is None:
        raise ResultsFileError(
            f"records of schema {name!r} are not of a built-in schema: "
            "pass schema= (the model they were extracted with)"
        )
    record = kind.model_validate(data["data"])
    return ExtractedRecord(record, Provenance.model_validate(data["provenance"]), name)
