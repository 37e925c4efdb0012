"""The record of the runs into an output folder, which makes them resumable.

``DIR/_docvlm_manifest.jsonl`` holds one JSON line per input, appended as the input
finishes: what was read (path and content hash), with which options (a hash), what came
out (status, pages, records, warnings, errors, output file) and how long it took. A re-run
skips an input whose latest entry shows it finished with the same content, options and
docvlm version and whose output is still there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_NAME = "_docvlm_manifest.jsonl"
# Statuses a re-run keeps. Inputs that failed, wholly or in part, are tried again: their
# cause (a server down, a file being copied) may have gone.
FINISHED = frozenset({"ok", "empty"})

log = logging.getLogger(__name__)


@dataclass
class Entry:
    """One input's line in the manifest."""

    input: str
    output: str  # relative to the manifest's folder, '/'-separated
    content_hash: str | None  # None when the input could not be read
    options_hash: str
    status: str  # a Result's status, or 'error' when the file could not be opened
    version: str
    pages: int = 0
    records: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Manifest:
    """The manifest of ``folder``, read once; ``append`` adds an entry to the file."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / MANIFEST_NAME
        self.latest: dict[str, Entry] = {}  # by output: a later line overrides an earlier one
        for entry in self._read():
            self.latest[entry.output] = entry

    def finished(
        self, output: Path, content_hash: str | None, options_hash: str, version: str
    ) -> Entry | None:
        """The entry that lets a re-run skip the input written to ``output``, if any."""
        entry = self.latest.get(self.key(output))
        if entry is None or content_hash is None:
            return None
        same = (entry.content_hash, entry.options_hash, entry.version) == (
            content_hash,
            options_hash,
            version,
        )
        return entry if same and entry.status in FINISHED and output.is_file() else None

    def key(self, output: Path) -> str:
        return Path(os.path.relpath(output, self.folder)).as_posix()

    def append(self, entry: Entry) -> None:
        """Add ``entry`` as one line, on disk before this returns (a run killed later
        keeps it)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8") + b"\n"
        with open(self.path, "a+b") as handle:
            # A run killed mid-line leaves a partial last line: start on a fresh one so
            # that only that line is lost.
            if handle.seek(0, os.SEEK_END) and _last_byte(handle) != b"\n":
                line = b"\n" + line
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self.latest[entry.output] = entry

    def _read(self) -> list[Entry]:
        if not self.path.is_file():
            return []
        entries = []
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                entry = _parse(line)
                if entry is None and line.strip():
                    log.debug(
                        "%s: line %d is not an entry (a run killed mid-line)", self.path, number
                    )
                elif entry is not None:
                    entries.append(entry)
        return entries


def file_hash(path: str | Path) -> str | None:
    """The SHA-256 of a file's bytes; None when it cannot be read (the extraction then
    reports why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return f"sha256:{digest.hexdigest()}"


def options_hash(options: dict[str, Any]) -> str:
    """A hash of the options that shape the outputs (JSON values)."""
    text = json.dumps(options, sort_keys=True, ensure_ascii=False, default=str)
    return f"sha256:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def _last_byte(handle: Any) -> bytes:
    handle.seek(-1, os.SEEK_END)
    return bytes(handle.read(1))


def _parse(line: str) -> Entry | None:
    try:
        return Entry(**json.loads(line))
    except (ValueError, TypeError):  # a partial line, or one from another version
        return None
