"""Reconcile tile results into page records, and tables continued across pages.

Each record arrives grounded (see :mod:`docvlm.grounding`): every leaf value with its match
status, box and confidence. On one page:

- identical records from overlapping tiles collapse into one, their fields' confidences
  combined (agreeing tiles are independent evidence);
- tables from neighbouring tiles whose boxes touch are stitched into one: rows and columns
  are aligned by the boxes of their grounded cells, so duplicated rows from the overlap
  and row pieces cut at a tile's side come together (pieces without grounded cells keep
  their tile's order);
- menus, key-value lists and other records from several tiles are joined item by item
  (an item on a seam, seen by both tiles, is one item);
- where readings disagree, the better-grounded one wins, then the more confident; the
  loser stays in the field's provenance as an alternative.

Across pages, a table that continues on the next page (same columns, repeated or absent
header) becomes one table listing every page; see :func:`join_continued_tables`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from docvlm.extraction import TileResult
from docvlm.geometry import BBox, near
from docvlm.grounding import normalise
from docvlm.provenance import FieldProvenance, mean_confidence
from docvlm.readings import Candidate, agree, empty, resolve
from docvlm.result import ExtractedRecord
from docvlm.schemas import KeyValues, Menu, Table
from docvlm.stitching import stitch_tables

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
    if model is Table:
        return [stitch_tables(part) for part in _touching(group)]
    if model is Menu:
        return [_join_lists(part, "sections", _same_section) for part in _touching(group)]
    if model is KeyValues:
        return [_join_lists(part, "pairs", _same_pair) for part in _touching(group)]
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


# -- lists of items: menus and key-value pairs ------------------------------------------


Fields = dict[str, FieldProvenance]
Same = Callable[[dict[str, Any], Fields, dict[str, Any], Fields], bool]


@dataclass
class _Item:
    """One list entry (a menu item, a key-value pair): its section (menus), its data, its
    fields' provenance by key, and the tile it came from."""

    group: str | None
    data: dict[str, Any]
    fields: dict[str, FieldProvenance]
    tile: int | None


def _join_lists(candidates: list[Candidate], kind: str, same: Same) -> Candidate:
    """Records of a list kind from several tiles as one: each tile's entries in order, an
    entry seen before (``same``) merged into it field by field."""
    if len(candidates) == 1:
        return candidates[0]
    merged: list[_Item] = []
    for candidate in candidates:
        previous = -1
        for item in _items(candidate, kind):
            index = next(
                (
                    i
                    for i, m in enumerate(merged)
                    if m.group == item.group and same(m.data, m.fields, item.data, item.fields)
                ),
                None,
            )
            if index is None:
                previous += 1
                merged.insert(previous, item)
            else:
                _absorb(merged[index], item)
                previous = index
    return _rebuild_list(candidates, merged, kind)


def _items(candidate: Candidate, kind: str) -> Iterable[_Item]:
    tile = candidate.tiles[0] if candidate.tiles else None
    if kind == "sections":
        for s, section in enumerate(candidate.data.get("sections", [])):
            for i, entry in enumerate(section.get("items", [])):
                fields = _sub_fields(candidate, f"sections.{s}.items.{i}.")
                yield _Item(section.get("name"), dict(entry), fields, tile)
    else:
        for i, entry in enumerate(candidate.data.get(kind, [])):
            yield _Item(None, dict(entry), _sub_fields(candidate, f"{kind}.{i}."), tile)


def _sub_fields(candidate: Candidate, prefix: str) -> dict[str, FieldProvenance]:
    return {
        path.removeprefix(prefix): fp
        for path, fp in candidate.fields.items()
        if path.startswith(prefix)
    }


def _absorb(into: _Item, item: _Item) -> None:
    """``item``'s readings resolved against ``into``'s, field by field."""
    for key, value in item.data.items():
        readings = [
            (into.data.get(key), into.fields.get(key), into.tile),
            (value, item.fields.get(key), item.tile),
        ]
        into.data[key], winner = resolve(readings)
        if winner is not None:
            into.fields[key] = winner


def _rebuild_list(candidates: list[Candidate], items: list[_Item], kind: str) -> Candidate:
    base = copy.deepcopy(candidates[0])
    fields: dict[str, FieldProvenance] = {}
    if kind == "sections":
        sections: list[dict[str, Any]] = []
        for item in items:
            if not sections or sections[-1]["name"] != item.group:
                sections.append({"name": item.group, "items": []})
                heading = _heading_field(candidates, item.group)
                if heading is not None:
                    fields[f"sections.{len(sections) - 1}.name"] = heading
            s, i = len(sections) - 1, len(sections[-1]["items"])
            sections[-1]["items"].append(item.data)
            fields.update({f"sections.{s}.items.{i}.{k}": f for k, f in item.fields.items()})
        base.data["sections"] = sections
    else:
        base.data[kind] = [item.data for item in items]
        for i, item in enumerate(items):
            fields.update({f"{kind}.{i}.{k}": f for k, f in item.fields.items()})
    return _absorbed(base, candidates, fields)


def _heading_field(candidates: list[Candidate], name: str | None) -> FieldProvenance | None:
    """The provenance of a section heading, from the first tile that read it."""
    for candidate in candidates:
        for s, section in enumerate(candidate.data.get("sections", [])):
            found = candidate.fields.get(f"sections.{s}.name")
            if section.get("name") == name and found is not None:
                return found
    return None


