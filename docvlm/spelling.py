"""Words that an OCR reading may have slipped on: a word no word list knows (in the
languages of :data:`LANGUAGES`), one look-alike letter away from words the lists know
('Revanue' from 'Revenue', 'Budgel' from 'Budget', 'udget' from 'Budget').

A slip is only a suspicion: a name no list holds ('Uttar', 'Tesco', 'Jalan') has
look-alike neighbours as common as a misread word's. :mod:`docvlm.label_slips` takes a
neighbour only when a second reading of the label gives it.

Hand-written around pyspellchecker's word lists: its own candidates are any word one
edit away, where a recogniser's slips are a look-alike letter, or a letter lost at the
word's edge.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from typing import Any

# The word lists consulted: Latin-script languages whose documents are common.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
MIN_LETTERS = 4  # shorter words are abbreviations and codes as often as words

# Letters a recogniser confuses in small print: round letters, thin upright strokes,
# arched ones, and round capitals.
LOOK_ALIKES = ("aeoc", "iltfj", "unoh", "CDOGQ", "rnm")
_SIMILAR = frozenset((a, b) for group in LOOK_ALIKES for a in group for b in group if a != b)
EDGE_LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßéèêàáâçíóúñ"

_lock = threading.Lock()


def slips(word: str) -> set[str]:
    """The known words that ``word`` could be a one-letter slip of (as cased as read; a
    letter lost before the word comes back in either case). Empty for a known word, a
    short one, or one with other than letters."""
    if len(word) < MIN_LETTERS or not word.isalpha() or _known(word):
        return set()
    if word.isupper():  # capitals: the slips of the small letters they are
        return {near.upper() for near in slips(word.lower())}
    return {
        near
        for near in _look_alike_edits(word)
        if unaccented(near).casefold() != unaccented(word).casefold() and _known(near)
    }


def glued_capital(word: str) -> str | None:
    """``word`` split before a capital glued on its end ('ProductA' as 'Product A') where
    what stands before it is a known word; None otherwise."""
    glued = re.fullmatch(r"([^\W\d_]*[^\W\d_A-Z])([A-Z])", word)
    if glued and len(glued.group(1)) >= MIN_LETTERS and _known(glued.group(1)):
        return f"{glued.group(1)} {glued.group(2)}"
    return None


def _look_alike_edits(word: str) -> set[str]:
    """``word`` with one letter swapped for a look-alike, or one added at either end."""
    edits = set()
    for i, letter in enumerate(word):
        base = unaccented(letter) if letter.islower() else letter
        for a, b in _SIMILAR:
            if a == base:
                edits.add(word[:i] + b + word[i + 1 :])
    for letter in EDGE_LETTERS:
        edits.update((letter + word, letter.upper() + word, word + letter))
    return edits


def unaccented(text: str) -> str:
    """The text without its combining marks ('È' as 'E')."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare)


def _known(word: str) -> bool:
    return any(word.lower() in checker for checker in _checkers())


@cache
def _checkers_loaded() -> tuple[Any, ...]:
    from spellchecker import SpellChecker

    return tuple(SpellChecker(language=lang, case_sensitive=False) for lang in LANGUAGES)


def _checkers() -> tuple[Any, ...]:
    with _lock:  # loaded once (about two seconds), however many threads ask first
        return _checkers_loaded()
