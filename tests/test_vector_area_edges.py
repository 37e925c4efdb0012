"""Stacked areas, each band's top drawn again as a line in a darker shade of its fill: the
line is the band's edge, no series of its own, and the band takes its name from the key
whether the key shows the fill or the edge line; a band padded with a point of no height
past each end (as R's ggplot2 aligns stacked areas) reads its end values."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
SERIES = {"North": [12, 18, 15, 22, 26, 20], "South": [8, 11, 19, 14, 9, 17]}
FILLS = {"North": (0.12, 0.47, 0.71), "South": (1.0, 0.5, 0.05)}
X0, X1, TOP, FOOT = 60.0, 400.0, 30.0, 250.0  # the plot; values 0 to 60 up from FOOT


def _y(value: float) -> float:
    return FOOT - (FOOT - TOP) * value / 60


def _darker(colour: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(0.7 * c for c in colour)


def _chart(path, key_shows_edge: bool, padded: bool = False) -> None:
    """``padded``: each band's outline starts and ends with a point of no height a hair
    past its first and last values, as R's ggplot2 pads areas it stacks."""
    doc = pymupdf.open()
    page = doc.new_page(width=480, height=320)
    for value in range(0, 61, 10):
        page.insert_text((X0 - 18, _y(value) + 3.2), str(value), fontsize=9)
    page.draw_line((X0, FOOT), (X1, FOOT), color=(0, 0, 0), width=0.8)
    xs = [X0 + (X1 - X0) * i / (len(MONTHS) - 1) for i in range(len(MONTHS))]
    for x, month in zip(xs, MONTHS, strict=True):
        page.insert_text((x - 8, FOOT + 14), month, fontsize=9)
    lower = [0] * len(MONTHS)
    for k, (name, values) in enumerate(SERIES.items()):
        upper = [a + b for a, b in zip(lower, values, strict=True)]
        top = [(x, _y(v)) for x, v in zip(xs, upper, strict=True)]
        under = [(x, _y(v)) for x, v in zip(xs, lower, strict=True)]
        if padded:
            top = [(xs[0] - 0.4, _y(lower[0])), *top, (xs[-1] + 0.4, _y(lower[-1]))]
        page.draw_polyline(top + under[::-1], color=None, fill=FILLS[name], closePath=True)
        page.draw_polyline(top[padded : len(top) - padded], color=_darker(FILLS[name]), width=2)
        lower = upper
        y = 40 + 14 * k
        if key_shows_edge:
            page.draw_line((406, y), (420, y), color=_darker(FILLS[name]), width=2)
        else:
            page.draw_rect(pymupdf.Rect(410, y - 5, 420, y + 5), color=None, fill=FILLS[name])
        page.insert_text((424, y + 3), name, fontsize=9)
    doc.save(path)


@pytest.mark.parametrize(
    ("key_shows_edge", "padded"),
    [(False, False), (True, False), (False, True)],
    ids=["key of fills", "key of edges", "bands padded past each end"],
)
def test_a_band_s_darker_edge_line_is_no_series(tmp_path, key_shows_edge, padded):
    path = tmp_path / "stacked.pdf"
    _chart(path, key_shows_edge, padded)
    result = docvlm.extract(path, schema="chart")
    assert not result.warnings
    read = {s.name: [(p.x, p.y) for p in s.points] for s in result.records[0].series}
    assert read == {
        name: [(m, pytest.approx(v, abs=0.2)) for m, v in zip(MONTHS, values, strict=True)]
        for name, values in SERIES.items()
    }
