"""Results read back from what ``docvlm extract`` writes: equal records, provenance,
status, warnings, errors and usage."""

from __future__ import annotations

import json

import pytest

import docvlm
from docvlm import Chart, KeyValues, Menu, Result, ResultsFileError, Table
from docvlm.cli import main
from docvlm.schemas import resolve_schema

INVOICE_SCHEMA = {
    "title": "Invoice",
    "type": "object",
    "properties": {
        "number": {"type": ["string", "null"]},
        "date": {"type": ["string", "null"]},
        "total": {"type": ["string", "null"]},
    },
}
CASES = [  # (fixture, schema, the record class read back)
    ("sales_table.pdf", "table", Table),
    ("menu.pdf", "menu", Menu),
    ("chart_bar.pdf", "chart", Chart),
    ("invoice.pdf", "keyvalues", KeyValues),
]


def _extract(capsys, out, *argv) -> None:
    code = main(["extract", "--no-progress", *map(str, argv), "-o", str(out)])
    capsys.readouterr()
    assert code == 0


def _assert_same(loaded: Result, expected: Result) -> None:
    assert (loaded.source, loaded.schema_name) == (expected.source, expected.schema_name)
    assert len(loaded.items) == len(expected.items) > 0
    for back, item in zip(loaded.items, expected.items, strict=True):
        assert type(back.record) is type(item.record)
        assert back.record == item.record
        assert back.schema_name == item.schema_name
        assert back.provenance.regions == item.provenance.regions
        assert back.provenance.fields == item.provenance.fields
        assert back.provenance == item.provenance


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_every_builtin_schema_reads_back(capsys, fixtures, tmp_path, fmt):
    for name, schema, model in CASES:
        out = tmp_path / f"{name}.{fmt}"
        _extract(capsys, out, fixtures / name, "--schema", schema)
        (loaded,) = docvlm.load_results(out)
        expected = docvlm.extract(fixtures / name, schema=schema)
        assert all(isinstance(r, model) for r in loaded.records)
        _assert_same(loaded, expected)
        assert loaded.status == expected.status == "ok"
        if fmt == "json":
            assert (loaded.warnings, loaded.errors) == (expected.warnings, expected.errors)
            assert loaded.usage == json.loads(out.read_text())[0]["usage"]
            assert (loaded.pages_total, loaded.page_numbers) == (1, [1])


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_user_model_reads_back_with_its_schema(capsys, fixtures, tmp_path, fmt):
    schema_file = tmp_path / "invoice.schema.json"
    schema_file.write_text(json.dumps(INVOICE_SCHEMA))
    out = tmp_path / f"invoice.{fmt}"
    _extract(capsys, out, fixtures / "invoice.pdf", "--schema", schema_file)
    with pytest.raises(ResultsFileError, match=r"invoice\.json.*'Invoice'.*pass schema="):
        docvlm.load_results(out)
    model = resolve_schema(schema_file)
    (loaded,) = docvlm.load_results(out, schema=model)
    expected = docvlm.extract(fixtures / "invoice.pdf", schema=model)
    _assert_same(loaded, expected)
    assert loaded.records[0].model_dump() == {
        "number": "INV-2024-017",
        "date": "12/03/2024",
        "total": "1,320.00",
    }


def test_warnings_and_several_documents_read_back(capsys, fixtures, tmp_path):
    out = tmp_path / "all.json"
    _extract(capsys, out, fixtures / "sales_table.pdf", fixtures / "menu.pdf", "-s", "chart")
    loaded = docvlm.load_results(out)
    written = json.loads(out.read_text())
    assert [r.source for r in loaded] == [d["source"] for d in written]
    assert [r.status for r in loaded] == [d["status"] for d in written]
    assert [r.to_dict() for r in loaded] == written
    assert any(r.warnings for r in loaded)
    # The sources name the files, so a result read back shows its page.
    assert loaded[0].origin == fixtures / "sales_table.pdf"
    assert loaded[0].show(1, dpi=36).size == (298, 421)


def test_errors_and_a_failed_status_read_back(capsys, fixtures, tmp_path):
    pytest.importorskip("httpx")
    out = tmp_path / "failed.json"
    unreachable = ["-e", "openai", "--base-url", "http://127.0.0.1:9/v1", "-m", "m"]
    options = ["--tile-size", "512", "-E", "max_retries=0", "-o", str(out)]
    code = main(
        ["extract", "--no-progress", str(fixtures / "report_3pages.pdf"), *unreachable, *options]
    )
    capsys.readouterr()
    assert code == 1
    (loaded,) = docvlm.load_results(out)
    assert loaded.status == "failed" and loaded.records == []
    assert [e.page for e in loaded.errors] == [1, 2, 3]
    assert loaded.to_dict() == json.loads(out.read_text())[0]


@pytest.mark.parametrize(
    ("text", "suffix", "cause"),
    [
        ("{not json", "json", "not JSON written by docvlm extract"),
        ('[{"records": []}]', "json", "not results written by docvlm extract"),
        ('{"source": "a.pdf", "path": "rows.0.0", "text": "x"}\n', "jsonl", "long layout"),
    ],
)
def test_a_file_that_is_not_results_is_one_clear_error(tmp_path, text, suffix, cause):
    path = tmp_path / f"bad.{suffix}"
    path.write_text(text)
    with pytest.raises(ResultsFileError, match=cause) as error:
        docvlm.load_results(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)
