"""A region of an image read closely: enlarged, on a margin of its own background, and with
short labels a text detector passes over (a lone 'I', a one-digit legend name, an 'I'
turned on its side under an axis) found as ink that no word read covers and read one by
one.

Hand-written: detectors find text lines by their texture, which a single narrow glyph
hardly has; the ink is plain to see against the region's background.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from docvlm.ocr import OcrBackend, get_backend
from docvlm.ocr_words import OcrWord

Box = tuple[float, float, float, float]

REGION_TEXT_PX = 32.0  # the text height a region is enlarged to before it is read
REGION_SIDE = 1600  # the longest side an enlarged region may have
REGION_PAD = 16


def read_region(
    image: Image.Image, box: tuple[int, int, int, int], backend: str, text_px: float
) -> list[OcrWord]:
    """The words of one region of an image (``box`` in its pixels, text about ``text_px``
    high), read enlarged and on a margin of its own background: short labels beside
    coloured swatches or tick marks (a legend's one-digit names, a lone tick) that a
    reading of the whole image misses; ink that even so no word covers, shaped like a short
    label (a lone 'I'), is read on its own. Boxes in the image's pixels."""
    crop = image.convert("RGB").crop(box)
    if min(crop.size) < 2:
        return []
    reader = get_backend(backend)
    words = _read_enlarged(crop, reader, text_px)
    for glyph in unread_ink(crop, [w.box for w in words], text_px):
        if glyph[3] - glyph[1] < GLYPH_MIN * text_px:
            text = _read_turned_glyph(crop, glyph, words, reader, text_px)
        else:
            text = _read_glyph(crop, glyph, words, reader, text_px)
        if text and text.isalnum():
            words.append(OcrWord(text, _moved(glyph, 0.0), 1.0))
    return [replace(w, box=_moved(w.box, box[0], box[1])) for w in words]


def read_on_fill(
    image: Image.Image,
    box: tuple[int, int, int, int],
    fill: tuple[float, ...],
    backend: str,
    text_px: float,
) -> list[OcrWord]:
    """The words printed on a fill of one colour (``fill``, RGB in 0..1) in one region of
    an image: its ink, of whatever colour stands from the fill (white on a dark bar), read
    as black on white; a reading of the whole image passes over light text on a dark
    ground. Boxes in the image's pixels."""
    pixels = np.asarray(image.convert("RGB").crop(box)).astype(np.int16)
    if pixels.size == 0:
        return []
    ground = np.array([round(255 * c) for c in fill[:3]], dtype=np.int16)
    ink = np.abs(pixels - ground).max(axis=2) > INK
    if not ink.any() or ink.mean() > INK_SHARE:
        return []  # no text; or another shape over the fill
    # Numbers on bars are often printed smaller than the chart's labels: the glyphs' own
    # height sets how far they are enlarged.
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    glyphs = [h for h, area in stats[1:count, [cv2.CC_STAT_HEIGHT, cv2.CC_STAT_AREA]] if area > 2]
    text_px = float(np.median(glyphs)) if glyphs else text_px
    plain = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)).convert("RGB")
    words = read_region(plain, (0, 0, plain.width, plain.height), backend, text_px)
    return [replace(w, box=_moved(w.box, box[0], box[1])) for w in words]


INK_SHARE = 0.4  # the most of a fill's region that text covers


def _moved(box: Box, dx: float, dy: float = 0.0, factor: float = 1.0) -> Box:
    """``box`` shrunk by ``factor``, then moved by (``dx``, ``dy``)."""
    return (
        dx + box[0] / factor,
        dy + box[1] / factor,
        dx + box[2] / factor,
        dy + box[3] / factor,
    )


def _read_glyph(
    crop: Image.Image,
    glyph: tuple[int, int, int, int],
    words: list[OcrWord],
    reader: OcrBackend,
    text_px: float,
) -> str | None:
    """The text of a short label no word covers, read together with the word read before
    it on its line, when there is one: alone, a lone 'I' reads as '1'; after 'H', as 'I'."""
    pad = max(2, round(text_px / 3))
    line = [w for w in words if w.box[2] <= glyph[0] and _same_line(w.box, glyph)]
    before = max(line, key=lambda w: w.box[2], default=None)
    x0 = glyph[0] if before is None else min(glyph[0], int(before.box[0]))
    around = (x0 - pad, glyph[1] - pad, glyph[2] + pad, glyph[3] + pad)
    read = reader.read_line(_enlarged(crop.crop(around), REGION_TEXT_PX / text_px))
    if read is None:
        return None
    text = read.text.replace(" ", "")
    if before is None:
        return text
    known = before.text.replace(" ", "")
    return text[len(known) :] if text.startswith(known) else None


