"""A page that yields no record says why, and a record that lacks something says what:
never a plain ``ok`` for nothing."""

from __future__ import annotations

import json

import pymupdf
import pytest
from PIL import Image
from pydantic import BaseModel

import docvlm
from docvlm.cli import main
from docvlm.events import page_ranges


class Receipt(BaseModel):
    total: float | None = None
    shop_motto: str | None = None


class Memo(BaseModel):
    ship_to: str | None = None
    carrier: str | None = None


def warnings_of(result: docvlm.Result) -> list[tuple[int | None, str, str]]:
    return [(w.page, w.kind, w.message) for w in result.warnings]


@pytest.fixture(scope="module")
def blank_png(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("blank") / "blank.png"
    Image.new("RGB", (400, 300), "white").save(path)
    return path


def _pdf(tmp_path, draw) -> str:
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=300)
    draw(page)
    path = tmp_path / "page.pdf"
    doc.save(path)
    return str(path)


def test_blank_image_is_empty_for_every_schema_not_a_failure(blank_png):
    expected = {
        "table": "no table found: no table region",
        "chart": "no chart found: no coloured marks",
        "menu": "no menu found: no text layer, and OCR (rapidocr) read no words",
        "keyvalues": "no keyvalues found: no text layer, and OCR (rapidocr) read no words",
    }
    for schema, message in expected.items():
        result = docvlm.extract(blank_png, schema=schema)
        assert (result.status, result.errors, result.records) == ("empty", [], [])
        assert warnings_of(result) == [(1, "empty", message)]


def test_bars_without_tick_labels_cannot_be_calibrated(tmp_path):
    def bars(page: pymupdf.Page) -> None:
        for i, height in enumerate([80, 120, 60]):
            page.draw_rect(
                pymupdf.Rect(60 + 50 * i, 250 - height, 90 + 50 * i, 250),
                color=None,
                fill=(0.2, 0.4, 0.8),
            )
        page.insert_text((60, 40), "Bars with no axis")

    result = docvlm.extract(_pdf(tmp_path, bars), schema="chart")
    assert result.status == "empty"
    assert warnings_of(result) == [
        (1, "empty", "no chart found: axes could not be calibrated from the tick labels")
    ]


def test_a_lone_legend_swatch_is_not_a_chart(tmp_path):
    def swatch(page: pymupdf.Page) -> None:
        page.draw_rect(pymupdf.Rect(50, 50, 60, 60), color=None, fill=(0.9, 0.1, 0.1))
        page.insert_text((66, 59), "Revenue")

    result = docvlm.extract(_pdf(tmp_path, swatch), schema="chart")
    assert warnings_of(result) == [
        (1, "empty", "no chart found: only legend swatches, no data marks")
    ]


def test_no_table_menu_or_pairs_on_a_chart_page(fixtures):
    for schema, reason in [
        ("table", "no table region"),
        ("menu", "no priced dishes"),
    ]:
        result = docvlm.extract(fixtures / "chart_pie.pdf", schema=schema)
        assert result.status == "empty"
        assert warnings_of(result) == [(1, "empty", f"no {schema} found: {reason}")]


def test_user_record_none_found_is_empty_some_found_is_incomplete(fixtures):
    empty = docvlm.extract(fixtures / "invoice.pdf", schema=Memo)
    assert (empty.status, empty.records) == ("empty", [])
    assert warnings_of(empty) == [
        (1, "empty", "no Memo found: none of the fields (ship_to, carrier) were found")
    ]
    partial = docvlm.extract(fixtures / "invoice.pdf", schema=Receipt)
    assert partial.status == "ok" and partial.records[0].total == 1320.0
    assert warnings_of(partial) == [(1, "incomplete", "field(s) not found: shop_motto")]


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_pie_without_legend_says_its_slices_have_no_label(tmp_path):
    plt = pytest.importorskip("matplotlib.pyplot")
    figure, axes = plt.subplots(figsize=(4, 4))
    axes.pie([50, 30, 20], colors=["#1f77b4", "#ff7f0e", "#2ca02c"])
    path = tmp_path / "pie.pdf"
    figure.savefig(path)
    plt.close(figure)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    shares = sorted(round(p.y, 2) for p in result.records[0].series[0].points)
    assert shares == [0.2, 0.3, 0.5]
    assert warnings_of(result) == [(1, "incomplete", "3 of 3 slices have no label")]


