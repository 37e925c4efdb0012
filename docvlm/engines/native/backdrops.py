"""Chart image backgrounds, plot backdrops (and the words a chart's frame holds) and rules
(axes, grid lines, frames)."""

from __future__ import annotations

import cv2
import numpy as np

from docvlm.document import Word
from docvlm.engines.native.colours import GRAY, NEUTRAL, chroma, colour_counts, delta_e
from docvlm.engines.native.text_ink import INK_MATCH
from docvlm.geometry import BBox

# delta E: a backdrop this far from the page's colour stands out from it (a dark chart area
# on a light page), not a tint of it (ggplot's light gray panel on white: about 10)
FAR_FROM_PAGE = 30.0
DARK_TINT = 30.0  # lightness below which a faint tint (chroma under GRAY) reads as gray
SIDE_SLACK = 3  # pixels: a bar's two sides start and end this close
BAR_SIDES_APART = 0.1  # a bar's sides stand at most this share of the image apart
REACH = 4  # pixels: how far either side of a dark rule a fill it edges is looked for


def find_backgrounds(lab: np.ndarray) -> list[np.ndarray]:
    """The page's background (the commonest colour along the image's border) and any plot
    background: a large area of one colour whose box's corners it fills, gray (white,
    black) or broken by marks, grid lines or text (a coloured bar holds nothing)."""
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    page = _commonest(border)
    found = [page]
    height, width = lab.shape[:2]
    values, counts = colour_counts(lab[::2, ::2].reshape(-1, 3), 3.0)
    for index in np.argsort(-counts)[:6]:
        colour = values[index] * 3.0
        if counts[index] < 0.05 * counts.sum():
            break
        if min(float(delta_e(colour, bg)) for bg in found) < 4.0:
            continue  # a light gray backdrop on white is one still (ggplot's)
        gray = float(chroma(colour)) < GRAY
        strips = float(chroma(colour)) < NEUTRAL  # a tint may be a pale series' instead
        if _is_backdrop(_colour_mask(lab, colour), width, height, gray, strips):
            # The median: a mark in a colour that near (a pale gray bar on a lavender
            # plot) would pull the mean toward itself, and pass for the ground.
            found.append(np.median(lab[delta_e(lab, colour) < 4.0], axis=0))
    return found


def backdrop_boxes(
    lab: np.ndarray, backgrounds: list[np.ndarray]
) -> list[tuple[int, int, int, int]]:
    """The box of each plot backdrop (every background but the page's): the plot area, as
    an axis frame would give it."""
    return [box for colour in backgrounds[1:] if (box := _backdrop_box(lab, colour))]


def ground_distances(lab: np.ndarray, backgrounds: list[np.ndarray]) -> np.ndarray:
    """How far each pixel looks from each background (delta E; one layer per background).
    Inside a plot backdrop that looks far from the page (a dark chart area on a light
    page), the page's colour is no ground: a mark drawn there in nearly the page's colour
    (a gray gradient bar's light top) is a mark, not the page showing through."""
    distances = np.stack([delta_e(lab, bg) for bg in backgrounds])
    for colour in backgrounds[1:]:
        box = _backdrop_box(lab, colour)
        if box is not None and float(delta_e(colour, backgrounds[0])) > FAR_FROM_PAGE:
            x0, y0, x1, y1 = box
            distances[0, y0:y1, x0:x1] = np.inf
    return distances


def _backdrop_box(lab: np.ndarray, colour: np.ndarray) -> tuple[int, int, int, int] | None:
    # Opened: the anti-aliased edges of labels beside a backdrop pass through its colour,
    # and a chain of such pixels joined a tick label's letters to it, pushing its side out
    # over the labels. (Whether a colour is a backdrop is judged unopened: opened, the thin
    # strips of one showing between stacked areas go.)
    mask = cv2.morphologyEx(
        _colour_mask(lab, colour).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)
    )
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[largest][:4])
    return x, y, x + w, y + h


