"""Menus read by the native engine from a text layer and from a scan."""

from __future__ import annotations

import pytest

import docvlm
from docvlm import Menu
from docvlm.document import Word
from docvlm.engines.native.menus import _split_price, read_menu
from docvlm.geometry import BBox
from tests.conftest import CORPUS

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


@pytest.mark.parametrize(
    "name", ["menu.pdf", pytest.param("menu_scan.png", marks=pytest.mark.slow)]
)
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


def _line(*texts_and_spans: tuple[str, float, float], top: float = 100.0) -> list[Word]:
    return [Word(text, BBox(x0, top, x1, top + 70)) for text, x0, x1 in texts_and_spans]


def test_a_board_line_with_several_priced_dishes_is_cut_at_each_price():
    """A photographed board at 72 dpi: 70-point characters, three dishes on one line whose
    columns stand too close to part; each name is followed by its price."""
    words = _line(
        ("三寶牛肉麵", 180, 560),
        ("180", 600, 700),
        ("豬腳飯", 900, 1130),
        ("90", 1170, 1240),
        ("水餃(高)", 1350, 1650),
        ("6", 1690, 1730),
    ) + _line(("魯肉飯", 180, 410), ("30", 450, 520), top=200.0)
    menu = read_menu(words)
    assert menu is not None
    items = [(i["name"], i["price"]) for s in menu["sections"] for i in s["items"]]
    assert items == [
        ("三寶牛肉麵", 180.0),
        ("豬腳飯", 90.0),
        ("水餃(高)", 6.0),
        ("魯肉飯", 30.0),
    ]


def test_a_latin_name_with_a_number_is_not_cut():
    words = _line(("Pasta", 0, 50), ("2", 55, 62), ("ways", 66, 100), ("12.50", 200, 240))
    menu = read_menu([Word(w.text, BBox(w.bbox.x0, 0, w.bbox.x1, 10)) for w in words])
    assert menu is not None
    assert menu["sections"][0]["items"][0]["name"] == "Pasta 2 ways"  # type: ignore[index]
    assert menu["sections"][0]["items"][0]["price"] == 12.5  # type: ignore[index]


def test_ocr_characters_of_one_script_join_into_words():
    from docvlm.ocr import OcrWord, join_characters

    def piece(text: str, x0: float, x1: float) -> OcrWord:
        return OcrWord(text, (x0, 0, x1, 70), 0.9)

    chars = [("湯", 997, 1033), ("餃", 1033, 1063), ("(", 1063, 1088), ("高", 1088, 1112)]
    chars += [(")", 1112, 1142), ("8", 1170, 1195), ("0", 1195, 1220)]
    joined = join_characters([piece(*c) for c in chars])
    assert [(w.text, w.box[0], w.box[2]) for w in joined] == [
        ("湯餃(高)", 997, 1142),
        ("80", 1170, 1220),
    ]
    latin = join_characters([piece("Beef", 0, 100), piece("noodles", 120, 300)])
    assert [w.text for w in latin] == ["Beef", "noodles"]


@pytest.mark.skipif(not (CORPUS / "menu-photos-zhtw").exists(), reason="corpus not present")
def test_corpus_spot_case_a_photographed_board():
    """A phone photo of a noodle shop's board: dishes and prices from OCR."""
    result = docvlm.extract(CORPUS / "menu-photos-zhtw" / "menu-hd.jpg", schema="menu")
    items = {i.name: i.price for record in result.records for s in record.sections for i in s.items}
    assert items.get("三寶牛肉麵") == 180.0 and items.get("豬腳飯") == 90.0
    assert len(items) >= 30
