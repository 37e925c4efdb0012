"""Grounding: every leaf value of a record looked up among the page's words.

A value is searched for in the words inside its region (the record's box when the engine
gave one, else the tile): first as printed (``exact``), then with whitespace, case, Unicode
forms, thousands separators, currency symbols, decimal commas and percent signs set aside
(``normalised``), then by edit similarity (``fuzzy``, at least ``FUZZY_MIN``). A value found
gets the box of its words; one not found is kept and flagged ``not_found``. Numbers an
engine measured from the page's geometry (chart marks) and not printed as words are
``geometry``, grounded by the record's box.

Lookups go through a hash index of the region's words (one pass to build), so a page costs
about (words + values x candidates), not words x values; fuzzy matching runs only for the
values not found otherwise, in C through rapidfuzz.

Each match's status and the confidence it gives are defined in :mod:`docvlm.provenance`.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from rapidfuzz import fuzz, process

from docvlm.document import Page, Word
from docvlm.geometry import BBox
from docvlm.ocr import page_words as ocr_page_words
from docvlm.ocr import read_only_for_labels
from docvlm.provenance import STATUS_RANK, FieldMatch, MatchStatus, leaf_values
from docvlm.text import canonical_number

if TYPE_CHECKING:
    from docvlm.extraction import TileResult

FUZZY_MIN = 0.8  # the least similarity (0-1) a fuzzy match must reach
MAX_SPAN = 40  # words: the longest value matched word by word
_CURRENCY = "$€£¥₩₹¢"
_EDGE_PUNCTUATION = "\"'`.,:;!?()[]{}*"


def normalise(text: str) -> str:
    """The comparable form of a token or value: Unicode NFKC, case folded, no whitespace,
    currency symbols and edge punctuation set aside; a number in canonical form ('1,234.50',
    '1.234,50', '€1234.5' and '1234.5' all give '1234.5'; '40%' gives '40')."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(text.split()).strip(_EDGE_PUNCTUATION + _CURRENCY)
    number = canonical_number(text)
    return number if number is not None else text


