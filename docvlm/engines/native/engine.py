"""The ``native`` engine: answers with records read from the page itself, no model needed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from PIL import Image
from pydantic import BaseModel, ValidationError

from docvlm.document import Page, Word
from docvlm.engines.base import Engine, EngineCapabilities, EngineReply, FoundRecord, TileRequest
from docvlm.engines.native.charts import FoundChart, NoChart, chart_points, find_charts
from docvlm.engines.native.keyvalues import find_pairs
from docvlm.engines.native.menus import read_menu
from docvlm.engines.native.picture_charts import picture_charts, wordless_pictures
from docvlm.engines.native.picture_rules import scan_rules
from docvlm.engines.native.raster_charts import NO_MARKS
from docvlm.engines.native.raster_regions import read_image_charts, region_reader
from docvlm.engines.native.records import fill_record, is_scalar
from docvlm.engines.native.tables import FAST, FoundTable, find_tables
from docvlm.engines.native.word_tables import find_tables_in_words
from docvlm.engines.options import NativeOptions
from docvlm.errors import ExtractionError
from docvlm.geometry import BBox
from docvlm.label_slips import mended_labels
from docvlm.ocr import SCAN_COVER, get_backend, has_usable_text, ocr_page, page_words
from docvlm.raster import PymupdfRasteriser
from docvlm.schemas.base import NativeReader, Record

TABLE_GRID = "regions and grid by pymupdf.layout"
TABLE_METHOD = f"text layer; {TABLE_GRID}"
PICTURE_METHOD = "pixels of the pictures on the page (colour regions, OCR tick labels)"
RENDER_DPI = 200.0  # PDF charts read from pixels: a point is nearly three pixels
# Charts are read from at most this many pixels (an A4 page at RENDER_DPI is 3.9 MP): a
# larger image is shrunk first, which the marks' colours and shapes survive, and its
# reading (time and memory grow with the pixels) stays that of an ordinary page.
CHART_MAX_PIXELS = 4_000_000
CHART_FRAME_POINTS = 1600.0  # the long side of the largest page a chart is read on as is
# The median height of an OCR'd word box on a chart whose text is printed at 10 to 12
# points (office suites, matplotlib at any dpi they state): 12.5 to 16; a web chart's
# 10 to 13-pixel text at 72 dpi: 15 to 20 (a small image's short words, marker and all).
CHART_WORD_POINTS = 15.0
LARGE_WORD_POINTS = 17.0


class NativeEngine(Engine):
    """Tables and vector charts from PDF pages; menus, label/value pairs and user records
    from any page (scans through the bundled OCR). Options (:class:`NativeOptions`):

    ``ocr``: the OCR backend for pages without a usable text layer (``"rapidocr"`` or
    ``"tesseract"``), or ``None`` to never OCR. It reads whole pages and needs no
    rasterising; given an explicit tile size it reads each tile's part of the page only,
    as a model shown that tile would (the merger then puts the pieces together).

    ``date_order``: how numeric dates are read in your own records' date fields: ``"DMY"``
    (the default: 03/04/2024 is 3 April), ``"MDY"`` (US: 4 March) or ``"YMD"``; a date that
    is invalid in that order is read in the other ('14/03/2024'). ``languages``: the
    languages whose month names are recognised ('12. März 2024', '12 de marzo de 2024'),
    as two-letter codes.

    ``tables``: ``"accurate"`` (the default) or ``"fast"``: the layout analyser that finds
    tables drawn without lines reads the text's features only, not the rendered page
    (about 0.6 of the time on table pages, slightly less accurate; see ``tables.FAST``).
    """

    name = "native"
    options_model = NativeOptions
    capabilities = EngineCapabilities(
        returns_records=True,
        needs_image=False,
        reads_whole_page=True,
        max_concurrency=0,  # pymupdf is not thread-safe: run in the calling thread
    )

    def __init__(self, options: NativeOptions | None = None) -> None:
        self.options: NativeOptions = options or NativeOptions()
        self.date_order = self.options.date_order
        self.languages = self.options.languages
        self.fast_tables = self.options.tables == FAST

    def supports(self, model: type[BaseModel]) -> str | None:
        """Why the engine cannot extract ``model`` records, or None when it can."""
        if issubclass(model, Record) and model.needs_model:
            return f"{model.needs_model} need a model engine (transformers or openai)"
        if _reader(model) is not None:
            return super().supports(model)
        nested = [n for n, f in model.model_fields.items() if not is_scalar(f.annotation)]
        if nested:
            return (
                f"the native engine fills records of plain fields; {model.__name__} has "
                f"nested or list fields ({', '.join(nested)})"
            )
        return super().supports(model)

    def run(self, request: TileRequest) -> EngineReply:
        page, model = request.page, request.schema
        reader = _reader(model)
        # Given a tile smaller than the page, read only what the tile shows.
        tile = request.tile.bbox
        within = tile if tile.area < 0.99 * page.bbox.area else None
        if reader == "chart":
            try:
                charts = self._charts(request)
            except NoChart as reason:
                return EngineReply(warnings=[str(reason)])
            return EngineReply(
                records=[
                    c
                    for c in charts
                    if c.bbox is None or within is None or within.contains_point(*c.bbox.center)
                ]
            )
        if reader == "table":
            try:
                tables = self._tables(page, within)
            except ValidationError as exc:  # the reader's own table breaks a schema bound
                return EngineReply(warnings=[f"the page's tables could not be kept: {_why(exc)}"])
            found = [r for r in tables if r.bbox and r.bbox.intersection(tile)]
            return EngineReply(records=found, warnings=[] if found else ["no table region"])
        frame, source = page_words(page, self.ocr)
        words = frame.words
        if within is not None:
            words = tuple(w for w in words if within.contains_point(*frame.to_page(w.bbox).center))
        if not words:
            return EngineReply(warnings=[_no_words(source, self.ocr)])
        box = frame.to_page(BBox.enclosing(w.bbox for w in words))
        method = _words_method(source, frame.rotation)
        if reader == "menu":
            menu = read_menu(words)
            if not menu:
                return EngineReply(warnings=["no priced dishes"])
            return EngineReply(records=[FoundRecord(menu, box, method)])
        if reader == "keyvalues":
            pairs = find_pairs(words)
            if not pairs:
                return EngineReply(warnings=["no label and value pairs"])
            record = {"pairs": [{"label": p.label, "value": p.value} for p in pairs]}
            pairs_box = frame.to_page(BBox.enclosing(p.bbox for p in pairs))
            return EngineReply(records=[FoundRecord(record, pairs_box, method)])
        values, status = fill_record(model, words, self.date_order, self.languages)
        return _user_record(model, values, status, box, method, page.document.name)

    def _tables(self, page: Page, within: BBox | None) -> list[FoundRecord]:
        """Tables from the PDF text layer (only their cells ``within`` a tile, given one);
        from OCR words on scans."""
        if page.document.kind == "pdf" and has_usable_text(page):
            found = find_tables(page, within, self.fast_tables)
            return [_table_record(f, TABLE_METHOD) for f in found]
        if self.ocr is None:
            raise ExtractionError(
                "the page has no usable text layer and OCR is off (ocr=None)",
                page.document.name,
            )
        frame = ocr_page(page, self.ocr)
        method = f"{_words_method(f'ocr:{self.ocr}', frame.rotation)}; {TABLE_GRID}"
        width, height = (
            (page.height, page.width) if frame.rotation in (90, 270) else (page.width, page.height)
        )
        return [
            _table_record(replace(f, bbox=frame.to_page(f.bbox)), method)
            for f in find_tables_in_words(
                frame.words, width, height, self.fast_tables, scan_rules(page, frame.rotation)
            )
        ]

    def _charts(self, request: TileRequest) -> list[FoundRecord]:
        """Vector charts from PDF drawings; charts drawn in fills the drawings do not
        state (gradients, patterns, hatching, pictures) from the rendered page, with the
        page's own words; raster charts from images and scans, with OCR'd words. Raises
        :class:`NoChart` saying why there is none."""
        page = request.page
        vector: list[FoundChart] = []
        failure: NoChart | None = None
        if page.document.kind == "pdf" and page.has_text_layer:
            try:
                vector = find_charts(page)
            except NoChart as reason:
                failure = reason
            if vector and not _pictures_in(page, vector):
                return _chart_records(vector, "vector drawings")
            if failure is not None and not page.drawings and not page.pictures:
                raise failure
        if self.ocr is None and not has_usable_text(page):
            raise failure or NoChart("the page has no vector chart and OCR is off (ocr=None)")
        pictured_first = not vector and wordless_pictures(page)
        if pictured_first:
            pictured, missed = self._picture_charts(page)
            if pictured:
                return _chart_records(pictured, PICTURE_METHOD)
        try:
            raster, how = self._raster_charts(page)
        except NoChart as reason:
            if vector:
                return _chart_records(vector, "vector drawings")
            if not pictured_first:
                pictured, missed = self._picture_charts(page)
                if pictured:
                    return _chart_records(pictured, PICTURE_METHOD)
            raise _no_chart(failure, reason, missed) from None
        if vector and chart_points(vector) > chart_points(raster):
            return _chart_records(vector, "vector drawings")
        return _chart_records(raster, how)

    def _picture_charts(self, page: Page) -> tuple[list[FoundChart], str]:
        """The charts in the pictures on a PDF page whose pixels were read with its text
        layer's words (its prose: the pictures' labels are not in it), by OCR; with why
        a picture read has none (empty when none was read)."""
        if self.ocr is None or page.document.kind != "pdf" or not has_usable_text(page):
            return [], ""
        return picture_charts(page, self.ocr, RENDER_DPI)

    def _raster_charts(self, page: Page) -> tuple[list[FoundChart], str]:
        """The charts of the page's pixels, and how their labels were read."""
        if page.document.kind == "image":
            assert page.pixel_size is not None
            image = page.image(CHART_MAX_PIXELS)
            scale = 72.0 / page.image_dpi * page.pixel_size[0] / image.width  # points a pixel
        else:
            dpi = _render_dpi(page)
            image, scale = PymupdfRasteriser().render(page, dpi), 72.0 / dpi
        frame, source = page_words(page, self.ocr, labels=True)  # a chart's labels
        words = frame.words
        if frame.rotation and self.ocr is not None:
            # Orientation detection takes a chart whose labels are turned 45 degrees for
            # a page on its side; the chart is read upright, as its axes stand.
            words = _upright_words(image, scale, self.ocr)
        elif frame.rotation:
            words = ()
        if source != "text" and self.ocr is not None:
            words = mended_labels(words, image, scale, self.ocr)
        how = f"pixels (colour regions, {'text layer' if source == 'text' else 'OCR'} tick labels)"
        # The reader's tolerances are points on a page: a larger page (a poster, a big image
        # without resolution metadata, read as 72 dpi) is read shrunk to a page's size.
        shrink = max(1.0, max(page.width, page.height) / CHART_FRAME_POINTS)
        if page.document.kind == "image" and not page.image_dpi_stated:
            shrink = max(shrink, _text_shrink(words))
        if shrink != 1.0:
            words = tuple(replace(word, bbox=word.bbox.scaled(1 / shrink)) for word in words)
        reread = None
        if source != "text" and self.ocr is not None:
            reread = region_reader(image, scale / shrink, self.ocr)
        charts = read_image_charts(image, words, scale / shrink, reread)
        if shrink == 1.0:
            return charts, how
        return [_enlarged(chart, shrink) for chart in charts], how


