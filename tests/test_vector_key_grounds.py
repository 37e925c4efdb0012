"""A key that draws a ground under each entry's sample (R's ggplot2): a small neutral
square per entry, the squares of a column touching, the sample centred on each. The
grounds are no stacked bar, their samples no segments of one, and a line's sample lying on
its ground is no outline inside a bar. A key names a series by a year where its samples
stand on grounds or centred in a column, a line's a little shorter than a fill's."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.document import Word
from docvlm.engines.native.legends import split_legend, swatchless_names
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox

CATEGORIES = ["North", "South", "East", "West"]
VALUES = ([2.0, 3.5, 1.5, 4.0], [1.0, 0.5, 2.5, 1.5])
COLOURS = ((0.27, 0.0, 0.33), (0.13, 0.57, 0.55))
PANEL = (60.0, 30.0, 360.0, 230.0)  # x0, y0, x1, y1: 40 points a unit up from y1
GROUND = (0.92, 0.92, 0.92)  # the panel's
KEY_GROUND = (0.95, 0.95, 0.95)
KEY = 17.28  # a key ground's side


def _y(value: float) -> float:
    return PANEL[3] - 40 * value


def _plot(page: pymupdf.Page) -> float:
    """The panel, its grid and labels; the categories' step."""
    page.draw_rect(pymupdf.Rect(PANEL), color=None, fill=GROUND)
    x0, _, x1, y1 = PANEL
    for value in range(6):
        page.draw_line((x0, _y(value)), (x1, _y(value)), color=(1, 1, 1), width=0.8)
        page.insert_text((x0 - 12, _y(value) + 3), str(value), fontsize=9)
    step = (x1 - x0) / len(CATEGORIES)
    for i, category in enumerate(CATEGORIES):
        page.insert_text((x0 + step * (i + 0.5) - 12, y1 + 12), category, fontsize=9)
    return step


def _chart(path, names: tuple[str, str], marks: tuple[str, str], grounds: bool) -> None:
    """Two series, each drawn as ``segment`` (of stacked columns), ``bar`` or ``line``: in
    one key, its slots touching, or (a bar and a line) in a key each, as ggplot2 draws a
    key for fills and one for lines."""
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=270)
    step = _plot(page)
    base = [0.0] * len(CATEGORIES)
    for mark, values, colour in zip(marks, VALUES, COLOURS, strict=True):
        centres = [PANEL[0] + step * (i + 0.5) for i in range(len(CATEGORIES))]
        if mark == "line":
            points = [(x, _y(v)) for x, v in zip(centres, values, strict=True)]
            page.draw_polyline(points, color=colour, width=1.5)
            continue
        for i, (x, value) in enumerate(zip(centres, values, strict=True)):
            box = pymupdf.Rect(x - 25, _y(base[i] + value), x + 25, _y(base[i]))
            page.draw_rect(box, color=None, fill=colour)
            base[i] += value if mark == "segment" else 0.0
    for k, (name, mark, colour) in enumerate(zip(names, marks, COLOURS, strict=True)):
        top = 100 + (3 if "bar" in marks else 1) * KEY * k
        slot = pymupdf.Rect(380, top, 380 + KEY, top + KEY)
        if grounds:
            page.draw_rect(slot, color=None, fill=KEY_GROUND)
        middle = slot.y0 + KEY / 2
        if mark == "line":  # across its slot, a little short of its sides
            page.draw_line((slot.x0 + 1.7, middle), (slot.x1 - 1.7, middle), color=colour, width=3)
        else:  # the fill's sample, inset from its slot
            inset = pymupdf.Rect(slot.x0 + 0.7, slot.y0 + 0.7, slot.x1 - 0.7, slot.y1 - 0.7)
            page.draw_rect(inset, color=None, fill=colour)
        page.insert_text((402, middle + 3), name, fontsize=9)
    doc.save(path)


@pytest.mark.parametrize(
    ("names", "marks", "grounds"),
    [
        (("Online", "Retail"), ("segment", "segment"), True),
        (("Online", "Retail"), ("line", "line"), True),
        (("2024", "Nord"), ("bar", "line"), True),  # a year, its sample on a ground
        (("2024", "Nord"), ("bar", "line"), False),  # centred over a shorter line's sample
    ],
)
def test_a_keys_samples_on_grounds_or_centred_name_their_series(tmp_path, names, marks, grounds):
    path = tmp_path / "chart.pdf"
    _chart(path, names, marks, grounds)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(names)
    for name, values in zip(names, VALUES, strict=True):
        assert got[name] == pytest.approx(dict(zip(CATEGORIES, values, strict=True)), abs=0.05)


def test_a_keys_swatches_of_one_size_a_point_or_two_apart_are_no_stacked_bar():
    """A key with no grounds (ggplot2's classic theme), as read from an image: its swatches
    touch but for a point or two, and are the one size."""
    swatches = [
        Mark("bar", BBox(380.7, 157.9, 396.0, 173.3), COLOURS[0], pixels=900.0),
        Mark("bar", BBox(380.7, 175.2, 396.0, 190.6), COLOURS[1], pixels=900.0),
    ]
    words = [
        Word("Online", BBox(404.0, 160.0, 430.0, 171.0)),
        Word("Retail", BBox(404.0, 177.5, 428.0, 188.5)),
    ]
    legend, data = split_legend(swatches, words)
    assert sorted(legend.values()) == ["Online", "Retail"] and data == []