class WordIndex:
    """The words of one region, indexed for value lookups (see the module docstring)."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = list(words)
        self._exact: dict[str, list[int]] = defaultdict(list)
        self._normal: dict[str, list[int]] = defaultdict(list)
        self._normal_text = [normalise(w.text) for w in self.words]
        self._centres = [w.bbox.center for w in self.words]
        for index, word in enumerate(self.words):
            self._exact[word.text].append(index)
            self._normal[self._normal_text[index]].append(index)
        self._windows: dict[int, list[str]] = {}
        self._used: set[int] = set()
        self._last: BBox | None = None

    def restart(self) -> None:
        """A new record begins: every word may ground one of its values again."""
        self._used = set()
        self._last = None

    def find(self, path: str, value: Any) -> FieldMatch:
        """The best match of ``value`` among the words (exact, normalised, then fuzzy)."""
        text = _as_text(value)
        tokens = text.split()
        if not tokens or not self.words:
            return FieldMatch(path, text, "not_found", None, 0.0)
        span = self._exact_span(tokens)
        if span is not None:
            return self._match(path, text, "exact", span, 1.0)
        span = self._normalised_span(text, tokens)
        if span is not None:
            return self._match(path, text, "normalised", span, 1.0)
        found = self._fuzzy_span(text, len(tokens)) if _fuzzy_worthy(text) else None
        if found is not None:
            return self._match(path, text, "fuzzy", found[0], found[1])
        return FieldMatch(path, text, "not_found", None, 0.0)

    def _match(
        self, path: str, text: str, status: MatchStatus, span: range, similarity: float
    ) -> FieldMatch:
        self._used.update(span)
        box = BBox.enclosing(self.words[i].bbox for i in span)
        self._last = box
        return FieldMatch(path, text, status, box, round(similarity, 4))

    def _pick(self, starts: list[int]) -> Iterator[int]:
        """Candidates in search order. A record lists its values in reading order (a
        table row by row), so the words nearest after the last value found come first:
        on its line, then below it; words that ground another of the record's values
        come last. The best is found in one pass; the rest are sorted only if it fails."""
        if not starts:
            return
        last = self._last
        if last is None:
            key: Callable[[int], tuple[Any, ...]] = lambda s: (s in self._used, s)  # noqa: E731
        else:
            lx, ly = last.center
            half = 0.5 * last.height
            centres, used = self._centres, self._used

            def key(start: int) -> tuple[Any, ...]:
                x, y = centres[start]
                if abs(y - ly) <= half:  # on its line: rightwards, nearest first
                    return (start in used, 0, x < lx, abs(x - lx))
                if y > ly:  # below: the nearest line, from its left
                    return (start in used, 1, y - ly, x)
                return (start in used, 2, ly - y, x)

        best = min(starts, key=key)
        yield best
        yield from (s for s in sorted(starts, key=key) if s != best)

    def _exact_span(self, tokens: list[str]) -> range | None:
        if len(tokens) > MAX_SPAN:
            return None
        for start in self._pick(self._exact.get(tokens[0], [])):
            end = start + len(tokens)
            if end <= len(self.words) and all(
                self.words[start + k].text == token for k, token in enumerate(tokens)
            ):
                return range(start, end)
        return None

    def _normalised_span(self, text: str, tokens: list[str]) -> range | None:
        """Words whose normalised texts, joined, give the normalised value; the value may
        be split into words differently from the page ('$ 12' and '$12')."""
        target = normalise(text)
        if not target:
            return None
        starts = {*self._normal.get(target, []), *self._normal.get(normalise(tokens[0]), [])}
        for start in self._pick(sorted(starts)):
            joined = ""
            for end in range(start, min(start + MAX_SPAN, len(self.words))):
                joined += self._normal_text[end]
                if joined == target:
                    return range(start, end + 1)
                if not target.startswith(joined):
                    break
        return None

    def _fuzzy_span(self, text: str, n_tokens: int) -> tuple[range, float] | None:
        """The run of ``n_tokens`` consecutive words most like the value, if similar enough."""
        if n_tokens > MAX_SPAN:
            return None
        windows = self._windows.get(n_tokens)
        if windows is None:
            count = max(0, len(self.words) - n_tokens + 1)
            windows = [
                " ".join(normalise(w.text) for w in self.words[i : i + n_tokens])
                for i in range(count)
            ]
            self._windows[n_tokens] = windows
        query = " ".join(normalise(t) for t in text.split())
        best = process.extractOne(query, windows, scorer=fuzz.ratio, score_cutoff=100 * FUZZY_MIN)
        if best is None:
            return None
        _, score, start = best
        return range(start, start + n_tokens), score / 100


def _fuzzy_worthy(text: str) -> bool:
    """Numbers are never matched loosely (125 is not 12.5), nor are very short strings."""
    return len(text) >= 4 and canonical_number(normalise(text)) is None


def _as_text(value: Any) -> str:
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def words_in(words: Sequence[Word], region: BBox | None, margin: float = 2.0) -> list[Word]:
    """The words whose centre lies in ``region`` grown by ``margin`` points (all without one)."""
    if region is None:
        return list(words)
    x0, y0, x1, y1 = region.x0 - margin, region.y0 - margin, region.x1 + margin, region.y1 + margin
    return [w for w in words if x0 <= w.bbox.center[0] <= x1 and y0 <= w.bbox.center[1] <= y1]


def ground_record(
    record: BaseModel,
    index: WordIndex,
    *,
    measured: bool = False,
    record_box: BBox | None = None,
    outer: WordIndex | None = None,
) -> list[FieldMatch]:
    """Every leaf value of ``record`` looked up in ``index`` (the words of the record's own
    box), then in ``outer`` (the tile's: a chart's labels lie outside its plot area). With
    ``measured``, numbers not printed on the page were read from its geometry and count as
    grounded by ``record_box``."""
    matches = []
    for path, value in leaf_values(record):
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        match = index.find(path, value)
        # A measured number printed outside its record is some other number (a tick label).
        if match.status != "exact" and outer is not None and not (measured and numeric):
            wider = outer.find(path, value)
            if STATUS_RANK[wider.status] < STATUS_RANK[match.status]:
                match = wider
        if match.status == "not_found" and measured and numeric:
            match = FieldMatch(path, match.value, "geometry", record_box, 1.0)
        matches.append(match)
    return matches


def page_words(page: Page, ocr: str | None) -> tuple[Word, ...]:
    """The words to ground a page's values in: its text layer, or its OCR'd words (in
    displayed-page coordinates) when it has no usable text layer and ``ocr`` names a
    backend; none otherwise. A page read so far only for a chart's labels is grounded in
    that reading: reading it once more, with the text-direction classifier on, would double the
    time OCR takes and find the same labels, some of them turned upside down."""
    labels = ocr is not None and read_only_for_labels(page, ocr)
    frame, _ = ocr_page_words(page, ocr, labels=labels)
    return frame.page_words()


def ground_tiles(results: Sequence[TileResult], words: Sequence[Word]) -> None:
    """Ground every record of the tiles in place: its fields' matches, and a box for a
    record the engine placed nowhere (the words its values were found in)."""
    indexes: dict[BBox, WordIndex] = {}

    def index_of(region: BBox) -> WordIndex:
        if region not in indexes:
            indexes[region] = WordIndex(words_in(words, region))
        return indexes[region]

    for result in results:
        tile = index_of(result.tile.bbox)
        for found in result.records:
            inside = found.bbox.intersection(result.tile.bbox) if found.bbox else None
            own = index_of(inside) if inside else tile
            own.restart()
            tile.restart()
            found.matches = ground_record(
                found.record,
                own,
                measured=found.measured,
                record_box=found.bbox,
                outer=tile if own is not tile else None,
            )
            boxes = [m.bbox for m in found.matches if m.bbox is not None]
            if found.bbox is None and boxes:
                found.bbox = BBox.enclosing(boxes)
