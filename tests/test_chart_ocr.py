"""OCR of chart text: short labels read as printed, wherever a chart prints them."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib import font_manager
from PIL import Image, ImageDraw, ImageFont

from docvlm import ocr
from docvlm.ocr_regions import read_region
from docvlm.ocr_words import OcrWord, parted_at_spaces
from docvlm.upright_lines import with_upright_lines

SHORT_LABELS = ["90%", "Süd", "9,060", "60%", "Nord", "Ost", "6", "9"]


def _label_row(labels: list[str], size: int = 16) -> Image.Image:
    image = Image.new("RGB", (80 * len(labels) + 20, 60), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size)  # matplotlib's
    for n, label in enumerate(labels):
        draw.text((10 + 80 * n, 20), label, fill="black", font=font)
    return image


def test_short_upright_labels_are_not_read_upside_down(rapidocr):
    """A text-direction classifier turns short words ('Süd' read as 'pnS'); a chart's
    upright labels are read as printed."""
    image = _label_row(SHORT_LABELS)
    words = ocr.get_backend(rapidocr).read(image, labels=True)
    assert [w.text for w in words] == SHORT_LABELS


def test_a_lone_narrow_letter_the_detector_passes_over_is_read(rapidocr):
    """Category labels A to I at a small chart's size, under a chart's plot: the text
    detector finds no lone 'I'; its ink, which no word read covers, is read on its own,
    and its box is in the image's pixels."""
    letters = list("ABCDEFGHI")
    image = Image.new("RGB", (30 * len(letters) + 60, 80), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 10)
    for n, letter in enumerate(letters):
        draw.text((54 + 30 * n, 46), letter, fill=(60, 60, 60), font=font)
    words = read_region(image, (40, 40, *image.size), rapidocr, text_px=11)
    assert [w.text.upper() for w in sorted(words, key=lambda w: w.box[0])] == letters
    i_box = next(w.box for w in words if w.text.upper() == "I")
    assert i_box[0] == pytest.approx(54 + 30 * 8, abs=3)
    assert i_box[1] == pytest.approx(48, abs=3)


def test_a_lone_letter_turned_on_its_side_under_an_axis_is_read(rapidocr):
    """Category labels printed up the axis (turned a quarter anticlockwise): the turned 'I'
    is a flat stroke, no taller than a line; read turned upright after its neighbour 'H'
    (alone it reads as '1'), it is the label 'I', where it was printed."""
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 10)
    image = Image.new("RGB", (60 + 28 * 9, 80), "white")
    for n, letter in enumerate("ABCDEFGHI"):
        glyph = Image.new("RGB", (12, 12), "white")
        ImageDraw.Draw(glyph).text((2, 0), letter, fill=(60, 60, 60), font=font)
        image.paste(glyph.rotate(90), (54 + 28 * n, 46))
    words = read_region(image, (40, 40, *image.size), rapidocr, text_px=11)
    turned = [w for w in words if w.text.upper() == "I"]
    assert len(turned) == 1
    assert (turned[0].box[0] + turned[0].box[2]) / 2 == pytest.approx(54 + 28 * 8 + 6, abs=3)


def test_a_closer_reading_that_joins_a_word_split_in_two_replaces_its_pieces():
    from docvlm.document import Word
    from docvlm.engines.native.raster_labels import rejoined
    from docvlm.geometry import BBox

    pieces = [Word("Lem", BBox(100, 300, 118, 310)), Word("ons", BBox(119, 300, 136, 310))]
    assert rejoined(Word("Lemons", BBox(100, 300, 136, 310)), pieces)
    assert not rejoined(Word("Lemans", BBox(100, 300, 136, 310)), pieces)
    assert not rejoined(Word("Lem", BBox(100, 300, 118, 310)), pieces[:1])


@pytest.mark.parametrize("size", [12, 16, 20, 24])
def test_the_words_of_a_name_stand_a_printed_space_apart(rapidocr, size):
    """RapidOCR boxes each letter as wide as the line's average letter, so a word ending in
    a wide one ('Team', 'Storm') ends early and its name reads as two labels a wide gap
    apart; the edges between words are where the ink leaves a space."""
    names = ["Team Alpha", "Product A", "Storm Eunice", "Sum Total"]
    image = Image.new("RGB", (220 * len(names) + 20, 60), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size)
    for n, name in enumerate(names):
        draw.text((10 + 220 * n, 20), name, fill="black", font=font)
    words = ocr.get_backend(rapidocr).read(image, labels=True)
    assert " ".join(w.text for w in words) == " ".join(names)
    for first, second in zip(words[::2], words[1::2], strict=True):
        gap = second.box[0] - first.box[2]
        assert 0 < gap <= 0.5 * (first.box[3] - first.box[1]), (first, second)


