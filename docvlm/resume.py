"""A run into an output folder: where each input's output goes, which inputs an earlier
run already finished (see ``docvlm.manifest``), and the manifest entry of each input
that finishes now."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docvlm import atomic
from docvlm.errors import DocvlmError
from docvlm.manifest import MANIFEST_NAME, Entry, Manifest, file_hash, options_hash
from docvlm.mirror import mirrored_outputs
from docvlm.version import __version__

if TYPE_CHECKING:
    from docvlm.result import Result


class FolderRun:
    """Plan a run of ``inputs`` into ``folder`` (refusing colliding outputs before any
    work); ``force`` redoes inputs an earlier run finished."""

    def __init__(
        self,
        inputs: list[str],
        folder: str | Path,
        suffix: str,
        options: dict[str, Any],
        force: bool = False,
    ) -> None:
        self.outputs = mirrored_outputs(inputs, folder, suffix, reserved=[MANIFEST_NAME])
        self.manifest = Manifest(folder)
        self.options_hash = options_hash(options)
        self.version = __version__
        self.force = force
        self.skipped: list[Entry] = []
        self._hashes: dict[str, str | None] = {}
        self._done: dict[str, bool] = {}  # skip()'s answer for each input looked at
        atomic.remove_leftovers(*self.outputs.values())  # a killed run's temporary files

    def skip(self, path: str) -> bool:
        """Whether an earlier run finished ``path`` as this one would. Its content is
        hashed here, once, when its turn comes, not all inputs up front."""
        if path not in self._done:
            self._hashes[path] = file_hash(path)
            done = None
            if not self.force:
                done = self.manifest.finished(
                    self.outputs[path], self._hashes[path], self.options_hash, self.version
                )
            if done is not None:
                self.skipped.append(done)
            self._done[path] = done is not None
        return self._done[path]

    def nothing_to_do(self) -> bool:
        """Whether an earlier run finished every input as this one would; the inputs are
        looked at in order, up to the first that is not finished."""
        return all(self.skip(path) for path in self.outputs)

    def record(self, path: str, outcome: Result | DocvlmError, seconds: float) -> None:
        """Append ``path``'s entry; call it once its output is in place."""
        entry = Entry(
            input=path,
            output=self.manifest.key(self.outputs[path]),
            content_hash=self._hashes.get(path),
            options_hash=self.options_hash,
            status="error",
            version=self.version,
            seconds=round(seconds, 3),
        )
        if isinstance(outcome, DocvlmError):
            entry.errors = [str(outcome)]
        else:
            entry.status = outcome.status
            entry.pages = len(outcome.page_numbers)
            entry.records = len(outcome.items)
            entry.warnings = [str(w) for w in outcome.warnings]
            entry.errors = [str(e) for e in outcome.errors]
        self.manifest.append(entry)
