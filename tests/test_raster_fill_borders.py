"""Shapes drawn as a strong edge round a see-through fill of the same colour, as web
libraries draw a series: a bar reaches to its edge's middle, where its path runs, not to
where its pale fill starts a stroke's half width inside; and so does each band of stacked
areas bordered by a line of its colour. An edge three pixels wide or more is a region of
its own, no stroke, and is taken in all the same."""

from __future__ import annotations

import pytest

import docvlm

CATEGORIES = ["Apples", "Pears", "Plums", "Figs"]
BARS = {"North": [82, 40, 65, 23], "South": [31, 74, 50, 90]}
BANDS = {"Low": [30, 42, 35, 48], "High": [45, 30, 52, 38]}
COLOURS = ((0.9, 0.35, 0.3), (0.2, 0.45, 0.75))
# Points: 2 and 3 pixels at 100 dpi; half of either is 0.5% to 1% of the plot's 150 pixels.
BAR_EDGE = 1.5
THICK_EDGE = 3.0  # 4 pixels: no stroke but a region of its own
LINE = 2.2


def _savefig(fig, path) -> str:
    fig.tight_layout()
    fig.savefig(path)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return str(path)


def _outlined_bars(path, edge_width: float, colours=COLOURS, opacity: float = 0.25) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5, 2.4), dpi=100)
    places = np.arange(len(CATEGORIES))
    for k, (name, values) in enumerate(BARS.items()):
        edge = colours[k]
        fill = (*edge, opacity)  # the edge's colour seen through
        ax.bar(
            places + (k - 0.5) * 0.35,
            values,
            0.3,
            label=name,
            color=fill,
            edgecolor=edge,
            linewidth=edge_width,
        )
    ax.set_xticks(places, CATEGORIES)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _savefig(fig, path)


@pytest.fixture(scope="module")
def outlined_bars_png(tmp_path_factory) -> str:
    return _outlined_bars(tmp_path_factory.mktemp("outlined") / "outlined_bars.png", BAR_EDGE)


@pytest.fixture(scope="module")
def outlined_bands_png(tmp_path_factory) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5, 2.4), dpi=100)
    places = np.arange(len(CATEGORIES))
    base = np.zeros(len(CATEGORIES))
    for k, (name, values) in enumerate(BANDS.items()):
        top = base + np.array(values)
        ax.fill_between(places, base, top, color=(*COLOURS[k], 0.3), linewidth=0, label=name)
        ax.plot(places, top, color=COLOURS[k], linewidth=LINE)
        base = top
    ax.set_xticks(places, CATEGORIES)
    ax.set_xlim(0, len(CATEGORIES) - 1)
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _savefig(fig, tmp_path_factory.mktemp("outlined") / "outlined_bands.png")


def _read(path: str) -> dict[str | None, dict[str, float]]:
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and len(result.records) == 1
    return {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}


def test_a_bar_reaches_to_the_middle_of_its_edge_in_its_own_colour(outlined_bars_png):
    read = _read(outlined_bars_png)
    assert set(read) == set(BARS)
    for name, values in BARS.items():
        # Within 0.45% of the axis (0 to 100): the pale fill alone stops up to 0.8% short.
        expected = {c: pytest.approx(v, abs=0.45) for c, v in zip(CATEGORIES, values, strict=True)}
        assert read[name] == expected


def test_a_band_of_stacked_areas_reaches_to_the_middle_of_its_line(outlined_bands_png):
    read = _read(outlined_bands_png)
    assert set(read) == set(BANDS)
    for name, values in BANDS.items():
        # Within 0.75%: the lower band's fill alone stops 0.85% to 1.25% short, and the upper
        # band's line was read as a third series.
        expected = {c: pytest.approx(v, abs=0.75) for c, v in zip(CATEGORIES, values, strict=True)}
        assert read[name] == expected


def test_a_bar_edge_thick_as_a_region_is_taken_in_too(tmp_path):
    read = _read(_outlined_bars(tmp_path / "thick_edges.png", THICK_EDGE))
    # Each edge was a series of its own, its name given to two series.
    assert set(read) == set(BARS)
    for name, values in BARS.items():
        expected = {c: pytest.approx(v, abs=0.5) for c, v in zip(CATEGORIES, values, strict=True)}
        assert read[name] == expected


def test_a_saturated_edge_over_a_fill_of_its_colour_seen_through_is_taken_in(tmp_path):
    """Crimson and blue edges over fills of their colours at 70% opacity: renderers blend
    on sRGB values, and a blend figured in CIELAB missed the crimson fill by 16 delta E, so
    its edge stayed a series of its own."""
    colours = ((0.9, 0.0, 0.28), (0.05, 0.45, 0.9))
    read = _read(_outlined_bars(tmp_path / "crimson.png", THICK_EDGE, colours, opacity=0.7))
    assert set(read) == set(BARS)
    for name, values in BARS.items():
        expected = {c: pytest.approx(v, abs=0.5) for c, v in zip(CATEGORIES, values, strict=True)}
        assert read[name] == expected


