"""A see-through image reads as it shows on a page: laid on white, not on the colour its
file stores under the alpha (often black)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from docvlm import Document
from docvlm.raster import PymupdfRasteriser
from tests.test_native_charts import REGIONS, SALES, read_chart, series


def _see_through(path, out, mode: str = "RGBA") -> None:
    """The image as a chart saved on a transparent ground stores it: white made see-through
    (each pixel the least opaque colour that shows as it does on white) and the colour
    under a clear pixel black."""
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
    alpha = (255 - rgb).max(axis=-1, keepdims=True) / 255
    colour = np.where(alpha > 0, (rgb - 255 * (1 - alpha)) / np.maximum(alpha, 1e-9), 0)
    rgba = np.dstack([colour, alpha * 255]).round().clip(0, 255).astype(np.uint8)
    image = Image.fromarray(rgba, "RGBA")
    (image.convert("LA") if mode == "LA" else image).save(out)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_a_transparent_ground_is_white_and_the_ink_kept(fixtures, tmp_path, mode):
    path = tmp_path / "clear.png"
    _see_through(fixtures / "chart_bar.png", path, mode)
    page = Document.open(path).page(1)
    image = page.image()
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 255, 255)
    rendered = np.asarray(PymupdfRasteriser().render(page, 72))
    assert (rendered.min(axis=-1) < 60).mean() > 0.005  # text and axes still dark on white
    assert (rendered > 250).all(axis=-1).mean() > 0.5


def test_a_chart_saved_with_a_transparent_ground_reads_its_values(fixtures, tmp_path):
    path = tmp_path / "clear.png"
    _see_through(fixtures / "chart_bar.png", path)
    got = series(read_chart(path))
    assert set(got) == set(SALES)
    for name, values in SALES.items():
        by_region = dict(got[name])
        assert [by_region[r] for r in REGIONS] == pytest.approx(values, abs=0.02 * 22.5)
