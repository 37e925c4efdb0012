"""Shapes a PDF fills with a shading (a gradient), as plain fills of their middle colour.

A gradient-filled bar, wedge or legend swatch is a clipping path with a shading painted
through it; PyMuPDF lists the clip but not the paint, so the chart's drawings would miss
those marks. Each innermost clip that holds no drawing of its own, on a page that paints
shadings, is taken for one. Its colour is the mean of the shading's colours as the PDF
defines them (the colour every shape of one series shares, its legend swatch's too); where
that cannot be read, the colour rendered at the shape's centre."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

import numpy as np

from docvlm.document import Drawing, Page
from docvlm.geometry import BBox

if TYPE_CHECKING:
    import pymupdf
else:
    from docvlm.pymupdf_import import pymupdf

SAMPLE = 3.0  # points: the colour is the median over at most this square at the centre
SAMPLE_DPI = 288  # a shape a point high still gets a few pixels
SAME_SHADE = 0.02  # sampled colours this close (per channel) are one colour
MIN_SIDE = 0.5  # points: a clip thinner than this paints nothing to read


def shaded_drawings(page: Page) -> tuple[Drawing, ...]:
    """The page's gradient-filled shapes as fills of their middle colour (none on a page
    that paints no shading)."""
    pdf_page = page.pdf_page
    painted = [kind for kind, _ in pdf_page.get_bboxlog()]
    if "fill-shade" not in painted:
        return ()
    matrix = pdf_page.rotation_matrix
    defined = _shading_colours(pdf_page, painted.count("fill-shade"))
    out: list[Drawing] = []
    colours: list[tuple[float, ...]] = []
    for clip, shade in _shaded_clips(pdf_page.get_drawings(extended=True), painted):
        box = pymupdf.Rect(clip["scissor"])
        if box.width < MIN_SIDE or box.height < MIN_SIDE:
            continue
        colour = defined[shade] if defined else None
        if colour is None:
            colour = _snapped(_centre_colour(pdf_page, clip, box), colours)
        items = tuple(
            (item[0], *(_mapped(p, matrix) for p in item[1:])) for item in _as_lines(clip["items"])
        )
        out.append(Drawing(BBox(*(box * matrix)), "fill", None, colour, 0.0, items))
    return tuple(out)


def _shaded_clips(
    paths: list[dict[str, Any]], painted: list[str]
) -> list[tuple[dict[str, Any], int]]:
    """The clips a shading is painted through, each with the shading's number in painting
    order: innermost clips holding no path, matched in order to the shadings painted
    between the paths around them (``seqno`` is a path's place in the list of everything
    painted). Where the two counts differ, which clip got which shading is unknown, and
    none is taken."""
    shaded: list[tuple[dict[str, Any], int]] = []
    pending: list[dict[str, Any]] = []
    previous, shades_before = -1, 0
    for index, path in enumerate([*paths, {"type": "end", "seqno": len(painted)}]):
        if path["type"] == "clip":
            following = paths[index + 1] if index + 1 < len(paths) else None
            level = int(path.get("level") or 0)
            if following is None or int(following.get("level") or 0) <= level:
                pending.append(_tightest(paths, index))
            continue
        seqno = int(path.get("seqno", previous + 1))
        shades = painted[previous + 1 : seqno].count("fill-shade")
        if shades and shades < len(pending):
            pending = _without_holders(pending)
        if shades and shades == len(pending):
            shaded.extend((clip, shades_before + k) for k, clip in enumerate(pending))
        pending, previous, shades_before = [], seqno, shades_before + shades
    return shaded


def _tightest(paths: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """Of an innermost clip and the clips it is nested in right before it, the one that
    outlines the shape: the smallest, and of those alike the outline rather than its box
    (an area is clipped to its outline, then to that outline's box)."""
    chain = [paths[index]]
    while index > 0 and paths[index - 1]["type"] == "clip":
        if int(paths[index - 1].get("level") or 0) >= int(chain[-1].get("level") or 0):
            break
        index -= 1
        chain.append(paths[index])

    def size(clip: dict[str, Any]) -> tuple[float, bool]:
        box = pymupdf.Rect(clip["scissor"])
        return round(box.width * box.height), clip["items"][0][0] == "re"

    smallest = min(size(clip)[0] for clip in chain)
    alike = [c for c in chain if size(c)[0] <= smallest + max(1.0, 0.01 * smallest)]
    return min(alike, key=lambda clip: size(clip)[1])


def _without_holders(clips: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The clips but those around all the others (a clip of the whole chart set again
    after its shapes): a shading's clip is its shape alone."""
    boxes = [pymupdf.Rect(c["scissor"]) for c in clips]
    return [
        clip
        for clip, box in zip(clips, boxes, strict=True)
        if not all(box.contains(other) for other in boxes)
    ]


_SHADING_OPERATOR = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+sh\b")


def _shading_colours(pdf_page: pymupdf.Page, count: int) -> list[tuple[float, ...] | None]:
    """The mean colour of each shading the page paints, in painting order, from the
    shadings' own definitions (exact, the same for a shape and its legend swatch); empty
    when the page's content does not name them all in order (shadings inside forms)."""
    document = pdf_page.parent
    content = b"\n".join(document.xref_stream(xref) or b"" for xref in pdf_page.get_contents())
    names = [name.decode("latin-1") for name in _SHADING_OPERATOR.findall(content)]
    if len(names) != count:
        return []
    resources: dict[str, tuple[float, ...] | None] = {}
    for name in set(names):
        kind, value = document.xref_get_key(pdf_page.xref, f"Resources/Shading/{name}")
        resources[name] = _mean_colour(document, int(value.split()[0])) if kind == "xref" else None
    return [resources[name] for name in names]


def _mean_colour(document: pymupdf.Document, shading: int) -> tuple[float, ...] | None:
    """The mean of an RGB or gray shading's colours over its domain, for the function
    types office suites write (sampled, exponential, stitched); None for any other."""
    space = document.xref_get_key(shading, "ColorSpace")[1]
    channels = {"/DeviceRGB": 3, "/DeviceGray": 1}.get(space)
    kind, value = document.xref_get_key(shading, "Function")
    if channels is None or kind != "xref":
        return None
    mean = _function_mean(document, int(value.split()[0]), channels)
    if mean is None:
        return None
    return tuple(round(v, 4) for v in (mean * 3 if channels == 1 else mean))


def _function_mean(document: pymupdf.Document, function: int, channels: int) -> list[float] | None:
    kind = document.xref_get_key(function, "FunctionType")[1]
    if kind == "0" and document.xref_get_key(function, "BitsPerSample")[1] == "8":
        samples = np.frombuffer(document.xref_stream(function) or b"", np.uint8)
        if samples.size == 0 or samples.size % channels:
            return None
        return [float(v) / 255 for v in samples.reshape(-1, channels).mean(axis=0)]
    if kind == "2":
        ends = [_numbers(document.xref_get_key(function, key)[1]) for key in ("C0", "C1")]
        c0, c1 = ends[0] or [0.0] * channels, ends[1] or [1.0] * channels
        return [(a + b) / 2 for a, b in zip(c0, c1, strict=True)] if len(c0) == channels else None
    if kind == "3":
        parts = re.findall(r"(\d+) 0 R", document.xref_get_key(function, "Functions")[1])
        means = [_function_mean(document, int(part), channels) for part in parts]
        if not means or any(m is None for m in means):
            return None
        return [sum(m[k] for m in means if m) / len(means) for k in range(channels)]
    return None


def _numbers(text: str) -> list[float]:
    return [float(v) for v in re.findall(r"-?\d*\.?\d+", text)]


def _centre_colour(
    pdf_page: pymupdf.Page, clip: dict[str, Any], box: pymupdf.Rect
) -> tuple[float, ...]:
    """The median colour of a small square at the shape's centre (a thin line or a data
    label drawn over the shape there do not change it)."""
    x, y = _inside_point(clip, box)
    half_w, half_h = min(SAMPLE, box.width) / 2, min(SAMPLE, box.height) / 2
    square = pymupdf.Rect(x - half_w, y - half_h, x + half_w, y + half_h)
    pixmap = pdf_page.get_pixmap(clip=square, dpi=SAMPLE_DPI, alpha=False, colorspace=pymupdf.csRGB)
    pixels = np.frombuffer(pixmap.samples, np.uint8).reshape(-1, pixmap.n)[:, :3]
    return tuple(round(float(v) / 255, 4) for v in np.median(pixels, axis=0))


def _inside_point(clip: dict[str, Any], box: pymupdf.Rect) -> tuple[float, float]:
    """A point inside the clip: its box's centre, or for a slanted outline (a wedge) the
    mean of its vertices."""
    if all(item[0] == "re" for item in clip["items"]):
        return (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    points = [pymupdf.Point(p) for item in clip["items"] for p in item[1:] if _is_point(p)]
    if not points:
        return (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    return (sum(p.x for p in points) / len(points), sum(p.y for p in points) / len(points))


def _snapped(colour: tuple[float, ...], seen: list[tuple[float, ...]]) -> tuple[float, ...]:
    """One colour for the shapes of one shading: a sample a pixel's rounding off an
    earlier one is that one."""
    for other in seen:
        if max(abs(a - b) for a, b in zip(colour, other, strict=True)) <= SAME_SHADE:
            return other
    seen.append(colour)
    return colour


def _as_lines(items: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A clip's outline in the operators the chart marks read: a rectangle as its four
    sides (as office suites draw bars), curves and lines as they are."""
    out: list[tuple[Any, ...]] = []
    for item in items:
        if item[0] == "re":
            r = pymupdf.Rect(item[1])
            corners = [r.tl, r.tr, r.br, r.bl]
            out.extend(("l", a, b) for a, b in zip(corners, corners[1:] + corners[:1], strict=True))
        elif item[0] == "qu":
            quad = item[1]
            corners = [quad.ul, quad.ur, quad.lr, quad.ll]
            out.extend(("l", a, b) for a, b in zip(corners, corners[1:] + corners[:1], strict=True))
        else:
            out.append(item)
    return out


def _is_point(value: Any) -> bool:
    return isinstance(value, pymupdf.Point) or (
        isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, float) for v in value)
    )


def _mapped(point: Any, matrix: pymupdf.Matrix) -> Any:
    if not _is_point(point):
        return point
    mapped = pymupdf.Point(point) * matrix
    return (mapped.x, mapped.y) if math.isfinite(mapped.x) else point
