from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm import Document, Table
from docvlm.document import Word
from docvlm.engines.native.table_confidence import DOUBTFUL_BELOW, Structure
from docvlm.engines.native.table_grid import (
    Grid,
    cell_text,
    fill,
    split_stacked,
)
from docvlm.engines.native.table_lattice import lattices, rules_of
from docvlm.engines.native.tables import (
    FoundTable,
    _header_rows,
    _read,
    find_tables,
    upright_frame,
)
from docvlm.geometry import BBox
from tests.conftest import CORPUS, FIXTURES, SALES, STAFF


def test_sales_table_cells_exactly(fixtures):
    found = find_tables(Document.open(fixtures / "sales_table.pdf").page(1))
    assert len(found) == 1
    table = found[0].table
    assert table.rows == SALES and table.header_rows == 1
    box = found[0].bbox
    # The table occupies x 72-502 and y 180-300 points; the box hugs its text.
    assert 72 <= box.x0 < 80 and 180 <= box.y0 < 190 and 420 < box.x1 <= 502 and 290 < box.y1 <= 300


def test_staff_table_with_thousands_separators_and_signs(fixtures):
    found = find_tables(Document.open(fixtures / "report_3pages.pdf").page(2))
    assert [f.table.rows for f in found] == [STAFF]


def test_prose_page_has_no_table(fixtures):
    assert find_tables(Document.open(fixtures / "report_3pages.pdf").page(3)) == []


def test_rotated_page_table_in_displayed_coordinates(fixtures):
    page = Document.open(fixtures / "rotated.pdf").page(1)
    found = find_tables(page)
    assert [f.table.rows for f in found] == [SALES]
    box = found[0].bbox
    # Unrotated y 180-300 becomes displayed x 842-300 .. 842-180.
    assert box.x0 >= 540 and box.x1 <= 662 and box.y0 >= 72


@pytest.mark.parametrize(
    ("rows", "bold", "expected"),
    [
        ([["Year", "Sales"], ["2020", "1"], ["2021", "2"]], [False] * 3, 1),
        ([["", "Releases"], ["Pollutant", "air"], ["CO2", "100"]], [False] * 3, 2),
        ([["Name", "Role"], ["Ann", "chair"], ["Bob", "clerk"]], [True, False, False], 1),
        ([["Name", "Role"], ["Sub", "x"], ["Ann", "chair"]], [True, True, False], 2),
        ([["a", "b"], ["c", "d"]], [False, False], 1),
        ([["Gas", "Limit"], ["CO2", "100 million"], ["HFC", "-"]], [False] * 3, 1),
    ],
)
def test_header_rows(rows, bold, expected):
    assert _header_rows(rows, bold) == expected


@pytest.mark.skipif(not (CORPUS / "icdar2013-eu").exists(), reason="corpus not present")
def test_icdar_spot_case_first_table_of_eu_001():
    result = docvlm.extract(CORPUS / "icdar2013-eu" / "eu-001.pdf", pages="1")
    tables = [r for r in result.records if isinstance(r, Table)]
    assert len(tables) == 3
    # Ground truth (eu-001-str.xml): a spanning "THRESHOLD FOR RELEASES" over a row of
    # media, then one pollutant per row.
    first = tables[0]
    assert first.header_rows == 2
    assert first.rows[1][1:] == ["to air kg/year", "to water kg/year", "to land kg/year"]
    assert first.rows[2] == ["Carbon dioxide (CO2)", "100 million", "-", "-"]


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_table_on_a_scan_turned_sideways(fixtures):
    """No text layer: OCR reads the page upright, the layout analyser finds the grid, and
    the table's box comes back in the displayed (sideways) page."""
    result = docvlm.extract(fixtures / "table_scan_rotated.png", schema="table")
    assert result.status == "ok" and len(result.records) == 1
    table = result.records[0]
    assert isinstance(table, Table)
    assert table.rows == SALES and table.header_rows == 1
    provenance = result.provenance[0]
    assert provenance.method is not None
    assert provenance.method.startswith("OCR (rapidocr), page read turned by 270 degrees")
    page = Document.open(fixtures / "table_scan_rotated.png").page(1)
    box = provenance.bbox
    assert box is not None and page.width > page.height  # the portrait page lies on its side
    # The table spans most of the upright page's width, i.e. the sideways page's height.
    assert box.height > 0.5 * page.height and box.width < 0.3 * page.width


