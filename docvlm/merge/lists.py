"""Records of a list kind read by several tiles, joined entry by entry: an entry on a seam,
seen by both tiles, is one entry.

What the list is comes from the record class (see ``docvlm.schemas.base.Record``): the
field holding it (``list_field``: a key-value list's ``pairs``), whether its elements are
named groups of entries (``group_entries``: a menu's ``sections``, each a ``name`` and its
``items``), and the (key, value) fields that tell two entries apart (``entry_keys``)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docvlm.geometry import near
from docvlm.grounding import normalise
from docvlm.merge.readings import Candidate, Reading, absorbed, empty, field_box, resolve
from docvlm.provenance import FieldProvenance
from docvlm.schemas.base import Record

Fields = dict[str, FieldProvenance]
GROUP_NAME = "name"  # the field naming a group of entries (a menu section's heading)


@dataclass
class _Item:
    """One list entry (a menu item, a key-value pair): its group's name (None without
    groups), its data, its fields' provenance by key, and the tile it came from."""

    group: str | None
    data: dict[str, Any]
    fields: Fields
    tile: int | None


def join_lists(candidates: list[Candidate], model: type[Record]) -> Candidate:
    """Records of a list kind from several tiles as one: each tile's entries in order, an
    entry seen before merged into it field by field."""
    if len(candidates) == 1:
        return candidates[0]
    merged: list[_Item] = []
    for candidate in candidates:
        previous = -1
        for item in _items(candidate, model):
            index = next(
                (
                    i
                    for i, m in enumerate(merged)
                    if m.group == item.group and _same_entry(m, item, model.entry_keys)
                ),
                None,
            )
            if index is None:
                previous += 1
                merged.insert(previous, item)
            else:
                _absorb(merged[index], item)
                previous = index
    return _rebuild_list(candidates, merged, model)


def _items(candidate: Candidate, model: type[Record]) -> Iterable[_Item]:
    tile = candidate.tiles[0] if candidate.tiles else None
    kind, entries = model.list_field, model.group_entries
    for g, element in enumerate(candidate.data.get(kind, [])):
        if entries is None:
            yield _Item(None, dict(element), _sub_fields(candidate, f"{kind}.{g}."), tile)
            continue
        for i, entry in enumerate(element.get(entries, [])):
            fields = _sub_fields(candidate, f"{kind}.{g}.{entries}.{i}.")
            yield _Item(element.get(GROUP_NAME), dict(entry), fields, tile)


def _sub_fields(candidate: Candidate, prefix: str) -> Fields:
    return {
        path.removeprefix(prefix): fp
        for path, fp in candidate.fields.items()
        if path.startswith(prefix)
    }


def _absorb(into: _Item, item: _Item) -> None:
    """``item``'s readings resolved against ``into``'s, field by field."""
    for key, value in item.data.items():
        readings = [
            Reading(into.data.get(key), into.fields.get(key), into.tile),
            Reading(value, item.fields.get(key), item.tile),
        ]
        into.data[key], winner = resolve(readings)
        if winner is not None:
            into.fields[key] = winner


def _rebuild_list(
    candidates: list[Candidate], items: list[_Item], model: type[Record]
) -> Candidate:
    base = copy.deepcopy(candidates[0])
    fields: Fields = {}
    kind, entries = model.list_field, model.group_entries
    if entries is None:
        base.data[kind] = [item.data for item in items]
        for i, item in enumerate(items):
            fields.update({f"{kind}.{i}.{k}": f for k, f in item.fields.items()})
        return absorbed(base, candidates, fields)
    groups: list[dict[str, Any]] = []
    for item in items:
        if not groups or groups[-1][GROUP_NAME] != item.group:
            groups.append({GROUP_NAME: item.group, entries: []})
            heading = _heading_field(candidates, kind, item.group)
            if heading is not None:
                fields[f"{kind}.{len(groups) - 1}.{GROUP_NAME}"] = heading
        g, i = len(groups) - 1, len(groups[-1][entries])
        groups[-1][entries].append(item.data)
        fields.update({f"{kind}.{g}.{entries}.{i}.{k}": f for k, f in item.fields.items()})
    base.data[kind] = groups
    return absorbed(base, candidates, fields)


def _heading_field(
    candidates: list[Candidate], kind: str, name: str | None
) -> FieldProvenance | None:
    """The provenance of a group's heading, from the first tile that read it."""
    for candidate in candidates:
        for g, group in enumerate(candidate.data.get(kind, [])):
            found = candidate.fields.get(f"{kind}.{g}.{GROUP_NAME}")
            if group.get(GROUP_NAME) == name and found is not None:
                return found
    return None


def _same_entry(a: _Item, b: _Item, keys: tuple[str, str]) -> bool:
    """Two entries are one when their keys (a menu item's name, a pair's label) lie in one
    place, or, without boxes, when their keys agree and their values do not differ."""
    key, value = keys
    box_a, box_b = field_box(a.fields.get(key)), field_box(b.fields.get(key))
    if box_a is not None and box_b is not None:
        return near(box_a, box_b, 0)
    if normalise(str(a.data.get(key) or "")) != normalise(str(b.data.get(key) or "")):
        return False
    va, vb = a.data.get(value), b.data.get(value)
    return empty(va) or empty(vb) or normalise(str(va)) == normalise(str(vb))