def test_a_lone_key_entry_named_by_a_year_and_a_second_keys_name_under_it():
    """Two keys, one per layer (bars, then a line): the bars' one swatch is named by a
    year, and the line's sample, a black line, goes unseen in an image; its name, in line
    with the year a few lines down, is still a key's name."""
    swatch = Mark("bar", BBox(409.0, 149.0, 423.4, 163.4), COLOURS[0], pixels=300.0)
    words = [
        Word("Type", BBox(408.0, 132.0, 431.5, 147.4)),
        Word("2024", BBox(429.6, 150.2, 451.2, 162.2)),
        Word("Type", BBox(407.5, 181.0, 432.5, 197.8)),
        Word("Nord", BBox(431.0, 200.6, 450.2, 213.1)),
    ]
    legend, data = split_legend([swatch], words)
    assert list(legend.values()) == ["2024"] and data == []
    assert swatchless_names(legend, words) == ["Nord"]
    # An axis title a line over a key below the plot, in line with its one name by chance.
    title = Word("Product", BBox(429.8, 134.0, 470.0, 146.5))
    assert swatchless_names(legend, [title, words[1]]) == []


def test_the_outline_two_touching_swatches_share_is_no_series():
    """Outlined swatches drawn edge to edge, as read from an image: the black outline
    between their fills is a thin gray line of its own."""
    swatches = [
        Mark("bar", BBox(10.6, 148.3, 25.0, 163.2), COLOURS[0], pixels=200.0),
        Mark("bar", BBox(10.6, 166.1, 25.0, 180.5), COLOURS[1], pixels=200.0),
    ]
    between = Mark("line", BBox(9.1, 163.7, 26.4, 165.1), (0.38, 0.38, 0.38), pixels=20.0)
    words = [
        Word("Online", BBox(30.2, 151.7, 60.5, 159.8)),
        Word("Retail", BBox(30.2, 168.5, 58.0, 178.6)),
    ]
    legend, data = split_legend([*swatches, between], words)
    assert sorted(legend.values()) == ["Online", "Retail"] and data == []


def test_a_keys_title_before_its_row_of_entries_is_no_name():
    """A key in a row under the plot, titled before its first sample ('Type'), its names
    after their samples; a second key's title and its one entry further along."""
    row = [("Type", 100.0), ("Online", 148.0), ("Retail", 230.0), ("Type", 262.0), ("Costs", 310.0)]
    words = [Word(text, BBox(x, 300.0, x + 30.0, 311.0)) for text, x in row]
    samples = [BBox(x - 18.0, 297.0, x - 2.0, 313.0) for x in (148.0, 230.0, 310.0)]
    legend = {COLOURS[0]: "Online", COLOURS[1]: "Retail"}  # the line's sample unseen
    assert swatchless_names(legend, words, samples) == ["Costs"]
    assert sorted(swatchless_names(legend, words)) == ["Costs", "Type", "Type"]


def test_a_keys_ground_cut_in_two_by_its_lost_sample_is_no_data():
    """An image's keys in a row under the plot: 'Legend', two swatches and their names,
    then a second 'Legend' and a black line sample across its gray ground, taken for a
    glyph and dropped, leaving the ground's halves. Beside '2023', they are the key's, not
    bars stretching the plot down over the axis's labels."""
    light, dark, gray = (0.65, 0.81, 0.89), (0.12, 0.47, 0.7), (0.5, 0.5, 0.5)
    bars = [Mark("bar", BBox(130 + 37 * k, 40, 141 + 37 * k, 83), light) for k in range(8)]
    bars += [Mark("bar", BBox(141 + 37 * k, 84, 152 + 37 * k, 118), dark) for k in range(8)]
    swatches = [Mark("bar", BBox(184, 261.4, 199, 276.2), light)]
    swatches.append(Mark("bar", BBox(254, 261.4, 270, 276.2), dark))
    halves = [Mark("bar", BBox(366, 260.6, 382.3, 268.6), gray)]
    halves.append(Mark("bar", BBox(366, 269.3, 382.3, 277.2), gray))
    words = [
        Word("Legend", BBox(141, 262, 178, 276)),
        Word("Product A", BBox(205, 263, 248, 274)),
        Word("Umsatz", BBox(275, 263, 304, 274)),
        Word("Legend", BBox(324, 262, 361, 276)),
        Word("2023", BBox(387, 263, 408, 274)),
    ]
    legend, data = split_legend([*bars, *swatches, *halves], words)
    assert {"Product A", "Umsatz"} <= set(legend.values())
    assert data == bars
    # With no name beside them, two gray boxes one on the other stay data.
    legend, data = split_legend([*bars, *swatches, *halves], words[:3])
    assert data == [*bars, *halves]