def test_an_image_of_a_table_alone_is_read(fixtures, tmp_path):
    """A table cropped to its own lines (as in figures of papers) is still a table: typeset
    on a page of its own size, the layout analyser took its lines for headers and captions."""
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    crop = page.pdf_page.get_pixmap(dpi=100, clip=pymupdf.Rect(66, 174, 508, 306))
    crop.save(tmp_path / "crop.png")
    result = docvlm.extract(tmp_path / "crop.png", schema="table")
    assert result.status == "ok" and [t.rows for t in result.records] == [SALES]
    box = result.provenance[0].bbox
    image = Document.open(tmp_path / "crop.png").page(1)
    # In the image's own space: the table's frame is drawn 6 points in (the crop's
    # margin), and the table fills most of the image.
    assert box is not None and 4 < box.x0 < 8 and 4 < box.y0 < 8
    assert box.x1 <= image.width and box.y1 <= image.height
    assert box.width > 0.8 * image.width and box.height > 0.8 * image.height


# --- Rotation, spans, leaders, right-to-left text, structural confidence ---------------------


def _sideways_sales(rotate_page: int) -> Document:
    """The sales page's content drawn turned by 90 degrees (text running up the page) on a
    landscape page, shown with ``/Rotate`` ``rotate_page``."""
    source = pymupdf.open(FIXTURES / "sales_table.pdf")
    doc = pymupdf.open()
    page = doc.new_page(width=842, height=595)
    page.show_pdf_page(page.rect, source, 0, rotate=90)
    page.set_rotation(rotate_page)
    return Document.open(doc.tobytes(), name="sideways.pdf")


@pytest.mark.parametrize("rotate_page", [0, 90, 270])
def test_table_printed_sideways_comes_back_upright(rotate_page):
    page = _sideways_sales(rotate_page).page(1)
    found = find_tables(page)
    assert [f.table.rows for f in found] == [SALES]
    assert found[0].structure.score > 0.9
    # The box is in the displayed page and holds the table's words there.
    box = found[0].bbox
    words = [w for w in page.words if w.text in ("Region", "58.5")]
    assert len(words) == 2 and all(box.contains_point(*w.bbox.center) for w in words)


def test_upright_frame_turns_by_the_writing_direction():
    assert upright_frame(_sideways_sales(0).page(1)).turn == 270
    assert upright_frame(_sideways_sales(90).page(1)).turn == 270
    assert upright_frame(Document.open(FIXTURES / "sales_table.pdf").page(1)).turn == 0


def _ruled_pdf(rows: list[list[str]], spans: dict[tuple[int, int], int]) -> Document:
    """A ruled table whose cell (r, c) spans ``spans[(r, c)]`` columns (no line inside)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    x0, y0, width, height = 72.0, 100.0, 80.0, 20.0
    n_cols = max(len(row) for row in rows)
    covered = {(r, c + k) for (r, c), n in spans.items() for k in range(1, n)}
    for r, row in enumerate(rows):
        top = y0 + r * height
        page.draw_line((x0, top), (x0 + n_cols * width, top), width=0.5)
        for c in range(n_cols + 1):
            if (r, c) not in covered:
                page.draw_line((x0 + c * width, top), (x0 + c * width, top + height), width=0.5)
        for c, text in enumerate(row):
            if text:
                wide = spans.get((r, c), 1) * width
                length = pymupdf.get_text_length(text, fontsize=10)
                page.insert_text(
                    (x0 + c * width + (wide - length) / 2, top + 14), text, fontsize=10
                )
    bottom = y0 + len(rows) * height
    page.draw_line((x0, bottom), (x0 + n_cols * width, bottom), width=0.5)
    return Document.open(doc.tobytes(), name="ruled.pdf")


def test_spanning_header_text_goes_in_its_first_position():
    rows = [
        ["Region", "Sales", "", "", ""],
        ["", "Q1", "Q2", "Q3", "Q4"],
        ["North", "12.5", "14.0", "13.2", "15.8"],
        ["South", "9.1", "8.7", "10.4", "11.0"],
        ["East", "20.3", "21.9", "19.5", "22.1"],
    ]
    found = find_tables(_ruled_pdf(rows, {(0, 1): 4}).page(1))
    assert len(found) == 1
    assert found[0].table.rows == rows
    assert found[0].structure.score > 0.9


def _banded_pdf(rows: list[list[str]], band: int) -> Document:
    """A ruled table whose horizontal lines are drawn only every ``band`` rows (below the
    header), as in statistics tables ruled in groups of states."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    x0, y0, width, height = 72.0, 100.0, 90.0, 14.0
    n_cols = len(rows[0])
    bottom = y0 + len(rows) * height
    for c in range(n_cols + 1):
        page.draw_line((x0 + c * width, y0), (x0 + c * width, bottom), width=0.5)
    for r in range(len(rows) + 1):
        if r <= 1 or (r - 1) % band == 0 or r == len(rows):
            page.draw_line((x0, y0 + r * height), (x0 + n_cols * width, y0 + r * height))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.insert_text((x0 + c * width + 4, y0 + r * height + 10), text, fontsize=9)
    return Document.open(doc.tobytes(), name="banded.pdf")


