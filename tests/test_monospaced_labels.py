"""Labels in a monospaced font: its space is a whole character wide, so the words of one
name stand further apart than a proportional font's ('Product' and 'B' 5.3 points apart,
8 high), and the key's name lost its last word, and its series every value."""

from __future__ import annotations

from docvlm.engines.native.labels import merge_line_words
from docvlm.geometry import BBox
from docvlm.page_content import Word


def _word(text: str, x0: float, pitch: float, top: float = 151.7) -> Word:
    return Word(text, BBox(x0, top, x0 + pitch * len(text), top + 8.1))


def test_words_of_one_monospaced_name_a_character_apart_are_one_name():
    words = [
        _word("Product", 53.8, 4.31),
        _word("B", 89.3, 4.3),
        _word("Dépenses", 54.2, 4.33, 168.5),
    ]
    assert sorted(w.text for w in merge_line_words(words)) == ["Dépenses", "Product B"]


def test_words_of_unlike_widths_as_far_apart_are_two_labels():
    """Characters of different widths: a proportional font's, whose words a character
    apart are two labels."""
    words = [_word("Nord", 53.8, 5.2), _word("Ost", 80.1, 4.3)]
    assert [w.text for w in merge_line_words(words)] == ["Nord", "Ost"]


def test_numbers_a_character_apart_are_two_labels():
    words = [_word("2019", 50.0, 4.3), _word("2020", 72.5, 4.3)]
    assert [w.text for w in merge_line_words(words)] == ["2019", "2020"]
