"""Loading documents: PDFs through pymupdf, images through Pillow.

A :class:`Document` knows its pages; a :class:`Page` knows its size in points, its
rotation, its text layer (words with boxes) and, for PDFs, its vector drawings. All
coordinates are in points in the page as displayed (rotation applied), origin top-left.
Nothing is rasterised here, and pages are built one at a time as they are asked for.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import os
import re
import struct
import sys
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from PIL import Image, UnidentifiedImageError

from docvlm.errors import (
    CorruptDocumentError,
    DocumentNotFoundError,
    EmptyDocumentError,
    EncryptedDocumentError,
    PageTooLargeError,
    UnsupportedFileError,
)
from docvlm.geometry import BBox
from docvlm.pages import PageSpec, select_pages


def _import_pymupdf() -> ModuleType:
    """pymupdf, without its layout analyser loaded yet. ``import pymupdf`` imports
    ``pymupdf.layout`` too, which loads an ONNX model (about a second); only the table
    reader needs it, and it imports ``pymupdf.layout`` (which activates it) when it first
    reads a table."""
    if "pymupdf" in sys.modules:
        return sys.modules["pymupdf"]
    deferred = "pymupdf.layout" not in sys.modules
    if deferred:
        sys.modules["pymupdf.layout"] = None  # type: ignore[assignment]  # makes it an ImportError
    try:
        import pymupdf
    finally:
        if deferred and sys.modules.get("pymupdf.layout", False) is None:
            del sys.modules["pymupdf.layout"]
    return pymupdf


if TYPE_CHECKING:
    import pymupdf
else:
    pymupdf = _import_pymupdf()

# A path, the file's bytes (or any buffer: a memoryview), or a binary file object.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

# Above this many pixels an image page is refused before it is decoded: a guard against
# decompression bombs (a few KB of PNG that inflate to gigabytes).
MAX_IMAGE_PIXELS = 200_000_000
IMAGE_FORMATS = {"PNG", "JPEG", "TIFF", "WEBP", "MPO"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}
_DEFAULT_IMAGE_DPI = 72.0  # images without resolution metadata: one pixel is one point


@dataclass(frozen=True)
class Word:
    """One word of a page's text layer, in reading order (block, line, word)."""

    text: str
    bbox: BBox
    block: int = 0
    line: int = 0
    bold: bool = False
    angle: float = 0.0  # the writing direction as displayed, degrees anticlockwise


@dataclass(frozen=True)
class Drawing:
    """One vector path of a PDF page: its box, colours and stroke width."""

    bbox: BBox
    kind: Literal["stroke", "fill", "fill+stroke"]
    stroke: tuple[float, ...] | None
    fill: tuple[float, ...] | None
    width: float
    items: tuple[tuple[Any, ...], ...]


_DRAWING_KINDS: dict[str, Literal["stroke", "fill", "fill+stroke"]] = {
    "s": "stroke",
    "f": "fill",
    "fs": "fill+stroke",
}


