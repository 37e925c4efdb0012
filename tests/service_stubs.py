"""Stubs of model services on 127.0.0.1 that hold requests to each service's documented rules
and answer in its documented shapes, errors included.

- OpenAI (chat completions, structured outputs): a ``strict`` schema must list every
  property in ``required`` and say ``additionalProperties: false`` on every object, and may
  not use ``default``, string lengths, ``$ref`` beside other keywords or the composition
  keywords; reasoning models (gpt-5, o-series) refuse ``max_tokens`` and a temperature
  other than 1. Errors: ``{"error": {"message", "type", "param", "code"}}``.
- Gemini's OpenAI-compatible endpoint: ``response_format`` schemas are read into the
  OpenAPI-subset ``Schema`` message; an unknown field (``additionalProperties``,
  ``$schema``, ``$ref``, ``default``, ``const``, ...) or a list of types is an
  INVALID_ARGUMENT naming ``generation_config.response_schema``, in a list-wrapped body.
- Anthropic's Messages API: ``x-api-key`` and ``anthropic-version`` headers, ``model``,
  ``max_tokens`` and ``messages`` required, no fields beyond the documented ones, base64
  image blocks, tools named ``^[a-zA-Z0-9_-]{1,64}$`` with an object ``input_schema``,
  ``tool_choice`` naming one of them, structured outputs (``output_config.format``) with
  closed objects and without numeric, string-length or item-count bounds.

Answers are made from the schema the request sent (nulls wherever it allows them), so what
docvlm does with a service's answer shape is tested too.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple  # (status, payload) or (status, payload, headers)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ServiceStub:
    """A local HTTP server answering each POST with ``rules(request)``."""

    rules: Callable[[Request], Reply]
    requests: list[Request] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)

    def __post_init__(self) -> None:
        stub = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                request = Request(
                    self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw)
                )
                reply = stub.rules(request)
                with lock:
                    stub.requests.append(request)
                    stub.replies.append(reply)
                status, payload, *rest = reply
                data = json.dumps(payload).encode()
                self.send_response(status)
                for key, value in (rest[0] if rest else {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests]

    @property
    def statuses(self) -> list[int]:
        return [reply[0] for reply in self.replies]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- answers ------------------------------------------------------------------------------


def example(schema: Any, root: dict[str, Any] | None = None) -> Any:
    """An instance of ``schema``: every property present, null wherever null is allowed
    (except lists, which get one item), the smallest allowed numbers, two-letter strings."""
    root = root if root is not None else schema
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return example({**root.get("$defs", {})[name]}, root)
    nullable = schema.get("nullable") is True
    variants = schema.get("anyOf")
    if variants:
        real = [v for v in variants if v.get("type") != "null"]
        if (nullable or len(real) < len(variants)) and not _is_array(real[0], root):
            return None
        return example(real[0], root)
    kind = schema.get("type")
    if isinstance(kind, list):
        if "null" in kind and "array" not in kind:
            return None
        kind = next(k for k in kind if k != "null")
    if nullable and kind != "array":
        return None
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    if kind == "object" or "properties" in schema:
        return {k: example(v, root) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema.get("items", {}), root)] * max(1, schema.get("minItems", 1))
    if kind == "string":
        return "ab"
    if kind in ("integer", "number"):
        low = schema.get("minimum", 1)
        return max(low, 1) if kind == "integer" else float(max(low, 1.5))
    if kind == "boolean":
        return True
    return None


def _is_array(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    if "$ref" in schema:
        return _is_array(root.get("$defs", {})[schema["$ref"].rsplit("/", 1)[-1]], root)
    return schema.get("type") == "array"


def walk(schema: Any, context: tuple = ()):
    """Every schema node with where it is, as (context, node)."""
    if not isinstance(schema, dict):
        return
    yield context, schema
    for key in ("properties", "$defs", "definitions"):
        for name, sub in (schema.get(key) or {}).items():
            yield from walk(sub, (*context, key, name))
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            yield from walk(schema[key], (*context, key))
    for key in ("anyOf", "allOf", "oneOf", "prefixItems"):
        for index, sub in enumerate(schema.get(key) or []):
            yield from walk(sub, (*context, key, str(index)))


# --- OpenAI -------------------------------------------------------------------------------

STRICT_UNSUPPORTED = {
    "default",
    "minLength",
    "maxLength",
    "patternProperties",
    "unevaluatedProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "uniqueItems",
    "allOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentRequired",
    "dependentSchemas",
    "prefixItems",
}
STRICT_FORMATS = {
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
}


def openai_error(
    message: str, param: str | None, code: str | None, kind: str = "invalid_request_error"
) -> Reply:
    return 400, {"error": {"message": message, "type": kind, "param": param, "code": code}}


def strict_problem(schema: dict[str, Any]) -> str | None:
    """What OpenAI's strict mode refuses in ``schema``, in its words (None: it is taken)."""
    if schema.get("type") != "object" or "anyOf" in schema:
        return (
            "In context=(), schema must be a JSON Schema of 'type: \"object\"', got 'type: None'."
        )
    for context, node in walk(schema):
        if "$ref" in node and len(node) > 1:
            others = sorted(set(node) - {"$ref"})
            return f"In context={context}, $ref cannot have keywords {others}."
        for key in node:
            if key in STRICT_UNSUPPORTED:
                return f"In context={context}, '{key}' is not permitted."
        if "format" in node and node["format"] not in STRICT_FORMATS:
            return f"In context={context}, 'format' of '{node['format']}' is not permitted."
        if node.get("type") == "object" or "properties" in node:
            if node.get("additionalProperties") is not False:
                return (
                    f"In context={context}, 'additionalProperties' is required to be supplied "
                    "and to be false."
                )
            missing = [k for k in node.get("properties", {}) if k not in node.get("required", [])]
            if missing:
                return (
                    f"In context={context}, 'required' is required to be supplied and to be an "
                    f"array including every key in properties. Missing '{missing[0]}'."
                )
    return None


