"""Readings being reconciled: a record on its way to the result with its fields'
provenance, and how two readings of one value become one (agreement or conflict)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import BaseModel

from docvlm.extraction import TileRecord, TileResult
from docvlm.geometry import BBox
from docvlm.grounding import normalise
from docvlm.merge.paths import path_key
from docvlm.provenance import (
    STATUS_RANK,
    Alternative,
    FieldProvenance,
    Provenance,
    Region,
    combine,
    field_confidence,
    mean_confidence,
)
from docvlm.result import ExtractedRecord
from docvlm.schemas import schema_name


class Reading(NamedTuple):
    """One reading of a value: the value, where it was found (None: not grounded) and the
    tile that read it (None: several, or not known)."""

    value: Any
    provenance: FieldProvenance | None
    tile: int | None


class Resolved(NamedTuple):
    """What several readings of a value settle on: the value, and its provenance (with the
    readings that lost as alternatives; None when none was grounded)."""

    value: Any
    provenance: FieldProvenance | None


@dataclass
class Candidate:
    """A record on its way to the result: its data, its fields' provenance by path, and
    where it was read."""

    model: type[BaseModel]
    data: dict[str, Any]
    fields: dict[str, FieldProvenance]
    page: int
    bbox: BBox | None
    tiles: list[int]
    engine: str
    method: str | None = None
    regions: list[Region] = field(default_factory=list)
    seen_in: BBox | None = None  # the tile it was read from (page points)

    @classmethod
    def from_tile(cls, result: TileResult, found: TileRecord, page: int) -> Candidate:
        fields = {
            m.path: FieldProvenance(
                path=m.path,
                page=page,
                bbox=m.bbox.rounded().as_tuple() if m.bbox else None,
                status=m.status,
                confidence=field_confidence(m.status, m.similarity, found.probability),
            )
            for m in found.matches
        }
        return cls(
            type(found.record),
            found.record.model_dump(),
            fields,
            page,
            found.bbox,
            [result.tile.index],
            result.engine,
            found.method,
            seen_in=result.tile.bbox,
        )

    def to_record(self) -> ExtractedRecord:
        record = self.model.model_validate(self.data, by_alias=True, by_name=True)
        regions = self.regions or [
            Region(page=self.page, bbox=self.bbox.rounded().as_tuple() if self.bbox else None)
        ]
        fields = [
            f.model_copy(update={"path": path})
            for path, f in sorted(self.fields.items(), key=lambda item: path_key(item[0]))
        ]
        provenance = Provenance(
            engine=self.engine,
            regions=regions,
            tiles=sorted(set(self.tiles)),
            method=self.method,
            confidence=mean_confidence([f.confidence for f in fields]),
            fields=fields,
        )
        return ExtractedRecord(record, provenance, schema_name(self.model))


def agree(a: FieldProvenance, b: FieldProvenance) -> FieldProvenance:
    """Two readings of the same value: the better-grounded box, confidences combined."""
    best = min(a, b, key=strength)
    return best.model_copy(update={"confidence": combine([a.confidence, b.confidence])})


def resolve(readings: list[Reading]) -> Resolved:
    """One value from several readings: empty readings lose to any value; equal values
    agree; otherwise the better-grounded, then the longer (it shows more of the page), then
    the more confident wins; the others become its alternatives."""
    filled = [r for r in readings if not empty(r.value)]
    if not filled:
        return Resolved(readings[0].value, readings[0].provenance)
    groups: dict[str, list[Reading]] = {}
    for reading in filled:
        groups.setdefault(normalise(str(reading.value)), []).append(reading)
    scored = []
    for same in groups.values():
        provenances = [r.provenance for r in same if r.provenance is not None]
        merged = functools.reduce(agree, provenances) if provenances else None
        scored.append(Reading(same[0].value, merged, same[0].tile))

    def rank(reading: Reading) -> tuple[int, int, float]:
        grounding, weakness = strength(reading.provenance)
        return (grounding, -len(str(reading.value)), weakness)

    scored.sort(key=rank)
    value, winner, _ = scored[0]
    if winner is not None and len(scored) > 1:
        losers = [
            Alternative(
                value=v,
                page=p.page if p else winner.page,
                tile=t,
                status=p.status if p else "not_found",
                confidence=p.confidence if p else 0.0,
            )
            for v, p, t in scored[1:]
        ]
        winner = winner.model_copy(update={"alternatives": [*winner.alternatives, *losers]})
    return Resolved(value, winner)


def strength(provenance: FieldProvenance | None) -> tuple[int, float]:
    """Sort key of readings, strongest first: better grounded, then more confident."""
    if provenance is None:
        return (len(STATUS_RANK), 0.0)
    return (STATUS_RANK[provenance.status], -provenance.confidence)


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def absorbed(
    base: Candidate, candidates: list[Candidate], fields: dict[str, FieldProvenance]
) -> Candidate:
    """``base`` with the tiles, box and fields of all ``candidates``."""
    base.fields = fields
    base.tiles = [t for c in candidates for t in c.tiles]
    boxes = [c.bbox for c in candidates if c.bbox is not None]
    base.bbox = BBox.enclosing(boxes) if boxes else None
    return base


def field_box(provenance: FieldProvenance | None) -> BBox | None:
    if provenance is None or provenance.bbox is None or provenance.status == "not_found":
        return None
    return BBox(*provenance.bbox)
