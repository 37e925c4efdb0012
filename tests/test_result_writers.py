from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import docvlm
from docvlm import writers
from tests.conftest import SALES, STAFF


@pytest.fixture(scope="module")
def two_tables(fixtures):
    return docvlm.extract(fixtures / "report_3pages.pdf")


@pytest.fixture(scope="module")
def one_table(fixtures):
    return docvlm.extract(fixtures / "sales_table.pdf")


def test_one_table_frame_is_the_table(one_table):
    frame = one_table.to_pandas()
    assert list(frame.columns) == SALES[0]
    assert frame.values.tolist() == SALES[1:]


def test_several_records_stack_under_key_columns(two_tables):
    frame = two_tables.to_pandas()
    assert list(frame.columns[:3]) == ["source", "page", "record"]
    assert frame.groupby("record").size().tolist() == [5, 4]
    staff = frame[frame.record == 1]
    assert staff["Department"].tolist() == [row[0] for row in STAFF[1:]]
    assert set(staff.page) == {2}
    assert [f.shape for f in two_tables.frames()] == [(5, 5), (4, 4)]


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
    assert len(frame) == 9 and frame.loc[5, "Department"] == "Finance"


def test_multiindex_headers_are_flattened_for_files():
    from docvlm.result import ExtractedRecord, Provenance, Region, Result

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
