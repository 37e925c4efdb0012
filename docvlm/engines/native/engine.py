"""The ``native`` engine: answers with records read from the text layer, no model needed."""

from __future__ import annotations

from docvlm.engines.base import EngineCapabilities, EngineReply, FoundRecord, TileRequest
from docvlm.engines.native.charts import find_charts
from docvlm.engines.native.tables import find_tables
from docvlm.errors import ExtractionError
from docvlm.schemas import Chart


class NativeEngine:
    """Tables and vector charts from PDF pages with a text layer.

    It reads whole pages (tiling would only cut tables it can read in one piece) and needs
    no rasterising.
    """

    name = "native"
    capabilities = EngineCapabilities(
        returns_records=True,
        needs_image=False,
        reads_whole_page=True,
        schemas=frozenset({"table", "chart"}),
        max_concurrency=0,  # pymupdf is not thread-safe: run in the calling thread
    )

    def run(self, request: TileRequest) -> EngineReply:
        page = request.page
        if page.document.kind != "pdf" or not page.has_text_layer:
            raise ExtractionError(
                "the page has no text layer; the native engine reads tables from PDF text "
                "layers (scanned pages need a VLM engine for now)",
                page.document.name,
            )
        if request.schema is Chart:
            found = [FoundRecord(f.chart, f.bbox) for f in find_charts(page)]
        else:
            found = [FoundRecord(f.table, f.bbox) for f in find_tables(page)]
        records = [r for r in found if r.bbox and r.bbox.intersection(request.tile.bbox)]
        return EngineReply(records=records)
