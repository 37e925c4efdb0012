"""Table pieces from neighbouring tiles stitched into one table.

Each piece is a grid of cells, most of them grounded to boxes on the page. A piece's row
spans the heights of its grounded cells, a column the widths of its body cells; rows (and
columns) of different pieces that overlap by at least half the shorter one are the same
row of the table. So the rows two tiles both saw (their overlap) come out once, and the
halves of a wide row, each seen by one tile, come together. A row or column without a
grounded cell keeps its place next to its piece's neighbours; a piece with none at all
follows the others in tile order. Where pieces disagree on a cell, the better-grounded
reading wins (see :func:`docvlm.merge.readings.resolve`).

Hand-written: no library aligns table fragments by their cells' page positions.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from docvlm.geometry import BBox, near
from docvlm.merge.paths import cell_of, cell_path
from docvlm.merge.readings import Candidate, Reading, resolve, strength
from docvlm.provenance import STATUS_RANK, FieldProvenance

SAME_LINE = 0.5  # the share of the shorter span two spans must overlap to be one row/column
BUCKET = 40.0  # points: the grid cells are bucketed by to find shared ones
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
    row_links, col_links = shared_cells(pieces)
    row_spans = {(p, r): _row_span(piece, r) for p, piece, r in _rows(pieces)}
    col_spans = {(p, c): _column_span(piece, c) for p, piece, c in _columns(pieces)}
    row_of = _align(row_spans, {}, row_links)
    col_of = _align(col_spans, col_edges, col_links)
    cells: dict[Key, list[Reading]] = {}
    header: set[int] = set()
    for p, piece in enumerate(pieces):
        tile = piece.tiles[0] if piece.tiles else None
        for r, row in enumerate(piece.data["rows"]):
            if r < piece.data.get("header_rows", 0):
                header.add(row_of[(p, r)])
            for c, text in enumerate(row):
                reading = Reading(text, piece.fields.get(cell_path(r, c)), tile)
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
    spans: dict[Key, tuple[float, float] | None],
    edges: dict[int, tuple[float, float]],
    links: list[tuple[Key, Key]],
) -> dict[Key, int]:
    """Global indices for the pieces' rows (or columns). Rows holding a cell two pieces
    read at one place are one row (``links``); so are rows whose spans overlap, and
    columns that a tile edge cuts apart; the others sit next to their piece's neighbours."""
    units = _linked(list(spans), links)
    clusters = _cut_apart(_overlapping(units, spans), edges)
    where = {key: cluster.centre for cluster in clusters for key in cluster.keys}
    order: list[tuple[tuple[float, float, float], list[Key]]] = [
        ((cluster.centre, 0.0, 0.0), cluster.keys) for cluster in clusters
    ]
    for key in (k for k in spans if k not in where):
        order.append((_place(key, where), [key]))
    order.sort(key=lambda item: item[0])
    return {key: index for index, (_, keys) in enumerate(order) for key in keys}


def _linked(keys: list[Key], links: list[tuple[Key, Key]]) -> list[list[Key]]:
    """Keys joined by links into groups, never two of one piece in a group."""
    group = {key: [key] for key in keys}
    for a, b in links:
        ga, gb = group[a], group[b]
        if ga is gb or {k[0] for k in ga} & {k[0] for k in gb}:
            continue
        ga.extend(gb)
        for key in gb:
            group[key] = ga
    unique = {id(g): g for g in group.values()}
    return list(unique.values())


def shared_cells(pieces: list[Candidate]) -> tuple[list[tuple[Key, Key]], list[tuple[Key, Key]]]:
    """(rows, columns) of cells that two pieces read at one place on the page: the same
    words, so the same row and column. Cells are bucketed by position, so this stays
    near-linear in the number of cells."""
    buckets: dict[tuple[int, int], list[tuple[int, int, int, BBox]]] = {}
    for p, piece in enumerate(pieces):
        for path, f in piece.fields.items():
            at = cell_of(path)
            if at is None or not f.bbox or f.status == "not_found":
                continue
            box = BBox(*f.bbox)
            cell = (p, *at, box)
            buckets.setdefault(_bucket(box), []).append(cell)
    rows: list[tuple[Key, Key]] = []
    columns: list[tuple[Key, Key]] = []
    for (bx, by), cells in buckets.items():
        nearby = [
            c for dx in (-1, 0, 1) for dy in (-1, 0, 1) for c in buckets.get((bx + dx, by + dy), [])
        ]
        for p, r, c, box in cells:
            for q, r2, c2, other in nearby:
                if q > p and _same_place(box, other):
                    rows.append(((p, r), (q, r2)))
                    columns.append(((p, c), (q, c2)))
    return rows, columns


