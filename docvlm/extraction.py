"""One tile through one engine: prompt, call, parse, validate, and re-ask once.

Every engine gets this for free. Records an engine returns directly pass the same
validation; text answers are parsed as JSON, validated, and on failure the engine is asked
again with the error. The raw answers are kept with each attempt.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from docvlm.cache import AnswerCache, identity_of, tile_key
from docvlm.engines.base import Engine, EngineReply, TileRequest
from docvlm.errors import ExtractionError
from docvlm.geometry import BBox
from docvlm.prompts import repair_prompt
from docvlm.provenance import FieldMatch
from docvlm.schemas import schema_name
from docvlm.tiling import Tile

MAX_ATTEMPTS = 2
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


@dataclass
class Attempt:
    prompt: str | None
    raw: str | None
    error: str | None = None


@dataclass
class TileRecord:
    """One validated record of a tile: where it lies (page points, when the engine knows);
    for engines that read the page directly, how it was read and whether its numbers were
    measured from the page's geometry; the probability of the engine's answer, where it
    gives one; and, once grounded, where each of its values was found."""

    record: BaseModel
    bbox: BBox | None = None
    method: str | None = None
    measured: bool = False
    probability: float | None = None
    matches: list[FieldMatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the engine says it lacks
    doubts: list[str] = field(default_factory=list)  # why the engine doubts its reading


@dataclass
class TileResult:
    """The validated records of one tile, with where each lies and how they were obtained."""

    tile: Tile
    engine: str
    records: list[TileRecord] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # why nothing was found (EngineReply)
    left_out: list[str] = field(default_factory=list)  # records that could not be kept, and why


class Asker:
    """Asks the engine for one tile's answers, through the answer cache when there is one
    (see :mod:`docvlm.cache`): the one place engines are called for text answers, so no
    engine keeps a cache of its own. Hits and misses are counted in ``usage``
    (``cache_hits``, ``cache_misses``); fresh answers are kept only once the tile
    validates (``keep``)."""

    def __init__(self, engine: Engine, cache: AnswerCache | None = None) -> None:
        self.engine = engine
        self.cache = cache
        self.identity = identity_of(engine) if cache is not None else None
        self.usage: dict[str, int] = {}
        self._fresh: list[tuple[str, str, str, EngineReply]] = []
        self._missed: set[str] = set()  # looked up already: not looked up (or counted) again

    def key(self, request: TileRequest) -> str | None:
        if self.cache is None or self.identity is None:
            return None
        return tile_key(self.engine, self.identity, request)

    def lookup(self, key: str | None) -> EngineReply | None:
        """The cached answer under ``key``, counted as a hit or a miss."""
        if key is None or self.cache is None or key in self._missed:
            return None
        reply = self.cache.get(key)
        if reply is None:
            self._missed.add(key)
        name = "cache_hits" if reply is not None else "cache_misses"
        self.usage[name] = self.usage.get(name, 0) + 1
        return reply

    def fresh(self, key: str | None, reply: EngineReply) -> None:
        """An answer the engine just gave, to keep if its tile validates."""
        if key is not None:
            model = str(self.identity.get("model", "")) if self.identity else ""
            self._fresh.append((key, self.engine.name, model, reply))

    def ask(self, request: TileRequest) -> EngineReply:
        key = self.key(request)
        reply = self.lookup(key)
        if reply is None:
            reply = self.engine.run(request)
            self.fresh(key, reply)
        return reply

    def take_usage(self) -> dict[str, int]:
        """The hits and misses counted so far (each counted once, by whoever takes them)."""
        usage, self.usage = self.usage, {}
        return usage

    def keep(self) -> None:
        """Keep the tile's fresh answers (every attempt's: a re-run asks the same way)."""
        if self.cache is not None and self._fresh:
            self.cache.put(self._fresh)
        self._fresh = []


def extract_tiles(
    engine: Engine, requests: list[TileRequest], cache: AnswerCache | None = None
) -> list[TileResult | Exception]:
    """Several tiles at once: cached answers first, then one batched call for the rest
    where the engine can (``run_batch``), then each tile's validation and repair on its
    own. A failure is returned in its tile's place."""
    askers = [Asker(engine, cache) for _ in requests]
    keys = [asker.key(request) for asker, request in zip(askers, requests, strict=True)]
    first: list[EngineReply | Exception | None] = [
        asker.lookup(key) for asker, key in zip(askers, keys, strict=True)
    ]
    missing = [i for i, reply in enumerate(first) if reply is None]
    batch = getattr(engine, "run_batch", None)
    if batch is not None and len(missing) > 1 and not engine.capabilities.returns_records:
        try:
            replies = list(batch([requests[i] for i in missing]))
        except Exception as exc:
            replies = [exc] * len(missing)
        for i, reply in zip(missing, replies, strict=True):
            first[i] = reply
            if isinstance(reply, EngineReply):
                askers[i].fresh(keys[i], reply)
    results: list[TileResult | Exception] = []
    spent_before: dict[int, dict[str, int]] = {}
    for request, reply, asker in zip(requests, first, askers, strict=True):
        try:
            if isinstance(reply, Exception):
                raise reply
            results.append(extract_tile(engine, request, reply, asker))
        except Exception as exc:  # a failed call's lookup still counts
            counted = asker.take_usage()
            if counted:
                # One failure of a batched call stands for each of its tiles, and the
                # run adds its usage once per tile: each tile's count replaces the last.
                spent = dict(spent_before.setdefault(id(exc), getattr(exc, "usage", None) or {}))
                _add_usage(spent, counted)
                with contextlib.suppress(AttributeError):
                    exc.usage = spent  # type: ignore[attr-defined]
            results.append(exc)
    return results


