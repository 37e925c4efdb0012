"""Merging grounded tile results: table pieces, menus on a seam, conflicts, continued
tables; and the provenance outputs (DataFrame columns, JSON, overlays)."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

import docvlm
from docvlm import KeyValues, Menu, Table, TileOptions
from docvlm.cli import main
from docvlm.document import Word
from docvlm.extraction import TileRecord, TileResult
from docvlm.geometry import BBox
from docvlm.grounding import ground_tiles
from docvlm.merge import join_continued_tables, merge_page
from docvlm.tiling import Tile
from tests.conftest import LEDGER

GRID = [
    ["Region", "Q1", "Q2", "Total"],
    ["North", "12.5", "14.0", "26.5"],
    ["South", "9.1", "8.7", "17.8"],
    ["East", "20.3", "21.9", "42.2"],
    ["West", "7.4", "7.9", "15.3"],
]


def grid_words(rows: list[list[str]], top: float = 100.0) -> list[Word]:
    """A table's words: columns 80 points apart, rows 20 points apart."""
    return [
        Word(text, BBox(50 + 80 * c, top + 20 * r, 50 + 80 * c + 40, top + 20 * r + 10))
        for r, row in enumerate(rows)
        for c, text in enumerate(row)
    ]


def tile(index: int, box: BBox) -> Tile:
    return Tile(1, index, box, 72.0, int(box.width), int(box.height))


def seen(index: int, box: BBox, *records: BaseModel) -> TileResult:
    """What a model engine returns for a tile: records without boxes."""
    return TileResult(tile(index, box), "vlm", [TileRecord(r) for r in records])


def merged(results: list[TileResult], words: list[Word], page: int = 1):
    ground_tiles(results, words)
    return merge_page(results, page)


def test_a_table_cut_by_a_tile_edge_comes_out_whole():
    """Tile 0 sees columns 0-2, tile 1 columns 2-3: column 2 is in both."""
    left = Table(rows=[row[:3] for row in GRID], header_rows=1)
    right = Table(rows=[row[2:] for row in GRID], header_rows=1)
    items = merged(
        [seen(0, BBox(0, 0, 240, 400), left), seen(1, BBox(180, 0, 500, 400), right)],
        grid_words(GRID),
    )
    assert len(items) == 1
    table = items[0].record
    assert isinstance(table, Table)
    assert table.rows == GRID and table.header_rows == 1
    assert items[0].provenance.tiles == [0, 1]
    assert items[0].provenance.field("rows.1.3").status == "exact"


def test_rows_seen_by_two_tiles_come_out_once():
    top = Table(rows=GRID[:4], header_rows=1)
    bottom = Table(rows=GRID[2:], header_rows=0)
    items = merged(
        [seen(0, BBox(0, 0, 500, 170), top), seen(1, BBox(0, 130, 500, 400), bottom)],
        grid_words(GRID),
    )
    assert [item.record.rows for item in items] == [GRID]
    assert items[0].record.header_rows == 1


def test_a_cell_cut_across_by_a_tile_edge_is_joined():
    """'Acme' lies left of the edge and 'Ltd' right of it; each tile read its part."""
    words = [
        Word("Name", BBox(50, 100, 80, 110)),
        Word("Amount", BBox(200, 100, 240, 110)),
        Word("Acme", BBox(50, 120, 78, 130)),
        Word("Ltd", BBox(81, 120, 100, 130)),
        Word("10.00", BBox(200, 120, 230, 130)),
    ]
    left = Table(rows=[["Name"], ["Acme"]], header_rows=1)
    right = Table(rows=[["", "Amount"], ["Ltd", "10.00"]], header_rows=1)
    items = merged(
        [seen(0, BBox(0, 0, 80, 300), left), seen(1, BBox(80, 0, 300, 300), right)], words
    )
    assert items[0].record.rows == [["Name", "Amount"], ["Acme Ltd", "10.00"]]


def test_a_hallucinated_number_is_kept_and_flagged():
    rows = [row[:] for row in GRID]
    rows[2][1] = "99.9"  # not on the page
    items = merged(
        [seen(0, BBox(0, 0, 500, 400), Table(rows=rows, header_rows=1))], grid_words(GRID)
    )
    table, provenance = items[0].record, items[0].provenance
    assert table.rows[2][1] == "99.9"
    flagged = provenance.field("rows.2.1")
    assert flagged is not None and (flagged.status, flagged.bbox) == ("not_found", None)
    assert flagged.confidence < provenance.field("rows.2.2").confidence
    assert provenance.confidence is not None and 0 < provenance.confidence < 1


