"""The review page: one self-contained HTML file to check a result by eye.

The page shows the pages that hold records (or a warning about one) as images with every
value's box drawn over them as an element of its own, and a side panel listing each record's
values with their path, text, match status, confidence and page. Clicking a value
highlights its box and scrolls to it; clicking a box highlights its value. Filters keep
only the values not found, fuzzy or under ``LOW_CONFIDENCE``; ``j``/``n`` and ``k``/``p``
step through the doubtful ones. The result's errors and warnings come first.

Nothing is fetched to open it: the style, the script and the page images (WebP, at most
``MAX_PAGE_PX`` pixels on their longer side) are inline. Every text from the document
goes through ``html.escape``; the values the script works on are embedded as JSON with
every ``<`` escaped, so no text can close the script element. The same result always
gives the same bytes (no timestamps), so a page can be compared and tested.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docvlm import atomic
from docvlm.display import LOW_CONFIDENCE, problem_lists
from docvlm.provenance import leaf_values

if TYPE_CHECKING:
    from PIL import Image

    from docvlm.display import Result  # a protocol: the result writes itself through here
    from docvlm.document import Page
    from docvlm.provenance import ProvenancedRecord as ExtractedRecord

MAX_PAGE_PX = 1100  # the longer side of a page image: a 50-page result stays a few MB
MAX_PAGE_DPI = 200.0  # small pages (a chart image) are not blown up beyond this
WEBP_QUALITY = 70  # text stays legible; a scanned page is 1/6 of its PNG (2/5 at 128 colours)
# A value is doubtful with one of these statuses, or under LOW_CONFIDENCE (the notebook
# display's threshold).
DOUBTFUL_STATUSES = frozenset({"not_found", "fuzzy"})


@dataclass(frozen=True)
class ReviewValue:
    """One value of a record as the page lists it; ``status`` and ``confidence`` are None
    for a value without provenance (a record built by hand)."""

    id: str
    record: int  # 1-based, as numbered on the page
    path: str
    text: str
    status: str | None
    confidence: float | None
    page: int | None
    bbox: tuple[float, float, float, float] | None

    @property
    def doubtful(self) -> bool:
        low = self.confidence is not None and self.confidence < LOW_CONFIDENCE
        return self.status in DOUBTFUL_STATUSES or low


@dataclass(frozen=True)
class PageImage:
    """A page rendered for the review page: its size in points and the encoded image."""

    number: int
    width: float
    height: float
    pixels: tuple[int, int]
    data: str  # a data: URL


def review_values(result: Result) -> list[ReviewValue]:
    """Every leaf value of every record, in record order, joined with its provenance."""
    values: list[ReviewValue] = []
    for number, item in enumerate(result.items, 1):
        fields = {f.path: f for f in item.provenance.fields}
        first_page = item.provenance.regions[0].page if item.provenance.regions else None
        for path, value in leaf_values(item.record):
            where = fields.get(path)
            values.append(
                ReviewValue(
                    id=f"v{len(values) + 1}",
                    record=number,
                    path=path,
                    text=str(value),
                    status=where.status if where else None,
                    confidence=round(where.confidence, 4) if where else None,
                    page=where.page if where else first_page,
                    bbox=_rounded(where.bbox) if where and where.bbox else None,
                )
            )
    return values


def _rounded(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (round(v, 2) for v in box)
    return x0, y0, x1, y1


def pages_to_show(result: Result) -> list[int]:
    """The pages that hold a record or a warning about one (a page where nothing was found
    is named among the warnings, not pictured: the page's size follows the records)."""
    pages = {p for item in result.items for p in item.provenance.pages}
    pages |= {w.page for w in result.warnings if w.page is not None and w.kind != "empty"}
    return sorted(pages)


def render_pages(
    result: Result, numbers: list[int], password: str | None = None
) -> tuple[list[PageImage], list[str]]:
    """The pages as inline images (the document opened with ``password`` when it needs
    one), and why any could not be made (one line each)."""
    if result.origin is None:
        return [], ["the result does not know where its document is"]
    from docvlm.document import Document

    images, problems = [], []
    try:
        with Document.open(result.origin, password=password) as document:
            for number in numbers:
                try:
                    images.append(_page_image(document.page(number)))
                except Exception as exc:  # one page's picture: the others still come
                    problems.append(f"page {number}: {type(exc).__name__}: {exc}")
    except Exception as exc:  # the values are still worth reviewing without the pictures
        problems.append(f"{type(exc).__name__}: {exc}")
    return images, problems


def _page_image(page: Page) -> PageImage:
    from docvlm.raster import PymupdfRasteriser

    dpi = min(MAX_PAGE_DPI, 72.0 * MAX_PAGE_PX / max(page.width, page.height, 1.0))
    image = PymupdfRasteriser().render(page, dpi)
    return PageImage(page.number, page.width, page.height, image.size, _webp_url(image))


def _webp_url(image: Image.Image) -> str:
    # method 2 of libwebp's 0-6 (effort): half the time of the default 4, about the size.
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "WEBP", quality=WEBP_QUALITY, method=2)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _asset(name: str) -> str:
    return (resources.files("docvlm") / name).read_text(encoding="utf-8")


