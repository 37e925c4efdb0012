"""OCR'd labels (a chart's legend names, categories, titles) with their one-letter slips
mended: a word no word list knows, read again closer, where a second reading gives a
known word one look-alike letter away ('Revanue' read again as 'Revenue'; see
:mod:`docvlm.spelling`).

A recogniser without a dictionary is as sure of a slip as of the right letter, so its
first reading cannot tell one; a crop of the label read on its own, at another size and
by another recogniser, slips elsewhere or not at all. Only a word that a second reading
gives is taken: a name no list knows ('Tesco') reads as itself again and stays.
"""

from __future__ import annotations

import re
from dataclasses import replace

from PIL import Image

from docvlm.document import Word
from docvlm.errors import OcrUnavailableError
from docvlm.ocr import get_backend
from docvlm.spelling import glued_capital, slips

REREAD_PX = (36, 48)  # text heights a suspect label is read again at
SECOND_READER = "tesseract"  # reads with a dictionary of its own, where RapidOCR has none
PAD = 0.2  # of the label's height, around its box


def mended_labels(
    words: tuple[Word, ...], image: Image.Image, scale: float, backend: str
) -> tuple[Word, ...]:
    """``words`` (read by OCR from ``image``; ``scale``: points a pixel) with each slip
    that a second reading confirms mended, and a capital glued on a known word
    ('ProductA') set apart."""
    return tuple(_mended(word, image, scale, backend) for word in words)


def _mended(word: Word, image: Image.Image, scale: float, backend: str) -> Word:
    text = " ".join(glued_capital(token) or token for token in word.text.split(" "))
    suspects = {}
    if word.angle == 0:  # a turned label reads as no level line from its box
        suspects = {t: near for t in re.findall(r"[^\W\d_]+", text) if (near := slips(t))}
    if suspects:
        again = _read_again(image, word, scale, backend)
        for token, near in suspects.items():
            confirmed = near & again
            if len(confirmed) == 1:
                pattern = rf"(?<!\w){re.escape(token)}(?!\w)"
                text = re.sub(pattern, confirmed.pop(), text)  # letters: nothing to escape
    return word if text == word.text else replace(word, text=text)


def _read_again(image: Image.Image, word: Word, scale: float, backend: str) -> set[str]:
    """The words of readings of ``word``'s crop, enlarged to each of ``REREAD_PX``, by the
    chart's recogniser and by ``SECOND_READER``."""
    box = word.bbox
    pad = PAD * box.height
    crop = image.convert("RGB").crop(  # within the image: PIL fills beyond it with black
        (
            max(0, int((box.x0 - pad) / scale)),
            max(0, int((box.y0 - pad) / scale)),
            min(image.width, int((box.x1 + pad) / scale) + 1),
            min(image.height, int((box.y1 + pad) / scale) + 1),
        )
    )
    if min(crop.size) < 2:
        return set()
    height = box.height / scale
    found: set[str] = set()
    for name in dict.fromkeys((backend, SECOND_READER)):
        try:
            reader = get_backend(name)
        except OcrUnavailableError:
            continue
        for px in REREAD_PX:
            factor = px / max(height, 1.0)
            size = (max(1, round(crop.width * factor)), max(1, round(crop.height * factor)))
            reading = reader.read_line(crop.resize(size, Image.Resampling.LANCZOS))
            if reading is not None:
                found.update(re.findall(r"[^\W\d_]+", reading.text))
    return found
