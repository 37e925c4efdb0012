"""Tables over every table corpus: docvlm beside camelot and pdfplumber, same cases, same run.

    python benchmarks/tables.py [--set NAME ...] [--tool NAME ...] [-v] [--json PATH]

Sets (folders of ``shared/corpus``; see each README) and what is scored:

- ``icdar2013-eu``: ICDAR 2013 adjacency relations, micro precision/recall/F1 over the
  documents, with the corpus's own scorer (``eval/icdar_score.py``), as
  ``benchmarks/tables_icdar.py`` does. Every page of each PDF is read.
- ``camelot-tests`` (the ``primary`` cases), ``tabula-java-tests`` (the manifest's cases) and
  ``tabula-py-tests``: cell exact match, the share of expected non-empty cells found with the
  same text at the aligned place (rule below).
- ``pdfplumber-partial``: spot cells (NICS, and its rotated copy: "Alabama" and "Wyoming" in
  the first column, their Totals in the last; WARN: header and first data row, aligned as
  above) and the NICS column-sum invariant: every one of the 24 numeric columns sums over
  the state rows (Alabama to Wyoming, blank = 0) to its value in the Total row.
- ``table-free``: the pages of the ICDAR 2013 EU documents on which its ground truth has no
  table (prose, headings, charts, figures, title pages), each document read once with those
  pages only; the share of pages on which a tool finds no table. A speed set: it shows what
  pages without tables cost (the ahead-of verdict leaves it out).
- ``pubtabnet-examples``: TEDS (tree-edit-distance similarity, Zhong et al. 2020, as in
  PubTabNet's metric: APTED over table/thead/tbody/tr/td; renaming costs 1 when tag,
  colspan or rowspan differ, else the normalised Levenshtein distance of the cell texts;
  TEDS = 1 - distance / larger node count), computed here with ``apted`` and ``lxml``.
  Bold/italic/sup markup is stripped from the ground truth, since docvlm returns plain text.
  When a crop yields several tables, the best-scoring one counts. The crops are PNGs, so
  docvlm reads them through OCR; camelot and pdfplumber read PDFs only and are not
  applicable there.

Tools: ``docvlm`` (native engine, model-free); ``docvlm-fast`` (its ``tables="fast"`` mode,
not run unless named); ``camelot`` with the flavour its docs advise,
lattice for ruled cases and stream otherwise (from the case's ``ruled``/``unruled`` tag); and
``pdfplumber`` ``extract_tables`` likewise with its default line strategy on ruled cases and
the text strategy otherwise. ``camelot-lattice``, ``camelot-stream``, ``pdfplumber-lines``
and ``pdfplumber-text`` force one setting. No tool gets the corpus's tuned hints (camelot's
``columns``, ``line_scale``, table areas, tabula's ``columns``): each reads the whole page.

Cell normalisation (all sets scored by cells): NFKC; camelot's ``<s>`` superscript markers,
leader dots (three or more in a row) and trailing dots dropped; then every whitespace
character removed, so line-joining conventions inside a cell do not count. A cell with
right-to-left letters also matches its visual-order form (string reversed, left-to-right runs
kept, reversed before NFKC so that ligatures such as lam-alef keep their letters' order),
since PDFs store such text either way.

Alignment rule (cell sets): the expected table is compared with every candidate table the
tool found on that page; when the case has areas (tabula's manifest), a candidate is cropped
to the area first, keeping the cells whose box centre lies inside it (cells without a box are
placed at their row's and column's median), and rows and columns left empty are dropped.
Several areas for one expected table (left and right half) stack the crops, one predicted
table per area. Rows and columns are then aligned by content: starting from the mapping of
columns (or of rows) with the largest overlap of cell texts, alternately the order-preserving
row mapping and column mapping that maximise the exact matches given the other (dynamic
programming, like sequence alignment) are recomputed until the count stops growing; an
expected cell is right when it equals the predicted cell at its aligned row and column.
Unmapped rows/columns count as misses; a transposed table or a shifted grid scores low.
Within one page (a group of cases), expected tables and predicted tables are paired
one-to-one, maximising the total, so one merged table cannot satisfy two expected ones.
Convention allowances, per case and kept as data below: camelot's stream fixtures carry the
page's title and footnotes as rows, listed in ``skip_rows`` and not counted; they also split a
multi-line cell into one row per line, so there a predicted cell equal to the join of such
consecutive expected cells in its column (at one of their aligned rows) counts for each of
them (the reverse, a tool splitting a cell into rows, is not forgiven); a fixture written with
spanning text copied down (camelot ``copy_text``) also accepts an empty cell there. Empty
expected cells are not counted, and extra predicted content costs nothing (recall only).
``-v`` also shows "anywhere": the share of expected cells found anywhere in that table.

Report: per set and per kind (tags per case below), tools side by side, then pages/s per tool
per set (pages read over the tool's own wall-clock time) and CPU seconds per page (user and
system time of this process, all threads, from ``getrusage``: steadier than the wall clock
on a busy machine), and whether docvlm is ahead of both references
on each set's headline figure (strictly; on pdfplumber-partial also no fewer NICS sums held).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib.util
import io
import itertools
import json
import logging
import math
import os
import re
import resource
import statistics
import sys
import time
import unicodedata
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf
from rapidfuzz.distance import Levenshtein

import docvlm

HERE = Path(__file__).resolve().parent
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in page points, top-left origin
Area = tuple[float, float, float, float]  # top, left, bottom, right (tabula's order)

SETS = (
    "icdar2013-eu",
    "table-free",
    "camelot-tests",
    "tabula-java-tests",
    "tabula-py-tests",
    "pdfplumber-partial",
    "pubtabnet-examples",
)
TOOLS = (
    "docvlm",
    "docvlm-fast",
    "camelot",
    "pdfplumber",
    "camelot-lattice",
    "camelot-stream",
    "pdfplumber-lines",
    "pdfplumber-text",
)
DEFAULT_TOOLS = ("docvlm", "camelot", "pdfplumber")
KINDS = (
    "ruled",
    "unruled",
    "rotated",
    "spanning",
    "dense",
    "rtl",
    "multi-table",
    "multi-page",
    "raster",
)

# --- Tags and per-case conventions (data) -----------------------------------------------------
# ruled: lines demarcate both rows and columns (a tool's "lattice" case); unruled: whitespace
# or rules in one direction only. rotated: table turned on the page, or a page /Rotate, or
# vertical header text. spanning: cells spanning rows/columns. dense: 10 or more columns.
# rtl: right-to-left script. multi-table: other tables on the same page. multi-page: the
# table runs over several pages. raster: an image, read through OCR.

# ICDAR documents (by the scorer's base stem). ruled = most GT cells lie in tables with
# lines in both directions (measured from the page drawings); spanning = the -str.xml has
# spans; multi-table = two or more tables on a page; eu-015's pages are /Rotate 90.
ICDAR_TAGS: dict[str, tuple[str, ...]] = {
    "eu-001": ("ruled", "multi-table", "spanning"),
    "eu-002": ("ruled",),
    "eu-003": ("ruled", "multi-table"),
    "eu-004": ("ruled", "multi-table", "spanning"),
    "eu-005": ("ruled", "multi-table"),
    "eu-006": ("ruled", "multi-table"),
    "eu-007": ("ruled", "multi-table"),
    "eu-008": ("unruled",),
    "eu-009": ("ruled", "spanning"),
    "eu-010": ("ruled",),
    "eu-011": ("unruled",),
    "eu-012": ("ruled", "multi-table", "spanning", "dense"),
    "eu-013": ("unruled",),
    "eu-014": ("unruled",),
    "eu-015": ("unruled", "rotated", "multi-table"),
    "eu-016": ("unruled",),
    "eu-017": ("unruled",),
    "eu-018": ("ruled", "multi-table", "spanning", "dense"),
    "eu-019": ("unruled",),
    "eu-020": ("ruled", "multi-table", "spanning"),
    "eu-021": ("ruled", "spanning"),
    "eu-022": ("ruled", "spanning"),
    "eu-023": ("ruled",),
    "eu-024": ("ruled",),
    "eu-025": ("ruled", "multi-table", "spanning"),
    "eu-026": ("unruled",),
    "eu-027": ("unruled",),
}

# camelot-tests primary cases: tags, and fixture rows that are the page's title or notes
# (camelot's stream flavour keeps them; they are not table cells), and copied spans.
CAMELOT_CASES: dict[str, dict[str, Any]] = {
    "lattice_rotated_cw": {"tags": ("ruled", "rotated", "spanning", "dense")},
    "lattice_rotated_acw": {"tags": ("ruled", "rotated", "spanning", "dense")},
    "lattice_two_tables_t1": {"tags": ("ruled", "multi-table", "spanning")},
    "lattice_two_tables_t2": {"tags": ("ruled", "multi-table", "spanning")},
    "lattice_table_regions": {"tags": ("ruled", "multi-table")},  # nested in a layout table
    "lattice_process_background": {"tags": ("ruled", "multi-table")},  # white rules on shading
    "lattice_copy_text": {"tags": ("ruled", "spanning"), "copied_down": True},
    "lattice_shift_text_left_top": {"tags": ("ruled", "spanning")},
    "lattice_arabic": {"tags": ("ruled", "rtl")},
    "lattice_split_text": {"tags": ("ruled", "dense")},
    "stream_health": {"tags": ("unruled", "spanning")},
    "stream_rotated_cw": {"tags": ("unruled", "rotated", "spanning", "dense"), "skip_rows": (0,)},
    "stream_rotated_acw": {"tags": ("unruled", "rotated", "spanning", "dense"), "skip_rows": (0,)},
    "stream_two_tables_t1": {
        "tags": ("unruled", "multi-table", "spanning", "dense"),
        "skip_rows": (0, 1, 2, 40),
    },
    "stream_two_tables_t2": {"tags": ("unruled", "multi-table"), "skip_rows": (0, 1, 2, 38)},
    "stream_columns": {"tags": ("unruled",)},
    "stream_split_text": {"tags": ("unruled", "rotated", "dense"), "skip_rows": (0, 1, 2)},
    "stream_flag_size": {"tags": ("unruled", "dense")},
    "stream_layout_kwargs": {"tags": ("unruled",)},
    "stream_edge_tol": {"tags": ("unruled",), "skip_rows": (24, 25, 26)},
    "stream_inner_outer_columns": {"tags": ("unruled",)},
    "network_multiple_tables_t1": {"tags": ("ruled", "multi-table")},
    "network_multiple_tables_t2": {"tags": ("ruled", "multi-table")},
    "network_vertical_header": {"tags": ("ruled", "rotated", "spanning", "dense")},
}

# tabula-java manifest cases, in manifest order: (case id, tags). schools and Publication are
# /Rotate 90 pages; tabula reads argentina with its stream method but the table is boxed.
TABULA_JAVA_CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("argentina_diputados_voting_record", ("ruled",)),
    ("schools", ("ruled", "rotated", "dense")),
    ("twotables", ("ruled", "multi-table", "spanning")),
    ("frx_2012_disclosure", ("ruled",)),
    ("indictb1h_14", ("unruled", "rtl")),
    ("spanning_cells", ("ruled", "multi-table", "spanning")),
    ("spanning_cells_area", ("ruled", "multi-table", "spanning")),
    ("spreadsheet_no_bounding_frame", ("ruled", "spanning")),
    ("Publication_of_award_of_Bids", ("ruled", "rotated", "dense")),
    ("MultiColumn", ("unruled",)),
    ("AnimalSounds", ("unruled",)),
    ("AnimalSounds1", ("unruled", "multi-table")),
)

HALVES = ((0.0, 0.0, 100.0, 50.0), (0.0, 50.0, 100.0, 100.0))  # area_percent, left and right
# tabula-py: (case id, pdf, page, expected CSV, tags, areas in percent, area in points).
# MultiColumn's README accepts both blocks stacked, so it takes tabula-java's two halves;
# data_dtype's expectation is tabula's output for the first area of its template.
TABULA_PY_CASES: tuple[tuple[Any, ...], ...] = (
    ("mtcars", "data.pdf", 1, "data_p1_mtcars.gt.csv", ("unruled", "dense"), None, None),
    (
        "iris_head",
        "data.pdf",
        2,
        "data_p2_iris_head.gt.csv",
        ("unruled", "multi-table"),
        None,
        None,
    ),
    (
        "iris_tail",
        "data.pdf",
        2,
        "data_p2_iris_tail.gt.csv",
        ("unruled", "multi-table"),
        None,
        None,
    ),
    ("toothgrowth", "data.pdf", 3, "data_p3_toothgrowth.gt.csv", ("unruled",), None, None),
    (
        "campaign_donors",
        "campaign_donors.pdf",
        1,
        "campaign_donors.gt.csv",
        ("unruled",),
        None,
        None,
    ),
    ("MultiColumn", "MultiColumn.pdf", 1, "MultiColumn.csv", ("unruled",), HALVES, None),
    (
        "data_dtype_items",
        "data_dtype.pdf",
        1,
        "data_dtype_template_expected.csv",
        ("unruled",),
        None,
        (77.5458, 0.6544, 243.1077, 333.7414),
    ),
)

PDFPLUMBER_CASES: dict[str, tuple[str, ...]] = {
    "nics": ("unruled", "dense"),  # column rules only, rows by shading
    "nics-rotated": ("unruled", "dense", "rotated"),
    "warn": ("ruled", "multi-page"),
}

# PubTabNet crops: all raster and booktabs-style (unruled); spans from the GT HTML;
# dense = 10 or more columns.
PUBTABNET_DENSE = frozenset({"PMC1626454_002_00", "PMC2759935_007_01"})
PUBTABNET_SPANNING = frozenset(
    {
        "PMC1626454_002_00",
        "PMC2759935_007_01",
        "PMC2838834_005_00",
        "PMC4003957_018_00",
        "PMC4172848_007_00",
        "PMC4682394_003_00",
        "PMC5198506_004_00",
        "PMC5332562_005_00",
        "PMC5402779_004_00",
        "PMC5577841_001_00",
    }
)


# --- Normalisation ----------------------------------------------------------------------------

RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LTR_RUN = re.compile(r"[0-9A-Za-z.,:%/+\-()]+")
LEADERS = re.compile(r"(?:\s*\.\s*/?){3,}")
TRAILING_DOTS = re.compile(r"\s*\.[\s./]*$")
SUPERSCRIPT_MARK = re.compile(r"</?s>")
WHITESPACE = re.compile(r"\s+")


def visual_order(text: str) -> str:
    """The other storage order of a right-to-left line: reversed, left-to-right runs kept."""
    return LTR_RUN.sub(lambda m: m.group(0)[::-1], text[::-1])


def norm(text: Any) -> str:
    raw = "" if text is None else str(text)
    out = _plain(raw)
    if RTL.search(out):
        # Reversed before NFKC: a presentation-form ligature (lam-alef) expands into letters
        # in logical order, which reversing afterwards would swap.
        out = min(out, _plain(visual_order(WHITESPACE.sub("", raw))))
    return out


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = SUPERSCRIPT_MARK.sub("", text)
    text = TRAILING_DOTS.sub("", LEADERS.sub("", text))
    return WHITESPACE.sub("", text)


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(row) for row in rows), default=0)
    return [list(row) + [""] * (width - len(row)) for row in rows]


# --- What the tools return --------------------------------------------------------------------


@dataclass
class Grid:
    """One predicted table: cell texts, and where each cell lies when the tool says."""

    rows: list[list[str]]
    boxes: list[list[Box | None]] | None = None
    page: int | None = None
    header_rows: int = 0


@dataclass
class Run:
    tables: list[Grid]
    pages: int
    seconds: float
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def page_spec(pages: tuple[int, ...] | None) -> str | None:
    return None if pages is None else ",".join(str(p) for p in pages)


def run_docvlm(
    path: Path, pages: tuple[int, ...] | None, merge_pages: bool, mode: str = "accurate"
) -> Run:
    start = time.perf_counter()
    engine = docvlm.get_engine("native", tables=mode)
    result = docvlm.extract(
        path, schema="table", engine=engine, pages=page_spec(pages), merge_pages=merge_pages
    )
    seconds = time.perf_counter() - start
    tables = []
    for record, prov in zip(result.records, result.provenance, strict=True):
        rows = rectangular([[str(c or "") for c in row] for row in record.rows])  # type: ignore[attr-defined]
        boxes: list[list[Box | None]] = [[None] * len(row) for row in rows]
        for cell in prov.fields:
            parts = cell.path.split(".")
            if len(parts) == 3 and parts[0] == "rows" and cell.bbox:
                r, c = int(parts[1]), int(parts[2])
                if r < len(rows) and c < len(rows[r]):
                    boxes[r][c] = tuple(cell.bbox)  # type: ignore[assignment]
        tables.append(Grid(rows, boxes, prov.page, record.header_rows))  # type: ignore[attr-defined]
    notes = [str(e) for e in result.errors]
    notes += [str(w) for w in getattr(result, "warnings", None) or []]
    pages_read = len(result.page_numbers) or result.pages_total
    return Run(tables, pages_read, seconds, notes=notes)


def run_camelot(path: Path, pages: tuple[int, ...] | None, flavor: str) -> Run:
    import camelot

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = camelot.read_pdf(
            str(path), pages=page_spec(pages) or "all", flavor=flavor, suppress_stdout=True
        )
    seconds = time.perf_counter() - start
    heights = {}
    with pymupdf.open(path) as document:
        count = len(document)
        for index in range(count):
            heights[index + 1] = document[index].rect.height  # the page as shown (rotation)
    tables = []
    for table in found:
        page = int(table.page)
        rows = [[str(v) for v in row] for row in table.df.values.tolist()]
        height = heights.get(page, 0.0)
        boxes: list[list[Box | None]] = [
            [(c.x1, height - c.y2, c.x2, height - c.y1) for c in row] for row in table.cells
        ]
        if len(boxes) != len(rows) or any(
            len(b) != len(r) for b, r in zip(boxes, rows, strict=True)
        ):
            boxes = None  # type: ignore[assignment]
        tables.append(Grid(rows, boxes, page))
    return Run(tables, len(pages) if pages else count, seconds)


def run_pdfplumber(path: Path, pages: tuple[int, ...] | None, strategy: str) -> Run:
    import pdfplumber

    settings = (
        {} if strategy == "lines" else {"vertical_strategy": "text", "horizontal_strategy": "text"}
    )
    start = time.perf_counter()
    tables = []
    with pdfplumber.open(path) as pdf:
        numbers = pages or tuple(range(1, len(pdf.pages) + 1))
        for number in numbers:
            page = pdf.pages[number - 1]
            for table in page.find_tables(settings):
                rows = rectangular([[c or "" for c in row] for row in table.extract()])
                boxes: list[list[Box | None]] | None = [list(row.cells) for row in table.rows]
                if boxes is not None and (
                    len(boxes) != len(rows)
                    or any(len(b) != len(r) for b, r in zip(boxes, rows, strict=True))
                ):
                    boxes = None
                tables.append(Grid(rows, boxes, number))
    return Run(tables, len(numbers), time.perf_counter() - start)


def tool_variant(tool: str, tags: tuple[str, ...]) -> str:
    """The concrete setting a tool runs with on a case: ``camelot`` and ``pdfplumber`` follow
    their docs' advice, line-based on ruled tables, whitespace-based otherwise."""
    ruled = "ruled" in tags
    if tool == "camelot":
        return "camelot-lattice" if ruled else "camelot-stream"
    if tool == "pdfplumber":
        return "pdfplumber-lines" if ruled else "pdfplumber-text"
    return tool


