"""100% charts, whose bars fill the plot: the plot's ground shows only as strips between
them, and a key finds no free corner and is drawn over a bar. The ground is no series, a
swatch lost in a bar of its own colour still names its series, and a bar under the key's
panel is read whole."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.backdrops import find_backgrounds
from docvlm.engines.native.colours import delta_e, to_lab
from docvlm.engines.native.hidden_by_legend import legend_box
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

WHITE, LAVENDER, INK = (255, 255, 255), (234, 234, 242), (40, 40, 40)
COLOURS = {"North": (31, 119, 180), "South": (255, 127, 14), "East": (44, 160, 44)}
SHARES = {
    "North": [30, 45, 20, 60, 35],
    "South": [40, 25, 50, 20, 30],
    "East": [30, 30, 30, 20, 35],
}
CATEGORIES = ["Apples", "Pears", "Plums", "Figs", "Kiwis"]
LEFT, TOP, RIGHT, FOOT = 60, 40, 420, 300  # the plot
RIGHT_KEY, OVER = (440, 60), (352, 52)


def _letters(draw: ImageDraw.ImageDraw, word: Word) -> None:
    """Small blocks standing for a word's letters, a gap between each."""
    box = word.bbox
    for x in range(int(box.x0) + 1, int(box.x1) - 3, 6):
        draw.rectangle([x, box.y0 + 2, x + 3, box.y1 - 2], fill=INK)


def _at(share: float, upright: bool) -> int:
    """The pixel a share (0..100) stands at along the value axis."""
    if upright:
        return round(FOOT - share * (FOOT - TOP) / 100)
    return round(LEFT + share * (RIGHT - LEFT) / 100)


