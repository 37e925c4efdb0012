"""Native key-value extraction on the invoice2data golden invoices: match rate per field.

    python benchmarks/invoices.py [-v]

A user schema Invoice(invoice_number, date, amount, amount_untaxed, amount_tax) is filled by
the native engine from each PDF (first page with values) and compared with the golden JSON:
numbers within 0.01, dates as calendar days, strings after whitespace/case folding. Each
field is scored over the invoices whose golden file has it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from pydantic import BaseModel, Field

import docvlm

DEFAULT = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "invoice2data-invoices"
)


class Invoice(BaseModel):
    invoice_number: str | None = Field(None, description="invoice number")
    date: dt.date | None = Field(None, description="invoice date")
    amount: float | None = Field(None, description="total amount")
    amount_untaxed: float | None = Field(None, description="net amount")
    amount_tax: float | None = Field(None, description="tax amount")


def same(field: str, got: object, want: object) -> bool:
    if got is None:
        return False
    if field == "date":
        return str(got) == str(want)[:10]
    if isinstance(want, int | float):
        return isinstance(got, int | float) and abs(float(got) - float(want)) <= 0.01
    return " ".join(str(got).lower().split()) == " ".join(str(want).lower().split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    fields = list(Invoice.model_fields)
    hits = dict.fromkeys(fields, 0)
    totals = dict.fromkeys(fields, 0)
    pdfs = sorted(args.corpus.glob("*.pdf"))
    pages = 0
    start = time.perf_counter()
    for pdf in pdfs:
        truth = json.loads(pdf.with_suffix(".json").read_text())[0]
        result = docvlm.extract(pdf, schema=Invoice)
        pages += result.pages_total
        records = result.records
        for field in fields:
            if field not in truth:
                continue
            totals[field] += 1
            got = next((getattr(r, field) for r in records if getattr(r, field) is not None), None)
            ok = same(field, got, truth[field])
            hits[field] += ok
            if args.verbose and not ok:
                print(f"{pdf.stem:28} {field:15} got {got!r}, want {truth[field]!r}")
    elapsed = time.perf_counter() - start
    print(f"invoices {len(pdfs)}")
    for field in fields:
        rate = 100 * hits[field] / totals[field] if totals[field] else 0.0
        print(f"  {field:15} {hits[field]:2}/{totals[field]:<2} = {rate:.0f}%")
    print(f"speed {pages / elapsed:.2f} pages/s")


if __name__ == "__main__":
    main()
