"""How sound a table's structure is: a score in [0, 1] from what a right table shows and a
wrong one does not.

Each check measures a share of the table that disagrees with it; the score is
``1 - sum(weight x share)``, floored at 0:

- ``sideways`` (weight 1.0): body words whose writing direction is not the table's (a grid
  read across a table printed sideways comes out transposed);
- ``types`` (1.0): cells of numeric columns (at least 60% numbers, three or more) that hold
  text, or two numbers where one belongs ('618 5,884': values drifted into a neighbour or
  two rows merged);
- ``straddling`` (1.0): words that cross a drawn line between two cells, or that stand in
  columns of their own inside a cell spanning those columns;
- ``apart`` (1.5): words of cells whose lines break into chunks far apart (two columns'
  text in one cell: a column separator missed);
- ``alignment`` (0.5): cells lying outside their column's common extent (across) or their
  row's (down): values shifted to another column, rows and columns swapped;
- ``staggered`` (0.5): columns holding header text only beside columns holding body text
  only (the header's and the body's columns do not line up in the grid);
- ``totals`` (0.5): numeric columns whose 'Total' row is not the sum of the rows above it
  (checked where the table has such a row);
- ``stacked`` (0.5): body rows whose filled cells (two or more) all hold the same number
  of lines, two or more, at the same heights, or two of whose cells hold three lines or
  more side by side (rows the grid did not split);
- ``rows`` (0.1): body rows whose count of filled cells is far from the usual one.

The native engine uses it twice: to choose, per table, between the grid its ruling lines
draw and the one the layout analyser predicts (the sounder wins), and as the table's
structural confidence, which scales the confidence of its grounded cells (see
:mod:`docvlm.grounding`); a table scoring below ``DOUBTFUL_BELOW`` is reported as doubtful.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from docvlm.document import Word
from docvlm.engines.native.table_grid import Filled, _lines

DOUBTFUL_BELOW = 0.6
WEIGHTS = {
    "sideways": 1.0,
    "types": 1.0,
    "straddling": 1.0,
    "apart": 1.5,
    "alignment": 0.5,
    "staggered": 0.5,
    "totals": 0.5,
    "stacked": 0.5,
    "rows": 0.1,
}
# A value cell: a number (with sign, currency, separators, %, a unit or scale word such as
# "million") or a dash standing for "none".
VALUE = re.compile(
    r"^(?:[(\-\u2013+]?[$€£¥]?\s?\d[\d\s.,']*(?:%|\s?[a-z]{1,12}\.?)?\)?\*?|[-\u2013\u2014]|n/?a)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[(\-\u2013+]?[$€£¥]?\d[\d.,']*%?\)?\*?$")
# A total row's label: 'Total', 'Subtotal', 'Grand total', 'EU total', 'Total (7 MSs)';
# not a name that begins with the word ('Total organic carbon').
_TOTAL = re.compile(
    r"^\s*(?:\S+\s+)?(?:grand\s+|sub-?\s*)?(?:total|totals|sum|gesamt|totaal)\b:?\s*(?:\(.*\))?\s*$",
    re.I,
)
_DESCRIPTIONS = {
    "sideways": "text running across the grid (transposed?)",
    "types": "text or two values in numeric columns",
    "straddling": "words crossing the cell lines",
    "apart": "cells holding two columns' text",
    "alignment": "cells out of line with their column or row",
    "staggered": "header and body columns out of step",
    "totals": "totals that are not the sum of their column",
    "stacked": "rows holding several rows of text",
    "rows": "rows with an unusual number of cells",
}


@dataclass
class Structure:
    """A table's structural score and the share of it each check found wrong."""

    score: float
    shares: dict[str, float] = field(default_factory=dict)

    @property
    def doubtful(self) -> bool:
        return self.score < DOUBTFUL_BELOW

    def problems(self) -> list[str]:
        """The checks that cost the most, worst first, as short phrases."""
        costs = sorted(((WEIGHTS[k] * v, k) for k, v in self.shares.items() if v > 0), reverse=True)
        return [f"{_DESCRIPTIONS[k]} ({100 * self.shares[k]:.0f}%)" for c, k in costs if c >= 0.05]


def is_value(text: str) -> bool:
    return bool(VALUE.match(text.strip()))