def _colour_mask(lab: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """The pixels of a backdrop's colour; a gray one's across the white grid lines that
    may cut it into cells."""
    mask = delta_e(lab, colour) < 4.0
    if float(chroma(colour)) < GRAY:
        mask = _across_grid_lines(mask)
    return mask


def within_chart_frame(words: list[Word], data: list[BBox], backdrops: list[BBox]) -> list[Word]:
    """The words inside the backdrop that holds the whole chart (``data``: its data marks'
    boxes), if one does (a dark theme's chart area, with the axis labels inside it: words
    left of the marks): text outside it, such as a table of the data below the chart, is
    not the chart's. Boxes in points."""
    if not data:
        return words
    box = BBox.enclosing(data)
    for frame in backdrops:
        if not (
            frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        ):
            continue
        labels = [
            w
            for w in words
            if frame.x0 <= w.bbox.x0
            and w.bbox.x1 <= box.x0
            and box.y0 <= w.bbox.center[1] <= box.y1
        ]
        if len(labels) >= 2:
            return [w for w in words if _inside(w.bbox.center, frame)]
    return words


def _inside(point: tuple[float, float], box: BBox) -> bool:
    return box.x0 <= point[0] <= box.x1 and box.y0 <= point[1] <= box.y1


def _commonest(pixels: np.ndarray) -> np.ndarray:
    values, counts = colour_counts(pixels, 3.0)
    mode = values[np.argmax(counts)] * 3.0
    near = pixels[delta_e(pixels, mode) < 4.0]
    return near.mean(axis=0) if len(near) else mode


def _across_grid_lines(mask: np.ndarray) -> np.ndarray:
    """A backdrop's pixels joined across the thin lines drawn over it (white grid lines cut
    a gray backdrop into cells), as uint8."""
    return np.asarray(
        cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    )


def _is_backdrop(mask: np.ndarray, width: int, height: int, gray: bool, strips: bool) -> bool:
    """Whether a colour's largest patch is a plot's backdrop: a quarter of the image each
    way, filling its box's corners. A coloured one must be broken by what stands on it
    (a coloured bar holds nothing) and fill all four corners: a stacked area's lower band
    fills three, its top slanting away from one of the upper ones. A gray one, which
    may fill three (a legend on the fourth), has a straight top edge. ``strips``: whether
    the colour may be a ground seen only as strips between bars (see :func:`_ground_patch`)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    if count < 2:
        return False
    patch = _ground_patch(labels, stats) if strips else labels == _largest(stats)
    x, y, w, h = _body(patch, _stats_of(patch))
    if w < 0.25 * width or h < 0.25 * height:
        return False
    area = int(patch[y : y + h, x : x + w].sum())
    # Its corners, a little inside: a grid line may run along the backdrop's very edge.
    inside = patch[y + 6 : y + h - 6, x + 6 : x + w - 6]
    corners = [inside[:4, :4], inside[:4, -4:], inside[-4:, :4], inside[-4:, -4:]]
    holes = 1.0 - area / float(w * h)
    if gray:
        return sum(c.mean() > 0.5 for c in corners) >= 3 and _flat_top(inside)
    return all(c.mean() > 0.5 for c in corners) and holes >= 0.02


STRIP_SLACK = 0.03  # of its length: a ground's strips start and end this close
MIN_STRIPS = 3  # two bars (the fewest categories) leave the ground three strips
EVERY_STRIP = 0.8  # of the colour's long patches, the ground's strips are this share


def _largest(stats: np.ndarray) -> int:
    return 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def _ground_patch(labels: np.ndarray, stats: np.ndarray) -> np.ndarray:
    """A colour's largest patch, or where bars filling a plot's height (a 100% chart's
    columns) or width (its bars) show its ground only as strips between them, the strips
    from one top to one foot (one left side to one right): the long patches, nearly all
    of them, that share both ends. (Only a neutral gray: a coloured series' segments of
    one size stand so too.)"""
    largest = _largest(stats)
    best = [largest]
    for start, length in ((1, 3), (0, 2)):  # strips upright (their y), then lying (their x)
        long = [i for i in range(1, len(stats)) if stats[i, length] >= 0.5 * stats[largest, length]]
        for index in long:
            first, extent = int(stats[index, start]), int(stats[index, length])
            # A label's anti-aliased edge passing through the ground's colour may join a strip.
            slack = max(SIDE_SLACK, STRIP_SLACK * extent)
            strips = [
                other
                for other in long
                if abs(int(stats[other, start]) - first) <= slack
                and abs(int(stats[other, start] + stats[other, length]) - (first + extent)) <= slack
            ]
            # All the long patches, or nearly: bars of one value are a few of a series'.
            every = len(strips) >= EVERY_STRIP * len(long)
            if every and stats[strips, 4].sum() > stats[best, 4].sum():
                best = strips
    # Opened: a label's anti-aliased edges joined to a strip would push the box's corners
    # off the ground.
    kept = np.isin(labels, best).astype(np.uint8)
    opened = cv2.morphologyEx(kept, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8)).astype(bool)
    whole = len(best) >= MIN_STRIPS and opened.any()
    return opened if whole else np.asarray(labels == largest)


def _stats_of(patch: np.ndarray) -> np.ndarray:
    """A patch's box (x, y, width, height) and area, as connected components give them."""
    rows, cols = np.flatnonzero(patch.any(axis=1)), np.flatnonzero(patch.any(axis=0))
    x, y = int(cols[0]), int(rows[0])
    return np.array([x, y, int(cols[-1]) + 1 - x, int(rows[-1]) + 1 - y, int(patch.sum())])


# The share of a patch's box a row (column) of its body holds, at least: tick marks hold
# a few pixels a row; the ground between a plot's widest bars still holds a fifth of it.
BODY = 0.15
STEADY = 1.5  # the most a row past the body holds, against the least one holds: ticks


def _body(patch: np.ndarray, stats: np.ndarray) -> tuple[int, int, int, int]:
    """The box (x, y, width, height) of a patch (its mask; ``stats`` its box and area)
    without the rows and columns past it that hold under BODY of it, as steadily as tick
    marks do: ticks the backdrop's colour passes through on their anti-aliased sides
    hang off it past the axis and push its box's corners off. (An area's top, narrowing
    row by row to its peak, is no such fringe.)"""
    x, y, w, h = (int(v) for v in stats[:4])
    inside = patch[y : y + h, x : x + w]
    top, bottom = _trimmed(inside.sum(axis=1), w)
    left, right = _trimmed(inside.sum(axis=0), h)
    return x + left, y + top, right - left, bottom - top


def _trimmed(counts: np.ndarray, across: int) -> tuple[int, int]:
    """The span (start, stop) of a patch's rows (columns), given its pixels in each and
    the box's breadth ``across`` them, less the steady fringe past either end of those
    holding BODY of it."""
    held = np.flatnonzero(counts >= BODY * across)
    if not len(held):
        return 0, len(counts)
    first, last = int(held[0]), int(held[-1]) + 1
    return (first if _steady(counts[:first]) else 0), (
        last if _steady(counts[last:]) else len(counts)
    )


def _steady(fringe: np.ndarray) -> bool:
    """Whether rows past a patch's body hold as many of its pixels each, within STEADY."""
    some = fringe[fringe > 0]
    return not len(some) or float(some.max()) <= STEADY * float(some.min())


FLAT_TOP = 0.5  # share of a backdrop's columns that reach its top edge


def _flat_top(inside: np.ndarray) -> bool:
    """Whether a region's top (``inside``: its box a little inside) is a straight edge
    across most of it, as a backdrop's is (a legend or a mark may cover some of it), not
    a filled area's outline (one in a gray of its own, whose box may reach three
    corners)."""
    # Of the columns it holds: a ground seen as strips between bars holds only the strips'.
    held = np.asarray(inside.any(axis=0))
    reached = np.asarray(inside[:4].any(axis=0))[held]
    return bool(held.any()) and float(reached.mean()) >= FLAT_TOP


def find_rules(
    drawn: np.ndarray, lab: np.ndarray, length: int, ink: np.ndarray | None = None
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Thin straight lines that structure a chart (axes, grid lines, frames): gray lines
    whose row (or column) holds at least ``length`` pixels of thin gray line, however a
    dash pattern or the bars standing in front cut it; and lines in a theme's colour
    spanning half the image (frames). Gray lines are looked for among neutral pixels only,
    so a coloured marker sitting on a grid line stays whole, and a pale fill that slanting
    hatch lines cut into thin strips is no stack of grid lines. Lines in the text's tinted
    ``ink`` (see :mod:`~.text_ink`) count as gray: a theme draws its axes in its text's
    colour. Returns their mask and boxes."""
    gray, dark = _rule_coloured(drawn, lab)
    if ink is not None:
        gray |= drawn & (delta_e(lab, ink) < INK_MATCH)
    height, width = drawn.shape
    coloured_ink = drawn & ~gray
    found, boxes = _gray_lines(gray, length, coloured_ink)
    found, boxes = _without_fill_edges(found, boxes, dark, coloured_ink)
    coloured = _straight_runs(coloured_ink, length)
    sides = _bar_sides([box for box, _ in coloured], width, height)
    for index, (box, piece) in enumerate(coloured):
        x0, y0, x1, y1 = box
        long = x1 - x0 >= 0.5 * width or y1 - y0 >= 0.5 * height
        if long and index not in sides and not _end_of_a_mark(box, coloured_ink):
            found[y0:y1, x0:x1] |= piece
            boxes.append(box)
    # A rule's anti-aliased fringe goes with it (gray fringes only: not a marker's edge).
    fringe = cv2.dilate(found.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    faint = chroma(lab) < 2 * GRAY
    return found | (fringe & drawn & faint), _clip_ticks(boxes)


def _end_of_a_mark(box: tuple[int, int, int, int], coloured: np.ndarray) -> bool:
    """Whether a run goes on, past one of its ends, as ink as wide as it for further than
    a thick line is wide: the part of a narrow bar standing clear of the bars beside it
    (where they stand, the bars together are too thick for a line). A frame's side ends
    at its corner, or crosses a line no thicker than itself."""
    x0, y0, x1, y1 = box
    upright = y1 - y0 > x1 - x0
    reach = RUNS_ON + max(x1 - x0, y1 - y0) // 100
    if upright:
        ends = (coloured[max(0, y0 - reach) : y0, x0:x1], coloured[y1 : y1 + reach, x0:x1])
    else:
        ends = (coloured[y0:y1, max(0, x0 - reach) : x0], coloured[y0:y1, x1 : x1 + reach])
    return any(end.size > 0 and bool(end.all()) for end in ends)


RUNS_ON = 6  # pixels: ink past a run's end this far (and more on long runs) is a mark's


def _bar_sides(boxes: list[tuple[int, int, int, int]], width: int, height: int) -> set[int]:
    """The runs that stand as the two sides of one bar drawn as an outline: parallel, as long
    as each other, a bar's width apart (a tenth of the image at most), where a frame's
    sides stand across the plot."""
    sides = set()
    for i, a in enumerate(boxes):
        upright = a[3] - a[1] > a[2] - a[0]
        along, across = (1, 0) if upright else (0, 1)
        reach = BAR_SIDES_APART * (width if upright else height)
        for j, b in enumerate(boxes[:i]):
            alike = all(abs(a[k] - b[k]) <= SIDE_SLACK for k in (along, along + 2))
            if alike and 0 < abs(a[across] - b[across]) <= reach:
                sides |= {i, j}
    return sides


def _rule_coloured(drawn: np.ndarray, lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drawn pixels in a rule's colour: gray, or a dark tint whose colour the eye barely
    sees (a dark theme's blue-gray grid lines, '#283442': chroma 10 at lightness 21).
    Returns them, and which of them are the dark tint."""
    colourfulness = chroma(lab)
    dark = drawn & (colourfulness >= NEUTRAL) & (colourfulness < GRAY)
    dark &= lab[..., 0] < DARK_TINT
    return (drawn & (colourfulness < NEUTRAL)) | dark, dark


def _without_fill_edges(
    found: np.ndarray,
    boxes: list[tuple[int, int, int, int]],
    dark: np.ndarray,
    coloured: np.ndarray,
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The rules less those in a dark tint that run along one side of a coloured fill: the
    dark anti-aliased edge of an area on a black ground (a grid line crossing a fill has
    the fill on both sides, or on neither)."""
    kept = []
    for box in boxes:
        x0, y0, x1, y1 = box
        on_dark = dark[y0:y1, x0:x1][found[y0:y1, x0:x1]]
        if on_dark.size and on_dark.mean() > 0.5 and _along_one_side(box, coloured):
            found[y0:y1, x0:x1] &= ~dark[y0:y1, x0:x1]
        else:
            kept.append(box)
    return found, kept


def _along_one_side(box: tuple[int, int, int, int], coloured: np.ndarray) -> bool:
    x0, y0, x1, y1 = box
    if y1 - y0 > x1 - x0:  # vertical: look left and right
        before = coloured[y0:y1, max(0, x0 - REACH) : x0].any(axis=1)
        after = coloured[y0:y1, x1 : x1 + REACH].any(axis=1)
    else:
        before = coloured[max(0, y0 - REACH) : y0, x0:x1].any(axis=0)
        after = coloured[y1 : y1 + REACH, x0:x1].any(axis=0)
    low, high = sorted(float(side.mean()) if side.size else 0.0 for side in (before, after))
    return high > 0.8 and low < 0.2


def _gray_lines(
    gray: np.ndarray, length: int, marks: np.ndarray
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Rows and columns holding at least ``length`` pixels of thin gray line (``marks``:
    the coloured pixels, which may stand in front of a line and cut it)."""
    mask = gray.astype(np.uint8)
    thick = max(3, length // 12) | 1
    found = np.zeros(gray.shape, bool)
    boxes: list[tuple[int, int, int, int]] = []
    for axis, across, along in ((1, (thick + 2, 1), (1, 5)), (0, (1, thick + 2), (5, 1))):
        wide = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones(across, np.uint8)))
        thin = (mask & (wide == 0)).astype(np.uint8)
        dashes = np.asarray(cv2.morphologyEx(thin, cv2.MORPH_OPEN, np.ones(along, np.uint8)))
        counts = dashes.sum(axis=axis).astype(float)
        # A line drawn across two or three rows counts them together; a row with none of
        # its pixels parts two lines (a short mark lying just off a grid line is not it).
        lines = (np.convolve(counts, np.ones(3), mode="same") >= length) & (counts > 0)
        along_rows = dashes > 0 if axis == 1 else (dashes > 0).T
        for start, stop in _straight_bands(lines, along_rows, length, thick + 2):
            band = along_rows[start:stop]
            front = marks[start:stop] if axis == 1 else marks[:, start:stop].T
            for low, high, piece in _line_pieces(band, length, np.asarray(front.any(axis=0))):
                rows = np.nonzero(piece.any(axis=1))[0]
                first, last = start + int(rows.min()), start + int(rows.max()) + 1
                if axis == 1:
                    found[start:stop] |= piece
                    boxes.append((low, first, high, last))
                else:
                    found[:, start:stop] |= piece.T
                    boxes.append((first, low, last, high))
    return found, boxes


def _straight_bands(
    lines: np.ndarray, pixels: np.ndarray, length: int, thickest: int
) -> list[tuple[int, int]]:
    """The bands of rows (``lines``; ``pixels``: the thin gray pixels, lying along axis 1)
    that hold a straight line. A band more than a line's ``thickest`` rows deep, crossing
    each row once or twice, is a gently slanting stroke (a gray series' line) sweeping
    down them a stretch of its length a row, three rows of which hold a rule's length
    together: of such a band only the rows holding a rule's length and half the band's
    reach alone are lines (a grid line the stroke crosses). A deep band of many short
    strokes a row (gray hatching over a bar) stays whole, a texture no mark is read from."""
    bands = []
    for start, stop in runs(lines):
        band = pixels[start:stop]
        if stop - start <= thickest or _strokes_a_row(band) > 2:
            bands.append((start, stop))
            continue
        reach = int(band.any(axis=0).sum())
        long = band.sum(axis=1) >= max(length, reach / 2)
        bands += [(start + a, start + b) for a, b in runs(long)]
    return bands


def _strokes_a_row(band: np.ndarray) -> float:
    """How many separate runs of pixels a band's rows hold (the median row's)."""
    padded = np.pad(band, ((0, 0), (1, 0))).astype(np.int8)
    starts = (np.diff(padded, axis=1) == 1).sum(axis=1)
    return float(np.median(starts))


def _line_pieces(
    band: np.ndarray, length: int, hidden: np.ndarray
) -> list[tuple[int, int, np.ndarray]]:
    """The lines of a band of rows (``band``: its thin gray pixels, lying along axis 1):
    pieces further apart than twice a rule's length are different lines (a grid line, and
    the frame's side crossing its row), unless marks drawn in front (``hidden``: the
    columns where they cover the band) fill the gap; a short bit at an end standing off
    across a gap they do not fill is no part of the line. Each with its span and its
    pixels."""
    occupied = np.asarray(band.any(axis=0))
    row = np.asarray((occupied | hidden).astype(np.uint8)).reshape(1, -1)
    closed = cv2.morphologyEx(row, cv2.MORPH_CLOSE, np.ones((1, 2 * length + 1), np.uint8))
    pieces = []
    for start, stop in runs(np.asarray(closed)[0].astype(bool)):
        columns = np.nonzero(occupied[start:stop])[0]
        drawn = _without_stray_ends(columns, hidden[start:stop], length // 2)
        if len(drawn) >= length:
            # The line spans its own pixels: marks in front join its pieces, not extend it.
            low, high = start + int(drawn[0]), start + int(drawn[-1]) + 1
            piece = np.zeros(band.shape, bool)
            piece[:, low:high] = band[:, low:high]
            pieces.append((low, high, piece))
    return pieces


def _without_stray_ends(drawn: np.ndarray, hidden: np.ndarray, far: int) -> np.ndarray:
    """A line's drawn columns without a bit at either end shorter than ``far`` that stands
    further off than that, across a gap that marks in front hide little of (a stroke of a
    letter in the line's row, beyond its end; a dash pattern's gaps are short, and a
    part of a line that a word's box cut off is long)."""
    while len(drawn) > 1:
        breaks = np.nonzero(np.diff(drawn) > far)[0]
        if not len(breaks):
            break
        first, last = breaks[0], breaks[-1]
        if first + 1 < far and _open(hidden, drawn[first], drawn[first + 1]):
            drawn = drawn[first + 1 :]
        elif len(drawn) - last - 1 < far and _open(hidden, drawn[last], drawn[last + 1]):
            drawn = drawn[: last + 1]
        else:
            break
    return drawn


def _open(hidden: np.ndarray, start: int, stop: int) -> bool:
    """Whether little of a gap is hidden by what stands in front."""
    return float(hidden[start + 1 : stop].mean()) < 0.5


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    changes = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b)) for a, b in zip(changes[::2], changes[1::2], strict=True)]


