"""Charts in a dark theme, and rows of crowded category labels: grid lines in a dark
blue-gray tint are rules (not a series), grid lines seen through see-through areas do not
cut the areas apart, category names a little more than a space apart are one label
each, and a lone digit read apart from its unit ('6' '€') is one tick label with it."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm.document import Word
from docvlm.engines.native.labels import merge_line_words
from docvlm.geometry import BBox

GROUND, GRID, TEXT = (17, 17, 17), (40, 52, 66), (242, 245, 250)  # a dark theme's
BLUE, RED, GREEN = (99, 110, 250), (239, 85, 59), (0, 204, 150)
FRUIT = {"Apples": 40, "Plums": 12, "Grapes": 25, "Lemons": 33, "Oranges": 18, "Kiwis": 8}
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
LOW = (20, 24, 18, 30, 26, 22)  # the stacked areas' values
HIGH = (12, 8, 15, 10, 14, 9)
PLOT = (80, 40, 720, 380)  # x0, y0, x1, y1: values 0 to 50 from bottom to top


def _y(value: float) -> float:
    return PLOT[3] - (PLOT[3] - PLOT[1]) * value / 50


def _value_axis(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont) -> None:
    """Horizontal grid lines every 10, labelled left of the plot."""
    for value in range(0, 51, 10):
        draw.line([(PLOT[0], _y(value)), (PLOT[2], _y(value))], fill=GRID, width=1)
        text = str(value)
        draw.text((PLOT[0] - 8 - draw.textlength(text, font=font), _y(value) - 8), text, TEXT, font)


def _label(draw: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, x: float, text: str) -> None:
    draw.text((x - draw.textlength(text, font=font) / 2, PLOT[3] + 8), text, TEXT, font)


def _dark_columns(path: Path) -> None:
    image = Image.new("RGB", (760, 460), GROUND)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=15)
    _value_axis(draw, font)
    step = (PLOT[2] - PLOT[0]) / len(FRUIT)
    for i, (name, value) in enumerate(FRUIT.items()):
        centre = PLOT[0] + step * (i + 0.5)
        draw.rectangle([centre - 0.35 * step, _y(value), centre + 0.35 * step, PLOT[3]], BLUE)
        _label(draw, font, centre, name)
    image.save(path)


def test_a_dark_themes_tinted_grid_lines_are_no_series(tmp_path):
    path = tmp_path / "dark_columns.png"
    _dark_columns(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    (series,) = result.records[0].series
    assert {p.x: round(p.y) for p in series.points} == FRUIT


def _see_through_areas(path: Path) -> None:
    """Two stacked areas at half opacity over vertical grid lines, their outlines in full
    colour, and a legend below."""
    image = Image.new("RGB", (760, 480), GROUND)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=15)
    _value_axis(draw, font)
    xs = [PLOT[0] + (PLOT[2] - PLOT[0]) * i / (len(DAYS) - 1) for i in range(len(DAYS))]
    for x, day in zip(xs, DAYS, strict=True):
        draw.line([(x, PLOT[1]), (x, PLOT[3])], fill=GRID, width=2)
        _label(draw, font, x, day)
    low = [(x, _y(v)) for x, v in zip(xs, LOW, strict=True)]
    top = [(x, _y(a + b)) for x, a, b in zip(xs, LOW, HIGH, strict=True)]
    fills = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shade = ImageDraw.Draw(fills)
    shade.polygon([*low, (PLOT[2], PLOT[3]), (PLOT[0], PLOT[3])], fill=(*RED, 128))
    shade.polygon([*top, *low[::-1]], fill=(*GREEN, 128))
    image = Image.alpha_composite(image.convert("RGBA"), fills).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.line(low, fill=RED, width=3)
    draw.line(top, fill=GREEN, width=3)
    for x, name, colour in ((250, "Retail", GREEN), (410, "Wholesale", RED)):
        half = tuple((c + g) // 2 for c, g in zip(colour, GROUND, strict=True))
        draw.rectangle([x, 440, x + 30, 452], fill=half)
        draw.line([(x, 441), (x + 30, 441)], fill=colour, width=3)
        draw.text((x + 38, 437), name, TEXT, font)
    image.save(path)


def test_grid_lines_seen_through_see_through_areas_do_not_cut_them(tmp_path):
    path = tmp_path / "see_through_areas.png"
    _see_through_areas(path)
    chart = docvlm.extract(path, schema="chart").records[0]
    assert chart.chart_type == "area"
    got = {s.name: {p.x: p.y for p in s.points} for s in chart.series if s.name}
    for name, values in (("Wholesale", LOW), ("Retail", HIGH)):
        assert set(got[name]) == set(DAYS), name
        for day, value in zip(DAYS, values, strict=True):
            assert abs(got[name][day] - value) <= 0.05 * 50, (name, day)


def _row(texts: list[str], step: float, y: float = 300.0) -> list[Word]:
    """Words centred ``step`` apart along a row (a character 7 points wide, 15 high)."""
    words = []
    for i, text in enumerate(texts):
        for j, part in enumerate(text.split()):
            width = 7.0 * len(part)
            centre = 40 + step * i + (j - (len(text.split()) - 1) / 2) * (width + 4)
            words.append(Word(part, BBox(centre - width / 2, y, centre + width / 2, y + 15)))
    return words


def test_crowded_category_names_are_one_label_each():
    """Names 7 points apart (under half a text height: a space, as far as the gap tells)
    whose centres stand at one step are one label each."""
    names = ["Apples", "Plums", "Grapes", "Lemons", "Oranges", "Peaches", "Mangoes", "Kiwis"]
    assert [w.text for w in merge_line_words(_row(names, 56.0))] == names


def test_two_word_names_in_a_row_stay_whole():
    cities = ["New York", "Los Angeles", "San Diego", "Boston", "El Paso"]
    assert [w.text for w in merge_line_words(_row(cities, 120.0))] == cities


def test_two_line_names_in_a_typewriter_font_are_parted_as_their_second_lines():
    """'Store 1 Store 2 ...' in a typewriter font stands at one even step, word after
    word, a space apart; the town under each, centred on it, parts the row into labels
    ('Store 1' over 'Lyon'), where evenness alone would take every word for a label."""
    char, stores = 6.0, []
    for i in range(5):
        left = 60 + 48 * i  # 'Store 1 ' is eight characters
        stores += [
            Word("Store", BBox(left, 300, left + 5 * char, 312)),
            Word(str(i + 1), BBox(left + 6 * char, 300, left + 7 * char, 312)),
        ]
    towns = ["Lyon", "Köln", "Nice", "Metz", "Bonn"]
    below = [
        Word(t, BBox(81 + 48 * i - 2 * char, 312, 81 + 48 * i + 2 * char, 324))
        for i, t in enumerate(towns)
    ]
    merged = [w.text for w in merge_line_words(stores + below)]
    assert merged == [f"Store {i}" for i in range(1, 6)] + towns


def test_a_value_printed_at_a_bar_start_is_not_its_category_name() -> None:
    """'Human Resources' left of a horizontal bar, its value '29100' printed just inside
    the bar's start a space after it: two labels. 'Human', its top a point lower than
    'Resources', comes after it in reading order and is still the name's first word."""
    words = [
        Word("Resources", BBox(77, 213, 113, 225)),
        Word("Human", BBox(49, 214, 74, 225)),
        Word("29100", BBox(116, 213, 138, 224)),
    ]
    bar = BBox(120, 210, 134, 228)  # the value's box reaches past the short bar's start
    merged = sorted(w.text for w in merge_line_words(words, data=[bar]))
    assert merged == ["29100", "Human Resources"]
    # A tick mark beside the bar's start read into the value as a dash.
    dashed = [Word("Oranges", BBox(5, 134, 29, 146)), Word("\u2013$5,930", BBox(32, 134, 55, 146))]
    bar = BBox(36, 130, 52, 150)
    assert [w.text for w in merge_line_words(dashed, data=[bar])] == ["Oranges", "\u2013$5,930"]


def test_a_legend_name_over_a_bar_s_end_stays_whole() -> None:
    """A legend drawn over the bars, 'Team' on a bar and 'Alpha' past its end: one name."""
    words = [Word("Team", BBox(200, 50, 220, 60)), Word("Alpha", BBox(223, 50, 243, 60))]
    bar = BBox(150, 40, 221, 200)
    assert [w.text for w in merge_line_words(words, data=[bar])] == ["Team Alpha"]


def test_a_lone_digit_and_its_unit_are_one_label():
    """'6 €' read as two one-character words is one tick label; 'C' 'Z' stay two."""

    def pair(first: str, second: str) -> list[str]:
        words = [Word(first, BBox(100, 50, 107, 64)), Word(second, BBox(110, 50, 117, 64))]
        return [w.text for w in merge_line_words(words)]

    assert pair("6", "€") == ["6 €"]
    assert pair("$", "5") == ["$ 5"]
    assert pair("C", "Z") == ["C", "Z"]
    assert pair("1", "2") == ["1", "2"]