def test_rows_stacked_between_rules_drawn_every_few_rows_are_split():
    rows = [
        ["State", "Permit", "Handgun", "Total"],
        ["Alabama", "18,870", "23,022", "41,892"],
        ["Alaska", "209", "3,062", "3,271"],
        ["Arizona", "2,303", "12,382", "14,685"],
        ["Colorado", "4,144", "19,784", "23,928"],
        ["Delaware", "204", "2,152", "2,356"],
        ["Florida", "15,907", "50,796", "66,703"],
    ]
    page = _banded_pdf(rows, 3).page(1)
    (ruled,) = lattices(rules_of(page.drawings, pymupdf.Identity))
    assert len(ruled.rows) == 4  # header, two bands, and the frame's bottom
    split = split_stacked(list(page.words), ruled)
    assert len(split.rows) == len(rows) + 1
    assert fill(list(page.words), split).cells == rows
    found = find_tables(page)
    assert [f.table.rows for f in found] == [rows]
    assert found[0].structure.score > 0.9


def test_a_band_with_wrapped_text_beside_one_value_is_one_row():
    rows = [["Item", "Note", "Amount"], ["Rent", "due monthly", "1,200"], ["", "in advance", ""]]
    rows += [["Water", "quarterly", "95"], ["", "", ""]]
    page = _banded_pdf(rows, 2).page(1)
    (ruled,) = lattices(rules_of(page.drawings, pymupdf.Identity))
    assert split_stacked(list(page.words), ruled) is ruled
    found = find_tables(page)
    assert [f.table.rows for f in found] == [
        [
            ["Item", "Note", "Amount"],
            ["Rent", "due monthly in advance", "1,200"],
            ["Water", "quarterly", "95"],
        ]
    ]


# A bill's items: the code and quantity printed on the first item's line alone.
BILL_ITEMS = [
    ["Item", "Code", "Qty", "Amount"],
    ["Energy kWh", "5.253", "17.880", "17.233,37"],
    ["Street lighting", "", "", "861,60"],
    ["Tariff flag", "", "", "-757,15"],
    ["Yellow flag", "", "", "274,80"],
]


def test_a_band_of_items_with_a_code_on_the_first_line_only_is_split():
    # A bill's item list: lines drawn down the columns and under the header only; the
    # code and quantity are printed on the first item's line alone.
    rows = BILL_ITEMS[:4]
    page = _banded_pdf(rows, 3).page(1)
    (ruled,) = lattices(rules_of(page.drawings, pymupdf.Identity))
    assert len(ruled.rows) == 3  # the header and one band
    split = split_stacked(list(page.words), ruled)
    assert fill(list(page.words), split).cells == rows


def _row_words(top: float, texts: list[tuple[float, str]], bold: bool) -> list[Word]:
    return [Word(t, BBox(x, top, x + 6 * len(t), top + 9), bold=bold) for x, t in texts]