def _straight_runs(
    pixels: np.ndarray, length: int
) -> list[tuple[tuple[int, int, int, int], np.ndarray]]:
    """Horizontal and vertical runs of at least ``length`` pixels that are thin where they
    run (a grid line meeting a bar is not a rule running through the bar), with their
    masks inside their boxes."""
    mask = pixels.astype(np.uint8)
    thick = max(3, length // 12)
    # Odd kernels: an even one shifts the result by a pixel.
    length, wider = length | 1, (thick + 1) | 1
    found = []
    for along, across in (((1, length), (wider, 1)), ((length, 1), (1, wider))):
        runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones(along, np.uint8))
        wide = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones(across, np.uint8))
        thin = ((runs > 0) & (wide == 0)).astype(np.uint8)
        # Where a line crosses another, the crossing is thick: the line runs on through it.
        reach = (1, 2 * wider + 1) if along[0] == 1 else (2 * wider + 1, 1)
        thin = np.asarray(cv2.dilate(thin, np.ones(reach, np.uint8))) & np.asarray(runs)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(thin, connectivity=8)
        for label in range(1, count):
            x, y, w, h = (int(v) for v in stats[label][:4])
            found.append(((x, y, x + w, y + h), labels[y : y + h, x : x + w] == label))
    return found


