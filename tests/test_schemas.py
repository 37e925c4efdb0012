from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel, ValidationError

from docvlm import Chart, KeyValues, Menu, SchemaError, Table
from docvlm.schemas import BUILTIN_SCHEMAS, json_schema, model_from_json_schema, resolve_schema

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"


@pytest.mark.parametrize("name", sorted(BUILTIN_SCHEMAS))
def test_committed_json_schemas_match_the_models(name):
    committed = json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text())
    assert committed == json_schema(BUILTIN_SCHEMAS[name]), (
        f"schemas/{name}.schema.json is stale: run 'docvlm schemas --export schemas'"
    )


def test_no_stray_committed_schemas():
    assert {p.name for p in SCHEMAS_DIR.glob("*.json")} == {
        f"{name}.schema.json" for name in BUILTIN_SCHEMAS
    }


def test_resolve_builtin_names_models_and_files(tmp_path):
    assert resolve_schema("table") is Table and resolve_schema("MENU") is Menu

    class Invoice(BaseModel):
        number: str

    assert resolve_schema(Invoice) is Invoice
    path = tmp_path / "invoice.json"
    path.write_text(json.dumps({"type": "object", "properties": {"number": {"type": "string"}}}))
    model = resolve_schema(str(path))
    assert model.model_validate({"number": "A-1"}).number == "A-1"  # type: ignore[attr-defined]
    with pytest.raises(SchemaError, match="unknown schema 'recipe'"):
        resolve_schema("recipe")
    with pytest.raises(SchemaError, match="no such schema file"):
        resolve_schema(str(tmp_path / "missing.json"))


def test_json_schema_file_becomes_a_typed_model():
    schema = {
        "title": "receipt",
        "type": "object",
        "required": ["company", "total"],
        "additionalProperties": False,
        "properties": {
            "company": {"type": "string", "maxLength": 50, "description": "Seller"},
            "total": {"type": "number", "minimum": 0},
            "date": {"type": ["string", "null"]},
            "kind": {"enum": ["cash", "card"]},
            "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}},
            "unit-price": {"type": "integer"},
        },
        "$defs": {
            "line": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "qty": {"type": "integer"}},
            },
        },
    }
    model = model_from_json_schema(schema)
    assert model.__name__ == "Receipt"
    record = model.model_validate(
        {
            "company": "ACME",
            "total": "12.5",
            "kind": "card",
            "lines": [{"name": "tea", "qty": 2}],
            "unit-price": 3,
        }
    )
    assert record.total == 12.5 and record.lines[0].qty == 2  # type: ignore[attr-defined]
    assert record.model_dump(by_alias=True)["unit-price"] == 3
    assert model.model_fields["company"].description == "Seller"
    for bad in (
        {"company": "x" * 51, "total": 1},
        {"company": "A", "total": -1},
        {"company": "A", "total": 1, "kind": "cheque"},
        {"company": "A"},
        {"company": "A", "total": 1, "extra": 1},
    ):
        with pytest.raises(ValidationError):
            model.model_validate(bad)


def test_unsupported_json_schema_is_refused_by_name():
    with pytest.raises(SchemaError, match="only local"):
        model_from_json_schema({"type": "object", "properties": {"a": {"$ref": "http://x/y"}}})
    with pytest.raises(SchemaError, match="top-level schema must be an object"):
        model_from_json_schema({"type": "array"})


def test_table_pads_ragged_rows_and_bounds_header_rows():
    table = Table(rows=[["a", "b", "c"], ["1"]], header_rows=1)
    assert table.rows == [["a", "b", "c"], ["1", "", ""]]
    assert Table(rows=[["a"]], header_rows=3).header_rows == 1
    with pytest.raises(ValidationError):
        Table(rows=[["a"]], header_rows=-1)


def test_table_dataframe_uses_header_rows_as_columns():
    table = Table(rows=[["Name", "", "Name"], ["x", "1", "2"]], header_rows=1)
    frame = table.to_dataframe()
    assert list(frame.columns) == ["Name", "column_2", "Name.1"]
    assert frame.values.tolist() == [["x", "1", "2"]]


def test_table_with_two_header_rows_gives_a_multiindex():
    table = Table(
        rows=[["", "Releases", ""], ["Pollutant", "air", "water"], ["CO2", "100", "-"]],
        header_rows=2,
    )
    frame = table.to_dataframe()
    assert list(frame.columns) == [("", "Pollutant"), ("Releases", "air"), ("Releases", "water")]
    assert frame.loc[0, ("Releases", "air")] == "100"


def test_table_without_header_rows():
    frame = Table(rows=[["1", "2"]]).to_dataframe()
    assert list(frame.columns) == ["column_1", "column_2"] and len(frame) == 1


def test_menu_chart_keyvalues_frames():
    menu = Menu.model_validate(
        {
            "sections": [
                {"name": "Starters", "items": [{"name": "Soup", "price": 4.5, "currency": "EUR"}]},
                {
                    "name": "Mains",
                    "items": [{"name": "Fish", "description": "grilled", "price": 12}],
                },
            ]
        }
    )
    frame = menu.to_dataframe()
    assert frame[["section", "name", "price"]].values.tolist() == [
        ["Starters", "Soup", 4.5],
        ["Mains", "Fish", 12.0],
    ]
    chart = Chart.model_validate(
        {
            "chart_type": "bar",
            "series": [{"name": "2023", "points": [{"x": "A", "y": 1}, {"x": "B", "y": 2.5}]}],
        }
    )
    assert chart.to_dataframe().values.tolist() == [["2023", "A", 1.0], ["2023", "B", 2.5]]
    pairs = KeyValues.model_validate({"pairs": [{"label": "Total", "value": "9.90"}]})
    assert pairs.to_dataframe().to_dict("records") == [{"label": "Total", "value": "9.90"}]


def test_menu_rejects_negative_prices_and_unknown_fields():
    with pytest.raises(ValidationError):
        Menu.model_validate({"sections": [{"items": [{"name": "x", "price": -1}]}]})
    with pytest.raises(ValidationError):
        Menu.model_validate({"sections": [], "notes": "?"})


def test_user_model_frame_is_one_flat_row():
    from docvlm.schemas import record_to_dataframe

    class Address(BaseModel):
        city: str

    class Company(BaseModel):
        name: str
        address: Address

    frame = record_to_dataframe(Company(name="ACME", address=Address(city="Oslo")))
    assert isinstance(frame, pd.DataFrame)
    assert frame.to_dict("records") == [{"name": "ACME", "address.city": "Oslo"}]
