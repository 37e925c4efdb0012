"""The answer cache: model engines' answers kept in SQLite, so a re-run pays for no tile twice.

An answer is looked up by a key that holds everything the engine would send and everything
that decides how its model answers: the tile image's pixels (hashed), the engine's name, the
model's identity and generation options (``engine.cache_identity()``: the model's name with
its weights' revision or fingerprint, or the server's URL and model id, and options such as
``max_new_tokens`` or the schema dialect sent), the response schema and the prompt's full
text (which carries the prompt's version, the tile's position and the page's words).

Only engines that can say who their model is take part: an engine without
``cache_identity``, or one that answers None (weights it cannot fingerprint), is always
asked. Engines that read records themselves (``native``) are never cached. Not for speed:
a lookup (about 0.1 ms) is faster than the native engine's page (about 40 ms for a text-layer
table or chart, over a second for an OCR'd scan; see the README). But its answer is a
function of docvlm's own code and of its layout and OCR models, so a key would have to
fingerprint all of them, and a stale answer after an upgrade would be silently wrong where
recomputing costs nothing but time: no money is spent, and nothing changes between runs.

Only answers of tiles that validated are kept (a failed call, a cut-off answer or a tile
that ran out of repairs is asked again next time).

The database runs in WAL mode with a busy timeout, one connection per cache guarded by a
lock, so threads of one run and processes of several runs share a cache safely.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docvlm.engines.base import Engine, EngineReply, TileRequest

FILE_NAME = "answers.sqlite"
# The folder used when none is given; tests and CI point it elsewhere.
ENVIRONMENT = "DOCVLM_CACHE_DIR"
# Part of every key: a change in how keys or answers are stored starts a fresh cache.
KEY_VERSION = 1
BUSY_TIMEOUT_S = 30.0


def default_folder() -> Path:
    """``$DOCVLM_CACHE_DIR``, else the user cache folder (``~/.cache/docvlm`` on Linux)."""
    folder = os.environ.get(ENVIRONMENT)
    if folder:
        return Path(folder).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("docvlm", appauthor=False))


class AnswerCache:
    """Engine answers in ``folder/answers.sqlite``; the file is made on first use."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_folder()
        self.path = self.folder / FILE_NAME
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
            )
            _switch_to_wal(connection)
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS answers ("
                " key TEXT PRIMARY KEY, engine TEXT NOT NULL, model TEXT NOT NULL,"
                " reply TEXT NOT NULL, created REAL NOT NULL)"
            )
            self._connection = connection
        return self._connection

    def get(self, key: str) -> EngineReply | None:
        """The answer kept under ``key`` (its token usage left out: nothing was spent)."""
        with self._lock:
            row = self._db().execute("SELECT reply FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        from docvlm.engines.base import EngineReply

        data = json.loads(row[0])
        return EngineReply(
            text=data["text"], probability=data.get("probability"), warnings=data["warnings"]
        )

    def put(self, entries: list[tuple[str, str, str, EngineReply]]) -> None:
        """Keep answers: (key, engine, model, reply) each, in one transaction."""
        if not entries:
            return
        now = time.time()
        rows = [
            (key, engine, model, _reply_json(reply), now) for key, engine, model, reply in entries
        ]
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)", rows)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def info(self) -> dict[str, Any]:
        """Where the cache is, how many answers it holds (by engine and model) and its size."""
        models: list[dict[str, Any]] = []
        if self.path.exists():
            with self._lock:
                rows = self._db().execute(
                    "SELECT engine, model, COUNT(*) FROM answers GROUP BY engine, model "
                    "ORDER BY engine, model"
                )
                models = [{"engine": e, "model": m, "answers": n} for e, m, n in rows]
        size = sum(
            p.stat().st_size
            for p in self.folder.glob(FILE_NAME + "*")
            if p.is_file()  # the database and its WAL files
        )
        return {
            "path": str(self.path),
            "answers": sum(m["answers"] for m in models),
            "bytes": size,
            "models": models,
        }

    def clear(self) -> int:
        """Remove every answer; how many there were."""
        if not self.path.exists():
            return 0
        with self._lock:
            db = self._db()
            removed = int(db.execute("DELETE FROM answers").rowcount)
            db.execute("VACUUM")
        return removed

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> AnswerCache:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _switch_to_wal(connection: sqlite3.Connection) -> None:
    """Put the database in WAL mode, waiting for other connections doing the same.

    SQLite answers "database is locked" at once, without its busy handler, when two
    connections switch a new file's journal mode together, so the wait is done here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def open_cache(cache: Any, engine: Engine) -> tuple[AnswerCache | None, bool]:
    """The cache ``extract(cache=...)`` asks for, for this engine (None: ask the engine
    every time), and whether the caller opened it (and so closes it).

    ``True``/None: the default folder; a path: that folder; ``False``: no cache; an
    :class:`AnswerCache`: that one. Engines that cannot say who their model is, and
    engines that read records themselves, get none."""
    if cache is False or identity_of(engine) is None:
        return None, False
    if isinstance(cache, AnswerCache):
        return cache, False
    if cache is True or cache is None:
        return AnswerCache(), True
    return AnswerCache(cache), True


def identity_of(engine: Engine) -> dict[str, Any] | None:
    """The model identity and generation options that decide ``engine``'s answers, or None
    when they cannot be known (then nothing is cached)."""
    if engine.capabilities.returns_records:
        return None  # read by docvlm's own code: see the module's docstring
    return engine.cache_identity()


def tile_key(engine: Engine, identity: dict[str, Any], request: TileRequest) -> str:
    """The key of ``request``'s answer: a SHA-256 over everything that decides it."""
    parts = {
        "version": KEY_VERSION,
        "engine": engine.name,
        "identity": identity,
        "schema": request.json_schema,
        "prompt": request.prompt,
        "image": image_hash(request.image()) if request.render is not None else None,
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def image_hash(image: Any) -> str:
    """A SHA-256 of the image's pixels, mode and size (not of an encoding of them)."""
    digest = hashlib.sha256(f"{image.mode}:{image.size[0]}x{image.size[1]}:".encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def _reply_json(reply: EngineReply) -> str:
    return json.dumps(
        {
            "text": reply.text,
            "probability": reply.probability,
            "warnings": reply.warnings,
            "usage": reply.usage,  # what the answer cost when it was asked for
        },
        ensure_ascii=False,
    )
