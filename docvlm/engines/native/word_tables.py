"""Tables among OCR'd words (scans and images): the layout analyser reads PDF pages, so the
words are typeset on a blank page, each at its own box, and the tables of that page are
read as a PDF page's are (``tables``), their cells filled with the OCR words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pymupdf

from docvlm.document import Drawing, Word
from docvlm.engines.native.tables import FoundTable, Frame, read_tables

LETTER = (612.0, 792.0)  # points: the smallest page OCR'd words are typeset on
BLANK_MARGIN = 36.0  # points of blank page around them


def find_tables_in_words(
    words: tuple[Word, ...],
    width: float,
    height: float,
    fast: bool = False,
    drawings: Sequence[Drawing] = (),
) -> list[FoundTable]:
    """Every table among OCR'd words (an upright page ``width`` x ``height`` points, boxes in
    its space; ``drawings``: the page's ruling lines in that space). The analyser reads PDF
    pages, so the words are typeset on a blank page, each at its own box, and the cells
    are then filled with the OCR words. An image of a table alone (a crop a few lines
    high) is typeset in the margin of a page of at least letter size: on a page of the
    crop's own size the analyser takes its lines for page headers and captions."""
    shift = BLANK_MARGIN
    document = pymupdf.open()
    try:
        pdf_page = document.new_page(
            width=max(LETTER[0], width + 2 * shift), height=max(LETTER[1], height + 2 * shift)
        )
        moved = [_shifted(w, shift) for w in words]
        for word in moved:
            _typeset(pdf_page, word)
        there = pymupdf.Matrix(1, 0, 0, 1, shift, shift)
        frame = Frame(pdf_page, there, ~there, fast=fast)
        return [
            FoundTable(table, box.shifted(-shift, -shift), sound)
            for table, box, sound in read_tables(frame, moved, drawings=drawings)
        ]
    finally:
        document.close()


def _shifted(word: Word, by: float) -> Word:
    return replace(word, bbox=word.bbox.shifted(by, by))


def _typeset(pdf_page: pymupdf.Page, word: Word) -> None:
    """``word`` in Helvetica, sized to fill its box (the analyser sees text sizes and gaps)."""
    box = word.bbox
    size = max(3.0, 0.75 * box.height)
    length = pymupdf.get_text_length(word.text, fontsize=size)
    if length > box.width > 0:
        size *= box.width / length
    pdf_page.insert_text((box.x0, box.y1 - 0.25 * box.height), word.text, fontsize=size)
