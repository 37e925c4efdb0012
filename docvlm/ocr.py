"""Bundled OCR for scans and images: words with boxes, so every native extractor works on
pages without a text layer.

Two backends behind one interface, both offline: RapidOCR 3 (PP-OCRv6 models inside its
wheel, onnxruntime, which pymupdf already needs) and Tesseract through tesserocr (its wheel
bundles tesseract; English data from the system's ``tesseract-ocr-eng``). The default is
chosen by measurement on the scanned receipts (``benchmarks/receipts_sroie.py``). Results
are cached per page image, and pages turned by 90/180/270 degrees are turned back first.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from PIL import Image

from docvlm.document import Page, Word
from docvlm.errors import OcrUnavailableError
from docvlm.geometry import BBox
from docvlm.ocr_words import (
    OcrWord,
    enclosing,
    join_characters,
    parted_at_spaces,
    slant,
    turned_line,
)
from docvlm.upright_lines import with_upright_lines

OCR_DPI = 150.0  # read better than 300 in trials, and four times faster
# An image that does not state its resolution is read at its own pixels, unless it is
# small (a screenshot, a thumbnail): its text is then enlarged, up to the ``OCR_DPI`` /
# 72 that reading it as a 72-dpi page would give, until its long side has this many pixels.
OCR_MIN_SIDE = 1500
# A PDF page smaller than OCR_MIN_SIDE at ``dpi`` is read up to this much finer.
SMALL_PAGE_ENLARGE = 2.0
# Above this many pixels a page is read shrunk: text in so large an image is large too,
# and the readers' time and memory grow with the pixels (a 40 MP chart photo, a poster).
OCR_MAX_PIXELS = 12_000_000
CACHE_SIZE = 64
# Pictures covering this share of a page with few words make it a scan: a scanned sheet
# fills the page; a figure sits within the margins (a text area is two thirds of a page).
SCAN_COVER = 0.8
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)


class OcrBackend(Protocol):
    name: str

    def read(self, image: Image.Image, labels: bool = False) -> list[OcrWord]:
        """The words of an image; ``labels``: short upright words (a chart's), read as
        printed, never turned (see :class:`RapidOcrBackend`)."""
        ...

    def read_line(self, image: Image.Image) -> OcrWord | None:
        """The image read as one line of text (no detection), or None when it reads empty."""
        ...


class RapidOcrBackend:
    """PP-OCRv6 through RapidOCR 3, word boxes included."""

    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError:
            raise OcrUnavailableError("OCR needs rapidocr: pip install rapidocr") from None
        # Its warnings ("the text detection result is empty") are not the user's concern.
        self._engine = RapidOCR(params={"Global.log_level": "error"})
        self._lock = threading.Lock()

    def read(self, image: Image.Image, labels: bool = False) -> list[OcrWord]:
        rgb = image.convert("RGB")
        words = self._read(rgb, labels)
        if labels:  # with the classifier off, upright lines come out upside down
            words = with_upright_lines(lambda turned: self._read(turned, True), rgb, words)
        return words

    def _read(self, rgb: Image.Image, labels: bool) -> list[OcrWord]:
        # Its text-direction classifier turns short upright words upside down ("90%" read
        # as "%06", "Süd" as "pnS"): off for labels. Receipts read better with it on.
        # Its settings stay as last given, so every call gives them all.
        with self._lock:
            output = self._engine(
                np.asarray(_padded(rgb)),
                use_det=True,
                use_cls=not labels,
                return_word_box=True,
            )
        words = []
        pixels = np.asarray(rgb)
        lines = getattr(output, "word_results", None) or ()
        boxes = getattr(output, "boxes", None)
        texts = getattr(output, "txts", None) or ()
        if boxes is None or not len(boxes) == len(lines) == len(texts):
            boxes = [None] * len(lines)  # no line boxes to tell a slanted line by
        for index, line in enumerate(lines):
            if not line or isinstance(line[0], str):
                continue  # an image without text reads as one empty ('', 1.0, None) entry
            angle = slant(boxes[index]) if boxes[index] is not None else 0.0
            if angle and texts[index].strip():
                words.append(turned_line(texts[index].strip(), boxes[index], line, angle))
                continue
            pieces = []
            for text, score, points in line:
                if text.strip():
                    pieces.append(OcrWord(text.strip(), enclosing(points), float(score)))
            words.extend(parted_at_spaces(join_characters(pieces), pixels))
        return _without_giants(words)

    def read_line(self, image: Image.Image) -> OcrWord | None:
        with self._lock:
            output = self._engine(np.asarray(image.convert("RGB")), use_det=False, use_cls=False)
        texts, scores = getattr(output, "txts", None) or (), getattr(output, "scores", None)
        if not texts or not texts[0].strip() or not scores:
            return None
        return OcrWord(texts[0].strip(), (0.0, 0.0, *image.size), float(scores[0]))


def _without_giants(words: list[OcrWord]) -> list[OcrWord]:
    """The words but level ones many times as tall as the others: the detector now and
    then boxes a whole chart's plot as one line of text ('htald'), which would hide every
    mark under it."""
    heights = sorted(w.box[3] - w.box[1] for w in words if not w.angle)
    if len(heights) < 3:
        return words
    tallest = GIANT * heights[len(heights) // 2]
    return [w for w in words if w.angle or w.box[3] - w.box[1] <= tallest]


GIANT = 6  # times the usual word's height: no line of text stands that tall among them


def _padded(image: Image.Image) -> Image.Image:
    """A strip over four times longer than it is wide, padded with white below or to the
    right (which moves no word): RapidOCR shrinks an image to 2,000 pixels on its long
    side, fails when that leaves the short side under a few pixels, and then enlarges the
    short side to 736 pixels for its detector, which makes a thin strip enormous."""
    width, height = image.size
    short = max(width, height) // 4
    if min(width, height) >= short:
        return image
    padded = Image.new("RGB", (max(width, short), max(height, short)), "white")
    padded.paste(image, (0, 0))
    return padded


class TesseractBackend:
    """Tesseract 5 through tesserocr."""

    name = "tesseract"

    def __init__(self, lang: str = "eng") -> None:
        try:
            import tesserocr
        except ImportError:
            raise OcrUnavailableError("OCR needs tesserocr: pip install tesserocr") from None
        path = _tessdata(lang)
        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=path, lang=lang)
        self._lock = threading.Lock()

    def read(self, image: Image.Image, labels: bool = False) -> list[OcrWord]:
        tess = self._tesserocr
        words = []
        with self._lock:
            self._api.SetImage(image.convert("L"))
            self._api.Recognize()
            iterator = self._api.GetIterator()
            for item in tess.iterate_level(iterator, tess.RIL.WORD) if iterator else ():
                try:
                    text = (item.GetUTF8Text(tess.RIL.WORD) or "").strip()
                except RuntimeError:  # 'No text returned': a page without words
                    continue
                box = item.BoundingBox(tess.RIL.WORD)
                if text and box:
                    words.append(
                        OcrWord(
                            text,
                            tuple(float(v) for v in box),  # type: ignore[arg-type]
                            item.Confidence(tess.RIL.WORD) / 100,
                        )
                    )
        return words

    def read_line(self, image: Image.Image) -> OcrWord | None:
        tess = self._tesserocr
        with self._lock:
            self._api.SetPageSegMode(tess.PSM.SINGLE_LINE)
            try:
                self._api.SetImage(image.convert("L"))
                text = (self._api.GetUTF8Text() or "").strip()
                confidence = self._api.MeanTextConf() / 100
            finally:
                self._api.SetPageSegMode(tess.PSM.AUTO)
        return OcrWord(text, (0.0, 0.0, *image.size), confidence) if text else None


def _tessdata(lang: str) -> str:
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / f"{lang}.traineddata").exists():
            return folder + "/"
    raise OcrUnavailableError(
        f"Tesseract has no '{lang}' language data: apt-get install tesseract-ocr-{lang} "
        "(or set TESSDATA_PREFIX)"
    )


BACKENDS = {"rapidocr": RapidOcrBackend, "tesseract": TesseractBackend}
_backends: dict[str, OcrBackend] = {}
_cache: OrderedDict[tuple[str, str, bool], tuple[int, list[OcrWord]]] = OrderedDict()
_lock = threading.Lock()


def get_backend(name: str) -> OcrBackend:
    with _lock:
        if name not in _backends:
            try:
                _backends[name] = BACKENDS[name]()
            except KeyError:
                raise OcrUnavailableError(
                    f"unknown OCR backend {name!r}; choose one of {', '.join(BACKENDS)}"
                ) from None
        return _backends[name]


@dataclass(frozen=True)
class ReadingFrame:
    """Words as read: in the upright page (the scan turned by ``rotation`` degrees
    anticlockwise), in points, with the way back to the page as displayed."""

    words: tuple[Word, ...]
    rotation: int = 0
    page_width: float = 0.0  # the page as displayed, in points
    page_height: float = 0.0

    def to_page(self, box: BBox) -> BBox:
        if not self.rotation:
            return box
        x0, y0, x1, y1 = _unrotate_box(
            box.as_tuple(), self.rotation, self.page_width, self.page_height
        )
        return BBox(x0, y0, x1, y1)

    def page_words(self) -> tuple[Word, ...]:
        """The words with their boxes on the page as displayed (what grounding reports)."""
        if not self.rotation:
            return self.words
        return tuple(replace(w, bbox=self.to_page(w.bbox)) for w in self.words)


def ocr_page(page: Page, backend: str, dpi: float = OCR_DPI, labels: bool = False) -> ReadingFrame:
    """The page's words by OCR, read with the page turned upright (at ``ocr_dpi``). A page
    is read once per backend: the engine and grounding share its reading."""
    readings = _readings.setdefault(page, {})
    key = (backend, dpi, labels)
    if key not in readings:
        readings[key] = _ocr_page(page, backend, ocr_dpi(page, dpi), labels)
    return readings[key]


# The readings of the pages alive (a page is built per use, so this holds no page longer).
_readings: weakref.WeakKeyDictionary[Page, dict[tuple[str, float, bool], ReadingFrame]] = (
    weakref.WeakKeyDictionary()
)


def read_only_for_labels(page: Page, backend: str) -> bool:
    """Whether ``page`` was read by ``backend``, and only for a chart's labels."""
    keys = [key for key in _readings.get(page, {}) if key[0] == backend]
    return bool(keys) and all(labels for _, _, labels in keys)


def ocr_dpi(page: Page, dpi: float = OCR_DPI) -> float:
    """The resolution to read ``page`` at: ``dpi``, except that an image stating no
    resolution is read at its own pixels unless small, that a small PDF page is read
    enlarged (see ``OCR_MIN_SIDE``), and that no page is read at more than
    ``OCR_MAX_PIXELS``."""
    if page.document.kind == "image" and not page.image_dpi_stated and page.pixel_size:
        enlarge = OCR_MIN_SIDE / max(page.pixel_size)
        dpi = page.image_dpi * min(max(1.0, enlarge), dpi / page.image_dpi)
    elif page.document.kind == "pdf":
        # A chart printed as a page of its own: its labels, small in few pixels, are
        # missed by a detector that reads a larger image whole (half an axis's numbers).
        side = max(page.width, page.height) * dpi / 72
        dpi *= min(max(1.0, OCR_MIN_SIDE / side), SMALL_PAGE_ENLARGE)
    pixels = page.width * page.height * (dpi / 72) ** 2
    if pixels > OCR_MAX_PIXELS:
        dpi *= math.sqrt(OCR_MAX_PIXELS / pixels)
    return dpi


def _ocr_page(page: Page, backend: str, dpi: float, labels: bool) -> ReadingFrame:
    from docvlm.raster import PymupdfRasteriser

    image = PymupdfRasteriser().render(page, dpi)
    rotation, words = read_image(image, backend, labels)
    scale = 72.0 / dpi
    upright = [
        Word(
            w.text,
            BBox(w.box[0] * scale, w.box[1] * scale, w.box[2] * scale, w.box[3] * scale),
            angle=w.angle,
        )
        for w in words
    ]
    return ReadingFrame(tuple(_reading_order(upright)), rotation, page.width, page.height)


def read_image(image: Image.Image, backend: str, labels: bool = False) -> tuple[int, list[OcrWord]]:
    """OCR an image (cached by its pixels); returns the rotation applied and the words in the
    rotated image's pixels."""
    key = (hashlib.sha1(image.tobytes()).hexdigest() + f"{image.size}", backend, labels)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    reader = get_backend(backend)
    rotation = detect_rotation(image)
    upright = image.rotate(rotation, expand=True) if rotation else image
    result = (rotation, reader.read(upright, labels))
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


_osd: list[Any] = []  # one orientation detector, built on first use ([None] when unavailable)


def detect_rotation(image: Image.Image) -> int:
    """Counter-clockwise degrees (0/90/180/270) that turn the page upright, from Tesseract's
    orientation detection when its data is installed; 0 otherwise."""
    with _lock:
        if not _osd:
            _osd.append(_orientation_detector())
        api = _osd[0]
        if api is None:
            return 0
        api.SetImage(image.convert("L"))
        result = api.DetectOrientationScript()
    if not result or result.get("orient_conf", 0) < 2.0:
        return 0
    return int(result["orient_deg"]) % 360


def _orientation_detector() -> Any:
    """Tesseract in orientation-only mode, or None without tesserocr or its 'osd' data."""
    try:
        import tesserocr

        path = _tessdata("osd")
    except (ImportError, OcrUnavailableError):
        return None
    return tesserocr.PyTessBaseAPI(path=path, lang="osd", psm=tesserocr.PSM.OSD_ONLY)


def _unrotate_box(
    box: tuple[float, float, float, float], rotation: int, width: float, height: float
) -> tuple[float, float, float, float]:
    """Map a box in the upright image back to the original image's pixels."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)]
    mapped = [_unrotate_point(x, y, rotation, width, height) for x, y in corners]
    xs, ys = [p[0] for p in mapped], [p[1] for p in mapped]
    return min(xs), min(ys), max(xs), max(ys)


def _unrotate_point(
    x: float, y: float, rotation: int, width: float, height: float
) -> tuple[float, float]:
    # Image.rotate(r, expand=True) turns counter-clockwise by r degrees.
    if rotation == 90:
        return width - y, x
    if rotation == 180:
        return width - x, height - y
    if rotation == 270:
        return y, height - x
    return x, y


def _reading_order(words: list[Word]) -> list[Word]:
    """Words sorted into lines (top to bottom) and along each line (left to right); a
    turned text line (read as one word) is a line of its own, after them: its upright box
    spans the rows of its neighbours."""
    turned = [w for w in words if w.angle]
    words = [w for w in words if not w.angle]
    if not words:
        return [replace(w, block=0, line=n, bold=False) for n, w in enumerate(turned)]
    ordered = sorted(words, key=lambda w: w.bbox.center[1])
    lines: list[list[Word]] = [[ordered[0]]]
    for word in ordered[1:]:
        line = lines[-1]
        reference = sum(w.bbox.center[1] for w in line) / len(line)
        height = max(w.bbox.height for w in line)
        if abs(word.bbox.center[1] - reference) <= 0.5 * max(height, word.bbox.height):
            line.append(word)
        else:
            lines.append([word])
    out = []
    for number, line in enumerate(lines):
        for word in sorted(line, key=lambda w: w.bbox.x0):
            out.append(replace(word, block=0, line=number, bold=False))
    for number, line in enumerate(_turned_lines(turned), len(lines)):
        out += [replace(word, block=0, line=number, bold=False) for word in line]
    return out


def _turned_lines(turned: list[Word]) -> list[list[Word]]:
    """Turned words by text line, left to right: an upright line read again turned level
    comes as its words, one above the other in a column as wide as the text is high, a
    space apart; a word turned otherwise is a line of its own."""
    lines: list[list[Word]] = []
    for word in sorted(turned, key=lambda w: (w.bbox.x0, w.bbox.y0)):
        line = next((line for line in lines if _upright_after(line[-1], word)), None)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    return lines


def _upright_after(last: Word, word: Word) -> bool:
    a, b = last.bbox, word.bbox
    if last.angle != word.angle or word.angle % 180 != 90:
        return False
    across = min(a.x1, b.x1) - max(a.x0, b.x0)
    gap = max(a.y0 - b.y1, b.y0 - a.y1)
    return across >= 0.8 * min(a.width, b.width) and gap <= max(a.width, b.width)


def page_words(page: Page, ocr: str | None, labels: bool = False) -> tuple[ReadingFrame, str]:
    """The words to read a page by: its text layer when present and sane, else OCR (when
    ``ocr`` names a backend; ``labels``: a chart's, see ``OcrBackend.read``). Returns them
    with where they came from."""
    if has_usable_text(page) or ocr is None:
        return ReadingFrame(page.words, 0, page.width, page.height), "text"
    return ocr_page(page, ocr, labels=labels), f"ocr:{ocr}"


def has_usable_text(page: Page) -> bool:
    """A text layer worth reading: enough words, mostly letters and digits, and not a scan
    (pictures covering ``SCAN_COVER`` of the page) with a few stray words. A figure within
    the margins, its caption in the text layer, leaves the text usable (no OCR)."""
    words = page.words
    if len(words) < 3:
        return False
    # Rules typed as characters ("_____", "......") are neither letters nor garbage.
    text = "".join(w.text for w in words if len(w.text) < 3 or len(set(w.text)) > 1)
    readable = sum(ch.isalnum() for ch in text) / max(1, len(text))
    if readable < 0.5:
        return False
    if page.document.kind == "pdf" and len(words) < 20:
        covered = sum(max(0.0, p.width) * max(0.0, p.height) for p in page.pictures)
        if covered > SCAN_COVER * page.bbox.area:
            return False
    return True
