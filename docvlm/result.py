"""What an extraction returns: records with provenance, errors, and DataFrame views."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from docvlm.geometry import BBox
from docvlm.provenance import STATUS_RANK, Provenance, mean_confidence
from docvlm.schemas import Chart, Table, record_to_dataframe
from docvlm.schemas.base import typed_record_frame

if TYPE_CHECKING:  # pandas is imported when a frame is made
    import pandas as pd
    from PIL import Image

Stage = Literal["load", "raster", "extract", "validate", "ground", "merge"]
Status = Literal["ok", "empty", "partial", "failed"]
# What a warning is about: ``empty``: the page gave no record; ``incomplete``: a record
# lacks part of what it should hold; ``doubtful``: a record whose reading is in doubt;
# ``degraded``: the engine fell back to a weaker way of working.
WarningKind = Literal["empty", "incomplete", "doubtful", "degraded"]
KEY_COLUMNS = ["source", "page", "record"]
# ``wide``: each record's own columns, records stacked one after another when they share
# their columns; ``long``: one row per value under fixed, typed columns, whatever the
# schema (see ``docvlm.long_layout``).
Layout = Literal["wide", "long"]
# The record type of a result: ``extract(schema=Table)`` gives a ``Result[Table]``.
T = TypeVar("T", bound=BaseModel)


class PageError(BaseModel):
    """One failure: which file and page, at which stage, and why (one line)."""

    source: str
    page: int | None
    stage: Stage
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: page {self.page}" if self.page else self.source
        return f"{where}: {self.message}"


class PageWarning(BaseModel):
    """Something a user should know about a page that did not fail: no record found on it
    (and why), or a record that is incomplete or in doubt (one line)."""

    source: str
    page: int | None
    stage: Stage
    kind: WarningKind
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: page {self.page}" if self.page else self.source
        return f"{where}: {self.message}"


@dataclass
class ExtractedRecord(Generic[T]):
    """A validated record together with its provenance."""

    record: T
    provenance: Provenance
    schema_name: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": self.schema_name,
            "page": self.provenance.page,
            "bbox": list(self.provenance.regions[0].bbox or ()) or None,
            "provenance": self.provenance.model_dump(),
            "data": self.record.model_dump(mode="json"),
        }

    def _repr_html_(self) -> str:
        """The record as an HTML table, each value coloured by its match status and
        confidence, its page, box and alternatives on hover (a notebook's display)."""
        from docvlm.display import STYLE, item_html

        return STYLE + '<div class="docvlm">' + item_html(self) + "</div>"


@dataclass
class Result(Generic[T]):
    """The outcome of :func:`docvlm.extract` for one document.

    ``records`` are schema instances in reading order; ``items`` pairs each with its
    provenance; ``errors`` lists what failed, page by page, while the rest still came out;
    ``warnings`` what did not fail but needs a look: pages where no record was found (and
    why), records that are incomplete or in doubt.
    """

    source: str
    schema_name: str
    items: list[ExtractedRecord[T]] = field(default_factory=list)
    errors: list[PageError] = field(default_factory=list)
    warnings: list[PageWarning] = field(default_factory=list)
    pages_total: int = 0
    page_numbers: list[int] = field(default_factory=list)  # the selected pages, 1-based
    pages_failed: int = 0
    usage: dict[str, int] = field(default_factory=dict)
    # The file show() opens the document again from; None when it was given as bytes or a
    # stream. Neither the document's bytes nor its password are kept: a result is pickled to
    # worker processes and written out, and must carry neither.
    origin: str | Path | None = field(default=None, repr=False)

    @property
    def records(self) -> list[T]:
        return [item.record for item in self.items]

    @property
    def provenance(self) -> list[Provenance]:
        return [item.provenance for item in self.items]

    @property
    def status(self) -> Status:
        """``ok``: records and no errors; ``empty``: no errors, but no page held a record
        (``warnings`` say why); ``failed``: nothing could be read; ``partial``: some pages
        (or part of the file) failed, the rest came out."""
        if not self.errors:
            return "ok" if self.items else "empty"
        if self.pages_total and self.pages_failed < self.pages_total:
            return "partial"
        return "partial" if self.items else "failed"

    def __repr__(self) -> str:
        return (
            f"<Result {self.source}: {len(self.items)} {self.schema_name} record(s), "
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s), "
            f"status={self.status}>"
        )

    def _repr_html_(self) -> str:
        """A notebook's display: a summary (source, status, pages, records, warnings,
        errors), each record as a table with its values coloured by status and confidence
        (page, box and confidence on hover), and a small picture of each page with the
        boxes. See :mod:`docvlm.display`."""
        from docvlm.display import result_html

        return result_html(self)

    def show(
        self,
        page: int | None = None,
        dpi: float = 100.0,
        *,
        password: str | None = None,
        document: str | Path | bytes | None = None,
    ) -> Image.Image:
        """The page (1-based; the first page with records by default) drawn with each
        record's region and each value's box, coloured by its match status; a notebook
        displays the image inline. See :mod:`docvlm.overlay`.

        The document is opened again from its file, with ``password`` when it needs one;
        ``document`` (a path or the bytes) when the result was read from bytes or a stream."""
        from docvlm.document import Document
        from docvlm.overlay import draw_page

        source = document if document is not None else self.origin
        if source is None:
            raise ValueError(
                f"{self.source}: this result was read from bytes or a stream: "
                "pass the document to show(document=...)"
            )
        if page is None:
            page = self.items[0].provenance.page if self.items else (self.page_numbers or [1])[0]
        on_page = [i for i in self.items if page in i.provenance.pages]
        with Document.open(source, password=password) as opened:
            return draw_page(opened.page(page), on_page, dpi)

    def compare(
        self, page: int | None = None, dpi: float = 100.0, *, password: str | None = None
    ) -> Any:
        """A matplotlib Figure (matplotlib is optional): the page image (the first page with
        a chart by default), cropped to its charts with their boxes drawn, beside each chart
        read on it redrawn from the extracted data (``Chart.plot``), to check by eye."""
        from docvlm.plotting import compare

        if page is None:
            page = next(
                (i.provenance.page for i in self.items if isinstance(i.record, Chart)),
                (self.page_numbers or [1])[0],
            )
        charts = [
            i for i in self.items if isinstance(i.record, Chart) and page in i.provenance.pages
        ]
        image = self.show(page, dpi, password=password)
        return compare(image, charts, f"{self.source}, page {page}", page, dpi)

    def frames(self, types: bool = True) -> list[pd.DataFrame]:
        """One DataFrame per record (see :meth:`to_pandas` for the forms and ``types``)."""
        return [record_frame(item.record, types) for item in self.items]

    def to_pandas(
        self,
        keys: bool | None = None,
        provenance: bool = False,
        layout: Layout | None = None,
        types: bool = True,
    ) -> pd.DataFrame:
        """The records as one DataFrame.

        A Table becomes its body with the header rows as columns, a Menu one row per item
        with its section, a Chart a long frame (series, x, y), KeyValues (label, value), a
        user model one row of its fields. With several records (or ``keys=True``) the
        frames are stacked under leading ``source``, ``page`` and ``record`` columns.

        Records are never merged by their column labels: those whose frames share their
        columns are stacked one after another (``layout="wide"``, the default then);
        records with different columns (two tables, or the pages of a table that did not
        join) come out long (``layout="long"``, the default then). ``layout="wide"`` on
        records with different columns raises ValueError; ``frames()`` gives one frame
        per record.

        The long layout has one row per value and the same typed columns for every
        schema and for a document without records, so the frames of any documents
        concatenate: ``source``, ``page``, ``record``, ``record_type``, ``path`` (the
        value's field path), ``row`` and ``col`` (its place in the record's frame),
        ``header`` (its column label), ``text``, ``value_num`` and ``value_date`` (the
        value read as a number or a date, when it is one), ``bbox_x0``, ``bbox_y0``,
        ``bbox_x1``, ``bbox_y1``, ``status``, ``confidence`` and ``engine``. ``keys``
        and ``provenance`` do not apply to it: it always has them.

        ``provenance=True`` adds, per row (a table row, a menu item, a chart point, a pair,
        a user record), the ``page`` it was read on, the ``bbox`` of its values' words,
        its weakest match ``status`` and the mean ``confidence`` of its values.

        Values are typed (``types=True``, see :mod:`docvlm.frames`): a table column whose
        cells are all numbers ('1,234.50', '12,5', '$30', '40%', '(3.00)') is numeric, one
        whose cells are all dates is datetime, any other text keeps the column as printed;
        a key-value's value is a number or date when it is one; a chart's series are named
        (a single unnamed one after the chart's title, or 'value') and its categories are
        an ordered categorical in the order drawn; a user model's fields keep their Python
        types (dates as dates). ``types=False`` gives every value as printed (the form the
        CSV and Parquet writers use). The long layout has its own fixed columns, ``text``
        beside ``value_num`` and ``value_date``, whatever ``types``.
        """
        return frames_to_pandas([self], keys, provenance, layout, types)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "schema": self.schema_name,
            "status": self.status,
            "pages_total": self.pages_total,
            "page_numbers": self.page_numbers,
            "pages_failed": self.pages_failed,
            "records": [item.to_dict() for item in self.items],
            "errors": [error.model_dump() for error in self.errors],
            "warnings": [warning.model_dump() for warning in self.warnings],
            "usage": self.usage,
        }

    def to_html(self, path: str | Path, *, password: str | None = None) -> Path:
        """Write the review page of this result to ``path`` (one self-contained HTML file:
        the pages with every value's box, a panel of the records' values to click through,
        filters and keys for the doubtful ones; ``password`` opens the document when it
        needs one); the path. See :mod:`docvlm.review`."""
        from docvlm.review import write_review

        return write_review(self, path, password)


