"""Grouped bars drawn only a few pixels wide, as narrow as a line is thick: strips side by
side on one base are bars (a line series is never that), read at their categories; and a
tall one standing clear of its neighbours is a bar all the way up, not a frame's side."""

from __future__ import annotations

import pytest

import docvlm

VALUES = {
    "North": [12, 30, 18, 25, 9, 22, 15, 28],
    "South": [20, 11, 27, 14, 24, 8, 19, 13],
    "West": [7, 17, 10, 21, 16, 26, 12, 18],
}
CATEGORIES = ["2", "3", "4", "5", "6", "7", "8", "9"]


@pytest.fixture(scope="module")
def narrow_bars_png(tmp_path_factory) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=100)
    places = np.arange(len(CATEGORIES))
    for k, (name, values) in enumerate(VALUES.items()):
        colour = ("#ff0000", "#00c000", "#0000ff")[k]
        ax.bar(places + (k - 1) * 0.09, values, 0.09, label=name, color=colour)  # 3-4 px
    ax.set_xticks(places, CATEGORIES)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    path = tmp_path_factory.mktemp("narrow") / "narrow_bars.png"
    fig.savefig(path)
    plt.close(fig)
    return str(path)


def test_strips_a_few_pixels_wide_on_one_base_are_bars_at_their_categories(narrow_bars_png):
    result = docvlm.extract(narrow_bars_png, schema="chart")
    assert result.status == "ok" and len(result.records) == 1
    chart = result.records[0]
    assert chart.chart_type == "bar"
    read = {s.name: {p.x: p.y for p in s.points} for s in chart.series}
    assert set(read) == set(VALUES)
    for name, values in VALUES.items():
        expected = dict(zip(CATEGORIES, values, strict=True))
        # Within 2% of the axis (0 to 31.5); the tallest bar, '3' of North, stands 20
        # units clear of those beside it, the height of the plot's half.
        assert read[name] == {c: pytest.approx(v, abs=0.6) for c, v in expected.items()}
