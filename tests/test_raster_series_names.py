"""Series named by the legend when a raster swatch's colour drifts from its series', and a
secondary axis's labels found among words a tick mark or a legend stands beside."""

from __future__ import annotations

from docvlm.document import Word
from docvlm.engines.native.labels import right_column
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.series_names import joined_by_name, series_names
from docvlm.geometry import BBox

BLUE = (0.48, 0.61, 0.83)
ORANGE_SWATCH = (0.92, 0.5, 0.21)
ORANGE_BARS = (0.95, 0.64, 0.43)  # a gradient's mean over a tall bar: delta E ~23 off
GRAY = (0.75, 0.75, 0.75)


def _bars(colour: tuple[float, float, float], xs: list[float], height: float = 100.0) -> list:
    return [Mark("bar", BBox(x, 200 - height, x + 10, 200), colour, pixels=10 * height) for x in xs]


def test_a_series_whose_colour_drifted_from_its_swatch_takes_its_name() -> None:
    legend = {BLUE: "Imports", ORANGE_SWATCH: "2024"}
    hairline = [Mark("line", BBox(215, 199, 225, 200), ORANGE_SWATCH, pixels=10)]
    groups = {
        BLUE: _bars(BLUE, [0, 50, 100]),
        ORANGE_BARS: _bars(ORANGE_BARS, [10, 60]),
        ORANGE_SWATCH: hairline,
        GRAY: _bars(GRAY, [20, 70]),
    }
    names = series_names(groups, legend)
    assert names[BLUE] == "Imports"
    assert names[ORANGE_BARS] == "2024"  # the big series, though the hairline is exact
    assert names[ORANGE_SWATCH] == "2024"  # of the swatch's very colour: named still
    assert names[GRAY] is None  # no entry near gray: unnamed, not given a far one


def test_bars_in_a_pale_tint_take_the_swatch_of_their_outlines_hue() -> None:
    # Bars filled in a pale tint of their outline's colour; the small swatches read as
    # the outline alone (delta E ~58 off the fill, far beyond a drifted colour).
    legend = {(1.0, 0.0, 0.0): "Red", (0.0, 0.8, 0.0): "Green", (0.0, 0.0, 1.0): "Blue"}
    pink, pale_green, gray = (1.0, 0.5, 0.5), (0.5, 1.0, 0.5), (0.6, 0.6, 0.6)
    groups = {pink: _bars(pink, [0, 40]), pale_green: _bars(pale_green, [10, 50])}
    groups[gray] = _bars(gray, [20], 3)  # tick marks read as bars: no hue, no name
    names = series_names(groups, legend)
    assert names == {pink: "Red", pale_green: "Green", gray: None}

    # Two unnamed tints nearest one swatch's hue: only the nearer in hue takes it.
    salmon = (1.0, 0.65, 0.5)  # 9 degrees of hue off the red, the pink 15
    names = series_names({pink: _bars(pink, [0]), salmon: _bars(salmon, [10])}, legend)
    assert names == {pink: None, salmon: "Red"}


def test_no_legend_names_nothing() -> None:
    assert series_names({BLUE: _bars(BLUE, [0])}, {}) == {BLUE: None}


def test_groups_of_one_name_join_unless_they_stand_at_one_category() -> None:
    big, small, beside = _bars(ORANGE_BARS, [10, 60]), _bars(ORANGE_SWATCH, [110], 2), []
    groups = {ORANGE_BARS: big, ORANGE_SWATCH: small, GRAY: beside}
    names = {ORANGE_BARS: "2024", ORANGE_SWATCH: "2024", GRAY: None}
    joined = joined_by_name(groups, names, lambda group: False, horizontal=False)
    assert sorted(m.bbox.x0 for m in joined[ORANGE_BARS]) == [10, 60, 110]
    assert ORANGE_SWATCH not in joined

    over = {ORANGE_BARS: big, ORANGE_SWATCH: _bars(ORANGE_SWATCH, [12], 30)}
    kept = joined_by_name(over, names, lambda group: False, horizontal=False)
    assert len(kept[ORANGE_BARS]) == 2 and len(kept[ORANGE_SWATCH]) == 1


def test_groups_on_two_value_axes_stay_apart() -> None:
    line = [Mark("line", BBox(0, 50, 200, 60), ORANGE_SWATCH, [(0, 50), (200, 60)])]
    groups = {ORANGE_BARS: _bars(ORANGE_BARS, [10, 60]), ORANGE_SWATCH: line}
    names = {ORANGE_BARS: "2024", ORANGE_SWATCH: "2024"}
    joined = joined_by_name(
        groups, names, lambda group: any(m.kind == "line" for m in group), horizontal=False
    )
    assert set(joined) == {ORANGE_BARS, ORANGE_SWATCH}


