"""Stacked bars whose data labels are wider than their segments: a label printed across
a thin segment leaves a strip of it either side, which are one segment, stacked in its
bar; labels run together into one word are no legend name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm.engines.native.legends import split_legend
from docvlm.engines.native.marks import Mark
from docvlm.engines.native.region_joins import joined_across_text
from docvlm.geometry import BBox
from docvlm.page_content import Word

GRAY = (90, 90, 90)
SERIES = {  # name: (colour, values per month)
    "North": ((214, 39, 40), (1200, 300, 950)),
    "South": ((31, 119, 180), (120, 1400, 70)),
    "West": ((255, 127, 14), (800, 600, 1500)),
}
MONTHS = ("Jan", "Feb", "Mar")
PLOT = (90, 40, 690, 340)  # x0, y0, x1, y1: values 0 to 3000 from left to right


def _x(value: float) -> float:
    return PLOT[0] + (PLOT[2] - PLOT[0]) * value / 3000


def _stacked_bars(path: Path) -> None:
    """Horizontal stacked bars, 44 pixels thick, each segment labelled with its value in
    17-pixel type: the labels of the 14- and 24-pixel segments ("70", "120") overhang
    them."""
    image = Image.new("RGB", (820, 400), "white")
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=17)
    step = (PLOT[3] - PLOT[1]) / len(MONTHS)
    for i, month in enumerate(MONTHS):
        centre = PLOT[1] + step * (i + 0.5)
        start = 0.0
        for colour, values in SERIES.values():
            left, right = _x(start), _x(start + values[i])
            draw.rectangle([left, centre - 22, right, centre + 22], fill=colour)
            label = str(values[i])
            width = draw.textlength(label, font=font)
            draw.text(((left + right - width) / 2, centre - 10), label, "black", font)
            start += values[i]
        width = draw.textlength(month, font=font)
        draw.text((PLOT[0] - 10 - width, centre - 10), month, GRAY, font)
    draw.line([(PLOT[0], PLOT[1]), (PLOT[0], PLOT[3])], fill=GRAY, width=1)
    for value in range(0, 3001, 1000):
        label = str(value)
        width = draw.textlength(label, font=font)
        draw.text((_x(value) - width / 2, PLOT[3] + 8), label, GRAY, font)
    for k, (name, (colour, _)) in enumerate(SERIES.items()):
        draw.rectangle([710, 60 + 26 * k, 726, 72 + 26 * k], fill=colour)
        draw.text((732, 57 + 26 * k), name, GRAY, font)
    image.save(path)


def test_a_segment_its_label_overhangs_is_one_stacked_segment(tmp_path):
    path = tmp_path / "labelled_segments.png"
    _stacked_bars(path)
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings  # no segment read twice
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert set(got) == set(SERIES)
    for name, (_, values) in SERIES.items():
        assert set(got[name]) == set(MONTHS), name
        for month, value in zip(MONTHS, values, strict=True):
            assert abs(got[name][month] - value) <= 0.05 * 3000, (name, month)


def test_data_labels_read_as_one_word_name_no_series():
    """A small mark with numbers run together beside it ('66,50046,000', two segments'
    labels) is a piece of a bar; a swatch with a name beside it names its series."""
    red, blue = (0.9, 0.3, 0.2), (0.2, 0.5, 0.7)
    strip = Mark("bar", BBox(48, 101, 62, 104), red)
    swatch = Mark("bar", BBox(600, 40, 614, 47), blue)
    words = [
        Word("66,50046,000", BBox(64, 98, 120, 108)),
        Word("Forecast", BBox(618, 38, 660, 49)),
    ]
    legend, data = split_legend([strip, swatch], words)
    assert list(legend.values()) == ["Forecast"]
    assert data == [strip]


def test_a_label_over_the_column_between_two_segments_of_one_colour_joins_neither():
    """Columns 50 pixels wide, 6 apart; the middle one's label as wide as the column and
    taller than the segments either side, which share a colour but stand 6 pixels apart
    in height: two segments, not one bar lying across the label."""
    labels = np.zeros((120, 180), np.int32)
    labels[40:52, 10:60] = 1  # the left column's segment
    labels[46:58, 122:172] = 2  # the right one's, a little lower
    colours = np.array([[0, 0, 0], [60, -10, -30], [60, -10, -30]], np.float32)
    joined, _ = joined_across_text(labels, colours, [(64, 36, 118, 62)])
    assert joined[45, 30] != joined[50, 140]
    # Level with each other, they are one bar a label cuts (a bar on its side).
    labels[46:58, 10:60], labels[40:46, 10:60] = 1, 0
    joined, _ = joined_across_text(labels, colours, [(60, 36, 122, 62)])
    assert joined[50, 30] == joined[50, 140]
