"""Engines: the one place model runtimes and HTTP clients are imported. Each engine reads
one tile (``docvlm.engines.base``); ``native`` needs no model.

This package exports what engine authors need: the :class:`Engine` base class, what goes
in and out of it, the options models and the registry.

Names are imported on first use (PEP 562), as in the root package, so importing
``docvlm.engines.anything`` loads no engine and the ``docvlm`` command starts at once.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docvlm.engines.base import (
        Engine,
        EngineCapabilities,
        EngineProtocol,
        EngineReply,
        FoundRecord,
        TileRequest,
    )
    from docvlm.engines.options import (
        AnthropicOptions,
        EngineOptions,
        NativeOptions,
        OpenAIOptions,
        TransformersOptions,
    )
    from docvlm.engines.registry import (
        EngineSpec,
        available_engines,
        get_engine,
        register_engine,
    )

_LAZY = {
    "Engine": "docvlm.engines.base",
    "EngineCapabilities": "docvlm.engines.base",
    "EngineProtocol": "docvlm.engines.base",
    "EngineReply": "docvlm.engines.base",
    "FoundRecord": "docvlm.engines.base",
    "TileRequest": "docvlm.engines.base",
    "AnthropicOptions": "docvlm.engines.options",
    "EngineOptions": "docvlm.engines.options",
    "NativeOptions": "docvlm.engines.options",
    "OpenAIOptions": "docvlm.engines.options",
    "TransformersOptions": "docvlm.engines.options",
    "EngineSpec": "docvlm.engines.registry",
    "available_engines": "docvlm.engines.registry",
    "get_engine": "docvlm.engines.registry",
    "register_engine": "docvlm.engines.registry",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'docvlm.engines' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AnthropicOptions",
    "Engine",
    "EngineCapabilities",
    "EngineOptions",
    "EngineProtocol",
    "EngineReply",
    "EngineSpec",
    "FoundRecord",
    "NativeOptions",
    "OpenAIOptions",
    "TileRequest",
    "TransformersOptions",
    "available_engines",
    "get_engine",
    "register_engine",
]