def _no_chart(failure: NoChart | None, raster: NoChart, pictures: str) -> NoChart:
    """Why a page has no chart: its drawings' reason, its pixels', its pictures'."""
    if failure is None:
        why = str(raster)
    elif str(raster) in (str(failure), NO_MARKS):
        why = str(failure)
    else:
        why = f"{failure}; on the rendered page, {raster}"
    return NoChart(f"{why}; in its pictures, {pictures}" if pictures else why)


def _render_dpi(page: Page) -> float:
    """The resolution to read a PDF page's charts from its pixels at: ``RENDER_DPI``, less
    on a page larger than A3, and never above the pixels of a picture covering the page (a
    scan, a chart pasted as a page): a picture rendered finer spreads each of its pixels
    over several, blending their edges, and a thin line breaks up into dots."""
    pixels = page.width * page.height * (RENDER_DPI / 72) ** 2
    # Twice as many for a PDF page: up to A3 it keeps RENDER_DPI (7.7 MP).
    dpi = RENDER_DPI * min(1.0, (CHART_MAX_PIXELS * 2 / pixels) ** 0.5)
    covering = [
        picture_dpi
        for picture, picture_dpi in zip(page.pictures, page.picture_dpi, strict=True)
        if picture.area >= SCAN_COVER * page.bbox.area
    ]
    return min(dpi, max(covering)) if covering else dpi


