"""Native menu extraction on the menu corpora: dish recall and precision, price accuracy.

    python benchmarks/menus.py [--ocr rapidocr|tesseract] [-v]

``menu-photos-zhtw`` (3 phone photos of Taiwanese menus, OCR): a predicted item matches a
dish when their names are equal after removing spaces and punctuation, or within a
character error rate of 0.2; each dish matches at most once. Reported: dish recall and
precision, and the share of matched dishes whose price is right.

``dorm-menu-ja`` (monthly menu calendars, PDF text layer): the ground truth lists the
varying dishes of each meal; a dish line counts as found when it appears (normalised) in an
item's name or description on its page. Reported: dish-line recall (precision is not
defined: the calendars also print fixed dishes and nutrition rows the truth leaves out).
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from pathlib import Path

import docvlm

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def norm(text: object) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"[\W_]+", "", text).lower()


def cer(a: str, b: str) -> float:
    """Levenshtein distance over the longer length."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / max(len(a), len(b), 1)


def items(menu: object) -> list[docvlm.MenuItem]:
    return [item for section in getattr(menu, "sections", []) for item in section.items]


def photos(ocr: str, verbose: bool) -> float:
    folder = CORPUS / "menu-photos-zhtw"
    truth_lines = [
        json.loads(line) for line in (folder / "metadata.jsonl").read_text().splitlines()
    ]
    found = predicted = dishes = priced = 0
    pages = 0
    start = time.perf_counter()
    for entry in truth_lines:
        result = docvlm.extract(
            folder / entry["file_name"], schema="menu", engine_options={"ocr": ocr}
        )
        pages += 1
        got = [item for record in result.records for item in items(record)]
        truth = entry["menu"]["dishes"]
        unmatched = list(got)
        hits = right = 0
        for dish in truth:
            name = norm(dish["name"])
            match = next(
                (g for g in unmatched if norm(g.name) == name or cer(norm(g.name), name) <= 0.2),
                None,
            )
            if match is None:
                continue
            unmatched.remove(match)
            hits += 1
            right += match.price is not None and float(dish["price"]) == match.price
        found, priced = found + hits, priced + right
        predicted, dishes = predicted + len(got), dishes + len(truth)
        if verbose:
            print(f"  {entry['file_name']:14} dishes {hits}/{len(truth)}  items read {len(got)}")
    elapsed = time.perf_counter() - start
    print(
        f"menu-photos-zhtw ({ocr}): dish recall {found}/{dishes} = {found / dishes:.1%}, "
        f"precision {found}/{predicted or 1} = {found / (predicted or 1):.1%}, "
        f"price right on matched {priced}/{found or 1} = {priced / (found or 1):.1%}, "
        f"{pages / elapsed:.2f} pages/s"
    )
    return found / dishes


def calendars(verbose: bool) -> float:
    folder = CORPUS / "dorm-menu-ja"
    found = total = pages = 0
    start = time.perf_counter()
    for truth_path in sorted(folder.glob("*.json")):
        truth = json.loads(truth_path.read_text())
        result = docvlm.extract(truth_path.with_suffix(".pdf"), schema="menu")
        pages += result.pages_total
        text = "\n".join(
            norm(item.name) + "\n" + norm(item.description)
            for record in result.records
            for item in items(record)
        )
        lines = [
            norm(line)
            for day in truth.values()
            for meal in ("morning", "lunch", "dinner")
            for line in str(day.get(meal, "")).split("\n")
            if norm(line) and line != "無し"
        ]
        hits = sum(line in text for line in lines)
        found, total = found + hits, total + len(lines)
        if verbose:
            print(f"  {truth_path.stem}: dish lines {hits}/{len(lines)}")
    elapsed = time.perf_counter() - start
    print(
        f"dorm-menu-ja (text layer): dish-line recall {found}/{total} = {found / total:.1%}, "
        f"{pages / elapsed:.2f} pages/s"
    )
    return found / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ocr", default="rapidocr", choices=["rapidocr", "tesseract"])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    photos(args.ocr, args.verbose)
    calendars(args.verbose)


if __name__ == "__main__":
    main()
