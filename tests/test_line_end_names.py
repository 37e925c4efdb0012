"""Lines named where they end (a newspaper's style, no legend): each unnamed line takes
the word printed level with its last point, just past it."""

from __future__ import annotations

from docvlm.document import Word
from docvlm.engines.native.charts import FoundChart, chart_from_marks
from docvlm.geometry import BBox
from tests.category_chart import VALUES, axis_words, line_mark

LINES = {(0.2, 0.3, 0.8): VALUES, (0.9, 0.4, 0.1): [8, 11, 9, 15, 12]}


def _chart(names: list[tuple[str, float]]) -> FoundChart:
    """The lines with ``names`` (text, gap after the line's last point) at their ends."""
    words, marks = axis_words(), []
    for (colour, values), (name, gap) in zip(LINES.items(), names, strict=True):
        line = line_mark(values, colour)
        marks.append(line)
        x, y = line.vertices[-1]
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


def test_an_axis_title_turned_up_the_side_names_no_line() -> None:
    """A turned axis title left of the plot stands level with a line's start and, its
    box tall, within a text height of it; it is no line's name."""
    title = Word("Population", BBox(10, 100, 24, 180), angle=90.0)
    words = [*axis_words(), title]
    found = chart_from_marks([line_mark([14, 19, 23, 17, 26])], words, ())[0]
    assert found.chart.series[0].name is None


def test_a_level_reference_line_takes_the_word_over_its_end() -> None:
    """A target line across the plot, its name printed over its right end inside the
    plot: the line is named by it; a word over its middle (a note) names nothing."""
    for left, name in ((0.8, "Target"), (0.4, None)):
        target = line_mark([20] * 5, (0.85, 0.1, 0.1))
        (x0, y), (x1, _) = target.vertices[0], target.vertices[-1]
        x = x0 + left * (x1 - x0)
        word = Word("Target", BBox(x - 15, y - 12, x + 15, y - 2))
        marks = [line_mark(VALUES), target]
        found = chart_from_marks(marks, [*axis_words(), word], ())[0]
        assert [s.name for s in found.chart.series] == [None, name]
