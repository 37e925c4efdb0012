"""Build a Pydantic model from a JSON Schema document.

Pydantic only goes the other way (model -> JSON Schema), and code generators such as
datamodel-code-generator write source files rather than live classes, so this small
converter covers the subset that describes records: objects with typed properties,
arrays, enums, nullable and union types, and local ``$ref``s. Anything else is refused
with a SchemaError naming the construct, rather than silently loosened.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from docvlm.errors import SchemaError

_SCALARS: dict[str, Any] = {"string": str, "number": float, "integer": int, "boolean": bool}


def model_from_json_schema_file(path: str | Path) -> type[BaseModel]:
    return model_from_json_schema(read_json_schema_file(path), source=str(path))


def read_json_schema_file(path: str | Path) -> Any:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError("no such schema file", str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SchemaError(f"not a readable JSON Schema file ({exc})", str(path)) from exc


def model_from_json_schema(document: dict[str, Any], source: str | None = None) -> type[BaseModel]:
    if not isinstance(document, dict) or document.get("type") != "object":
        raise SchemaError("the top-level schema must be an object with properties", source)
    converter = _Converter(document, source)
    name = _class_name(document.get("title") or (Path(source).stem if source else "Record"))
    return converter.model(name, document)


class _Converter:
    def __init__(self, root: dict[str, Any], source: str | None) -> None:
        self.root = root
        self.source = source
        self.models: dict[str, type[BaseModel]] = {}

    def model(self, name: str, schema: dict[str, Any]) -> type[BaseModel]:
        required = set(schema.get("required", ()))
        fields: dict[str, Any] = {}
        for prop, sub in schema.get("properties", {}).items():
            annotation = self.type_of(sub, f"{name}{_class_name(prop)}")
            extra = {"description": sub.get("description"), "alias": None}
            if not _is_identifier(prop):
                extra["alias"] = prop
            if prop in required:
                fields[_field_name(prop)] = (annotation, Field(..., **_constraints(sub), **extra))
            else:
                fields[_field_name(prop)] = (
                    annotation | None,
                    Field(sub.get("default"), **_constraints(sub), **extra),
                )
        extra_mode: Literal["forbid", "ignore"] = (
            "forbid" if schema.get("additionalProperties") is False else "ignore"
        )
        model = create_model(
            name,
            __config__=ConfigDict(extra=extra_mode, populate_by_name=True),
            __doc__=schema.get("description"),
            **fields,
        )
        return model

    def type_of(self, schema: dict[str, Any], name: str) -> Any:
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        if "enum" in schema:
            return Literal[tuple(schema["enum"])]
        if "const" in schema:
            return Literal[schema["const"]]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self.type_of(s, f"{name}{i}") for i, s in enumerate(schema[key])]
                return Union[tuple(options)]  # noqa: UP007 - built at run time
        kind = schema.get("type")
        if isinstance(kind, list):
            return Union[tuple(self.type_of({**schema, "type": k}, name) for k in kind)]  # noqa: UP007
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "null":
            return type(None)
        if kind == "array":
            return list[self.type_of(schema.get("items", {}), f"{name}Item")]  # type: ignore[misc]
        if kind == "object":
            if "properties" in schema:
                return self.model(name, schema)
            return dict[str, Any]
        if kind is None and not schema:
            return Any
        raise SchemaError(f"unsupported JSON Schema construct in {name}: {schema!r}", self.source)

    def ref(self, ref: str) -> Any:
        match = re.fullmatch(r"#/(\$defs|definitions)/(.+)", ref)
        if not match:
            raise SchemaError(f"only local $refs are supported, got {ref!r}", self.source)
        key = match.group(2)
        if key not in self.models:
            target = self.root.get(match.group(1), {}).get(key)
            if target is None:
                raise SchemaError(f"$ref {ref!r} points nowhere", self.source)
            self.models[key] = self.type_of(target, _class_name(key))
        return self.models[key]


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    names = {
        "minLength": "min_length",
        "maxLength": "max_length",
        "pattern": "pattern",
        "minimum": "ge",
        "maximum": "le",
        "exclusiveMinimum": "gt",
        "exclusiveMaximum": "lt",
        "minItems": "min_length",
        "maxItems": "max_length",
        "multipleOf": "multiple_of",
    }
    return {names[k]: v for k, v in schema.items() if k in names and not isinstance(v, bool)}


def _is_identifier(name: str) -> bool:
    return name.isidentifier() and not name.startswith("_")


def _field_name(name: str) -> str:
    if _is_identifier(name):
        return name
    cleaned = re.sub(r"\W+", "_", name).strip("_") or "field"
    return cleaned if not cleaned[0].isdigit() else f"f_{cleaned}"


def _class_name(text: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"\W+|_", text) if part) or "Record"
