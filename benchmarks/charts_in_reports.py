"""Charts pasted as pictures in report pages: each PNG of the rendered dev set
(``charts_rendered.py``) placed on an A4 page between a heading, a paragraph and a caption,
as a word processor exports a report with a figure. The page's text layer holds the prose,
none of the chart's labels; the chart is scored as its PNG is (a picture: values within 5%
of the value-axis span).

    python benchmarks/charts_in_reports.py [--renderer R[,R]] [--type T[,T]] [--limit N]
        [--jobs N] [-v] [--json PATH]

The pages are made once and cached beside the dev set (``.../<renderer>/<id>.report.pdf``).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pymupdf
from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
import charts_rendered as rendered

A4 = (595.0, 842.0)
MARGIN = 72.0
PROSE = (
    "The figures below summarise the year. Each was exported from the team's workbook and "
    "placed in this report as a picture; the numbers behind it are in the appendix."
)


def report_page(png: Path, target: Path) -> None:
    """An A4 page with a heading, a paragraph, the chart at 96 pixels an inch (shrunk to
    the text width where wider) and a caption."""
    image = Image.open(png)
    width, height = image.width * 0.75, image.height * 0.75
    fit = min(1.0, (A4[0] - 2 * MARGIN) / width, 560.0 / height)
    document = pymupdf.open()
    page = document.new_page(width=A4[0], height=A4[1])
    page.insert_text((MARGIN, MARGIN), "Annual report", fontsize=16)
    page.insert_textbox(pymupdf.Rect(MARGIN, 90, A4[0] - MARGIN, 160), PROSE, fontsize=10)
    box = pymupdf.Rect(MARGIN, 170, MARGIN + width * fit, 170 + height * fit)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG")
    page.insert_image(box, stream=buffer.getvalue())
    page.insert_text((MARGIN, box.y1 + 18), "Figure 1: the year in figures.", fontsize=9)
    document.save(target)


def read_one(spec: dict[str, Any]) -> dict[str, Any]:
    folder = rendered.CACHE / spec["renderer"]
    target = folder / f"{spec['id']}.report.pdf"
    if not target.exists():
        report_page(folder / f"{spec['id']}.png", target)
    return rendered.chart_row(spec, "png", str(target), rendered.read_chart(str(target)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renderer", help=f"comma-separated, of: {', '.join(rendered.RENDERERS)}")
    parser.add_argument("--type", help="comma-separated chart types (default: all)")
    parser.add_argument("--limit", type=int, help="at most this many charts (a mix of types)")
    parser.add_argument("--jobs", type=int, default=1, help="read in this many processes")
    parser.add_argument("-v", "--verbose", action="store_true", help="per chart, with misses")
    parser.add_argument("--json", type=Path, help="write per-chart results here")
    args = parser.parse_args()
    renderers = rendered._select(args.renderer, rendered.RENDERERS, "renderer")
    types = rendered._select(args.type, rendered.TYPES, "type")
    specs = [s for s in rendered.all_specs() if s["renderer"] in renderers and s["type"] in types]
    specs = specs[: args.limit] if args.limit else specs
    rendered.build(specs)
    started = time.perf_counter()
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        rows = list(pool.map(read_one, specs))
    if args.verbose:
        for row in rows:
            rendered.print_row(row)
    rendered.report(rows, ["png"], time.perf_counter() - started)
    if args.json:
        args.json.write_text(json.dumps({"charts": rows}, indent=1))


if __name__ == "__main__":
    main()
