"""Line series in chart images drawn in bold strokes: a line as thick as an office
style's boldest is a line, not an area."""

from __future__ import annotations

from PIL import Image, ImageDraw

from docvlm.document import Word
from docvlm.engines.native.raster_charts import find_raster_charts
from docvlm.geometry import BBox

BLUE, RED = (68, 114, 196), (192, 80, 77)
QUARTERS = ["Q1", "Q2", "Q3", "Q4", "Q5"]
CENTRES = [80, 160, 240, 320, 400]
FOOT, PER_UNIT = 250, 2.0  # y of the value 0, pixels per unit of value


def _y(value: float) -> float:
    return FOOT - PER_UNIT * value


def test_bold_lines_are_lines() -> None:
    """Two series drawn 5 points thick (the anti-aliased span of a 4.5-point stroke)."""
    series = {"North": (BLUE, [20, 60, 35, 80, 50]), "South": (RED, [70, 40, 90, 25, 60])}
    image = Image.new("RGB", (520, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(60, FOOT), (420, FOOT)], fill=(0, 0, 0), width=1)
    draw.line([(60, 40), (60, FOOT)], fill=(0, 0, 0), width=1)
    words = [Word(str(v), BBox(20, _y(v) - 5, 44, _y(v) + 5)) for v in (0, 25, 50, 75, 100)]
    words += [
        Word(q, BBox(x - 8, FOOT + 8, x + 8, FOOT + 18))
        for q, x in zip(QUARTERS, CENTRES, strict=True)
    ]
    for row, (name, (colour, values)) in enumerate(series.items()):
        points = [(x, _y(v)) for x, v in zip(CENTRES, values, strict=True)]
        draw.line(points, fill=colour, width=5, joint="curve")
        y = 60 + 20 * row
        draw.line([(440, y), (460, y)], fill=colour, width=5)  # the legend's swatch
        words.append(Word(name, BBox(466, y - 5, 500, y + 5)))
    chart = find_raster_charts(image, words, 1.0)[0].chart
    assert chart.chart_type == "line"
    read = {s.name: [round(p.y) for p in s.points] for s in chart.series}
    assert read.keys() == series.keys()
    for name, (_, values) in series.items():
        assert all(abs(a - b) <= 2 for a, b in zip(read[name], values, strict=True)), name
