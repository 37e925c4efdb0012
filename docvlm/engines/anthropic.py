"""The ``anthropic`` engine: Claude through Anthropic's Messages API.

Anthropic's OpenAI-compatible endpoint ignores ``response_format``; the Messages API holds
Claude to a schema two ways, both used here:

- ``output="json_schema"``: structured outputs (``output_config.format``), decoding
  constrained by the schema, for the models that have them (Claude Opus 4.1, and the 4.5
  generation on); the schema goes in Anthropic's dialect (closed objects; bounds Claude
  does not enforce are written into descriptions).
- ``output="tool"``: the record schema as the input schema of one tool that Claude is
  made to call (``tool_choice``); its input is the answer. Works with every Claude 3+ model.

``"auto"`` picks structured outputs where the model name says it has them, the tool
otherwise. A refused schema steps down (structured output -> tool -> instructed JSON only)
for the rest of the run and is reported as a ``degraded`` warning. Every answer is validated
and asked for once more when it does not validate, as with every engine. Retries, backoff,
``Retry-After``, concurrency and usage work as in the ``openai`` engine (one shared client).
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any

from docvlm.engines.base import Engine, EngineCapabilities, EngineReply, TileRequest
from docvlm.engines.dialects import ANTHROPIC_STRUCTURED
from docvlm.engines.options import AnthropicOptions
from docvlm.engines.service import Notices, ServiceClient, cut_off, names, png_base64, usage
from docvlm.errors import ExtractionError, SchemaError

API_VERSION = "2023-06-01"
TOOL = "records"
TOOL_TEXT = "Report the records found in the image, in the shape the schema gives."
OUTPUTS = ("json_schema", "tool", "none")  # strongest first: the order of stepping down
SCHEMA_WORDS = ("output_config", "output_format", "input_schema", "tools", "tool_choice", "schema")
_GENERATION = re.compile(r"claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d))?(?!\d)")


class AnthropicEngine(Engine):
    """Claude through the Messages API (``POST {base_url}/messages``).

    Options (:class:`~docvlm.engines.options.AnthropicOptions`): ``model``: e.g.
    ``claude-sonnet-4-5``. ``base_url``: the API root (proxies, tests). The API key is
    read from the environment variable named by ``api_key_env``.
    ``output``: ``"auto"``, ``"json_schema"``, ``"tool"`` or ``"none"`` (see the module).
    """

    name = "anthropic"
    options_model = AnthropicOptions
    notices: Notices

    def __init__(self, options: AnthropicOptions) -> None:
        self.options = options
        model, concurrency = options.model, options.concurrency
        self.model = model
        self.max_new_tokens = options.max_new_tokens
        output = options.output
        self.output = structured_output_for(model) if output == "auto" else output
        self.notices = Notices()
        self._lock = threading.Lock()
        self._schemas: dict[str, dict[str, Any]] = {}
        headers = {"anthropic-version": API_VERSION}
        api_key = os.environ.get(options.api_key_env)
        if api_key:
            headers["x-api-key"] = api_key
        self._client = ServiceClient(
            options.base_url.rstrip("/") + "/messages",
            headers,
            timeout=options.timeout,
            concurrency=concurrency,
            max_retries=options.max_retries,
            retry_backoff=options.retry_backoff,
            engine=self.name,
        )
        self.url = self._client.url
        self.capabilities = EngineCapabilities(
            preferred_tile_size=options.tile_size, max_concurrency=concurrency
        )

    def run(self, request: TileRequest) -> EngineReply:
        prompt, image, schema = (
            request.prompt or "",
            png_base64(request.image()),
            request.json_schema,
        )

        def adjust(status: int, message: str, body: dict[str, Any]) -> dict[str, Any] | None:
            """A refused schema: the next weaker output, for the rest of the run."""
            sent = _output_of(body)
            if sent == "none" or not names(message, *SCHEMA_WORDS):
                return None
            self._step_down(sent, f"HTTP {status}: {message}")
            return self._body(prompt, image, schema)

        data = self._client.post(self._body(prompt, image, schema), adjust)
        if data.get("stop_reason") == "max_tokens":
            raise cut_off(self.max_new_tokens)
        text = _answer(data.get("content") or [])
        if text is None:
            raise ExtractionError(f"the server's answer has no content: {str(data)[:200]}")
        counts = data.get("usage") or {}
        return EngineReply(
            text=text, usage=usage(counts.get("input_tokens"), counts.get("output_tokens"))
        )

    def cache_identity(self) -> dict[str, Any]:
        """What decides this engine's answers beside the tile (see :mod:`docvlm.cache`): the
        server, the model, and the generation options sent as they stand now."""
        with self._lock:
            output = self.output
        return {
            "server": self.url,
            "model": self.model,
            "max_new_tokens": self.max_new_tokens,
            "temperature": 0,
            "output": output,
        }

    def close(self) -> None:
        self._client.close()

    def _body(self, prompt: str, image: str, schema: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_new_tokens,
            "temperature": 0,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "image",
                            "source": {"type": "base64", "media_type": "image/png", "data": image},
                        },
                        {"type": "text", "text": prompt},
                    ],
                }
            ],
        }
        with self._lock:
            output = self.output
        if output == "json_schema":
            try:
                body["output_config"] = {
                    "format": {"type": "json_schema", "schema": self._structured(schema)}
                }
            except SchemaError as exc:
                self._step_down(output, str(exc), refused=False)
                return self._body(prompt, image, schema)
        elif output == "tool":
            body["tools"] = [{"name": TOOL, "description": TOOL_TEXT, "input_schema": schema}]
            body["tool_choice"] = {"type": "tool", "name": TOOL}
        return body

    def _structured(self, schema: dict[str, Any]) -> dict[str, Any]:
        key = json.dumps(schema, sort_keys=True)
        with self._lock:
            cached = self._schemas.get(key)
        if cached is None:
            cached = ANTHROPIC_STRUCTURED.schema(schema)
            with self._lock:
                self._schemas[key] = cached
        return cached

    def _step_down(self, sent: str, reason: str, refused: bool = True) -> None:
        with self._lock:
            if self.output != sent or sent == "none":
                return  # another tile stepped down already
            self.output = OUTPUTS[OUTPUTS.index(sent) + 1]
            after = self.output
        what = {
            "json_schema": "structured output",
            "tool": "a forced tool call",
            "none": "instructed JSON only",
        }
        why = (
            "the server refused the answer's schema as" if refused else "the schema has no form as"
        )
        self.notices.add(
            f"{why} {what[sent]}, so Claude answers through {what[after]} for the rest of "
            f"the run ({reason})"
        )


def structured_output_for(model: str) -> str:
    """``"json_schema"`` for models with structured outputs (Opus 4.1, the 4.5 generation
    and later), ``"tool"`` for the others."""
    match = _GENERATION.search(model)
    if not match:
        return "tool"
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    if (major, minor) >= (4, 5) or ("opus" in match.group(0) and (major, minor) >= (4, 1)):
        return "json_schema"
    return "tool"


def _answer(content: list[dict[str, Any]]) -> str | None:
    """The answer's JSON: the forced tool call's input, else the text."""
    for block in content:
        if block.get("type") == "tool_use" and block.get("name") == TOOL:
            return json.dumps(block.get("input"), ensure_ascii=False)
    texts = [b.get("text", "") for b in content if b.get("type") == "text"]
    return "".join(texts) if texts else None


def _output_of(body: dict[str, Any]) -> str:
    if "output_config" in body:
        return "json_schema"
    return "tool" if "tools" in body else "none"
