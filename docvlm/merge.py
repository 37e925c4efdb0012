"""Reconcile tile results into page records.

Overlapping tiles can report the same record twice: identical records whose boxes overlap
(or that carry no box) collapse into one, keeping every tile in the provenance. Records are
returned in reading order: by box, top to bottom then left to right, else by tile order.
"""

from __future__ import annotations

from docvlm.extraction import TileResult
from docvlm.result import ExtractedRecord, Provenance, Region
from docvlm.schemas import schema_name


def merge_page(tile_results: list[TileResult], page_number: int) -> list[ExtractedRecord]:
    merged: list[ExtractedRecord] = []
    for result in tile_results:
        for found in result.records:
            box = found.bbox.rounded().as_tuple() if found.bbox else None
            twin = _find_twin(merged, found.record.model_dump(), box)
            if twin is not None:
                twin.provenance.tiles.append(result.tile.index)
                continue
            provenance = Provenance(
                engine=result.engine,
                regions=[Region(page=page_number, bbox=box)],
                tiles=[result.tile.index],
                method=found.method,
            )
            record = found.record
            merged.append(ExtractedRecord(record, provenance, schema_name(type(record))))
    return sorted(merged, key=_reading_order)


def _find_twin(
    merged: list[ExtractedRecord], data: dict[str, object], box: tuple[float, ...] | None
) -> ExtractedRecord | None:
    for item in merged:
        other = item.provenance.regions[0].bbox
        if item.record.model_dump() == data and (
            box is None or other is None or _overlap(box, other)
        ):
            return item
    return None


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _reading_order(item: ExtractedRecord) -> tuple[float, float, int]:
    box = item.provenance.regions[0].bbox
    first_tile = item.provenance.tiles[0] if item.provenance.tiles else 0
    if box is None:
        return (float("inf"), 0.0, first_tile)
    return (box[1], box[0], first_tile)