def _hundred_percent(
    ground: tuple[int, int, int],
    key: tuple[int, int],
    panel: float | None = None,
    upright: bool = True,
) -> tuple[Image.Image, list[Word]]:
    """Columns (or bars, ``upright`` False) of three series filling the plot, over white
    grid lines on the plot's ``ground``. ``key``: where the key's first swatch stands
    (RIGHT_KEY: right of the plot; OVER: over the last column's top); ``panel``: the
    key's white panel's opacity (None: no panel)."""
    image = Image.new("RGB", (560, 360), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle([LEFT, TOP, RIGHT, FOOT], fill=ground)
    words = []
    for share in range(0, 101, 20):
        at = _at(share, upright)
        if upright:
            draw.line([(LEFT, at), (RIGHT, at)], fill=WHITE, width=1)
            words.append(Word(f"{share}%", BBox(22, at - 5, 52, at + 5)))
        else:
            draw.line([(at, TOP), (at, FOOT)], fill=WHITE, width=1)
            words.append(Word(f"{share}%", BBox(at - 14, FOOT + 8, at + 14, FOOT + 18)))
    band = ((RIGHT - LEFT) if upright else (FOOT - TOP)) / len(CATEGORIES)
    for i, category in enumerate(CATEGORIES):
        start = round((LEFT if upright else TOP) + band * i + 10)
        end = round(start + band - 20)
        base = 0
        for name, shares in SHARES.items():
            low, high = _at(base, upright), _at(base + shares[i], upright)
            if upright:
                draw.rectangle([start, high, end, low - 1], fill=COLOURS[name])
            else:
                draw.rectangle([low, start, high - 1, end], fill=COLOURS[name])
            base += shares[i]
        if upright:
            words.append(Word(category, BBox(start + 2, FOOT + 8, end - 2, FOOT + 18)))
        else:
            words.append(Word(category, BBox(2, start + 8, 52, start + 18)))
    for word in words:
        _letters(draw, word)
    _key(image, words, key, panel)
    return image, words


def _key(image: Image.Image, words: list[Word], at: tuple[int, int], panel: float | None) -> None:
    x, y = at
    if panel is not None:
        box = (x - 6, y - 10, x + 66, y + 52)
        under = np.asarray(image, dtype=float)[box[1] : box[3], box[0] : box[2]]
        blend = panel * 255 + (1 - panel) * under
        image.paste(Image.fromarray(blend.round().astype(np.uint8)), box[:2])
    draw = ImageDraw.Draw(image)
    for k, name in enumerate(COLOURS):
        row = y + 20 * k
        draw.rectangle([x, row - 5, x + 15, row + 5], fill=COLOURS[name])
        # OCR's boxes of a column of names start a point or two apart.
        start = x + 21 + (k % 2) * 2
        word = Word(name, BBox(start, row - 6, start + 37 + 2 * k, row + 6))
        words.append(word)
        _letters(draw, word)


def _read(image: Image.Image, words: list[Word]) -> dict[str | None, dict[str, float]]:
    chart = find_raster_charts(image, words, 1.0)[0].chart
    return {s.name: {str(p.x): p.y for p in s.points if p.y is not None} for s in chart.series}


def _assert_read(read: dict[str | None, dict[str, float]]) -> None:
    assert sorted(read, key=str) == sorted(SHARES), read
    for name, shares in SHARES.items():
        assert list(read[name]) == CATEGORIES or sorted(read[name]) == sorted(CATEGORIES)
        for category, share in zip(CATEGORIES, shares, strict=True):
            assert abs(read[name][category] - share) <= 1.0, (name, category, read[name])


def test_a_plot_ground_showing_only_between_full_columns_is_a_ground() -> None:
    """Strips of the lavender ground between the columns, cut into cells by white grid
    lines, are the plot's backdrop, not a series of bars at each grid line's height."""
    image, words = _hundred_percent(LAVENDER, RIGHT_KEY)
    backgrounds = find_backgrounds(to_lab(np.asarray(image)))
    lavender = to_lab(np.asarray([[LAVENDER]], dtype=np.uint8))[0, 0]
    assert any(float(delta_e(bg, lavender)) < 1.0 for bg in backgrounds)
    _assert_read(_read(image, words))


def test_a_plot_ground_showing_only_between_full_bars_is_a_ground() -> None:
    image, words = _hundred_percent(LAVENDER, RIGHT_KEY, upright=False)
    backgrounds = find_backgrounds(to_lab(np.asarray(image)))
    lavender = to_lab(np.asarray([[LAVENDER]], dtype=np.uint8))[0, 0]
    assert any(float(delta_e(bg, lavender)) < 1.0 for bg in backgrounds)
    _assert_read(_read(image, words))


def test_a_swatch_lost_in_a_bar_of_its_own_colour_still_names_its_series() -> None:
    """A key with no panel over the last column: East's swatch lies on East's bar and is
    not seen; the one name left in the key's column names the one series left."""
    image, words = _hundred_percent(WHITE, OVER)
    _assert_read(_read(image, words))


@pytest.mark.parametrize("opacity", [1.0, 0.8])
def test_a_bar_under_the_keys_panel_is_read_whole(opacity: float) -> None:
    """A white panel (opaque, or see-through: the bar's colour shows paler through it)
    over the top of the last column: East's bar there is read from its foot to its top,
    not as its parts above and below the panel."""
    image, words = _hundred_percent(WHITE, OVER, panel=opacity)
    _assert_read(_read(image, words))


def test_bars_in_line_with_one_the_key_lies_over_stay_bars() -> None:
    """Bars on their side ending at 100%: East's swatch, straddling the top bar's edge,
    joins East's bar there and leaves it ragged (no rectangle); the bars in line with it
    are still bars, not bands of an area."""
    image, words = _hundred_percent(WHITE, (372, 10), upright=False)
    _assert_read(_read(image, words))


def test_gray_bars_of_one_value_among_others_are_no_ground() -> None:
    """Three of a gray series' bars end alike (one value), as a ground's strips do; the
    series' other bars end elsewhere, and the gray stays a series."""
    gray, blue = (102, 102, 102), COLOURS["North"]
    values = {"Size": [18, 10, 18, 25, 18, 6], "Team": [12, 22, 9, 14, 20, 16]}
    image = Image.new("RGB", (560, 360), WHITE)
    draw = ImageDraw.Draw(image)
    words = []
    for value in range(0, 31, 10):
        x = LEFT + value * 12
        words.append(Word(str(value), BBox(x - 8, FOOT + 8, x + 8, FOOT + 18)))
    draw.line([(LEFT, TOP), (LEFT, FOOT)], fill=INK, width=1)
    names = ["Mar", "Apr", "May", "Jun", "Jul", "Aug"]
    for i, name in enumerate(names):
        top = TOP + 8 + 42 * i
        for k, colour in enumerate((gray, blue)):
            value = list(values.values())[k][i]
            draw.rectangle(
                [LEFT + 1, top + 16 * k, LEFT + value * 12, top + 16 * k + 15], fill=colour
            )
        words.append(Word(name, BBox(20, top + 10, 52, top + 22)))
    for k, (series, colour) in enumerate(zip(values, (gray, blue), strict=True)):
        draw.rectangle([460, 60 + 22 * k - 5, 476, 60 + 22 * k + 5], fill=colour)
        words.append(Word(series, BBox(482, 60 + 22 * k - 6, 520, 60 + 22 * k + 6)))
    for word in words:
        _letters(draw, word)
    backgrounds = find_backgrounds(to_lab(np.asarray(image)))
    assert len(backgrounds) == 1  # the page's white only
    read = _read(image, words)
    assert sorted(read, key=str) == ["Size", "Team"], read
    for series, row in values.items():
        assert [round(read[series][n]) for n in names] == row, read[series]


def test_the_keys_box_holds_only_names_beside_its_swatches() -> None:
    """A word far from the key that reads as one of its names (an axis title, a pattern
    read as letters) is none of its entries: the key's box, under which bars are joined,
    stays round its swatches and their names."""
    swatches = [
        Mark("bar", BBox(500, 60 + 20 * k, 516, 70 + 20 * k), (0.2, 0.4, 0.8)) for k in (0, 1)
    ]
    words = [Word("North", BBox(522, 58, 560, 72)), Word("South", BBox(522, 78, 560, 92))]
    words.append(Word("North", BBox(20, 200, 58, 214)))
    assert legend_box(swatches, words, {"North", "South"}) == BBox(500, 58, 560, 92)
    assert legend_box(swatches, words[2:], {"North"}) is None
