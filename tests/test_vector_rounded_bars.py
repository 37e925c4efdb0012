"""Bars drawn with rounded corners, as a modern style draws them: each is a path of
straight sides and a curve at each corner, not a rectangle; it is a bar all the same, read
at its end. A round marker, curves alone, is still a point, and a key's frame with rounded
corners round its one sample is a frame."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.document import Document, Drawing
from docvlm.engines.native.marks import chart_marks, mark_from_drawing
from docvlm.geometry import BBox

CATEGORIES = ["Apples", "Pears", "Plums", "Figs"]
SERIES = {"North": [12, 18, 15, 22], "South": [8, 11, 19, 14]}
COLOURS = {"North": (0.12, 0.47, 0.71), "South": (1.0, 0.5, 0.05)}
X0, Y0, X1, FOOT = 80.0, 30.0, 400.0, 250.0  # the plot, 8.8 points a unit up from FOOT


def _y(value: float) -> float:
    return FOOT - (FOOT - Y0) * value / 25


def _chart(path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=320)
    for value in range(0, 26, 5):
        width = pymupdf.get_text_length(str(value), fontsize=9)
        page.insert_text((X0 - 6 - width, _y(value) + 3.2), str(value), fontsize=9)
    page.draw_line((X0, FOOT), (X1, FOOT), color=(0, 0, 0), width=0.8)
    page.draw_line((X0, Y0), (X0, FOOT), color=(0, 0, 0), width=0.8)
    for i, category in enumerate(CATEGORIES):
        middle = X0 + 80 * (i + 0.5)
        width = pymupdf.get_text_length(category, fontsize=9)
        page.insert_text((middle - width / 2, FOOT + 14), category, fontsize=9)
        for k, (name, values) in enumerate(SERIES.items()):
            box = pymupdf.Rect(middle - 32 + 32 * k, _y(values[i]), middle + 32 * k, FOOT)
            page.draw_rect(box, color=None, fill=COLOURS[name], radius=0.25)
    for k, name in enumerate(SERIES):
        page.draw_rect(
            pymupdf.Rect(410, 35 + 14 * k, 420, 45 + 14 * k), color=None, fill=COLOURS[name]
        )
        page.insert_text((424, 43 + 14 * k), name, fontsize=9)
    doc.save(path)


def test_columns_with_rounded_corners_are_bars_read_at_their_tops(tmp_path):
    path = tmp_path / "rounded.pdf"
    _chart(path)
    result = docvlm.extract(path, schema="chart")
    record = result.records[0]
    assert record.chart_type == "bar" and not result.warnings
    read = {s.name: [(p.x, p.y) for p in s.points] for s in record.series}
    assert read == {
        name: [(c, pytest.approx(v, abs=0.1)) for c, v in zip(CATEGORIES, values, strict=True)]
        for name, values in SERIES.items()
    }


def _curve(a, b, corner):
    """A quarter turn from ``a`` to ``b`` round ``corner`` (its control points toward it)."""
    return (
        "c",
        a,
        ((a[0] + corner[0]) / 2, (a[1] + corner[1]) / 2),
        ((b[0] + corner[0]) / 2, (b[1] + corner[1]) / 2),
        b,
    )


def test_a_bar_with_its_top_corners_rounded_is_a_bar_and_a_disc_a_point():
    top_rounded = (
        ("l", (10, 100), (10, 24)),
        _curve((10, 24), (14, 20), (10, 20)),
        ("l", (14, 20), (26, 20)),
        _curve((26, 20), (30, 24), (30, 20)),
        ("l", (30, 24), (30, 100)),
        ("l", (30, 100), (10, 100)),
    )
    bar = Drawing(BBox(10, 20, 30, 100), "fill", None, (0.2, 0.4, 0.8), 0.0, top_rounded)
    mark = mark_from_drawing(bar)
    assert mark is not None and mark.kind == "bar" and mark.bbox == BBox(10, 20, 30, 100)
    disc = (
        _curve((5, 0), (10, 5), (10, 0)),
        _curve((10, 5), (5, 10), (10, 10)),
        _curve((5, 10), (0, 5), (0, 10)),
        _curve((0, 5), (5, 0), (0, 0)),
    )
    marker = mark_from_drawing(
        Drawing(BBox(0, 0, 10, 10), "fill", None, (0.2, 0.4, 0.8), 0.0, disc)
    )
    assert marker is not None and marker.kind == "point"


def test_a_key_frame_with_rounded_corners_round_its_one_sample_is_no_mark(tmp_path):
    """A key's frame with rounded corners, filled a pale tint and outlined in gray, round
    its one sample (a single series' key) holds it: it is a frame, not a bar (an area
    chart with it read as a bar chart); a rounded bar beside it, holding nothing, is a
    bar."""
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=320)
    frame = pymupdf.Rect(300, 2, 402, 24)
    page.draw_rect(frame, color=(0.8, 0.8, 0.8), fill=(0.92, 0.92, 0.95), radius=0.2)
    page.draw_rect(pymupdf.Rect(305, 9, 341, 17.4), color=None, fill=(0.69, 0.35, 0.16))
    page.insert_text((350, 18), "Ingresos", fontsize=11)
    page.draw_rect(pymupdf.Rect(100, 80, 130, 250), color=None, fill=(0.2, 0.4, 0.8), radius=0.2)
    path = tmp_path / "key.pdf"
    doc.save(path)
    with Document.open(path) as opened:
        marks = chart_marks(next(iter(opened)))
    assert sorted((m.kind, m.bbox.as_tuple()) for m in marks) == [
        ("bar", (100.0, 80.0, 130.0, 250.0)),
        ("bar", pytest.approx((305.0, 9.0, 341.0, 17.4))),
    ]
