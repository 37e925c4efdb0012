"""The ``openai`` engine: any OpenAI-compatible chat-completions server.

vLLM, Ollama, llama.cpp's server, SGLang, LM Studio, ``transformers serve`` and hosted APIs
(OpenAI, Gemini) all speak this protocol; the server is configuration. Tiles go out as
base64 PNG data URIs with the prompt; the answer's JSON Schema goes out as ``response_format``
in the dialect the server's profile names (see :mod:`docvlm.engines.profiles`): OpenAI's
strict subset, Gemini's, or full JSON Schema for servers that compile it themselves.

A server that refuses something is asked again without it, and never silently: a refused
schema is left out for the rest of the run, a refused ``temperature`` likewise, and each
is a ``degraded`` warning in the results (``notices``); a refused ``max_tokens`` is sent
as ``max_completion_tokens`` (or the other way round) and logged. Answers a server does not
hold to the schema are covered by validation and the one repair retry that every engine
gets. Calls run concurrently (bounded), time out, and are retried with backoff on 429 and
5xx answers and on connection failures.
"""

from __future__ import annotations

import json
import os
import threading
from typing import Any

from docvlm.engines.base import Engine, EngineCapabilities, EngineReply, TileRequest
from docvlm.engines.dialects import FULL, SchemaDialect
from docvlm.engines.options import OpenAIOptions
from docvlm.engines.profiles import ServerProfile, inline_refs, server_profile
from docvlm.engines.service import (
    Notices,
    ServiceClient,
    cut_off,
    log,
    names,
    png_base64,
    usage,
)
from docvlm.errors import ExtractionError, SchemaError

# Words in a refusal that say it is about the answer's schema, whatever the server calls it
# (response_format, json_schema, Gemini's response_schema).
SCHEMA_WORDS = ("response_format", "response_schema", "json_schema", "schema")
TOKEN_PARAMETERS = ("max_tokens", "max_completion_tokens")
UNSUPPORTED_WORDS = ("unsupported", "not supported", "unrecognized", "unknown", "instead")


