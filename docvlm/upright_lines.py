"""Labels printed upright, turned a quarter anticlockwise (dates under an axis, read from
the foot up). A text detector boxes each such line, but a recogniser that turns a tall box
the other way reads it upside down ('ΛON' for 'Nov', '2tt2' for '2022'). Where several
lines stand as tall as wide or taller, the image is read again turned a quarter
clockwise, where those lines lie level, and the lines read there that are upright (tall,
or in a row of labels as thick as one another) replace what was read in their boxes.

Hand-written: the readers' own direction classifiers turn short level labels upside down
('Süd' read as 'pnS'), so they stay off for labels, and no reader offers a quarter turn."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from docvlm.ocr_words import OcrWord, enclosing

TALL = 1.3  # a line of three characters or more, this many times taller than wide, is upright
UPRIGHT_LINES = 3  # standing lines before the image is read again (an axis title is one)
LEVEL = 1.25  # a line of two characters or more this many times wider than tall is level
END_REACH = 0.25  # of its thickness: a first reading boxed past an upright line's end
ROW_LINES = 3  # upright lines side by side that make a row of labels
ROW_THICKNESS = 0.3  # upright labels of a row differ this much in thickness at most (descenders)


def with_upright_lines(
    read: Callable[[Image.Image], list[OcrWord]], image: Image.Image, words: list[OcrWord]
) -> list[OcrWord]:
    """``words`` read in ``image`` by ``read``, its upright lines read again turned level
    (boxes in ``image``'s pixels, angle 90)."""
    if sum(_standing(w.box, w.text) for w in words if not w.angle) < UPRIGHT_LINES:
        return words
    candidates = [
        (box, line, "".join(w.text for w in line)) for box, line in _turned_lines(read, image)
    ]
    level = [w.box for w in words if not w.angle and _level(w.box, w.text)]
    # Known by its row, a line of several characters, none of a level word read first (that
    # word stands upright in the turned image, and may read there all the same).
    in_rows = [box for box, _, text in candidates if _several(text) and not _over_any(box, level)]
    upright: list[OcrWord] = []
    lines: list[Box] = []
    for box, line, text in candidates:
        beside = sum(_in_row(box, other) for other in in_rows if other is not box)
        if _upright(box, text) or (box in in_rows and beside >= ROW_LINES - 1):
            upright += line
            lines.append(box)
    # What was read of an upright line: a bit of its end may be boxed a little past it.
    reach = [_lengthened(box) for box in lines]
    kept = [w for w in words if w.angle or not any(_within(w.box, box) for box in reach)]
    return kept + upright


def _turned_lines(
    read: Callable[[Image.Image], list[OcrWord]], image: Image.Image
) -> list[tuple[Box, list[OcrWord]]]:
    """The lines level in ``image`` turned a quarter clockwise, turned back (angle 90), each
    with its box: the image's upright lines, and words of three letters or more (a short
    word may be boxed shorter than it is thick, 'Jul'; a level '22' stands upright in the
    turned image, and may read there all the same)."""
    height = image.height
    level = [w for w in read(image.rotate(-90, expand=True)) if not w.angle]
    short = [[w] for w in level if not _wide(w.box) and sum(c.isalnum() for c in w.text) >= 3]
    lines = []
    for line in _lines([w for w in level if _wide(w.box)]) + short:
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
        lines.append((box, turned))
    return lines


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


def _in_row(box: Box, other: Box) -> bool:
    """Whether two upright lines are neighbours in a row of labels: as thick, and side by
    side over half the shorter's length at least. A short label ('Jun', 'Oct') is boxed
    barely taller than wide, or less, and is known upright by its row."""
    thickness = (box[2] - box[0], other[2] - other[0])
    overlap = min(box[3], other[3]) - max(box[1], other[1])
    shorter = min(box[3] - box[1], other[3] - other[1])
    return (
        max(thickness) - min(thickness) <= ROW_THICKNESS * max(thickness) and overlap >= shorter / 2
    )


def _level(box: Box, text: str) -> bool:
    """Whether a line of two characters or more is clearly wider than tall, as an upright
    one, boxed with its descenders, is not (a level word, which the turned image holds
    upright and may read all the same)."""
    return len(text) >= 2 and box[2] - box[0] >= LEVEL * (box[3] - box[1])


def _standing(box: Box, text: str) -> bool:
    """Whether a line of several characters (see :func:`_several`) stands as tall as it
    is wide at least, as no level line of them does (short upright labels, which may
    read as anything)."""
    return _several(text) and box[3] - box[1] >= box[2] - box[0]


def _several(text: str) -> bool:
    """Whether a line is three characters long or more, or two not both digits: a line's
    shape tells whether it is upright (a level digit or day's number stands tall)."""
    return len(text) >= 3 or (len(text) == 2 and not text.isdigit())


def _wide(box: Box) -> bool:
    return box[2] - box[0] >= box[3] - box[1]


def _upright(box: Box, text: str) -> bool:
    return len(text) >= 3 and box[3] - box[1] >= TALL * (box[2] - box[0])


def _lengthened(box: Box) -> Box:
    """An upright line's box reaching past each end by a quarter of its thickness."""
    reach = END_REACH * (box[2] - box[0])
    return (box[0], box[1] - reach, box[2], box[3] + reach)


def _over_any(box: Box, boxes: list[Box]) -> bool:
    return any(_within(other, box) for other in boxes)


def _within(box: Box, other: Box) -> bool:
    """Whether ``box``'s centre stands in ``other``."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return other[0] <= x <= other[2] and other[1] <= y <= other[3]
