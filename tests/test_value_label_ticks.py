"""Value labels placed at their own tick marks: a library centres a label's em box on its
tick, and the box OCR gives is its digits', whose centre stands a point or two off the
tick, every label the same way; read at the boxes' centres, every value is read that much
off, past a vector PDF's 1%."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

import docvlm
from docvlm.engines.native.colours import to_lab
from docvlm.engines.native.raster_ticks import ticks_beside_labels

VALUES = {"North": 23.0, "South": 57.0, "East": 81.0, "West": 42.0}


def test_a_tick_beside_a_label_is_found_and_a_glyph_stroke_or_two_lines_are_not() -> None:
    image = Image.new("RGB", (200, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(52, 20), (60, 20)], fill=(200, 200, 200), width=1)  # a faint tick
    draw.line([(52, 52), (53, 52)], fill=(90, 90, 90), width=1)  # a glyph's short stroke
    for row in (86, 92):  # two lines: a pattern, not one tick
        draw.line([(52, row), (60, row)], fill=(90, 90, 90), width=1)
    labels = [(20, 12, 50, 28), (20, 44, 50, 60), (20, 80, 50, 96)]
    ticks = ticks_beside_labels(to_lab(np.asarray(image)), 1.0, labels)
    assert [d.bbox.y0 for d in ticks] == [20.5]  # the row's centre
    assert ticks[0].bbox.height == 0


def test_bars_are_read_at_the_ticks_of_labels_set_off_them(tmp_path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.transforms import ScaledTranslation

    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=100)
    ax.bar(list(VALUES), list(VALUES.values()), color=(0.2, 0.45, 0.75))
    ax.set_ylim(0, 100)
    fig.canvas.draw()
    raised = ScaledTranslation(0, 2.5 / 72, fig.dpi_scale_trans)  # 2.5 points up
    for label in ax.get_yticklabels():
        label.set_transform(label.get_transform() + raised)
    fig.tight_layout()
    path = tmp_path / "raised_labels.png"
    fig.savefig(path)
    plt.close(fig)
    result = docvlm.extract(str(path), schema="chart")
    assert result.status == "ok" and len(result.records) == 1
    (series,) = result.records[0].series
    # Within 0.6% of the axis: read at the labels' centres, each was 1.1 to 1.4 low.
    assert {p.x: p.y for p in series.points} == {
        name: pytest.approx(value, abs=0.6) for name, value in VALUES.items()
    }
