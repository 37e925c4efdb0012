"""Native date and total extraction on generated receipts and invoices: a held-out dev set.

    python benchmarks/forms_synthetic.py [--count N] [--ocr rapidocr|tesseract] [-v]

Generates (deterministically, cached under benchmarks/.cache/forms/) small receipts and
invoices in English, German, French, Spanish and English with Indian-style amounts, each as
a PDF with a text layer and as a PNG scan for OCR (150 dpi, a little askew, noisy). Label
wording, date formats, amount styles and layouts (label: value; label, then the value on
the line below, with or without a colon; labels left and values right-aligned) vary from
document to document. A plain model (``date: str``,
``total: str``) and a typed one (``datetime.date``, ``float``, with descriptions) are filled
by the native engine and scored per language and per format, as receipts_sroie.py scores:
a str date must parse to the printed day, a str total must hold the amount and nothing else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image
from pydantic import BaseModel, Field

import docvlm
from docvlm.text import parse_date, sole_amount

CACHE = Path(__file__).resolve().parent / ".cache" / "forms"
VERSION = 2  # bump when the generator changes: the cache is rebuilt
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


class PlainForm(BaseModel):
    date: str | None = None
    total: str | None = None


class TypedForm(BaseModel):
    date: dt.date | None = Field(None, description="date")
    total: float | None = Field(None, description="total amount")


MODELS: dict[str, type[BaseModel]] = {"plain": PlainForm, "typed": TypedForm}

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
}


@dataclass(frozen=True)
class Language:
    total_labels: tuple[str, ...]
    date_labels: tuple[str, ...]
    other_labels: tuple[str, ...]  # subtotal, tax: amounts that are not the total
    date_styles: tuple[str, ...]  # str.format templates over DATE_PARTS
    amount_style: str
    currency: tuple[str, ...]  # how the currency is printed: before or after, '{}' the number


LANGUAGES = {
    "en": Language(
        (
            "Total",
            "Amount due",
            "Grand Total",
            "Balance due",
            "TOTAL",
            "Invoice total",
            "Net Amount",
        ),
        ("Date", "Invoice date", "Dated", "Date of issue", "Issue date"),
        ("Subtotal", "VAT 20%"),
        (
            "{dd}/{mm}/{yyyy}",
            "{d} {Mon} {yyyy}",
            "{Month} {d}, {yyyy}",
            "{yyyy}-{mm}-{dd}",
            "{dd}/{mm}/{yy}",
            "{dd} {MON} {yyyy}",
        ),
        "1,234.56",
        ("£{}", "{}", "GBP {}", "${}"),
    ),
    "de": Language(
        ("Gesamtbetrag", "Summe", "Gesamt", "Rechnungsbetrag", "Endbetrag", "Zahlbetrag"),
        ("Datum", "Rechnungsdatum", "Belegdatum", "Ausgestellt am"),
        ("Zwischensumme", "MwSt. 19%"),
        ("{dd}.{mm}.{yyyy}", "{d}. {Month} {yyyy}", "{dd}.{mm}.{yy}", "{yyyy}-{mm}-{dd}"),
        "1.234,56",
        ("{} €", "€ {}", "EUR {}", "{} EUR"),
    ),
    "fr": Language(
        ("Total TTC", "Montant total", "Net à payer", "Total", "Montant TTC", "Reste à payer"),
        ("Date", "Date de facture", "Date d'émission", "Émise le"),
        ("Total HT", "TVA 20%"),
        ("{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}", "{dd}.{mm}.{yyyy}"),
        "1 234,56",
        ("{} €", "{} EUR"),
    ),
    "es": Language(
        ("Importe total", "Total a pagar", "Total", "Importe", "Total factura"),
        ("Fecha", "Fecha de emisión", "Fecha factura", "Emitida el"),
        ("Base imponible", "IVA 21%"),
        ("{dd}/{mm}/{yyyy}", "{d} de {month} de {yyyy}", "{dd}-{mm}-{yyyy}"),
        "1.234,56",
        ("{} €", "{}€", "EUR {}"),
    ),
    "in": Language(
        ("Grand Total", "Total Amount", "Net Payable", "Total", "Amount Payable"),
        ("Date", "Bill Date", "Invoice Date"),
        ("Sub Total", "GST 18%"),
        ("{dd}-{mm}-{yyyy}", "{dd}/{mm}/{yyyy}", "{d} {Mon} {yyyy}", "{dd}-{Mon}-{yy}"),
        "1,23,456.78",
        ("₹{}", "Rs. {}", "₹ {}", "INR {}"),
    ),
}
DUE_LABELS = {"en": "Due date", "de": "Fällig am", "fr": "Échéance", "es": "Vencimiento"}
LAYOUTS = ("colon", "below", "columns", "below-bare")  # below-bare: no colon after the label
SHOPS = ("Northwind Ltd", "Bergmann & Co", "Atelier Lumière", "Ferretería Sol", "Sharma Traders")
ITEMS = ("Widget", "Cable 2m", "Paper A4", "Coffee", "Toner", "Service", "Bolts x100")
WIDTH, HEIGHT, LEFT, RIGHT = 420.0, 595.0, 40.0, 380.0


def format_date(day: dt.date, style: str, lang: str) -> str:
    month = MONTHS.get(lang, MONTHS["en"]).split()[day.month - 1]
    return style.format(
        d=day.day,
        dd=f"{day.day:02d}",
        mm=f"{day.month:02d}",
        yyyy=day.year,
        yy=f"{day.year % 100:02d}",
        Month=month.capitalize(),
        month=month,
        Mon=month[:3].capitalize(),
        MON=month[:3].upper(),
    )


def format_amount(value: Decimal, style: str) -> str:
    whole, cents = f"{value:.2f}".split(".")
    if style == "1,23,456.78":  # lakhs: the last three digits, then pairs
        head, groups = whole[:-3], [whole[-3:]]
        while head:
            head, groups = head[:-2], [head[-2:], *groups]
        return f"{','.join(groups)}.{cents}"
    thousands, decimal = {"1,234.56": ",.", "1.234,56": ".,", "1 234,56": " ,"}[style]
    return f"{int(whole):,}".replace(",", thousands) + decimal + cents


@dataclass(frozen=True)
class Form:
    name: str
    lang: str
    layout: str
    date_text: str
    date: dt.date
    total_text: str
    total: Decimal
    lines: tuple[tuple[str, str], ...]  # (label, value); an empty label: a heading
    seed: int


def make_form(index: int) -> Form:
    rng = random.Random(index)
    lang = list(LANGUAGES)[index % len(LANGUAGES)]
    style = LANGUAGES[lang]
    layout = LAYOUTS[(index // len(LANGUAGES)) % len(LAYOUTS)]
    day = dt.date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
    scale = 1000 if lang == "in" else 1  # Indian amounts large enough for lakh groups
    money = rng.choice(style.currency)
    items = [
        (f"{rng.randint(1, 4)} x {rng.choice(ITEMS)}", Decimal(rng.randint(150, 9000)) / 100)
        for _ in range(rng.randint(2, 4))
    ]
    subtotal = sum(price * scale for _, price in items)
    tax = (subtotal * Decimal("0.2")).quantize(Decimal("0.01"))
    total = subtotal + tax

    def shown(value: Decimal) -> str:
        return money.format(format_amount(value, style.amount_style))

    date_text = format_date(day, rng.choice(style.date_styles), lang)
    lines: list[tuple[str, str]] = [("", SHOPS[index % len(SHOPS)]), ("", "12 Market Street")]
    lines.append((rng.choice(style.date_labels), date_text))
    if lang in DUE_LABELS and rng.random() < 0.4:  # a second, later date
        due = format_date(day + dt.timedelta(days=30), style.date_styles[0], lang)
        lines.append((DUE_LABELS[lang], due))
    lines += [(name, shown(price * scale)) for name, price in items]
    lines += [(style.other_labels[0], shown(subtotal)), (style.other_labels[1], shown(tax))]
    lines.append((rng.choice(style.total_labels), shown(total)))
    return Form(
        f"{index:03d}-{lang}-{layout}",
        lang,
        layout,
        date_text,
        day,
        shown(total),
        total,
        tuple(lines),
        index,
    )


def render(form: Form, pdf: Path, png: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=WIDTH, height=HEIGHT)
    font = pymupdf.Font(fontfile=str(FONT))
    y = 50.0
    for label, value in form.lines:
        y += 18
        if not label:
            page.insert_text((LEFT, y), value, fontsize=12, fontname="dvb", fontfile=str(BOLD))
            continue
        item = label[:1].isdigit()
        if form.layout == "columns" or item:
            page.insert_text((LEFT, y), label, fontsize=10, fontname="dv", fontfile=str(FONT))
            x = RIGHT - font.text_length(value, fontsize=10)
            page.insert_text((x, y), value, fontsize=10, fontname="dv", fontfile=str(FONT))
        elif form.layout == "colon":
            text = f"{label}: {value}"
            page.insert_text((LEFT, y), text, fontsize=10, fontname="dv", fontfile=str(FONT))
        else:
            shown = label if form.layout == "below-bare" else f"{label}:"
            page.insert_text((LEFT, y), shown, fontsize=10, fontname="dv", fontfile=str(FONT))
            y += 14
            page.insert_text((LEFT, y), value, fontsize=10, fontname="dv", fontfile=str(FONT))
    doc.save(pdf)
    scan(page, form.seed).save(png)


def scan(page: pymupdf.Page, seed: int) -> Image.Image:
    """The page as a scanner gives it: 150 dpi, a little askew, with some noise."""
    rng = np.random.default_rng(seed)
    pixmap = page.get_pixmap(dpi=150, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pixmap.width, pixmap.height), pixmap.samples)
    image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.BILINEAR, fillcolor=255)
    noisy = np.asarray(image, dtype=np.float32) + rng.normal(0, 12, (image.height, image.width))
    return Image.fromarray(noisy.clip(0, 255).astype(np.uint8))


def forms(count: int) -> list[tuple[Form, Path, Path]]:
    """The forms, rendered into the cache when not there yet."""
    folder = CACHE / f"v{VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        form = make_form(index)
        pdf, png = folder / f"{form.name}.pdf", folder / f"{form.name}.png"
        if not (pdf.exists() and png.exists()):
            render(form, pdf, png)
        made.append((form, pdf, png))
    return made


def correct(field: str, got: object, form: Form) -> bool:
    if got is None:
        return False
    if field == "date":
        return (parse_date(got) if isinstance(got, str) else got) == form.date
    if isinstance(got, str):
        amount = sole_amount(got)
        return amount is not None and amount.value == form.total
    return abs(float(got) - float(form.total)) < 0.005  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--ocr", default="rapidocr", choices=["rapidocr", "tesseract"])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    engine = docvlm.get_engine("native", ocr=args.ocr)
    hits: dict[tuple[str, str, str, str], int] = defaultdict(int)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for form, pdf, png in forms(args.count):
        for fmt, path in (("pdf", pdf), ("png", png)):
            seen[form.lang, fmt] += 1
            for kind, model in MODELS.items():
                result = docvlm.extract(path, schema=model, engine=engine)
                record = result.records[0] if result.records else None
                for field in ("date", "total"):
                    got = getattr(record, field, None) if record else None
                    ok = correct(field, got, form)
                    hits[form.lang, fmt, kind, field] += ok
                    if args.verbose and not ok:
                        want = form.date_text if field == "date" else form.total_text
                        print(f"{form.name}.{fmt} {kind} {field}: got {got!r}, want {want!r}")
    report(hits, seen)


def report(hits: dict[tuple[str, str, str, str], int], seen: dict[tuple[str, str], int]) -> None:
    columns = [(k, f) for k in MODELS for f in ("date", "total")]
    header = " ".join(f"{k[:5]}.{f:5}" for k, f in columns)
    print(f"{'lang':5} {'fmt':4} {'n':>3}  {header}")
    for lang, fmt in sorted(seen):
        n = seen[lang, fmt]
        rates = " ".join(f"{100 * hits[lang, fmt, k, f] / n:10.0f}%" for k, f in columns)
        print(f"{lang:5} {fmt:4} {n:3}  {rates}")
    for fmt in ("pdf", "png"):
        n = sum(v for (_, f), v in seen.items() if f == fmt)
        rates = " ".join(
            f"{100 * sum(hits[lang, fmt, k, f] for lang in LANGUAGES) / n:10.1f}%"
            for k, f in columns
        )
        print(f"{'all':5} {fmt:4} {n:3}  {rates}")


if __name__ == "__main__":
    main()
