"""Menus read by the native engine from a text layer and from a scan."""

from __future__ import annotations

import pytest

import docvlm
from docvlm import Menu
from docvlm.engines.native.menus import _split_price

EXPECTED = [
    (
        "Starters",
        [
            ("Minestrone", "seasonal vegetables, basil", 4.5, "EUR"),
            ("Bruschetta", None, 5.0, "EUR"),
        ],
    ),
    (
        "Mains",
        [
            ("Lasagne al forno", "beef ragu, bechamel", 12.0, "EUR"),
            ("Risotto ai funghi", None, 13.5, "EUR"),
        ],
    ),
    ("Desserts", [("Tiramisu", None, 6.0, "EUR"), ("Gelato, two scoops", None, 4.0, "EUR")]),
    ("Drinks", [("House wine (glass)", None, 5.0, "EUR"), ("Espresso", None, 2.2, "USD")]),
]


def sections(menu: Menu) -> list:
    return [
        (s.name, [(i.name, i.description, i.price, i.currency) for i in s.items])
        for s in menu.sections
    ]


@pytest.mark.parametrize("name", ["menu.pdf", "menu_scan.png"])
def test_two_column_menu(fixtures, name):
    result = docvlm.extract(fixtures / name, schema="menu")
    assert result.status == "ok"
    (menu,) = result.records
    assert isinstance(menu, Menu) and sections(menu) == EXPECTED


def test_menu_frame_has_the_section_per_item(fixtures):
    frame = docvlm.extract(fixtures / "menu.pdf", schema="menu").to_pandas()
    assert frame.columns.tolist() == ["section", "name", "description", "price", "currency"]
    assert frame[frame.name == "Tiramisu"].section.tolist() == ["Desserts"]


@pytest.mark.parametrize(
    ("text", "apart", "expected"),
    [
        ("Soup ......... 4.50", False, ("Soup", 4.5, None)),
        ("Soup 4,50 €", False, ("Soup", 4.5, "EUR")),
        ("Soup $4", False, ("Soup", 4.0, "USD")),
        ("Wine 5-7 EUR", False, ("Wine", 5.0, "EUR")),
        ("Pizza 12", True, ("Pizza", 12.0, None)),
        ("Menu 2", False, ("Menu 2", None, None)),
        ("12.50", False, ("", 12.5, None)),
    ],
)
def test_prices(text, apart, expected):
    assert _split_price(text, apart) == expected


def test_prose_is_not_a_menu(fixtures):
    result = docvlm.extract(fixtures / "report_3pages.pdf", schema="menu", pages="3")
    assert result.records == []