def test_the_space_between_words_is_found_in_their_ink():
    """The space between two words is found in the ink, a rule drawn through the line
    notwithstanding (its row is no letter); where the ink leaves no space clearly wider
    than the gaps between letters, the boxes the reader gave stay."""
    pixels = np.full((20, 100, 3), 255, np.uint8)
    letters = [column for column in range(10, 90) if column % 4 != 3]  # a pixel apart
    pixels[5:15, [c for c in letters if c < 40]] = 0  # 'Team', its last ink at column 38
    pixels[5:15, [c for c in letters if c >= 46]] = 0  # 'Alpha', from column 46
    words = [OcrWord("Team", (10, 3, 36, 17), 1.0), OcrWord("Alpha", (50, 3, 90, 17), 1.0)]
    parted = parted_at_spaces(words, pixels)
    assert [w.box for w in parted] == [(10, 3, 39.0, 17), (46.0, 3, 90, 17)]
    pixels[10, :] = 0  # a rule through the line: its row is left out, the space still found
    assert [w.box for w in parted_at_spaces(words, pixels)] == [w.box for w in parted]
    pixels[5:15, 39:46] = 128  # the space inked too
    assert parted_at_spaces(words, pixels) == words


def test_a_swatch_between_two_words_belongs_to_neither():
    """A legend read as one line, light on dark, 'Sales ■ Forecast', the boxes read short of
    their ink: 'Sales' grows to its ink, but 'Forecast' does not grow over the dark red
    swatch (as dark as the ground in grey) that stands closer to it than a space."""
    pixels = np.zeros((20, 120, 3), np.uint8)
    letters = [column for column in range(10, 110) if column % 4 != 3]
    pixels[5:15, [c for c in letters if c < 40]] = 255  # 'Sales', its last ink at column 38
    pixels[7:14, 44:51] = (150, 30, 30)  # the swatch, two columns off 'Forecast'
    pixels[5:15, [c for c in letters if c >= 53]] = 255  # 'Forecast'
    words = [OcrWord("Sales", (10, 3, 36, 17), 1.0), OcrWord("Forecast", (52, 3, 110, 17), 1.0)]
    assert [w.box for w in parted_at_spaces(words, pixels)] == [
        (10, 3, 39.0, 17),
        (52, 3, 110, 17),
    ]


def _pdf_page(width: float, height: float):
    import pymupdf

    from docvlm.document import Document

    document = pymupdf.open()
    document.new_page(width=width, height=height)
    return Document.open(document.tobytes(), name="page.pdf").page(1)


def test_a_small_pdf_page_is_read_enlarged_as_a_small_image_is():
    """A chart printed as a page of its own, 600 by 375 points, is 1250 pixels long at
    150 dpi, where the detector missed most of its axis's numbers: it is read until its
    long side has 1500, and no page more than twice finer; a letter page is read as is."""
    assert ocr.ocr_dpi(_pdf_page(600, 375)) == pytest.approx(180.0)
    assert ocr.ocr_dpi(_pdf_page(200, 120)) == pytest.approx(2 * ocr.OCR_DPI)
    assert ocr.ocr_dpi(_pdf_page(612, 792)) == pytest.approx(ocr.OCR_DPI)


UPRIGHT_DATES = ["10 Sep 2022", "24 Sep 2022", "08 Oct 2022", "22 Nov 2022", "05 Dec 2022"]


def test_labels_printed_upright_are_read_from_the_foot_up(rapidocr):
    """Dates turned a quarter anticlockwise under an axis, as gnuplot and spreadsheets set
    them: the recogniser turns a tall line the other way, and read 'ΛON' for 'Nov' and
    '2tt2' for '2022'. Each is read level, one word after another from its foot up, at
    its place."""
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 18)
    image = Image.new("RGB", (60 * len(UPRIGHT_DATES) + 40, 200), "white")
    for n, label in enumerate(UPRIGHT_DATES):
        strip = Image.new("RGB", (150, 24), "white")
        ImageDraw.Draw(strip).text((2, 0), label, fill="black", font=font)
        image.paste(strip.rotate(90, expand=True), (20 + 60 * n, 30))
    words = [w for w in ocr.get_backend(rapidocr).read(image, labels=True) if w.angle == 90]
    columns = [
        sorted(
            (w for w in words if abs((w.box[0] + w.box[2]) / 2 - 32 - 60 * n) < 20),
            key=lambda w: -w.box[1],
        )
        for n in range(len(UPRIGHT_DATES))
    ]
    assert [" ".join(w.text for w in column) for column in columns] == UPRIGHT_DATES


