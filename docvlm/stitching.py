"""Table pieces from neighbouring tiles stitched into one table.

Each piece is a grid of cells, most of them grounded to boxes on the page. A piece's row
spans the heights of its grounded cells, a column the widths of its body cells; rows (and
columns) of different pieces that overlap by at least half the shorter one are the same
row of the table. So the rows two tiles both saw (their overlap) come out once, and the
halves of a wide row, each seen by one tile, come together. A row or column without a
grounded cell keeps its place next to its piece's neighbours; a piece with none at all
follows the others in tile order. Where pieces disagree on a cell, the better-grounded
reading wins (see :func:`docvlm.readings.resolve`).

Hand-written: no library aligns table fragments by their cells' page positions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from docvlm.geometry import BBox, near
from docvlm.grounding import STATUS_RANK
from docvlm.readings import Candidate, resolve
from docvlm.result import FieldProvenance

SAME_LINE = 0.5  # the share of the shorter span two spans must overlap to be one row/column
CUT_GAP = 6.0  # points: at most this between the two sides of a cell a tile edge cut

Key = tuple[int, int]  # (piece, row or column of that piece)


@dataclass
class _Cluster:
    low: float
    high: float
    keys: list[Key] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2


def stitch_tables(pieces: list[Candidate]) -> Candidate:
    """One table from pieces of it read by different tiles of one page."""
    if len(pieces) == 1:
        return pieces[0]
    pieces = sorted(pieces, key=lambda p: min(p.tiles))
    # A line's words share their height, so a tile edge cuts cells across only.
    col_edges = {p: _edges(piece.seen_in, 0) for p, piece in enumerate(pieces)}
    row_of = _align({(p, r): _row_span(piece, r) for p, piece, r in _rows(pieces)}, {})
    col_of = _align({(p, c): _column_span(piece, c) for p, piece, c in _columns(pieces)}, col_edges)
    cells: dict[Key, list[Reading]] = {}
    header: set[int] = set()
    for p, piece in enumerate(pieces):
        tile = piece.tiles[0] if piece.tiles else None
        for r, row in enumerate(piece.data["rows"]):
            if r < piece.data.get("header_rows", 0):
                header.add(row_of[(p, r)])
            for c, text in enumerate(row):
                reading = (text, piece.fields.get(f"rows.{r}.{c}"), tile)
                cells.setdefault((row_of[(p, r)], col_of[(p, c)]), []).append(reading)
    return _assemble(pieces, cells, header)


def _rows(pieces: list[Candidate]) -> list[tuple[int, Candidate, int]]:
    return [(p, piece, r) for p, piece in enumerate(pieces) for r in range(len(piece.data["rows"]))]


def _columns(pieces: list[Candidate]) -> list[tuple[int, Candidate, int]]:
    return [
        (p, piece, c)
        for p, piece in enumerate(pieces)
        for c in range(max((len(r) for r in piece.data["rows"]), default=0))
    ]


def _row_span(piece: Candidate, row: int) -> tuple[float, float] | None:
    boxes = _grounded(piece, f"rows.{row}.")
    return (min(b.y0 for b in boxes), max(b.y1 for b in boxes)) if boxes else None


def _column_span(piece: Candidate, column: int) -> tuple[float, float] | None:
    """The column's extent over its body cells (a header cell may span several columns)."""
    body = piece.data.get("header_rows", 0)
    n_rows = len(piece.data["rows"])
    for first in (body, 0):
        boxes = [
            box
            for r in range(first, n_rows)
            for box in _grounded(piece, f"rows.{r}.{column}", exact_path=True)
        ]
        if boxes:
            return (min(b.x0 for b in boxes), max(b.x1 for b in boxes))
    return None


def _grounded(piece: Candidate, prefix: str, exact_path: bool = False) -> list[BBox]:
    return [
        BBox(*f.bbox)
        for path, f in piece.fields.items()
        if (path == prefix if exact_path else path.startswith(prefix))
        and f.bbox is not None
        and f.status in ("exact", "normalised", "fuzzy")
    ]


def _edges(tile: BBox | None, axis: int) -> tuple[float, float]:
    if tile is None:
        return (float("-inf"), float("inf"))
    return (tile.x0, tile.x1) if axis == 0 else (tile.y0, tile.y1)


def _align(
    spans: dict[Key, tuple[float, float] | None], edges: dict[int, tuple[float, float]]
) -> dict[Key, int]:
    """Global indices for the pieces' rows (or columns): overlapping spans share one, and
    so do two that a tile edge cuts apart; the others sit next to their piece's
    neighbours."""
    clusters = _cut_apart(_overlapping(spans), edges)
    where = {key: cluster.centre for cluster in clusters for key in cluster.keys}
    order: list[tuple[tuple[float, float, float], list[Key]]] = [
        ((cluster.centre, 0.0, 0.0), cluster.keys) for cluster in clusters
    ]
    for key in (k for k, s in spans.items() if s is None):
        order.append((_place(key, where), [key]))
    order.sort(key=lambda item: item[0])
    return {key: index for index, (_, keys) in enumerate(order) for key in keys}


