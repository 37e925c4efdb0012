"""A page's records from its tiles' grounded records (see :mod:`docvlm.merge`)."""

from __future__ import annotations

from pydantic import BaseModel

from docvlm.extraction import TileResult
from docvlm.geometry import near
from docvlm.merge.lists import join_lists
from docvlm.merge.readings import Candidate, Reading, absorbed, agree, field_box, resolve
from docvlm.merge.stitching import stitch_tables
from docvlm.result import ExtractedRecord
from docvlm.schemas.base import Record

TOUCH = 12.0  # points: boxes this close belong to one record cut by a tile edge


def merge_page(tile_results: list[TileResult], page_number: int) -> list[ExtractedRecord]:
    """The page's records from its tiles' grounded records, in reading order."""
    candidates = [
        Candidate.from_tile(result, found, page_number)
        for result in tile_results
        for found in result.records
    ]
    merged: list[Candidate] = []
    for model in dict.fromkeys(c.model for c in candidates):
        group = _collapse_twins([c for c in candidates if c.model is model])
        merged.extend(_join(group, model))
    return [c.to_record() for c in sorted(merged, key=_reading_order)]


def _join(group: list[Candidate], model: type[BaseModel]) -> list[Candidate]:
    """The records of one class read by several tiles, joined as the class says
    (``Record.merge_as``; a user's model that is no Record has plain fields)."""
    merge_as = model.merge_as if issubclass(model, Record) else "fields"
    if merge_as == "table":
        return [stitch_tables(part) for part in _touching(group)]
    if merge_as == "list" and issubclass(model, Record):
        return [join_lists(part, model) for part in _touching(group)]
    return _join_scalar_records(group)


# -- identical records -------------------------------------------------------------------


def _collapse_twins(candidates: list[Candidate]) -> list[Candidate]:
    """Identical records whose boxes overlap (or that have none) are one record."""
    kept: list[Candidate] = []
    for candidate in candidates:
        twin = next(
            (
                k
                for k in kept
                if k.data == candidate.data
                and (k.bbox is None or candidate.bbox is None or near(k.bbox, candidate.bbox, 0))
            ),
            None,
        )
        if twin is None:
            kept.append(candidate)
            continue
        twin.tiles.extend(candidate.tiles)
        for path, other in candidate.fields.items():
            mine = twin.fields.get(path)
            if mine is None:
                twin.fields[path] = other
            else:
                twin.fields[path] = agree(mine, other)
        if twin.bbox is None:
            twin.bbox = candidate.bbox
    return kept


# -- records of plain fields -------------------------------------------------------------


def _join_scalar_records(candidates: list[Candidate]) -> list[Candidate]:
    """Records of plain fields (a user's model, a chart) from several tiles: two are one
    when they share a value found at the same place; their fields are then resolved."""
    kept: list[Candidate] = []
    for candidate in candidates:
        twin = next((k for k in kept if _share_a_grounded_value(k, candidate)), None)
        if twin is None:
            kept.append(candidate)
            continue
        fields = dict(twin.fields)
        for key, value in candidate.data.items():
            if isinstance(value, dict | list):
                continue
            tile = candidate.tiles[0] if candidate.tiles else None
            readings = [
                Reading(twin.data.get(key), twin.fields.get(key), None),
                Reading(value, candidate.fields.get(key), tile),
            ]
            twin.data[key], winner = resolve(readings)
            if winner is not None:
                fields[key] = winner
        absorbed(twin, [twin, candidate], fields)
    return kept


def _share_a_grounded_value(a: Candidate, b: Candidate) -> bool:
    if a.tiles and b.tiles and set(a.tiles) & set(b.tiles):
        return False  # records of one tile are distinct by the engine's own account
    for path, fa in a.fields.items():
        fb = b.fields.get(path)
        box_a, box_b = field_box(fa), field_box(fb)
        if box_a is not None and box_b is not None and near(box_a, box_b, 0):
            return True
    return False


# -- geometry and order ------------------------------------------------------------------


def _touching(candidates: list[Candidate]) -> list[list[Candidate]]:
    """Groups of records from different tiles whose boxes touch (records without a box
    stay alone)."""
    groups: list[list[Candidate]] = []
    for candidate in candidates:
        joined = [
            g
            for g in groups
            if candidate.bbox is not None
            and any(
                m.bbox is not None
                and not set(m.tiles) & set(candidate.tiles)
                and near(m.bbox, candidate.bbox, TOUCH)
                for m in g
            )
        ]
        for g in joined:
            groups.remove(g)
        groups.append([m for g in joined for m in g] + [candidate])
    return groups


def _reading_order(candidate: Candidate) -> tuple[float, float, int]:
    first_tile = min(candidate.tiles) if candidate.tiles else 0
    if candidate.bbox is None:
        return (float("inf"), 0.0, first_tile)
    return (candidate.bbox.y0, candidate.bbox.x0, first_tile)