class Page:
    """One page of a document. Build through :class:`Document`, not directly."""

    def __init__(self, document: Document, index: int) -> None:
        self.document = document
        self.index = index
        self.number = index + 1
        self.image_dpi = 72.0  # image pages: the resolution their points are measured at
        self.image_dpi_stated = False  # whether the image says its resolution (else 72)
        self.pixel_size: tuple[int, int] | None = None  # image pages: width, height in pixels
        if document.kind == "pdf":
            assert document._pdf is not None
            self._pdf_page: pymupdf.Page | None = document._pdf[index]
            rect = self._pdf_page.rect
            self.width, self.height = float(rect.width), float(rect.height)
            self.rotation = self._pdf_page.rotation % 360
        else:
            self._pdf_page = None
            w, h, dpi, stated = document._image_frame_size(index)
            self.image_dpi, self.image_dpi_stated, self.pixel_size = dpi, stated, (w, h)
            if w * h > MAX_IMAGE_PIXELS:
                raise PageTooLargeError(
                    f"the image is {w}x{h} pixels, over the cap of {MAX_IMAGE_PIXELS:,} pixels",
                    document.name,
                )
            self.width, self.height = w * 72.0 / dpi, h * 72.0 / dpi
            self.rotation = 0

    def __repr__(self) -> str:
        return (
            f"<Page {self.number} of {self.document.name}: {self.width:.0f}x{self.height:.0f} pt>"
        )

    @property
    def bbox(self) -> BBox:
        return BBox(0.0, 0.0, self.width, self.height)

    @property
    def pdf_page(self) -> pymupdf.Page:
        """The underlying pymupdf page (PDF documents only)."""
        if self._pdf_page is None:
            raise TypeError(f"{self.document.name}: page {self.number} is an image, not a PDF page")
        return self._pdf_page

    @cached_property
    def words(self) -> tuple[Word, ...]:
        """The text layer as words with boxes; empty for images and scanned PDF pages."""
        if self._pdf_page is None:
            return ()
        matrix = self._pdf_page.rotation_matrix
        upright = self._pdf_page.rotation % 360 == 0
        raw = self._pdf_page.get_text("rawdict", flags=pymupdf.TEXTFLAGS_WORDS)
        words = []
        for block_no, block in enumerate(raw["blocks"]):
            for line_no, line in enumerate(block.get("lines", ())):
                angle = _angle(line["dir"], matrix)
                for text, rect, bold in _line_words(line):
                    box = BBox(*rect) if upright else BBox(*(pymupdf.Rect(rect) * matrix))
                    words.append(Word(text, box, block_no, line_no, bold, angle))
        return tuple(words)

    @property
    def has_text_layer(self) -> bool:
        return bool(self.words)

    @cached_property
    def drawings(self) -> tuple[Drawing, ...]:
        """The page's vector paths (PDF only), in displayed-page coordinates. A shape filled
        with a pattern (hatching) is one fill of the pattern's colour over the shape: the
        pattern's own cell, drawn in its own coordinates, is not on the page."""
        if self._pdf_page is None:
            return ()
        matrix = self._pdf_page.rotation_matrix
        out = []
        # The clips in force: (level, number, box); and the clips already given as a fill.
        clips: list[tuple[int, int, pymupdf.Rect]] = []
        filled: set[int] = set()
        for number, path in enumerate(self._pdf_page.get_drawings(extended=True)):
            level = int(path.get("level") or 0)
            clips = [clip for clip in clips if clip[0] < level]
            if path["type"] == "clip":
                clips.append((level, number, pymupdf.Rect(path["scissor"])))
                continue
            kind = _DRAWING_KINDS.get(path["type"])
            if kind is None:  # groups carry no marks
                continue
            rect = pymupdf.Rect(path["rect"])
            if clips and path.get("fill") and _pattern_cell(rect, clips[-1][2]):
                _, clip_number, clip_box = clips[-1]
                if clip_number not in filled:
                    filled.add(clip_number)
                    out.append(_clip_fill(clip_box, tuple(path["fill"]), matrix))
                continue
            items = tuple(
                (item[0], *(_transform(p, matrix) for p in item[1:])) for item in path["items"]
            )
            out.append(
                Drawing(
                    bbox=BBox(*(rect * matrix)),
                    kind=kind,
                    stroke=tuple(path["color"]) if path.get("color") else None,
                    fill=tuple(path["fill"]) if path.get("fill") else None,
                    width=float(path.get("width") or 0.0),
                    items=items,
                )
            )
        return tuple(out)

    def image(self, max_pixels: int | None = None) -> Image.Image:
        """The page's own image (image documents only): at its native resolution, or
        shrunk by a whole factor to at most ``max_pixels`` (a JPEG is then decoded at the
        smaller size directly, and nothing larger is held in memory). ``pixel_size``
        against the image's size gives the factor."""
        return self.document._image_frame(self.index, max_pixels)


# A gap (or overlap) wider than this share of the font size splits a word even without a
# space: charts and forms often place separate labels as one run of text.
WORD_GAP = 0.3


Box = tuple[float, float, float, float]


