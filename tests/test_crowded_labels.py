"""Category labels printed over one another under crowded bars (a library that neither
turns nor thins out long labels): the text layer gives them as one word across several
bar groups. Each group gets its own label back, cut where a word starts; a label over a
group whose bars stand apart, or with no word's start where a cut would fall, stays whole."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.document import Word
from docvlm.engines.native.cartesian import _group_middles
from docvlm.engines.native.crowded_labels import split_at_groups
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from docvlm.page_content import read_words

CATEGORIES = ["Laptops", "Phones", "Monitors", "Printers", "Routers", "Speakers"]
VALUES = [2.0, 3.5, 1.5, 4.0, 2.5, 3.0]
PANEL = (60.0, 30.0, 420.0, 230.0)  # 40 points a unit up from its foot


def _y(value: float) -> float:
    return PANEL[3] - 40 * value


def _crowded_chart(path) -> None:
    """Columns 60 points apart, each named in a monospaced font 8 points high: the
    names of seven or eight letters (over 38 points) run into one another."""
    doc = pymupdf.open()
    page = doc.new_page(width=460, height=270)
    x0, _, x1, y1 = PANEL
    page.draw_line((x0, y1), (x1, y1), color=(0, 0, 0), width=0.5)
    for value in range(6):
        page.draw_line((x0, _y(value)), (x1, _y(value)), color=(0.85, 0.85, 0.85), width=0.5)
        page.insert_text((x0 - 12, _y(value) + 3), str(value), fontsize=9)
    step = (x1 - x0) / len(CATEGORIES)
    for i, (category, value) in enumerate(zip(CATEGORIES, VALUES, strict=True)):
        middle = x0 + step * (i + 0.5)
        box = pymupdf.Rect(middle - 22, _y(value), middle + 22, y1)
        page.draw_rect(box, color=None, fill=(0.2, 0.45, 0.75))
        width = pymupdf.get_text_length(category, fontname="cour", fontsize=13)
        page.insert_text((middle - width / 2, y1 + 12), category, fontname="cour", fontsize=13)
    doc.save(path)


def test_labels_run_into_one_another_are_cut_back_to_their_columns(tmp_path):
    path = tmp_path / "chart.pdf"
    _crowded_chart(path)
    with pymupdf.open(path) as doc:
        words = [w.text for w in read_words(doc[0])]
    assert any("MonitorsPrinters" in text for text in words)  # the text layer runs them on
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    (series,) = result.records[0].series
    assert {p.x: p.y for p in series.points} == pytest.approx(
        dict(zip(CATEGORIES, VALUES, strict=True)), abs=0.05
    )


def _word(text: str, x0: float, x1: float) -> Word:
    return Word(text, BBox(x0, 200, x1, 210))


def test_a_label_over_bars_of_one_group_set_apart_keeps_its_letters():
    """'Revenues' over two bars of its group a little apart (taken for two groups): no
    word starts where it would be cut."""
    row = [_word("Revenues", 100, 160), _word("Expenses", 160, 220)]
    assert split_at_groups(row, [115.0, 145.0, 175.0, 205.0]) == row


def test_two_line_labels_over_groups_not_one_per_category_stay_whole():
    """'Store 5 Lyon' over two groups' middles where a missing bar split a group (the
    groups stand unevenly), or spanning two even groups but no wider than a step and a
    half (a label centred on its group, not labels run on)."""
    row = [_word("Store 4 Sevilla", 195, 231), _word("Store 5 Lyon", 237, 273)]
    assert split_at_groups(row, [213.0, 248.0, 269.0]) == row
    row = [_word("Store 1 Lyon", 96, 124), _word("Store 2 Köln", 136, 164)]
    assert split_at_groups(row, [100.0, 120.0, 140.0, 160.0]) == row


def test_labels_run_together_cut_at_spaces_and_capitals():
    row = [_word("North South", 100, 210), _word("EastWest", 212, 298)]
    cut = split_at_groups(row, [130.0, 180.0, 230.0, 280.0])
    assert [w.text for w in cut] == ["North", "South", "East", "West"]
    assert [
        w.bbox.x0 <= c <= w.bbox.x1 for w, c in zip(cut, [130, 180, 230, 280], strict=True)
    ] == [True] * 4


def test_a_row_with_a_label_per_group_is_left_alone():
    row = [_word("Q1 North", 100, 150), _word("Q2 South", 160, 210)]
    assert split_at_groups(row, [125.0, 185.0]) == row


def _bar(x0: float, colour: tuple[float, float, float]) -> Mark:
    return Mark("bar", BBox(x0, 80, x0 + 9, 240), colour)


def test_dodged_bars_their_outlines_apart_are_grouped_by_series_runs():
    """Two series' bars 9 points wide, 1.8 apart within a group (white outlines between
    them in an image), 17 apart between groups: a group per category."""
    red, blue = (0.89, 0.1, 0.11), (0.21, 0.49, 0.72)
    bars = [_bar(45 + 36 * k + dx, c) for k in range(4) for dx, c in ((0, red), (10.8, blue))]
    assert _group_middles(bars) == pytest.approx([54.9 + 36 * k for k in range(4)])
    # Bars of one series evenly apart stay one group each.
    assert len(_group_middles([_bar(45 + 20 * k, red) for k in range(6)])) == 6
