"""A scatter plot drawn on a bare image for the image reader's tests: its axis labels in
points (the image at 0.72 points a pixel), and the points read back."""

from __future__ import annotations

from PIL import Image

from docvlm.document import Word
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

SCALE = 0.72  # points a pixel
FOOT, PER_UNIT = 350, 2.5  # the plot's foot (pixels) and its pixels per unit of value


def y_of(value: float) -> float:
    """The pixel row a value stands at."""
    return FOOT - PER_UNIT * value


def read_points(image: Image.Image) -> list[tuple[float, float]]:
    """The points of the one scatter series read from ``image`` (labelled 0 to 100 up the
    left, 100 to 500 along the foot at their pixel columns), sorted by x."""
    words = [
        *(Word(str(v), BBox(30, y_of(v) - 5, 60, y_of(v) + 5)) for v in (0, 25, 50, 75, 100)),
        *(Word(str(x), BBox(x - 12, 360, x + 12, 372)) for x in (100, 200, 300, 400, 500)),
    ]
    in_points = [Word(w.text, w.bbox.scaled(SCALE)) for w in words]
    chart = find_raster_charts(image, in_points, SCALE)[0].chart
    assert chart.chart_type == "scatter" and len(chart.series) == 1
    return sorted((float(p.x), p.y) for p in chart.series[0].points)
