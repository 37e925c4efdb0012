"""A chart's OCR'd labels with their one-letter slips mended where a second reading of the
label gives the word ('Revanue' read again as 'Revenue'), and only then: a name that no
word list holds reads as itself again and stays."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import docvlm
from docvlm import ocr
from docvlm.document import Word
from docvlm.geometry import BBox
from docvlm.label_slips import mended_labels
from docvlm.spelling import glued_capital, slips
from tests.line_charts import YEARS

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize(
    ("read", "slip_of"),
    [
        ("Revanue", "Revenue"),  # a round letter for another
        ("Budgel", "Budget"),  # a thin upright stroke for another
        ("udget", "Budget"),  # a letter lost at the edge
        ("REVANUE", "REVENUE"),
        ("Cépenses", "Dépenses"),  # round capitals; French
    ],
)
def test_a_word_no_list_knows_is_a_slip_of_a_look_alike(read, slip_of):
    assert slip_of in slips(read)


@pytest.mark.parametrize(
    ("read", "not_a_slip_of"),
    [
        ("Niños", "Niño"),  # a plural the lists lack is never shortened
        ("Genève", "Genèse"),  # one letter away, not a look-alike
        ("Montreal", "Montréal"),  # never an accent alone
    ],
)
def test_a_word_is_no_slip_of_a_word_it_does_not_look_like(read, not_a_slip_of):
    assert not_a_slip_of not in slips(read)


@pytest.mark.parametrize("read", ["Revenue", "Q3x", "Net", "Ventes"])
def test_known_words_short_ones_and_codes_are_no_slips(read):
    assert slips(read) == set()


def test_a_capital_glued_on_a_word_is_set_apart():
    assert glued_capital("ProductA") == "Product A"
    assert glued_capital("Product") is None
    assert glued_capital("ABCD") is None
    assert glued_capital("QxA") is None  # no word before it


def _label(text: str) -> tuple[Image.Image, BBox]:
    """``text`` drawn 11 points high at 96 dpi, and its box in points (0.75 a pixel)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(3, 0.6), dpi=96)
    figure.text(0.1, 0.3, text, fontsize=11)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=96)
    plt.close(figure)
    image = Image.open(out).convert("RGB")
    rows, cols = zip(
        *(
            (y, x)
            for y in range(image.height)
            for x in range(image.width)
            if sum(image.getpixel((x, y))) < 600
        ),
        strict=True,
    )
    return image, BBox(min(cols), min(rows), max(cols) + 1, max(rows) + 1).scaled(0.75)


def test_a_slip_is_mended_where_a_second_reading_gives_the_word():
    image, box = _label("Revenue")
    (word,) = mended_labels((Word("Revanue", box),), image, 0.75, "rapidocr")
    assert word.text == "Revenue"
    assert word.bbox == box


def test_a_name_that_reads_as_itself_again_stays():
    """'Uttar' is one look-alike letter from 'Utter', as common as a slip's word: read
    again, it is 'Uttar', and stays."""
    assert "Utter" in slips("Uttar")
    image, box = _label("Uttar Pradesh")
    (word,) = mended_labels((Word("Uttar Pradesh", box),), image, 0.75, "rapidocr")
    assert word.text == "Uttar Pradesh"


def _bar_chart(names: list[str]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=96)
    axes.bar([y - 0.2 for y in YEARS[:5]], [30, 25, 30, 28, 26], width=0.4, label=names[0])
    axes.bar([y + 0.2 for y in YEARS[:5]], [28, 20, 19, 14, 10], width=0.4, label=names[1])
    axes.legend()
    axes.set_xticks(YEARS[:5])
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=96)
    plt.close(figure)
    return out.getvalue()


def test_a_legend_name_misread_is_mended_in_the_chart(tmp_path, monkeypatch):
    """The chart's first reading doctored to slip on 'Revenue' (as RapidOCR does on small
    legend text): the series is named 'Revenue', read again from its crop."""
    path = tmp_path / "slip.png"
    path.write_bytes(_bar_chart(["Revenue", "Expenses"]))
    backend = ocr.get_backend("rapidocr")
    first_reading = type(backend).read

    def slipping(self, image, labels=False):
        return [
            w if w.text != "Revenue" else type(w)("Revanue", w.box, w.confidence)
            for w in first_reading(self, image, labels)
        ]

    monkeypatch.setattr(type(backend), "read", slipping)
    monkeypatch.setattr(ocr, "_cache", type(ocr._cache)())
    (chart,) = docvlm.extract(path, schema="chart").records
    assert sorted(s.name for s in chart.series) == ["Expenses", "Revenue"]
    revenue = next(s for s in chart.series if s.name == "Revenue")
    assert [p.y for p in revenue.points] == pytest.approx([30, 25, 30, 28, 26], abs=1)
