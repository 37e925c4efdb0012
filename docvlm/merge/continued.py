"""Tables continued across pages: a table that runs on at the top of the next page joined
into the table it continues, once per page it spans."""

from __future__ import annotations

from docvlm.grounding import normalise
from docvlm.merge.paths import cell_of, cell_path
from docvlm.provenance import mean_confidence
from docvlm.result import ExtractedRecord
from docvlm.schemas import Table


def join_continued_tables(items: list[ExtractedRecord]) -> list[ExtractedRecord]:
    """A table that runs on at the top of the next page (the last record of one page, the
    first of the next, same columns in the same places, its header repeated or absent)
    joined into the table it continues, once per page it spans."""
    joined: list[ExtractedRecord] = []
    for item in items:
        previous = joined[-1] if joined else None
        if previous is not None and _continues(previous, item):
            joined[-1] = _append_table(previous, item)
        else:
            joined.append(item)
    return joined


def _continues(first: ExtractedRecord, then: ExtractedRecord) -> bool:
    a, b = first.record, then.record
    if not isinstance(a, Table) or not isinstance(b, Table):
        return False
    if then.provenance.page != max(first.provenance.pages) + 1 or a.n_cols != b.n_cols:
        return False
    if b.header_rows and _texts(b.header) != _texts(a.header):
        return False  # a header of its own: a new table
    return _same_columns(first, then)


def _texts(rows: list[list[str]]) -> list[list[str]]:
    return [[normalise(cell) for cell in row] for row in rows]


def _same_columns(first: ExtractedRecord, then: ExtractedRecord) -> bool:
    """Whether the columns stand at the same places (where both tables' cells were found);
    tables whose cells were found nowhere are judged by their column count alone."""
    a = _column_centres(first, max(first.provenance.pages))
    b = _column_centres(then, then.provenance.page)
    table = first.provenance.bbox
    tolerance = max(10.0, 0.05 * table.width) if table else 10.0
    shared = [c for c in a if c in b]
    return all(abs(a[c] - b[c]) <= tolerance for c in shared)


def _column_centres(item: ExtractedRecord, page: int) -> dict[int, float]:
    """The median centre of each column's found cells on ``page``."""
    centres: dict[int, list[float]] = {}
    for f in item.provenance.fields:
        at = cell_of(f.path)
        if at is not None and f.bbox is not None and f.status != "not_found" and f.page == page:
            centres.setdefault(at[1], []).append((f.bbox[0] + f.bbox[2]) / 2)
    return {c: sorted(xs)[len(xs) // 2] for c, xs in centres.items()}


def _append_table(first: ExtractedRecord, then: ExtractedRecord) -> ExtractedRecord:
    a, b = first.record, then.record
    assert isinstance(a, Table) and isinstance(b, Table)
    skipped = b.header_rows  # a repeated header is not data
    offset = len(a.rows) - skipped
    table = a.model_copy(update={"rows": a.rows + b.rows[skipped:]}, deep=True)
    fields = list(first.provenance.fields)
    for f in then.provenance.fields:
        at = cell_of(f.path)
        if at is not None and at[0] >= skipped:
            fields.append(f.model_copy(update={"path": cell_path(at[0] + offset, at[1])}))
    provenance = first.provenance.model_copy(
        update={
            "regions": first.provenance.regions + then.provenance.regions,
            "tiles": first.provenance.tiles + then.provenance.tiles,
            "fields": fields,
            "confidence": mean_confidence([f.confidence for f in fields]),
        }
    )
    return ExtractedRecord(table, provenance, first.schema_name)
