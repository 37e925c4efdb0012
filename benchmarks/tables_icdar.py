"""Native table extraction on the ICDAR 2013 EU set: adjacency-relation micro P/R/F1 and speed.

    python benchmarks/tables_icdar.py [--corpus DIR] [--tile-size PX] [--no-merge-pages] [-v]

Scores with the corpus's own scorer (``eval/icdar_score.py`` beside the corpus folder).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

import docvlm

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "icdar2013-eu"


def load_scorer(corpus: Path):  # type: ignore[no-untyped-def]
    path = corpus.parent.parent / "eval" / "icdar_score.py"
    spec = importlib.util.spec_from_file_location("icdar_score", path)
    if spec is None or spec.loader is None:
        sys.exit(f"scorer not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--tile-size", type=int, default=None, help="force tiles of this many pixels at 150 DPI"
    )
    parser.add_argument(
        "--no-merge-pages", action="store_true", help="keep tables continued across pages apart"
    )
    parser.add_argument("--predictions", type=Path, help="also write the predictions here")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-document scores")
    args = parser.parse_args()
    scorer = load_scorer(args.corpus)
    tiles = docvlm.TileOptions(tile_size=args.tile_size) if args.tile_size else None
    predictions: dict[str, list[list[list[str]]]] = {}
    pages = 0
    errors = 0
    start = time.perf_counter()
    for pdf in sorted(args.corpus.glob("*.pdf")):
        result = docvlm.extract(
            pdf, schema="table", engine="native", tiles=tiles, merge_pages=not args.no_merge_pages
        )
        predictions[pdf.stem] = [table.rows for table in result.records]  # type: ignore[attr-defined]
        pages += result.pages_total
        errors += len(result.errors)
    elapsed = time.perf_counter() - start
    if args.predictions:
        args.predictions.write_text(json.dumps(predictions, ensure_ascii=False))
    scores = scorer.score(args.corpus, predictions)
    per_document = scores.pop("per_document")
    if args.verbose:
        for stem, doc_scores in per_document.items():
            print(stem, doc_scores)
    print(f"documents {scores['documents']}  pages {pages}  page errors {errors}")
    print(
        f"micro precision {scores['micro_precision']:.4f}  recall {scores['micro_recall']:.4f}  "
        f"F1 {scores['micro_f1']:.4f}  (mean document F1 {scores['mean_doc_f1']:.4f})"
    )
    print(f"speed {pages / elapsed:.2f} pages/s ({elapsed:.1f} s)")


if __name__ == "__main__":
    main()
