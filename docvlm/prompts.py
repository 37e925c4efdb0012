"""Prompts for engines that read images: built from the schema, the tile and the page's words."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from docvlm.document import Page
from docvlm.tiling import Tile

MAX_HINT_WORDS = 400


def response_schema(model: type[BaseModel]) -> dict[str, Any]:
    """What an engine must answer: ``{"records": [<record>, ...]}`` (a tile may hold several)."""
    record = model.model_json_schema()
    defs = record.pop("$defs", {})
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"records": {"type": "array", "items": record}},
        "required": ["records"],
        "additionalProperties": False,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def task_of(model: type[BaseModel]) -> str:
    task = getattr(model, "task", "")
    if task:
        return str(task)
    fields = "; ".join(
        f"{name}: {field.description}" if field.description else name
        for name, field in model.model_fields.items()
    )
    doc = (model.__doc__ or "").strip()
    return f"Extract {model.__name__} records{f' ({doc})' if doc else ''}. Fields: {fields}."


def build_prompt(model: type[BaseModel], page: Page, tile: Tile, n_tiles: int) -> str:
    """The instruction for one tile: task, answer schema, tile position and text hints."""
    parts = [
        task_of(model),
        "Answer with JSON only, matching this JSON Schema; use an empty records list when "
        "the image holds none:",
        json.dumps(response_schema(model), separators=(",", ":")),
    ]
    if n_tiles > 1:
        box = tile.bbox
        parts.append(
            f"The image is tile {tile.index + 1} of {n_tiles} of page {page.number}, covering "
            f"x {box.x0:.0f}-{box.x1:.0f} and y {box.y0:.0f}-{box.y1:.0f} of a "
            f"{page.width:.0f}x{page.height:.0f} pt page; records may be cut at its edges."
        )
    hints = [w.text for w in page.words if tile.bbox.contains_point(*w.bbox.center)]
    if hints:
        parts.append(
            "The page's text layer has these words in this area, in reading order (use them "
            "to spell values exactly): " + " ".join(hints[:MAX_HINT_WORDS])
        )
    return "\n\n".join(parts)


def repair_prompt(prompt: str, answer: str, error: str) -> str:
    """Ask again once, showing the invalid answer and why it was refused."""
    return (
        f"{prompt}\n\nYour previous answer was not valid:\n{answer[:4000]}\n\n"
        f"Problem: {error}\nAnswer again with corrected JSON only."
    )
