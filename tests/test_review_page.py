"""The review page: its content as written, then its behaviour in a real browser (the
system Chromium driven by Playwright)."""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

import docvlm
from docvlm.cli import main
from docvlm.engines import EngineCapabilities, EngineReply
from docvlm.provenance import FieldProvenance, Provenance, Region
from docvlm.result import ExtractedRecord, PageError, PageWarning, Result
from docvlm.review import LOW_CONFIDENCE, MAX_PAGE_PX
from tests.conftest import SALES

CHROMIUM = Path(os.environ.get("DOCVLM_CHROMIUM", "/usr/bin/chromium"))
HOSTILE = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'


class Sighting(BaseModel):
    region: str
    total: str
    code: str
    spelt: str


class FixedAnswer:
    """An engine that answers every page with one Sighting: two values printed on
    sales_table.pdf, one that is not on it and one misspelt, so the statuses are known."""

    name = "fixed"
    capabilities = EngineCapabilities(needs_image=False, reads_whole_page=True, max_concurrency=0)

    def run(self, request):
        answer = {"region": "North", "total": "58.5", "code": "ZX-404", "spelt": "Soutth"}
        return EngineReply(text=json.dumps({"records": [answer]}))


@pytest.fixture(scope="module")
def sighting(fixtures):
    result = docvlm.extract(fixtures / "sales_table.pdf", schema=Sighting, engine=FixedAnswer())
    statuses = {f.path: f.status for f in result.items[0].provenance.fields}
    assert statuses == {"region": "exact", "total": "exact", "code": "not_found", "spelt": "fuzzy"}
    return result


def hostile_result() -> Result:
    """A hand-built result (no document to picture) whose every text tries to break out."""

    class Note(BaseModel):
        text: str

    fields = [FieldProvenance(path="text", page=1, bbox=(1, 2, 3, 4), status="exact", confidence=1)]
    item = ExtractedRecord(
        Note(text=HOSTILE),
        Provenance(engine="native", regions=[Region(page=1)], fields=fields),
        "Note<b>",
    )
    error = PageError(source=HOSTILE, page=2, stage="extract", message="<i>broken</i>")
    warning = PageWarning(source="a.pdf", page=1, stage="ground", kind="doubtful", message="<u>")
    return Result(HOSTILE, "Note<b>", [item], errors=[error], warnings=[warning], pages_total=2)


def embedded_data(page: str) -> dict:
    (text,) = re.findall(r'<script type="application/json" id="dv-data">(.*?)</script>', page)
    return json.loads(text)


def webp_sizes(page: str) -> list[tuple[int, int]]:
    from PIL import Image

    found = re.findall(r'src="data:image/webp;base64,([^"]+)"', page)
    return [Image.open(io.BytesIO(base64.b64decode(data))).size for data in found]


# The page as written


def test_every_text_is_escaped_and_the_data_cannot_end_its_script(tmp_path):
    page = hostile_result().to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count("<script") == 2 and page.count("</script>") == 2  # the page's own
    assert HOSTILE not in page and "<img src=x" not in page
    assert f'<td class="dv-text">{html.escape(HOSTILE)}</td>' in page
    assert "<i>" not in page and "<u>" not in page and "<b>" not in page
    assert "&lt;i&gt;broken&lt;/i&gt;" in page and "doubtful: a.pdf: page 1: &lt;u&gt;" in page
    data = embedded_data(page)
    assert data["source"] == HOSTILE and data["schema"] == "Note<b>"
    assert [(v["path"], v["text"], v["status"]) for v in data["values"]] == [
        ("text", HOSTILE, "exact")
    ]
    assert "page image unavailable: the result does not know where its document is" in page


def test_the_page_is_self_contained_bounded_and_the_same_every_time(sales, tmp_path):
    first = sales.to_html(tmp_path / "one.html").read_bytes()
    second = sales.to_html(tmp_path / "two.html").read_bytes()
    assert first == second
    page = first.decode("utf-8")
    assert "http://" not in page and "https://" not in page and "<link" not in page
    sources = re.findall(r'\bsrc="([^"]*)"', page)
    assert sources and all(s.startswith("data:image/webp;base64,") for s in sources)
    (size,) = webp_sizes(page)
    assert max(size) == MAX_PAGE_PX  # an A4 page is shrunk to the bound
    assert "<style>" in page and "<script>" in page  # inline style and script


