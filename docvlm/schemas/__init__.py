"""Built-in record schemas and the resolution of a user's ``schema=`` argument."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docvlm.errors import SchemaError
from docvlm.schemas.base import Record, record_to_dataframe
from docvlm.schemas.chart import Chart, Point, Series
from docvlm.schemas.from_json_schema import (
    model_from_json_schema,
    model_from_json_schema_file,
    read_json_schema_file,
)
from docvlm.schemas.keyvalues import KeyValue, KeyValues
from docvlm.schemas.menu import Menu, MenuItem, MenuSection
from docvlm.schemas.table import Table

BUILTIN_SCHEMAS: dict[str, type[Record]] = {
    model.schema_name: model for model in (Table, Menu, Chart, KeyValues)
}

SchemaSpec = str | Path | type[BaseModel]


def resolve_schema(spec: SchemaSpec) -> type[BaseModel]:
    """A built-in name (``"table"``), a Pydantic model class, or a JSON Schema file path."""
    if isinstance(spec, type) and issubclass(spec, BaseModel):
        return spec
    if isinstance(spec, str) and spec.lower() in BUILTIN_SCHEMAS:
        return BUILTIN_SCHEMAS[spec.lower()]
    if isinstance(spec, str | Path) and (
        Path(spec).suffix.lower() == ".json" or Path(spec).exists()
    ):
        document = read_json_schema_file(spec)
        return builtin_of(document) or model_from_json_schema(document, source=str(spec))
    raise SchemaError(
        f"unknown schema {spec!r}: use one of {', '.join(BUILTIN_SCHEMAS)}, "
        "a Pydantic model class, or the path of a JSON Schema file"
    )


def builtin_of(document: Any) -> type[Record] | None:
    """The built-in schema whose JSON Schema ``document`` is (as ``docvlm schemas
    --export`` writes it; descriptions may differ), so ``--schema schemas/table.schema.json``
    reads tables as ``--schema table`` does."""
    shape = _without_descriptions(document)
    for model in BUILTIN_SCHEMAS.values():
        if shape == _without_descriptions(json_schema(model)):
            return model
    return None


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_without_descriptions(v) for v in node]
    return node


def schema_name(model: type[BaseModel]) -> str:
    """The short name used in outputs: the built-in name, or the model's class name."""
    return getattr(model, "schema_name", "") or model.__name__


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def export_json_schemas(folder: str | Path) -> list[Path]:
    """Write ``<name>.schema.json`` for every built-in schema into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in BUILTIN_SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written


__all__ = [
    "BUILTIN_SCHEMAS",
    "Chart",
    "KeyValue",
    "KeyValues",
    "Menu",
    "MenuItem",
    "MenuSection",
    "Point",
    "Record",
    "SchemaSpec",
    "Series",
    "Table",
    "builtin_of",
    "export_json_schemas",
    "json_schema",
    "model_from_json_schema",
    "model_from_json_schema_file",
    "record_to_dataframe",
    "resolve_schema",
    "schema_name",
]