def _line_words(line: dict[str, Any]) -> list[tuple[str, Box, bool]]:
    """Split one text line into words at spaces and at wide gaps between characters.

    Boxes are plain float tuples (x0, y0, x1, y1), joined as MuPDF joins rectangles (an empty
    box, of no width or no height, adds nothing): building ``pymupdf.Rect`` objects per
    character cost a tenth of a table page's time."""
    horizontal = abs(line["dir"][1]) < 1e-3
    words: list[tuple[str, Box, bool]] = []
    chars: list[str] = []
    rect: Box = (0.0, 0.0, 0.0, 0.0)
    bold = False
    last_x1: float | None = None

    def flush() -> None:
        nonlocal chars, rect, bold
        if chars:
            words.append(("".join(chars), rect, bold))
        chars, rect, bold = [], (0.0, 0.0, 0.0, 0.0), False

    for span in line["spans"]:
        size = span["size"]
        span_bold = bool(span["flags"] & 16)
        for char in span["chars"]:
            c = char["c"]
            if c.isspace():
                flush()
                last_x1 = None
                continue
            x0, y0, x1, y1 = char["bbox"]
            # A wide gap, or a jump back over the previous character, starts a new word.
            if horizontal and last_x1 is not None and abs(x0 - last_x1) > WORD_GAP * size:
                flush()
            if not chars:
                rect = (x0, y0, x1, y1)
            elif x0 < x1 and y0 < y1:
                a0, b0, a1, b1 = rect
                if a0 < a1 and b0 < b1:
                    rect = (min(a0, x0), min(b0, y0), max(a1, x1), max(b1, y1))
                else:
                    rect = (x0, y0, x1, y1)
            chars.append(c)
            bold = bold or span_bold
            last_x1 = x1
    flush()
    return words


def _pattern_cell(rect: pymupdf.Rect, clip: pymupdf.Rect) -> bool:
    """A fill drawn past the clip that holds it: a pattern's cell in its own coordinates
    (or a fill larger than the shape it is cut to), which shows as the clip's shape."""
    grown = pymupdf.Rect(clip.x0 - 1, clip.y0 - 1, clip.x1 + 1, clip.y1 + 1)
    return not grown.contains(rect)


def _clip_fill(clip: pymupdf.Rect, fill: tuple[float, ...], matrix: pymupdf.Matrix) -> Drawing:
    box = clip * matrix
    corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
    items = tuple(("l", a, b) for a, b in itertools.pairwise([*corners, corners[0]]))
    return Drawing(BBox(*box), "fill", None, fill, 0.0, items)


def _angle(direction: tuple[float, float], matrix: pymupdf.Matrix) -> float:
    """A text line's writing direction on the displayed page, in whole degrees
    anticlockwise (0 for ordinary text, 90 for text running up the page)."""
    dx = direction[0] * matrix.a + direction[1] * matrix.c
    dy = direction[0] * matrix.b + direction[1] * matrix.d
    return float(round(math.degrees(math.atan2(-dy, dx)))) + 0.0


def _transform(value: Any, matrix: pymupdf.Matrix) -> Any:
    if isinstance(value, pymupdf.Point):
        p = value * matrix
        return (p.x, p.y)
    if isinstance(value, pymupdf.Rect):
        return tuple(value * matrix)
    if isinstance(value, pymupdf.Quad):
        return tuple((q.x, q.y) for q in (value * matrix))
    return value