def _bucket(box: BBox) -> tuple[int, int]:
    x, y = box.center
    return (int(x // BUCKET), int(y // BUCKET))


def _same_place(a: BBox, b: BBox) -> bool:
    overlap = a.intersection(b)
    return overlap is not None and overlap.area >= 0.5 * min(a.area, b.area)


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


def _overlapping(
    units: list[list[Key]], spans: dict[Key, tuple[float, float] | None]
) -> list[_Cluster]:
    """Units (linked keys) with a span, grouped where their spans overlap by
    ``SAME_LINE``, in order; one key per piece in a group."""
    anchored = []
    for unit in units:
        known = [spans[k] for k in unit if spans[k] is not None]
        if known:
            anchored.append((min(s[0] for s in known if s), max(s[1] for s in known if s), unit))
    clusters: list[_Cluster] = []
    for low, high, unit in sorted(anchored, key=lambda item: item[0]):
        last = clusters[-1] if clusters else None
        if (
            last is not None
            and not {k[0] for k in last.keys} & {k[0] for k in unit}
            and min(high, last.high) - max(low, last.low)
            >= SAME_LINE * min(high - low, last.high - last.low)
        ):
            last.keys.extend(unit)
            last.low, last.high = min(low, last.low), max(high, last.high)
        else:
            clusters.append(_Cluster(low, high, list(unit)))
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


def _join_pieces(readings: list[Reading]) -> list[Reading]:
    """A cell cut by a tile edge: each tile read the words on its side ('Acme' | 'Ltd'),
    or overlapping parts of a cell of several lines. Readings found apart are joined in
    reading order; readings that overlap and continue one another are folded into one
    ('% ratio of certificate' + 'certificate holders'); the rest is resolved as usual."""
    found = [
        r
        for r in readings
        if r.provenance is not None and r.provenance.bbox and r.provenance.status != "not_found"
    ]
    places: list[list[Reading]] = []
    for reading in found:
        box = _box(reading)
        place = next((p for p in places if any(near(_box(o), box) for o in p)), None)
        if place is None:
            places.append([reading])
        else:
            place.append(reading)
    folded = [_fold(place) for place in places]
    if len(places) < 2:
        if folded and folded[0] is not None:
            return [folded[0], *(r for r in readings if r not in found)]
        return readings
    pieces = sorted(
        (
            resolve([f]) if f is not None else resolve(p)
            for f, p in zip(folded, places, strict=True)
        ),
        key=lambda piece: _start(piece.provenance),
    )
    provenances = [piece.provenance for piece in pieces if piece.provenance is not None]
    weakest = max(provenances, key=lambda p: STATUS_RANK[p.status])
    joined = weakest.model_copy(
        update={
            "bbox": BBox.enclosing(BBox(*p.bbox) for p in provenances if p.bbox).as_tuple(),
            "confidence": min(p.confidence for p in provenances),
        }
    )
    text = " ".join(str(piece.value) for piece in pieces)
    return [Reading(text, joined, None), *(r for r in readings if r not in found)]


def _fold(place: list[Reading]) -> Reading | None:
    """Readings of one place whose words continue one another, as one reading (None when
    they disagree instead)."""
    if len(place) < 2:
        return None
    ordered = sorted(place, key=lambda r: _start(r.provenance))
    tokens = str(ordered[0].value).split()
    for value, _, _ in ordered[1:]:
        more = str(value).split()
        joined = _continue(tokens, more)
        if joined is None:
            return None
        tokens = joined
    provenances = [r.provenance for r in place if r.provenance is not None]
    box = BBox.enclosing(BBox(*p.bbox) for p in provenances if p.bbox)
    best = min(provenances, key=strength)
    return Reading(" ".join(tokens), best.model_copy(update={"bbox": box.as_tuple()}), None)


def _continue(tokens: list[str], more: list[str]) -> list[str] | None:
    """``tokens`` followed by ``more`` where one contains the other or the end of one is
    the start of the other; None otherwise."""
    text, other = " ".join(tokens), " ".join(more)
    if other in text:
        return tokens
    if text in other:
        return more
    for k in range(min(len(tokens), len(more)), 0, -1):
        if tokens[-k:] == more[:k]:
            return tokens + more[k:]
        if more[-k:] == tokens[:k]:
            return more + tokens[k:]
    return None


def _box(reading: Reading) -> BBox:
    assert reading.provenance is not None and reading.provenance.bbox is not None
    return BBox(*reading.provenance.bbox)


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
            fields[cell_path(r, c)] = winner
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
