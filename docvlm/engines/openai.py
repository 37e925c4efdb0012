"""The ``openai`` engine: any OpenAI-compatible chat-completions server.

vLLM, Ollama, llama.cpp's server, SGLang, ``transformers serve`` and hosted APIs all speak
this protocol; the server is configuration. Tiles go out as base64 PNG data URIs with the
prompt; the answer's JSON Schema goes out as ``response_format`` where the server takes it.
A server that refuses ``response_format`` is asked again without it (and never again with
it); a server that ignores it is covered by validation and the one repair retry that every
engine gets. Calls run concurrently (bounded), time out, and are retried with backoff on
429 and 5xx answers and on connection failures.
"""

from __future__ import annotations

import base64
import io
import os
import random
import threading
import time
from typing import Any

from docvlm.engines.base import EngineCapabilities, EngineReply, TileRequest
from docvlm.engines.profiles import inline_refs
from docvlm.errors import EngineUnavailableError, ExtractionError

RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


class OpenAIEngine:
    """A vision-language model behind an OpenAI-compatible ``/chat/completions`` endpoint.

    ``model``: the model name the server knows. ``base_url``: the API root, e.g.
    ``http://localhost:8000/v1``. The API key is read from the environment variable named by
    ``api_key_env`` (none is sent when it is unset, as local servers want).
    ``response_format``: ``"auto"`` (send the JSON Schema; drop it if the server refuses),
    ``"json_schema"`` (always) or ``"none"`` (instructed JSON only). ``inline_refs`` for
    servers that reject ``$defs``.
    """

    name = "openai"

    def __init__(
        self,
        model: str | None = None,
        base_url: str = "https://api.openai.com/v1",
        api_key_env: str = "OPENAI_API_KEY",
        concurrency: int = 4,
        timeout: float = 120.0,
        max_retries: int = 3,
        retry_backoff: float = 1.0,
        max_new_tokens: int = 4096,
        response_format: str = "auto",
        inline_refs: bool = False,
        tile_size: int = 1024,
    ) -> None:
        if not model:
            raise EngineUnavailableError(
                "the openai engine needs a model name: pass model= (CLI: --model NAME)"
            )
        if response_format not in ("auto", "json_schema", "none"):
            raise EngineUnavailableError(
                f"response_format must be auto, json_schema or none, got {response_format!r}"
            )
        try:
            import httpx
        except ImportError:
            raise EngineUnavailableError(
                "the openai engine needs httpx: pip install httpx"
            ) from None
        self.model = model
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self.max_new_tokens = max_new_tokens
        self.inline_refs = inline_refs
        self._send_schema = response_format != "none"
        self._must_send_schema = response_format == "json_schema"
        self._lock = threading.Lock()
        headers = {"Content-Type": "application/json"}
        api_key = os.environ.get(api_key_env)
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=concurrency),
        )
        self._httpx = httpx
        self.capabilities = EngineCapabilities(
            preferred_tile_size=tile_size, max_concurrency=max(1, concurrency)
        )

    def run(self, request: TileRequest) -> EngineReply:
        schema = inline_refs(request.json_schema) if self.inline_refs else request.json_schema
        body = self._body(request.prompt or "", _data_uri(request.image()), schema)
        data = self._post(body)
        choice = (data.get("choices") or [{}])[0]
        if choice.get("finish_reason") == "length":
            raise ExtractionError(
                f"the server cut the answer off at max_new_tokens={self.max_new_tokens} "
                "(raise it with --max-new-tokens, or use smaller tiles)"
            )
        content = (choice.get("message") or {}).get("content")
        if not isinstance(content, str):
            raise ExtractionError(f"the server's answer has no message content: {str(data)[:200]}")
        usage = data.get("usage") or {}
        return EngineReply(
            text=content,
            usage={
                "input_tokens": int(usage.get("prompt_tokens") or 0),
                "output_tokens": int(usage.get("completion_tokens") or 0),
                "requests": 1,
            },
        )

    def close(self) -> None:
        self._http.close()

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
            "temperature": 0,
            "max_tokens": self.max_new_tokens,
        }
        if self._send_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "records", "schema": schema, "strict": True},
            }
        return body

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                response = self._http.post(self.url, json=body)
            except self._httpx.TimeoutException:
                failure = "timed out"
                retry_after = None
            except self._httpx.TransportError as exc:
                failure = f"cannot be reached ({type(exc).__name__}: {exc})"
                retry_after = None
            else:
                if response.status_code < 400:
                    return _json(response)
                if self._refuses_schema(response, body):
                    body = {k: v for k, v in body.items() if k != "response_format"}
                    continue
                if response.status_code not in RETRY_STATUSES:
                    raise _http_error(response)
                failure = f"answered HTTP {response.status_code}"
                retry_after = _retry_after(response)
            attempt += 1
            if attempt > self.max_retries:
                raise ExtractionError(
                    f"the server at {self.url} {failure}, also after {self.max_retries} retries"
                )
            time.sleep(self._delay(attempt, retry_after))

    def _refuses_schema(self, response: Any, body: dict[str, Any]) -> bool:
        """A 400/422 about response_format: remember it and go on without the schema."""
        if "response_format" not in body or self._must_send_schema:
            return False
        if response.status_code not in (400, 422):
            return False
        text = response.text.lower()
        if "response_format" not in text and "json_schema" not in text:
            return False
        with self._lock:
            self._send_schema = False
        return True

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER)
        return float(self.retry_backoff * 2 ** (attempt - 1) * (0.5 + random.random() / 2))


def _data_uri(image: Any) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _json(response: Any) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise ExtractionError(f"the server answered non-JSON: {response.text[:200]!r}") from None
    if not isinstance(data, dict):
        raise ExtractionError(f"the server answered an unexpected shape: {str(data)[:200]}")
    return data


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _http_error(response: Any) -> Exception:
    detail = " ".join(response.text.split())[:300]
    if response.status_code in (401, 403):
        return EngineUnavailableError(
            f"the server refused the credentials (HTTP {response.status_code}): set the API key "
            f"in the environment variable named by api_key_env; {detail}"
        )
    return ExtractionError(f"the server answered HTTP {response.status_code}: {detail}")
