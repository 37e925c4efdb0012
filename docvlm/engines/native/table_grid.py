"""Table grids, and filling them with the page's words: a grid's rows and columns (ruled,
from ``table_lattice``, or predicted by the layout analyser), rows stacked between rules
split, and each word put in its cell. Spanning cells hold their text in their first
(top-left) position, as :class:`~docvlm.schemas.Table` documents.

All coordinates are in the frame the table is read in (see ``tables.upright_frame``).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from docvlm.document import Word
from docvlm.geometry import BBox

# Leader dots (". . . ." or "....."), of three dots or more, between a label and its value.
LEADERS = re.compile(r"(?:\s*[.\u2026\u00b7]\s*){3,}")


@dataclass(frozen=True)
class Rule:
    """A horizontal (``pos`` = y) or vertical (``pos`` = x) stroke from ``start`` to ``end``."""

    horizontal: bool
    pos: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass
class Grid:
    """A table's grid: its box, row and column edges (sorted), and its spanning cells
    (each grid cell of a span mapped to the span's first cell). ``rules`` are the lines it
    was read from (none for a grid predicted by the layout analyser)."""

    region: BBox
    rows: list[float]
    cols: list[float]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    source: str = "layout"

    @property
    def ruled(self) -> bool:
        return bool(self.rules)


@dataclass
class Filled:
    """A grid filled with words: cell texts, whether each row is bold, and the words that
    straddle a drawn line between two cells (they belong to neither cleanly) or stand in
    columns of their own inside a cell spanning columns."""

    cells: list[list[str]]
    bold: list[bool]
    straddling: int = 0
    words: int = 0
    parts: list[list[list[Word]]] = field(default_factory=list)  # each cell's words
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    apart: int = 0  # words of cells whose line breaks into chunks far apart (two columns)


# A value alone on its line of a cell: a number (sign, currency, separators, %) or a dash.
_LINE_VALUE = re.compile(
    r"^(?:[(\-\u2013+]?[$\u20ac\u00a3\u00a5]?\d[\d.,' ]*%?\)?\*?|[-\u2013\u2014])$"
)


def split_stacked(words: Sequence[Word], grid: Grid) -> Grid:
    """A grid with its stacked rows split: a row whose filled cells (two or more) all hold
    the same number of lines, two or more, at the same heights, is that many table rows
    when it is ruled and at least half of the cells are values (tables ruled every few
    rows, or whose row lines are not drawn), or when its cells hold a bold line over a
    plain one (a header over the first data row, which the layout analyser sometimes
    reads as one row). Rows holding part of a spanning cell, and rows where some cell's
    text wraps while another's does not, are left whole."""
    parts = fill(words, grid).parts
    spanned = {r for r, _ in grid.spans}
    edges: list[float] = [grid.rows[0]]
    shift: list[int] = []
    for r, row in enumerate(parts):
        shift.append(len(edges) - 1)
        cuts = [] if r in spanned else _line_cuts([cell for cell in row if cell], grid.ruled)
        edges += [*cuts, grid.rows[r + 1]]
    if len(edges) == len(grid.rows):
        return grid
    spans = {}
    for (r, c), (fr, fc) in grid.spans.items():
        spans[(shift[r], c)] = (shift[fr], fc)
    return Grid(grid.region, edges, grid.cols, spans, grid.rules, grid.source)


def _line_cuts(cells: list[list[Word]], ruled: bool) -> list[float]:
    """Where to cut a row whose cells stack the same lines (see :func:`split_stacked`):
    midway between consecutive lines; none when the cells' lines do not agree. In a ruled
    row, cells with fewer lines (a quantity given on the first line only) may stand beside
    the stacked ones, each of their words within one of the stacked lines."""
    if len(cells) < 2:
        return []
    lines = [_lines(words) for words in cells]
    count = max(len(cell) for cell in lines)
    stacked = [cell for cell in lines if len(cell) == count]
    if count < 2 or len(stacked) < 2 or (len(stacked) < len(lines) and not ruled):
        return []
    if not (ruled and _mostly_values(stacked)) and not _header_over_data(lines):
        return []
    tops = [min(w.bbox.y0 for cell in stacked for w in cell[i]) for i in range(count)]
    bottoms = [max(w.bbox.y1 for cell in stacked for w in cell[i]) for i in range(count)]
    centres = [[sum(w.bbox.center[1] for w in ln) / len(ln) for ln in cell] for cell in stacked]
    for i in range(count):
        if any(not tops[i] <= centre[i] <= bottoms[i] for centre in centres):
            return []
        height = min(w.bbox.height for cell in stacked for w in cell[i])
        if max(c[i] for c in centres) - min(c[i] for c in centres) > 0.5 * height:
            return []
    if any(bottoms[i] > tops[i + 1] for i in range(count - 1)):
        return []
    cuts = [(bottoms[i] + tops[i + 1]) / 2 for i in range(count - 1)]
    words = [w for cell in cells for w in cell]
    if any(w.bbox.y0 < cut < w.bbox.y1 for w in words for cut in cuts):
        return []
    return cuts


def _mostly_values(lines: list[list[list[Word]]]) -> bool:
    """Whether at least half of the cells (each as its lines) hold only values."""
    values = sum(all(_LINE_VALUE.match(cell_text(ln)) for ln in cell) for cell in lines)
    return 2 * values >= len(lines)


def _header_over_data(lines: list[list[list[Word]]]) -> bool:
    """Whether every cell holds two lines, the upper one bold and the lower one plain."""
    return all(
        len(cell) == 2 and all(w.bold for w in cell[0]) and not any(w.bold for w in cell[1])
        for cell in lines
    )


def fill(words: Sequence[Word], grid: Grid) -> Filled:
    """Each word whose centre lies in the grid goes into its cell (the first cell of its
    span), lines top to bottom and words left to right within a cell; leader dots are
    dropped. Words that cross a drawn line between two cells are counted."""
    rows, cols = grid.rows, grid.cols
    n_rows, n_cols = len(rows) - 1, len(cols) - 1
    parts: list[list[list[Word]]] = [[[] for _ in range(n_cols)] for _ in range(n_rows)]
    bold = [[True, False] for _ in range(n_rows)]  # [all words bold, any word]
    straddling = 0
    count = 0
    for word in words:
        x, y = word.bbox.center
        if not (rows[0] <= y <= rows[-1] and cols[0] <= x <= cols[-1]):
            continue
        r = min(bisect_right(rows, y) - 1, n_rows - 1)
        c = min(bisect_right(cols, x) - 1, n_cols - 1)
        count += 1
        if grid.ruled and _straddles(word.bbox, grid, r, c):
            straddling += 1
        r, c = grid.spans.get((r, c), (r, c))
        parts[r][c].append(word)
        bold[r][0] &= word.bold
        bold[r][1] = True
    straddling += _split_spans(parts, grid)
    apart = sum(len(p) for row in parts for p in row if _far_apart(p))
    cells = [[cell_text(p) for p in row] for row in parts]
    bold_rows = [b and seen for b, seen in bold]
    return Filled(cells, bold_rows, straddling, count, parts, grid.spans, apart)


APART = 1.5  # word heights: a gap this wide inside a cell's line separates two columns


def _far_apart(words: list[Word]) -> bool:
    """Whether a line of the cell breaks into chunks farther apart than words are spaced:
    the cell holds two columns' text."""
    if len(words) < 2:
        return False
    for line in _lines(words):
        for a, b in itertools.pairwise(line):
            left, right = sorted((a.bbox, b.bbox), key=lambda box: box.x0)
            if right.x0 - left.x1 > APART * max(a.bbox.height, b.bbox.height):
                return True
    return False


def _split_spans(parts: list[list[list[Word]]], grid: Grid) -> int:
    """Words of cells spanning columns that stand apart at a column edge inside the span,
    as columns of their own do: the lines that would separate them are not drawn there
    (a table ruled only in its header), so the span is not one cell."""
    count = 0
    for (r, c), first in grid.spans.items():
        if (r, c) != first:
            continue
        words = parts[r][c]
        last = max(cc for (rr, cc), f in grid.spans.items() if f == first)
        if last == c or len(words) < 2:
            continue
        height = sorted(w.bbox.height for w in words)[len(words) // 2]
        for edge in grid.cols[c + 1 : last + 1]:
            left = [w.bbox.x1 for w in words if w.bbox.x1 <= edge]
            right = [w.bbox.x0 for w in words if w.bbox.x0 >= edge]
            apart = left and right and len(left) + len(right) == len(words)
            if apart and min(right) - max(left) >= 0.8 * height:
                count += len(words)
                break
    return count


def _straddles(box: BBox, grid: Grid, r: int, c: int) -> bool:
    """Whether a word in cell (r, c) reaches well over a drawn line of its cell's edges
    into a cell that is not part of its own span."""
    first = grid.spans.get((r, c), (r, c))
    margin = 0.25 * min(box.width, box.height) + 1.0
    cols = grid.cols
    left = c > 0 and box.x0 < cols[c] - margin
    right = c + 2 < len(cols) and box.x1 > cols[c + 1] + margin
    return (left and grid.spans.get((r, c - 1), (r, c - 1)) != first) or (
        right and grid.spans.get((r, c + 1), (r, c + 1)) != first
    )


def cell_text(words: Sequence[Word]) -> str:
    """A cell's words as text: in reading order (lines top to bottom, words left to right;
    right-to-left lines from the right), leader dots dropped."""
    if not words:
        return ""
    lines = _lines(words)
    text = " ".join(" ".join(w.text for w in line) for line in lines)
    return drop_leaders(text)


def drop_leaders(text: str) -> str:
    """Text without its leader dots ('Total . . . . 12' is 'Total 12')."""
    if "..." not in text and ". ." not in text and "\u2026" not in text:
        return text
    return " ".join(LEADERS.sub(" ", text).split())


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into lines (by vertical overlap), top to bottom, each line in reading
    order."""
    ordered = sorted(words, key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2)
    lines: list[list[Word]] = []
    for word in ordered:
        cy = (word.bbox.y0 + word.bbox.y1) / 2
        if lines:
            last = lines[-1]
            top = min(w.bbox.y0 for w in last)
            bottom = max(w.bbox.y1 for w in last)
            if top <= cy <= bottom:
                last.append(word)
                continue
        lines.append([word])
    return [_reading_order(line) for line in lines]


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _reading_order(line: list[Word]) -> list[Word]:
    """A line's words left to right; a line mostly in a right-to-left script from the
    right (its left-to-right runs, numbers and Latin words, keep their own order).
    Right-to-left letters that touch are one word, its letters in logical order (text
    layers often place each Arabic or Hebrew glyph on its own)."""
    line = _rtl_words(sorted(line, key=lambda w: w.bbox.x0))
    rtl = sum(len(_RTL.findall(w.text)) for w in line)
    if rtl * 2 <= sum(len(w.text) for w in line):
        return line
    out: list[Word] = []
    run: list[Word] = []
    for word in reversed(line):
        if _RTL.search(word.text) or not any(ch.isalnum() for ch in word.text):
            out += reversed(run)
            run = []
            out.append(word)
        else:
            run.append(word)
    out += reversed(run)
    return out


def _rtl_words(line: list[Word]) -> list[Word]:
    """Neighbouring right-to-left pieces of a line (left to right) with no space between
    them joined into one word, read from the right."""
    if not any(_RTL.search(w.text) for w in line):
        return line
    out: list[Word] = []
    group: list[Word] = []

    def flush() -> None:
        if len(group) == 1:
            out.append(group[0])
        elif group:
            text = "".join(w.text for w in reversed(group))
            box = BBox.enclosing(w.bbox for w in group)
            first = group[0]
            out.append(Word(text, box, first.block, first.line, first.bold, first.angle))
        group.clear()

    for word in line:
        if not _RTL.search(word.text):
            flush()
            out.append(word)
            continue
        if group and word.bbox.x0 - group[-1].bbox.x1 > 0.12 * word.bbox.height:
            flush()
        group.append(word)
    flush()
    return out
