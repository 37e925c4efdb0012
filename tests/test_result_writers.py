from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import docvlm
from docvlm import writers
from docvlm.long_layout import COLUMN_NAMES as LONG_COLUMNS
from tests.conftest import SALES, STAFF


@pytest.fixture(scope="module")
def two_tables(fixtures):
    return docvlm.extract(fixtures / "report_3pages.pdf")


@pytest.fixture(scope="module")
def one_table(fixtures):
    return docvlm.extract(fixtures / "sales_table.pdf")


def test_one_table_frame_is_the_table(one_table):
    frame = one_table.to_pandas(types=False)
    assert list(frame.columns) == SALES[0]
    assert frame.values.tolist() == SALES[1:]
    typed = one_table.to_pandas()
    assert typed.values.tolist() == [[r[0], *map(float, r[1:])] for r in SALES[1:]]


def test_tables_with_different_columns_come_out_long_never_merged_by_label(two_tables):
    frame = two_tables.to_pandas()
    assert list(frame.columns) == LONG_COLUMNS
    assert frame.groupby("record").size().tolist() == [5 * 5, 4 * 4]
    staff = frame[frame.record == 1]
    assert set(staff.page) == {2}
    assert staff[staff.header == "Department"].text.tolist() == [row[0] for row in STAFF[1:]]
    back = staff.pivot(index="row", columns="header", values="text")[STAFF[0]]
    assert back.values.tolist() == STAFF[1:]
    assert [f.shape for f in two_tables.frames()] == [(5, 5), (4, 4)]
    with pytest.raises(ValueError, match="different columns"):
        two_tables.to_pandas(layout="wide")


def test_records_with_the_same_columns_stack_one_after_another(one_table):
    from docvlm.result import Result, frames_to_pandas

    first = one_table.items[0]
    doubled = Result(source="a.pdf", schema_name="table", items=[first, first])
    frame = frames_to_pandas([doubled])
    assert list(frame.columns) == ["source", "page", "record", *SALES[0]]
    assert frame.values[:, 3:].tolist() == SALES[1:] * 2
    assert frame.record.tolist() == [0] * 5 + [1] * 5


def test_a_table_whose_pages_did_not_join_is_not_widened(fixtures):
    # The pages of a table kept apart have different header rows (the first page's labels,
    # then none): stacked by label they gave a frame of the union of every page's columns.
    result = docvlm.extract(fixtures / "ledger_3pages.pdf", merge_pages=False)
    frame = pd.read_csv(io.StringIO(writers.to_csv([result])), dtype=str)
    assert list(frame.columns) == LONG_COLUMNS
    assert len(frame) == sum(len(f) * f.shape[1] for f in result.frames())
    long = result.to_pandas(layout="long", provenance=True)  # provenance is always there
    assert list(long.columns) == LONG_COLUMNS and set(long.page) == {1, 2, 3}
    assert long.bbox_x0.notna().all() and set(long.status) == {"exact"}


def test_keys_can_be_forced(one_table):
    frame = one_table.to_pandas(keys=True)
    assert frame.iloc[0][["page", "record", "Region"]].tolist() == [1, 0, "North"]


def test_json_carries_records_provenance_and_errors(two_tables):
    data = json.loads(writers.to_json([two_tables]))
    (doc,) = data
    assert doc["status"] == "ok" and doc["schema"] == "table" and doc["errors"] == []
    first = doc["records"][0]
    assert first["data"]["rows"] == SALES and first["data"]["header_rows"] == 1
    assert first["page"] == 1 and len(first["bbox"]) == 4
    assert first["provenance"]["engine"] == "native"


def test_jsonl_is_one_record_per_line(two_tables):
    lines = writers.to_jsonl([two_tables]).splitlines()
    assert [json.loads(line)["page"] for line in lines] == [1, 2]
    assert json.loads(lines[1])["data"]["rows"] == STAFF


def test_csv_round_trips(one_table):
    frame = pd.read_csv(io.StringIO(writers.to_csv([one_table])), dtype=str)
    assert [list(frame.columns), *frame.values.tolist()] == SALES


def test_parquet_round_trips(two_tables, tmp_path):
    path = tmp_path / "out" / "tables.parquet"
    writers.write([two_tables], "parquet", path)
    frame = pd.read_parquet(path)
    assert len(frame) == 5 * 5 + 4 * 4
    assert frame[(frame.record == 1) & (frame.row == 0)].text.tolist() == STAFF[1]


def test_long_parquet_holds_text_and_numbers(fixtures, tmp_path):
    menu = docvlm.extract(fixtures / "menu.pdf", schema="menu")
    writers.write([menu], "parquet", tmp_path / "m.parquet", layout="long")
    frame = pd.read_parquet(tmp_path / "m.parquet")
    assert list(frame.columns) == LONG_COLUMNS
    price = menu.records[0].sections[0].items[0].price
    first = frame[frame.header == "price"].iloc[0]
    assert (first.text, first.value_num) == (str(price), price)


def test_multiindex_headers_are_flattened_for_files():
    from docvlm.provenance import Provenance, Region
    from docvlm.result import ExtractedRecord, Result

    table = docvlm.Table(
        rows=[["", "Releases", ""], ["Gas", "air", "water"], ["CO2", "1", "-"]], header_rows=2
    )
    result = Result(
        source="x.pdf",
        schema_name="table",
        items=[
            ExtractedRecord(table, Provenance(engine="native", regions=[Region(page=1)]), "table")
        ],
    )
    assert writers.to_csv([result]).splitlines()[0] == "Gas,Releases / air,Releases / water"


def test_binary_format_needs_a_path(one_table):
    with pytest.raises(ValueError, match="binary"):
        writers.write([one_table], "parquet", io.StringIO())
