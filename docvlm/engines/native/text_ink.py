"""The colour a chart's text is printed in. Office suites and matplotlib print it in gray or
black, but web charting libraries' themes tint it (a dark slate blue, a brown): ink in that
tint is text, not a coloured mark, wherever the reader tells the two apart by colour."""

from __future__ import annotations

import numpy as np

from docvlm.document import Word
from docvlm.engines.native.colours import NEUTRAL, chroma, delta_e, nearest_blend

INK_WORD = 3  # characters: a shorter word may be a marker OCR read as a letter
INK_MATCH = 12.0  # delta E from the text's ink within which a colour is that ink


def text_ink(words: list[Word], lab: np.ndarray, scale: float) -> np.ndarray | None:
    """The tinted ink (CIELAB) the chart's words are printed in, from the strongest pixels
    of its longer words; None where the text is gray or black (neutral ink, which the
    reader already takes for text) or there are no such words."""
    cores = [
        core for word in words if len(word.text) >= INK_WORD for core in _core(word, lab, scale)
    ]
    if not cores:
        return None
    ink = np.median(np.array(cores), axis=0)
    return ink if float(chroma(ink)) >= NEUTRAL else None


def _core(word: Word, lab: np.ndarray, scale: float) -> list[np.ndarray]:
    """The third of a word's drawn pixels that stand furthest from the ground around it:
    its strokes' own colour, not their anti-aliased edges."""
    x0, y0, x1, y1 = word.bbox.pixel_bounds(scale)
    crop = lab[max(0, y0) : y1, max(0, x0) : x1]
    if crop.shape[0] < 2 or crop.shape[1] < 2:
        return []
    distance = delta_e(crop, ground_around(crop))
    drawn = np.sort(distance[distance > INK_MATCH])
    if not len(drawn):
        return []
    strong = distance >= drawn[len(drawn) * 2 // 3]
    return list(crop[strong])


def ground_around(crop: np.ndarray) -> np.ndarray:
    """The colour at the rim of a word's box: the ground the word is printed on."""
    rim = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    return np.median(rim, axis=0)


def off_ink(pixels: np.ndarray, ground: np.ndarray, ink: np.ndarray | None) -> np.ndarray:
    """How far each pixel is from every blend of the ground and the text's ink (an
    anti-aliased pixel of a letter lies on that blend); infinite where there is no tinted
    ink to compare with."""
    if ink is None:
        return np.full(pixels.shape[:-1], np.inf)
    return nearest_blend(pixels, ground, ink - ground)[0]
