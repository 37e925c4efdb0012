"""Loading documents: PDFs through pymupdf, images through Pillow.

A :class:`Document` knows its pages; a :class:`Page` knows its size in points, its
rotation, its text layer (words with boxes) and, for PDFs, its vector drawings. All
coordinates are in points in the page as displayed (rotation applied), origin top-left.
Nothing is rasterised here, and pages are built one at a time as they are asked for.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import re
import struct
import sys
import threading
import warnings
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
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
from docvlm.page_content import Drawing as Drawing
from docvlm.page_content import Word as Word
from docvlm.page_content import read_drawings, read_words
from docvlm.pages import PageSpec, select_pages

if TYPE_CHECKING:
    import pymupdf
else:
    from docvlm.pymupdf_import import pymupdf

# A path, the file's bytes (or any buffer: a memoryview), or a binary file object.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO

# Above this many pixels an image page is refused before it is decoded: a guard against
# decompression bombs (a few KB of PNG that inflate to gigabytes).
MAX_IMAGE_PIXELS = 200_000_000
IMAGE_FORMATS = {"PNG", "JPEG", "TIFF", "WEBP", "MPO"}
_DEFAULT_IMAGE_DPI = 72.0  # images without resolution metadata: one pixel is one point


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
        return () if self._pdf_page is None else read_words(self._pdf_page)

    @property
    def has_text_layer(self) -> bool:
        return bool(self.words)

    @cached_property
    def drawings(self) -> tuple[Drawing, ...]:
        """The page's vector paths (PDF only), in displayed-page coordinates (see
        :func:`~docvlm.page_content.read_drawings`)."""
        return () if self._pdf_page is None else read_drawings(self._pdf_page)

    @cached_property
    def pictures(self) -> tuple[BBox, ...]:
        """The boxes of the pictures placed on the page (PDF only), as pymupdf's
        ``get_image_info`` gives them; read once, for the readers that ask."""
        return tuple(BBox(*info["bbox"]) for info in self._picture_info)

    @cached_property
    def picture_dpi(self) -> tuple[float, ...]:
        """Each picture's resolution as placed on the page (its pixels per inch of its box,
        however turned), in the order of :attr:`pictures`."""
        return tuple(
            72.0 * math.sqrt(info["width"] * info["height"] / max(1e-6, box.area))
            for info, box in zip(self._picture_info, self.pictures, strict=True)
        )

    @cached_property
    def _picture_info(self) -> list[dict[str, Any]]:
        return [] if self._pdf_page is None else self._pdf_page.get_image_info()

    def image(self, max_pixels: int | None = None) -> Image.Image:
        """The page's own image (image documents only): at its native resolution, or
        shrunk by a whole factor to at most ``max_pixels`` (a JPEG is then decoded at the
        smaller size directly, and nothing larger is held in memory). ``pixel_size``
        against the image's size gives the factor."""
        return self.document._image_frame(self.index, max_pixels)


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
            image = _on_white(image)
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


def _on_white(image: Image.Image) -> Image.Image:
    """A see-through image laid on white, as a viewer or a printed page shows it. Dropping
    its alpha instead shows the colour stored under it, often black: a chart saved with a
    transparent ground would read as black text on black."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode not in ("RGBA", "LA", "PA"):
        return image
    white = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, image.convert("RGBA")).convert("RGB")


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