def extract_tile(
    engine: Engine,
    request: TileRequest,
    first_reply: EngineReply | None = None,
    asker: Asker | None = None,
) -> TileResult:
    """One tile: call the engine (unless ``first_reply`` is its answer already), validate,
    and ask once more with the error when the answer does not validate. ``asker`` calls
    the engine (through the answer cache, when it has one)."""
    result = TileResult(request.tile, engine.name)
    if engine.capabilities.returns_records:
        reply = engine.run(request)
        _add_usage(result.usage, reply.usage)
        result.warnings.extend(reply.warnings)
        result.attempts.append(Attempt(None, None))
        for found in reply.records:
            try:
                record, repairs = validate_found(request.schema, found.data)
            except ValidationError as exc:  # the page's other records stay
                result.left_out.append(
                    f"a {schema_name(request.schema)} record the {engine.name} engine read "
                    f"does not fit the schema and was left out ({_one_line(exc)})"
                )
                continue
            result.records.append(
                TileRecord(
                    record,
                    found.bbox,
                    found.method,
                    found.measured,
                    found.probability,
                    warnings=[*found.warnings, *repairs],
                    doubts=found.doubts,
                )
            )
        return result
    asker = asker or Asker(engine)
    prompt = request.prompt
    for attempt in range(MAX_ATTEMPTS):
        reply = first_reply if attempt == 0 and first_reply is not None else asker.ask(request)
        _add_usage(result.usage, reply.usage)
        raw = reply.text or ""
        try:
            result.records = [
                TileRecord(record, probability=reply.probability)
                for record in parse_answer(raw, request.schema)
            ]
        except ValueError as exc:
            result.attempts.append(Attempt(request.prompt, raw, str(exc)))
            request.prompt = repair_prompt(prompt or "", raw, str(exc))
            continue
        result.attempts.append(Attempt(request.prompt, raw))
        result.warnings.extend(reply.warnings)
        _add_usage(result.usage, asker.take_usage())
        asker.keep()
        return result
    _add_usage(result.usage, asker.take_usage())
    error = ExtractionError(
        f"tile {request.tile.index + 1}: no valid answer after {MAX_ATTEMPTS} attempts "
        f"({result.attempts[-1].error})",
        request.page.document.name,
    )
    error.usage = result.usage  # tokens spent on refused answers still count
    raise error


