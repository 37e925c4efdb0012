"""A worker's results on their way back: made picklable in the worker (records of a model
built at run time travel as plain data), then, in the parent, rebuilt and the ranges of one
document merged into one Result equal to a one-worker run's."""

from __future__ import annotations

import pickle
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from docvlm.errors import DocvlmError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from docvlm.result import Result
    from docvlm.schemas import SchemaSpec


def picklable(result: Result | DocvlmError) -> Result | DocvlmError:
    """``result`` as it can travel back: records of a model built at run time (from a JSON
    Schema file), which pickle cannot name, go as plain data and are rebuilt there."""
    if isinstance(result, DocvlmError) or not result.items:
        return result
    try:
        pickle.dumps(type(result.items[0].record))
    except (pickle.PicklingError, AttributeError, TypeError):
        result.items = [replace(item, record=item.record.model_dump()) for item in result.items]
    return result


def merge_ranges(
    parts: list[tuple[Result | DocvlmError, float]], schema: SchemaSpec, merge_pages: bool
) -> Result | DocvlmError:
    """One document's result from its ranges' (in page order), as one worker would give:
    records and page errors and warnings in page order, the document's own once."""
    from docvlm.merge import join_continued_tables

    outcomes = [outcome for outcome, _ in parts]
    failure = next((o for o in outcomes if isinstance(o, DocvlmError)), None)
    if failure is not None:
        return failure
    results: list[Result] = [o for o in outcomes if not isinstance(o, DocvlmError)]
    merged = results[0]
    for part in results[1:]:
        merged.items.extend(part.items)
        merged.page_numbers.extend(part.page_numbers)
        merged.pages_total += part.pages_total  # each counts its range's selected pages
        merged.pages_failed += part.pages_failed
        merged.errors.extend(e for e in part.errors if e.page is not None or e not in merged.errors)
        merged.warnings.extend(part.warnings)
        for key, value in part.usage.items():
            merged.usage[key] = merged.usage.get(key, 0) + value
    _restore_records(merged, schema)
    merged.errors.sort(key=lambda error: error.page or 0)
    # Warnings about the whole document (an engine's fallback) come last, once.
    whole: list[Any] = []
    for warning in merged.warnings:
        if warning.page is None and warning not in whole:  # models: not hashable
            whole.append(warning)
    merged.warnings = [w for w in merged.warnings if w.page is not None] + whole
    if len(results) > 1 and merge_pages:
        merged.items = join_continued_tables(merged.items)
    return merged


def _restore_records(result: Result, schema: SchemaSpec) -> None:
    """Records that travelled as plain data (see ``picklable``) as the schema's model."""
    if not any(isinstance(item.record, dict) for item in result.items):
        return
    from docvlm.schemas import resolve_schema

    model: type[BaseModel] = resolve_schema(schema)
    result.items = [
        replace(item, record=model.model_validate(item.record))
        if isinstance(item.record, dict)
        else item
        for item in result.items
    ]
