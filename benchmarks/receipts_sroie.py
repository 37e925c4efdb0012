"""Native key-value extraction on scanned receipts (SROIE): field match rate per field.

    python benchmarks/receipts_sroie.py [--ocr rapidocr|tesseract] [--limit N] [-v]

A user schema Receipt(company, date, address, total) is filled by the native engine from
OCR words. Matching: company and address exact after whitespace/case normalisation, date as
the same calendar day, total as the same amount.
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
from docvlm.engines.native.keyvalues import parse_amount, parse_date

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "sroie-receipts"


class Receipt(BaseModel):
    company: str | None = Field(None, description="company name")
    date: dt.date | None = Field(None, description="date")
    address: str | None = Field(None, description="address")
    total: float | None = Field(None, description="total amount")


def norm(text: object) -> str:
    return " ".join(re.sub(r"[^\w]", " ", str(text or "").lower()).split())


def matches(field: str, predicted: object, truth: str) -> bool:
    if predicted is None:
        return False
    if field == "date":
        return predicted == parse_date(truth)
    if field == "total":
        return (
            parse_amount(truth) is not None and abs(float(predicted) - parse_amount(truth)) < 0.005
        )  # type: ignore[arg-type,operator]
    return norm(predicted) == norm(truth)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--ocr", default="rapidocr", choices=["rapidocr", "tesseract"])
    parser.add_argument("--limit", type=int)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    images = sorted(args.corpus.glob("*.jpg"))[: args.limit]
    engine = docvlm.get_engine("native", ocr=args.ocr)
    fields = list(Receipt.model_fields)
    hits = dict.fromkeys(fields, 0)
    failures = 0
    start = time.perf_counter()
    for image in images:
        truth = json.loads(image.with_suffix(".key.json").read_text())
        result = docvlm.extract(image, schema=Receipt, engine=engine)
        record = result.records[0] if result.records else None
        failures += not record
        for field in fields:
            got = getattr(record, field, None) if record else None
            ok = matches(field, got, truth.get(field, ""))
            hits[field] += ok
            if args.verbose and not ok and field in ("date", "total"):
                print(f"{image.stem} {field}: got {got!r}, want {truth.get(field)!r}")
    elapsed = time.perf_counter() - start
    print(f"receipts {len(images)}  OCR {args.ocr}  records missing {failures}")
    for field in fields:
        print(f"  {field:8} {hits[field]:3}/{len(images)} = {100 * hits[field] / len(images):.1f}%")
    print(f"speed {len(images) / elapsed:.2f} pages/s")


if __name__ == "__main__":
    main()
