"""Charts drawn by a web charting library's JavaScript in the system Chromium (Playwright
drives it; no browser is downloaded): each chart's page is set up by its renderer, then
saved as a PNG screenshot of the chart and as the page printed to PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"


def render_in_chromium(
    specs: list[dict[str, Any]],
    folder: Path,
    finish: Callable[[dict[str, Any]], None],
    draw: Callable[[Any, dict[str, Any]], str],
) -> None:
    """Every chart in one headless Chromium: a page the chart's size at its device scale,
    ``draw(page, spec)`` drawing the chart in it and naming the element that holds it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            for spec in specs:
                width, height = spec["options"]["size"]
                page = browser.new_page(
                    viewport={"width": width, "height": height},
                    device_scale_factor=spec["options"]["scale"],
                )
                chart = draw(page, spec)
                page.locator(chart).first.screenshot(path=str(folder / spec["files"]["png"]))
                page.pdf(
                    path=str(folder / spec["files"]["pdf"]),
                    width=f"{width}px",
                    height=f"{height}px",
                    print_background=True,
                    page_ranges="1",
                )
                page.close()
                finish(spec)
        finally:
            browser.close()