def _absorbed(
    base: Candidate, candidates: list[Candidate], fields: dict[str, FieldProvenance]
) -> Candidate:
    """``base`` with the tiles, box and fields of all ``candidates``."""
    base.fields = fields
    base.tiles = [t for c in candidates for t in c.tiles]
    boxes = [c.bbox for c in candidates if c.bbox is not None]
    base.bbox = BBox.enclosing(boxes) if boxes else None
    return base


def _same_section(a: dict[str, Any], fa: Fields, b: dict[str, Any], fb: Fields) -> bool:
    """Two menu items are one when their names lie in one place, or, without boxes, when
    their names agree and their prices do not differ."""
    return _same_entry(a, fa, b, fb, "name", "price")


def _same_pair(a: dict[str, Any], fa: Fields, b: dict[str, Any], fb: Fields) -> bool:
    return _same_entry(a, fa, b, fb, "label", "value")


def _same_entry(
    a: dict[str, Any],
    fa: Fields,
    b: dict[str, Any],
    fb: Fields,
    key: str,
    value: str,
) -> bool:
    box_a, box_b = _field_box(fa.get(key)), _field_box(fb.get(key))
    if box_a is not None and box_b is not None:
        return near(box_a, box_b, 0)
    if normalise(str(a.get(key) or "")) != normalise(str(b.get(key) or "")):
        return False
    va, vb = a.get(value), b.get(value)
    return empty(va) or empty(vb) or normalise(str(va)) == normalise(str(vb))


def _field_box(provenance: FieldProvenance | None) -> BBox | None:
    if provenance is None or provenance.bbox is None or provenance.status == "not_found":
        return None
    return BBox(*provenance.bbox)


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
                (twin.data.get(key), twin.fields.get(key), None),
                (value, candidate.fields.get(key), tile),
            ]
            twin.data[key], winner = resolve(readings)
            if winner is not None:
                fields[key] = winner
        _absorbed(twin, [twin, candidate], fields)
    return kept


def _share_a_grounded_value(a: Candidate, b: Candidate) -> bool:
    if a.tiles and b.tiles and set(a.tiles) & set(b.tiles):
        return False  # records of one tile are distinct by the engine's own account
    for path, fa in a.fields.items():
        fb = b.fields.get(path)
        box_a, box_b = _field_box(fa), _field_box(fb)
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


# -- tables continued across pages -------------------------------------------------------


def join_continued_tables(items: list[ExtractedRecord]) -> list[ExtractedRecord]:
    """A table that runs on at the top of the next page (the last record of one page, the
    first of the next, same columns in the same places, its header repeated or absent)
    joined into the table it continues, once per page it spans."""
    joined: list[ExtractedRecord] = []
    for item in items:
        previous = joined[-1] if joined else None
        if previous is not None and _continues(previous, item):
            joined[-1] = _append_table(previous, item)
        else:
            joined.append(item)
    return joined


def _continues(first: ExtractedRecord, then: ExtractedRecord) -> bool:
    a, b = first.record, then.record
    if not isinstance(a, Table) or not isinstance(b, Table):
        return False
    if then.provenance.page != max(first.provenance.pages) + 1 or a.n_cols != b.n_cols:
        return False
    if b.header_rows and _texts(b.header) != _texts(a.header):
        return False  # a header of its own: a new table
    return _same_columns(first, then)


def _texts(rows: list[list[str]]) -> list[list[str]]:
    return [[normalise(cell) for cell in row] for row in rows]


def _same_columns(first: ExtractedRecord, then: ExtractedRecord) -> bool:
    """Whether the columns stand at the same places (where both tables' cells were found);
    tables whose cells were found nowhere are judged by their column count alone."""
    a = _column_centres(first, max(first.provenance.pages))
    b = _column_centres(then, then.provenance.page)
    table = first.provenance.bbox
    tolerance = max(10.0, 0.05 * table.width) if table else 10.0
    shared = [c for c in a if c in b]
    return all(abs(a[c] - b[c]) <= tolerance for c in shared)


def _column_centres(item: ExtractedRecord, page: int) -> dict[int, float]:
    """The median centre of each column's found cells on ``page``."""
    centres: dict[int, list[float]] = {}
    for f in item.provenance.fields:
        parts = f.path.split(".")
        found = f.bbox is not None and f.status != "not_found" and f.page == page
        if found and parts[0] == "rows" and len(parts) == 3:
            assert f.bbox is not None
            centres.setdefault(int(parts[2]), []).append((f.bbox[0] + f.bbox[2]) / 2)
    return {c: sorted(xs)[len(xs) // 2] for c, xs in centres.items()}


def _append_table(first: ExtractedRecord, then: ExtractedRecord) -> ExtractedRecord:
    a, b = first.record, then.record
    assert isinstance(a, Table) and isinstance(b, Table)
    skipped = b.header_rows  # a repeated header is not data
    offset = len(a.rows) - skipped
    table = a.model_copy(update={"rows": a.rows + b.rows[skipped:]}, deep=True)
    fields = list(first.provenance.fields)
    for f in then.provenance.fields:
        parts = f.path.split(".")
        if parts[0] != "rows" or len(parts) != 3:
            continue
        row = int(parts[1])
        if row >= skipped:
            fields.append(f.model_copy(update={"path": f"rows.{row + offset}.{parts[2]}"}))
    provenance = first.provenance.model_copy(
        update={
            "regions": first.provenance.regions + then.provenance.regions,
            "tiles": first.provenance.tiles + then.provenance.tiles,
            "fields": fields,
            "confidence": mean_confidence([f.confidence for f in fields]),
        }
    )
    return ExtractedRecord(table, provenance, first.schema_name)
