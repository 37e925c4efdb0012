from __future__ import annotations

import json
from pathlib import Path

import pytest

from docvlm.manifest import MANIFEST_NAME, Entry, Manifest
from docvlm.mirror import OutputPathError, mirrored_outputs


def entry(output: str, status: str = "ok") -> Entry:
    return Entry("in.pdf", output, "sha256:c", "sha256:o", status, "1.0", pages=1, records=1)


def test_a_line_cut_by_a_killed_run_is_dropped_and_the_next_starts_afresh(tmp_path):
    Manifest(tmp_path).append(entry("a.json"))
    with open(tmp_path / MANIFEST_NAME, "ab") as handle:
        handle.write(b'{"input": "b.pdf", "outp')  # killed mid-line
    manifest = Manifest(tmp_path)
    assert list(manifest.latest) == ["a.json"]
    manifest.append(entry("c.json"))
    lines = (tmp_path / MANIFEST_NAME).read_text().splitlines()
    assert [json.loads(line)["output"] for line in (lines[0], lines[2])] == ["a.json", "c.json"]
    assert list(Manifest(tmp_path).latest) == ["a.json", "c.json"]


def test_only_a_finished_entry_with_the_same_hashes_and_its_output_counts(tmp_path):
    manifest = Manifest(tmp_path)
    for output, status in [("a.json", "ok"), ("b.json", "partial"), ("c.json", "empty")]:
        manifest.append(entry(output, status))
        (tmp_path / output).write_text("[]")
    (tmp_path / "c.json").unlink()
    manifest = Manifest(tmp_path)

    def finished(name, content="sha256:c", options="sha256:o", version="1.0"):
        return manifest.finished(tmp_path / name, content, options, version) is not None

    assert finished("a.json")
    assert not finished("b.json")  # failed in part: tried again
    assert not finished("c.json")  # its output is gone
    assert not finished("a.json", content="sha256:edited")
    assert not finished("a.json", options="sha256:other")
    assert not finished("a.json", version="2.0")
    assert not finished("a.json", content=None)  # unreadable now


def test_outputs_mirror_the_inputs_under_their_common_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    absolute = str(tmp_path / "in" / "b" / "c" / "x.png")
    found = mirrored_outputs(["in/a/x.pdf", absolute], "out", "csv")
    assert found == {"in/a/x.pdf": Path("out/a/x.csv"), absolute: Path("out/b/c/x.csv")}
    assert mirrored_outputs(["in/a/x.pdf"], "out", "json") == {"in/a/x.pdf": Path("out/x.json")}


def test_no_output_may_take_the_manifest_name():
    with pytest.raises(OutputPathError, match=r"docvlm's own _docvlm_manifest\.jsonl and"):
        mirrored_outputs(["in/_docvlm_manifest.pdf"], "out", "jsonl", [MANIFEST_NAME])
