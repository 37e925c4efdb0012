"""Category labels printed over one another: a library that neither turns nor thins out
long labels under crowded bars prints each over the next ('MonitorsPrintersRouters'),
and the text layer (or OCR) gives them as one word spanning several bar groups. Each
group's label is cut back out at the middle between the groups, where the text shows a
word's start there (a space, or a capital followed by a small letter)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import numpy as np

from docvlm.document import Word
from docvlm.geometry import BBox

EVEN = 0.15  # bar groups one per category stand evenly, their steps within this share
# How many characters off its estimated place a cut may move to meet a word's start: the
# estimate takes every character as wide, and crowded labels overlap a little.
CUT_REACH = 2


def split_at_groups(row: list[Word], centres: list[float]) -> list[Word]:
    """The row of level labels with each label that spans several groups' middles
    (``centres``, left to right) cut into one label per group. Nothing is cut unless the
    groups stand evenly (one per category), the labels run on (one spanning k groups
    reaches over k - 1/2 steps), every group then has a label of its own, and every cut
    falls where a word starts: a label over bars of one group set apart keeps its
    letters."""
    if len(centres) < 2 or len(row) >= len(centres) or any(w.angle for w in row):
        return row
    steps = np.diff(centres)
    step = float(np.median(steps))
    if np.abs(steps - step).max() > EVEN * step:
        return row  # groups not one per category: a bar missing, or a group's bars apart
    out: list[Word] = []
    for word in sorted(row, key=lambda w: w.bbox.x0):
        spanned = [c for c in centres if word.bbox.x0 <= c <= word.bbox.x1]
        if len(spanned) >= 2 and word.bbox.width < (len(spanned) - 0.5) * step:
            return row  # one long label reaching a neighbour's middle, not labels run on
        pieces = _cut(word, spanned) if len(spanned) >= 2 else [word]
        if pieces is None:
            return row
        out.extend(pieces)
    covered = [sum(1 for w in out if w.bbox.x0 <= c <= w.bbox.x1) for c in centres]
    return out if len(out) == len(centres) and covered == [1] * len(centres) else row


def _cut(word: Word, centres: list[float]) -> list[Word] | None:
    """``word`` cut at the middles between ``centres``; None where a cut meets no word's
    start."""
    box, text = word.bbox, word.text
    places = [(a + b) / 2 for a, b in pairwise(centres)]
    cuts: list[int] = []
    for place in places:
        estimate = round((place - box.x0) / box.width * len(text))
        cut = _word_start_near(text, estimate)
        if cut is None or (cuts and cut <= cuts[-1]):
            return None
        cuts.append(cut)
    ends = [0, *cuts, len(text)]
    edges = [box.x0, *places, box.x1]
    pieces = []
    for (start, end), (x0, x1) in zip(pairwise(ends), pairwise(edges), strict=True):
        piece = text[start:end].strip()
        if not piece:
            return None
        pieces.append(replace(word, text=piece, bbox=BBox(x0, box.y0, x1, box.y1)))
    return pieces


def _word_start_near(text: str, estimate: int) -> int | None:
    """The nearest index within ``CUT_REACH`` of ``estimate`` where a word starts: after a
    space, or at a capital followed by a small letter ('Routers|Speakers'; a last 's'
    OCR read as a capital, 'SpeakerS|Consoles', stays with its word)."""
    near = range(estimate - CUT_REACH, estimate + CUT_REACH + 1)
    for i in sorted(near, key=lambda i: abs(i - estimate)):
        if 0 < i < len(text) - 1 and (
            text[i - 1] == " " or (text[i].isupper() and text[i + 1].islower())
        ):
            return i
    return None