def parse_answer(text: str, schema: type[BaseModel]) -> list[BaseModel]:
    """Parse ``{"records": [...]}`` (or a bare record or list) and validate each record."""
    text = text.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if isinstance(data, dict) and set(data) == {"records"}:
        data = data["records"]
    items = data if isinstance(data, list) else [data]
    try:
        return [_validate(schema, item) for item in items]
    except ValidationError as exc:
        raise ValueError(f"does not match the schema: {_one_line(exc)}") from None


# Validation errors that only say a value is past one of the schema's bounds.
_TOO_LONG = {"string_too_long", "too_long"}
_OUT_OF_RANGE = {"less_than", "less_than_equal", "greater_than", "greater_than_equal"}
MAX_REPAIRS = 4


def validate_found(
    schema: type[BaseModel], data: dict[str, Any] | BaseModel
) -> tuple[BaseModel, list[str]]:
    """A record an engine read from the page itself, validated, and repaired where it
    breaks only a bound of the schema (a cell over 1,000 characters, a name over 200,
    more items than a list may hold, a number out of range): text and lists are cut at
    the bound, an out-of-range number is left empty. Returns the record and one line per
    repair, saying what was cut (``incomplete`` warnings). Anything else wrong, or a
    repair the schema still refuses, raises the ValidationError.

    Cutting, rather than letting native records past the bounds, keeps every record a
    valid instance of its schema whatever read it (the merger validates records again;
    JSON Schema consumers and a user's own model rely on its bounds), and nothing is
    cut without a warning saying where and how much."""
    if isinstance(data, BaseModel):
        data = data.model_dump(by_alias=True)
    repairs: list[str] = []
    for attempt in range(MAX_REPAIRS + 1):
        try:
            return _validate(schema, data), repairs
        except ValidationError as exc:
            errors = exc.errors()
            fixable = all(e["type"] in _TOO_LONG | _OUT_OF_RANGE for e in errors)
            if attempt == MAX_REPAIRS or not fixable:
                raise
            data = copy.deepcopy(data) if attempt == 0 else data
            for error in errors:
                repair = _repair(data, error)
                if repair is None:
                    raise
                repairs.append(f"{schema_name(schema)}: {repair}")
    raise AssertionError("unreachable")


def _repair(data: Any, error: Any) -> str | None:
    """Cut (or empty) the value ``error`` points at, in place; what was done, or None when
    the value cannot be found."""
    *parents, key = error["loc"]
    container = data
    for part in parents:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return None
    try:
        value = container[key]
    except (KeyError, IndexError, TypeError):
        return None
    where = ".".join(str(p) for p in error["loc"])
    if error["type"] in _TOO_LONG:
        limit = int(error["ctx"]["max_length"])
        container[key] = value[:limit]
        what = "characters" if isinstance(value, str) else "items"
        return f"{where} held {len(value):,} {what}; cut to the schema's limit of {limit:,}"
    container[key] = None
    (name, bound), *_ = error["ctx"].items()
    allows = {"le": "at most", "lt": "under", "ge": "at least", "gt": "over"}.get(name, name)
    bound = f"{bound:g}" if isinstance(bound, int | float) else bound
    return f"{where} was {value!r}, but the schema allows {allows} {bound}; left empty"


def _validate(schema: type[BaseModel], data: dict[str, Any] | BaseModel) -> BaseModel:
    if isinstance(data, BaseModel):
        data = data.model_dump()
    # Answers may name fields by their alias (as the JSON Schema does) or by name.
    return schema.model_validate(data, by_alias=True, by_name=True)


def _one_line(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "record"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _add_usage(total: dict[str, int], usage: dict[str, int]) -> None:
    for key, value in usage.items():
        total[key] = total.get(key, 0) + value