def _percent(value: float, whole: float) -> str:
    return f"{100.0 * value / whole:.3f}%" if whole else "0%"


def _box_style(bbox: tuple[float, float, float, float], page: PageImage) -> str:
    x0, y0, x1, y1 = bbox
    return (
        f"left:{_percent(x0, page.width)};top:{_percent(y0, page.height)};"
        f"width:{_percent(x1 - x0, page.width)};height:{_percent(y1 - y0, page.height)}"
    )


def _status_class(status: str | None) -> str:
    return f"dv-{status}" if status else "dv-unchecked"


def _value_classes(value: ReviewValue) -> str:
    classes = [_status_class(value.status)]
    if value.confidence is not None and value.confidence < LOW_CONFIDENCE:
        classes.append("dv-low")
    if value.doubtful:
        classes.append("dv-doubtful")
    return " ".join(classes)


def _page_html(page: PageImage, items: Sequence[ExtractedRecord], values: list[ReviewValue]) -> str:
    """A page image with the records' frames and the values' boxes over it; the larger
    boxes first, so that a small box inside a large one (a tick label inside a chart's
    plot area) lies on top and can be clicked."""
    parts = [
        f'<figure class="dv-page" id="page-{page.number}">'
        f"<figcaption>page {page.number}</figcaption>"
        f'<div class="dv-sheet" style="width:{page.pixels[0]}px;'
        f'aspect-ratio:{page.pixels[0]}/{page.pixels[1]}">'
        f'<img src="{page.data}" alt="page {page.number}">'
    ]
    for number, item in enumerate(items, 1):
        for region in item.provenance.regions:
            if region.page == page.number and region.bbox is not None:
                parts.append(
                    f'<div class="dv-region" style="{_box_style(region.bbox, page)}">'
                    f"<span>#{number}</span></div>"
                )
    boxed = [v for v in values if v.page == page.number and v.bbox is not None]
    boxed.sort(key=lambda v: -_area(v.bbox))
    for value in boxed:
        assert value.bbox is not None
        parts.append(
            f'<div class="dv-box {_value_classes(value)}" id="b-{value.id}" '
            f'data-value="{value.id}" title="{_e(value.path)}: {_e(value.text)}" '
            f'style="{_box_style(value.bbox, page)}"></div>'
        )
    parts.append("</div></figure>")
    return "".join(parts)


def _area(bbox: tuple[float, float, float, float] | None) -> float:
    return 0.0 if bbox is None else (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])


