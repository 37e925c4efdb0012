"""Category labels left of a plot, where OCR read the tick mark after some of them as a
quote or a dash ('Käse"'): their right edges stood a tick's length right of the others',
two columns of labels, and the column chosen held half the categories."""

from __future__ import annotations

from docvlm.engines.native.labels import label_column
from docvlm.geometry import BBox
from docvlm.page_content import Word

PLOT = BBox(80, 20, 400, 260)


def _label(text: str, top: float, right: float = 68.0) -> Word:
    return Word(text, BBox(right - 6 * len(text), top, right, top + 12))


def test_a_tick_mark_read_after_a_label_is_no_part_of_it():
    words = [
        _label("Müll", 25),
        _label("Übersee", 66),
        _label("Schlösser", 109),
        _label('Käse"', 152, right=74.0),
        _label("Bücher-", 195, right=74.0),
    ]
    column = label_column(words, PLOT)
    assert [w.text for w in column] == ["Müll", "Übersee", "Schlösser", "Käse", "Bücher"]
    assert all(abs(w.bbox.x1 - 68.0) <= 0.5 for w in column)


def test_a_label_ending_in_a_quote_in_line_with_the_others_keeps_it():
    """An inch mark printed as part of every label: no tick mark."""
    words = [_label(f'{n}"', 25 + 40 * k) for k, n in enumerate((12, 14, 16))]
    assert [w.text for w in label_column(words, PLOT)] == ['12"', '14"', '16"']
