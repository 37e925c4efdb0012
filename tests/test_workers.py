"""Worker processes: the same outputs as one worker, in input order; a worker that dies is
that input's failure; each worker's native threads capped; JSON events on standard error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docvlm.batch import Outcome, Settings, Task, extract_many, plan_tasks
from docvlm.cli import main
from docvlm.errors import CorruptDocumentError, DocvlmError, ExtractionError
from docvlm.events import EVENT_KEYS
from docvlm.inputs import expand_paths
from docvlm.manifest import MANIFEST_NAME
from docvlm.pool import run_in_worker, run_pool

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ["ledger_3pages.pdf", "report_3pages.pdf", "sales_table.pdf", "chart_bar.png"]


def _command(*argv: object) -> subprocess.CompletedProcess[str]:
    """The docvlm command in a process of its own: workers write to the real stderr."""
    return subprocess.run(
        [sys.executable, "-m", "docvlm.cli", *map(str, argv)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_two_workers_write_the_bytes_one_worker_writes(capsys, fixtures, tmp_path):
    inputs = [str(fixtures / name) for name in INPUTS]
    said = []
    for workers in (1, 2):
        argv = ["extract", "--no-progress", *inputs, "--workers", str(workers)]
        assert main([*argv, "-o", str(tmp_path / f"w{workers}.jsonl")]) == 0
        assert main([*argv, "--layout", "long", "-o", str(tmp_path / f"w{workers}.csv")]) == 0
        said.append(capsys.readouterr().err)
    assert said[0] == said[1] and "chart_bar.png: no table found on page 1" in said[0]
    one, two = (tmp_path / "w1.jsonl").read_bytes(), (tmp_path / "w2.jsonl").read_bytes()
    assert one == two and one.count(b"\n") >= len(INPUTS)
    assert (tmp_path / "w1.csv").read_bytes() == (tmp_path / "w2.csv").read_bytes()


def test_the_pages_of_one_long_document_are_shared_out_and_merged_back(fixtures):
    settings = Settings()
    ledger = str(fixtures / "ledger_3pages.pdf")
    tasks = list(plan_tasks([ledger], settings, workers=2))
    assert [(t.pages, t.parts) for t in tasks] == [((1, 2), 2), ((3,), 2)]
    [one] = extract_many([ledger], workers=1)
    [two] = extract_many([ledger], workers=2)
    assert not isinstance(one.result, DocvlmError) and not isinstance(two.result, DocvlmError)
    # The ledger is one table over three pages: joined again across the ranges' ends.
    assert len(two.result.items) == len(one.result.items) == 1
    assert two.result.to_dict() == one.result.to_dict()
    assert two.result.page_numbers == [1, 2, 3]


def test_outcomes_come_in_input_order_with_each_failure_in_its_place(fixtures):
    names = ["report_3pages.pdf", "corrupt.pdf", "sales_table.pdf", "ledger_3pages.pdf"]
    outcomes = list(extract_many([str(fixtures / n) for n in names], workers=2))
    assert [Path(o.path).name for o in outcomes] == names
    assert isinstance(outcomes[1].result, CorruptDocumentError)
    assert [getattr(o.result, "status", None) for o in outcomes] == ["ok", None, "ok", "ok"]


def die_on_sales(task: Task) -> tuple[object, float]:
    """A worker's work that kills its process on the sales table (run by name in a worker)."""
    if "sales" in Path(task.path).name:
        os._exit(9)
    return run_in_worker(task)


def test_a_worker_that_dies_fails_its_input_and_the_others_finish(fixtures):
    names = ["report_3pages.pdf", "sales_table.pdf", "ledger_3pages.pdf"]
    files = [str(fixtures / n) for n in names]
    tasks = plan_tasks(files, Settings(), workers=2)
    outcomes = list(run_pool(tasks, Settings(), 2, None, work=die_on_sales))  # type: ignore[arg-type]
    assert [o.path for o in outcomes] == files
    assert isinstance(outcomes[1].result, ExtractionError)
    assert "worker process" in str(outcomes[1].result) and files[1] in str(outcomes[1].result)
    assert [getattr(o.result, "status", None) for o in outcomes] == ["ok", None, "ok"]


