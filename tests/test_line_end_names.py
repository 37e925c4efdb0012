"""Lines named where they end (a newspaper's style, no legend): each unnamed line takes
the word printed level with its last point, just past it."""

from __future__ import annotations

from docvlm.document import Word
from docvlm.engines.native.charts import FoundChart, chart_from_marks
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

FOOT = 250.0  # y of the value 0, 7 points a unit
CATEGORIES = ["Mon", "Tue", "Wed", "Thu", "Fri"]
LINES = {(0.2, 0.3, 0.8): [14, 19, 23, 17, 26], (0.9, 0.4, 0.1): [8, 11, 9, 15, 12]}


def _y(value: float) -> float:
    return FOOT - 7 * value


def _chart(names: list[tuple[str, float]]) -> FoundChart:
    """The lines with ``names`` (text, gap after the line's last point) at their ends."""
    words = [Word(str(v), BBox(30, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 10, 20, 30)]
    words += [
        Word(c, BBox(88 + 60 * i, FOOT + 8, 112 + 60 * i, FOOT + 18))
        for i, c in enumerate(CATEGORIES)
    ]
    marks = []
    for (colour, values), (name, gap) in zip(LINES.items(), names, strict=True):
        vertices = [(100.0 + 60 * i, _y(v)) for i, v in enumerate(values)]
        box = BBox.enclosing(BBox(x, y, x, y) for x, y in vertices)
        marks.append(Mark("line", box, colour, vertices))
        x, y = vertices[-1]
        words.append(Word(name, BBox(x + gap, y - 5, x + gap + 30, y + 5)))
    return chart_from_marks(marks, words, ())[0]


def test_each_line_takes_the_name_printed_past_its_end() -> None:
    found = _chart([("North", 4.0), ("South", 4.0)])
    assert [s.name for s in found.chart.series] == ["North", "South"]
    assert not any("no name" in gap for gap in found.chart.gaps())


def test_a_word_far_past_a_line_s_end_names_nothing() -> None:
    """A word level with a line's end but further off than a text height and a half (a
    note beside the chart) is no name: the line stays unnamed, and the chart says so."""
    found = _chart([("North", 4.0), ("Source", 40.0)])
    assert [s.name for s in found.chart.series] == ["North", None]
    assert "1 of 2 series have no name (legend not read)" in found.chart.gaps()
