"""Make the README's screenshots of the review page and of a notebook's rich display.

    python docs/make_screenshots.py

Extracts ``fixtures/sales_table.pdf`` and ``fixtures/chart_bar.pdf``, writes the chart's
review page with one value clicked, and the table's ``_repr_html_`` in a bare page, then
photographs both with the system Chromium (``$DOCVLM_CHROMIUM``, else /usr/bin/chromium)
driven by Playwright: ``docs/review-page.png`` and ``docs/rich-display.png``. Each is
reduced to a 128-colour palette to stay well under 200 KB.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docvlm  # noqa: E402

CHROMIUM = os.environ.get("DOCVLM_CHROMIUM", "/usr/bin/chromium")
MAX_BYTES = 200_000
BARE_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;'
    "background:#fff}.docvlm{display:inline-block;padding:12px}</style></head>"
    "<body>{body}</body></html>"
)


def review_page(browser, folder: Path, out: Path) -> None:
    result = docvlm.extract(ROOT / "fixtures" / "chart_bar.pdf", schema="chart")
    result.source = "chart_bar.pdf"  # the name a user would see, not this machine's path
    page = browser.new_page(viewport={"width": 1280, "height": 760})
    page.goto(result.to_html(folder / "review.html").as_uri())
    row = page.locator("tr.dv-value", has_text="series.1.points.2.x")
    row.click()
    page.screenshot(path=str(out))
    page.close()


def rich_display(browser, folder: Path, out: Path) -> None:
    result = docvlm.extract(ROOT / "fixtures" / "sales_table.pdf")
    result.source = "sales_table.pdf"
    html = folder / "display.html"
    html.write_text(BARE_PAGE.replace("{body}", result._repr_html_()), encoding="utf-8")
    page = browser.new_page(viewport={"width": 900, "height": 400})
    page.goto(html.as_uri())
    page.locator(".docvlm").screenshot(path=str(out))
    page.close()


def shrink(path: Path) -> int:
    """Reduce ``path`` to a 128-colour palette; its size in bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{path}: {size:,} bytes, over {MAX_BYTES:,}")
    return size


def main() -> None:
    from playwright.sync_api import sync_playwright

    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        review_page(browser, Path(folder), docs / "review-page.png")
        rich_display(browser, Path(folder), docs / "rich-display.png")
        browser.close()
    for name in ["review-page.png", "rich-display.png"]:
        print(f"docs/{name}: {shrink(docs / name):,} bytes")


if __name__ == "__main__":
    main()
