"""How long a notebook waits for a result's rich display, and how much it holds.

    python benchmarks/repr_html.py [--pages 50] [--repeat 5]

Builds a PDF of ``--pages`` pages from the fixtures' native pages (tables of sales,
staff and ledger rows, one or more per page), extracts its tables with the native engine,
then times ``Result._repr_html_`` (the median of ``--repeat`` runs) and prints its size,
with the share taken by the page pictures.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

import pymupdf

import docvlm

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["report_3pages.pdf", "sales_table.pdf", "ledger_3pages.pdf"]


def many_page_pdf(path: Path, pages: int) -> Path:
    out = pymupdf.open()
    while out.page_count < pages:
        for name in SOURCES:
            out.insert_pdf(pymupdf.open(ROOT / "fixtures" / name))
    out.select(list(range(pages)))
    out.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf = many_page_pdf(Path(folder) / "many.pdf", args.pages)
        started = time.perf_counter()
        result = docvlm.extract(pdf, merge_pages=False)
        extracted = time.perf_counter() - started
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            page = result._repr_html_()
            times.append(time.perf_counter() - started)
    values = sum(len(item.provenance.fields) for item in result.items)
    pictures = sum(len(m) for m in re.findall(r"data:image/png;base64,[^\"]+", page))
    print(
        f"{args.pages} pages, {len(result.items)} records, {values} values "
        f"(extraction {extracted:.2f} s)"
    )
    print(
        f"_repr_html_: median {statistics.median(times) * 1000:.0f} ms over {args.repeat} runs "
        f"(min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms)"
    )
    print(
        f"size: {len(page.encode()) / 1e6:.2f} MB, of which page pictures "
        f"{pictures / 1e6:.2f} MB ({page.count('<figure>')} pictures)"
    )


if __name__ == "__main__":
    main()
