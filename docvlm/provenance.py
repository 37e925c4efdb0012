"""Provenance: where each value of a record was read and how surely.

A value found among the page's words is ``exact``, ``normalised`` or ``fuzzy``; a number an
engine measured from the page's geometry (a chart's marks) is ``geometry``; one not found
is kept and flagged ``not_found`` (see :mod:`docvlm.grounding` for how values are looked
up).

Confidence, per field, in [0, 1] and monotone in the strength of the evidence:
``exact`` 1.0, ``normalised`` 0.95, ``geometry`` 0.9, ``fuzzy`` 0.6 x similarity
(0.48-0.6), ``not_found`` 0.2. Where the engine reports the probability of its answer
(a model's, or the native engine's structural score of a table: see
``docvlm.engines.native.table_confidence``), the field's confidence is scaled by
(0.5 + 0.5 x probability): a table whose words are all on the page but whose grid is
doubtful (score 0.4) has cells of confidence 0.7 at most. Tiles that agree on a value
combine as 1 - prod(1 - c). A record's confidence is the mean of its fields'.

This module is at the bottom of the package: the output types (``docvlm.result``), the
stages that fill them (grounding, merging) and the views that draw them all read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from docvlm.geometry import BBox

MatchStatus = Literal["exact", "normalised", "geometry", "fuzzy", "not_found"]
# Strongest first: merging keeps the better-grounded of two readings.
STATUS_RANK: dict[str, int] = {
    "exact": 0,
    "normalised": 1,
    "geometry": 2,
    "fuzzy": 3,
    "not_found": 4,
}
BASE_CONFIDENCE = {"exact": 1.0, "normalised": 0.95, "geometry": 0.9, "not_found": 0.2}


@dataclass(frozen=True)
class FieldMatch:
    """Where one value was found: its path in the record, the text looked up, the match
    status, the box of its words (page points) and the similarity (1 for exact)."""

    path: str
    value: str
    status: MatchStatus
    bbox: BBox | None
    similarity: float


def field_confidence(
    status: str, similarity: float = 1.0, probability: float | None = None
) -> float:
    """The documented confidence of one field (see the module docstring)."""
    base = 0.6 * similarity if status == "fuzzy" else BASE_CONFIDENCE[status]
    if probability is not None:
        base *= 0.5 + 0.5 * min(1.0, max(0.0, probability))
    return round(base, 4)


def mean_confidence(confidences: Sequence[float]) -> float | None:
    """A record's (or a row's) confidence: the mean of its fields'; None without fields."""
    return round(sum(confidences) / len(confidences), 4) if confidences else None


def combine(confidences: Sequence[float]) -> float:
    """Independent readings that agree: 1 - prod(1 - c), in [0, 1] and never below the
    strongest single reading."""
    remaining = 1.0
    for value in confidences:
        remaining *= 1.0 - value
    return round(1.0 - remaining, 4)


class Region(BaseModel):
    """Where (part of) a record lies: a 1-based page and a box in page points."""

    page: int
    bbox: tuple[float, float, float, float] | None = None


class Alternative(BaseModel):
    """A reading of a field that lost to another (a different tile, or a weaker match)."""

    value: Any
    page: int
    tile: int | None = None
    status: MatchStatus
    confidence: float


class FieldProvenance(BaseModel):
    """Where one leaf value lies (``path`` such as ``rows.2.3`` or ``sections.0.items.1.price``):
    its page, the box of its words, how it was matched, its confidence, and the readings
    that lost to it."""

    path: str
    page: int
    bbox: tuple[float, float, float, float] | None = None
    status: MatchStatus
    confidence: float
    alternatives: list[Alternative] = []


class Provenance(BaseModel):
    """Where a record came from: the engine, the page regions (and tiles) it was read from,
    how (``method``, for engines that read the page directly: the words' source, a chart's
    axis calibration), each field's grounding, and the record's confidence (the mean of its
    fields'; see :mod:`docvlm.grounding`)."""

    engine: str
    regions: list[Region]
    tiles: list[int] = []
    method: str | None = None
    confidence: float | None = None
    fields: list[FieldProvenance] = []

    def field(self, path: str) -> FieldProvenance | None:
        """The provenance of the leaf at ``path``, if it has a value."""
        return next((f for f in self.fields if f.path == path), None)

    @property
    def page(self) -> int:
        return self.regions[0].page

    @property
    def pages(self) -> list[int]:
        return sorted({region.page for region in self.regions})

    @property
    def bbox(self) -> BBox | None:
        box = self.regions[0].bbox
        return BBox(*box) if box else None


def leaf_values(record: BaseModel) -> Iterator[tuple[str, Any]]:
    """Each leaf value of a record with its dotted path ('rows.2.3', 'sections.0.items.1.price'),
    skipping empty strings, None and booleans (nothing to look up) and the record's derived
    fields (see ``Record.derived_fields``)."""
    derived: frozenset[str] = getattr(type(record), "derived_fields", frozenset())
    for path, value in _leaves(record.model_dump(), ""):
        name = next((part for part in reversed(path.split(".")) if not part.isdigit()), "")
        if name not in derived:
            yield path, value


def _leaves(data: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, f"{prefix}.{index}" if prefix else str(index))
    elif isinstance(data, bool) or data is None or (isinstance(data, str) and not data.strip()):
        return
    else:
        yield prefix, data


class ProvenancedRecord(Protocol):
    """What the views (:mod:`docvlm.overlay`, :mod:`docvlm.display`,
    :mod:`docvlm.long_layout`) read of a record with its provenance
    (``docvlm.result.ExtractedRecord``), so that they need not import the result."""

    @property
    def record(self) -> BaseModel: ...

    @property
    def provenance(self) -> Provenance: ...

    @property
    def schema_name(self) -> str: ...