def test_the_grounded_reading_wins_a_conflict_and_the_other_is_kept():
    wrong = [row[:] for row in GRID]
    wrong[1][1] = "12.8"
    items = merged(
        [
            seen(0, BBox(0, 0, 500, 400), Table(rows=wrong, header_rows=1)),
            seen(1, BBox(0, 0, 500, 400), Table(rows=GRID, header_rows=1)),
        ],
        grid_words(GRID),
    )
    assert len(items) == 1 and items[0].record.rows == GRID
    cell = items[0].provenance.field("rows.1.1")
    assert cell is not None and cell.status == "exact"  # '12.5' is on the page
    assert [(a.value, a.tile, a.status) for a in cell.alternatives] == [("12.8", 0, "not_found")]


def menu(*items: tuple[str, float | None]) -> Menu:
    return Menu.model_validate(
        {"sections": [{"name": "Desserts", "items": [{"name": n, "price": p} for n, p in items]}]}
    )


def test_a_menu_item_on_the_seam_is_one_item():
    words = [
        Word("Desserts", BBox(50, 80, 110, 92)),
        Word("Panna", BBox(50, 100, 85, 110)),
        Word("cotta", BBox(88, 100, 120, 110)),
        Word("5.50", BBox(220, 100, 245, 110)),
        Word("Tiramisu", BBox(50, 120, 100, 130)),
        Word("6.00", BBox(220, 120, 245, 130)),
        Word("Sorbet", BBox(50, 140, 90, 150)),
        Word("4.00", BBox(220, 140, 245, 150)),
    ]
    first = menu(("Panna cotta", 5.5), ("Tiramisu", None))  # its price is past the edge
    second = menu(("Tiramisu", 6.0), ("Sorbet", 4.0))
    items = merged(
        [seen(0, BBox(0, 0, 300, 132), first), seen(1, BBox(0, 115, 300, 300), second)], words
    )
    assert len(items) == 1
    got = [(i.name, i.price) for s in items[0].record.sections for i in s.items]
    assert got == [("Panna cotta", 5.5), ("Tiramisu", 6.0), ("Sorbet", 4.0)]
    price = items[0].provenance.field("sections.0.items.1.price")
    assert price is not None and price.bbox == (220.0, 120.0, 245.0, 130.0)


def test_key_values_from_two_tiles_are_joined_by_label():
    words = [
        Word("Invoice:", BBox(50, 100, 100, 110)),
        Word("A-17", BBox(110, 100, 140, 110)),
        Word("Total:", BBox(50, 300, 90, 310)),
        Word("40.00", BBox(110, 300, 140, 310)),
    ]
    top = KeyValues.model_validate({"pairs": [{"label": "Invoice", "value": "A-17"}]})
    both = KeyValues.model_validate(
        {"pairs": [{"label": "Invoice", "value": "A-17"}, {"label": "Total", "value": "40.00"}]}
    )
    items = merged([seen(0, BBox(0, 0, 300, 200), top), seen(1, BBox(0, 0, 300, 400), both)], words)
    assert [(p.label, p.value) for p in items[0].record.pairs] == [
        ("Invoice", "A-17"),
        ("Total", "40.00"),
    ]


def page_of(rows: list[list[str]], page: int, header: int) -> list:
    result = seen(0, BBox(0, 0, 600, 800), Table(rows=rows, header_rows=header))
    ground_tiles([result], grid_words(rows, top=60))
    return merge_page([result], page)


def test_a_table_continued_with_its_header_repeated_is_one_table():
    items = page_of(GRID[:3], 1, 1) + page_of([GRID[0], *GRID[3:]], 2, 1)
    joined = join_continued_tables(items)
    assert len(joined) == 1
    assert joined[0].record.rows == GRID
    assert joined[0].provenance.pages == [1, 2]
    assert joined[0].provenance.field("rows.4.0").page == 2  # type: ignore[union-attr]


def test_a_different_header_starts_a_new_table():
    other = [["Name", "Age", "City", "Code"], ["Ann", "31", "Oslo", "7"]]
    items = page_of(GRID, 1, 1) + page_of(other, 2, 1)
    assert len(join_continued_tables(items)) == 2