def test_every_value_of_every_schema_is_listed_with_its_box(sales, bars, fixtures):
    from docvlm.review import review_html

    menu = docvlm.extract(fixtures / "menu.pdf", schema="menu")
    pairs = docvlm.extract(fixtures / "invoice.pdf", schema="keyvalues")
    for result in [sales, bars, menu, pairs]:
        page = review_html(result)
        fields = [f for item in result.items for f in item.provenance.fields]
        values = embedded_data(page)["values"]
        assert sorted(v["path"] for v in values) == sorted(f.path for f in fields)
        assert page.count('<tr class="dv-value') == len(fields)
        assert page.count('<div class="dv-box') == sum(f.bbox is not None for f in fields)
    table = embedded_data(review_html(sales))["values"]
    assert [v["text"] for v in table] == [cell for row in SALES for cell in row]
    assert table[6] | {"bbox": None} == {
        "id": "v7",
        "record": 1,
        "path": "rows.1.1",
        "text": "12.5",
        "status": "exact",
        "confidence": 1.0,
        "page": 1,
        "bbox": None,
        "doubtful": False,
    }
    assert 'class="dv-note">chart_type: bar<' in review_html(bars)


def test_doubtful_values_are_marked(sighting):
    from docvlm.review import review_html

    page = review_html(sighting)
    values = {v["path"]: v for v in embedded_data(page)["values"]}
    assert [p for p, v in values.items() if v["doubtful"]] == ["code", "spelt"]
    assert values["spelt"]["confidence"] < LOW_CONFIDENCE and values["code"]["bbox"] is None
    assert re.search(r'<tr class="dv-value dv-fuzzy dv-low dv-doubtful" id="v4"', page)
    assert "4 values, 2 doubtful" in page


def test_a_page_that_cannot_be_pictured_leaves_the_others(fixtures, monkeypatch):
    from docvlm import review

    result = docvlm.extract(fixtures / "report_3pages.pdf")
    drawn = review._page_image

    def picture(page):
        if page.number == 1:
            raise RuntimeError("cannot render")
        return drawn(page)

    monkeypatch.setattr(review, "_page_image", picture)
    page = review.review_html(result)
    assert re.findall(r'<figure class="dv-page" id="page-(\d+)"', page) == ["2"]
    assert "page image unavailable: page 1: RuntimeError: cannot render" in page
    assert len(embedded_data(page)["values"]) == sum(len(p.fields) for p in result.provenance)


