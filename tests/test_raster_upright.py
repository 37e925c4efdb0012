"""A chart image that orientation detection takes for a page on its side (labels turned
45 degrees mislead it) is read as it stands, its labels with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

import docvlm
from docvlm import ocr

BLUE = (68, 114, 196)


def _chart(path: Path) -> None:
    """A column chart titled above its plot: 'North' 40, 'South' 80 on a 0-100 axis."""
    image = Image.new("RGB", (640, 480), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 18)
    draw.text((230, 20), "Regional sales", fill="black", font=font)
    foot, per_unit = 400, 3.0
    draw.line([(100, foot), (560, foot)], fill="black", width=1)
    draw.line([(100, 80), (100, foot)], fill="black", width=1)
    for value in (0, 25, 50, 75, 100):
        draw.text((40, foot - per_unit * value - 10), str(value), fill="black", font=font)
    for name, value, x in (("North", 40, 200), ("South", 80, 420)):
        draw.rectangle([x - 40, foot - per_unit * value, x + 40, foot - 1], fill=BLUE)
        draw.text((x - 28, foot + 12), name, fill="black", font=font)
    image.save(path)


def test_a_chart_taken_for_a_page_on_its_side_is_read_upright(
    rapidocr: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "chart.png"
    _chart(path)
    monkeypatch.setattr(ocr, "detect_rotation", lambda image: 90)
    result = docvlm.extract(path, schema="chart")
    chart = result.records[0]
    assert chart.title == "Regional sales"
    points = {str(p.x): round(p.y) for s in chart.series for p in s.points}
    assert points.keys() == {"North", "South"}
    assert abs(points["North"] - 40) <= 2 and abs(points["South"] - 80) <= 2