def cpu_seconds() -> float:
    """User and system CPU time of this process so far, all threads (the models' included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Runner:
    """Runs each (tool setting, file, pages) once and keeps the time and pages per set."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str, Any, bool], Run] = {}
        # per (set, tool): pages, wall seconds, CPU seconds of this process
        self.speed: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])

    def get(
        self,
        set_name: str,
        tool: str,
        variant: str,
        path: Path,
        pages: tuple[int, ...] | None,
        merge_pages: bool = False,
    ) -> Run:
        key = (variant, str(path), pages, merge_pages)
        if key not in self.cache:
            cpu = cpu_seconds()
            try:
                with (
                    contextlib.redirect_stdout(io.StringIO()),
                    contextlib.redirect_stderr(io.StringIO()),
                    warnings.catch_warnings(),
                ):
                    warnings.simplefilter("ignore")
                    if variant == "docvlm":
                        run = run_docvlm(path, pages, merge_pages)
                    elif variant == "docvlm-fast":
                        run = run_docvlm(path, pages, merge_pages, "fast")
                    elif variant.startswith("camelot-"):
                        run = run_camelot(path, pages, variant.split("-", 1)[1])
                    else:
                        run = run_pdfplumber(path, pages, variant.split("-", 1)[1])
            except Exception as exc:  # a tool failing on a file is a result, not a crash
                run = Run([], 0, 0.0, error=f"{type(exc).__name__}: {exc}"[:200])
            self.cache[key] = run
            totals = self.speed[(set_name, tool)]
            totals[0] += run.pages
            totals[1] += run.seconds
            totals[2] += cpu_seconds() - cpu
        return self.cache[key]