def test_secondary_axis_is_the_column_most_numbers_line_up_in() -> None:
    plot = BBox(90, 80, 580, 400)
    axis = [("30%", 586, 71), ("25%", 585, 125), ("20%", 585, 178), ("15%", 585, 231)]
    axis += [("0%", 583, 390)]
    # Tick marks read into two labels as minus signs, further left; a legend further right.
    misread = [("-10%", 578, 284), ("-5%", 578, 336)]
    legend = [("Forecast", 678, 230), ("Retail", 678, 243), ("Budget", 676, 257)]
    words = [Word(t, BBox(x, y, x + 16, y + 15)) for t, x, y in axis + misread + legend]
    assert [w.text for w in right_column(words, plot)] == ["30%", "25%", "20%", "15%", "0%"]


def test_a_year_names_a_bar_swatch_over_a_line_swatch_a_pixel_wider() -> None:
    from docvlm.engines.native.legends import split_legend

    bar_swatch = Mark("bar", BBox(651.6, 9.4, 671.4, 16.2), BLUE)
    line_swatch = Mark("area", BBox(650.9, 23.4, 672.1, 30.6), ORANGE_SWATCH)
    data = _bars(BLUE, [100, 200])
    words = [Word("2023", BBox(681.6, 4.8, 702.2, 20.2)), Word("Ventes", BBox(680.6, 21, 712, 33))]
    legend, marks = split_legend([bar_swatch, line_swatch, *data], words)
    assert legend == {BLUE: "2023", ORANGE_SWATCH: "Ventes"}
    assert marks == data


def test_bar_starts_showing_left_of_a_key_box_take_no_entry_names() -> None:
    """A key box drawn over horizontal bars' starts leaves a column of small pieces left
    of its swatches, each on an entry's line: they are not samples centred in a slot, and
    the names stay with the swatches beside them."""
    from docvlm.engines.native.legends import split_legend

    colours = [(0.3, 0.69, 0.29), (0.6, 0.3, 0.64), (1.0, 0.5, 0.0)]
    swatches = [
        Mark("bar", BBox(56, 23 + 12 * k, 71, 29 + 12 * k), c) for k, c in enumerate(colours)
    ]
    # Each piece stands half a line lower than the swatch of its colour (the bars run
    # under the key box at their own rows), on the next entry's line.
    starts = [
        Mark("point", BBox(49.5, 33 + 12 * k, 54, 45 + 12 * k), c) for k, c in enumerate(colours)
    ]
    names = ["Budget", "Costs", "Sales"]
    words = [Word(n, BBox(80, 21 + 12 * k, 110, 31 + 12 * k)) for k, n in enumerate(names)]
    legend, _ = split_legend([*swatches, *starts], words)
    assert legend == dict(zip(colours, names, strict=True))


def test_a_key_entry_whose_name_was_not_read_is_no_data() -> None:
    """A key left of the value axis, its two swatches one above the other, OCR having
    read only the lower one's name: the upper swatch is a key entry too, not a bar that
    would stretch the plot over the axis's labels; a bar of a swatch's size in the plot
    stays data."""
    from docvlm.engines.native.legends import split_legend

    red, blue = (0.9, 0.0, 0.28), (0.05, 0.7, 1.0)
    swatches = [
        Mark("bar", BBox(8, 169, 38, 178), red, pixels=270),
        Mark("bar", BBox(8, 186, 38, 195), blue, pixels=270),
    ]
    bars = [*_bars(red, [152, 308]), *_bars(blue, [162, 318])]
    small = Mark("bar", BBox(400, 191, 430, 200), red, pixels=270)  # a low bar, its size
    words = [Word("2023", BBox(42, 184, 65, 196))]
    legend, data = split_legend([*swatches, *bars, small], words)
    assert list(legend.values()) == ["2023"]
    assert swatches[0] not in data
    assert data == [*bars, small]


def test_a_line_sample_with_its_marker_as_long_as_the_key_boxes_is_a_key_entry() -> None:
    """A key of boxes under the plot, names before their samples, and a line series'
    sample in the boxes' column: a handle with a triangle on it, a stroke's caps longer
    than the boxes and the marker's height over a third of a swatch's. Left as data, it
    was traced into its series' line across the category labels, and no category read."""
    from docvlm.engines.native.legends import split_legend

    blue, red, teal = (0.3, 0.47, 0.65), (0.88, 0.34, 0.35), (0.5, 0.73, 0.72)
    keys = [
        Mark("bar", BBox(251.3, 297.1, 284.0, 302.5), blue, pixels=170),
        Mark("bar", BBox(370.6, 297.1, 402.8, 302.5), red, pixels=170),
    ]
    sample = Mark("line", BBox(369.5, 311.8, 403.9, 317.2), teal, pixels=60)
    words = [
        Word("Budget", BBox(202, 293, 246, 308)),
        Word("2024", BBox(335, 293, 365, 308)),
        Word("Profit", BBox(321, 307, 363, 322)),
    ]
    bars = [*_bars(blue, [117, 245]), *_bars(red, [181, 309])]
    legend, data = split_legend([*keys, sample, *bars], words)
    assert sorted(legend.values()) == ["2024", "Budget", "Profit"]
    assert data == bars
