"""JSON Schema dialects: what each kind of server accepts as the answer's schema.

docvlm builds every answer schema with Pydantic, in full JSON Schema. Servers that compile
it into a grammar themselves (vLLM, llama.cpp, Ollama, LM Studio, SGLang) take it as it is;
hosted APIs accept only a subset, and answer 400 to anything outside it:

- OpenAI's strict mode: every object lists all its properties in ``required`` (an optional
  one becomes nullable) and carries ``additionalProperties: false``; no ``default``, no
  string lengths, no ``$ref`` with siblings, only some string formats.
- Gemini's OpenAI-compatible endpoint: a subset of the OpenAPI 3.0 schema object: no
  ``additionalProperties``, ``$schema``, ``$defs``/``$ref``, ``const`` or ``default``;
  null is ``nullable: true``.
- Anthropic's structured outputs: ``additionalProperties: false`` on every object, no
  numeric or string-length bounds.

:meth:`SchemaDialect.schema` turns any record schema into a dialect's (a keyword the dialect
lacks is not lost: it is written into the node's description, where the model still reads
it), and :meth:`SchemaDialect.answer` maps an answer back: a null the dialect forced on an
optional field that the record does not allow null in is dropped, so the field takes its
default. Validation against the record's own model still follows, as for every engine.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from docvlm.errors import SchemaError

# Keywords no dialect needs to be told about in words.
_SILENT = frozenset({"title", "$schema", "$id", "$comment", "additionalProperties"})
_STRUCTURE = frozenset(
    {"type", "properties", "required", "items", "anyOf", "enum", "description", "$ref", "$defs"}
)


@dataclass(frozen=True)
class SchemaDialect:
    """The subset of JSON Schema a server takes for the answer.

    ``keywords``: those it accepts (None: all of JSON Schema, the schema goes as it is).
    ``formats``: string formats it accepts (None: any). ``require_all``: every property
    must be required (optional ones become nullable; answers are mapped back).
    ``closed``: every object must say ``additionalProperties: false``. ``inline``: no
    ``$defs``/``$ref`` (definitions are written out where they are used). ``nullable``:
    null is written OpenAPI's way (``nullable: true``) rather than as ``anyOf`` with null.
    ``ref_siblings``: a ``$ref`` may carry other keywords (a description) beside it.
    """

    name: str
    keywords: frozenset[str] | None = None
    formats: frozenset[str] | None = None
    require_all: bool = False
    closed: bool = False
    inline: bool = False
    nullable: bool = False
    ref_siblings: bool = True

    def schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` in this dialect (a new dict; ``schema`` is left as it is)."""
        if self.keywords is None and not (self.inline or self.closed or self.require_all):
            return schema
        defs = _definitions(schema)
        root = _inline(schema, defs, ()) if self.inline else copy.deepcopy(schema)
        converted: dict[str, Any] = _Converter(self, defs).node(root)
        return converted

    def answer(self, data: Any, schema: dict[str, Any]) -> Any:
        """An answer to this dialect's schema, mapped back to the record ``schema``: the
        nulls of optional fields that do not take null are dropped (they get defaults)."""
        if not self.require_all:
            return data
        return _restore(data, schema, _definitions(schema))