def test_a_failed_write_leaves_the_previous_page(sales, tmp_path, monkeypatch):
    target = tmp_path / "sales.html"
    target.write_text("previous")

    def fail(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        sales.to_html(target)
    assert target.read_text() == "previous" and os.listdir(tmp_path) == ["sales.html"]


def test_html_folder_mirrors_the_inputs(capsys, fixtures, tmp_path):
    for folder, name in [("a", "chart_line.pdf"), ("b", "chart_bar.pdf")]:
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(fixtures / name, tmp_path / "in" / folder / "x.pdf")
    review = tmp_path / "review"
    argv = ["extract", "--no-progress", str(tmp_path / "in"), "-s", "chart", "--html"]
    assert main([*argv, str(review)]) == 0
    capsys.readouterr()
    found = sorted(p.relative_to(review).as_posix() for p in review.rglob("*"))
    assert found == ["a", "a/x.html", "b", "b/x.html"]
    chart = embedded_data((review / "b" / "x.html").read_text(encoding="utf-8"))
    assert chart["source"].endswith("b/x.pdf") and len(chart["values"]) == 20
    line = embedded_data((review / "a" / "x.html").read_text(encoding="utf-8"))
    assert line["source"].endswith("a/x.pdf") and line["values"][0]["path"] == "title"
    with pytest.raises(SystemExit):
        main(["extract", "--help"])
    assert "--html DIR" in capsys.readouterr().out


# In a browser


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install the chromium package to run these")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Chromium's sandbox refuses to start as root (CI containers).
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=args
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, tmp_path):
    """Opens a result's review page in a fresh tab; the tab, and what it asked for."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []

    def open_result(result: Result):
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(result.to_html(tmp_path / "review.html").as_uri())
        assert errors == []
        return page, requests

    yield open_result
    context.close()


def panel(page) -> list[dict]:
    """The values the panel shows: id, path, text, status and whether it is shown."""
    return page.eval_on_selector_all(
        "tr.dv-value",
        """rows => rows.map(r => ({
            id: r.id, path: r.querySelector('.dv-path').textContent,
            text: r.querySelector('.dv-text').textContent,
            status: r.querySelector('.dv-status').textContent,
            shown: r.offsetParent !== null}))""",
    )


def test_the_panel_lists_every_value_and_nothing_is_fetched(open_page, sales, bars):
    page, requests = open_page(sales)
    shown = panel(page)
    assert [(v["path"], v["text"]) for v in shown] == [
        (f"rows.{r}.{c}", cell) for r, row in enumerate(SALES) for c, cell in enumerate(row)
    ]
    assert all(v["shown"] and v["status"] == "exact" for v in shown)
    assert page.locator(".dv-box").count() == 30
    chart, _ = open_page(bars)
    (record,) = bars.records
    expected = {
        ("title", record.title),
        ("y_label", record.y_label),
        *((f"series.{s}.name", series.name) for s, series in enumerate(record.series)),
        *(
            (f"series.{s}.points.{p}.{axis}", str(getattr(point, axis)))
            for s, series in enumerate(record.series)
            for p, point in enumerate(series.points)
            for axis in "xy"
        ),
    }
    assert {(v["path"], v["text"]) for v in panel(chart)} == expected
    assert all(url.startswith(("file:", "data:")) for url in requests)


def test_a_value_and_its_box_highlight_each_other(open_page, sales):
    page, _ = open_page(sales)
    ids = {v["path"]: v["id"] for v in panel(page)}
    page.click(f"#{ids['rows.1.2']}")
    assert page.locator(".dv-selected").evaluate_all("e => e.map(x => x.id)") == [
        f"b-{ids['rows.1.2']}",
        ids["rows.1.2"],
    ]
    # The box lies over the value's words on the page image.
    field = sales.items[0].provenance.field("rows.1.2")
    image = page.locator(".dv-sheet img").bounding_box()
    box = page.locator(f"#b-{ids['rows.1.2']}").bounding_box()
    assert field is not None and field.bbox is not None
    scale = image["width"] / 595.0  # points to CSS pixels: an A4 page is 595 points wide
    x = (box["x"] - image["x"] + box["width"] / 2) / scale
    y = (box["y"] - image["y"] + box["height"] / 2) / scale
    assert x == pytest.approx((field.bbox[0] + field.bbox[2]) / 2, abs=1)
    assert y == pytest.approx((field.bbox[1] + field.bbox[3]) / 2, abs=1)
    page.click(f"#b-{ids['rows.3.0']}")  # 'East'
    selected = page.locator("tr.dv-selected")
    assert selected.count() == 1 and selected.get_attribute("id") == ids["rows.3.0"]
    assert selected.locator(".dv-text").text_content() == "East"
    assert page.locator(".dv-box.dv-selected").get_attribute("id") == f"b-{ids['rows.3.0']}"


def test_filters_leave_exactly_the_doubtful_values(open_page, sighting):
    page, _ = open_page(sighting)
    assert [v["path"] for v in panel(page) if v["shown"]] == ["region", "total", "code", "spelt"]

    def shown() -> list[str]:
        return [v["path"] for v in panel(page) if v["shown"]]

    page.check("#f-not_found")
    assert shown() == ["code"]
    assert page.locator(".dv-box:visible").count() == 0  # a value not found has no box
    page.uncheck("#f-not_found")
    page.check("#f-fuzzy")
    assert shown() == ["spelt"] and page.locator(".dv-box:visible").count() == 1
    page.uncheck("#f-fuzzy")
    page.check("#f-low")
    assert shown() == ["code", "spelt"]
    page.uncheck("#f-low")
    assert shown() == ["region", "total", "code", "spelt"]
    assert page.locator(".dv-box:visible").count() == 3


def test_keys_step_through_the_doubtful_values(open_page, sighting):
    page, _ = open_page(sighting)
    ids = {v["id"]: v["path"] for v in panel(page)}

    def focused() -> str:
        return ids[page.evaluate("document.activeElement.id")]

    assert "j" in page.locator(".dv-keys").text_content()
    steps = []
    for key in ["j", "j", "j", "k", "p", "n"]:
        page.keyboard.press(key)
        steps.append(focused())
    assert steps == ["code", "spelt", "code", "spelt", "code", "spelt"]
    assert page.locator(".dv-box.dv-selected").get_attribute("data-value") == next(
        i for i, path in ids.items() if path == "spelt"
    )
    page.check("#f-not_found")  # the keys go on from the checkbox, among the values shown
    page.keyboard.press("j")
    assert focused() == "code"
    page.keyboard.press("j")
    assert focused() == "code"
    assert page.locator(".dv-box.dv-selected").count() == 0  # a value not found has no box


def test_hostile_text_is_shown_not_run(open_page):
    page, _ = open_page(hostile_result())
    assert page.evaluate("window.pwned") is None
    assert [v["text"] for v in panel(page)] == [HOSTILE]
    error = page.locator(".dv-errors li").text_content()
    assert error == f"extract: {HOSTILE}: page 2: <i>broken</i>"


def test_the_readme_shows_the_screenshots_the_script_makes():
    root = Path(__file__).resolve().parent.parent
    shown = re.findall(r"!\[[^\]]+\]\((docs/[\w-]+\.png)\)", (root / "README.md").read_text())
    assert shown == ["docs/rich-display.png", "docs/review-page.png"]
    script = (root / "docs" / "make_screenshots.py").read_text()
    for name in shown:
        assert Path(name).name in script and 10_000 < (root / name).stat().st_size < 200_000