class OpenAIEngine(Engine):
    """A vision-language model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    Options (:class:`~docvlm.engines.options.OpenAIOptions`): ``model``: the model name
    the server knows. ``base_url``: the API root, e.g. ``http://localhost:8000/v1``
    (default: the profile's, OpenAI's without one).
    ``profile``: ``"auto"`` (from the base URL's host), ``"openai"``, ``"gemini"``,
    ``"anthropic"`` (its OpenAI-compatible endpoint), ``"transformers"`` (``transformers
    serve``, which ignores the schema) or ``"generic"`` (vLLM, SGLang, llama.cpp, Ollama,
    LM Studio; those names work too). The API key is
    read from the environment variable named by ``api_key_env`` (default: the profile's,
    e.g. ``OPENAI_API_KEY``, ``GEMINI_API_KEY``; none is sent when it is unset, as local
    servers want). ``response_format``: ``"auto"`` (send the JSON Schema; leave it out if
    the server refuses it), ``"json_schema"`` (always) or ``"none"`` (instructed JSON only).
    ``inline_refs`` for servers that reject ``$defs``.
    """

    name = "openai"
    options_model = OpenAIOptions
    notices: Notices

    def __init__(self, options: OpenAIOptions) -> None:
        self.options = options
        model, base_url, response_format = options.model, options.base_url, options.response_format
        profile, concurrency = options.profile, options.concurrency
        self.profile: ServerProfile = server_profile(profile, base_url)
        base_url = base_url or self.profile.base_url or "https://api.openai.com/v1"
        self.model = model
        self.max_new_tokens = options.max_new_tokens
        self.inline_refs = options.inline_refs
        self.notices = Notices()
        if self.profile.notice and response_format != "none":
            self.notices.add(self.profile.notice)
        self._dialect: SchemaDialect | None = (
            None if response_format == "none" else self.profile.schema
        )
        if self._dialect is None and response_format == "json_schema":
            self._dialect = FULL
        self._must_send_schema = response_format == "json_schema"
        self._token_parameter = self.profile.token_parameter
        self._token_switched = False
        self._temperature = self.profile.takes_temperature(model)
        self._schemas: dict[str, tuple[dict[str, Any], bool | None]] = {}
        self._lock = threading.Lock()
        headers = {}
        api_key = _environment(options.api_key_env or self.profile.api_key_env)
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = ServiceClient(
            base_url.rstrip("/") + "/chat/completions",
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
        image_uri = "data:image/png;base64," + png_base64(request.image())
        body = self._body(request.prompt or "", image_uri, request.json_schema)
        data = self._client.post(body, self._adjust)
        choice = (data.get("choices") or [{}])[0]
        if choice.get("finish_reason") == "length":
            raise cut_off(self.max_new_tokens)
        content = (choice.get("message") or {}).get("content")
        if not isinstance(content, str):
            raise ExtractionError(f"the server's answer has no message content: {str(data)[:200]}")
        if self._dialect is not None and "response_format" in body:
            content = _mapped_back(content, self._dialect, request.json_schema)
        counts = data.get("usage") or {}
        return EngineReply(
            text=content, usage=usage(counts.get("prompt_tokens"), counts.get("completion_tokens"))
        )

    def cache_identity(self) -> dict[str, Any]:
        """What decides this engine's answers beside the tile (see :mod:`docvlm.cache`): the
        server and the model id it serves, and the generation options sent as they stand
        now (a refused schema or temperature changes them for the rest of the run)."""
        with self._lock:
            return {
                "server": self.url,
                "model": self.model,
                "max_new_tokens": self.max_new_tokens,
                "temperature": 0 if self._temperature else None,
                "schema_dialect": self._dialect.name if self._dialect is not None else None,
                "inline_refs": self.inline_refs,
            }

    def close(self) -> None:
        self._client.close()

    def _body(self, prompt: str, image_uri: str, schema: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": image_uri}},
                        {"type": "text", "text": prompt},
                    ],
                }
            ],
        }
        with self._lock:
            if self._temperature:
                body["temperature"] = 0
            body[self._token_parameter] = self.max_new_tokens
            dialect = self._dialect
        if dialect is not None:
            sent, strict = self._schema(schema, dialect)
            json_schema: dict[str, Any] = {"name": "records", "schema": sent}
            if strict is not None:
                json_schema["strict"] = strict
            body["response_format"] = {"type": "json_schema", "json_schema": json_schema}
        return body

    def _schema(
        self, schema: dict[str, Any], dialect: SchemaDialect
    ) -> tuple[dict[str, Any], bool | None]:
        """The schema in the server's dialect (cached), and the ``strict`` flag to send."""
        key = json.dumps(schema, sort_keys=True)
        with self._lock:
            cached = self._schemas.get(key)
        if cached is None:
            source = inline_refs(schema) if self.inline_refs else schema
            try:
                cached = (dialect.schema(source), self.profile.strict)
            except SchemaError as exc:  # sent as it is, as a hint the server need not hold
                cached = (source, False if self.profile.strict else None)
                self.notices.add(
                    f"the schema has no {dialect.name} form ({exc}): it goes as a hint "
                    "(strict: false), and answers are checked and asked for again"
                )
            with self._lock:
                self._schemas[key] = cached
        return cached

    def _adjust(self, status: int, message: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """A refused request, changed so the server takes it (None: the refusal stands)."""
        current = next((p for p in TOKEN_PARAMETERS if p in body), None)
        if current and names(message, current) and names(message, *UNSUPPORTED_WORDS):
            other = TOKEN_PARAMETERS[1 - TOKEN_PARAMETERS.index(current)]
            with self._lock:
                if self._token_switched and self._token_parameter == current:
                    return None  # both names refused: let the refusal stand
                if self._token_parameter == current:
                    self._token_switched = True
                    self._token_parameter = other
                    log.warning(
                        "the server at %s refused %s; sending %s instead (%s)",
                        self.url,
                        current,
                        other,
                        message,
                    )
            changed = {k: v for k, v in body.items() if k != current}
            changed[other] = body[current]
            return changed
        if "temperature" in body and names(message, "temperature"):
            with self._lock:
                self._temperature = False
            self.notices.add(
                "the server refused temperature=0, so answers may differ from run to run "
                f"(HTTP {status}: {message})"
            )
            return {k: v for k, v in body.items() if k != "temperature"}
        if "response_format" in body and names(message, *SCHEMA_WORDS):
            if self._must_send_schema:
                return None
            with self._lock:
                self._dialect = None
            self.notices.add(
                "the server refused the answer's JSON Schema, so answers are no longer held to "
                f"it, only checked and asked for again (HTTP {status}: {message})"
            )
            return {k: v for k, v in body.items() if k != "response_format"}
        return None


def _mapped_back(content: str, dialect: SchemaDialect, schema: dict[str, Any]) -> str:
    """An answer to the dialect's schema as an answer to the record schema (text that is not
    JSON is left for validation to refuse)."""
    if not dialect.require_all:
        return content
    try:
        data = json.loads(content)
    except ValueError:
        return content
    return json.dumps(dialect.answer(data, schema), ensure_ascii=False)


def _environment(name: str) -> str | None:
    return os.environ.get(name) or None