def test_short_month_names_printed_upright_are_read_from_the_foot_up(rapidocr):
    """Three-letter months turned upright stand under one and a half times as tall as
    they are wide ('Mar' boxed 12 by 18): tall lines all the same, read level."""
    months = ["Mar", "Apr", "Oct", "Nov", "Aug", "Dec"]
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 16)
    image = Image.new("RGB", (50 * len(months) + 40, 120), "white")
    for n, label in enumerate(months):
        strip = Image.new("RGB", (int(font.getlength(label)) + 2, 20), "white")
        ImageDraw.Draw(strip).text((1, 0), label, fill="black", font=font)
        image.paste(strip.rotate(90, expand=True), (20 + 50 * n, 30))
    words = ocr.get_backend(rapidocr).read(image, labels=True)
    assert len(words) >= 4 and "Nov" in [w.text for w in words]  # not 'NON', upside down
    assert all(w.text in months and w.angle == 90.0 for w in words)


MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize("size", [16, 20])
def test_a_row_of_short_upright_labels_is_read_level_whatever_their_boxes(rapidocr, size):
    """Short months turned upright, their ends in line under an axis: the detector boxes
    'Jun' as wide as tall, 'Jul' wider, and the recogniser read 'unf', '三', 'ep' or
    nothing. A row of lines read level in the turned image, as thick as one another, is
    upright labels; the level key names under them stay level."""
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size)
    image = Image.new("RGB", (60 * len(MONTHS) + 40, 160), "white")
    for n, label in enumerate(MONTHS):
        strip = Image.new("RGB", (int(font.getlength(label)) + 2, int(size * 1.25)), "white")
        ImageDraw.Draw(strip).text((1, 0), label, fill="black", font=font)
        image.paste(strip.rotate(90, expand=True), (20 + 60 * n, 30))
    names = ["Costs", "Süd", "Nord"]
    for n, name in enumerate(names):
        ImageDraw.Draw(image).text((100 + 90 * n, 120), name, fill="black", font=font)
    words = ocr.get_backend(rapidocr).read(image, labels=True)
    upright = sorted((w for w in words if w.angle == 90), key=lambda w: w.box[0])
    assert [w.text for w in upright] == MONTHS
    assert sorted(w.text for w in words if not w.angle) == sorted(names)


def test_a_line_boxed_many_times_as_tall_as_the_others_is_no_word():
    """The detector now and then boxes a whole plot as a line of text ('htald', 750
    pixels tall among labels of 24): it would hide every mark under it."""
    labels = [
        OcrWord(t, (10.0 + 60 * k, 400.0, 50.0 + 60 * k, 424.0), 0.9) for k, t in enumerate("ABCD")
    ]
    giant = OcrWord("htald", (93.0, 0.0, 1042.0, 749.0), 0.8)
    turned = OcrWord("Growth", (900.0, 100.0, 924.0, 250.0), 0.9, angle=90.0)
    assert ocr._without_giants([*labels, giant, turned]) == [*labels, turned]
    assert ocr._without_giants([labels[0], giant]) == [labels[0], giant]  # too few to tell


def test_a_bit_of_an_upright_label_boxed_past_its_end_goes_with_it():
    """The first reading of upright labels boxed a sliver of 'North''s end as a level 'N'
    a point past the line's box; left, it was one more category, a third of a point from
    'North', and the plot's first and last values were lost."""
    height = 300
    labels = {"North": (61.4, 250.6, 73.4, 283.2), "South": (111.8, 250.6, 125.8, 282.2)}
    labels["West"] = (163.7, 250.6, 176.2, 278.4)

    def turned(text: str, box: tuple[float, float, float, float]) -> OcrWord:
        x0, y0, x1, y1 = box  # a box of the image, as it lies in the image turned clockwise
        return OcrWord(text, (height - y1, x0, height - y0, x1), 1.0)

    misread = zip(("Nrh", "Sth", "Wst"), labels.values(), strict=True)
    first = [OcrWord(text, box, 0.5) for text, box in misread]
    first.append(OcrWord("N", (61.0, 248.2, 74.4, 252.5), 0.6))
    image = Image.new("RGB", (200, height), "white")
    words = with_upright_lines(lambda _: [turned(t, b) for t, b in labels.items()], image, first)
    assert sorted(w.text for w in words) == ["North", "South", "West"]


def test_level_dates_whose_days_stand_as_tall_as_wide_stay_level(rapidocr):
    """'22', '06' of level dates are boxed as tall as wide, as short upright labels are,
    and stand upright in the image turned, where they may read all the same: they are
    no row of upright labels, and the dates keep their words in line."""
    labels = ["22 Apr 2022", "06 May 2022", "20 May 2022", "03 Jun 2022", "17 Jun 2022"]
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), 26)
    image = Image.new("RGB", (230 * len(labels) + 40, 90), "white")
    for n, label in enumerate(labels):
        ImageDraw.Draw(image).text((20 + 230 * n, 30), label, fill="black", font=font)
    words = ocr.get_backend(rapidocr).read(image, labels=True)
    assert all(w.angle == 0 for w in words)
    assert " ".join(w.text for w in sorted(words, key=lambda w: w.box[0])) == " ".join(labels)
