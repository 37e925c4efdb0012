from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from docvlm.cli import main
from tests.conftest import SALES, STAFF


def run(capsys, *argv):
    code = main(["extract", "--no-progress", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_the_table_as_json_by_default(capsys, fixtures):
    code, out, err = run(capsys, fixtures / "sales_table.pdf", "--schema", "table")
    assert code == 0 and err == ""
    assert json.loads(out)[0]["records"][0]["data"]["rows"] == SALES


def test_csv_to_stdout(capsys, fixtures):
    code, out, _ = run(capsys, fixtures / "sales_table.pdf", "-f", "csv")
    assert code == 0 and out.splitlines() == [",".join(row) for row in SALES]


def test_batch_with_bad_files_writes_what_succeeded_and_exits_1(capsys, fixtures, tmp_path):
    out_file = tmp_path / "all.jsonl"
    code, _, err = run(
        capsys,
        fixtures / "sales_table.pdf",
        fixtures / "encrypted.pdf",
        fixtures / "missing.pdf",
        fixtures / "report_3pages.pdf",
        "-o",
        out_file,
    )
    assert code == 1
    lines = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [line["data"]["rows"] for line in lines] == [SALES, SALES, STAFF]
    errors = err.strip().splitlines()
    assert errors == [
        f"docvlm: {fixtures / 'encrypted.pdf'}: the PDF is encrypted: give its password with "
        "--password (API: password=...)",
        f"docvlm: {fixtures / 'missing.pdf'}: no such file",
    ]


def test_password_option(capsys, fixtures):
    code, out, _ = run(capsys, fixtures / "encrypted.pdf", "--password", "secret", "-f", "csv")
    assert code == 0 and out.splitlines()[1] == ",".join(SALES[1])


def test_folder_and_glob_inputs_with_one_output_file_per_input(capsys, fixtures, tmp_path):
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    shutil.copy(fixtures / "sales_table.pdf", source / "a.pdf")
    shutil.copy(fixtures / "report_3pages.pdf", source / "sub" / "b.pdf")
    (source / "notes.txt").write_text("ignored: not a document suffix")
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, source, "-o", f"{out_dir}/", "-f", "csv")
    assert code == 0, err
    outputs = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.csv"))
    assert outputs == ["a.csv", "sub/b.csv"]  # the inputs' folders under their common one
    two_tables = pd.read_csv(out_dir / "sub" / "b.csv")  # different columns: one row per value
    assert two_tables.record.tolist().count(1) == 4 * 4
    code, out, _ = run(capsys, f"{source}/**/*.pdf", "-f", "jsonl")
    assert code == 0 and len(out.splitlines()) == 3


def test_progress_bar_on_stderr_when_asked(capsys, fixtures):
    code = main(
        [
            "extract",
            "--progress",
            str(fixtures / "report_3pages.pdf"),
            str(fixtures / "sales_table.pdf"),
            "-f",
            "jsonl",
        ]
    )
    err = capsys.readouterr().err
    # One bar over the pages of both inputs: three and one.
    assert code == 0 and "4/4" in err and "page/s" in err


def test_strict_stops_at_the_first_failure(capsys, fixtures):
    code, out, err = run(
        capsys, fixtures / "corrupt.pdf", fixtures / "sales_table.pdf", "--strict", "-f", "jsonl"
    )
    assert code == 1 and out == "" and err.count("docvlm:") == 1


def test_glob_matching_nothing_is_reported(capsys, tmp_path):
    code, out, err = run(capsys, f"{tmp_path}/*.pdf")
    assert code == 1 and json.loads(out) == [] and "no files match" in err


def test_page_errors_exit_1_and_keep_other_pages(capsys, fixtures):
    code, out, err = run(
        capsys,
        fixtures / "scan_3pages.tiff",
        fixtures / "sales_table.pdf",
        "-f",
        "jsonl",
        "-E",
        "ocr=null",
    )
    assert code == 1 and len(out.splitlines()) == 1
    # One cause striking every page is one line naming the pages.
    assert err.count("OCR is off") == 1 and "scan_3pages.tiff: pages 1-3: " in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--schema", "recipe"], "unknown schema 'recipe'"),
        (["--engine", "gpt"], "unknown engine 'gpt'"),
        (["--engine", "transformers"], "the transformers engine needs the option 'model'"),
        (["-E", "ocr=abbyy"], "native engine option ocr='abbyy': input should be 'rapidocr'"),
        (["-E", "colour=red"], "the native engine has no option 'colour'; its options: ocr,"),
        (["-e", "openai", "-m", "m", "-E", "timeout=soon"], "openai engine option timeout='soon'"),
        (["-f", "parquet"], "parquet output is binary"),
        (["--pages", "x-2"], "invalid page selection"),
        (["--pages", "0"], "page 0 does not exist: pages are numbered from 1"),
        (["-o", "out.xlsx"], "does not write .xlsx files: name the output .json, .jsonl, .csv"),
        (["-e", "transformers", "-m", "/no/such/folder"], "model folder /no/such/folder does not"),
        (
            ["-e", "transformers", "-m", "./models/qwen"],
            "model folder ./models/qwen does not exist",
        ),
        (["--dpi", "3"], "dpi must be between"),
    ],
)
def test_usage_errors_exit_2(capsys, fixtures, argv, message):
    with pytest.raises(SystemExit) as info:
        code = main(["extract", str(fixtures / "sales_table.pdf"), *argv])
        raise SystemExit(code)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_verbose_shows_the_traceback(capsys, fixtures):
    main(["--verbose", "extract", "--no-progress", str(fixtures / "corrupt.pdf")])
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().endswith("not a readable PDF (Failed to open stream)")