FULL = SchemaDialect("json-schema")
OPENAI_STRICT = SchemaDialect(
    "openai-strict",
    keywords=_STRUCTURE
    | {
        "additionalProperties",
        "const",
        "title",
        "pattern",
        "format",
        "multipleOf",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
    },
    formats=frozenset(
        {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
    ),
    require_all=True,
    closed=True,
    ref_siblings=False,
)
GEMINI = SchemaDialect(
    "gemini",
    keywords=(_STRUCTURE - {"$ref", "$defs"})
    | {"nullable", "format", "minItems", "maxItems", "minimum", "maximum", "propertyOrdering"},
    formats=frozenset({"enum", "date-time"}),
    inline=True,
    nullable=True,
)
ANTHROPIC_STRUCTURED = SchemaDialect(
    "anthropic-structured",
    keywords=_STRUCTURE | {"additionalProperties", "const", "format", "title"},
    formats=frozenset(
        {
            "date-time",
            "time",
            "date",
            "duration",
            "email",
            "hostname",
            "uri",
            "ipv4",
            "ipv6",
            "uuid",
        }
    ),
    closed=True,
)
DIALECTS = {d.name: d for d in (FULL, OPENAI_STRICT, GEMINI, ANTHROPIC_STRUCTURED)}


class _Converter:
    def __init__(self, dialect: SchemaDialect, defs: dict[str, Any]) -> None:
        self.d = dialect
        self.defs = defs

    def node(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        d = self.d
        node = dict(node)
        if "$ref" in node and len(node) > 1 and not d.ref_siblings:
            # {"$ref": ..., "description": ...}: write the definition out, siblings first.
            node = {**_resolve(node.pop("$ref"), self.defs), **node}
        if "allOf" in node and len(node["allOf"]) == 1 and not self._takes("allOf"):
            node = {**node.pop("allOf")[0], **node}
        if "oneOf" in node and not self._takes("oneOf"):
            node["anyOf"] = node.get("anyOf", []) + node.pop("oneOf")
        if "const" in node and not self._takes("const"):
            node.setdefault("enum", [node.pop("const")])
        if d.nullable:
            node = self._nullable_keyword(node)
        notes: list[str] = []
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("properties", "$defs", "definitions"):
                out[key] = {name: self.node(sub) for name, sub in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = self.node(value)
            elif key in ("anyOf", "allOf", "prefixItems") and isinstance(value, list):
                out[key] = [self.node(sub) for sub in value]
            else:
                out[key] = value
        for key in list(out):
            if self._takes(key) and not (key == "format" and not self._format(out[key])):
                continue
            value = out.pop(key)
            if key not in _SILENT and not (key == "default" and value is None):
                notes.append(f"{key}: {json.dumps(value, separators=(',', ':'))}")
        if _is_object(node):
            self._object(node, out)
        if notes:
            text = out.get("description", "")
            out["description"] = f"{text} ({'; '.join(notes)})" if text else "; ".join(notes)
        return out

    def _object(self, original: dict[str, Any], out: dict[str, Any]) -> None:
        extra = original.get("additionalProperties")
        if self.d.closed:
            if extra not in (None, False) and not original.get("properties"):
                raise SchemaError(
                    f"a free-form object (additionalProperties: {json.dumps(extra)}) has no "
                    f"form in the {self.d.name} dialect"
                )
            out["additionalProperties"] = False
        if not self.d.require_all:
            return
        properties = out.setdefault("properties", {})
        required = set(original.get("required", ()))
        for name, sub in properties.items():
            if name not in required:
                properties[name] = self._nullable(sub)
        out["required"] = list(properties)

    def _nullable(self, node: dict[str, Any]) -> dict[str, Any]:
        if _allows_null(node, self.defs):
            return node
        if self.d.nullable:
            return {**node, "nullable": True}
        outer: dict[str, Any] = {k: node[k] for k in ("description", "title") if k in node}
        inner = {k: v for k, v in node.items() if k not in outer}
        return {"anyOf": [inner, {"type": "null"}], **outer}

    def _nullable_keyword(self, node: dict[str, Any]) -> dict[str, Any]:
        """anyOf with null, and type lists with null, as ``nullable: true``."""
        types = node.get("type")
        if isinstance(types, list) and "null" in types:
            rest = [t for t in types if t != "null"]
            node = {**node, "type": rest[0] if len(rest) == 1 else rest, "nullable": True}
        variants = node.get("anyOf")
        if isinstance(variants, list) and any(v == {"type": "null"} for v in variants):
            rest = [v for v in variants if v != {"type": "null"}]
            node = {k: v for k, v in node.items() if k != "anyOf"}
            if len(rest) == 1:
                node = {**rest[0], **node}
            else:
                node["anyOf"] = rest
            node["nullable"] = True
        return node

    def _takes(self, key: str) -> bool:
        return self.d.keywords is None or key in self.d.keywords

    def _format(self, value: Any) -> bool:
        return self.d.formats is None or value in self.d.formats


def _is_object(node: dict[str, Any]) -> bool:
    return node.get("type") == "object" or "properties" in node


def _definitions(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema.get("definitions", {}), **schema.get("$defs", {})}


def _resolve(ref: str, defs: dict[str, Any]) -> dict[str, Any]:
    name = ref.rsplit("/", 1)[-1]
    if not ref.startswith("#/") or name not in defs:
        raise SchemaError(f"the schema refers to {ref!r}, which it does not define")
    return dict(defs[name])


def _inline(node: Any, defs: dict[str, Any], stack: tuple[str, ...]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                raise SchemaError(f"the schema is recursive ({ref}) and cannot be written out")
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {
                **_inline(_resolve(ref, defs), defs, (*stack, ref)),
                **_inline(rest, defs, stack),
            }
        return {
            k: _inline(v, defs, stack) for k, v in node.items() if k not in ("$defs", "definitions")
        }
    if isinstance(node, list):
        return [_inline(item, defs, stack) for item in node]
    return node


def _allows_null(node: Any, defs: dict[str, Any], depth: int = 0) -> bool:
    if not isinstance(node, dict) or depth > 20:
        return False
    types = node.get("type")
    if types == "null" or (isinstance(types, list) and "null" in types):
        return True
    if node.get("nullable") is True or node.get("const", 0) is None:
        return True
    if None in node.get("enum", ()):
        return True
    if isinstance(node.get("$ref"), str) and node["$ref"].rsplit("/", 1)[-1] in defs:
        return _allows_null(_resolve(node["$ref"], defs), defs, depth + 1)
    return any(
        _allows_null(v, defs, depth + 1) for v in node.get("anyOf", []) + node.get("oneOf", [])
    )


def _restore(data: Any, schema: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    if not isinstance(schema, dict) or depth > 50:
        return data
    if isinstance(schema.get("$ref"), str):
        try:
            schema = {**_resolve(schema["$ref"], defs), **schema}
        except SchemaError:
            return data
    variants = [schema] + [v for k in ("anyOf", "oneOf", "allOf") for v in schema.get(k, [])]
    if isinstance(data, dict):
        shape = next((v for v in variants if isinstance(v, dict) and _props(v, defs)), None)
        if shape is None:
            return data
        properties = _props(shape, defs)
        required = set(shape.get("required", ()))
        out = {}
        for key, value in data.items():
            sub = properties.get(key)
            forced = sub is not None and key not in required and not _allows_null(sub, defs)
            if value is None and forced:  # a null the dialect forced: the field's default
                continue
            out[key] = _restore(value, sub, defs, depth + 1)
        return out
    if isinstance(data, list):
        items = next(
            (
                v["items"]
                for v in variants
                if isinstance(v, dict) and isinstance(v.get("items"), dict)
            ),
            None,
        )
        return [_restore(item, items, defs, depth + 1) for item in data]
    return data


def _props(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema.get("$ref"), str):
        try:
            schema = _resolve(schema["$ref"], defs)
        except SchemaError:
            return {}
    properties = schema.get("properties")
    return properties if isinstance(properties, dict) else {}
