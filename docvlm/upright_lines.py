"""Labels printed upright, turned a quarter anticlockwise (dates under an axis, read from
the foot up). A text detector boxes each such line, but a recogniser that turns a tall box
the other way reads it upside down ('ΛON' for 'Nov', '2tt2' for '2022'). Where several
tall lines stand, the image is read again turned a quarter clockwise, where those lines
lie level, and their readings replace what was read in their boxes.

Hand-written: the readers' own direction classifiers turn short level labels upside down
('Süd' read as 'pnS'), so they stay off for labels, and no reader offers a quarter turn."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from docvlm.ocr_words import OcrWord, enclosing

TALL = 1.3  # a line of three characters or more, this many times taller than wide, is upright
UPRIGHT_LINES = 3  # tall lines before the image is read again (an axis title is one)


def with_upright_lines(
    read: Callable[[Image.Image], list[OcrWord]], image: Image.Image, words: list[OcrWord]
) -> list[OcrWord]:
    """``words`` read in ``image`` by ``read``, its upright lines read again turned level
    (boxes in ``image``'s pixels, angle 90)."""
    if sum(_upright(w.box, w.text) for w in words if not w.angle) < UPRIGHT_LINES:
        return words
    height = image.height
    upright: list[OcrWord] = []
    lines: list[Box] = []
    # Lines level in the turned image (the level ones of the image stand upright there).
    level = [w for w in read(image.rotate(-90, expand=True)) if not w.angle and _wide(w.box)]
    for line in _lines(level):
        # Turned a quarter clockwise to read: turned back a quarter anticlockwise.
        turned = [
            OcrWord(
                w.text,
                (w.box[1], height - w.box[2], w.box[3], height - w.box[0]),
                w.confidence,
                90.0,
            )
            for w in line
        ]
        box = enclosing([corner for w in turned for corner in (w.box[:2], w.box[2:])])
        if _upright(box, "".join(w.text for w in line)):
            upright += turned
            lines.append(box)
    kept = [w for w in words if w.angle or not any(_within(w.box, box) for box in lines)]
    return kept + upright


Box = tuple[float, float, float, float]


def _lines(words: list[OcrWord]) -> list[list[OcrWord]]:
    """Words level in a row, each within two text heights of the last (a label's words)."""
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: w.box[0]):
        x0, y0, _, y1 = word.box
        for line in lines:
            last = line[-1].box
            middle, size = (last[1] + last[3]) / 2, max(last[3] - last[1], y1 - y0)
            if abs((y0 + y1) / 2 - middle) <= size / 2 and x0 - last[2] <= 2 * size:
                line.append(word)
                break
        else:
            lines.append([word])
    return lines


def _wide(box: Box) -> bool:
    return box[2] - box[0] >= box[3] - box[1]


def _upright(box: Box, text: str) -> bool:
    return len(text) >= 3 and box[3] - box[1] >= TALL * (box[2] - box[0])


def _within(box: Box, other: Box) -> bool:
    """Whether ``box``'s centre stands in ``other``."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return other[0] <= x <= other[2] and other[1] <= y <= other[3]