def first_waits_for_the_second(task: Task) -> tuple[object, float]:
    """A worker's work in which the first input finishes only once this process has been
    handed the second's outcome (it leaves a marker file then)."""
    marker = Path(task.path).parent / "second-complete"
    deadline = time.monotonic() + 60
    while task.index == 0 and not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return run_in_worker(task)


def test_an_outcome_is_handed_over_when_complete_and_yielded_in_turn(fixtures, tmp_path):
    files = []
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes((fixtures / "sales_table.pdf").read_bytes())
        files.append(str(tmp_path / name))
    handed: list[str] = []

    def on_complete(outcome: Outcome) -> None:
        handed.append(Path(outcome.path).name)
        if outcome.path == files[1]:
            (tmp_path / "second-complete").touch()

    tasks = plan_tasks(files, Settings(), workers=2)
    work = first_waits_for_the_second
    outcomes = list(run_pool(tasks, Settings(), 2, None, work=work, on_complete=on_complete))  # type: ignore[arg-type]
    assert handed == ["b.pdf", "a.pdf"]
    assert [o.path for o in outcomes] == files
    assert all(getattr(o.result, "status", None) == "ok" for o in outcomes)


def test_a_folder_run_with_workers_keeps_its_manifest_in_input_order(capsys, fixtures, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for name in INPUTS:
        (source / name).write_bytes((fixtures / name).read_bytes())
    out = tmp_path / "out"
    assert main(["extract", "--no-progress", str(source), "-o", f"{out}/", "-j", "2"]) == 0
    entries = [json.loads(line) for line in (out / MANIFEST_NAME).read_text().splitlines()]
    assert [e["input"] for e in entries] == expand_paths([str(source)])[0]
    assert [e["pages"] for e in entries] == [1, 3, 3, 1]  # sorted: chart, ledger, report, sales
    assert main(["extract", "--no-progress", str(source), "-o", f"{out}/", "-j", "2"]) == 0
    assert "4 of 4 inputs skipped" in capsys.readouterr().err


def test_json_logs_are_one_event_per_line_for_good_and_broken_inputs(fixtures):
    good, broken = fixtures / "sales_table.pdf", fixtures / "corrupt.pdf"
    done = _command("extract", good, broken, "--log-format", "json", "--workers", "2")
    assert done.returncode == 1
    events = [json.loads(line) for line in done.stderr.splitlines()]
    assert events and all(sorted(e) == sorted(EVENT_KEYS) for e in events)
    files = {e["file"]: e for e in events if e["event"] == "file"}
    assert files[str(good)]["status"] == "ok" and files[str(good)]["records"] == 1
    assert files[str(good)]["seconds"] >= 0
    assert files[str(broken)]["status"] == "error"
    [failure] = [e for e in events if e["event"] == "failure"]
    assert failure["file"] == str(broken) and "not a readable PDF" in failure["message"]
    assert json.loads(done.stdout)  # the records still go to standard output


def test_a_worker_caps_onnx_runtime_and_opencv_threads():
    models = Path(__import__("pymupdf").__file__).parent / "layout" / "resources" / "onnx"
    code = (
        "from docvlm.threads import cap_threads; cap_threads(1); import onnxruntime as ort; "
        f"s = ort.InferenceSession({str(models / 'table_grid_model_v1.onnx')!r}); "
        "o = s.get_session_options(); print(o.intra_op_num_threads, o.inter_op_num_threads); "
        "import os; print(os.environ['OMP_NUM_THREADS']); "
        "import cv2; print(cv2.getNumThreads())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["1", "1", "1", "1"]


def test_workers_must_be_a_positive_number(capsys, fixtures):
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(fixtures / "sales_table.pdf"), "--workers", "0"])
    assert exit_.value.code == 2
    assert "--workers takes a number of processes of 1 or more" in capsys.readouterr().err