def test_chart_gaps_name_unnamed_series_and_unread_values():
    chart = docvlm.Chart.model_validate(
        {
            "series": [
                {"name": None, "points": [{"x": "a", "y": 1.0}, {"x": "b", "y": None}]},
                {"name": "B", "points": [{"x": "a", "y": 2.0}]},
            ]
        }
    )
    assert chart.gaps() == [
        "1 of 2 series have no name (legend not read)",
        "1 point(s) without a value",
    ]
    one = docvlm.Chart.model_validate({"series": [{"points": [{"x": "a", "y": 1.0}]}]})
    assert one.gaps() == []


def test_pages_without_a_record_beside_pages_with_one(fixtures):
    result = docvlm.extract(fixtures / "report_3pages.pdf", schema="table")
    pages_with = {p.page for p in result.provenance}
    assert result.status == "ok" and pages_with
    empty_pages = {w.page for w in result.warnings if w.kind == "empty"}
    assert empty_pages == set(result.page_numbers) - pages_with


def test_json_carries_status_and_warnings(fixtures, capsys):
    assert main(["extract", str(fixtures / "report_3pages.pdf"), "-s", "chart"]) == 0
    out, err = capsys.readouterr()
    [document] = json.loads(out)
    assert document["status"] == "empty" and document["records"] == []
    assert [w["message"] for w in document["warnings"]] == [
        "no chart found: no coloured marks among the drawings",
        "no chart found: no coloured marks among the drawings",
        "no chart found: no vector drawings",
    ]
    assert err.splitlines() == [
        f"docvlm: {fixtures / 'report_3pages.pdf'}: no chart found on pages 1-3 "
        "(no coloured marks among the drawings; no vector drawings)"
    ]


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_fail_on_empty_sets_the_exit_status(fixtures, capsys):
    args = ["extract", str(fixtures / "chart_bar.pdf"), str(fixtures / "report_3pages.pdf")]
    assert main([*args, "-s", "chart", "-f", "csv"]) == 0
    assert main([*args, "-s", "chart", "-f", "csv", "--fail-on-empty"]) == 1
    assert main([*args[:2], "-s", "chart", "-f", "csv", "--fail-on-empty"]) == 0
    err = capsys.readouterr().err
    assert err.count("no chart found on pages 1-3") == 2 and "chart_bar" not in err


def test_page_ranges():
    assert page_ranges([7, 1, 2, 3, 5, 6]) == "1-3, 5-7"
    assert page_ranges([4]) == "4"


def test_chart_gaps_say_a_bar_series_read_twice_at_one_category():
    def bars(xs):
        return {"chart_type": "bar", "series": [{"name": "A", "points": xs}]}

    merged = [{"x": "Store 2 Sevilla", "y": 3.0}, {"x": "Store 2 Sevilla", "y": 5.0}]
    chart = docvlm.Chart.model_validate(bars([{"x": "Store 1", "y": 1.0}, *merged]))
    assert chart.gaps() == [
        "1 bar(s) at a category their series already has (category labels or bars not told apart)"
    ]
    apart = docvlm.Chart.model_validate(bars([{"x": "Store 1", "y": 1.0}, merged[0]]))
    assert apart.gaps() == []
    line = docvlm.Chart.model_validate({**bars(merged), "chart_type": "line"})
    assert line.gaps() == []
    area = docvlm.Chart.model_validate({**bars(merged), "chart_type": "area"})
    assert area.gaps() == [
        "1 point(s) at a category their series already has "
        "(category labels or points not told apart)"
    ]
