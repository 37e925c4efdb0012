"""docvlm: PDFs, scans and chart images to typed records and DataFrames.

The public names below are imported on first use (PEP 562), so ``import docvlm`` and the
``docvlm`` command start without loading pymupdf, pandas, Pillow or the engines.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from docvlm.errors import (
    CorruptDocumentError,
    DocumentNotFoundError,
    DocvlmError,
    EmptyDocumentError,
    EncryptedDocumentError,
    EngineUnavailableError,
    ExtractionError,
    PageSelectionError,
    PageTooLargeError,
    ResultsFileError,
    SchemaError,
    UnsupportedFileError,
)
from docvlm.version import __version__

if TYPE_CHECKING:
    from docvlm.ask import AskResult, PageAnswer, ask
    from docvlm.document import Document, Drawing, Page, Word
    from docvlm.engines.base import (
        Engine,
        EngineCapabilities,
        EngineReply,
        FoundRecord,
        TileRequest,
        available_engines,
        get_engine,
        register_engine,
    )
    from docvlm.geometry import BBox
    from docvlm.loading import load_results
    from docvlm.pipeline import extract
    from docvlm.provenance import Provenance, Region
    from docvlm.result import ExtractedRecord, PageError, Result
    from docvlm.schemas import Chart, KeyValues, Menu, Table
    from docvlm.tiling import Tile, TileOptions, TilePlan


# Where each lazily imported public name lives.
_LAZY = {
    "AskResult": "docvlm.ask",
    "PageAnswer": "docvlm.ask",
    "ask": "docvlm.ask",
    "Document": "docvlm.document",
    "Drawing": "docvlm.document",
    "Page": "docvlm.document",
    "Word": "docvlm.document",
    "Engine": "docvlm.engines.base",
    "EngineCapabilities": "docvlm.engines.base",
    "EngineReply": "docvlm.engines.base",
    "FoundRecord": "docvlm.engines.base",
    "TileRequest": "docvlm.engines.base",
    "available_engines": "docvlm.engines.base",
    "get_engine": "docvlm.engines.base",
    "register_engine": "docvlm.engines.base",
    "BBox": "docvlm.geometry",
    "extract": "docvlm.pipeline",
    "load_results": "docvlm.loading",
    "ExtractedRecord": "docvlm.result",
    "PageError": "docvlm.result",
    "Provenance": "docvlm.provenance",
    "Region": "docvlm.provenance",
    "Result": "docvlm.result",
    "Chart": "docvlm.schemas",
    "KeyValues": "docvlm.schemas",
    "Menu": "docvlm.schemas",
    "Table": "docvlm.schemas",
    "Tile": "docvlm.tiling",
    "TileOptions": "docvlm.tiling",
    "TilePlan": "docvlm.tiling",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'docvlm' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Package(types.ModuleType):
    """``docvlm.ask`` is the function, although ``docvlm/ask.py`` is also a module: importing
    the module (``from docvlm.ask import AskResult``) must not rebind the name to it."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "AskResult",
    "BBox",
    "Chart",
    "CorruptDocumentError",
    "Document",
    "DocumentNotFoundError",
    "DocvlmError",
    "Drawing",
    "EmptyDocumentError",
    "EncryptedDocumentError",
    "Engine",
    "EngineCapabilities",
    "EngineReply",
    "EngineUnavailableError",
    "ExtractedRecord",
    "ExtractionError",
    "FoundRecord",
    "KeyValues",
    "Menu",
    "Page",
    "PageAnswer",
    "PageError",
    "PageSelectionError",
    "PageTooLargeError",
    "Provenance",
    "Region",
    "Result",
    "ResultsFileError",
    "SchemaError",
    "Table",
    "Tile",
    "TileOptions",
    "TilePlan",
    "TileRequest",
    "UnsupportedFileError",
    "Word",
    "__version__",
    "ask",
    "available_engines",
    "extract",
    "get_engine",
    "load_results",
    "register_engine",
]