def structure(
    filled: Filled, rows: Sequence[int], cols: Sequence[int], header_rows: int
) -> Structure:
    """The structural score of a filled grid, over its filled ``rows`` and ``cols`` (the
    first ``header_rows`` of them are headers)."""
    body = list(rows[header_rows:]) or list(rows)
    parts = filled.parts
    cells = filled.cells
    shares = {
        "sideways": _sideways(parts, body, cols),
        "types": _types(cells, body, cols),
        "straddling": filled.straddling / filled.words if filled.words else 0.0,
        "apart": filled.apart / filled.words if filled.words else 0.0,
        "alignment": _alignment(parts, body, cols, filled.spans),
        "staggered": _staggered(cells, list(rows[:header_rows]), body, cols),
        "totals": _totals(cells, body, cols),
        "stacked": _stacked(parts, body, cols),
        "rows": _row_counts(cells, body, cols),
    }
    penalty = sum(WEIGHTS[k] * v for k, v in shares.items())
    return Structure(round(max(0.0, 1.0 - penalty), 4), {k: round(v, 4) for k, v in shares.items()})


def _sideways(parts: list[list[list[Word]]], body: list[int], cols: Sequence[int]) -> float:
    words = [w for r in body for c in cols for w in parts[r][c]]
    if not words:
        return 0.0
    turned = sum(1 for w in words if abs(((w.angle + 180) % 360) - 180) > 10)
    return turned / len(words)


def _numeric_columns(cells: list[list[str]], body: list[int], cols: Sequence[int]) -> list[int]:
    numeric = []
    for c in cols:
        texts = [cells[r][c].strip() for r in body if cells[r][c].strip()]
        values = sum(1 for t in texts if is_value(t) or _several_numbers(t))
        if values >= 3 and values >= 0.6 * len(texts):
            numeric.append(c)
    return numeric


def _several_numbers(text: str) -> bool:
    """Two or more separate numbers ('618 5,884'), not one number with its thousands
    set apart by spaces ('12 345') nor a number with a unit ('100 million')."""
    tokens = re.sub(r"(?<=\d[.,])\s+(?=\d)", "", text).split()  # '11,062. 6' is one
    numbers = [t for t in tokens if _NUMBER.match(t)]
    if len(numbers) < 2 or len(numbers) != len(tokens):
        return False
    return not all(re.fullmatch(r"\d{3}[.,]?\d*", t) for t in tokens[1:])


def _types(cells: list[list[str]], body: list[int], cols: Sequence[int]) -> float:
    numeric = _numeric_columns(cells, body, cols)
    total = wrong = 0
    for c in numeric:
        for r in body:
            text = cells[r][c].strip()
            if not text:
                continue
            total += 1
            if not is_value(text) or _several_numbers(text):
                wrong += 1
    return wrong / total if total else 0.0


def _extent(words: list[Word], horizontal: bool) -> tuple[float, float] | None:
    if not words:
        return None
    if horizontal:
        return min(w.bbox.x0 for w in words), max(w.bbox.x1 for w in words)
    first = _lines(words)[0]  # a row lines up on its cells' first lines
    return min(w.bbox.y0 for w in first), max(w.bbox.y1 for w in first)


def _outliers(extents: list[tuple[float, float]]) -> int:
    """Extents that miss the common one (median start to median end) altogether."""
    if len(extents) < 3:
        return 0
    lo = statistics.median(e[0] for e in extents)
    hi = statistics.median(e[1] for e in extents)
    if hi < lo:
        lo, hi = hi, lo
    return sum(1 for a, b in extents if b < lo or a > hi)


def _alignment(
    parts: list[list[list[Word]]],
    body: list[int],
    cols: Sequence[int],
    spans: dict[tuple[int, int], tuple[int, int]],
) -> float:
    """Share of cells outside their column's or row's common extent (spanning cells
    aside: they are centred over several)."""
    filled = [(r, c) for r in body for c in cols if parts[r][c]]
    if not filled:
        return 0.0
    wrong = 0
    for c in cols:
        extents = [_extent(parts[r][c], True) for r in body if (r, c) not in spans]
        wrong += _outliers([e for e in extents if e is not None])
    for r in body:
        extents = [_extent(parts[r][c], False) for c in cols if (r, c) not in spans]
        wrong += _outliers([e for e in extents if e is not None])
    return min(1.0, wrong / len(filled))


def _staggered(
    cells: list[list[str]], head: list[int], body: list[int], cols: Sequence[int]
) -> float:
    """Share of columns with header text only that stand beside a column with body text
    only."""
    if not head or len(cols) < 2:
        return 0.0

    def has(rows: list[int], c: int) -> bool:
        return any(cells[r][c].strip() for r in rows)

    kinds = [(has(head, c), has(body, c)) for c in cols]
    off = 0
    for i, (in_head, in_body) in enumerate(kinds):
        if in_head and not in_body:
            near = [kinds[j] for j in (i - 1, i + 1) if 0 <= j < len(kinds)]
            off += any(b and not h for h, b in near)
    return off / len(cols)