class Document:
    """A PDF or image document. Open one with :meth:`Document.open`."""

    kind: Literal["pdf", "image"]

    def __init__(
        self,
        data: bytes,
        name: str,
        path: str | None = None,
        pages: PageSpec = None,
        password: str | None = None,
    ) -> None:
        self.name = name
        self.path = path
        self.password = password
        self._data = data
        self._pdf: pymupdf.Document | None = None
        self._image: Image.Image | None = None
        if b"%PDF-" in data[:1024]:
            self.kind = "pdf"
            self._pdf = _open_pdf(data, name, password)
            count = self._pdf.page_count
        else:
            self.kind = "image"
            self._image = _open_image(data, name)
            try:
                count = getattr(self._image, "n_frames", 1)
            except _DECODING_ERRORS as exc:  # a damaged TIFF's directory of frames
                raise CorruptDocumentError(f"the image is damaged ({exc})", name) from exc
        if count == 0 and self._pdf is not None and self._pdf.is_repaired:
            raise CorruptDocumentError(
                "the PDF is damaged (truncated or corrupt): no page could be recovered", name
            )
        if count == 0:
            raise EmptyDocumentError("the document has no pages", name)
        self.page_count: int = count
        self.page_indices: list[int] = select_pages(pages, count, name)
        # Damage that did not stop the document from opening; the pipeline reports it.
        self.problems: list[str] = []
        if self._pdf is not None and self._pdf.is_repaired:
            self.problems.append(
                "the PDF is damaged (truncated or corrupt) and was repaired; content may be missing"
            )

    @classmethod
    def open(
        cls,
        source: Source,
        pages: PageSpec = None,
        password: str | None = None,
        name: str | None = None,
    ) -> Document:
        """Open ``source`` (a path, the file's bytes or a binary file object, read to its
        end); ``pages`` selects 1-based pages."""
        data, label = _read_source(source, name)
        path = os.fspath(source) if isinstance(source, str | os.PathLike) else None
        return cls(data, label, path, pages, password)

    def __len__(self) -> int:
        return len(self.page_indices)

    def __iter__(self) -> Iterator[Page]:
        """Yield the selected pages one by one; each is built only when reached."""
        for index in self.page_indices:
            yield Page(self, index)

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Document {self.name}: {self.kind}, {len(self)} of {self.page_count} pages>"

    def page(self, number: int) -> Page:
        """Page ``number`` (1-based), whether or not it is in the selection."""
        if not 1 <= number <= self.page_count:
            raise IndexError(f"{self.name}: no page {number} (1..{self.page_count})")
        return Page(self, number - 1)

    def pdf_bytes(self) -> bytes:
        """The PDF file's bytes (for renderers that read the file themselves)."""
        return self._data

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
        if self._image is not None:
            self._image.close()

    def _image_frame(self, index: int, max_pixels: int | None = None) -> Image.Image:
        # Decoded from a fresh handle: the document's own keeps only the header, and a
        # frame is decoded once, not decoded and then copied.
        image = _open_image(self._data, self.name)
        try:
            image.seek(index)
            width, height = image.size
            factor = _shrink_factor(width * height, max_pixels)
            if factor > 1 and image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale
                image.draft(image.mode, (math.ceil(width / factor), math.ceil(height / factor)))
            with _quiet_libtiff(image.format == "TIFF"):
                image.load()
            factor = _shrink_factor(image.width * image.height, max_pixels)
            if factor > 1:
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA" if "transparency" in image.info else "RGB")
                image = image.reduce(factor)  # the mean of each factor x factor block
        except _DECODING_ERRORS as exc:
            raise CorruptDocumentError(
                f"the image is damaged and cannot be decoded ({exc})", self.name
            ) from exc
        return image

    def _image_frame_size(self, index: int) -> tuple[int, int, float, bool]:
        assert self._image is not None
        try:
            self._image.seek(index)
        except _DECODING_ERRORS as exc:
            raise CorruptDocumentError(
                f"the image is damaged: the page cannot be found ({exc})", self.name
            ) from exc
        width, height = self._image.size
        dpi = self._image.info.get("dpi", (None,))[0]
        stated = bool(dpi) and dpi > 1
        return width, height, float(dpi if stated else _DEFAULT_IMAGE_DPI), stated


# What Pillow raises on a damaged image, beyond OSError: its plugins parse headers with
# SyntaxError, run out of data with EOFError or struct.error, and index tables they read.
_DECODING_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
)
_stderr_lock = threading.Lock()