def _text_shrink(words: tuple[Word, ...]) -> float:
    """How many times larger than a printed chart's the text of an image that states no
    resolution is (read as 72 dpi: a screenshot at twice the screen's pixels, a web
    library's export at a scale of 2): its chart is read shrunk by that much, so that its
    strokes, markers and gaps have the sizes in points the reader expects; 1 where it is
    not larger, or too few words tell."""
    heights = [
        w.bbox.height
        for w in words
        if w.angle == 0 and len(w.text) >= 3 and w.bbox.width > w.bbox.height  # lying flat
    ]
    height = float(np.median(heights)) if len(heights) >= 3 else 0.0
    return height / CHART_WORD_POINTS if height > LARGE_WORD_POINTS else 1.0


def _upright_words(image: Image.Image, scale: float, backend: str) -> tuple[Word, ...]:
    """The words of a chart image read as it stands, unturned (boxes in points)."""
    return tuple(
        Word(word.text, BBox(*word.box).scaled(scale), angle=word.angle)
        for word in get_backend(backend).read(image, labels=True)
    )


def _enlarged(chart: FoundChart, factor: float) -> FoundChart:
    """A chart read on a page shrunk by ``factor``, in the page's own points."""
    calibration = chart.calibration.replace("in page points", f"in page points / {factor:.4g}")
    return replace(chart, bbox=chart.bbox.scaled(factor), calibration=calibration)


