"""Native key-value extraction on scanned receipts (SROIE): field match rate per field,
for a plain model and a typed one.

    python benchmarks/receipts_sroie.py [--ocr rapidocr|tesseract] [--limit N] [-v]

Two user schemas are filled by the native engine from the same OCR words: ``PlainReceipt``
(every field ``str``, no descriptions: what most people write first) and ``TypedReceipt``
(``date: datetime.date``, ``total: float``, with descriptions). Matching: company and
address exact after whitespace/case normalisation; a date as the same calendar day (a str
must parse to it); a total as the same amount, and a str total must hold nothing but the
amount (a currency symbol or code allowed: '80.91 0.00' is wrong for 80.90).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from pathlib import Path

from pydantic import BaseModel, Field

import docvlm
from docvlm.text import parse_date, sole_amount

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "sroie-receipts"


class PlainReceipt(BaseModel):
    company: str | None = None
    date: str | None = None
    address: str | None = None
    total: str | None = None


class TypedReceipt(BaseModel):
    company: str | None = Field(None, description="company name")
    date: dt.date | None = Field(None, description="date")
    address: str | None = Field(None, description="address")
    total: float | None = Field(None, description="total amount")


MODELS: dict[str, type[BaseModel]] = {"plain": PlainReceipt, "typed": TypedReceipt}
FIELDS = list(PlainReceipt.model_fields)


def norm(text: object) -> str:
    return " ".join(re.sub(r"[^\w]", " ", str(text or "").lower()).split())


def matches(field: str, predicted: object, truth: str) -> bool:
    if predicted is None:
        return False
    if field == "date":
        day = parse_date(predicted) if isinstance(predicted, str) else predicted
        return day is not None and day == parse_date(truth)
    if field == "total":
        want = sole_amount(truth)
        if isinstance(predicted, str):
            amount = sole_amount(predicted)
            predicted = amount.value if amount else None
        return (
            want is not None
            and predicted is not None
            and abs(float(predicted) - float(want.value)) < 0.005  # type: ignore[arg-type]
        )
    return norm(predicted) == norm(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--ocr", default="rapidocr", choices=["rapidocr", "tesseract"])
    parser.add_argument("--limit", type=int)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    images = sorted(args.corpus.glob("*.jpg"))[: args.limit]
    if not images:
        parser.error(f"no receipts in {args.corpus}")
    engine = docvlm.get_engine("native", ocr=args.ocr)
    hits = {(kind, field): 0 for kind in MODELS for field in FIELDS}
    start = time.perf_counter()
    for image in images:
        truth = json.loads(image.with_suffix(".key.json").read_text())
        for kind, model in MODELS.items():  # the second model reuses the cached OCR
            result = docvlm.extract(image, schema=model, engine=engine)
            record = result.records[0] if result.records else None
            for field in FIELDS:
                got = getattr(record, field, None) if record else None
                ok = matches(field, got, truth.get(field, ""))
                hits[kind, field] += ok
                if args.verbose and not ok and field in ("date", "total"):
                    print(f"{image.stem} {kind} {field}: got {got!r}, want {truth.get(field)!r}")
    elapsed = time.perf_counter() - start
    print(f"receipts {len(images)}  OCR {args.ocr}")
    print(f"  {'field':8} {'plain':>8} {'typed':>8}")
    for field in FIELDS:
        rates = [f"{100 * hits[kind, field] / len(images):7.1f}%" for kind in MODELS]
        print(f"  {field:8} {' '.join(rates)}")
    print(f"speed {len(images) / elapsed:.2f} receipts/s (both models)")


if __name__ == "__main__":
    main()
