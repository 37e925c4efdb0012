"""docvlm: PDFs, scans and chart images to typed records and DataFrames."""

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
    SchemaError,
    UnsupportedFileError,
)
from docvlm.geometry import BBox
from docvlm.pipeline import extract
from docvlm.result import ExtractedRecord, PageError, Provenance, Region, Result
from docvlm.schemas import Chart, KeyValues, Menu, Table
from docvlm.tiling import Tile, TileOptions, TilePlan

__version__ = "0.1.0"

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
    "register_engine",
]