def _clip_ticks(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Grid lines run on into their tick marks, past the axis they cross; in pixels the two
    are one line, so each is cut back to the span of the lines across it where less of it
    runs past than stays: a line standing wholly above the only level line (an axis, the
    grid dotted too finely to be found) keeps its length."""
    horizontal = [b for b in boxes if b[2] - b[0] >= b[3] - b[1]]
    vertical = [b for b in boxes if b[2] - b[0] < b[3] - b[1]]
    if not horizontal or not vertical:
        return boxes
    top, bottom = min(b[1] for b in horizontal), max(b[3] for b in horizontal)
    left, right = min(b[0] for b in vertical), max(b[2] for b in vertical)
    return [_clipped(b, 0, left, right) for b in horizontal] + [
        _clipped(b, 1, top, bottom) for b in vertical
    ]


def _clipped(
    box: tuple[int, int, int, int], along: int, low: int, high: int
) -> tuple[int, int, int, int]:
    """A line's box (running along axis ``along``) cut back to ``low``..``high`` at each
    end that runs past them by less than half its length. What runs past may be longer
    than a tick: a bar's edge joined in pixels to a key's sample under the axis."""
    ends = [box[along], box[along + 2]]
    past = PAST_SHARE * (ends[1] - ends[0])
    if 0 < low - ends[0] < past:
        ends[0] = low
    if 0 < ends[1] - high < past:
        ends[1] = high
    clipped = list(box)
    clipped[along], clipped[along + 2] = ends
    return (clipped[0], clipped[1], clipped[2], clipped[3])


PAST_SHARE = 0.5  # a line runs past the lines across it by under this share: cut back
