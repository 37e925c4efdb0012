"""What the engines that call a model service share: a pooled HTTP client that retries 429,
5xx (and Anthropic's 529) answers and connection failures with backoff, honouring
``Retry-After``; the server's own error message out of the bodies services answer with; tiles
as base64 PNG; and the notices an engine gives when it falls back to a weaker way of working.

A refusal (HTTP 400 or 422) is shown to the engine before it is raised: the engine may
answer with a changed request (a parameter renamed or dropped, the schema left out), which
is sent at once and does not count as a retry.
"""

from __future__ import annotations

import base64
import io
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from docvlm.errors import EngineUnavailableError, ExtractionError

log = logging.getLogger("docvlm")

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
REFUSAL_STATUSES = frozenset({400, 422})
MAX_RETRY_AFTER = 60.0
MAX_ADJUSTMENTS = 4  # changed requests per call: each changes the engine's state for good

# Given the HTTP status, the server's message and the request body, a changed body to send
# instead, or None to let the refusal stand.
Adjust = Callable[[int, str, dict[str, Any]], "dict[str, Any] | None"]


class ServiceClient:
    """POSTs JSON to one URL: bounded connections, timeouts, retries with backoff."""

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        *,
        timeout: float,
        concurrency: int,
        max_retries: int,
        retry_backoff: float,
        engine: str,
    ) -> None:
        try:
            import httpx
        except ImportError:
            raise EngineUnavailableError(
                f"the {engine} engine needs httpx: pip install httpx"
            ) from None
        self.url = url
        self.max_retries = max_retries
        self.retry_backoff = retry_backoff
        self._httpx = httpx
        self._http = httpx.Client(
            headers={"Content-Type": "application/json", **headers},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            limits=httpx.Limits(max_connections=max(1, concurrency)),
        )

    def post(self, body: dict[str, Any], adjust: Adjust | None = None) -> dict[str, Any]:
        """The JSON answer to ``body``; failures after the retries raise ExtractionError
        (EngineUnavailableError for refused credentials)."""
        attempt = adjustments = 0
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
                status = response.status_code
                if status < 400:
                    return _json(response)
                if status in REFUSAL_STATUSES and adjust and adjustments < MAX_ADJUSTMENTS:
                    changed = adjust(status, error_message(response), body)
                    if changed is not None:
                        body = changed
                        adjustments += 1
                        continue
                if status not in RETRY_STATUSES:
                    raise http_error(response)
                failure = f"answered HTTP {status}"
                retry_after = _retry_after(response)
            attempt += 1
            if attempt > self.max_retries:
                raise ExtractionError(
                    f"the server at {self.url} {failure}, also after {self.max_retries} retries"
                )
            time.sleep(self._delay(attempt, retry_after))

    def close(self) -> None:
        self._http.close()

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, MAX_RETRY_AFTER)
        return float(self.retry_backoff * 2 ** (attempt - 1) * (0.5 + random.random() / 2))


class Notices:
    """How an engine fell back to a weaker way of working, one line each, in order (each
    said once). Runs report them as ``degraded`` warnings."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._lock = threading.Lock()

    def add(self, line: str) -> None:
        with self._lock:
            if line not in self._lines:
                self._lines.append(line)
                log.info("%s", line)

    def __iter__(self) -> Any:
        with self._lock:
            return iter(list(self._lines))

    def __len__(self) -> int:
        return len(self._lines)


def png_base64(image: Any) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def cut_off(limit: int) -> ExtractionError:
    return ExtractionError(
        f"the server cut the answer off at max_new_tokens={limit} "
        "(raise it with --max-new-tokens, or use smaller tiles)"
    )


def usage(input_tokens: Any, output_tokens: Any) -> dict[str, int]:
    return {
        "input_tokens": int(input_tokens or 0),
        "output_tokens": int(output_tokens or 0),
        "requests": 1,
    }


def names(message: str, *words: str) -> bool:
    """Whether a server's message names any of ``words`` (case-insensitive)."""
    text = message.lower()
    return any(word in text for word in words)


def error_message(response: Any) -> str:
    """The server's own message out of an error body: OpenAI's ``{"error": {"message"}}``,
    Gemini's list of those, Anthropic's ``{"type": "error", "error": {...}}``, FastAPI's
    ``{"detail": ...}``; else the body's text. One line."""
    try:
        data: Any = response.json()
    except ValueError:
        data = None
    if isinstance(data, list) and data:
        data = data[0]
    error = data.get("error", data) if isinstance(data, dict) else None
    message: Any = None
    if isinstance(error, dict):
        message = error.get("message") or error.get("detail")
        extra = [f"{key}={error[key]}" for key in ("param", "code") if error.get(key)]
        if isinstance(message, str) and extra:
            message = f"{message} ({', '.join(extra)})"
    elif isinstance(error, str):
        message = error
    if not isinstance(message, str) or not message:
        message = response.text
    return " ".join(message.split())[:500]


def http_error(response: Any) -> Exception:
    detail = error_message(response)[:300]
    if response.status_code in (401, 403):
        return EngineUnavailableError(
            f"the server refused the credentials (HTTP {response.status_code}): set the API key "
            f"in the environment variable named by api_key_env; {detail}"
        )
    return ExtractionError(f"the server answered HTTP {response.status_code}: {detail}")


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
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
