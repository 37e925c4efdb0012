"""docvlm's own time against the model's, for the transformers engine.

    python benchmarks/engine_overhead.py [--pages 4] [--max-new-tokens 256]

Builds a randomly initialised model at the real dimensions of SmolVLM-256M (Idefics3
architecture; building from a config needs no download), runs a 4-page document through
``docvlm.extract(engine="transformers")`` and splits the wall time into the time inside
the model's ``generate`` calls and everything else: document loading, rasterising, tiling,
prompts, preprocessing, parsing, validation and merging. The next tile is rendered while
the model generates, so rendering hides behind generation.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pymupdf
import torch

import docvlm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.tiny_vlms import SMOLVLM_256M, idefics3  # noqa: E402


def four_page_pdf(path: Path, pages: int) -> Path:
    out = pymupdf.open()
    sources = [ROOT / "fixtures" / "report_3pages.pdf", ROOT / "fixtures" / "sales_table.pdf"]
    while out.page_count < pages:
        for source in sources:
            out.insert_pdf(pymupdf.open(source))
    out.select(list(range(pages)))
    out.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--max-new-tokens", type=int, default=256)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        torch.manual_seed(0)
        start = time.perf_counter()
        folder = idefics3(Path(tmp) / "smolvlm-256m-random", SMOLVLM_256M)
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        engine = docvlm.get_engine(
            "transformers", model=str(folder), device="cpu", max_new_tokens=args.max_new_tokens
        )
        load_s = time.perf_counter() - start
        generate_s = 0.0
        calls = 0
        original = engine.model.generate

        def timed_generate(*a, **k):  # type: ignore[no-untyped-def]
            nonlocal generate_s, calls
            t0 = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                generate_s += time.perf_counter() - t0
                calls += 1

        engine.model.generate = timed_generate
        document = four_page_pdf(Path(tmp) / "doc.pdf", args.pages)
        start = time.perf_counter()
        result = docvlm.extract(document, schema="table", engine=engine)
        wall_s = time.perf_counter() - start
    own_s = wall_s - generate_s
    parameters = sum(p.numel() for p in engine.model.parameters()) / 1e6
    tokens_in, tokens_out = (
        result.usage.get("input_tokens", 0),
        result.usage.get("output_tokens", 0),
    )
    print(f"model: random, SmolVLM-256M dimensions, {parameters:.0f} M parameters")
    print(f"build {build_s:.1f} s, load {load_s:.1f} s (not counted below)")
    print(
        f"document: {args.pages} pages, {calls} generate calls, "
        f"tile size {engine.capabilities.preferred_tile_size} px, "
        f"tokens in/out {tokens_in}/{tokens_out}, status {result.status}"
    )
    print(f"wall {wall_s:.2f} s = generate {generate_s:.2f} s + docvlm {own_s:.2f} s")
    print(f"docvlm's own share: {100 * own_s / wall_s:.2f}%")


if __name__ == "__main__":
    main()