def _cut_apart(clusters: list[_Cluster], edges: dict[int, tuple[float, float]]) -> list[_Cluster]:
    """Neighbouring clusters (a word's width apart at most) from different pieces, with
    an edge of one of their tiles between them: one column whose words fell on either
    side of the edge ('Acme' | 'Ltd')."""
    joined: list[_Cluster] = []
    for cluster in clusters:
        last = joined[-1] if joined else None
        if last is not None and _cut_between(last, cluster, edges):
            last.keys.extend(cluster.keys)
            last.low, last.high = min(last.low, cluster.low), max(last.high, cluster.high)
        else:
            joined.append(cluster)
    return joined


def _cut_between(a: _Cluster, b: _Cluster, edges: dict[int, tuple[float, float]]) -> bool:
    pieces_a, pieces_b = {k[0] for k in a.keys}, {k[0] for k in b.keys}
    if not edges or pieces_a & pieces_b or b.low - a.high > CUT_GAP:
        return False
    centre_a, centre_b = a.centre, b.centre
    return any(centre_a < edge < centre_b for p in pieces_a | pieces_b for edge in edges[p])


def _overlapping(spans: dict[Key, tuple[float, float] | None]) -> list[_Cluster]:
    """Spans grouped where they overlap by ``SAME_LINE``, in order (one per piece)."""
    clusters: list[_Cluster] = []
    for key, span in sorted(
        ((k, s) for k, s in spans.items() if s is not None), key=lambda item: item[1][0]
    ):
        low, high = span
        last = clusters[-1] if clusters else None
        if (
            last is not None
            and all(k[0] != key[0] for k in last.keys)
            and min(high, last.high) - max(low, last.low)
            >= SAME_LINE * min(high - low, last.high - last.low)
        ):
            last.keys.append(key)
            last.low, last.high = min(low, last.low), max(high, last.high)
        else:
            clusters.append(_Cluster(low, high, [key]))
    return clusters


def _place(key: Key, where: dict[Key, float]) -> tuple[float, float, float]:
    """Where an unanchored row or column sorts: just after its piece's previous anchored
    one, else just before its next, else after everything in piece order."""
    piece, index = key
    anchored = sorted(i for p, i in where if p == piece)
    before = [i for i in anchored if i < index]
    if before:
        return (where[(piece, before[-1])], float(index - before[-1]), 0.0)
    after = [i for i in anchored if i > index]
    if after:
        return (where[(piece, after[0])], float(index - after[0]), 0.0)
    return (float("inf"), float(piece), float(index))


Reading = tuple[Any, FieldProvenance | None, int | None]


def _join_pieces(readings: list[Reading]) -> list[Reading]:
    """A cell cut by a tile edge: each tile read the words on its side ('Acme' | 'Ltd').
    Readings found at places apart are such pieces and are joined in reading order;
    readings found at one place are the same words read twice (resolved as usual)."""
    found = [r for r in readings if r[1] is not None and r[1].bbox and r[1].status != "not_found"]
    places: list[list[Reading]] = []
    for reading in found:
        box = _box(reading)
        place = next((p for p in places if any(near(_box(o), box) for o in p)), None)
        if place is None:
            places.append([reading])
        else:
            place.append(reading)
    if len(places) < 2:
        return readings
    pieces = sorted((resolve(p) for p in places), key=lambda v: _start(v[1]))
    provenances = [p for _, p in pieces if p is not None]
    weakest = max(provenances, key=lambda p: STATUS_RANK[p.status])
    joined = weakest.model_copy(
        update={
            "bbox": BBox.enclosing(BBox(*p.bbox) for p in provenances if p.bbox).as_tuple(),
            "confidence": min(p.confidence for p in provenances),
        }
    )
    text = " ".join(str(value) for value, _ in pieces)
    return [(text, joined, None), *(r for r in readings if r not in found)]


def _box(reading: Reading) -> BBox:
    assert reading[1] is not None and reading[1].bbox is not None
    return BBox(*reading[1].bbox)


def _start(provenance: FieldProvenance | None) -> tuple[float, float]:
    box = provenance.bbox if provenance is not None else None
    return (box[1], box[0]) if box else (0.0, 0.0)


def _assemble(
    pieces: list[Candidate],
    cells: dict[Key, list[Reading]],
    header: set[int],
) -> Candidate:
    n_rows = 1 + max(r for r, _ in cells)
    n_cols = 1 + max(c for _, c in cells)
    rows = [[""] * n_cols for _ in range(n_rows)]
    fields: dict[str, FieldProvenance] = {}
    for (r, c), readings in cells.items():
        value, winner = resolve(_join_pieces(readings))
        rows[r][c] = value or ""
        if winner is not None and value:
            fields[f"rows.{r}.{c}"] = winner
    header_rows = 0
    while header_rows in header:
        header_rows += 1
    table = copy.deepcopy(pieces[0])
    table.data["rows"] = rows
    table.data["header_rows"] = header_rows
    table.data["title"] = next((p.data.get("title") for p in pieces if p.data.get("title")), None)
    title = next((p.fields["title"] for p in pieces if "title" in p.fields), None)
    if title is not None:
        fields["title"] = title
    table.fields = fields
    table.tiles = sorted({t for p in pieces for t in p.tiles})
    boxes = [p.bbox for p in pieces if p.bbox is not None]
    table.bbox = BBox.enclosing(boxes) if boxes else None
    return table