def openai_rules(reasoning: bool = False) -> Callable[[Request], Reply]:
    """api.openai.com's chat completions; ``reasoning``: a gpt-5 / o-series model."""

    def rules(request: Request) -> Reply:
        body = request.body
        if not request.path.endswith("/chat/completions"):
            return 404, {"error": {"message": "Not found", "type": "invalid_request_error"}}
        if reasoning and "max_tokens" in body:
            return openai_error(
                "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                "'max_completion_tokens' instead.",
                "max_tokens",
                "unsupported_parameter",
            )
        if reasoning and body.get("temperature", 1) != 1:
            return openai_error(
                f"Unsupported value: 'temperature' does not support {body['temperature']} with "
                "this model. Only the default (1) value is supported.",
                "temperature",
                "unsupported_value",
            )
        schema = None
        response_format = body.get("response_format")
        if response_format:
            spec = response_format["json_schema"]
            schema = spec["schema"]
            if spec.get("strict"):
                problem = strict_problem(schema)
                if problem:
                    return openai_error(
                        f"Invalid schema for response_format '{spec['name']}': {problem}",
                        "response_format",
                        None,
                    )
        limit = body.get("max_completion_tokens") or body.get("max_tokens") or 10**6
        content = json.dumps(example(schema) if schema else {"records": []})
        finish = "length" if limit < 5 else "stop"
        return 200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                }
            ],
            "usage": {"prompt_tokens": 900, "completion_tokens": 40, "total_tokens": 940},
        }

    return rules


# --- Gemini (OpenAI-compatible endpoint) --------------------------------------------------

GEMINI_FIELDS = {
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "enum",
    "maxItems",
    "minItems",
    "properties",
    "required",
    "minProperties",
    "maxProperties",
    "minLength",
    "maxLength",
    "pattern",
    "example",
    "anyOf",
    "propertyOrdering",
    "items",
    "minimum",
    "maximum",
}