def test_schemas_and_engines_commands(capsys):
    assert main(["schemas"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == ["table", "menu", "chart", "keyvalues"]
    assert main(["schemas", "--json-schema", "menu"]) == 0
    assert "sections" in json.loads(capsys.readouterr().out)["properties"]
    assert main(["engines"]) == 0
    assert "native" in capsys.readouterr().out.split()


def test_console_script_help_and_end_to_end(fixtures, tmp_path):
    exe = shutil.which("docvlm") or pytest.skip("console script not installed")
    help_text = subprocess.run([exe, "extract", "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "--password" in help_text.stdout
    out = tmp_path / "t.parquet"
    done = subprocess.run(
        [exe, "extract", str(fixtures / "sales_table.pdf"), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert pd.read_parquet(out).values.tolist() == SALES[1:]
    usage = subprocess.run(
        [sys.executable, "-m", "docvlm.cli", "extract"], capture_output=True, text=True
    )
    assert usage.returncode == 2 and "required" in usage.stderr


def test_page_out_of_range_names_the_real_page_count(capsys, fixtures):
    code, _, err = run(capsys, fixtures / "report_3pages.pdf", "--pages", "2-5")
    assert code == 1
    assert err.strip().endswith("page 4 is out of range: the document has 3 pages")


def test_an_explicit_format_writes_any_file_name(capsys, fixtures, tmp_path):
    code, _, _ = run(capsys, fixtures / "sales_table.pdf", "-o", tmp_path / "t.txt", "-f", "csv")
    assert code == 0 and (tmp_path / "t.txt").read_text().splitlines()[0] == ",".join(SALES[0])


def test_the_exported_json_schemas_read_as_the_builtin_ones(capsys, fixtures):
    root = fixtures.parent / "schemas"
    code, out, err = run(capsys, fixtures / "sales_table.pdf", "-s", root / "table.schema.json")
    assert code == 0 and err == ""
    assert json.loads(out)[0]["records"][0]["data"]["rows"] == SALES
    from docvlm.schemas import BUILTIN_SCHEMAS, resolve_schema

    for name, model in BUILTIN_SCHEMAS.items():
        assert resolve_schema(root / f"{name}.schema.json") is model


def _unreachable(*options):
    pytest.importorskip("httpx")
    # Port 9 (discard) on this machine: nothing listens, the connection is refused.
    return ["-e", "openai", "--base-url", "http://127.0.0.1:9/v1", "-m", "m", *options]


def test_an_unreachable_server_is_one_line_per_document(capsys, fixtures):
    argv = _unreachable("--tile-size", "512", "-E", "max_retries=0")
    code, out, err = run(capsys, fixtures / "report_3pages.pdf", *argv)
    assert code == 1 and json.loads(out)[0]["status"] == "failed"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "report_3pages.pdf: pages 1-3: the server at" in lines[0]
    assert "cannot be reached" in lines[0]


def test_ask_prints_no_answer_when_every_page_failed(capsys, fixtures):
    argv = [
        "ask",
        str(fixtures / "sales_table.pdf"),
        "Total?",
        *_unreachable("-E", "max_retries=0"),
    ]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "cannot be reached" in err and "not found" not in err
    assert main([*argv, "-f", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["answer"] is None


def test_long_flag_writes_one_row_per_value(capsys, fixtures):
    code, out, _ = run(capsys, fixtures / "sales_table.pdf", "-f", "csv", "--long")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("source,page,record,record_type,path,row,col,")
    first = pd.read_csv(io.StringIO(out)).iloc[0]
    assert (first.path, first.header, first.text) == ("rows.1.0", "Region", "North")
    assert len(lines) == 1 + 5 * 5
