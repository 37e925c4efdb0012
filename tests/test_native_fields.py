"""User record fields found by what their names mean (a date, a total, an amount), in the
form their type hints ask for."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import BaseModel, Field

import docvlm
from docvlm import EngineUnavailableError
from docvlm.document import Word
from docvlm.engines.native.keyvalues import find_pairs
from docvlm.engines.native.records import fill_record
from docvlm.geometry import BBox


class PlainInvoice(BaseModel):
    number: str | None = None
    date: str | None = None
    total: str | None = None


class TypedInvoice(BaseModel):
    number: str | None = None
    issued: dt.date | None = None
    amount_due: Decimal | None = None
    grand_total: float | None = None


@pytest.mark.parametrize(
    "name", ["invoice.pdf", pytest.param("invoice_scan.png", marks=pytest.mark.slow)]
)
def test_plain_fields_keep_the_date_and_the_amount_as_printed(fixtures, name):
    (record,) = docvlm.extract(fixtures / name, schema=PlainInvoice).records
    assert record.model_dump() == {
        "number": "INV-2024-017",
        "date": "12/03/2024",
        "total": "1,320.00",
    }


@pytest.mark.parametrize("name", ["invoice.pdf", "invoice_scan.png"])
def test_typed_fields_named_by_meaning_are_parsed(fixtures, name):
    (record,) = docvlm.extract(fixtures / name, schema=TypedInvoice).records
    # 'issued' finds the page's date; 'amount_due' (no such label) stays empty.
    assert record.model_dump() == {
        "number": "INV-2024-017",
        "issued": dt.date(2024, 3, 12),
        "amount_due": None,
        "grand_total": 1320.0,
    }


def test_date_order_option_reads_numeric_dates_month_first(fixtures):
    class Dates(BaseModel):
        date: dt.date | None = None
        printed: str | None = Field(None, description="invoice date")

    engine = docvlm.get_engine("native", date_order="MDY")
    (record,) = docvlm.extract(fixtures / "invoice.pdf", schema=Dates, engine=engine).records
    assert record.date == dt.date(2024, 12, 3)
    assert record.printed == "12/03/2024"  # a str keeps the date as printed, whatever the order
    with pytest.raises(EngineUnavailableError, match="unknown date order"):
        docvlm.get_engine("native", date_order="DDMM")
    with pytest.raises(EngineUnavailableError, match="Unknown language"):
        docvlm.get_engine("native", languages="en,xx")
    assert docvlm.get_engine("native", languages="en,de").languages == ("en", "de")


def lines(*rows: tuple[str, str]) -> list[Word]:
    """Words of a form: each row a label at the left and its value right-aligned."""
    words = []
    for index, (label, value) in enumerate(rows):
        y = 50.0 + 20 * index
        for column, text in ((50.0, label), (400.0 - 6 * len(value), value)):
            x = column
            for token in text.split():
                words.append(Word(token, BBox(x, y, x + 6 * len(token), y + 10)))
                x += 6 * (len(token) + 1)
    return words


ROWS = (
    ("Rechnungsdatum", "12. März 2024"),
    ("Fällig am", "11.04.2024"),
    ("2 x Kaffee", "7,00 €"),
    ("Zwischensumme", "1.250,00 €"),
    ("MwSt. 19%", "237,50 €"),
    ("Gesamtbetrag", "1.487,50 €"),
    ("Bar", "1.500,00 €"),
)
RECEIPT = lines(*ROWS)


def test_total_and_date_by_meaning_under_german_labels():
    values, status = fill_record(PlainInvoice, RECEIPT)
    assert values == {"date": "12. März 2024", "total": "1.487,50 €"}
    assert status["number"] == "not_found"


def test_a_due_date_is_not_the_date_unless_the_field_asks_for_it():
    class Dates(BaseModel):
        invoice_date: dt.date | None = None
        due_date: str | None = Field(None, description="fällig am")

    values, _ = fill_record(Dates, RECEIPT)
    assert values == {"invoice_date": dt.date(2024, 3, 12), "due_date": "11.04.2024"}


def test_an_amount_field_takes_the_amount_beside_its_label_alone():
    class Lines(BaseModel):
        price: str | None = Field(None, description="Kaffee")
        subtotal: Decimal | None = Field(None, description="Zwischensumme")
        total: int | None = None

    values, _ = fill_record(Lines, lines(("2 x Kaffee", "3,50 7,00 €"), *ROWS[3:]))
    # An int field takes no amount with cents that are not zero.
    assert values == {"price": "7,00 €", "subtotal": Decimal("1250.00")}


def test_other_fields_keep_the_value_beside_their_label():
    class Order(BaseModel):
        mwst: str | None = Field(None, description="MwSt. 19%")
        bar: float | None = None

    values, _ = fill_record(Order, RECEIPT)
    assert values == {"mwst": "237,50 €", "bar": 1500.0}


def test_a_label_over_an_amount_or_a_date_alone_labels_it():
    rows = [("Northwind Ltd", ""), ("12 Market Street", ""), ("Zahlbetrag", ""), ("", "1.487,50 €")]
    pairs = [(p.label, p.value) for p in find_pairs(lines(*rows))]
    assert pairs == [("Zahlbetrag", "1.487,50 €")]  # a name over an address is no pair


class AliasedInvoice(BaseModel):
    amount: float | None = Field(None, alias="Total")
    issued: str | None = Field(None, alias="Invoice date")


def test_fields_with_an_alias_come_out_filled(fixtures):
    result = docvlm.extract(fixtures / "invoice.pdf", schema=AliasedInvoice)
    record = result.records[0]
    assert isinstance(record, AliasedInvoice)
    assert record.amount == 1320.0 and record.issued is not None
    assert {f.path for f in result.provenance[0].fields} == {"amount", "issued"}
