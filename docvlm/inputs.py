"""Finding a run's inputs: the file types docvlm reads, and the files that paths, folders
and glob patterns name. Nothing here opens a file, so a run that has nothing left to do
(every input finished, see ``docvlm.resume``) never loads pymupdf or an engine."""

from __future__ import annotations

import glob
from collections.abc import Sequence
from pathlib import Path

# Image files read as one-page documents (docvlm.document); PDFs are the other input.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"})
INPUT_SUFFIXES = frozenset({".pdf", *IMAGE_SUFFIXES})


def expand_paths(patterns: Sequence[str]) -> tuple[list[str], list[str]]:
    """Files from paths, folders (searched recursively) and glob patterns, in order; and
    what matched nothing."""
    files: list[str] = []
    failures: list[str] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES)
            if not found:
                failures.append(f"{pattern}: the folder holds no PDF or image files")
            files.extend(found)
        elif path.exists() or not glob.has_magic(pattern):
            files.append(pattern)  # a missing file is reported when it is opened
        else:
            matches = sorted(p for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
            if not matches:
                failures.append(f"{pattern}: no files match")
            files.extend(matches)
    return list(dict.fromkeys(files)), failures
