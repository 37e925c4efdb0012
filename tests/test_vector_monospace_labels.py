"""A chart's dates set in a monospaced font and turned upright, as a plotting program sets
them: '10 Sep 2022' is three words one above another, the day lowest, a space (0.6 em,
over half a word's box) apart."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

DATES = ["10 Sep 2022", "24 Sep 2022", "08 Oct 2022", "22 Oct 2022"]
SERIES = {"Revenue": [24.5, 31.4, 28.4, 26.5], "Product": [33.3, 30.2, 28.6, 22.9]}
COLOURS = {"Revenue": (0.58, 0.0, 0.83), "Product": (0.0, 0.62, 0.45)}


def _y(value: float) -> float:
    return 200 - 10 * (value - 20)  # 20 at the foot (200), 10 points a unit


def _monospaced_chart(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=520, height=330)
    page.draw_line((60, 200), (300, 200), color=(0, 0, 0), width=0.5)
    page.draw_line((60, 80), (60, 200), color=(0, 0, 0), width=0.5)
    for value in range(20, 36, 5):
        page.draw_line((54, _y(value)), (60, _y(value)), color=(0, 0, 0), width=0.5)
        page.insert_text((24, _y(value) + 4), f"{value}", fontsize=12, fontname="cour")
    places = [90 + 60 * i for i in range(len(DATES))]
    for x, date in zip(places, DATES, strict=True):
        page.draw_line((x, 200), (x, 206), color=(0, 0, 0), width=0.5)
        page.insert_text((x + 4, 300), date, fontsize=12, fontname="cour", rotate=90)
    for k, (name, values) in enumerate(SERIES.items()):
        points = [(x, _y(v)) for x, v in zip(places, values, strict=True)]
        page.draw_polyline(points, color=COLOURS[name], width=1.25)
        top = 90 + 18 * k
        page.draw_line((330, top), (362, top), color=COLOURS[name], width=1.25)
        page.insert_text((370, top + 4), name, fontsize=12, fontname="cour")
    doc.save(path)


def test_monospaced_dates_turned_upright_read_whole(tmp_path):
    path = tmp_path / "monospaced.pdf"
    _monospaced_chart(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    chart = result.records[0]
    got = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    assert set(got) == set(SERIES)
    for name, values in SERIES.items():
        expected = dict(zip(DATES, values, strict=True))
        assert {str(x): y for x, y in got[name].items()} == pytest.approx(expected, abs=0.1)


def test_a_text_layer_lines_words_join_across_a_monospaced_space_with_no_bar_between():
    """Words a monospaced space apart on one text-layer line are one label, but category
    labels set that tight right under their bars, a bar between them, stay two; a key's
    two-word name in a row two lines under them, a bar above it but far off, is one."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import merge_line_words
    from docvlm.geometry import BBox

    def word(text: str, x0: float, line: int, top: float = 204.0) -> Word:
        # 7.2 points a character, 12.4 high: a space is 0.58 of the height.
        return Word(text, BBox(x0, top, x0 + 7.2 * len(text), top + 12.4), block=1, line=line)

    key = [word("Product", 359.2, 0), word("A", 359.2 + 7.2 * 8, 0)]
    under_bars = [word("Energie", 144.2, 1), word("Education", 144.2 + 7.2 * 8, 1)]
    below = [word("Team", 168.0, 2, top=236.0), word("Alpha", 168.0 + 7.2 * 5, 2, top=236.0)]
    bars = [BBox(180.0, 100.0, 200.0, 200.0)]  # between each pair's centres
    joined = merge_line_words([*key, *under_bars, *below], by_block=True, data=bars)
    assert sorted(w.text for w in joined) == ["Education", "Energie", "Product A", "Team Alpha"]


def test_labels_turned_45_degrees_side_by_side_stay_apart_and_a_split_one_joins():
    """OCR reads every label turned 45 degrees as one text line: their boxes, side by side
    under their ticks, overlap, and all the axis's labels were joined into one category.
    Words join only in line along their direction."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import merge_line_words
    from docvlm.geometry import BBox

    def turned(text: str, right: float, top: float = 158.0) -> Word:
        # Hung from its tick by its upper right end, 5 points a character, 9 high.
        size = (5.0 * len(text) + 9.0) / 2**0.5
        return Word(text, BBox(right - size, top, right, top + size), angle=45.0)

    ticks = [152.0, 189.0, 227.0, 263.0]
    labels = ["Customer Support", "Research & Development", "Logistics", "Human Resources"]
    words = [turned(text, tick) for text, tick in zip(labels, ticks, strict=True)]
    # One label read as two words: its last at the tick, its first further down its line.
    last = turned("Assurance", 301.0)
    first = turned("Quality", 301.0 - last.bbox.width - 1.0, last.bbox.y1 + 1.0)
    joined = merge_line_words([*words, first, last])
    assert sorted(w.text for w in joined) == sorted([*labels, "Quality Assurance"])


# OCR's boxes of a row of dates under their ticks (points): the last word of a label may
# stand a point higher than its first, and two words' boxes may overlap.
OCR_DATES = [
    ("22", 48.80, 311.93, 59.64, 327.11),
    ("Apr", 63.98, 311.57, 81.69, 327.11),
    ("2022", 86.02, 311.20, 109.88, 326.75),
    ("06", 129.40, 312.65, 143.13, 326.02),
    ("May", 144.94, 312.65, 167.35, 326.02),
    ("2022", 169.52, 312.65, 194.10, 326.02),
    ("17", 378.80, 311.93, 392.53, 327.11),
    ("Jun", 392.17, 311.57, 410.60, 327.11),
    ("2022", 413.86, 311.20, 438.80, 326.75),
]


def test_ocr_words_of_a_date_join_though_a_box_starts_a_point_higher_or_overlaps():
    """A date's last word, its box a point higher, was taken for a line above and came
    before its first words, which joined without it ('22 Apr', '2022'); '17' and 'Jun',
    their boxes overlapping by a third of a point, stayed apart. Both then made the row
    uneven, and it was parted again into words: no date read."""
    from docvlm.document import Word
    from docvlm.engines.native.labels import merge_line_words
    from docvlm.geometry import BBox

    words = [Word(text, BBox(*box)) for text, *box in OCR_DATES]
    joined = [w.text for w in merge_line_words(words)]
    assert joined == ["22 Apr 2022", "06 May 2022", "17 Jun 2022"]
