from __future__ import annotations

import gc
import io
import pickle
import weakref

import pytest

from docvlm import (
    CorruptDocumentError,
    Document,
    DocumentNotFoundError,
    EmptyDocumentError,
    EncryptedDocumentError,
    PageSelectionError,
    PageTooLargeError,
    UnsupportedFileError,
)
from docvlm.pages import page_ranges, select_pages


def test_pdf_page_size_rotation_and_words(fixtures):
    with Document.open(fixtures / "sales_table.pdf") as doc:
        assert (doc.kind, doc.page_count, len(doc)) == ("pdf", 1, 1)
        page = next(iter(doc))
        assert (page.number, page.width, page.height, page.rotation) == (1, 595, 842, 0)
        texts = [w.text for w in page.words]
        assert texts[:4] == ["Quarterly", "sales", "by", "region"]
        north = next(w for w in page.words if w.text == "North")
        # The fixture writes row 1, column 0 at x=76, baseline y=214 (180 + 20 + 14).
        assert north.bbox.x0 == pytest.approx(76, abs=0.5)
        assert north.bbox.y0 < 214 < north.bbox.y1
        region = next(w for w in page.words if w.text == "Region")
        assert region.bold and not north.bold


def test_pdf_drawings_are_the_table_rules(fixtures):
    page = Document.open(fixtures / "sales_table.pdf").page(1)
    lines = [d for d in page.drawings if d.kind == "stroke"]
    # 7 horizontal and 6 vertical rules of the 6x5 grid.
    horizontal = [d for d in lines if d.bbox.height < 1]
    vertical = [d for d in lines if d.bbox.width < 1]
    assert (len(horizontal), len(vertical)) == (7, 6)
    assert min(d.bbox.y0 for d in horizontal) == pytest.approx(180)
    assert max(d.bbox.x1 for d in horizontal) == pytest.approx(72 + 110 + 4 * 80)


def test_rotation_is_normalised_and_words_follow_the_displayed_page(fixtures):
    page = Document.open(fixtures / "rotated.pdf").page(1)
    assert page.rotation == 90
    assert (page.width, page.height) == (842, 595)
    north = next(w for w in page.words if w.text == "North")
    # Rotating by 90 degrees clockwise maps unrotated (x, y) to (842 - y, x).
    assert north.bbox.x1 == pytest.approx(842 - 214 + 10, abs=12)
    assert north.bbox.y0 == pytest.approx(76, abs=0.5)
    assert all(0 <= w.bbox.x0 <= 842 and 0 <= w.bbox.y1 <= 595 for w in page.words)


@pytest.mark.parametrize("name", ["scan.png", "scan.jpg", "scan.webp"])
def test_image_pages_measure_in_points_from_their_dpi(fixtures, name):
    doc = Document.open(fixtures / name)
    page = doc.page(1)
    assert doc.kind == "image" and doc.page_count == 1
    image = page.image()
    dpi = page.image_dpi
    assert (page.width, page.height) == pytest.approx(
        (image.width * 72 / dpi, image.height * 72 / dpi)
    )
    assert page.words == () and not page.has_text_layer and page.drawings == ()


def test_png_with_dpi_is_an_a4_page(fixtures):
    page = Document.open(fixtures / "scan.png").page(1)
    assert page.image_dpi == pytest.approx(60, abs=0.01)
    assert (page.width, page.height) == pytest.approx((595, 842), abs=1.5)


def test_multipage_tiff(fixtures):
    doc = Document.open(fixtures / "scan_3pages.tiff", pages="2-3")
    assert doc.page_count == 3 and len(doc) == 2
    pages = list(doc)
    assert [p.number for p in pages] == [2, 3]
    assert pages[0].image().size == pages[1].image().size


def test_open_from_bytes(fixtures):
    data = (fixtures / "sales_table.pdf").read_bytes()
    doc = Document.open(data, name="upload.pdf")
    assert doc.name == "upload.pdf" and doc.page(1).has_text_layer


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (None, [0, 1, 2, 3, 4]),
        ("1-3,5", [0, 1, 2, 4]),
        ("4-", [3, 4]),
        (2, [1]),
        ([3, 1, 3], [0, 2]),
        (" 2 , 1 ", [0, 1]),
    ],
)
def test_page_selection(spec, expected):
    assert select_pages(spec, 5) == expected