def _reader(model: type[BaseModel]) -> NativeReader | None:
    """The reader a record class asks for (``Record.native_reader``: a subclass of a
    built-in schema is read as its base); None fills a user record's fields."""
    return model.native_reader if issubclass(model, Record) else None


def _table_record(found: FoundTable, method: str) -> FoundRecord:
    """A table with its structural score as the engine's probability of it (it scales the
    confidence of its cells), and a doubt when the score is low."""
    sound = found.structure
    doubts = []
    if sound.doubtful:
        why = "; ".join(sound.problems()) or "unusual structure"
        doubts = [
            f"table of {len(found.table.rows)} rows in doubt (structure {sound.score:.2f}: {why})"
        ]
    return FoundRecord(found.table, found.bbox, method, probability=sound.score, doubts=doubts)


def _pictures_in(page: Page, charts: list[FoundChart]) -> bool:
    """Whether pictures fill part of a chart's plot (bars drawn as gradient images): the
    drawings then miss those marks. A picture under a mark of the same shape (a gradient
    shape drawn both as a picture and as a shading), or behind the whole plot (a gradient
    backdrop), misses nothing."""
    for chart in charts:
        covered = 0.0
        for picture in page.pictures:
            overlap = picture.intersection(chart.bbox)
            backdrop = _same_box(picture, chart.bbox) or (
                picture.contains_point(chart.bbox.x0, chart.bbox.y0)
                and picture.contains_point(chart.bbox.x1, chart.bbox.y1)
            )
            if overlap and not backdrop and not any(_same_box(picture, m) for m in chart.marks):
                covered += overlap.area
        if covered >= 0.02 * chart.bbox.area:
            return True
    return False


def _same_box(a: BBox, b: BBox, slack: float = 1.5) -> bool:
    return all(abs(p - q) <= slack for p, q in zip(a.as_tuple(), b.as_tuple(), strict=True))


def _chart_records(charts: list[FoundChart], how: str) -> list[FoundRecord]:
    return [
        FoundRecord(c.chart, c.bbox, f"{how}; {c.calibration}", measured=True, warnings=[*c.gaps])
        for c in charts
    ]


def _user_record(
    model: type[BaseModel],
    values: dict[str, Any],
    status: dict[str, str],
    box: BBox,
    method: str,
    source: str,
) -> EngineReply:
    """A user record of the fields found; a required field not found fails the page,
    optional ones stay empty and are reported."""
    fields = model.model_fields
    missing = [name for name in fields if status[name] == "not_found"]
    required = [name for name in missing if fields[name].is_required()]
    if required:
        raise ExtractionError(
            f"required field(s) not found on the page: {', '.join(required)} (make them "
            "optional to get the fields that were found)",
            source,
        )
    if len(missing) == len(fields):
        return EngineReply(warnings=[f"none of the fields ({', '.join(missing)}) were found"])
    gaps = [f"field(s) not found: {', '.join(missing)}"] if missing else []
    return EngineReply(records=[FoundRecord(values, box, method, warnings=gaps)])


def _why(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def _no_words(source: str, ocr: str | None) -> str:
    if ocr is None:
        return "no words in the text layer, and OCR is off (ocr=None)"
    if source == "text":
        return "no words on the page"
    return f"no text layer, and OCR ({ocr}) read no words"


def _words_method(source: str, rotation: int) -> str:
    """Where a record's words came from, for its provenance."""
    if source == "text":
        return "text layer"
    turned = f", page read turned by {rotation} degrees" if rotation else ""
    return f"OCR ({source.removeprefix('ocr:')}){turned}"
