"""Bars on a value axis that stops short of zero (ticks from 5 up): each bar rises from zero
out of sight and shows from the plot's floor, whether it is drawn from the floor or from
zero under a clip to the plot; its value is its far end's. Bars that float, each from its
own place, still read at both ends."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.engines.native.axes import CategoryAxis, NumericAxis
from docvlm.engines.native.cartesian import _bar
from docvlm.engines.native.marks import Mark
from docvlm.geometry import BBox
from docvlm.page_content import read_drawings

HEIGHT = 320
CATEGORIES = ["Apples", "Pears", "Plums", "Figs"]
SERIES = {"North": [12, 18, 15, 22], "South": [8, 11, 19, 14]}
COLOURS = {"North": (0.12, 0.47, 0.71), "South": (1.0, 0.5, 0.05)}
PLOT = (80.0, 30.0, 400.0, 250.0)  # x0, y0, x1, y1
LOW, HIGH = 5, 25  # the value axis's first and last ticks, at the plot's edges


def _at(value: float, upright: bool) -> float:
    """The page position of a value along the value axis."""
    x0, y0, x1, y1 = PLOT
    share = (value - LOW) / (HIGH - LOW)
    return y1 - (y1 - y0) * share if upright else x0 + (x1 - x0) * share


def _chart(upright: bool, clipped: bool) -> bytes:
    """Grouped bars, columns or on their side, each drawn from the floor or, under a clip
    to the plot, from zero; tick labels, category labels and a key as a program sets
    them."""
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=HEIGHT)
    x0, y0, x1, y1 = PLOT
    for value in range(LOW, HIGH + 1, 5):
        text, at = str(value), _at(value, upright)
        width = pymupdf.get_text_length(text, fontsize=9)
        spot = (x0 - 6 - width, at + 3) if upright else (at - width / 2, y1 + 14)
        page.insert_text(spot, text, fontsize=9)
    page.draw_line((x0, y1), (x1, y1), color=(0, 0, 0), width=0.8)
    page.draw_line((x0, y0), (x0, y1), color=(0, 0, 0), width=0.8)
    band = ((x1 - x0) if upright else (y1 - y0)) / len(CATEGORIES)
    thickness = band * 0.4
    bars = []
    for i, category in enumerate(CATEGORIES):
        middle = (x0 if upright else y0) + band * (i + 0.5)
        width = pymupdf.get_text_length(category, fontsize=9)
        spot = (middle - width / 2, y1 + 14) if upright else (x0 - 6 - width, middle + 3)
        page.insert_text(spot, category, fontsize=9)
        for k, (name, values) in enumerate(SERIES.items()):
            side = middle - thickness + thickness * k
            start, end = _at(0 if clipped else LOW, upright), _at(values[i], upright)
            box = (
                (side, end, thickness, start - end)
                if upright
                else (start, side, end - start, thickness)
            )
            bars.append((box, COLOURS[name]))
    for k, name in enumerate(SERIES):
        y = 40 + 14 * k
        page.draw_rect(pymupdf.Rect(410, y - 5, 420, y + 5), color=None, fill=COLOURS[name])
        page.insert_text((424, y + 3), name, fontsize=9)
    page.clean_contents()
    xref = page.get_contents()[0]
    doc.update_stream(xref, doc.xref_stream(xref) + _bar_operators(bars, clipped))
    return doc.tobytes()


def _bar_operators(bars: list, clipped: bool) -> bytes:
    """The bars as PDF operators (y up from the page's foot), each under a clip to the
    plot where ``clipped``."""
    x0, y0, x1, y1 = PLOT
    clip = f"{x0} {HEIGHT - y1} {x1 - x0} {y1 - y0} re W n " if clipped else ""
    out = ""
    for (x, y, w, h), (r, g, b) in bars:
        out += f"\nq {clip}{r} {g} {b} rg {x:.2f} {HEIGHT - y - h:.2f} {w:.2f} {h:.2f} re f Q"
    return out.encode() + b"\n"


@pytest.mark.parametrize("clipped", [False, True], ids=["from the floor", "clipped"])
@pytest.mark.parametrize("upright", [True, False], ids=["columns", "on their side"])
def test_bars_on_an_axis_from_five_read_at_their_far_ends(tmp_path, upright, clipped):
    path = tmp_path / "bars.pdf"
    path.write_bytes(_chart(upright, clipped))
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok" and not result.warnings
    series = {s.name: [(p.x, p.y) for p in s.points] for s in result.records[0].series}
    assert series == {
        name: [(c, pytest.approx(v, abs=0.05)) for c, v in zip(CATEGORIES, values, strict=True)]
        for name, values in SERIES.items()
    }


def test_a_box_its_clip_cuts_off_is_what_shows_and_a_marker_on_the_edge_is_whole():
    """A bar drawn from zero, off the plot's left edge, is the part the clip lets show; a
    square marker centred on the plot's edge runs half its width past it and stays whole
    (its middle is its place)."""
    content = (
        b"q 80 70 320 220 re W n 0.1 0.5 0.7 rg 0 100 250 20 re f Q "
        b"q 80 70 320 220 re W n 0.9 0.3 0.1 rg 76 200 8 8 re f Q"
    )
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=HEIGHT)
    page.draw_line((0, 0), (1, 0))  # gives the page a content stream to write into
    doc.update_stream(page.get_contents()[0], content)
    boxes = sorted(d.bbox.as_tuple() for d in read_drawings(doc[0]) if d.fill)
    assert boxes == [
        pytest.approx((76, HEIGHT - 208, 84, HEIGHT - 200)),
        pytest.approx((80, HEIGHT - 120, 250, HEIGHT - 100)),
    ]


def test_bars_that_float_from_their_own_places_read_at_both_ends():
    """Ranges on an axis from 5 (a Gantt chart's tasks): one starts at the floor, the
    others each at its own place; all read at both ends."""
    value_axis = NumericAxis("x", 1 / 16, 0.0, False, 5.0, 25.0, 0, 5.0, ())  # x = 16 * value
    categories = CategoryAxis("y", ("a", "b", "c"), (40.0, 70.0, 100.0))
    marks = [
        Mark("bar", BBox(80, 35, 192, 45), (0.3, 0.5, 0.7)),  # 5 to 12
        Mark("bar", BBox(160, 65, 288, 75), (0.3, 0.5, 0.7)),  # 10 to 18
        Mark("bar", BBox(240, 95, 352, 105), (0.3, 0.5, 0.7)),  # 15 to 22
    ]
    read = [_bar(mark, marks, value_axis, categories, True) for mark in marks]
    assert read == [
        [("a", 5.0), ("a", 12.0)],
        [("b", 10.0), ("b", 18.0)],
        [("c", 15.0), ("c", 22.0)],
    ]


def test_a_segment_stacked_low_on_an_axis_whose_zero_label_went_unread_is_its_own_length():
    """An image's axis whose '0' OCR missed starts at its first label read (50): a segment
    stacked on a short one stands below that label, level with other bars' ends, as a
    bar on the floor would; it stands on the segment under it, and reads its own length."""
    value_axis = NumericAxis("y", -1.0, 300.0, False, 50.0, 200.0, 0, 50.0, ())  # 0 at y 300
    categories = CategoryAxis("x", ("a", "b"), (40.0, 100.0))
    blue, red = (0.3, 0.5, 0.7), (0.8, 0.3, 0.2)
    first = Mark("bar", BBox(30, 270, 50, 300), blue)  # 0 to 30
    stacked = Mark("bar", BBox(30, 200, 50, 270), red)  # 30 to 100
    beside = Mark("bar", BBox(90, 270, 110, 300), blue)  # 0 to 30, its top level with both
    marks = [first, stacked, beside]
    assert _bar(stacked, marks, categories, value_axis, False) == [("a", 70.0)]
