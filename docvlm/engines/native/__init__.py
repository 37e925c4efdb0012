"""The native engine: extraction without any model, from the page's own text and drawings."""

from docvlm.engines.native.engine import NativeEngine

__all__ = ["NativeEngine"]
