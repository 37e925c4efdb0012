"""Grounding speed on the densest page of the corpora's PDFs.

    python benchmarks/grounding.py [--corpus DIR] [--values N] [--repeat R]

Finds the PDF page with the most text-layer words under ``../shared/corpus``, then grounds
one record holding N values (default 500): most copied from the page's words (runs of one
to three words, spread over the page), a tenth altered so that they are not on it. Prints
the page, its word count, the time to index the words and look every value up (best of R
runs), and how the values matched.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

import pymupdf
from pydantic import BaseModel

from docvlm.document import Document
from docvlm.grounding import WordIndex, ground_record

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def densest_page(corpus: Path) -> tuple[Path, int, int]:
    """(file, 1-based page, words) of the page with the most words."""
    best = (Path(), 0, 0)
    for pdf in sorted(corpus.rglob("*.pdf")):
        try:
            with pymupdf.open(pdf) as document:
                for index, page in enumerate(document):
                    count = len(page.get_text("words"))
                    if count > best[2]:
                        best = (pdf, index + 1, count)
        except Exception:  # an unreadable file in a corpus is not this benchmark's concern
            continue
    return best


class Values(BaseModel):
    values: list[str]


def sample_values(words: list[str], n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    values = []
    for i in range(n):
        start = rng.randrange(len(words))
        value = " ".join(words[start : start + rng.choice((1, 1, 2, 3))])
        values.append(value + "x7" if i % 10 == 0 else value)  # one in ten is not on the page
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--values", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path, number, _ = densest_page(args.corpus)
    with Document.open(path) as document:
        words = document.page(number).words
    record = Values(values=sample_values([w.text for w in words], args.values))
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        matches = ground_record(record, WordIndex(words))
        best = min(best, time.perf_counter() - start)
    statuses = Counter(m.status for m in matches)
    print(f"page {path.relative_to(args.corpus)} p{number}: {len(words)} words")
    print(f"grounded {len(matches)} values in {best * 1000:.1f} ms (best of {args.repeat})")
    print("statuses " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))


if __name__ == "__main__":
    main()
