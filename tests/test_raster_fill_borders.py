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