@pytest.mark.parametrize("spec", ["0", "6", "3-2", "a-b", ",", "1-9", "6-", 0, -1, [0, 1]])
def test_bad_page_selection(spec):
    with pytest.raises(PageSelectionError):
        select_pages(spec, 5)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("0", "page 0 does not exist: pages are numbered from 1"),
        ("0-2", "page 0 does not exist: pages are numbered from 1"),
        ("7", "page 7 is out of range: the document has 5 pages"),
        ("4-9", "page 6 is out of range: the document has 5 pages"),
        ("8-", "page 8 is out of range: the document has 5 pages"),
    ],
)
def test_page_selection_errors_name_the_page_and_the_real_count(spec, message):
    with pytest.raises(PageSelectionError) as info:
        select_pages(spec, 5)
    assert str(info.value) == message


def test_page_ranges_check_the_syntax_without_a_page_count():
    assert page_ranges("2-4,9-") == [(2, 4), (9, None)]
    # A range far past the document is refused without being expanded page by page.
    with pytest.raises(PageSelectionError, match="page 4 is out of range"):
        select_pages("2-999999999999999", 3)
    with pytest.raises(PageSelectionError, match="numbered from 1"):
        page_ranges("0")


def test_pages_are_built_lazily_and_released(fixtures):
    doc = Document.open(fixtures / "report_3pages.pdf")
    alive: weakref.WeakSet = weakref.WeakSet()
    iterator = iter(doc)
    assert len(alive) == 0
    for page in iterator:
        alive.add(page)
        del page
        gc.collect()
        assert len(alive) == 0  # nothing holds a page once the consumer lets go


@pytest.mark.parametrize(
    ("name", "error", "fragment"),
    [
        ("missing.pdf", DocumentNotFoundError, "no such file"),
        ("not_a_document.txt", UnsupportedFileError, "not a PDF or a supported image"),
        ("corrupt.pdf", CorruptDocumentError, "not a readable PDF"),
        ("zero_pages.pdf", EmptyDocumentError, "no pages"),
        ("encrypted.pdf", EncryptedDocumentError, "--password"),
    ],
)
def test_bad_files_get_one_line_errors_naming_the_file(fixtures, name, error, fragment):
    with pytest.raises(error) as info:
        Document.open(fixtures / name)
    message = str(info.value)
    assert message.startswith(str(fixtures / name)) and fragment in message
    assert "\n" not in message


def test_directory_is_refused(fixtures):
    with pytest.raises(UnsupportedFileError, match="is a directory"):
        Document.open(fixtures)


def test_encrypted_pdf_opens_with_its_password(fixtures):
    with pytest.raises(EncryptedDocumentError, match="wrong"):
        Document.open(fixtures / "encrypted.pdf", password="nope")
    page = Document.open(fixtures / "encrypted.pdf", password="secret").page(1)
    assert "North" in [w.text for w in page.words]


def test_truncated_pdf_is_repaired_and_flagged(fixtures):
    doc = Document.open(fixtures / "truncated.pdf")
    assert doc.problems and "damaged" in doc.problems[0]


@pytest.mark.parametrize("length", [124, 300, 700])
def test_pdf_truncated_before_any_page_is_reported_damaged(fixtures, length):
    # Cut so early that no page survives: 'damaged', as for a repaired file, not 'no pages'.
    data = (fixtures / "sales_table.pdf").read_bytes()[:length]
    with pytest.raises(CorruptDocumentError) as info:
        Document.open(data, name="cut.pdf")
    assert str(info.value).startswith("cut.pdf: the PDF is damaged (truncated")


def test_file_objects_and_buffers_are_sources(fixtures):
    path = fixtures / "sales_table.pdf"
    data = path.read_bytes()
    with path.open("rb") as stream:
        assert Document.open(stream).name == str(path)
    assert Document.open(io.BytesIO(data)).name == "<stream>"
    assert Document.open(memoryview(data)).page_count == 1
    assert Document.open(bytearray(data), name="x.pdf").name == "x.pdf"


@pytest.mark.parametrize(
    ("source", "error", "fragment"),
    [
        (12, UnsupportedFileError, "cannot read a int: give a path"),
        (io.StringIO("%PDF-"), UnsupportedFileError, "in binary mode"),
        (io.BytesIO(b""), CorruptDocumentError, "the file is empty"),
    ],
)
def test_unreadable_sources_are_docvlm_errors(source, error, fragment):
    with pytest.raises(error, match=fragment):
        Document.open(source)


def test_decompression_bomb_is_refused_per_page(fixtures):
    doc = Document.open(fixtures / "bomb.png")  # opening reads only the header
    with pytest.raises(PageTooLargeError, match="20000x20000 pixels"):
        doc.page(1)


def test_errors_pickle_with_their_message():
    error = EncryptedDocumentError("needs --password", "a.pdf")
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is EncryptedDocumentError and str(clone) == "a.pdf: needs --password"