@contextlib.contextmanager
def _quiet_libtiff(tiff: bool) -> Iterator[None]:
    """libtiff prints its decoding errors ('ZIPDecode: Decoding error at scanline 44')
    straight to the process's standard error (file descriptor 2); Pillow raises them as
    well, and docvlm reports them once, so while a TIFF decodes that stream goes to
    /dev/null (one decode at a time: the descriptor is the whole process's)."""
    if not tiff:
        yield
        return
    with _stderr_lock, open(os.devnull, "w") as null:
        if sys.stderr is not None:
            sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no standard error to quiet
            yield
            return
        try:
            os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _shrink_factor(pixels: int, max_pixels: int | None) -> int:
    """The smallest whole factor that brings ``pixels`` to ``max_pixels`` or fewer."""
    if not max_pixels or pixels <= max_pixels:
        return 1
    return math.ceil(math.sqrt(pixels / max_pixels))


def _read_source(source: Source, name: str | None) -> tuple[bytes, str]:
    """The file's bytes and the name to report it by."""
    if isinstance(source, str | os.PathLike):
        return _read_path(Path(source), name or str(source))
    if isinstance(source, bytes | bytearray | memoryview):
        data, label = bytes(source), name or "<bytes>"
    elif callable(getattr(source, "read", None)):
        label = name or _stream_name(source)
        try:
            data = source.read()
        except (OSError, ValueError) as exc:  # closed, or not open for reading
            raise DocumentNotFoundError(f"cannot be read ({exc})", label) from exc
        if isinstance(data, str):
            raise UnsupportedFileError(
                "the file object is open as text: open it in binary mode ('rb')", label
            )
        if not isinstance(data, bytes | bytearray | memoryview):
            raise UnsupportedFileError(
                f"the file object's read() gave {type(data).__name__}, not bytes", label
            )
        data = bytes(data)
    else:
        try:
            buffer: Any = source  # any other object with the buffer protocol
            data, label = bytes(memoryview(buffer)), name or "<bytes>"
        except TypeError:
            raise UnsupportedFileError(
                f"cannot read a {type(source).__name__}: give a path, the file's bytes or a "
                "binary file object",
                name,
            ) from None
    if not data:
        raise CorruptDocumentError("the file is empty", label)
    return data, label


def _stream_name(stream: Any) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and name else "<stream>"


def _read_path(path: Path, label: str) -> tuple[bytes, str]:
    if not path.exists():
        raise DocumentNotFoundError("no such file", label)
    if path.is_dir():
        raise UnsupportedFileError("is a directory, not a document", label)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentNotFoundError(f"cannot be read ({exc.strerror})", label) from exc
    if not data:
        raise CorruptDocumentError("the file is empty", label)
    return data, label


def _open_pdf(data: bytes, name: str, password: str | None) -> pymupdf.Document:
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
        if b"%%EOF" not in data[-2048:] and re.search(rb"\d+\s+\d+\s+obj\b", data[:65536]):
            raise CorruptDocumentError(
                f"the PDF is damaged (truncated: it has no end) and cannot be read ({exc})", name
            ) from exc
        raise CorruptDocumentError(f"not a readable PDF ({exc})", name) from exc
    if pdf.needs_pass:
        if password is None:
            raise EncryptedDocumentError(
                "the PDF is encrypted: give its password with --password (API: password=...)",
                name,
            )
        if not pdf.authenticate(password):
            raise EncryptedDocumentError("the password given with --password is wrong", name)
    return pdf


def _open_image(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings(), _pillow_bomb_limit():
            # Sizes are checked against docvlm's own cap page by page.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise UnsupportedFileError(
            "not a PDF or a supported image (PNG, JPEG, TIFF, WebP)", name
        ) from None
    except Image.DecompressionBombError as exc:
        raise PageTooLargeError(f"the image is too large to open safely ({exc})", name) from exc
    except OSError as exc:
        raise CorruptDocumentError(f"the image is damaged ({exc})", name) from exc
    if image.format not in IMAGE_FORMATS:
        raise UnsupportedFileError(
            f"{image.format} images are not supported (PNG, JPEG, TIFF, WebP)", name
        )
    return image


class _pillow_bomb_limit:
    """Raise Pillow's own decompression-bomb limit to docvlm's cap while opening."""

    def __enter__(self) -> None:
        self._saved = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

    def __exit__(self, *exc: object) -> None:
        Image.MAX_IMAGE_PIXELS = self._saved