def gemini_error(message: str) -> Reply:
    return 400, [{"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}]


def gemini_problem(schema: dict[str, Any]) -> str | None:
    for context, node in walk(schema):
        where = "generation_config.response_schema" + "".join(
            f".{part}" if not part.isdigit() else f"[{part}]" for part in context
        )
        for key, value in node.items():
            if key not in GEMINI_FIELDS:
                return (
                    f"Invalid JSON payload received. Unknown name \"{key}\" at '{where}': "
                    "Cannot find field."
                )
            if key == "type" and not isinstance(value, str):
                return (
                    f"Invalid JSON payload received. Proto field is not repeating, cannot start "
                    f"list. at '{where}.type'"
                )
    return None


def gemini_rules(request: Request) -> Reply:
    body = request.body
    if not request.path.endswith("/v1beta/openai/chat/completions"):
        return 404, [{"error": {"code": 404, "message": "not found", "status": "NOT_FOUND"}}]
    if not request.headers.get("authorization", "").startswith("Bearer "):
        return 401, [
            {"error": {"code": 401, "message": "API key missing", "status": "UNAUTHENTICATED"}}
        ]
    if "max_completion_tokens" in body and "max_tokens" in body:
        return gemini_error("max_tokens and max_completion_tokens are both set")
    schema = None
    if "response_format" in body:
        schema = body["response_format"]["json_schema"]["schema"]
        problem = gemini_problem(schema)
        if problem:
            return gemini_error(problem)
    content = json.dumps(example(schema) if schema else {"records": []})
    return 200, {
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 700, "completion_tokens": 30, "total_tokens": 730},
    }


# --- Anthropic Messages API ---------------------------------------------------------------

MESSAGES_FIELDS = {
    "model",
    "messages",
    "max_tokens",
    "system",
    "temperature",
    "top_p",
    "top_k",
    "stop_sequences",
    "stream",
    "metadata",
    "tools",
    "tool_choice",
    "output_config",
    "thinking",
    "service_tier",
}
MEDIA_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
STRUCTURED_UNSUPPORTED = {
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "maxItems",
    "uniqueItems",
}


def anthropic_error(message: str, kind: str = "invalid_request_error", status: int = 400) -> Reply:
    return status, {"type": "error", "error": {"type": kind, "message": message}}


def structured_problem(schema: dict[str, Any]) -> str | None:
    for context, node in walk(schema):
        where = ".".join(context) or "schema"
        for key in node:
            if key in STRUCTURED_UNSUPPORTED:
                return f"output_config.format.schema: {where}: '{key}' is not supported"
        if node.get("minItems", 0) > 1:
            return f"output_config.format.schema: {where}: minItems values other than 0 or 1"
        if node.get("type") == "object" and node.get("additionalProperties") is not False:
            return (
                f"output_config.format.schema: {where}: objects must set "
                "additionalProperties to false"
            )
    return None


def anthropic_problem(request: Request) -> Reply | None:
    body, headers = request.body, request.headers
    if request.path != "/v1/messages":
        return anthropic_error("Not found", "not_found_error", 404)
    if headers.get("anthropic-version") != "2023-06-01":
        return anthropic_error("anthropic-version: header is required")
    if "x-api-key" not in headers:
        return anthropic_error("x-api-key header is required", "authentication_error", 401)
    for key in body:
        if key not in MESSAGES_FIELDS:
            return anthropic_error(f"{key}: Extra inputs are not permitted")
    for key in ("model", "max_tokens", "messages"):
        if key not in body:
            return anthropic_error(f"{key}: Field required")
    if not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1:
        return anthropic_error("max_tokens: Input should be greater than or equal to 1")
    if not 0 <= body.get("temperature", 1) <= 1:
        return anthropic_error("temperature: Input should be less than or equal to 1")
    messages = body["messages"]
    if not messages or messages[0].get("role") != "user":
        return anthropic_error("messages: the first message must use the user role")
    for message in messages:
        content = message["content"]
        for index, block in enumerate(content if isinstance(content, list) else []):
            where = f"messages.0.content.{index}"
            if block.get("type") == "image":
                source = block.get("source", {})
                if source.get("type") != "base64" or source.get("media_type") not in MEDIA_TYPES:
                    return anthropic_error(f"{where}.image.source: invalid image source")
                try:
                    base64.b64decode(source["data"], validate=True)
                except Exception:
                    return anthropic_error(f"{where}.image.source.base64: invalid base64 data")
            elif block.get("type") == "text":
                if not block.get("text"):
                    return anthropic_error(f"{where}.text: text content blocks must be non-empty")
            else:
                return anthropic_error(f"{where}: unexpected block type {block.get('type')!r}")
    tools = body.get("tools", [])
    for index, tool in enumerate(tools):
        if not re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", tool.get("name", "")):
            return anthropic_error(f"tools.{index}.name: String should match pattern")
        if tool.get("input_schema", {}).get("type") != "object":
            return anthropic_error(f"tools.{index}.input_schema.type: Input should be 'object'")
    choice = body.get("tool_choice")
    if choice is not None:
        if choice.get("type") not in ("auto", "any", "tool", "none"):
            return anthropic_error("tool_choice.type: Input tag does not match")
        if choice["type"] == "tool" and choice.get("name") not in {t["name"] for t in tools}:
            return anthropic_error("tool_choice: the named tool is not among the tools")
    if "output_config" in body:
        fmt = body["output_config"].get("format", {})
        if fmt.get("type") != "json_schema" or "schema" not in fmt:
            return anthropic_error("output_config.format: Input tag does not match")
        problem = structured_problem(fmt["schema"])
        if problem:
            return anthropic_error(problem)
    return None


def anthropic_rules(structured: bool = True) -> Callable[[Request], Reply]:
    """Claude through the Messages API; ``structured``: the model has structured outputs."""

    def rules(request: Request) -> Reply:
        problem = anthropic_problem(request)
        if problem:
            return problem
        body = request.body
        if "output_config" in body and not structured:
            return anthropic_error(
                "output_config.format: structured outputs are not supported by this model"
            )
        usage = {"input_tokens": 1200, "output_tokens": 60}
        stop = "max_tokens" if body["max_tokens"] < 5 else None
        choice = body.get("tool_choice") or {}
        if choice.get("type") == "tool":
            tool = next(t for t in body["tools"] if t["name"] == choice["name"])
            content = [
                {
                    "type": "tool_use",
                    "id": "toolu_01",
                    "name": tool["name"],
                    "input": example(tool["input_schema"]),
                }
            ]
            stop = stop or "tool_use"
        else:
            schema = body.get("output_config", {}).get("format", {}).get("schema")
            answer = example(schema) if schema else {"records": []}
            content = [{"type": "text", "text": json.dumps(answer)}]
            stop = stop or "end_turn"
        return 200, {
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": usage,
        }

    return rules