def test_a_header_over_the_first_data_row_is_split_in_a_predicted_grid():
    header = [(72, "Surname"), (200, "Name"), (320, "Amount")]
    data = [(72, "MENA"), (200, "JUAN"), (320, "10.000,00")]
    words = _row_words(100, header, True) + _row_words(112, data, False)
    words += _row_words(128, [(72, "MOLLE"), (200, "MATIAS"), (320, "5.000,00")], False)
    predicted = Grid(BBox(70, 98, 400, 140), [98, 124, 140], [70, 190, 310, 400])
    split = split_stacked(words, predicted)
    assert fill(words, split).cells == [
        ["Surname", "Name", "Amount"],
        ["MENA", "JUAN", "10.000,00"],
        ["MOLLE", "MATIAS", "5.000,00"],
    ]
    # Two plain lines in each cell of a predicted row may be one row's wrapped text.
    plain = _row_words(100, header, False) + _row_words(112, data, False)
    assert split_stacked(plain, predicted) == predicted


def _pictured_table_pdf(rows: list[list[str]]) -> Document:
    """A page that is one picture (a bill exported as an image: a shaded title bar, pale
    coloured lines down the columns and under the header, none between the body's rows),
    with the text laid over it."""
    from PIL import Image, ImageDraw

    scale, x0, y0, col, height = 4, 72.0, 100.0, 110.0, 14.0
    width, bottom = col * len(rows[0]), y0 + height * (len(rows) + 1)
    image = Image.new("RGB", (595 * scale, 400 * scale), "white")
    draw = ImageDraw.Draw(image)
    teal = (110, 200, 200)

    def px(value: float) -> int:
        return round(value * scale)

    draw.rectangle([px(x0), px(y0 - 30), px(x0 + width), px(y0 - 12)], fill=teal)
    draw.rectangle([px(x0), px(y0), px(x0 + width), px(bottom)], outline=teal, width=3)
    draw.line([px(x0), px(y0 + height), px(x0 + width), px(y0 + height)], fill=teal, width=3)
    for c in range(1, len(rows[0])):
        draw.line([px(x0 + c * col), px(y0), px(x0 + c * col), px(bottom)], fill=teal, width=3)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=400)
    page.insert_image(page.rect, stream=_png(image))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.insert_text((x0 + c * col + 4, y0 + r * height + 10), text, fontsize=9)
    return Document.open(doc.tobytes(), name="pictured.pdf")