def _read_turned_glyph(
    crop: Image.Image,
    glyph: tuple[int, int, int, int],
    words: list[OcrWord],
    reader: OcrBackend,
    text_px: float,
) -> str | None:
    """The text of a flat short label (an 'I' turned on its side, as labels printed up an
    axis are) read turned upright after the word before it on its line, turned the same
    way: a label is only taken when that word reads back as it was read."""
    centre = (glyph[1] + glyph[3]) / 2
    line = [w for w in words if w.box[2] <= glyph[0] and w.box[1] <= centre <= w.box[3]]
    before = max(line, key=lambda w: w.box[2], default=None)
    if before is None:
        return None  # a dash on its own is not known to be a turned letter
    pad = max(1, round(text_px / 6))
    top, bottom = int(before.box[1]), int(np.ceil(before.box[3]))
    pieces = [
        crop.crop((int(before.box[0]) - pad, top, int(np.ceil(before.box[2])) + pad, bottom)),
        crop.crop((glyph[0] - pad, top, glyph[2] + pad, bottom)),
    ]
    # Labels run up the axis: a quarter turn clockwise sets them upright, side by side.
    upright = [piece.rotate(-90, expand=True) for piece in pieces]
    read = reader.read_line(_enlarged(_side_by_side(upright, pad), REGION_TEXT_PX / text_px))
    if read is None:
        return None
    # Tick marks standing by the turned letters read as dots or dashes: only letters and
    # digits count.
    text, known = _alnum(read.text), _alnum(before.text)
    return text[len(known) :] if known and text.startswith(known) else None


def _alnum(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _side_by_side(images: list[Image.Image], gap: int) -> Image.Image:
    """``images`` in a row, ``gap`` pixels apart, on the first one's corner colour."""
    width = sum(image.width for image in images) + gap * (len(images) - 1)
    height = max(image.height for image in images)
    row = Image.new("RGB", (width, height), images[0].getpixel((0, 0)))
    x = 0
    for image in images:
        row.paste(image, (x, (height - image.height) // 2))
        x += image.width + gap
    return row


def _same_line(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= 0.5 * min(a[3] - a[1], b[3] - b[1])


def _read_enlarged(crop: Image.Image, reader: OcrBackend, text_px: float) -> list[OcrWord]:
    """The words of ``crop`` read enlarged (text about ``REGION_TEXT_PX`` high), boxes in
    its pixels."""
    factor = min(4.0, max(1.0, REGION_TEXT_PX / max(text_px, 1.0)), REGION_SIDE / max(crop.size))
    padded = _enlarged(crop, factor)
    return [
        replace(word, box=_moved(word.box, -REGION_PAD / factor, -REGION_PAD / factor, factor))
        for word in reader.read(padded, labels=True)
    ]


def _enlarged(crop: Image.Image, factor: float) -> Image.Image:
    """``crop`` enlarged by ``factor`` on a margin (``REGION_PAD``) of its corner's colour."""
    size = (max(1, round(crop.width * factor)), max(1, round(crop.height * factor)))
    enlarged = crop.resize(size, Image.Resampling.LANCZOS)
    corner = crop.getpixel((0, 0))
    padded = Image.new("RGB", (size[0] + 2 * REGION_PAD, size[1] + 2 * REGION_PAD), corner)
    padded.paste(enlarged, (REGION_PAD, REGION_PAD))
    return padded


INK = 60  # how far (0..255, in any channel) ink stands from the background
COLOURED = 60  # a cluster whose ink spreads this far across channels is a mark, not text
GLYPH_MIN, GLYPH_MAX = 0.45, 1.6  # a glyph's height, as a share of the text's height
FLAT_MAX = 0.3  # a turned glyph's thickness, as a share of the text's height
WORD_MAX = 4.0  # the widest cluster read this way, in text heights: a short label


def unread_ink(
    image: Image.Image, read: list[Box], text_px: float
) -> list[tuple[int, int, int, int]]:
    """Boxes (in ``image``'s pixels) of ink clusters shaped like a short label, upright or
    a thin stroke lying flat (an 'I' turned on its side), that no box in ``read`` overlaps
    and that touch no edge of the image (a tick mark hangs from the axis at the region's
    edge; a cut word is read in its neighbouring region)."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    background = pixels[0, 0]
    ink = (np.abs(pixels - background).max(axis=2) > INK).astype(np.uint8)
    # Letters of one word join; lines of text stay apart.
    reach = max(1, round(0.3 * text_px))
    joined = cv2.dilate(ink, np.ones((1, 2 * reach + 1), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    height, width = ink.shape
    found = []
    for x, y, w, h, _ in stats[1:count]:
        x, w = x + reach, w - 2 * reach  # the dilation's reach is not ink
        box = (int(x), int(y), int(x + w), int(y + h))
        upright = GLYPH_MIN * text_px <= h <= GLYPH_MAX * text_px and w <= WORD_MAX * text_px
        if not upright and not _turned_glyph(w, h, text_px):
            continue
        if x <= 1 or y <= 1 or x + w >= width - 1 or y + h >= height - 1:
            continue
        if any(_overlap(box, other) for other in read) or _coloured(pixels, ink, box):
            continue
        found.append(box)
    return found


def _turned_glyph(width: int, height: int, text_px: float) -> bool:
    """Whether ink this wide and high is a one-stroke glyph lying on its side: as long as
    a glyph is high, as thin as a stroke."""
    return GLYPH_MIN * text_px <= width <= GLYPH_MAX * text_px and height <= FLAT_MAX * text_px


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _coloured(pixels: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    inked = pixels[y0:y1, x0:x1][ink[y0:y1, x0:x1] > 0]
    if not len(inked):
        return True
    spread = inked.max(axis=1) - inked.min(axis=1)
    return bool(np.median(spread) > COLOURED)