def _record_html(number: int, item: ExtractedRecord, values: list[ReviewValue]) -> str:
    """One record in the side panel: a heading, its derived fields (a chart's type), and a
    row per value."""
    where = item.provenance
    heading = f"#{number} {item.schema_name} · page " + ", ".join(str(p) for p in where.pages)
    if where.confidence is not None:
        heading += f" · confidence {where.confidence:.2f}"
    derived: frozenset[str] = getattr(type(item.record), "derived_fields", frozenset())
    dumped = item.record.model_dump(mode="json")
    notes = [f"{name}: {dumped[name]}" for name in sorted(derived) if dumped.get(name) is not None]
    rows = [
        f'<tr class="dv-value {_value_classes(v)}" id="{v.id}" tabindex="-1">'
        f'<td class="dv-path">{_e(v.path)}</td><td class="dv-text">{_e(v.text)}</td>'
        f'<td class="dv-status">{_e(v.status or "—")}</td>'
        f'<td class="dv-conf">{"" if v.confidence is None else f"{v.confidence:.2f}"}</td>'
        f'<td class="dv-pg">{_e(v.page)}</td></tr>'
        for v in values
    ]
    return (
        f'<section class="dv-record" id="record-{number}"><h2>{_e(heading)}</h2>'
        + (f'<p class="dv-note">{_e("; ".join(notes))}</p>' if notes else "")
        + "<table><thead><tr><th>path</th><th>text</th><th>status</th><th>conf.</th>"
        + "<th>page</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _header_html(result: Result, values: list[ReviewValue]) -> str:
    doubtful = sum(v.doubtful for v in values)
    summary = (
        f"status {result.status} · {len(result.items)} {result.schema_name} record(s) · "
        f"{len(values)} values, {doubtful} doubtful · {len(result.errors)} error(s), "
        f"{len(result.warnings)} warning(s)"
    )
    parts = [f"<h1>{_e(result.source)}</h1>", f'<p class="dv-summary">{_e(summary)}</p>']
    parts += problem_lists(result)
    parts.append(
        '<div class="dv-tools">Show only: '
        '<label><input type="checkbox" id="f-not_found" data-filter="not_found"> not found'
        "</label> "
        '<label><input type="checkbox" id="f-fuzzy" data-filter="fuzzy"> fuzzy</label> '
        '<label><input type="checkbox" id="f-low" data-filter="low"> confidence &lt; '
        f"{LOW_CONFIDENCE:g}</label>"
        '<span class="dv-keys">Keys: <kbd>j</kbd>/<kbd>n</kbd> next doubtful value, '
        "<kbd>k</kbd>/<kbd>p</kbd> previous; click a value or a box to highlight both."
        "</span></div>"
    )
    return "<header>" + "".join(parts) + "</header>"


def _data_json(result: Result, values: list[ReviewValue]) -> str:
    """The values as JSON for the page's script (and anyone reading the page), with every
    '<' escaped so that no text can end the script element."""
    data = {
        "source": result.source,
        "schema": result.schema_name,
        "status": result.status,
        "low_confidence": LOW_CONFIDENCE,
        "values": [asdict(v) | {"doubtful": v.doubtful} for v in values],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def review_html(result: Result, password: str | None = None) -> str:
    """The review page of ``result`` (see the module's docstring); ``password`` opens its
    document when it needs one."""
    values = review_values(result)
    by_record: dict[int, list[ReviewValue]] = {}
    for value in values:
        by_record.setdefault(value.record, []).append(value)
    images, problems = render_pages(result, pages_to_show(result), password)
    pages = [_page_html(page, result.items, values) for page in images]
    pages += [f'<p class="dv-missing">page image unavailable: {_e(p)}</p>' for p in problems]
    records = [
        _record_html(n, item, by_record.get(n, [])) for n, item in enumerate(result.items, 1)
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>docvlm review: {_e(result.source)}</title>"
        f"<style>{_asset('review.css')}</style></head><body>"
        + _header_html(result, values)
        + '<main><section class="dv-pages">'
        + "".join(pages)
        + '</section><aside class="dv-panel">'
        + ("".join(records) or '<p class="dv-missing">no records</p>')
        + "</aside></main>"
        + f'<script type="application/json" id="dv-data">{_data_json(result, values)}</script>'
        + f"<script>{_asset('review.js')}</script></body></html>\n"
    )


def write_review(result: Result, path: str | Path, password: str | None = None) -> Path:
    """Write the review page of ``result`` to ``path`` atomically; the path."""
    path = Path(path)
    atomic.write_file(path, review_html(result, password))
    return path
