"""A lone speck of neutral ink beside a raster chart's data is no series."""

from __future__ import annotations

from docvlm.engines.native.marks import Mark
from docvlm.engines.native.stray_ink import without_stray_ink
from docvlm.geometry import BBox

PALE_BLUE = (0.81, 0.86, 0.94)
BLACK = (0.0, 0.0, 0.0)


def _bars(colour: tuple[float, float, float], xs: list[float]) -> list[Mark]:
    return [Mark("bar", BBox(x, 150, x + 28, 278), colour) for x in xs]


def test_a_black_speck_left_of_the_data_goes() -> None:
    bars = _bars(PALE_BLUE, [127, 200, 420])
    speck = Mark("bar", BBox(48, 199, 53, 200), BLACK)
    assert without_stray_ink([*bars, speck]) == bars


def test_a_black_bar_of_nearly_nothing_among_the_data_stays() -> None:
    marks = [*_bars(PALE_BLUE, [127, 200, 420]), Mark("bar", BBox(300, 277, 328, 278), BLACK)]
    assert without_stray_ink(marks) == marks


def test_a_coloured_point_or_a_black_series_outside_stays() -> None:
    bars = _bars(PALE_BLUE, [127, 200])
    coloured = Mark("point", BBox(40, 100, 44, 104), (0.9, 0.2, 0.2))
    black = [
        Mark("point", BBox(40, 100, 44, 104), BLACK),
        Mark("point", BBox(400, 90, 404, 94), BLACK),
    ]
    assert without_stray_ink([*bars, coloured]) == [*bars, coloured]
    assert without_stray_ink([*bars, *black]) == [*bars, *black]
