"""Accents that OCR reads onto plain letters of a chart image ('E' as 'È'), told apart
from real ones by the ink: an accent stands above the letters beside it.

Hand-written: the recogniser's alphabet holds accented letters, and nothing in its output
says how sure it was of the accent alone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.colours import delta_e
from docvlm.engines.native.segmentation import FOREGROUND
from docvlm.spelling import unaccented

RISE = 1  # pixels: an accent's ink rises more than this above its neighbours'


def without_false_accents(
    words: list[Word], lab: np.ndarray, backgrounds: list[np.ndarray], scale: float
) -> list[Word]:
    """The words, each accented lone letter whose ink stands no taller than that of the
    unaccented words on its line read without its accents (``lab``: the image in CIELAB
    on ``backgrounds``; ``scale``: points a pixel). A word with no unaccented neighbour to
    measure against keeps its accents."""
    plain = [w for w in words if w.angle == 0 and not _accented(w.text)]
    kept = []
    for word in words:
        # A lone letter only: in a word, an accent need not rise above its neighbours
        # ('Süd': the 'd' stands as tall as the 'ü').
        if word.angle == 0 and len(word.text) == 1 and _accented(word.text):
            line = [w for w in plain if abs(w.bbox.y0 - word.bbox.y0) <= 0.3 * word.bbox.height]
            heights = [h for w in line if (h := ink_height(w, lab, backgrounds, scale))]
            own = ink_height(word, lab, backgrounds, scale)
            if heights and own and own <= max(heights) + RISE:
                word = replace(word, text=unaccented(word.text))
        kept.append(word)
    return kept


def _accented(text: str) -> bool:
    return unaccented(text) != text


def ink_height(word: Word, lab: np.ndarray, backgrounds: list[np.ndarray], scale: float) -> int:
    """How many pixel rows, from the first to the last, of the word's box hold ink (0:
    none)."""
    x0, y0, x1, y1 = word.bbox.pixel_bounds(scale)
    crop = lab[max(0, y0) : y1, max(0, x0) : x1]
    if not crop.size:
        return 0
    drawn = np.min([delta_e(crop, bg) for bg in backgrounds], axis=0) > FOREGROUND
    rows = np.nonzero(drawn.any(axis=1))[0]
    return int(rows.max() - rows.min() + 1) if len(rows) else 0
