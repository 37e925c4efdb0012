"""Engines: the one place model runtimes and HTTP clients are imported. Each engine reads
one tile (``docvlm.engines.base``); ``native`` needs no model."""
