"""Vector bars filled with a pattern and outlined in their series' colour, as a plotting
program's cairo output draws them: the pattern's cell (its white ground and a hatch line)
is drawn once, in its own coordinates at the page's corner, under a clip to the bar; the
bar itself is the outline."""

from __future__ import annotations

import pymupdf
import pytest

import docvlm
from docvlm.page_content import read_drawings

HEIGHT = 340
COLOURS = {"Sales": b"0.58 0 0.83", "Costs": b"0 0.62 0.45"}
VALUES = {
    "Sales": {"North": 12.0, "South": 18.0, "East": 7.0},
    "Costs": {"North": 5.0, "South": 3.0, "East": 9.0},
}


def _y(value: float) -> float:
    """The PDF's y (up from the foot) of a value: 10 points a unit over a foot at 300."""
    return HEIGHT - (300 - 10 * value)


def _text(x: float, y: float, text: str) -> bytes:
    return b"BT /F1 8 Tf %.1f %.1f Td (%s) Tj ET " % (x, y, text.encode())


def _hatched_chart() -> bytes:
    """Two series stacked, their key right of the plot (a PDF written by hand: pymupdf
    draws no pattern fills)."""
    cell = b"1 1 1 rg 0 0 8 8 re f 0.58 0 0.83 RG 0.5 w 0 0 m 8 8 l S"
    content = b"0 0 0 RG 0.5 w 60 %.1f m 330 %.1f l S " % (_y(0), _y(0))
    for value in range(0, 25, 5):
        content += _text(40, _y(value) - 3, str(value))
    feet = dict.fromkeys(VALUES["Sales"], 0.0)
    for name, values in VALUES.items():
        for i, (category, value) in enumerate(values.items()):
            x, y, w, h = 90 + 90 * i, _y(feet[category]), 30, 10 * value
            feet[category] += value
            content += b"q %d %.1f %d %.1f re W n /Pattern cs /P1 scn " % (x, y, w, h)
            content += b"%d %.1f %d %.1f re f Q " % (x, y, w, h)
            content += b"%s RG 1 w %d %.1f %d %.1f re S " % (COLOURS[name], x, y, w, h)
    for i, category in enumerate(VALUES["Sales"]):
        content += _text(92 + 90 * i, _y(0) - 15, category)
    for k, name in enumerate(VALUES):  # the key: each name before its outlined sample
        y = HEIGHT - 40 - 14 * k
        content += _text(330, y, name) + b"%s RG 1 w 362 %d 30 6 re S " % (COLOURS[name], y)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 %d] " % HEIGHT
    page += b"/Resources << /Pattern << /P1 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>"
    pattern = b"<< /Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 8 8] "
    pattern += b"/XStep 8 /YStep 8 /Resources << >> /Length %d >>" % len(cell)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"%s\nstream\n%s\nendstream" % (pattern, cell),
        font,
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


def test_a_pattern_cell_drawn_outside_its_clip_is_not_on_the_page():
    with pymupdf.open(stream=_hatched_chart(), filetype="pdf") as doc:
        drawings = read_drawings(doc[0])
    assert [d for d in drawings if d.bbox.x1 < 20] == []  # nothing at the page's corner
    outlines = [d.bbox.as_tuple() for d in drawings if d.stroke and d.stroke != (0, 0, 0)]
    assert len(outlines) == 8


def test_bars_outlined_in_their_colour_over_a_pattern_are_read(tmp_path):
    path = tmp_path / "hatched.pdf"
    path.write_bytes(_hatched_chart())
    result = docvlm.extract(path, schema="chart")
    assert result.status == "ok"
    got = {s.name: {p.x: p.y for p in s.points} for s in result.records[0].series}
    assert got.keys() == VALUES.keys()
    for name, values in VALUES.items():
        assert got[name] == pytest.approx(values, abs=0.1)
