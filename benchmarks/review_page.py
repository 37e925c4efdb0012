"""How long the review page of a many-page result takes to write, and how big it is.

    python benchmarks/review_page.py [--pages 50] [--repeat 3]

Builds the same PDF as ``repr_html.py`` (``--pages`` pages of the fixtures' tables),
extracts its tables with the native engine, then times ``Result.to_html`` (the median of
``--repeat`` runs) and prints the file's size, with the share taken by the page images.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from repr_html import many_page_pdf  # beside this script, so on its path

import docvlm
from docvlm.review import MAX_PAGE_PX


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        pdf = many_page_pdf(Path(folder) / "many.pdf", args.pages)
        result = docvlm.extract(pdf, merge_pages=False)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            path = result.to_html(Path(folder) / "many.html")
            times.append(time.perf_counter() - started)
        page = path.read_text(encoding="utf-8")
    values = sum(len(item.provenance.fields) for item in result.items)
    images = re.findall(r"data:image/webp;base64,[^\"]+", page)
    print(f"{args.pages} pages, {len(result.items)} records, {values} values")
    print(
        f"to_html: median {statistics.median(times):.2f} s over {args.repeat} runs "
        f"(min {min(times):.2f} s, max {max(times):.2f} s)"
    )
    print(
        f"size: {len(page.encode()) / 1e6:.2f} MB, of which page images "
        f"{sum(map(len, images)) / 1e6:.2f} MB ({len(images)} WebP images, at most "
        f"{MAX_PAGE_PX} px a side)"
    )


if __name__ == "__main__":
    main()