def _png(image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_table_ruled_in_a_picture_under_the_text_is_read_by_its_lines():
    from docvlm.engines.native.picture_rules import picture_rules

    rows = BILL_ITEMS
    page = _pictured_table_pdf(rows).page(1)
    assert not page.drawings  # every line is in the picture
    grids = lattices(rules_of(picture_rules(page), pymupdf.Identity))
    table = next(g for g in grids if g.region.y0 > 90)  # the title bar is a box of its own
    assert [round(x) for x in table.cols] == [72, 182, 292, 402, 512]
    found = find_tables(page)
    assert [f.table.rows for f in found] == [rows]
    assert found[0].structure.score > 0.9


def test_pages_without_pictures_under_their_text_are_not_rendered(fixtures, monkeypatch):
    from docvlm.engines.native import picture_rules

    page = Document.open(fixtures / "sales_table.pdf").page(1)
    monkeypatch.setattr(pymupdf.Page, "get_pixmap", lambda *a, **k: pytest.fail("rendered"))
    assert picture_rules.picture_rules(page) == ()


def test_layout_analyser_skipped_where_sound_ruled_tables_hold_all_columned_text(monkeypatch):
    from docvlm.engines.native import tables

    runs = []
    analyse = tables._table_regions
    monkeypatch.setattr(tables, "_table_regions", lambda frame: runs.append(1) or analyse(frame))
    rows = [["Region", "Q1", "Q2"], ["North", "12.5", "14.0"], ["South", "9.1", "8.7"]]
    document = _ruled_pdf(rows, {})
    found = find_tables(document.page(1))
    assert [f.table.rows for f in found] == [rows]
    assert runs == []
    # Columned text outside the ruled table: the analyser may find a table there.
    pdf_page = document.page(1).pdf_page
    for r in range(4):
        for c, text in enumerate(("Item", "Count", "Share")):
            pdf_page.insert_text((72 + 120 * c, 400 + 16 * r), f"{text} {r}", fontsize=10)
    again = Document.open(pdf_page.parent.tobytes(), name="both.pdf")
    find_tables(again.page(1))
    assert runs == [1]


def test_leader_dots_are_dropped():
    rows = [
        ["Item", "Amount"],
        ["Rent . . . . . . . .", "1,200"],
        ["Heating ..........", "310"],
        ["Water . . . .", "95"],
    ]
    found = find_tables(_ruled_pdf(rows, {}).page(1))
    assert [f.table.rows for f in found] == [
        [["Item", "Amount"], ["Rent", "1,200"], ["Heating", "310"], ["Water", "95"]]
    ]


def test_right_to_left_cell_in_logical_order_with_words_whole():
    # Text layers often give each Arabic glyph on its own, right to left: "عندي 47 قطط"
    # ("I have 47 cats") laid out as glyph boxes from the right.
    glyphs = [("ع", 200), ("ن", 195), ("د", 190), ("ي", 185), ("47", 170), ("ق", 155)]
    glyphs += [("ط", 150), ("ط", 145)]
    words = [Word(t, BBox(x - (8 if t == "47" else 5), 100, x, 110)) for t, x in glyphs]
    assert cell_text(words) == "عندي 47 قطط"
    latin = [Word("Jeremy", BBox(10, 0, 40, 10)), Word("is", BBox(45, 0, 55, 10))]
    assert cell_text(latin) == "Jeremy is"


def _sales_reading() -> tuple[list[Word], Grid]:
    found = find_tables(Document.open(FIXTURES / "sales_table.pdf").page(1))
    page = Document.open(FIXTURES / "sales_table.pdf").page(1)
    box = found[0].bbox
    rows = [180.0 + 20 * r for r in range(7)]
    cols = [72.0, 182.0, 262.0, 342.0, 422.0, 502.0]
    assert box.y0 >= rows[0] and box.y1 <= rows[-1]
    return list(page.words), Grid(BBox(72, 180, 502, 300), rows, cols)


def _score(words: list[Word], grid: Grid) -> float:
    reading = _read(words, grid)
    assert reading is not None
    return reading[4].score


def test_structural_confidence_ranks_right_grid_above_wrong_ones():
    words, right = _sales_reading()
    good = _score(words, right)
    assert good >= 0.95
    # Column edges shifted by half a column: values drift into their neighbours.
    shifted = Grid(right.region, right.rows, [72.0, 222.0, 302.0, 382.0, 462.0, 502.0])
    # Two rows read as one.
    merged = Grid(right.region, [180.0, 200.0, 240.0, 280.0, 300.0], right.cols)
    # Transposed: the page read in the wrong frame, its words turned across the grid.
    turned = [Word(w.text, w.bbox, w.block, w.line, w.bold, 90.0) for w in words]
    for wrong in (_score(words, shifted), _score(words, merged), _score(turned, right)):
        assert wrong < DOUBTFUL_BELOW <= good - 0.3


def test_totals_that_do_not_add_up_lower_the_score():
    words, right = _sales_reading()
    wrong_total = [
        Word("59.5", w.bbox, w.block, w.line, w.bold, w.angle) if w.text == "58.5" else w
        for w in words
    ]
    assert _score(wrong_total, right) < _score(words, right) - 0.05


def test_doubtful_table_is_reported_and_its_confidence_lowered(fixtures, monkeypatch):
    import docvlm.engines.native.engine as engine

    def doubtful(page, within=None, fast=False):
        found = find_tables(page, within, fast)
        sound = Structure(0.3, {"alignment": 1.0})
        return [FoundTable(f.table, f.bbox, sound) for f in found]

    result = docvlm.extract(fixtures / "sales_table.pdf", schema="table")
    assert not [w for w in result.warnings if w.kind == "doubtful"]
    monkeypatch.setattr(engine, "find_tables", doubtful)
    doubted = docvlm.extract(fixtures / "sales_table.pdf", schema="table")
    assert [w.kind for w in doubted.warnings] == ["doubtful"]
    assert "out of line" in doubted.warnings[0].message
    sure, unsure = result.provenance[0].confidence, doubted.provenance[0].confidence
    assert sure is not None and unsure is not None
    assert unsure == pytest.approx(sure * 0.65, abs=0.02)


def _words_at(lines: list[list[tuple[float, str]]], top: float = 100.0) -> list[Word]:
    """Words on successive lines 14 points apart, each (x, text) 6 points a character."""
    words = []
    for n, line in enumerate(lines):
        y = top + 14 * n
        for x, text in line:
            words.append(Word(text, BBox(x, y, x + 6 * len(text), y + 10)))
    return words


def test_table_screen_skips_lists_and_keeps_columns():
    from docvlm.engines.native.tables import may_hold_table

    prose = "the number of retail outlets fell in most member states over the decade"
    markers = ["\u2022", "3.", "6.1", "(a)", "iv)"]
    listed = _words_at([[(72, m), (108, prose)] for m in markers])
    assert not may_hold_table(listed)
    # The same marks before short cells in columns are a table's first column.
    columns = _words_at([[(72, m), (108, "Retail"), (300, "12.5"), (400, "14.0")] for m in markers])
    assert may_hold_table(columns)
    # Two chunks of prose side by side (a wide gap, no marker) count as columns.
    assert may_hold_table(_words_at([[(72, "Region"), (200, prose)]] * 3))


def test_ruling_lines_mapped_into_a_turned_frame_as_pymupdf_maps_them():
    from docvlm.document import Drawing

    turn = pymupdf.Matrix(0, -1, 1, 0, 0, 595)  # a quarter turn, as upright_frame builds it
    line = Drawing(
        BBox(72, 100, 300, 100), "stroke", (0,), None, 0.5, (("l", (72, 100), (300, 100)),)
    )
    box = Drawing(
        BBox(72, 200, 372, 260), "stroke", (0,), None, 0.5, (("re", (72, 200, 372, 260)),)
    )
    rules = rules_of([line, box], turn)
    a, b = pymupdf.Point(72, 100) * turn, pymupdf.Point(300, 100) * turn
    assert any(not r.horizontal and r.pos == pytest.approx(a.x) for r in rules)
    vertical = next(r for r in rules if not r.horizontal and r.pos == pytest.approx(a.x))
    assert (vertical.start, vertical.end) == pytest.approx(sorted((a.y, b.y)))
    edges = pymupdf.Rect(72, 200, 372, 260) * turn
    assert {round(r.pos, 3) for r in rules if r.horizontal} == {
        round(edges.y0, 3),
        round(edges.y1, 3),
    }


WATER = [
    ["District", "Homes", "Litres"],
    ["North", "1,204", "88.5"],
    ["South", "977", "91.2"],
    ["East", "1,530", "79.9"],
    ["West", "845", "102.3"],
]


def _unruled_pdf() -> bytes:
    """A table set in columns without lines, under a title."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 80), "Water use by district, 2023", fontsize=12)
    for r, row in enumerate(WATER):
        for c, text in enumerate(row):
            page.insert_text((72 + 150 * c, 120 + 18 * r), text, fontsize=10)
    return document.tobytes()


def test_fast_mode_reads_an_unruled_table_with_the_text_features_model(monkeypatch):
    from docvlm.engines.native import tables

    models = []
    build = tables._fast_analyser
    monkeypatch.setattr(tables, "_fast_analyser", lambda: models.append(1) or build())
    page = Document.open(_unruled_pdf(), name="water.pdf").page(1)
    assert [f.table.rows for f in find_tables(page, fast=True)] == [WATER]
    assert models == [1]
    engine = docvlm.get_engine("native", tables="fast")
    result = docvlm.extract(_unruled_pdf(), schema=Table, engine=engine)
    assert [r.rows for r in result.records] == [WATER] and models == [1, 1]
    with pytest.raises(docvlm.EngineOptionError, match="tables='quick': input should be"):
        docvlm.get_engine("native", tables="quick")