def frames_to_pandas(
    results: list[Result],
    keys: bool | None = None,
    provenance: bool = False,
    layout: Layout | None = None,
    types: bool = False,
) -> pd.DataFrame:
    """Stack the records of several results into one frame (the rule of ``to_pandas``;
    values as printed unless ``types``)."""
    import pandas as pd

    from docvlm.long_layout import long_frame

    if layout == "long":
        return long_frame(results)
    items = [(result, i, item) for result in results for i, item in enumerate(result.items)]
    if keys is None:
        keys = len(items) != 1
    if not items:
        return pd.DataFrame(columns=KEY_COLUMNS if keys else [])
    # A table's columns are typed once stacked, so that a column has one type over
    # every record.
    tables = types and all(isinstance(item.record, Table) for _, _, item in items)
    frames = []
    for _, _, item in items:
        frame = record_to_dataframe(item.record) if tables else record_frame(item.record, types)
        if provenance:
            frame = flatten_columns(frame)
            rows = [row_provenance(item, path) for path in _row_paths(item.record)]
            for column in PROVENANCE_COLUMNS:
                frame[column] = [row[column] for row in rows]
        frames.append(frame)
    if not _same_columns(frames):
        if layout == "wide":
            raise ValueError(
                "the records have different columns, and stacking them under one header "
                "would merge unrelated columns by their labels: use layout='long' (one row "
                "per value), or frames() for one frame per record"
            )
        return long_frame(results)
    stacked = []
    for (result, index, item), frame in zip(items, frames, strict=True):
        if keys:
            frame = flatten_columns(frame)
            frame.insert(0, "record", index)
            page = frame.pop("page") if "page" in frame.columns else item.provenance.page
            frame.insert(0, "page", page)
            frame.insert(0, "source", result.source)
        stacked.append(frame)
    frame = stacked[0] if len(stacked) == 1 else _concat(stacked)
    if tables:
        added = [*(KEY_COLUMNS if keys else ()), *(PROVENANCE_COLUMNS if provenance else ())]
        frame = type_columns(frame, added)
    return frame


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames one after another; a column that is an ordered categorical in every frame (a
    chart's categories) stays one, its categories in the order they first appear."""
    import pandas as pd

    frame = pd.concat(frames, ignore_index=True)
    for column in frame.columns:
        dtypes = [f[column].dtype for f in frames if column in f.columns]
        if len(dtypes) == len(frames) and all(isinstance(d, pd.CategoricalDtype) for d in dtypes):
            order = dict.fromkeys(c for d in dtypes for c in d.categories)  # type: ignore[union-attr]
            frame[column] = pd.Categorical(frame[column], categories=list(order), ordered=True)
    return frame


def record_frame(record: BaseModel, types: bool = True) -> pd.DataFrame:
    """One record's frame, typed (see :mod:`docvlm.frames`) or as printed."""
    if not types:
        return record_to_dataframe(record)
    return typed_record_frame(record)


def type_columns(frame: pd.DataFrame, skip: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    from docvlm.frames import type_columns as typed

    return typed(frame, skip)


def _same_columns(frames: list[pd.DataFrame]) -> bool:
    first = list(frames[0].columns)
    return all(list(frame.columns) == first for frame in frames[1:])


PROVENANCE_COLUMNS = ["page", "bbox", "status", "confidence"]


def _row_paths(record: BaseModel) -> list[str]:
    row_paths = getattr(record, "row_paths", None)
    return row_paths() if row_paths is not None else [""]


def row_provenance(item: ExtractedRecord, prefix: str) -> dict[str, Any]:
    """The provenance of the fields under ``prefix`` ('' for all): their page, the box
    around their words there, their weakest status and their mean confidence."""
    fields = [
        f
        for f in item.provenance.fields
        if not prefix or f.path == prefix or f.path.startswith(prefix + ".")
    ]
    page = fields[0].page if fields else item.provenance.page
    boxes = [BBox(*f.bbox) for f in fields if f.bbox and f.page == page]
    weakest = max(fields, key=lambda f: STATUS_RANK[f.status]) if fields else None
    return {
        "page": page,
        "bbox": BBox.enclosing(boxes).rounded().as_tuple() if boxes else None,
        "status": weakest.status if weakest else None,
        "confidence": mean_confidence([f.confidence for f in fields]),
    }


def flatten_columns(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.copy()
        frame.columns = [" / ".join(str(p) for p in col if p) for col in frame.columns]
    return frame
