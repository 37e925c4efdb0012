"""Record classes say how they merge and which native reader fits them, so a subclass of a
built-in schema (``class Invoice(Table)``) is read and merged as its base is."""

from __future__ import annotations

from typing import ClassVar

import pytest

import docvlm
from docvlm import Menu, Table, TileOptions
from docvlm.engines.native import NativeEngine
from docvlm.geometry import BBox
from docvlm.schemas.base import Record
from tests.conftest import LEDGER
from tests.test_merge import GRID, grid_words, merged, seen
from tests.test_merge import menu as desserts


class Ledger(Table):
    """A user's table with a note of its own."""

    note: str | None = None


class Lunch(Menu):
    pass


class Question(Record):
    needs_model: ClassVar[str] = "questions"
    answer: str = ""


@pytest.mark.parametrize("tiles", [None, TileOptions(tile_size=256)])
def test_a_table_subclass_is_read_and_merged_as_a_table(fixtures, tiles):
    result = docvlm.extract(fixtures / "ledger_3pages.pdf", schema=Ledger, tiles=tiles)
    plain = docvlm.extract(fixtures / "ledger_3pages.pdf", tiles=tiles)
    assert result.status == "ok" and len(result.records) == 1
    (ledger,) = result.records
    assert type(ledger) is Ledger and ledger.note is None
    assert ledger.rows == LEDGER and ledger.header_rows == 1
    assert result.provenance == plain.provenance  # stitched and joined across pages alike


def test_table_subclass_pieces_from_two_tiles_are_stitched():
    left = Ledger(rows=[row[:3] for row in GRID], header_rows=1)
    right = Ledger(rows=[row[2:] for row in GRID], header_rows=1)
    items = merged(
        [seen(0, BBox(0, 0, 240, 400), left), seen(1, BBox(180, 0, 500, 400), right)],
        grid_words(GRID),
    )
    assert len(items) == 1 and type(items[0].record) is Ledger
    assert items[0].record.rows == GRID and items[0].provenance.tiles == [0, 1]


def test_a_menu_subclass_is_read_and_merged_as_a_menu(fixtures):
    lunch = docvlm.extract(fixtures / "menu.pdf", schema=Lunch)
    menu = docvlm.extract(fixtures / "menu.pdf", schema="menu")
    assert [type(r) for r in lunch.records] == [Lunch]
    assert lunch.records[0].sections == menu.records[0].sections
    first = Lunch.model_validate(desserts(("Panna cotta", 5.5), ("Tiramisu", None)).model_dump())
    second = Lunch.model_validate(desserts(("Tiramisu", 6.0)).model_dump())
    words = grid_words([["Desserts"], ["Panna cotta", "", "5.50"], ["Tiramisu", "", "6.00"]])
    items = merged(
        [seen(0, BBox(0, 0, 300, 132), first), seen(1, BBox(0, 115, 300, 300), second)], words
    )
    got = [(i.name, i.price) for s in items[0].record.sections for i in s.items]
    assert len(items) == 1 and got == [("Panna cotta", 5.5), ("Tiramisu", 6.0)]


def test_the_native_engine_refuses_what_needs_a_model_by_the_class_hook():
    engine = NativeEngine()
    assert engine.supports(Question) == "questions need a model engine (transformers or openai)"
    assert engine.supports(Ledger) is None and engine.supports(Lunch) is None
