from __future__ import annotations

import json

import pytest

import docvlm
from docvlm import (
    EngineCapabilities,
    EngineReply,
    EngineUnavailableError,
    ExtractionError,
    FoundRecord,
    Table,
    TileOptions,
)
from tests.conftest import SALES, STAFF


def test_extract_returns_table_records_with_provenance(fixtures):
    result = docvlm.extract(fixtures / "report_3pages.pdf", schema="table")
    assert result.status == "ok" and result.errors == [] and result.pages_total == 3
    assert [t.rows for t in result.records] == [SALES, STAFF]
    assert all(isinstance(t, Table) and t.header_rows == 1 for t in result.records)
    first, second = result.provenance
    assert (first.engine, first.page, second.page) == ("native", 1, 2)
    assert first.bbox is not None and 170 < first.bbox.y0 < first.bbox.y1 < 310


def test_extract_with_a_model_class_and_from_bytes(fixtures):
    data = (fixtures / "sales_table.pdf").read_bytes()
    result = docvlm.extract(data, schema=Table)
    assert result.source == "<bytes>" and result.records[0].rows == SALES


def test_page_selection_and_progress(fixtures):
    calls = []
    result = docvlm.extract(
        fixtures / "report_3pages.pdf",
        pages="2-3",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 2), (2, 2)]
    assert [p.page for p in result.provenance] == [2]


def test_native_engine_refuses_schemas_it_cannot_read(fixtures):
    from pydantic import BaseModel

    class Order(BaseModel):
        lines: list[list[str]]

    with pytest.raises(EngineUnavailableError, match="nested or list fields"):
        docvlm.extract(fixtures / "sales_table.pdf", schema=Order)


def test_unknown_engine():
    with pytest.raises(EngineUnavailableError, match=r"unknown engine 'gpt'.*native"):
        docvlm.get_engine("gpt")


def test_scan_without_text_layer_is_a_page_error_not_a_crash(fixtures):
    result = docvlm.extract(fixtures / "scan_3pages.tiff", engine_options={"ocr": None})
    assert result.status == "failed" and result.records == []
    assert [(e.page, e.stage) for e in result.errors] == [
        (1, "extract"),
        (2, "extract"),
        (3, "extract"),
    ]
    assert "no usable text layer and OCR is off" in result.errors[0].message


class FlakyEngine:
    """Reads a one-row table from every page but fails on page 2."""

    name = "flaky"
    capabilities = EngineCapabilities(
        returns_records=True, needs_image=False, reads_whole_page=True
    )

    def run(self, request):
        if request.page.number == 2:
            raise RuntimeError("model crashed")
        return EngineReply(records=[FoundRecord({"rows": [[f"page {request.page.number}"]]})])


def test_a_failing_page_is_recorded_and_the_rest_still_comes_out(fixtures):
    result = docvlm.extract(fixtures / "report_3pages.pdf", engine=FlakyEngine())
    assert result.status == "partial"
    assert [t.rows for t in result.records] == [[["page 1"]], [["page 3"]]]
    (error,) = result.errors
    assert (error.page, error.stage, error.message) == (2, "extract", "RuntimeError: model crashed")
    assert str(error).endswith("report_3pages.pdf: page 2: RuntimeError: model crashed")


def test_strict_raises_instead_naming_the_page(fixtures):
    with pytest.raises(ExtractionError, match="page 2: RuntimeError: model crashed") as info:
        docvlm.extract(fixtures / "report_3pages.pdf", engine=FlakyEngine(), strict=True)
    assert isinstance(info.value.__cause__, RuntimeError)


def test_damaged_pdf_is_reported_as_partial(fixtures):
    result = docvlm.extract(fixtures / "truncated.pdf")
    # The file's damage is one error of the whole file; its page, repaired, is still read
    # (its table was in the part cut off, so the page says why it holds none).
    assert result.status == "partial"
    assert (result.pages_total, result.page_numbers, result.pages_failed) == (1, [1], 0)
    assert [(e.source, e.page, e.stage) for e in result.errors] == [
        (str(fixtures / "truncated.pdf"), None, "load")
    ]
    assert "damaged" in result.errors[0].message and "repaired" in result.errors[0].message
    assert result.records == []
    assert [(w.page, w.kind, w.message) for w in result.warnings] == [
        (1, "empty", "no table found: no table region")
    ]


class TextEngine:
    """A prompt-driven engine that needs tile images and answers one record per tile."""

    name = "text"
    capabilities = EngineCapabilities(preferred_tile_size=512)

    def __init__(self):
        self.sizes = []

    def run(self, request):
        self.sizes.append(request.image().size)
        cell = f"tile {request.tile.index}"
        return EngineReply(text=json.dumps({"records": [{"rows": [[cell]]}]}))


def test_image_engines_get_tiles_at_their_preferred_size(fixtures):
    engine = TextEngine()
    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine=engine, tiles=TileOptions(dpi=150, overlap=32)
    )
    assert engine.sizes == [(512, 512)] * 12
    assert len(result.records) == 12 and {p.tiles[0] for p in result.provenance} == set(range(12))


def test_identical_records_from_overlapping_tiles_collapse(fixtures):
    class SameEverywhere(TextEngine):
        def run(self, request):
            return EngineReply(text='{"records": [{"rows": [["same"]]}]}')

    result = docvlm.extract(
        fixtures / "sales_table.pdf",
        engine=SameEverywhere(),
        tiles=TileOptions(tile_size=600, overlap=64),
    )
    assert len(result.records) == 1 and result.provenance[0].tiles == list(range(12))


def test_page_too_large_to_rasterise_is_a_page_error(fixtures):
    result = docvlm.extract(
        fixtures / "huge_page.pdf", engine=TextEngine(), tiles=TileOptions(dpi=150, tile_size=None)
    )
    assert result.status == "failed"
    assert (result.errors[0].stage, result.errors[0].page) == ("raster", 1)
    assert "30000x30000 pixels, over the cap" in result.errors[0].message


def test_invalid_engine_answers_become_page_errors(fixtures):
    class Nonsense(TextEngine):
        def run(self, request):
            return EngineReply(text="I cannot see a table")

    result = docvlm.extract(
        fixtures / "sales_table.pdf", engine=Nonsense(), tiles=TileOptions(tile_size=2000)
    )
    assert result.status == "failed" and "not valid JSON" in result.errors[0].message
    with pytest.raises(ExtractionError):
        docvlm.extract(fixtures / "sales_table.pdf", engine=Nonsense(), strict=True)
