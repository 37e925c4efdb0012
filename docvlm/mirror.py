"""Where each input's output goes in an output folder: the input's path relative to the
common root of all inputs, with the output format's suffix (``in/a/x.pdf`` and
``in/b/x.pdf`` go to ``out/a/x.parquet`` and ``out/b/x.parquet``), so that inputs with the
same name in different folders never overwrite each other."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path


class OutputPathError(ValueError):
    """An input whose output cannot be placed: two inputs that would write the same file
    (``x.pdf`` and ``x.png``), or inputs on different drives."""


def mirrored_outputs(
    inputs: Sequence[str], folder: str | Path, suffix: str, reserved: Sequence[str] = ()
) -> dict[str, Path]:
    """Each input's output path in ``folder``; ``reserved`` names files of the folder that
    no output may take. Raises OutputPathError, naming both inputs, before anything is
    written."""
    folder = Path(folder)
    taken: dict[Path, str] = {folder / name: f"docvlm's own {name}" for name in reserved}
    outputs: dict[str, Path] = {}
    for path, relative in relative_paths(inputs).items():
        target = folder / relative.with_suffix(f".{suffix}")
        if target in taken:
            raise OutputPathError(
                f"{taken[target]} and {path} would both be written to {target}: rename one, "
                "or extract them into different folders"
            )
        taken[target] = path
        outputs[path] = target
    return outputs


def relative_paths(inputs: Sequence[str]) -> dict[str, Path]:
    """Each input's path relative to the common root of all inputs."""
    root = _common_root(inputs)
    return {path: Path(os.path.relpath(os.path.abspath(path), root)) for path in inputs}


def _common_root(inputs: Sequence[str]) -> str:
    """The deepest folder holding every input (absolute, symbolic links kept as given)."""
    if not inputs:
        return os.getcwd()
    parents = [os.path.dirname(os.path.abspath(path)) for path in inputs]
    try:
        return os.path.commonpath(parents)
    except ValueError:  # Windows: inputs on different drives share no folder
        raise OutputPathError(
            f"{inputs[0]} and the other inputs share no folder (different drives): extract "
            "each drive's files separately"
        ) from None
