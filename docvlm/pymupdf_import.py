"""pymupdf, imported without its layout analyser and its Markdown converter.

``import pymupdf`` imports ``pymupdf.layout`` too when it is installed, which loads an ONNX
model (about a second and 200 MiB); only the table reader needs it, and it imports
``pymupdf.layout`` (which activates it) when it first reads a table. It also imports
``pymupdf4llm`` (for ``Page.to_markdown``; 0.16 s of its 0.25 s), which docvlm never
calls: that import waits until something does, so that each worker process of a batch
starts that much sooner. Every docvlm module that needs pymupdf imports it from here.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

_DEFERRED = ("pymupdf.layout", "pymupdf4llm")


class _ImportedOnUse:
    """Stands for ``pymupdf4llm`` in pymupdf's namespace: true when it is installed (what
    pymupdf asks before calling it), imported on first use of an attribute."""

    def __bool__(self) -> bool:
        return importlib.util.find_spec("pymupdf4llm") is not None

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module("pymupdf4llm"), name)


def _import_pymupdf() -> ModuleType:
    """pymupdf, its ``pymupdf.layout`` and ``pymupdf4llm`` left unimported (see the
    module's docstring)."""
    if "pymupdf" in sys.modules:
        return sys.modules["pymupdf"]
    deferred = [name for name in _DEFERRED if name not in sys.modules]
    for name in deferred:
        sys.modules[name] = None  # type: ignore[assignment]  # makes it an ImportError
    try:
        import pymupdf
    finally:
        for name in deferred:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]
    if "pymupdf4llm" in deferred and getattr(pymupdf, "pymupdf4llm", True) is None:
        pymupdf.pymupdf4llm = _ImportedOnUse()
    # MuPDF prints its errors and warnings on standard output, where they would mix with a
    # command's output (JSON, CSV); docvlm says what failed in its own words.
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    # Glyph boxes from the font's own ascender and descender, as pymupdf4llm and the layout
    # analyser read them (pymupdf's default corrects them from the font's bounding box).
    pymupdf.TOOLS.unset_quad_corrections(True)
    return pymupdf


if TYPE_CHECKING:
    import pymupdf
else:
    pymupdf = _import_pymupdf()