def _amount(text: str) -> float | None:
    text = text.strip()
    if not text or text in "-\u2013\u2014":
        return 0.0 if text else None
    negative = text.startswith(("(", "-", "\u2013"))
    digits = re.sub(r"[^\d.,]", "", text)
    if not digits:
        return None
    if "," in digits and "." in digits:
        digits = (
            digits.replace(",", "")
            if digits.rfind(".") > digits.rfind(",")
            else (digits.replace(".", "").replace(",", "."))
        )
    elif "," in digits:
        head, _, tail = digits.rpartition(",")
        digits = digits.replace(",", "") if len(tail) == 3 else f"{head.replace(',', '')}.{tail}"
    try:
        value = float(digits)
    except ValueError:
        return None
    return -value if negative else value


def _is_total(row: list[str], cols: Sequence[int]) -> bool:
    """Whether a row is a total: its label (first filled of its first two cells) says so."""
    label = next((row[c] for c in cols[:2] if row[c].strip()), "")
    return bool(_TOTAL.match(label))


def _totals(cells: list[list[str]], body: list[int], cols: Sequence[int]) -> float:
    """Share of the checked (numeric column, total row) pairs whose total is not the sum
    of the rows above it (since the previous total, or all, or of the previous totals)."""
    label_col = cols[0]
    numeric = [c for c in _numeric_columns(cells, body, cols) if c != label_col]
    checked = wrong = 0
    for index, r in enumerate(body):
        if not _is_total(cells[r], cols):
            continue
        above = body[:index]
        totals_above = [x for x in above if _is_total(cells[x], cols)]
        since = [x for x in above if not totals_above or x > totals_above[-1]]
        plain = [x for x in above if x not in totals_above]
        for c in numeric:
            total = _amount(cells[r][c])
            if total is None or not cells[r][c].strip():
                continue
            sums = []
            for least, group in ((1, since), (2, plain), (2, totals_above)):
                texts = [cells[x][c].strip() for x in group]
                values = [_amount(t) for t in texts]
                if sum(1 for t in texts if t) >= least and all(not t or is_value(t) for t in texts):
                    sums.append(sum(v for v in values if v is not None))
            if not sums:
                continue
            checked += 1
            tolerance = max(0.011 * abs(total), 0.5)
            if not any(abs(s - total) <= tolerance for s in sums):
                wrong += 1
    return wrong / checked if checked else 0.0


def _stacked(parts: list[list[list[Word]]], body: list[int], cols: Sequence[int]) -> float:
    """Share of body rows whose filled cells (two or more) all hold the same number of
    lines, two or more, at the same heights: table rows the grid did not split. (Text
    wrapped in some cells of a row is not this: its other cells hold one line.)"""
    if not body:
        return 0.0
    stacked = 0
    for r in body:
        filled = [parts[r][c] for c in cols if parts[r][c]]
        if len(filled) < 2:
            continue
        heights = []
        for words in filled:
            lines = _lines(words)
            heights.append([sum(w.bbox.y0 + w.bbox.y1 for w in ln) / (2 * len(ln)) for ln in lines])
        size = min(w.bbox.height for words in filled for w in words)
        stacked += _same_heights(heights, 0.5 * size)
    return stacked / len(body)


def _same_heights(heights: list[list[float]], tolerance: float) -> bool:
    """Whether the cells' lines run side by side as rows: all cells hold the same number
    of lines (two or more) at the same heights, or two cells hold three lines or more at
    the same heights."""

    def common(a: list[float], b: list[float]) -> int:
        return sum(1 for y in a if any(abs(y - z) < tolerance for z in b))

    first = heights[0]
    same = len(first) >= 2 and all(len(h) == len(first) for h in heights)
    if same and all(common(first, h) == len(first) for h in heights[1:]):
        return True
    tall = [h for h in heights if len(h) >= 3]
    return any(common(a, b) >= 3 for i, a in enumerate(tall) for b in tall[i + 1 :])


def _row_counts(cells: list[list[str]], body: list[int], cols: Sequence[int]) -> float:
    counts = [sum(1 for c in cols if cells[r][c].strip()) for r in body]
    if len(counts) < 3:
        return 0.0
    usual = Counter(counts).most_common(1)[0][0]
    off = sum(1 for n in counts if abs(n - usual) > max(1, 0.25 * usual))
    return off / len(counts)
