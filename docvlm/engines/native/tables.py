"""Tables from PDF pages with a text layer (or from OCR'd words), without a vision-language
model.

The finder was chosen by measurement on the ICDAR 2013 EU set (27 PDFs, adjacency-relation
micro F1, ``benchmarks/tables_icdar.py``): PyMuPDF's layout analyser (``pymupdf.layout``,
a small graph network shipped inside its wheel that runs offline on the CPU) detects table
regions and predicts their row and column separators, scoring 0.876 against 0.76 for
pdfplumber and 0.49 for pymupdf's rule-based ``find_tables``. docvlm keeps what the model
does well (finding regions and separators) and does the rest itself: words of the text
layer are put into the predicted cells, empty rows and columns are dropped, and header
rows are inferred.

Ruled tables are also read from their drawn lines (``table_grid``); per table, the ruled
grid or the analyser's is kept by structural score (``table_confidence``). The analyser is
most of a page's time, so it runs only where it can change the answer: on pages whose text
outside sound ruled tables has columns (:func:`may_hold_table`), or whose ruled tables are
not sound.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pymupdf

from docvlm.document import Drawing, Page, Word
from docvlm.engines.native.picture_rules import picture_rules
from docvlm.engines.native.table_confidence import DOUBTFUL_BELOW, Structure, structure
from docvlm.engines.native.table_grid import (
    Filled,
    Grid,
    fill,
    split_stacked,
)
from docvlm.engines.native.table_lattice import lattices, rules_of
from docvlm.geometry import BBox
from docvlm.schemas import Table

# The layout analyser keeps process-global state; one page at a time.
_LAYOUT_LOCK = threading.Lock()
# A value cell: a number (with sign, currency, separators, %, a unit or scale word such as
# "million") or a dash standing for "none".
_VALUE = re.compile(
    r"^(?:[(\-\u2013+]?[$€£¥]?\s?\d[\d\s.,']*(?:%|\s?[a-z]{1,12}\.?)?\)?\*?|[-\u2013\u2014]|n/?a)$",
    re.IGNORECASE,
)
MAX_HEADER_ROWS = 3
# A ruled grid is kept over the analyser's unless it scores this much lower: drawn lines
# are the table's own statement of its cells.
RULED_MARGIN = 0.05
# A page whose text has this many lines broken by gaps of GAP text heights or more may
# hold a table drawn without lines; on others the layout analyser is not run.
MIN_GAPPED_LINES = 3
GAP = 1.5
# A list item: its marker (a bullet, or a number such as "3." or "6.1") apart from a run
# of prose at least PROSE text heights wide.
_MARKER = re.compile(
    r"^(?:[\u2022\u25aa\u25cf\u25e6\u2013\u2014*-]"  # bullets and dashes
    r"|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,4})[.)]?)$"  # 3. 6.1 (a) iv)
)
PROSE = 15.0
# The fast table mode: pymupdf.layout's model on text features alone ("rf"), without the
# network that reads the rendered page. On the ICDAR 2013 EU set (benchmarks/tables.py)
# it reads pages with about 0.6 of the CPU time, at relation F1 0.907 against 0.913.
FAST = "fast"
TABLE_MODES = ("accurate", FAST)


@dataclass(frozen=True)
class FoundTable:
    """A table, its box, and how sound its structure is (see ``table_confidence``)."""

    table: Table
    bbox: BBox
    structure: Structure = field(default_factory=lambda: Structure(1.0))


def find_tables(page: Page, within: BBox | None = None, fast: bool = False) -> list[FoundTable]:
    """Every table on a PDF page, in reading order, as Table records with their boxes.

    The page is read in the frame where its text runs left to right (see
    :func:`upright_frame`), so a page turned by ``/Rotate`` or a table printed sideways
    comes back in reading orientation; boxes are given in the displayed page.

    With ``within`` (a box of the displayed page, such as a tile), each table holds only
    the cells whose words lie inside it, as a model shown that part of the page would.
    ``fast``: the layout analyser reads the text's features only (see :data:`FAST`).
    """
    frame = upright_frame(page)
    frame.fast = fast
    try:
        to_frame, to_page = frame.to_frame, frame.to_page
        turn = (page.pdf_page.rotation + frame.turn) % 360  # displayed angle -> frame's
        words = [
            Word(w.text, _mapped(w.bbox, to_frame), w.block, w.line, w.bold, (w.angle + turn) % 360)
            for w in page.words
        ]
        visible = _mapped(within, to_frame) if within is not None else None
        drawings = (*page.drawings, *picture_rules(page))
        return [
            FoundTable(table, _mapped(region, to_page), sound)
            for table, region, sound in read_tables(frame, words, visible, page, drawings)
        ]
    finally:
        frame.close()


@dataclass
class Frame:
    """A page as the analyser reads it: upright, its text running left to right.

    ``page`` is the PDF page analysed (the page itself with its ``/Rotate`` set aside for
    the analysis, or a scratch page that shows the page's content turned by ``turn``
    degrees); ``to_frame`` maps the displayed page to it and ``to_page`` back."""

    page: pymupdf.Page
    to_frame: pymupdf.Matrix
    to_page: pymupdf.Matrix
    turn: int = 0
    scratch: pymupdf.Document | None = None
    fast: bool = False  # the analyser's text-features-only model (see FAST)

    def close(self) -> None:
        if self.scratch is not None:
            self.scratch.close()


def upright_frame(page: Page) -> Frame:
    """The frame in which most of the page's text (by characters) runs left to right.

    A PDF page can be turned twice over: by its ``/Rotate`` entry, and by text drawn
    rotated in its content (a wide table set sideways on a portrait page). The writing
    direction of the words decides, not ``/Rotate``: the content, as stored (unrotated),
    is turned by the multiple of 90 degrees that makes its commonest direction 0."""
    pdf_page = page.pdf_page
    rotation = pdf_page.rotation % 360
    votes: dict[int, int] = {}
    for word in page.words:
        stored = (round(word.angle / 90) * 90 + rotation) % 360  # the unrotated direction
        if abs(((word.angle + 45) % 90) - 45) < 10:
            votes[stored] = votes.get(stored, 0) + len(word.text)
    stored = max(votes, key=lambda a: (votes[a], a == 0)) if votes else 0
    turn = (360 - stored) % 360
    derotate = pdf_page.derotation_matrix  # displayed -> unrotated
    if turn == 0:
        return Frame(pdf_page, derotate, pdf_page.rotation_matrix)
    width, height = _unrotated_size(pdf_page)
    # The content turned by ``turn`` (PyMuPDF's sense: 90 takes (x, y) to (y, W - x)).
    turned = {
        90: pymupdf.Matrix(0, -1, 1, 0, 0, width),
        180: pymupdf.Matrix(-1, 0, 0, -1, width, height),
        270: pymupdf.Matrix(0, 1, -1, 0, height, 0),
    }[turn]
    scratch = pymupdf.open()
    size = (width, height) if turn == 180 else (height, width)
    shown = scratch.new_page(width=size[0], height=size[1])
    # Shown from the unrotated page: with its /Rotate in force, the fit would be measured
    # on the displayed page and the content scaled.
    with _LAYOUT_LOCK:
        try:
            if rotation:
                pdf_page.set_rotation(0)
            shown.show_pdf_page(shown.rect, pdf_page.parent, pdf_page.number, rotate=turn)
        finally:
            if rotation:
                pdf_page.set_rotation(rotation)
    to_frame = derotate * turned
    return Frame(shown, to_frame, ~to_frame, turn, scratch)


def _unrotated_size(pdf_page: pymupdf.Page) -> tuple[float, float]:
    rect = pdf_page.rect
    if pdf_page.rotation % 180:
        return float(rect.height), float(rect.width)
    return float(rect.width), float(rect.height)


def _mapped(box: BBox, matrix: pymupdf.Matrix) -> BBox:
    # An upright, unrotated page (most pages, thousands of words): the box as it is.
    if box.x0 <= box.x1 and box.y0 <= box.y1 and _identity(matrix):
        return box
    return BBox(*(pymupdf.Rect(box.as_tuple()) * matrix))


def _identity(matrix: pymupdf.Matrix) -> bool:
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f) == (1, 0, 0, 1, 0, 0)


def read_tables(
    frame: Frame,
    words: list[Word],
    visible: BBox | None = None,
    key: object = None,
    drawings: Sequence[Drawing] = (),
) -> list[tuple[Table, BBox, Structure]]:
    """Tables of the analysed page, their cells filled with ``words`` (in the frame), or
    only with the ``visible`` ones, with their structural scores. ``key`` names the page
    for the analysis cache; ``drawings`` (displayed page) give the ruled grids."""
    found = []
    inside = [w for w in words if visible.contains_point(*w.bbox.center)] if visible else []
    for grid, read in _chosen_grids(frame, words, drawings, key):
        filled, rows, cols, header_rows, sound = read
        cells_grid = filled.cells
        if visible is not None:
            cells_grid = fill(inside, grid).cells
            header_rows = sum(r in rows[:header_rows] for r in _filled(cells_grid)[0])
            rows, cols = _filled(cells_grid)
            if not rows:
                continue
        cells = [[cells_grid[r][c] for c in cols] for r in rows]
        found.append((Table(rows=cells, header_rows=header_rows), grid.region, sound))
    return found


Reading = tuple[Filled, list[int], list[int], int, Structure]


def _read(words: list[Word], grid: Grid) -> Reading | None:
    """A grid filled with the words, its filled rows and columns, header rows and
    structural score; None unless text fills two rows and two columns."""
    filled = fill(words, grid)
    rows, cols = _filled(filled.cells)
    if len(rows) < 2 or len(cols) < 2:
        return None
    full = [[filled.cells[r][c] for c in cols] for r in rows]
    header_rows = _header_rows(full, [filled.bold[r] for r in rows])
    return filled, rows, cols, header_rows, structure(filled, rows, cols, header_rows)


def _chosen_grids(
    frame: Frame, words: list[Word], drawings: Sequence[Drawing], key: object
) -> list[tuple[Grid, Reading]]:
    """The grid of each table: the analyser's regions and separators, or, where ruling
    lines draw a grid over the same table, whichever of the two is structurally sounder
    (the ruled one unless it scores ``RULED_MARGIN`` lower). A ruled grid the analyser
    did not see counts if sound."""
    lines = [split_stacked(words, g) for g in lattices(rules_of(drawings, frame.to_frame))]
    ruled = [(g, r) for g in lines if (r := _read(words, g))]
    regions = _cached_regions(frame, key) if _analyse(words, ruled) else []
    stacked = [split_stacked(words, g) for g in regions]
    predicted = [(g, r) for g in stacked if (r := _read(words, g))]
    chosen: list[tuple[Grid, Reading]] = []
    taken: set[int] = set()
    for grid, reading in ruled:
        rivals = [i for i, (g, _) in enumerate(predicted) if _overlap(g.region, grid.region) >= 0.5]
        best = max((predicted[i][1][4].score for i in rivals), default=None)
        if best is None and reading[4].score < DOUBTFUL_BELOW:
            continue
        if best is not None and reading[4].score < best - RULED_MARGIN:
            continue
        taken.update(rivals)
        chosen.append((grid, reading))
    chosen += [p for i, p in enumerate(predicted) if i not in taken]
    chosen.sort(key=lambda item: (item[0].region.y0, item[0].region.x0))
    return chosen


def _analyse(words: list[Word], ruled: list[tuple[Grid, Reading]]) -> bool:
    """Whether the layout analyser is worth running on a page: its text outside the sound
    ruled tables (those scoring within ``RULED_MARGIN`` of a perfect 1, which the
    analyser's grids could not displace) may hold a table, or some ruled table is not
    sound (the analyser's grid may be the better one)."""
    if any(reading[4].score < 1 - RULED_MARGIN for _, reading in ruled):
        return True
    regions = [grid.region for grid, _ in ruled]
    outside = [w for w in words if not any(r.contains_point(*w.bbox.center) for r in regions)]
    return may_hold_table(outside)


def may_hold_table(words: Sequence[Word]) -> bool:
    """Whether the page's text could hold a table without ruling lines: at least
    ``MIN_GAPPED_LINES`` lines break into chunks set apart by wide gaps (columns). Prose,
    headings and lists do not; the layout analyser is not run on such pages."""
    heights = sorted(w.bbox.height for w in words)
    if not heights:
        return False
    size = heights[len(heights) // 2]
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(round(word.bbox.center[1] / (0.5 * size)), []).append(word)
    gapped = 0
    for line in lines.values():
        line.sort(key=lambda w: w.bbox.x0)
        gapped += _columned(line, size)
        if gapped >= MIN_GAPPED_LINES:
            return True
    return False


def _columned(line: list[Word], size: float) -> bool:
    """Whether a line (its words left to right, text ``size`` high) breaks at a wide gap,
    other than the one after a list item's marker ("•", "3.", "6.1") before a run of
    prose: a numbered paragraph is not a table row."""
    chunks = [[line[0]]]
    reach = line[0].bbox.x1
    for word in line[1:]:
        if word.bbox.x0 - reach > GAP * size:
            chunks.append([])
        chunks[-1].append(word)
        reach = max(reach, word.bbox.x1)
    if len(chunks) == 1:
        return False
    marker, rest = chunks[0], chunks[1:]
    prose = len(rest) == 1 and rest[0][-1].bbox.x1 - rest[0][0].bbox.x0 > PROSE * size
    return not (len(marker) == 1 and _MARKER.match(marker[0].text) and prose)


def _overlap(a: BBox, b: BBox) -> float:
    """The share of the smaller box that the two boxes have in common."""
    common = a.intersection(b)
    if common is None:
        return 0.0
    return common.area / max(1e-6, min(a.area, b.area))


def _filled(grid: list[list[str]]) -> tuple[list[int], list[int]]:
    """The rows and columns of a grid that hold any text."""
    rows = [r for r, row in enumerate(grid) if any(row)]
    cols = [c for c in range(len(grid[0]) if grid else 0) if any(grid[r][c] for r in rows)]
    return rows, cols


_regions: OrderedDict[tuple[int, bool], tuple[object, list[Grid]]] = OrderedDict()


def _cached_regions(frame: Frame, key: object) -> list[Grid]:
    """The analyser's regions of a page, kept for the last few pages: the tiles of one page
    ask for them in turn. The cache holds ``key`` itself, so its id is not reused meanwhile."""
    if key is None:
        return _table_regions(frame)
    with _LAYOUT_LOCK:
        hit = _regions.get((id(key), frame.fast))
        if hit is not None and hit[0] is key:
            return hit[1]
    regions = _table_regions(frame)
    with _LAYOUT_LOCK:
        _regions[(id(key), frame.fast)] = (key, regions)
        while len(_regions) > 4:
            _regions.popitem(last=False)
    return regions


def _table_regions(frame: Frame) -> list[Grid]:
    import pymupdf.layout  # noqa: F401  (activates the analyser on first use)

    # The analyser reads a page with /Rotate badly; it runs on the unrotated page (upright
    # in the frame), whose coordinates are the ones of the words it is given.
    pdf_page = frame.page
    rotation = pdf_page.rotation
    with _LAYOUT_LOCK:
        try:
            if rotation:
                pdf_page.set_rotation(0)
            if frame.fast:
                pdf_page.layout_information = _fast_analyser().predict(pdf_page, return_raw=True)
            else:
                pdf_page.get_layout(return_raw=True)
        finally:
            if rotation:
                pdf_page.set_rotation(rotation)
        boxes: list[dict[str, Any]] = list(pdf_page.layout_information or [])
    regions = []
    for box in boxes:
        grid = box.get("table_grid")
        if box.get("class_name") != "table" or not grid:
            continue
        x0, y0, x1, y1 = box["group_bbox"]
        rows = [y0, *(y0 + h for h in grid.h_lines), y1]
        cols = [x0, *(x0 + v for v in grid.v_lines), x1]
        regions.append(Grid(BBox(x0, y0, x1, y1), sorted(rows), sorted(cols)))
    return regions


_fast: list[Any] = []  # the text-features-only analyser, built on first use


def _fast_analyser() -> Any:
    """pymupdf.layout's model on the text's features alone, without the page-image network
    (see :data:`FAST`); built once. Called under ``_LAYOUT_LOCK``."""
    if not _fast:
        from pymupdf.layout import DocumentLayoutAnalyzer

        _fast.append(DocumentLayoutAnalyzer.get_model(feature_set_name="rf"))
    return _fast[0]


def _header_rows(grid: list[list[str]], bold: list[bool]) -> int:
    """Leading rows that look like headers.

    A header row has no value (number or dash) in its value columns (the first column often
    holds labels that are numbers, such as years) while some later row does; failing that,
    leading bold rows above non-bold ones; failing that, one row, unless the first row
    holds values itself (a table continued from the page before has no header).
    """

    def numeric(row: list[str]) -> bool:
        return any(_VALUE.match(cell.strip()) for cell in row[1:] if cell.strip())

    limit = min(MAX_HEADER_ROWS, len(grid) - 1)
    if any(numeric(row) for row in grid):
        count = 0
        while count < limit and not numeric(grid[count]):
            count += 1
        if count:
            return count
    count = 0
    while count < limit and bold[count]:
        count += 1
    if 0 < count < len(grid):
        return count
    return 0 if numeric(grid[0]) else 1
