"""Rich display in notebooks: a result, and each record, as HTML.

A result shows a summary (source, status, pages, records, warnings, errors), each record as
a table whose values are coloured by how they were matched on the page (green exact, teal
normalised, purple geometry, orange fuzzy, red not found; a dashed outline when the
confidence is low) with their page, box, status, confidence and the readings that lost to
them on hover, and a small picture of each page with the boxes drawn. Every text is
HTML-escaped. The size is bounded: at most ``MAX_ROWS`` rows per record and
``MAX_THUMBNAILS`` pictures of at most ``THUMBNAIL_PX`` pixels a side.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

if TYPE_CHECKING:
    from docvlm.provenance import FieldProvenance
    from docvlm.provenance import ProvenancedRecord as ExtractedRecord

MAX_ROWS = 200  # rows shown per record; the rest are counted
MAX_THUMBNAILS = 8  # pages pictured per result; the rest are counted
THUMBNAIL_PX = 360  # the longer side of a page's picture
LOW_CONFIDENCE = 0.8  # values below it are outlined

STYLE = """<style>
.docvlm{font-family:system-ui,sans-serif;font-size:13px;line-height:1.35}
.docvlm table{border-collapse:collapse;margin:4px 0 10px}
.docvlm td,.docvlm th{border:1px solid #d4d4d8;padding:2px 6px;text-align:left;
vertical-align:top}
.docvlm th{background:#f4f4f5}
.docvlm .dv-summary th{background:none;font-weight:600}
.docvlm .dv-exact{background:#dcfce7}
.docvlm .dv-normalised{background:#ccfbf1}
.docvlm .dv-geometry{background:#f3e8ff}
.docvlm .dv-fuzzy{background:#ffedd5}
.docvlm .dv-not_found{background:#fee2e2}
.docvlm .dv-low{outline:2px dashed #dc2626;outline-offset:-2px}
.docvlm .dv-status-ok{color:#15803d}
.docvlm .dv-status-empty,.docvlm .dv-status-partial{color:#c2410c}
.docvlm .dv-status-failed{color:#b91c1c}
.docvlm .dv-pages{display:flex;flex-wrap:wrap;gap:8px}
.docvlm figure{margin:0}
.docvlm figcaption{font-size:11px;color:#52525b}
.docvlm img{border:1px solid #d4d4d8}
.docvlm .dv-more{color:#52525b;font-style:italic}
</style>"""


class Result(Protocol):
    """What the display reads of a ``docvlm.result.Result`` (a protocol: the result shows
    itself through this module, which must not import it back)."""

    @property
    def source(self) -> str: ...
    @property
    def schema_name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def items(self) -> Sequence[ExtractedRecord]: ...
    @property
    def errors(self) -> Sequence[Any]: ...
    @property
    def warnings(self) -> Sequence[Any]: ...
    @property
    def pages_total(self) -> int: ...
    @property
    def pages_failed(self) -> int: ...
    @property
    def page_numbers(self) -> Sequence[int]: ...
    @property
    def origin(self) -> str | Path | None: ...


def problem_lists(result: Result) -> list[str]:
    """The result's errors (by stage) and warnings (by kind), an HTML list each, if any."""
    lists = []
    if result.errors:
        lists.append(
            '<ul class="dv-errors">'
            + "".join(f"<li>{_e(e.stage)}: {_e(e)}</li>" for e in result.errors)
            + "</ul>"
        )
    if result.warnings:
        lists.append(
            '<ul class="dv-warnings">'
            + "".join(f"<li>{_e(w.kind)}: {_e(w)}</li>" for w in result.warnings)
            + "</ul>"
        )
    return lists


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _leaves(data: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Each leaf value of a dumped record with its path ('rows.2.3', 'sections.0.name')."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif (
        isinstance(data, list)
        and data
        and not all(isinstance(v, str | int | float | bool) or v is None for v in data)
    ):
        for i, value in enumerate(data):
            yield from _leaves(value, f"{prefix}.{i}" if prefix else str(i))
    else:
        yield prefix, data


def _hover(where: FieldProvenance) -> str:
    parts = [f"page {where.page}"]
    if where.bbox is not None:
        parts.append("bbox (" + ", ".join(f"{v:.1f}" for v in where.bbox) + ")")
    parts += [where.status, f"confidence {where.confidence:.2f}"]
    for other in where.alternatives:
        parts.append(f"alternative {other.value!r} ({other.status}, {other.confidence:.2f})")
    return " · ".join(parts)


class _Cells:
    """Renders values as table cells, coloured by the provenance of their path."""

    def __init__(self, item: ExtractedRecord | None) -> None:
        self.fields = {f.path: f for f in item.provenance.fields} if item else {}

    def cell(self, path: str, value: Any, tag: str = "td") -> str:
        text = "" if value is None else value
        if isinstance(text, list):
            text = ", ".join(str(v) for v in text)
        where = self.fields.get(path)
        if where is None:
            return f"<{tag}>{_e(text)}</{tag}>"
        classes = f"dv-{where.status}"
        if where.confidence < LOW_CONFIDENCE:
            classes += " dv-low"
        return (
            f'<{tag} class="{classes}" data-path="{_e(path)}" '
            f'title="{_e(_hover(where))}">{_e(text)}</{tag}>'
        )


def _more(shown: int, total: int, what: str) -> str:
    if total <= shown:
        return ""
    return f'<div class="dv-more">… {total - shown} more {what} not shown</div>'


def _singular(key: str) -> str:
    return key[:-1] if key.endswith("s") and key != "series" else key


def _table_html(record: BaseModel, cells: _Cells) -> str:
    rows: list[list[str]] = getattr(record, "rows", [])
    header = int(getattr(record, "header_rows", 0))
    parts = ["<table>"]
    shown = rows[: header + MAX_ROWS]
    for r, row in enumerate(shown):
        tag = "th" if r < header else "td"
        parts.append(
            "<tr>"
            + "".join(cells.cell(f"rows.{r}.{c}", v, tag) for c, v in enumerate(row))
            + "</tr>"
        )
    parts.append("</table>")
    return "".join(parts) + _more(len(shown) - header, len(rows) - header, "rows")


def _rows_html(record: BaseModel, cells: _Cells) -> str:
    """A record as a table with one row per entry of ``row_paths()`` (a menu item, a chart
    point, a pair; the whole record for a user model), its section or series first."""
    data = record.model_dump(mode="json")
    row_paths: list[str] = record.row_paths() if hasattr(record, "row_paths") else [""]
    leaves = list(_leaves(data))
    under = [
        [(path, value) for path, value in leaves if not p or path.startswith(p + ".")]
        for p in row_paths
    ]
    # The group a row belongs to ('sections.0' for 'sections.0.items.1'), named by its name.
    groups = [p.rsplit(".", 2)[0] if p.count(".") >= 3 else "" for p in row_paths]
    group_label = _singular(row_paths[0].split(".", 1)[0]) if any(groups) else ""
    columns: list[str] = []
    for p, entries in zip(row_paths, under, strict=True):
        for path, _ in entries:
            relative = path[len(p) + 1 :] if p else path
            if relative not in columns:
                columns.append(relative)
    parts = ["<table><tr>"]
    if group_label:
        parts.append(f"<th>{_e(group_label)}</th>")
    parts += [f"<th>{_e(c)}</th>" for c in columns]
    parts.append("</tr>")
    shown = list(zip(row_paths, under, groups, strict=True))[:MAX_ROWS]
    leaf_values = dict(leaves)
    for p, entries, group in shown:
        values = {(path[len(p) + 1 :] if p else path): (path, v) for path, v in entries}
        parts.append("<tr>")
        if group_label:
            name_path = f"{group}.name"
            parts.append(cells.cell(name_path, leaf_values.get(name_path)))
        for column in columns:
            path, value = values.get(column, (f"{p}.{column}", None))
            parts.append(cells.cell(path, value))
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts) + _more(len(shown), len(row_paths), "rows")


def _details_html(record: BaseModel, cells: _Cells) -> str:
    """The record's own fields outside its rows: a table's title, a chart's title, type and
    axis labels."""
    row_paths = record.row_paths() if hasattr(record, "row_paths") else [""]
    if row_paths == [""] or not row_paths:
        return ""
    roots = {p.split(".", 1)[0] for p in row_paths}
    if hasattr(record, "header_rows"):
        roots |= {"rows", "header_rows"}
    details = [
        (path, value)
        for path, value in _leaves(record.model_dump(mode="json"))
        if path.split(".", 1)[0] not in roots and value not in (None, "", [])
    ]
    if not details:
        return ""
    rows = "".join(f"<tr><th>{_e(path)}</th>{cells.cell(path, v)}</tr>" for path, v in details)
    return f'<table class="dv-summary">{rows}</table>'


def record_html(record: BaseModel, item: ExtractedRecord | None = None) -> str:
    """A record as HTML tables; with ``item`` (the record and its provenance) every value is
    coloured by its status and confidence and tells its page, box and readings on hover."""
    cells = _Cells(item)
    body = (
        _table_html(record, cells) if hasattr(record, "header_rows") else _rows_html(record, cells)
    )
    return _details_html(record, cells) + body


def item_html(item: ExtractedRecord, number: int | None = None) -> str:
    where = item.provenance
    heading = f"#{number} " if number is not None else ""
    heading += f"{item.schema_name}, page " + ", ".join(str(p) for p in where.pages)
    if where.confidence is not None:
        heading += f", confidence {where.confidence:.2f}"
    heading += f" ({where.engine})"
    return f"<h4>{_e(heading)}</h4>" + record_html(item.record, item)


def page_thumbnails(result: Result, pages: list[int]) -> str:
    """The pictures of ``pages`` with the boxes drawn, as inline PNGs; nothing when the
    document cannot be opened again."""
    if result.origin is None or not pages:
        return ""
    from PIL import Image

    from docvlm.document import Document
    from docvlm.overlay import draw_page

    figures = []
    try:
        with Document.open(result.origin) as document:  # an encrypted one says so below
            for number in pages[:MAX_THUMBNAILS]:
                page = document.page(number)
                dpi = 72.0 * THUMBNAIL_PX / max(page.width, page.height, 1.0)
                on_page = [i for i in result.items if number in i.provenance.pages]
                image = draw_page(page, on_page, dpi)
                buffer = io.BytesIO()
                image.convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(
                    buffer, "PNG", optimize=False
                )
                data = base64.b64encode(buffer.getvalue()).decode("ascii")
                figures.append(
                    f'<figure><img src="data:image/png;base64,{data}" '
                    f'width="{image.width}" height="{image.height}" '
                    f'alt="page {number}"><figcaption>page {number}</figcaption></figure>'
                )
    except Exception as exc:  # a picture is a convenience: say why it is missing
        return f'<div class="dv-more">page pictures unavailable: {_e(exc)}</div>'
    return (
        '<div class="dv-pages">'
        + "".join(figures)
        + "</div>"
        + _more(min(len(pages), MAX_THUMBNAILS), len(pages), "page pictures")
    )


def result_html(result: Result) -> str:
    """A result as HTML: summary, records, page pictures (see the module's docstring)."""
    pages = sorted({p for item in result.items for p in item.provenance.pages})
    selected = len(result.page_numbers) or result.pages_total
    summary = [
        ("source", _e(result.source)),
        ("status", f'<span class="dv-status-{_e(result.status)}">{_e(result.status)}</span>'),
        (
            "pages",
            _e(
                f"{selected} read of {result.pages_total}, {len(pages)} with records"
                + (f", {result.pages_failed} failed" if result.pages_failed else "")
            ),
        ),
        ("records", _e(f"{len(result.items)} {result.schema_name}")),
        ("warnings", _e(len(result.warnings))),
        ("errors", _e(len(result.errors))),
    ]
    parts = [STYLE, '<div class="docvlm">', '<table class="dv-summary">']
    parts += [f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in summary]
    parts.append("</table>")
    parts += problem_lists(result)
    parts += [item_html(item, n) for n, item in enumerate(result.items, 1)]
    parts.append(page_thumbnails(result, pages))
    parts.append("</div>")
    return "".join(parts)


def standalone_record_html(record: BaseModel) -> str:
    return STYLE + '<div class="docvlm">' + record_html(record) + "</div>"