# --- Cell alignment ---------------------------------------------------------------------------


def monotone_pairs(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Order-preserving pairs (i, k) maximising the summed weight (skips cost nothing)."""
    n = len(weights)
    m = len(weights[0]) if n else 0
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above, wi = best[i], best[i - 1], weights[i - 1]
        for k in range(1, m + 1):
            row[k] = max(above[k], row[k - 1], above[k - 1] + wi[k - 1])
    pairs = []
    i, k = n, m
    while i > 0 and k > 0:
        if best[i][k] == best[i - 1][k]:
            i -= 1
        elif best[i][k] == best[i][k - 1]:
            k -= 1
        else:
            pairs.append((i - 1, k - 1))
            i -= 1
            k -= 1
    return pairs[::-1]


@dataclass
class Expected:
    rows: list[list[str]]  # raw texts
    skip_rows: frozenset[int] = frozenset()
    copied_down: bool = False
    split_lines: bool = False

    def targets(self) -> list[tuple[int, int, str, bool]]:
        """The counted cells: (row, column, normalised text, accepts an empty cell)."""
        grid = [[norm(c) for c in row] for row in self.rows]
        cells = []
        for i, row in enumerate(grid):
            if i in self.skip_rows:
                continue
            for j, text in enumerate(row):
                if text:
                    copied = self.copied_down and i > 0 and j < len(grid[i - 1])
                    copied = copied and grid[i - 1][j] == text
                    cells.append((i, j, text, copied))
        return cells


@dataclass
class Alignment:
    matched: int
    total: int
    anywhere: int
    rows: dict[int, int]
    cols: dict[int, int]
    shape: tuple[int, int]
    hits: frozenset[tuple[int, int]] = frozenset()

    @property
    def score(self) -> float:
        return self.matched / self.total if self.total else 0.0


def align(expected: Expected, predicted: list[list[str]]) -> Alignment:
    targets = expected.targets()
    grid = rectangular([[norm(c) for c in row] for row in predicted])
    n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
    total = len(targets)
    bag = Counter(c for row in grid for c in row if c)
    anywhere = sum((Counter(t for _, _, t, _ in targets) & bag).values())
    if not targets or not n_cols:
        return Alignment(0, total, anywhere, {}, {}, (n_rows, n_cols))
    e_rows = max(i for i, *_ in targets) + 1
    e_cols = max(j for _, j, *_ in targets) + 1

    def ok(text: str, copied: bool, got: str) -> bool:
        return got == text or (copied and not got)

    def count(rows: dict[int, int], cols: dict[int, int]) -> int:
        return sum(
            1
            for i, j, text, copied in targets
            if i in rows and j in cols and ok(text, copied, grid[rows[i]][cols[j]])
        )

    def rows_given(cols: dict[int, int]) -> dict[int, int]:
        weights = [[0] * n_rows for _ in range(e_rows)]
        for i, j, text, copied in targets:
            if j in cols:
                k = cols[j]
                wi = weights[i]
                for r in range(n_rows):
                    if ok(text, copied, grid[r][k]):
                        wi[r] += 1
        return dict(monotone_pairs(weights))

    def cols_given(rows: dict[int, int]) -> dict[int, int]:
        weights = [[0] * n_cols for _ in range(e_cols)]
        for i, j, text, copied in targets:
            if i in rows:
                line = grid[rows[i]]
                wj = weights[j]
                for k in range(n_cols):
                    if ok(text, copied, line[k]):
                        wj[k] += 1
        return dict(monotone_pairs(weights))

    def overlap(axis: int) -> dict[int, int]:
        size = e_cols if axis else e_rows
        expected_bags = [Counter() for _ in range(size)]  # type: list[Counter[str]]
        for i, j, text, _ in targets:
            expected_bags[j if axis else i][text] += 1
        lines = list(zip(*grid, strict=True)) if axis else grid
        got_bags = [Counter(c for c in line if c) for line in lines]
        weights = [[sum((e & g).values()) for g in got_bags] for e in expected_bags]
        return dict(monotone_pairs(weights))

    best = Alignment(0, total, anywhere, {}, {}, (n_rows, n_cols))
    for start in ("cols", "rows"):
        if start == "cols":
            cols = overlap(1)
            rows = rows_given(cols)
        else:
            rows = overlap(0)
            cols = cols_given(rows)
        score = count(rows, cols)
        for _ in range(8):
            cols2 = cols_given(rows)
            rows2 = rows_given(cols2)
            score2 = count(rows2, cols2)
            if score2 <= score:
                break
            rows, cols, score = rows2, cols2, score2
        if score > best.matched or not best.rows:
            best = Alignment(score, total, anywhere, rows, cols, (n_rows, n_cols))
    hits = {
        (i, j)
        for i, j, text, copied in targets
        if i in best.rows and j in best.cols and ok(text, copied, grid[best.rows[i]][best.cols[j]])
    }
    if expected.split_lines:
        hits |= joined_hits(targets, grid, best.rows, best.cols, hits)
    best.hits = frozenset(hits)
    best.matched = len(hits)
    return best


def joined_hits(
    targets: list[tuple[int, int, str, bool]],
    grid: list[list[str]],
    rows: dict[int, int],
    cols: dict[int, int],
    hits: set[tuple[int, int]],
) -> set[tuple[int, int]]:
    """Expected cells that a fixture split over consecutive rows (one line each) and the
    tool kept as one cell: the predicted cell equals their join, at a row aligned with one
    of them or at an unaligned row between their aligned neighbours."""
    text_at = {(i, j): text for i, j, text, _ in targets}
    taken = set(rows.values())
    found: set[tuple[int, int]] = set()
    for i, j, _, _ in targets:
        if (i, j) in hits or (i, j) in found or j not in cols:
            continue
        for a in range(max(0, i - 5), i + 1):
            for b in range(i, i + 6):
                if b == a or (a, j) not in text_at or (b, j) not in text_at:
                    continue
                window = [r for r in range(a, b + 1) if (r, j) in text_at]
                joined = "".join(text_at[(r, j)] for r in window)
                mapped = {rows[r] for r in range(a, b + 1) if r in rows}
                lower = max((p for r, p in rows.items() if r < a), default=-1)
                upper = min((p for r, p in rows.items() if r > b), default=len(grid))
                mapped |= {p for p in range(lower + 1, upper) if p not in taken}
                if any(grid[p][cols[j]] == joined for p in mapped):
                    found.update((r, j) for r in window)
    return found


def misses(expected: Expected, predicted: list[list[str]], alignment: Alignment, limit: int = 5):
    """The worst misses, expected vs got: unmapped cells first, then by edit distance."""
    grid = rectangular(predicted)
    out = []
    for i, j, text, _ in expected.targets():
        if (i, j) in alignment.hits:
            continue
        got = None
        if i in alignment.rows and j in alignment.cols:
            got = grid[alignment.rows[i]][alignment.cols[j]]
        distance = 2.0 if got is None else Levenshtein.normalized_distance(text, norm(got))
        out.append((distance, i, j, expected.rows[i][j], got))
    out.sort(key=lambda m: (-m[0], m[1], m[2]))
    return [(i, j, want, got) for _, i, j, want, got in out[:limit]]


# --- Candidates: crops to areas, stacks over areas --------------------------------------------


def filled_boxes(grid: Grid) -> list[list[Box | None]] | None:
    """Each cell's box, a missing one placed at its row's and column's median centre."""
    if grid.boxes is None:
        return None
    boxes = grid.boxes
    xs: dict[int, list[float]] = defaultdict(list)
    ys: dict[int, list[float]] = defaultdict(list)
    for r, row in enumerate(boxes):
        for c, box in enumerate(row):
            if box:
                xs[c].append((box[0] + box[2]) / 2)
                ys[r].append((box[1] + box[3]) / 2)
    out: list[list[Box | None]] = []
    for r, row in enumerate(boxes):
        line: list[Box | None] = []
        for c, box in enumerate(row):
            if box is None and xs.get(c) and ys.get(r):
                x, y = statistics.median(xs[c]), statistics.median(ys[r])
                box = (x, y, x, y)
            line.append(box)
        out.append(line)
    return out


def crop(grid: Grid, area: Area, page: int | None) -> list[list[str]]:
    """The cells of ``grid`` whose centre lies in ``area``, empty rows and columns dropped."""
    if page is not None and grid.page is not None and grid.page != page:
        return []
    boxes = filled_boxes(grid)
    if boxes is None:
        return []
    top, left, bottom, right = area
    slack = 2.0
    rows = []
    for row, row_boxes in zip(grid.rows, boxes, strict=True):
        line = []
        for text, box in zip(row, row_boxes, strict=True):
            inside = box is not None and (
                left - slack <= (box[0] + box[2]) / 2 <= right + slack
                and top - slack <= (box[1] + box[3]) / 2 <= bottom + slack
            )
            line.append(text if inside else "")
        rows.append(line)
    rows = [row for row in rows if any(norm(c) for c in row)]
    if not rows:
        return []
    keep = [c for c in range(len(rows[0])) if any(norm(row[c]) for row in rows)]
    return [[row[c] for c in keep] for row in rows]


@dataclass
class Case:
    set: str
    id: str
    path: Path
    pages: tuple[int, ...] | None
    tags: tuple[str, ...]
    expected: list[Expected] = field(default_factory=list)
    areas: list[Area] | None = None  # one per expected table, or several stacked for one
    group: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def candidates(case: Case, run: Run, index: int) -> list[tuple[Any, list[list[str]]]]:
    """(key, grid) for expected table ``index``: keys name the predicted table(s) used, so
    that the pairing is one-to-one."""
    page = case.pages[0] if case.pages and len(case.pages) == 1 else None
    if not case.areas:
        return [((None, t), rectangular(g.rows)) for t, g in enumerate(run.tables) if g.rows]
    if len(case.areas) == len(case.expected):
        area = case.areas[index]
        out = []
        for t, grid in enumerate(run.tables):
            cropped = crop(grid, area, page)
            if cropped:
                out.append(((index, t), cropped))
        return out
    per_area = []
    for area in case.areas:
        crops = [(t, crop(g, area, page)) for t, g in enumerate(run.tables)]
        per_area.append([(t, c) for t, c in crops if c] or [(None, [])])
    out = []
    for combo in itertools.product(*per_area):
        stacked = [row for _, part in combo for row in part]
        if stacked:
            out.append((tuple(t for t, _ in combo), rectangular(stacked)))
    return out


def score_group(cases: list[Case], run: Run) -> dict[tuple[str, int], dict[str, Any]]:
    """Pair a page's expected tables with predicted ones one-to-one, maximising matches."""
    units = [(case, k) for case in cases for k in range(len(case.expected))]
    options = []
    for case, k in units:
        scored = []
        for key, grid in candidates(case, run, k):
            alignment = align(case.expected[k], grid)
            scored.append((alignment.matched, key, grid, alignment))
        scored.sort(key=lambda s: -s[0])
        options.append(scored[:8])
    best_total, best_choice = -1, None
    choices = [[*range(len(o)), -1] for o in options]
    for choice in itertools.product(*choices):
        keys = [options[u][c][1] for u, c in enumerate(choice) if c >= 0]
        if len(keys) != len(set(keys)):
            continue
        total = sum(options[u][c][0] for u, c in enumerate(choice) if c >= 0)
        if total > best_total:
            best_total, best_choice = total, choice
    out = {}
    for u, (case, k) in enumerate(units):
        c = best_choice[u] if best_choice else -1
        expected = case.expected[k]
        if c < 0:
            targets = expected.targets()
            out[(case.id, k)] = {"alignment": Alignment(0, len(targets), 0, {}, {}, (0, 0))}
            out[(case.id, k)]["grid"] = []
        else:
            _, key, grid, alignment = options[u][c]
            out[(case.id, k)] = {"alignment": alignment, "grid": grid, "table": key}
    return out


# --- Sets -------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return rectangular([row for row in csv.reader(handle)])


def page_size(path: Path, page: int) -> tuple[float, float]:
    with pymupdf.open(path) as document:
        rect = document[page - 1].rect
        return rect.width, rect.height


def percent_areas(path: Path, page: int, percents: Any) -> list[Area]:
    width, height = page_size(path, page)
    return [
        (t * height / 100, left * width / 100, b * height / 100, r * width / 100)
        for t, left, b, r in percents
    ]


def load_camelot(corpus: Path) -> list[Case]:
    folder = corpus / "camelot-tests"
    data = json.loads((folder / "expected_tables.json").read_text())
    cases = []
    for item in data["cases"]:
        if not item.get("primary"):
            continue
        info = CAMELOT_CASES[item["case_id"]]
        pages = tuple(int(p) for p in str(item.get("pages", "1")).split(","))
        expected = Expected(
            rectangular(item["expected"]),
            frozenset(info.get("skip_rows", ())),
            bool(info.get("copied_down")),
            split_lines=item["flavor"] == "stream",
        )
        cases.append(
            Case(
                "camelot-tests",
                item["case_id"],
                folder / item["pdf"],
                pages,
                info["tags"],
                [expected],
                group=f"{item['pdf']}:{pages}",
            )
        )
    return cases


def load_tabula_java(corpus: Path) -> list[Case]:
    folder = corpus / "tabula-java-tests"
    manifest = json.loads((folder / "manifest.json").read_text())["cases"]
    cases = []
    for (case_id, tags), item in zip(TABULA_JAVA_CASES, manifest, strict=True):
        path = folder / item["pdf"]
        page = int(item["page"])
        files = item["expected"]
        json_file = next((f for f in files if f.endswith(".json")), None)
        if json_file:
            tables = json.loads((folder / json_file).read_text())
            tables = tables if isinstance(tables, list) else [tables]
            expected = [
                Expected(rectangular([[cell["text"] for cell in row] for row in t["data"]]))
                for t in tables
            ]
        else:
            expected = [Expected(read_csv(folder / files[0]))]
        areas: list[Area] | None = None
        if item.get("area"):
            areas = [tuple(item["area"])]  # type: ignore[list-item]
        elif item.get("area_percent"):
            areas = percent_areas(path, page, item["area_percent"])
        if areas and len(areas) == 1 and len(expected) > 1:
            areas = areas * len(expected)
        cases.append(
            Case(
                "tabula-java-tests",
                case_id,
                path,
                (page,),
                tags,
                expected,
                areas,
                group=case_id,
            )
        )
    return cases


def load_tabula_py(corpus: Path) -> list[Case]:
    folder = corpus / "tabula-py-tests"
    cases = []
    for case_id, pdf, page, gt, tags, percents, area in TABULA_PY_CASES:
        path = folder / pdf
        areas = percent_areas(path, page, percents) if percents else ([area] if area else None)
        cases.append(
            Case(
                "tabula-py-tests",
                case_id,
                path,
                (page,),
                tags,
                [Expected(read_csv(folder / gt))],
                areas,
                group=f"{pdf}:{page}" if not areas else case_id,
            )
        )
    return cases


def load_pdfplumber(corpus: Path) -> list[Case]:
    folder = corpus / "pdfplumber-partial"
    truth = json.loads((folder / "partial_ground_truth.json").read_text())["documents"]
    nics, warn = truth[0], truth[1]
    cases = []
    for case_id, pdf in (("nics", nics["pdf"]), ("nics-rotated", nics["also"].split()[0])):
        cases.append(
            Case(
                "pdfplumber-partial",
                case_id,
                folder / pdf,
                (1,),
                PDFPLUMBER_CASES[case_id],
                extra={"kind": "nics", "spots": nics["spot_cells"]},
            )
        )
    expected = Expected([warn["header_row_spaces_removed_in_first_3_cols"], warn["first_data_row"]])
    cases.append(
        Case(
            "pdfplumber-partial",
            "warn",
            folder / warn["pdf"],
            None,  # the whole report: the table runs over its pages
            PDFPLUMBER_CASES["warn"],
            [expected],
            group="warn",
            extra={"kind": "cells"},
        )
    )
    return cases


def load_icdar(corpus: Path) -> list[Case]:
    folder = corpus / "icdar2013-eu"
    cases = []
    for pdf in sorted(folder.glob("*.pdf")):
        stem = re.sub(r"(?<=\d)[a-z]$", "", pdf.stem)
        cases.append(Case("icdar2013-eu", stem, pdf, None, ICDAR_TAGS[stem], group=pdf.stem))
    return cases


def load_table_free(corpus: Path) -> list[Case]:
    """Per ICDAR document, its pages on which the ground truth has no table."""
    cases = []
    for case in load_icdar(corpus):
        regions = case.path.with_name(f"{case.path.stem}-reg.xml").read_text()
        with_tables = {int(p) for p in re.findall(r"page=['\"](\d+)['\"]", regions)}
        with pymupdf.open(case.path) as document:
            free = tuple(p for p in range(1, len(document) + 1) if p not in with_tables)
        if free:
            cases.append(Case("table-free", case.id, case.path, free, case.tags, group=case.group))
    return cases


def load_pubtabnet(corpus: Path) -> list[Case]:
    folder = corpus / "pubtabnet-examples"
    truth = json.loads((folder / "PubTabNet_Examples.gt_html.json").read_text())
    cases = []
    for name in sorted(truth):
        stem = Path(name).stem
        tags = ["raster", "unruled"]
        if stem in PUBTABNET_SPANNING:
            tags.append("spanning")
        if stem in PUBTABNET_DENSE:
            tags.append("dense")
        cases.append(
            Case(
                "pubtabnet-examples",
                stem,
                folder / name,
                None,
                tuple(tags),
                group=stem,
                extra={"html": truth[name]},
            )
        )
    return cases


LOADERS = {
    "icdar2013-eu": load_icdar,
    "camelot-tests": load_camelot,
    "tabula-java-tests": load_tabula_java,
    "tabula-py-tests": load_tabula_py,
    "pdfplumber-partial": load_pdfplumber,
    "pubtabnet-examples": load_pubtabnet,
    "table-free": load_table_free,
}


# --- Scoring per set --------------------------------------------------------------------------


def score_cells(cases: list[Case], tool: str, runner: Runner) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        groups[(tool_variant(tool, case.tags), case.group)].append(case)
    results = []
    for (variant, _), members in groups.items():
        first = members[0]
        merge = first.pages is None  # a whole document: let docvlm join continued tables
        run = runner.get(first.set, tool, variant, first.path, first.pages, merge)
        scored = score_group(members, run)
        for case in members:
            matched = total = anywhere = 0
            details = []
            for k, expected in enumerate(case.expected):
                entry = scored[(case.id, k)]
                a: Alignment = entry["alignment"]
                matched += a.matched
                total += a.total
                anywhere += a.anywhere
                details.append(
                    {
                        "expected_shape": [len(expected.rows), len(expected.rows[0])],
                        "got_shape": list(a.shape),
                        "rows_mapped": len(a.rows),
                        "cols_mapped": len(a.cols),
                        "matched": a.matched,
                        "total": a.total,
                        "anywhere": a.anywhere,
                        "misses": misses(expected, entry["grid"], a),
                    }
                )
            results.append(
                {
                    "set": case.set,
                    "case": case.id,
                    "tags": list(case.tags),
                    "tool": tool,
                    "setting": variant,
                    "metric": "cells",
                    "matched": matched,
                    "total": total,
                    "anywhere": anywhere,
                    "score": matched / total if total else 0.0,
                    "tables_found": len(run.tables),
                    "error": run.error,
                    "notes": run.notes[:5],
                    "tables": details,
                }
            )
    return results


NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def parse_number(text: str) -> float | None:
    """A count as the report prints it (blank = 0); None for anything else, such as two
    numbers run into one cell."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return 0.0
    return float(text.replace(",", "")) if NUMBER.fullmatch(text) else None


def score_nics(case: Case, tool: str, runner: Runner) -> dict[str, Any]:
    variant = tool_variant(tool, case.tags)
    run = runner.get(case.set, tool, variant, case.path, case.pages)
    spots = case.extra["spots"]
    result: dict[str, Any] = {
        "set": case.set,
        "case": case.id,
        "tags": list(case.tags),
        "tool": tool,
        "setting": variant,
        "metric": "spots",
        "matched": 0,
        "total": len(spots),
        "sums_held": False,
        "sums": "no table with Alabama and Wyoming",
        "error": run.error,
        "notes": run.notes[:5],
        "tables_found": len(run.tables),
        "misses": [],
    }
    tables = []
    for grid in run.tables:
        raw = rectangular(grid.rows)
        rows = [[norm(c) for c in row] for row in raw]
        names = [c for row in rows for c in row]
        if "Alabama" in names and "Wyoming" in names:
            tables.append((rows, raw))
    if not tables:
        result["misses"] = [(s["row"], s["col_index"], s["value"], None) for s in spots]
        return result
    rows, raw = max(tables, key=lambda t: len(t[0]))
    width = len(rows[0])
    filled = [c for c in range(width) if any(row[c] for row in rows)]
    first, last = filled[0], filled[-1]
    start = next(r for r, row in enumerate(rows) if "Alabama" in row)
    end = max(r for r, row in enumerate(rows) if "Wyoming" in row)
    matched = 0
    for spot in spots:
        r = start if spot["row"] == "first data row" else end
        column = first if spot["col_index"] == 0 else last
        got = rows[r][column]
        if got == norm(spot["value"]):
            matched += 1
        else:
            result["misses"].append((spot["row"], spot["col_index"], spot["value"], got))
    result["matched"] = matched
    total_row = next(
        (row for row in rows[end + 1 :] if any(c.lower().startswith("total") for c in row)), None
    )
    if total_row is None:
        result["sums"] = "no Total row after Wyoming"
        return result
    held = checked = 0
    broken = []
    for c in range(width):
        if c == first or not total_row[c] or parse_number(total_row[c]) is None:
            continue
        checked += 1
        values = [parse_number(row[c]) for row in rows[start : end + 1]]
        wanted = parse_number(total_row[c]) or 0.0
        if None not in values and math.isclose(sum(values), wanted):  # type: ignore[arg-type]
            held += 1
        else:
            if None in values:
                row = raw[start + values.index(None)]
                got = f"{row[c]!r} in the row of {row[first]!r}"
            else:
                got = f"sum {sum(values):,.0f}"  # type: ignore[arg-type]
            broken.append(f"column {c}: {got}, Total {total_row[c]}")
    result["sums_held"] = checked >= 24 and held == checked
    result["sums"] = f"{held}/{checked} numeric columns sum to Total (24 expected)"
    if broken:
        result["sums"] += "; e.g. " + "; ".join(broken[:3])
    return result


def icdar_counts(scorer: Any, corpus: Path) -> dict[str, Counter]:
    gts: dict[str, Counter] = {}
    for xml in sorted((corpus / "icdar2013-eu").glob("*-str.xml")):
        stem = scorer.base(xml.name[: -len("-str.xml")])
        gts.setdefault(stem, Counter()).update(scorer.gt_relations(xml))
    return gts


def score_icdar(
    cases: list[Case], tool: str, runner: Runner, scorer: Any, gts: dict[str, Counter]
) -> list[dict[str, Any]]:
    predictions: dict[str, list[list[list[str]]]] = {}
    runs = {}
    for case in cases:
        variant = tool_variant(tool, case.tags)
        run = runner.get(case.set, tool, variant, case.path, None, merge_pages=True)
        runs[case.id] = (variant, run)
        predictions.setdefault(case.id, []).extend(g.rows for g in run.tables)
    results = []
    for case in cases:
        if any(r["case"] == case.id for r in results):
            continue
        variant, run = runs[case.id]
        truth = gts.get(case.id, Counter())
        got = scorer.pred_relations(predictions.get(case.id, []))
        tp = sum((truth & got).values())
        fp, fn = sum(got.values()) - tp, sum(truth.values()) - tp
        # the most telling first: pairs of longer texts, each pair once
        missed = sorted(truth - got, key=lambda m: (-len(m[0] + m[1]), m))[:4]
        extra = sorted(got - truth, key=lambda m: (-len(m[0] + m[1]), m))[:3]
        results.append(
            {
                "set": case.set,
                "case": case.id,
                "tags": list(case.tags),
                "tool": tool,
                "setting": variant,
                "metric": "relations",
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "score": f1(tp, fp, fn),
                "tables_found": len(predictions.get(case.id, [])),
                "error": run.error,
                "notes": run.notes[:5],
                "misses": [list(m) for m in missed],
                "spurious": [list(m) for m in extra],
            }
        )
    official = scorer.score(cases[0].path.parent, predictions)
    mine = micro([r for r in results])
    if abs(official["micro_f1"] - round(mine, 4)) > 1e-3:
        print(f"note: {tool} ICDAR F1 {mine:.4f} differs from the scorer's {official['micro_f1']}")
    return results


def score_table_free(case: Case, tool: str, runner: Runner) -> dict[str, Any]:
    variant = tool_variant(tool, case.tags)
    run = runner.get(case.set, tool, variant, case.path, case.pages)
    assert case.pages is not None
    with_table = {g.page for g in run.tables}
    clean = sum(p not in with_table for p in case.pages)
    return {
        "set": case.set,
        "case": case.id,
        "tags": list(case.tags),
        "tool": tool,
        "setting": variant,
        "metric": "clean pages",
        "matched": clean,
        "total": len(case.pages),
        "score": clean / len(case.pages),
        "tables_found": len(run.tables),
        "error": run.error,
        "notes": run.notes[:5],
        "misses": sorted(with_table & set(case.pages)),
    }


def f1(tp: int, fp: int, fn: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def micro(results: list[dict[str, Any]]) -> float:
    return f1(*(sum(r[k] for r in results) for k in ("tp", "fp", "fn")))


# TEDS ---------------------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    colspan: int = 1
    rowspan: int = 1
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def size(self) -> int:
        return 1 + sum(child.size() for child in self.children)


def teds_text(text: str) -> str:
    return WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def tree_from_html(html: str) -> Node:
    from lxml import html as lxml_html

    table = lxml_html.fromstring(html).xpath("//table")[0]

    def build(element: Any) -> Node:
        tag = element.tag
        if tag == "td":
            return Node(
                "td",
                int(element.get("colspan", 1)),
                int(element.get("rowspan", 1)),
                teds_text(element.text_content()),
            )
        node = Node(tag)
        node.children = [
            build(child) for child in element if child.tag in ("thead", "tbody", "tr", "td")
        ]
        return node

    return build(table)


def tree_from_grid(rows: list[list[str]], header_rows: int) -> Node:
    def section(tag: str, lines: list[list[str]]) -> Node:
        return Node(
            tag,
            children=[
                Node("tr", children=[Node("td", text=teds_text(c)) for c in r]) for r in lines
            ],
        )

    table = Node("table")
    if header_rows:
        table.children.append(section("thead", rows[:header_rows]))
    if rows[header_rows:]:
        table.children.append(section("tbody", rows[header_rows:]))
    return table


def teds(truth: Node, predicted: Node, structure_only: bool = False) -> float:
    from apted import APTED, Config

    class Costs(Config):
        valuecls = float

        def rename(self, a: Node, b: Node) -> float:
            if a.tag != b.tag or a.colspan != b.colspan or a.rowspan != b.rowspan:
                return 1.0
            if a.tag == "td" and not structure_only and (a.text or b.text):
                return float(Levenshtein.normalized_distance(a.text, b.text))
            return 0.0

        def children(self, node: Node) -> list[Node]:
            return node.children

    distance = APTED(truth, predicted, Costs()).compute_edit_distance()
    return 1.0 - float(distance) / max(truth.size(), predicted.size())


def grid_from_tree(table: Node) -> list[list[str]]:
    rows = []
    for part in table.children:
        for tr in part.children if part.tag != "tr" else [part]:
            line = []
            for td in tr.children:
                line += [td.text] + [""] * (td.colspan - 1)
            rows.append(line)
    return rectangular(rows)


def score_pubtabnet(case: Case, tool: str, runner: Runner) -> dict[str, Any]:
    run = runner.get(case.set, tool, tool, case.path, None)
    truth = tree_from_html(case.extra["html"])
    best = (0.0, 0.0, None)
    for record in run.tables:
        tree = tree_from_grid(record.rows, record.header_rows)
        value = teds(truth, tree)
        if best[2] is None or value > best[0]:
            best = (value, teds(truth, tree, structure_only=True), record)
    value, structure, record = best
    expected = Expected(grid_from_tree(truth))
    shown = []
    if record is not None:
        alignment = align(expected, record.rows)
        shown = misses(expected, record.rows, alignment)
    return {
        "set": case.set,
        "case": case.id,
        "tags": list(case.tags),
        "tool": tool,
        "setting": tool,
        "metric": "teds",
        "score": value,
        "teds_struct": structure,
        "tables_found": len(run.tables),
        "got_shape": [len(record.rows), len(record.rows[0]) if record.rows else 0]
        if record
        else None,
        "expected_shape": [len(expected.rows), len(expected.rows[0]) if expected.rows else 0],
        "error": run.error,
        "notes": run.notes[:5],
        "misses": shown,
    }


# --- Report -----------------------------------------------------------------------------------

METRIC_NAMES = {
    "icdar2013-eu": "relation F1",
    "camelot-tests": "cells %",
    "tabula-java-tests": "cells %",
    "tabula-py-tests": "cells %",
    "pdfplumber-partial": "spot cells %",
    "pubtabnet-examples": "TEDS",
    "table-free": "no table %",
}


def headline(set_name: str, results: list[dict[str, Any]]) -> float | None:
    """The set's figure over ``results`` (one tool): micro where cells or relations pool."""
    if not results:
        return None
    if set_name == "icdar2013-eu":
        return micro(results)
    if set_name == "pubtabnet-examples":
        return sum(r["score"] for r in results) / len(results)
    total = sum(r["total"] for r in results)
    return 100.0 * sum(r["matched"] for r in results) / total if total else 0.0


def shown(set_name: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    return (
        f"{value:.1f}"
        if set_name
        in (
            "camelot-tests",
            "tabula-java-tests",
            "tabula-py-tests",
            "pdfplumber-partial",
            "table-free",
        )
        else f"{value:.3f}"
    )


def applicable(set_name: str, tool: str) -> bool:
    return set_name != "pubtabnet-examples" or tool == "docvlm"


def report(
    results: list[dict[str, Any]], sets: list[str], tools: list[str], runner: Runner
) -> dict[str, Any]:
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by[(r["set"], r["tool"])].append(r)
    width = max(12, *(len(t) + 2 for t in tools))
    head = f"{'set / kind':<28}{'metric':<14}{'cases':>6}" + "".join(f"{t:>{width}}" for t in tools)
    print(head)
    print("-" * len(head))
    summary: dict[str, Any] = {}
    for set_name in sets:
        cases = {r["case"]: r["tags"] for r in results if r["set"] == set_name}
        if not cases:
            continue
        summary[set_name] = {}
        kinds = ["all"] + [k for k in KINDS if any(k in tags for tags in cases.values())]
        for kind in kinds:
            ids = {c for c, tags in cases.items() if kind == "all" or kind in tags}
            label = set_name if kind == "all" else f"  {kind}"
            metric = METRIC_NAMES[set_name] if kind == "all" else ""
            line = f"{label:<28}{metric:<14}{len(ids):>6}"
            for tool in tools:
                chosen = [r for r in by[(set_name, tool)] if r["case"] in ids]
                value = headline(set_name, chosen) if applicable(set_name, tool) else None
                summary[set_name].setdefault(tool, {})[kind] = value
                line += f"{shown(set_name, value):>{width}}"
            print(line)
        if set_name == "pdfplumber-partial":
            line = f"{'  NICS sums held':<28}{'cases held':<14}{2:>6}"
            for tool in tools:
                held = [r for r in by[(set_name, tool)] if r["metric"] == "spots"]
                text = f"{sum(r['sums_held'] for r in held)}/{len(held)}"
                summary[set_name][tool]["sums_held"] = text
                line += f"{text:>{width}}"
            print(line)
        if set_name == "icdar2013-eu":
            line = f"{'  micro precision / recall':<48}"
            for tool in tools:
                chosen = by[(set_name, tool)]
                tp, fp, fn = (sum(r[k] for r in chosen) for k in ("tp", "fp", "fn"))
                p = tp / (tp + fp) if tp + fp else 0.0
                r = tp / (tp + fn) if tp + fn else 0.0
                summary[set_name].setdefault(tool, {})["precision_recall"] = [p, r]
                line += f"{f'{p:.3f}/{r:.3f}':>{width}}"
            print(line)
    print()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"pages/s, wall clock (pages read) | CPU s/page; {os.cpu_count()} cores, "
        f"load average now {load}"
    )
    speed: dict[str, Any] = {}
    for set_name in sets:
        if set_name not in summary:
            continue
        line = f"{set_name:<48}"
        for tool in tools:
            pages, seconds, cpu = runner.speed.get((set_name, tool), (0.0, 0.0, 0.0))
            rate = pages / seconds if seconds else None
            speed.setdefault(set_name, {})[tool] = {
                "pages": pages,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "pages_per_s": rate,
            }
            text = "n/a" if rate is None else f"{rate:.2f} ({int(pages)}) | {cpu / pages:.3f}"
            line += f"{text:>{width + 10}}"
        print(line)
    print()
    if "docvlm" in tools:
        for set_name in sets:
            if set_name not in summary or set_name == "table-free":  # a speed set
                continue
            mine = summary[set_name]["docvlm"]["all"]
            refs = {
                t: summary[set_name][t]["all"]
                for t in tools
                if not t.startswith("docvlm") and applicable(set_name, t)
            }
            if not refs:
                why = (
                    "no reference reads images"
                    if set_name == "pubtabnet-examples"
                    else "no reference run"
                )
                print(f"{set_name}: docvlm {shown(set_name, mine)}, {why}")
                continue
            ahead = all(mine is not None and (v is None or mine > v) for v in refs.values())
            if set_name == "pdfplumber-partial":  # the column sums must not be worse either
                held = {t: int(summary[set_name][t]["sums_held"].split("/")[0]) for t in tools}
                ahead = ahead and all(held["docvlm"] >= held[t] for t in refs)
            others = ", ".join(f"{t} {shown(set_name, v)}" for t, v in refs.items())
            verdict = "ahead of" if ahead else "NOT ahead of"
            line = f"{set_name}: docvlm {shown(set_name, mine)} {verdict} {others}"
            if set_name == "pdfplumber-partial":
                sums = ", ".join(f"{t} {summary[set_name][t]['sums_held']}" for t in tools)
                line += f" (NICS sums held: {sums})"
            print(line)
    return {"summary": summary, "speed": speed}


def shown_got(got: str | None) -> str:
    return "(unaligned)" if got is None else repr(got)


def print_case(set_name: str, rows: list[dict[str, Any]], tools: list[str]) -> None:
    first = rows[0]
    scores = []
    for tool in tools:
        r = next((x for x in rows if x["tool"] == tool), None)
        if r is None:
            continue
        if r["metric"] in ("cells", "spots", "clean pages"):
            text = f"{100 * r['matched'] / r['total']:.1f}%" if r["total"] else "-"
            if r["metric"] == "spots":
                text += f" sums {'held' if r['sums_held'] else 'broken'}"
        else:
            text = f"{r['score']:.3f}"
        if r.get("error"):
            text += " (error)"
        scores.append(f"{tool} {text}")
    print(f"{set_name}/{first['case']} [{' '.join(first['tags'])}]  " + "  ".join(scores))
    mine = next((x for x in rows if x["tool"] == "docvlm"), None)
    if mine is None:
        return
    for note in ([mine["error"]] if mine.get("error") else []) + mine.get("notes", [])[:2]:
        print(f"    docvlm: {note}")
    if mine["metric"] == "cells":
        for t in mine["tables"]:
            print(
                f"    docvlm table {t['expected_shape'][0]}x{t['expected_shape'][1]} expected, "
                f"{t['got_shape'][0]}x{t['got_shape'][1]} got, rows {t['rows_mapped']} and "
                f"columns {t['cols_mapped']} aligned, {t['matched']}/{t['total']} cells, "
                f"anywhere {t['anywhere']}/{t['total']}"
            )
            for i, j, want, got in t["misses"]:
                print(f"      r{i}c{j}: expected {want!r} got {shown_got(got)}")
    elif mine["metric"] == "spots":
        print(f"    docvlm: {mine['sums']}")
        for row, col, want, got in mine["misses"]:
            print(f"      {row} col {col}: expected {want!r} got {got!r}")
    elif mine["metric"] == "relations":
        counts = f"tp {mine['tp']} fp {mine['fp']} fn {mine['fn']}"
        print(f"    docvlm: {counts}, {mine['tables_found']} tables")
        for a, b, d in mine["misses"]:
            print(f"      missed {'right of' if d == 'h' else 'below'}: {a!r} -> {b!r}")
        for a, b, d in mine["spurious"]:
            print(f"      spurious {'right of' if d == 'h' else 'below'}: {a!r} -> {b!r}")
    elif mine["metric"] == "clean pages" and mine["misses"]:
        print(f"    docvlm: a table found on page(s) {mine['misses']}")
    elif mine["metric"] == "teds":
        print(
            f"    docvlm: TEDS-struct {mine['teds_struct']:.3f}, {mine['tables_found']} tables, "
            f"{mine['expected_shape']} expected, {mine['got_shape']} got"
        )
        for i, j, want, got in mine["misses"]:
            print(f"      r{i}c{j}: expected {want!r} got {shown_got(got)}")


# --- Main -------------------------------------------------------------------------------------


def find_corpus() -> Path:
    for parent in HERE.parents:
        candidate = parent / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    return HERE.parent.parent / "shared" / "corpus"


def load_scorer(corpus: Path) -> Any:
    path = corpus.parent / "eval" / "icdar_score.py"
    spec = importlib.util.spec_from_file_location("icdar_score", path)
    if spec is None or spec.loader is None:
        sys.exit(f"scorer not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def versions(tools: list[str]) -> dict[str, str]:
    out = {"docvlm": docvlm.__version__}
    for name in ("camelot", "pdfplumber"):
        if any(t.startswith(name) for t in tools):
            with contextlib.suppress(ImportError):
                out[name] = __import__(name).__version__
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=find_corpus())
    parser.add_argument("--set", action="append", choices=SETS, dest="sets", help="repeatable")
    parser.add_argument("--tool", action="append", choices=TOOLS, dest="tools", help="repeatable")
    parser.add_argument("-v", "--verbose", action="store_true", help="per case, docvlm's misses")
    parser.add_argument("--json", type=Path, help="write per-case results here")
    args = parser.parse_args()
    sets = args.sets or list(SETS)
    tools = args.tools or list(DEFAULT_TOOLS)
    for tool in tools:
        module = tool.split("-")[0]
        if module != "docvlm" and importlib.util.find_spec(module) is None:
            sys.exit(f"{tool} needs {module}: pip install -e '.[bench]'")
    logging.getLogger("camelot").setLevel(logging.ERROR)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    runner = Runner()
    results: list[dict[str, Any]] = []
    start = time.perf_counter()
    for set_name in sets:
        cases = LOADERS[set_name](args.corpus)
        set_results: list[dict[str, Any]] = []
        for tool in tools:
            if not applicable(set_name, tool):
                continue
            if set_name == "icdar2013-eu":
                scorer = load_scorer(args.corpus)
                gts = icdar_counts(scorer, args.corpus)
                set_results += score_icdar(cases, tool, runner, scorer, gts)
            elif set_name == "pubtabnet-examples":
                set_results += [score_pubtabnet(case, tool, runner) for case in cases]
            elif set_name == "table-free":
                set_results += [score_table_free(case, tool, runner) for case in cases]
            else:
                nics = [c for c in cases if c.extra.get("kind") == "nics"]
                set_results += [score_nics(case, tool, runner) for case in nics]
                set_results += score_cells([c for c in cases if c not in nics], tool, runner)
        if args.verbose:
            order = [c.id for c in cases]
            for case_id in dict.fromkeys(order):
                rows = [r for r in set_results if r["case"] == case_id]
                if rows:
                    print_case(set_name, rows, tools)
            print()
        results += set_results
    elapsed = time.perf_counter() - start
    summary = report(results, sets, tools, runner)
    print(f"\n{elapsed:.0f} s in all")
    if args.json:
        payload = {
            "tools": tools,
            "sets": sets,
            "versions": versions(tools),
            "seconds": round(elapsed, 1),
            **summary,
            "cases": results,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
