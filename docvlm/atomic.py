"""Files that appear whole or not at all.

A file is written under a temporary name in its own folder and renamed over the target
when complete: a rename within one folder is atomic, so a run that is killed leaves
either the previous file or the new one, never a truncated file that looks like output.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Temporary files are hidden ('.name.<random>.part') so that globbing a folder of outputs
# does not pick them up while they are being written.
TEMP_SUFFIX = ".part"


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into; it replaces ``path`` when the
    block ends without an exception, and is removed when one is raised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        # mkstemp creates the file readable by its owner only; outputs get the usual mode.
        os.chmod(temp, _file_mode())
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # the data is on disk before the name points at it
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_file(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    with replacing(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


def remove_leftovers(*paths: str | Path) -> list[Path]:
    """Remove the temporary files a killed run left next to any of ``paths``; the removed
    ones. Each folder is listed once: a glob per path compiled a pattern per path, 1 ms
    each, which a re-run of thousands of inputs would feel."""
    names_by_folder: dict[Path, set[str]] = {}
    for path in map(Path, paths):
        names_by_folder.setdefault(path.parent, set()).add(path.name)
    removed = []
    for folder, names in names_by_folder.items():
        try:
            entries = sorted(os.listdir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if _written_as(entry) in names:
                with contextlib.suppress(FileNotFoundError):
                    (folder / entry).unlink()
                removed.append(folder / entry)
    return removed


def _written_as(name: str) -> str | None:
    """The file that the temporary file ``name`` ('.x.json.k2j4.part', see ``replacing``)
    was to become ('x.json'); None for any other name."""
    if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
        return None
    target, dot, _random = name[1 : -len(TEMP_SUFFIX)].rpartition(".")
    return target if dot else None


@functools.cache
def _file_mode() -> int:
    # The umask can only be read by setting it; done once, before any worker thread runs.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