# -- end to end -------------------------------------------------------------------------


@pytest.mark.parametrize("tiles", [None, TileOptions(tile_size=256), TileOptions(tile_size=512)])
def test_three_page_table_comes_out_once_each_row_in_order(fixtures, tiles):
    result = docvlm.extract(fixtures / "ledger_3pages.pdf", tiles=tiles)
    assert result.status == "ok" and len(result.records) == 1
    table = result.records[0]
    assert isinstance(table, Table)
    assert table.rows == LEDGER and table.header_rows == 1
    assert result.provenance[0].pages == [1, 2, 3]


def test_pages_can_be_kept_apart(fixtures):
    result = docvlm.extract(fixtures / "ledger_3pages.pdf", merge_pages=False)
    assert [len(t.rows) for t in result.records] == [31, 36, 25]


def test_provenance_columns_and_json(fixtures, tmp_path):
    result = docvlm.extract(fixtures / "ledger_3pages.pdf")
    frame = result.to_pandas(provenance=True)
    assert list(frame.columns)[-4:] == ["page", "bbox", "status", "confidence"]
    assert len(frame) == 90 and frame["page"].tolist() == [1] * 30 + [2] * 35 + [3] * 25
    assert set(frame["status"]) == {"exact"} and set(frame["confidence"]) == {1.0}
    x0, y0, x1, y1 = frame["bbox"].iloc[30]  # the first row on page 2, under its header
    assert 72 <= x0 < x1 <= 523 and 80 <= y0 < y1 <= 105
    data = json.loads(json.dumps(result.to_dict()))
    fields = data["records"][0]["provenance"]["fields"]
    assert {"path", "page", "bbox", "status", "confidence", "alternatives"} <= set(fields[0])
    assert len(fields) == 91 * 4


def test_show_and_overlay_files(fixtures, tmp_path, capsys):
    result = docvlm.extract(fixtures / "sales_table.pdf")
    image = result.show(1, dpi=72)
    assert image.size == (595, 842)
    x0, y0, _, _ = result.provenance[0].bbox.as_tuple()  # type: ignore[union-attr]
    # The region's outline, 4 points outside the table's own rules.
    assert image.getpixel((round(x0) - 5, int(y0) + 20)) == (37, 99, 235)
    code = main(["extract", str(fixtures / "ledger_3pages.pdf"), "--overlay", str(tmp_path)])
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ledger_3pages-page1.png",
        "ledger_3pages-page2.png",
        "ledger_3pages-page3.png",
    ]
    capsys.readouterr()


def test_a_result_pickles_and_still_shows_its_page(fixtures):
    import pickle

    data = (fixtures / "sales_table.pdf").read_bytes()
    pickled = pickle.dumps(docvlm.extract(data))
    assert data[:64] not in pickled  # the document's bytes stay out of the result
    result = pickle.loads(pickled)
    assert result.records[0].rows[0][0] == "Region"
    with pytest.raises(ValueError, match=r"read from bytes .* show\(document=\.\.\.\)"):
        result.show(1, dpi=36)
    assert result.show(1, dpi=36, document=data).size == (298, 421)


def test_a_result_keeps_no_password_and_shows_with_one(fixtures, tmp_path):
    import pickle

    from docvlm.errors import EncryptedDocumentError

    result = docvlm.extract(fixtures / "encrypted.pdf", password="secret")
    assert result.records and b"secret" not in pickle.dumps(result)
    with pytest.raises(EncryptedDocumentError):
        result.show()
    assert result.show(dpi=36, password="secret").size[0] > 0
    locked = result.to_html(tmp_path / "locked.html").read_text(encoding="utf-8")
    assert "page image unavailable" in locked and "data:image/webp" not in locked
    opened = result.to_html(tmp_path / "opened.html", password="secret")
    assert "data:image/webp" in opened.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "cell"),
    [
        ("rows.2.3", (2, 3)),
        ("rows.10.0", (10, 0)),
        ("rows.2", None),
        ("title", None),
        ("rows.a.1", None),
        ("sections.0.items.1", None),
        ("rows.1.2.3", None),
    ],
)
def test_a_table_cell_path_is_read_apart_in_one_place(path, cell):
    from docvlm.merge.paths import cell_of, cell_path

    assert cell_of(path) == cell
    if cell is not None:
        assert cell_path(*cell) == path
