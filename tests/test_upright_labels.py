"""Category labels printed upright (turned 90 degrees, reading from the bottom up), read by
OCR a word at a time: words square in one column are one label whichever reading gave
them, in reading order; and a word under a label that OCR could not join to it (the '&'
between them went unread) comes before it, not after it as a second line would."""

from __future__ import annotations

from docvlm.engines.native.labels import label_column, label_rows, merge_line_words
from docvlm.geometry import BBox
from docvlm.ocr import _reading_order
from docvlm.page_content import Word

PLOT = BBox(40, 20, 500, 170)


def _upright(text: str, x: float, y0: float, y1: float, line: int = 0) -> Word:
    return Word(text, BBox(x, y0, x + 13, y1), line=line, angle=90.0)


def test_upright_words_of_one_column_are_one_label_read_bottom_up():
    # Each word its own line number, as the first reading and a closer one give them.
    words = [
        _upright("Services", 127, 178, 202, line=3),
        _upright("Support", 127, 205, 247, line=7),
        _upright("Customer", 127, 250, 302, line=9),
        _upright("Human", 185, 257, 294, line=4),
        _upright("Resources", 185, 200, 254, line=5),
    ]
    assert sorted(w.text for w in merge_line_words(words)) == [
        "Customer Support Services",
        "Human Resources",
    ]


def test_ocr_numbers_an_upright_columns_words_as_one_line():
    level = Word("Sales", BBox(60, 5, 90, 15))
    words = [
        level,
        _upright("Support", 127, 205, 247),
        _upright("Customer", 127, 250, 302),
        _upright("Human", 185, 257, 294),
    ]
    lines = {w.text: w.line for w in _reading_order(words)}
    assert lines["Support"] == lines["Customer"] != lines["Human"]
    assert lines["Sales"] not in (lines["Customer"], lines["Human"])


def test_an_upright_labels_piece_under_it_reads_first():
    words = [
        _upright("Development", 100, 176, 235),
        _upright("Research", 100, 248, 282),  # 13 points under it: an '&' unread between
        _upright("Legal", 160, 176, 200),
    ]
    labels = label_rows(words, PLOT)
    assert [w.text for w in labels] == ["Research Development", "Legal"]


def test_a_column_of_numbers_is_the_value_axis_before_an_upright_title_read_in_bits():
    """An upright axis title OCR read level, in bits ('Cch', 'f', 'p', 'aa', 'trres'), lines
    up in more words than the axis's four numbers do."""
    bits = [
        Word(text, BBox(1, top, 19, top + 11))
        for text, top in (("Cch", 40), ("f", 70), ("p", 95), ("aa", 110), ("trres", 140))
    ]
    numbers = [
        Word(text, BBox(36 - 6 * len(text), top, 36, top + 11))
        for text, top in (("200", 25), ("100", 65), ("0", 105), ("-100", 145))
    ]
    column = label_column(bits + numbers, PLOT)
    assert [w.text for w in column] == ["200", "100", "0", "-100"]


def test_a_short_upright_label_boxed_a_little_below_the_others_is_in_their_row():
    """'Müll' OCR boxed 4 points below its longer neighbours' ends (its umlaut's dots and
    its last letters read short): it is the row's last label all the same."""
    words = [
        _upright("Schlösser", 217, 220.8, 269.3),
        _upright("Übersee", 249, 218.9, 264.5),
        _upright("Größe", 284, 220.3, 253.9),
        _upright("Müll", 317, 224.2, 243.8),
    ]
    assert [w.text for w in label_rows(words, BBox(40, 20, 340, 215))] == [
        "Schlösser",
        "Übersee",
        "Größe",
        "Müll",
    ]