def test_records_of_a_json_schema_file_come_back_from_workers(fixtures, tmp_path):
    # A model built at run time cannot be pickled by name: its records travel as data.
    schema = tmp_path / "invoice.schema.json"
    properties = {name: {"type": ["string", "null"]} for name in ("number", "date", "total")}
    schema.write_text(json.dumps({"title": "Invoice", "type": "object", "properties": properties}))
    files = [str(fixtures / "invoice.pdf"), str(fixtures / "invoice_scan.png")]
    one = list(extract_many(files, schema=str(schema), workers=1))
    two = list(extract_many(files, schema=str(schema), workers=2))
    assert [o.result.to_dict() for o in two] == [o.result.to_dict() for o in one]
    record = two[0].result.records[0]
    assert type(record).__name__ == "Invoice" and record.number == "INV-2024-017"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_schema_the_engine_cannot_read_is_refused_before_any_work(
    capsys, fixtures, tmp_path, workers
):
    # The engine is built once the first input is planned (with workers, while they
    # start): the refusal still comes before anything is extracted or written.
    schema = tmp_path / "order.schema.json"
    item = {"type": "object", "properties": {"name": {"type": "string"}}}
    lines = {"type": "array", "items": item}
    order = {"title": "Order", "type": "object", "properties": {"lines": lines}}
    schema.write_text(json.dumps(order))
    inputs = [str(fixtures / "sales_table.pdf"), str(fixtures / "report_3pages.pdf")]
    out = tmp_path / "out"
    argv = ["extract", "--no-progress", *inputs, "-s", str(schema), "-o", f"{out}/", "-j", workers]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "docvlm: native engine: the native engine fills records of plain fields; Order has "
        "nested or list fields (lines); choose another engine\n"
    )
    assert not out.exists()


def test_a_bad_engine_option_with_workers_is_one_line_and_no_output(fixtures, tmp_path):
    # The workers start before the options are checked; they stop without a word.
    inputs = [fixtures / "sales_table.pdf", fixtures / "chart_bar.png"]
    done = _command("extract", *inputs, "-E", "bogus=1", "-o", f"{tmp_path}/out/", "-j", "2")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "docvlm: the native engine has no option 'bogus'; its options: ocr, date_order, "
        "languages, tables"
    ]
    assert not (tmp_path / "out").exists()


def test_an_engine_a_worker_cannot_build_is_each_inputs_failure(fixtures):
    files = [str(fixtures / "sales_table.pdf"), str(fixtures / "chart_bar.png")]
    settings = Settings(engine_options={"ocr": "no-such-ocr"})
    outcomes = list(run_pool(plan_tasks(files, settings, workers=2), settings, 2, None))
    assert [o.path for o in outcomes] == files
    assert all(isinstance(o.result, DocvlmError) for o in outcomes)
    assert "no-such-ocr" in str(outcomes[0].result)


def test_the_command_flushes_its_output_and_exits_with_its_status(fixtures):
    done = _command("extract", fixtures / "sales_table.pdf", "-f", "csv")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("Region,") and done.stdout.endswith("\n")
    done = _command("extract", fixtures / "sales_table.pdf", fixtures / "corrupt.pdf", "-f", "csv")
    assert done.returncode == 1 and "corrupt.pdf" in done.stderr


def test_workers_forked_from_the_command_write_what_one_worker_writes(fixtures, tmp_path):
    # The command is a fresh process: its native workers fork once it has imported their
    # libraries, and read tables (ONNX Runtime) and a chart image (OCR) as one worker does.
    inputs = [fixtures / name for name in INPUTS]
    one = _command("extract", "--no-progress", *inputs, "-j", "1", "-o", tmp_path / "w1.jsonl")
    two = _command(
        "-v", "extract", "--no-progress", *inputs, "-j", "2", "-o", tmp_path / "w2.jsonl"
    )
    assert one.returncode == two.returncode == 0
    assert "2 worker processes, started with fork" in two.stderr
    assert (tmp_path / "w1.jsonl").read_bytes() == (tmp_path / "w2.jsonl").read_bytes()
