"""A chart image whose bars are outlined in black, its key in a row under the category
labels, one key sample's side in line with a bar's side: in the pixels the two sides are
one straight line with a gap between, found as one rule, which passes between two category
labels. Taken for the plot's side, it stretched the plot over the labels, and no category
was read. A line running on past the marks between the labels of a row ends at them."""

from __future__ import annotations

from docvlm.document import Drawing, Word
from docvlm.engines.native.charts import _plot_area
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

GREEN, BLUE = (0.0, 0.73, 0.22), (0.38, 0.61, 1.0)
# Three 100% stacked columns (two segments each) on a gray panel from y 19 to 299.
MARKS = [
    Mark("bar", BBox(x0, 33, x1, middle), GREEN)
    for x0, x1, middle in ((90, 189, 243), (256, 355, 197), (422, 521, 240))
] + [
    Mark("bar", BBox(x0, middle, x1, 286), BLUE)
    for x0, x1, middle in ((90, 189, 243), (256, 355, 197), (422, 521, 240))
]
WORDS = [
    Word("100%", BBox(15, 25, 34, 37)),
    Word("50%", BBox(19, 153, 36, 165)),
    Word("0%", BBox(23, 280, 36, 292)),
    Word("Apples", BBox(128, 298, 151, 312)),
    Word("Books", BBox(292, 299, 320, 311)),
    Word("Rolls", BBox(455, 300, 489, 311)),
    Word("Type", BBox(214, 335, 237, 351)),
    Word("North", BBox(262, 335, 280, 349)),
    Word("South", BBox(299, 335, 332, 349)),
]


def _rule(x0: float, y0: float, x1: float, y1: float) -> Drawing:
    return Drawing(BBox(x0, y0, x1, y1), "stroke", (0.5, 0.5, 0.5), None, 1.0, ())


PANEL = [_rule(39, 19, 572, 20), _rule(39, 298, 572, 299), _rule(39, 19, 40, 299)]


def test_a_bar_side_run_on_to_a_key_sample_between_the_labels_ends_at_them():
    # The middle column's left side, and the first key sample's right side under it.
    joined = _rule(255, 32, 257, 350)
    plot = _plot_area(MARKS, (*PANEL, _rule(571, 19, 572, 299), joined), WORDS)
    assert plot.y1 <= 299
    assert (plot.x0, plot.y0) == (39, 19)
