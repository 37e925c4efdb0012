"""Charts pasted as pictures on a page whose text layer holds the page's prose but none of
the charts' labels (a report with a figure exported from a spreadsheet or a notebook):
each picture large enough for a chart is read as a chart image of its own, at its own
pixels, its labels by OCR, and the charts placed back on the page."""

from __future__ import annotations

from dataclasses import replace

from docvlm.document import Page, Word
from docvlm.engines.native.charts import FoundChart, NoChart
from docvlm.engines.native.raster_regions import read_image_charts, region_reader
from docvlm.geometry import BBox
from docvlm.label_slips import mended_labels
from docvlm.ocr import OCR_DPI, OCR_MIN_SIDE, get_backend
from docvlm.raster import PymupdfRasteriser

# The smallest picture read for a chart (points): room for an axis's labels and a plot.
MIN_PICTURE = (144.0, 96.0)
LOWEST_DPI = 36.0  # a picture placed far larger than its pixels is read at this at least


def picture_charts(page: Page, backend: str, max_dpi: float) -> tuple[list[FoundChart], str]:
    """The charts in the pictures placed on ``page`` (boxes in page points), each picture
    read at its own resolution up to ``max_dpi``, its words by the OCR ``backend``; and
    why the first picture read with no chart has none ('' when each had one, or none was
    large enough to read)."""
    found: list[FoundChart] = []
    missed = ""
    for placed, dpi in zip(page.pictures, page.picture_dpi, strict=True):
        box = placed.intersection(page.bbox)
        if box is None or box.width < MIN_PICTURE[0] or box.height < MIN_PICTURE[1]:
            continue
        try:
            charts = _read_picture(page, box, max(LOWEST_DPI, min(dpi, max_dpi)), backend)
        except NoChart as reason:
            missed = missed or str(reason)
            continue
        found += [_placed(chart, box) for chart in charts]
    return found, missed


def wordless_pictures(page: Page) -> bool:
    """Whether a picture large enough for a chart stands on ``page`` with no word of its
    text layer on it: a chart pasted there has its labels in its pixels only, so it is
    read as a picture first (read as a part of the rendered page, with the page's words,
    a pie would come out with its slices unnamed and the page's heading for a title)."""
    for placed in page.pictures:
        box = placed.intersection(page.bbox)
        if box is None or box.width < MIN_PICTURE[0] or box.height < MIN_PICTURE[1]:
            continue
        if not any(box.contains_point(*word.bbox.center) for word in page.words):
            return True
    return False


def _placed(chart: FoundChart, box: BBox) -> FoundChart:
    """A chart read in a picture, placed where the picture is on the page (its calibration
    still in the picture's points, from its top left corner)."""
    corner = f"from the picture's corner at ({box.x0:.4g}, {box.y0:.4g})"
    return replace(
        chart,
        bbox=chart.bbox.shifted(box.x0, box.y0),
        calibration=chart.calibration.replace("in page points", f"in page points {corner}"),
    )


def _read_picture(page: Page, box: BBox, dpi: float, backend: str) -> list[FoundChart]:
    """The charts of the picture at ``box``, in points from its top left corner."""
    rasteriser = PymupdfRasteriser()
    image = rasteriser.render(page, dpi, clip=box)
    scale = 72.0 / dpi
    # Its words read enlarged, as those of a small image of a chart are (see ``ocr_dpi``).
    enlarge = min(max(1.0, OCR_MIN_SIDE / max(image.size)), OCR_DPI / 72.0)
    text = rasteriser.render(page, dpi * enlarge, clip=box) if enlarge > 1.0 else image
    words = tuple(
        Word(word.text, BBox(*word.box).scaled(scale / enlarge), angle=word.angle)
        for word in get_backend(backend).read(text, labels=True)
    )
    words = mended_labels(words, text, scale / enlarge, backend)
    return read_image_charts(image, words, scale, region_reader(image, scale, backend))
