"""Runs into an output folder: mirrored paths, refused collisions, the manifest, re-runs
that skip finished inputs, and a killed run that a re-run completes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from docvlm import __version__
from docvlm.cli import build_parser, main
from docvlm.commands import OTHER_OPTIONS, OUTPUT_OPTIONS
from docvlm.manifest import MANIFEST_NAME
from tests.conftest import SALES, STAFF

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    code = main(["extract", "--no-progress", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / MANIFEST_NAME).read_text().splitlines()]


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the manifest (whose seconds differ run to run)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


@pytest.fixture
def two_folders(fixtures, tmp_path):
    """in/a/x.pdf (the sales table) and in/b/x.pdf (the two tables of the report)."""
    for folder, name in [("a", "sales_table.pdf"), ("b", "report_3pages.pdf")]:
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(fixtures / name, tmp_path / "in" / folder / "x.pdf")
    return tmp_path / "in"


def test_same_names_in_two_folders_give_two_outputs(capsys, two_folders, tmp_path):
    out = tmp_path / "out"
    code, _, err = run(capsys, two_folders, "-o", f"{out}/", "-f", "parquet")
    assert code == 0 and err == ""
    assert sorted(outputs(out)) == ["a/x.parquet", "b/x.parquet"]
    sales = pd.read_parquet(out / "a" / "x.parquet")
    assert [list(sales.columns), *sales.values.tolist()] == SALES
    report = pd.read_parquet(out / "b" / "x.parquet")  # two tables: one row per value
    assert report[(report.record == 1) & (report.row == 0)].text.tolist() == STAFF[1]


def test_inputs_that_would_write_one_file_are_refused_before_any_work(capsys, fixtures, tmp_path):
    shutil.copy(fixtures / "sales_table.pdf", tmp_path / "x.pdf")
    shutil.copy(fixtures / "scan.png", tmp_path / "x.png")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exit_:
        run(capsys, tmp_path / "x.pdf", tmp_path / "x.png", "-o", f"{out}/")
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.splitlines() == [
        f"docvlm: error: {tmp_path / 'x.pdf'} and {tmp_path / 'x.png'} would both be written "
        f"to {out / 'x.json'}: rename one, or extract them into different folders"
    ]
    assert not out.exists()


def test_the_manifest_records_each_input(capsys, fixtures, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(fixtures / "sales_table.pdf", source / "sales.pdf")
    shutil.copy(fixtures / "encrypted.pdf", source / "locked.pdf")
    out = tmp_path / "out"
    code, _, _ = run(capsys, source, "-o", f"{out}/", "-f", "csv")
    assert code == 1
    locked, sales = manifest(out)  # in the inputs' (sorted) order
    assert sales["input"] == str(source / "sales.pdf") and sales["output"] == "sales.csv"
    assert sales["content_hash"].startswith("sha256:") and len(sales["content_hash"]) == 71
    assert sales["options_hash"] == locked["options_hash"]
    assert (sales["status"], sales["pages"], sales["records"]) == ("ok", 1, 1)
    assert sales["errors"] == [] and sales["version"] == __version__
    assert 0 < sales["seconds"] < 600
    assert (locked["status"], locked["records"], locked["output"]) == ("error", 0, "locked.csv")
    assert locked["errors"] == [
        f"{source / 'locked.pdf'}: the PDF is encrypted: give its password with --password "
        "(API: password=...)"
    ]
    assert not (out / "locked.csv").exists()


def test_a_rerun_skips_what_is_finished_and_redoes_the_rest(capsys, two_folders, tmp_path):
    out = tmp_path / "out"
    argv = [two_folders, "-o", f"{out}/", "-f", "csv"]
    assert run(capsys, *argv)[0] == 0
    first = manifest(out)
    code, _, err = run(capsys, *argv)
    assert code == 0 and manifest(out) == first
    assert err == (
        f"docvlm: 2 of 2 inputs skipped: an earlier run extracted them into {out}/ with "
        f"these options (see {MANIFEST_NAME}; --force redoes them)\n"
    )
    # A changed input, and a deleted output, are done again; nothing else.
    shutil.copy(two_folders / "a" / "x.pdf", two_folders / "b" / "x.pdf")
    assert run(capsys, *argv)[0] == 0
    (out / "a" / "x.csv").unlink()
    assert run(capsys, *argv)[0] == 0
    redone = manifest(out)[2:]
    assert [entry["output"] for entry in redone] == ["b/x.csv", "a/x.csv"]
    assert redone[0]["content_hash"] == first[0]["content_hash"] != first[1]["content_hash"]
    assert (out / "b" / "x.csv").read_text() == (out / "a" / "x.csv").read_text()


# Runs the command in a fresh interpreter, then prints which heavy modules it loaded.
_LOADED_BY_THE_COMMAND = """
import json, sys
from docvlm.cli import main
code = main(sys.argv[1:])
heavy = ["pymupdf", "numpy", "onnxruntime", "docvlm.engines.registry", "docvlm.pipeline"]
print(json.dumps([code, [name for name in heavy if name in sys.modules]]))
"""


def test_a_finished_rerun_builds_no_engine_and_loads_no_reader(capsys, two_folders, tmp_path):
    out = tmp_path / "out"
    argv = ["extract", "--no-progress", str(two_folders), "-o", f"{out}/", "-f", "csv"]

    def loaded() -> list:
        done = subprocess.run(
            [sys.executable, "-c", _LOADED_BY_THE_COMMAND, *argv],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.splitlines()[-1])

    code, heavy = loaded()
    # The first run reads (here or in its workers) with the engine it builds.
    assert code == 0 and {"pymupdf", "docvlm.engines.registry"} <= set(heavy)
    assert loaded() == [0, []]  # every input finished: nothing to read them with is loaded
    (two_folders / "a" / "x.pdf").touch()  # the same content: still finished
    assert loaded() == [0, []]
    shutil.copy(two_folders / "a" / "x.pdf", two_folders / "b" / "x.pdf")
    assert loaded()[1]  # one input changed: the engine is built for it


def test_changed_options_and_force_redo_every_input(capsys, two_folders, tmp_path):
    out = tmp_path / "out"
    argv = [two_folders, "-o", f"{out}/", "-f", "csv"]
    assert run(capsys, *argv)[0] == 0
    assert run(capsys, *argv, "--dpi", "200")[0] == 0
    assert run(capsys, *argv, "--dpi", "200", "--force")[0] == 0
    entries = [{k: v for k, v in e.items() if k != "seconds"} for e in manifest(out)]
    assert len(entries) == 6  # each run did both inputs
    assert entries[0]["options_hash"] == entries[1]["options_hash"]
    assert entries[2]["options_hash"] != entries[0]["options_hash"]
    assert entries[4:] == entries[2:4]  # --force: the same inputs, options and outcomes


def test_failed_inputs_are_tried_again(capsys, fixtures, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(fixtures / "encrypted.pdf", source / "locked.pdf")
    out = tmp_path / "out"
    assert run(capsys, source, "-o", f"{out}/")[0] == 1
    assert run(capsys, source, "-o", f"{out}/", "--password", "secret")[0] == 0
    assert [e["status"] for e in manifest(out)] == ["error", "ok"]


def test_force_needs_an_output_folder(capsys, fixtures):
    with pytest.raises(SystemExit) as exit_:
        run(capsys, fixtures / "sales_table.pdf", "--force")
    assert exit_.value.code == 2
    assert "--force redoes inputs finished in an output folder" in capsys.readouterr().err


def test_every_extract_option_is_classed_for_the_options_hash():
    parser = build_parser()
    extract = parser._subparsers._group_actions[0].choices["extract"]  # type: ignore[union-attr]
    dests = {a.dest for a in extract._actions if a.dest != "help"} | {"verbose", "run"}
    assert sorted(dests) == sorted({*OUTPUT_OPTIONS, *OTHER_OPTIONS})
    assert not set(OUTPUT_OPTIONS) & set(OTHER_OPTIONS)


def _extract(inputs: Path, out: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "docvlm.cli", "extract", "--no-progress", str(inputs)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [*command, "-o", f"{out}/", "-f", "parquet"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell's background job inherits SIGINT ignored, and Python then leaves it so:
        # the command under test must get Ctrl-C as a terminal would deliver it.
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_first_entry(process: subprocess.Popen, out: Path, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while not (out / MANIFEST_NAME).is_file() or not (out / MANIFEST_NAME).read_text():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first input never finished"
        time.sleep(0.05)  # polling, not timing: the order of events is fixed by the pipe


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT"])
def test_a_killed_run_then_a_rerun_gives_the_outputs_of_an_uninterrupted_run(
    fixtures, two_folders, tmp_path, how
):
    (two_folders / "c").mkdir()
    shutil.copy(fixtures / "sales_table.pdf", two_folders / "c" / "y.pdf")
    whole = tmp_path / "whole"
    assert _extract(two_folders, whole).wait() == 0
    # b/x.pdf becomes a named pipe: opening it blocks, so the run is held in its second
    # input, after the first is written and recorded, until it is killed there.
    real = two_folders / "b" / "x.pdf"
    shutil.move(real, tmp_path / "b.pdf")
    os.mkfifo(real)
    killed = tmp_path / "killed"
    process = _extract(two_folders, killed)
    _wait_for_first_entry(process, killed)
    process.send_signal(getattr(signal, how))
    _, err = process.communicate(timeout=120)
    if how == "SIGINT":  # Ctrl-C: said in one line, with the usual status
        assert (process.returncode, err) == (130, "docvlm: interrupted\n")
    assert sorted(outputs(killed)) == ["a/x.parquet"]
    real.unlink()
    shutil.move(tmp_path / "b.pdf", real)
    (killed / "b").mkdir()
    (killed / "b" / ".x.parquet.k2j4.part").write_bytes(b"PAR1 half written")  # a killed write
    rerun = _extract(two_folders, killed)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0 and err.startswith("docvlm: 1 of 3 inputs skipped")
    assert outputs(killed) == outputs(whole)
    assert sorted(outputs(whole)) == ["a/x.parquet", "b/x.parquet", "c/y.parquet"]
    assert [e["output"] for e in manifest(killed)] == [
        "a/x.parquet",
        "b/x.parquet",
        "c/y.parquet",
    ]


def test_overlays_of_same_named_inputs_stay_apart(capsys, two_folders, tmp_path):
    checks = tmp_path / "checks"
    code, _, _ = run(capsys, two_folders, "-o", f"{tmp_path / 'out'}/", "--overlay", checks)
    assert code == 0
    found = sorted(p.relative_to(checks).as_posix() for p in checks.rglob("*.png"))
    assert found == ["a/x-page1.png", "b/x-page1.png", "b/x-page2.png"]


def test_a_skipped_empty_input_still_fails_under_fail_on_empty(capsys, fixtures, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(fixtures / "chart_bar.pdf", source / "chart.pdf")  # no table in it
    argv = [source, "-o", f"{tmp_path / 'out'}/", "--fail-on-empty"]
    assert run(capsys, *argv)[0] == 1
    code, _, err = run(capsys, *argv)
    assert code == 1 and "1 of 1 inputs skipped" in err
    assert [e["status"] for e in manifest(tmp_path / "out")] == ["empty"]
