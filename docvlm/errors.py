"""docvlm's exceptions: one base class, one subclass per thing a user can act on.

Every error carries a one-line message that names the file (when there is one) and the
cause. Errors must survive pickling because work may run in process pools, so each class
keeps its constructor arguments in ``args`` and rebuilds itself from them.
"""

from __future__ import annotations


class DocvlmError(Exception):
    """Base class of every error docvlm raises on purpose."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message, path)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[type[DocvlmError], tuple[str, str | None]]:
        return (type(self), (self.message, self.path))


class DocumentNotFoundError(DocvlmError, FileNotFoundError):
    """The path does not exist or is not a readable file."""


class UnsupportedFileError(DocvlmError):
    """The file is not a document docvlm can read (not a PDF or a supported image)."""


class CorruptDocumentError(DocvlmError):
    """The file claims to be a PDF or image but is truncated or damaged beyond repair."""


class EncryptedDocumentError(DocvlmError):
    """The PDF is password-protected: pass ``password=`` (CLI: ``--password``)."""


class EmptyDocumentError(DocvlmError):
    """The document has no pages, or the page selection matches none of them."""


class PageSelectionError(DocvlmError):
    """A page selection such as ``"1-3,7"`` is malformed or out of range."""


class PageTooLargeError(DocvlmError):
    """Rasterising the page would exceed the pixel cap (a guard against decompression bombs)."""


class EngineUnavailableError(DocvlmError):
    """The engine is unknown, or its dependencies or model weights are not installed."""


class ResultsFileError(DocvlmError):
    """A results file (the JSON or JSONL that ``docvlm extract`` writes) cannot be read back:
    not that JSON, or records of a schema that is not given."""


class SchemaError(DocvlmError):
    """The schema given is not a known name, a Pydantic model, or a usable JSON Schema file."""


class ExtractionError(DocvlmError):
    """An engine's answer could not be turned into a valid record, even after a retry."""

    usage: dict[str, int] | None = None  # what the failed attempts cost, when known
