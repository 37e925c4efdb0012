"""The pieces of a small chart over five categories, in page points, for the tests that
hand marks and words to the chart reader directly: value 0 at y=250, 7 points a unit,
the categories 60 points apart from x=100."""

from __future__ import annotations

from docvlm.document import Word
from docvlm.engines.native.marks import Color, Mark
from docvlm.geometry import BBox

FOOT = 250.0  # y of the value 0
CATEGORIES = ["Mon", "Tue", "Wed", "Thu", "Fri"]
VALUES = [14, 19, 23, 17, 26]
BLUE = (0.2, 0.3, 0.8)


def value_y(value: float) -> float:
    return FOOT - 7 * value


def category_x(index: int) -> float:
    return 100.0 + 60 * index


def axis_words(ticks: tuple[int, ...] = (0, 10, 20, 30)) -> list[Word]:
    """Tick labels left of the plot at ``ticks``, and the category labels under it."""
    words = [Word(str(v), BBox(30, value_y(v) - 5, 44, value_y(v) + 5)) for v in ticks]
    return words + category_words()


def category_words() -> list[Word]:
    return [
        Word(c, BBox(category_x(i) - 12, FOOT + 8, category_x(i) + 12, FOOT + 18))
        for i, c in enumerate(CATEGORIES)
    ]


def line_mark(values: list[float], colour: Color = BLUE) -> Mark:
    """A line through ``values``, one vertex a category."""
    vertices = [(category_x(i), value_y(v)) for i, v in enumerate(values)]
    return Mark("line", BBox.enclosing(BBox(x, y, x, y) for x, y in vertices), colour, vertices)
