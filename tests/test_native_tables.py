from __future__ import annotations

import pytest

import docvlm
from docvlm import Document, Table
from docvlm.engines.native.tables import _header_rows, find_tables
from tests.conftest import CORPUS, SALES, STAFF


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