TINTED = {"Low": [30, 22, 25, 18, 12], "Mid": [35, 40, 42, 38, 41], "High": [15, 20, 12, 10, 14]}
FRUIT = ["Apples", "Pears", "Plums", "Figs", "Kiwis"]


def test_stacked_see_through_bands_on_a_tinted_plot_are_no_overlaps(tmp_path):
    """Half-opaque bands stacked to near the top of a tinted plot (its ground too little of
    the image to be found a background), their key on the white page: over white, each
    band's colour passed for the others seen through one another, and the lowest band was
    read as the whole stack."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    ax.set_facecolor((0.9, 0.92, 0.96))
    places, base = np.arange(len(FRUIT)), np.zeros(len(FRUIT))
    colours = ((0.3, 0.45, 0.7), (0.87, 0.52, 0.32), (0.33, 0.66, 0.41))
    for colour, (name, values) in zip(colours, TINTED.items(), strict=True):
        top = base + np.array(values)
        ax.fill_between(places, base, top, color=(*colour, 0.5), linewidth=0, label=name)
        ax.plot(places, top, color=colour, linewidth=LINE)
        base = top
    ax.grid(color="white", linewidth=1.5)
    ax.set_axisbelow(True)
    ax.set_xticks(places, FRUIT)
    ax.set_xlim(0, len(FRUIT) - 1)
    ax.set_ylim(0, 88)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    read = _read(_savefig(fig, tmp_path / "tinted_plot.png"))
    assert set(read) == set(TINTED)
    for name, values in TINTED.items():
        expected = {c: pytest.approx(v, abs=0.75) for c, v in zip(FRUIT, values, strict=True)}
        assert read[name] == expected


PALE = {"Exports": [38, 58, 11, 59, 51], "Imports": [14, 29, 35, 14, 37]}
YEARS = ["2019", "2020", "2021", "2022", "2023"]


def test_fills_too_pale_for_ink_inside_their_outlines_are_bars(tmp_path):
    """Lying stacked bars filled in their edge's colour at a fifth of its strength, gray
    grid lines showing through: a pale blue and a pale teal so laid stand less off white
    than ink does, and 7 delta E apart. Each bar was read from its outline alone, which
    the grid lines cut where its edge falls between two rows of pixels (2022's upper bar
    was read as the whole stack; a web library's chart of five such series read none)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(6, 3), dpi=100)
    places, left = np.arange(len(YEARS)), np.zeros(len(YEARS))
    colours = ((0.25, 0.45, 0.7), (0.4, 0.72, 0.68))
    for colour, (name, values) in zip(colours, PALE.items(), strict=True):
        ax.barh(
            places, values, 0.6, left=left, label=name,
            color=(*colour, 0.2), edgecolor=colour, linewidth=1.0, snap=False,
        )  # fmt: skip
        left = left + np.array(values)
    ax.grid(axis="x", color=(0.85, 0.85, 0.85), linewidth=1.0)
    ax.set_axisbelow(True)
    ax.set_yticks(places, YEARS)
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    read = _read(_savefig(fig, tmp_path / "pale_bars.png"))
    assert set(read) == set(PALE)
    for name, values in PALE.items():
        expected = {c: pytest.approx(v, abs=1.0) for c, v in zip(YEARS, values, strict=True)}
        assert read[name] == expected


SHARES = {"Rent": 0.4, "Food": 0.25, "Travel": 0.2, "Books": 0.15}


def test_doughnut_slices_too_pale_for_ink_inside_their_outlines_are_named_by_their_key(
    tmp_path,
):
    """A doughnut whose slices are their edges' colours at 15% strength, named by a key
    drawn alike: the slices were taken for background (no chart found); taken in, but
    read round the ring in their pale colours, they matched no entry of the key."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 4), dpi=100)
    colours = ((0.95, 0.39, 0.42), (0.36, 0.6, 0.85), (0.55, 0.8, 0.3), (0.65, 0.4, 0.75))
    wedges, _ = ax.pie(
        list(SHARES.values()),
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.4, "linewidth": 1.0},
    )
    for wedge, colour in zip(wedges, colours, strict=True):
        wedge.set_facecolor((*colour, 0.15))
        wedge.set_edgecolor(colour)
    ax.legend(wedges, list(SHARES), loc="upper center", bbox_to_anchor=(0.5, 1.12), ncol=4)
    result = docvlm.extract(_savefig(fig, tmp_path / "pale_doughnut.png"), schema="chart")
    assert result.status == "ok" and len(result.records) == 1
    points = result.records[0].series[0].points
    assert {p.x: p.y for p in points} == {
        name: pytest.approx(share, abs=0.01) for name, share in SHARES.items()
    }
