"""Numbers, amounts and dates as documents print them (docvlm.text)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from docvlm.text import canonical_number, find_amounts, find_dates, parse_date, sole_amount


@pytest.mark.parametrize(
    ("text", "printed", "value", "currency"),
    [
        ("1.234,56", "1.234,56", "1234.56", None),
        ("1 234,56", "1 234,56", "1234.56", None),
        ("₹1,23,456.00", "₹1,23,456.00", "123456.00", "₹"),
        ("Rs. 1,23,456.00", "Rs. 1,23,456.00", "123456.00", "Rs."),
        ("(3.00)", "(3.00)", "-3.00", None),
        ("RM 12.50", "RM 12.50", "12.50", "RM"),
        ("$1,234", "$1,234", "1234", "$"),
        ("12,50 €", "12,50 €", "12.50", "€"),
        ("-5.00", "-5.00", "-5.00", None),
        ("Total: EUR 1.234,56", "EUR 1.234,56", "1234.56", "EUR"),
        ("1'234.50", "1'234.50", "1234.50", None),
        ("0.125", "0.125", "0.125", None),  # a whole part of 0: decimals, not thousands
    ],
)
def test_amounts_as_printed_and_parsed(text, printed, value, currency):
    (amount,) = find_amounts(text)
    assert (amount.text, amount.value, amount.currency) == (printed, Decimal(value), currency)


@pytest.mark.parametrize(
    "text", ["INV-2024-017", "12/03/2024", "20%", "5:57", "n/a", "VAT no. GB-123", ""]
)
def test_things_that_are_not_amounts(text):
    assert find_amounts(text) == []


def test_neighbouring_numbers_are_separate_amounts():
    assert [a.text for a in find_amounts("80.91 0.00")] == ["80.91", "0.00"]
    assert sole_amount("80.91 0.00") is None
    assert sole_amount(" RM 80.90 ").value == Decimal("80.90")  # type: ignore[union-attr]
    assert sole_amount("Total 80.90") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234.50", "1234.5"),
        ("1.234", "1234"),
        ("0.5", "0.5"),
        ("-3%", "-3"),
        ("€12", "12"),
        ("1.2.3", None),
        ("12a", None),
    ],
)
def test_canonical_numbers(text, value):
    assert canonical_number(text) == value


@pytest.mark.parametrize(
    ("text", "printed", "value"),
    [
        ("10 MAR 2018", "10 MAR 2018", dt.date(2018, 3, 10)),
        ("Date: March 12, 2024", "March 12, 2024", dt.date(2024, 3, 12)),
        ("12.03.2024", "12.03.2024", dt.date(2024, 3, 12)),
        ("Datum: 12. März 2024", "12. März 2024", dt.date(2024, 3, 12)),
        ("12 de marzo de 2024", "12 de marzo de 2024", dt.date(2024, 3, 12)),
        ("le 5 mars 2024", "5 mars 2024", dt.date(2024, 3, 5)),
        ("2024年3月12日", "2024年3月12日", dt.date(2024, 3, 12)),
        ("2024-03-12", "2024-03-12", dt.date(2024, 3, 12)),
        ("14/03/20185:57PM", "14/03/2018", dt.date(2018, 3, 14)),  # time glued to the year
        ("25/12/2018 10:39", "25/12/2018", dt.date(2018, 12, 25)),
        ("12/03/24", "12/03/24", dt.date(2024, 3, 12)),
        ("12-Mar-18", "12-Mar-18", dt.date(2018, 3, 12)),
        ("01/02/99", "01/02/99", dt.date(1999, 2, 1)),
    ],
)
def test_dates_as_printed_and_parsed(text, printed, value):
    (date,) = find_dates(text)
    assert (date.text, date.value) == (printed, value)


@pytest.mark.parametrize(
    ("order", "value"),
    [
        ("DMY", dt.date(2024, 4, 3)),
        ("MDY", dt.date(2024, 3, 4)),
        ("YMD", dt.date(2003, 4, 24)),  # 03/04/24: year, month, day
    ],
)
def test_the_date_order_settles_ambiguous_numeric_dates(order, value):
    assert parse_date("03/04/24" if order == "YMD" else "03/04/2024", order) == value


def test_month_names_are_known_in_the_languages_given():
    assert find_dates("12. März 2024", languages=("en",)) == []
    assert parse_date("12. März 2024", languages=("de",)) == dt.date(2024, 3, 12)


def test_a_date_invalid_in_the_given_order_is_read_in_the_other():
    assert parse_date("14/03/2018", "MDY") == dt.date(2018, 3, 14)
    assert parse_date("03/14/2018", "DMY") == dt.date(2018, 3, 14)


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2018",  # no such day
        "no date",
        "12 items 2024",
        "Qty 2 Pcs 10",
        "Total 80.90 12 2024",
        "INV-2024-017",
        "1.234.567",
        "192.168.1.1",
        "12/34",
        "Tel 03-7865 1234",
    ],
)
def test_things_that_are_not_dates(text):
    assert find_dates(text) == []


def test_import_docvlm_leaves_dateparser_until_a_worded_date_is_read():
    code = (
        "import sys, docvlm, docvlm.text as t; before = 'dateparser' in sys.modules;"
        " t.parse_date('12/03/2024'); numeric = 'dateparser' in sys.modules;"
        " t.parse_date('12 March 2024'); print(before, numeric, 'dateparser' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]
