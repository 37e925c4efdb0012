"""pymupdf, imported without its layout analyser.

``import pymupdf`` imports ``pymupdf.layout`` too when it is installed, which loads an ONNX
model (about a second and 200 MiB); only the table reader needs it, and it imports
``pymupdf.layout`` (which activates it) when it first reads a table. Every docvlm module
that needs pymupdf before that imports it from here.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING


def _import_pymupdf() -> ModuleType:
    """pymupdf, its ``pymupdf.layout`` left unimported (see the module's docstring)."""
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
