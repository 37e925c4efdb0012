"""The long layout: one row per value under the same typed columns for every schema."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pydantic import BaseModel

import docvlm
from docvlm import writers
from docvlm.cli import main
from docvlm.long_layout import COLUMN_NAMES, arrow_schema
from tests.conftest import SALES


@pytest.fixture(scope="module")
def results(fixtures):
    return {
        "table": docvlm.extract(fixtures / "sales_table.pdf"),
        "chart": docvlm.extract(fixtures / "chart_bar.pdf", schema="chart"),
        "menu": docvlm.extract(fixtures / "menu.pdf", schema="menu"),
        "keyvalues": docvlm.extract(fixtures / "invoice.pdf", schema="keyvalues"),
        "empty": docvlm.extract(fixtures / "chart_bar.pdf", schema="table"),
    }


def test_every_schema_and_an_empty_document_have_the_same_arrow_schema(results, tmp_path):
    assert results["empty"].status == "empty"
    for name, result in results.items():
        frame = result.to_pandas(layout="long")
        assert list(frame.columns) == COLUMN_NAMES, name
        assert [str(t) for t in frame.dtypes] == [f"{t}[pyarrow]" for t in arrow_schema().types], (
            name
        )
        writers.write([result], "parquet", tmp_path / f"{name}.parquet", layout="long")
        assert pq.read_schema(tmp_path / f"{name}.parquet").remove_metadata() == arrow_schema()
    assert results["empty"].to_pandas(layout="long").empty
    every = pd.concat([r.to_pandas(layout="long") for r in results.values()])
    assert list(every.dtypes) == list(results["empty"].to_pandas(layout="long").dtypes)
    assert set(every.record_type) == {"table", "chart", "menu", "keyvalues"}


def test_a_table_cell_is_a_row_with_its_place_header_and_grounding(results):
    frame = results["table"].to_pandas(layout="long")
    assert len(frame) == 5 * 5
    q2_south = frame[(frame.row == 1) & (frame.header == "Q2")].iloc[0]
    assert (q2_south.path, q2_south.col, q2_south.text) == ("rows.2.2", 2, SALES[2][2])
    assert q2_south.value_num == 8.7 and pd.isna(q2_south.value_date)
    assert (q2_south.status, q2_south.confidence, q2_south.engine) == ("exact", 1.0, "native")
    assert q2_south.bbox_x0 < q2_south.bbox_x1 and q2_south.bbox_y0 < q2_south.bbox_y1
    assert frame.text.tolist() == [cell for row in SALES[1:] for cell in row]


def test_chart_menu_and_form_values_keep_their_field_paths(results):
    chart = results["chart"].to_pandas(layout="long")
    point = results["chart"].records[0].series[0].points[0]
    y = chart[chart.path == "series.0.points.0.y"].iloc[0]
    assert (y.header, y.value_num) == ("y", point.y)
    names = [f"series.{s}.name" for s in range(len(results["chart"].records[0].series))]
    assert len(names) == 2 and chart[chart.header == "series"].path.unique().tolist() == names
    menu = results["menu"].to_pandas(layout="long")
    section = results["menu"].records[0].sections[0]
    assert menu[menu.path == "sections.0.name"].text.unique().tolist() == [section.name]
    pairs = results["keyvalues"].to_pandas(layout="long")
    date = pairs[pairs.text == "12/03/2024"].iloc[0]
    assert date.path.endswith(".value") and date.value_date == dt.date(2024, 3, 12)


def test_a_user_model_value_is_found_by_its_field_name(fixtures):
    class Invoice(BaseModel):
        invoice_number: str | None = None
        total: float | None = None

    result = docvlm.extract(fixtures / "invoice.pdf", schema=Invoice)
    frame = result.to_pandas(layout="long")
    assert frame.path.tolist() == ["invoice_number", "total"]
    assert frame.record_type.unique().tolist() == [result.schema_name]


def test_layout_long_on_the_command_line_for_csv_and_jsonl(capsys, fixtures, tmp_path):
    argv = ["extract", "--no-progress", str(fixtures / "sales_table.pdf"), "--layout", "long"]
    assert main([*argv, "-o", str(tmp_path / "t.csv")]) == 0
    csv = pd.read_csv(tmp_path / "t.csv")
    assert list(csv.columns) == COLUMN_NAMES and len(csv) == 25
    assert main([*argv, "-f", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert list(lines[0]) == COLUMN_NAMES and len(lines) == 25
    assert (lines[1]["header"], lines[1]["value_num"]) == ("Q1", 12.5)
