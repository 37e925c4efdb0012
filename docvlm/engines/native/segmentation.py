"""A chart image cut into what a reader sees in it: the background (page and plot), rules
(axes, grid lines, frames), text, and the marks that carry data: smooth regions (bars,
areas, slices, markers) and thin strokes (lines), each given the colour of its series.

Colours are compared in CIELAB, where a distance (delta E) matches how different two colours
look: anti-aliased edges, gradients, shading, pastel or gray palettes and dark backgrounds
all read alike. A region is a connected run of pixels whose neighbours differ little, so a
gradient bar stays one region while the anti-aliased border between two bars cuts them
apart. Thin strokes take the series colour they are a blend of with the background.

Hand-written on OpenCV and NumPy: no library segments chart marks from their background.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

EDGE = 9.0  # delta E between neighbouring pixels that cuts a region
FOREGROUND = 12.0  # delta E from every background colour that makes a pixel drawn
SAME_COLOUR = 7.0  # delta E within which two marks share a series colour
GRAY = 12.0  # chroma below which a colour is a shade of gray
MIN_REGION = 10  # pixels


@dataclass
class Piece:
    """A connected piece of one colour: its mask inside its box (pixels), where the box
    stands, how many pixels it covers, and its colour (CIELAB, then sRGB in 0..1)."""

    mask: np.ndarray
    x: int
    y: int
    area: int
    lab: np.ndarray
    thin: bool = False  # a stroke (line), not a filled region
    rgb: tuple[float, float, float] = (0.0, 0.0, 0.0)
    label: int = 0  # a region's number in the image of region numbers

    @property
    def box(self) -> tuple[int, int, int, int]:
        height, width = self.mask.shape
        return self.x, self.y, self.x + width, self.y + height

    @property
    def fill(self) -> float:
        """How much of its box the piece covers."""
        return self.area / float(self.mask.size)

    @property
    def upright(self) -> bool:
        """Whether the piece is an upright rectangle, labels printed over it aside: most of
        its rows and most of its columns run the box's full length."""
        rows = self.mask.mean(axis=1)
        columns = self.mask.mean(axis=0)
        return bool(np.median(rows) >= 0.9 and np.median(columns) >= 0.9)


@dataclass
class Segments:
    """The parts of a chart image, in pixels."""

    pieces: list[Piece]
    rules: list[tuple[int, int, int, int]]  # long thin straight lines: (x0, y0, x1, y1)
    backgrounds: list[np.ndarray] = field(default_factory=list)


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (uint8) to CIELAB (L in 0..100)."""
    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)


def lab_to_rgb(lab: np.ndarray) -> tuple[float, float, float]:
    rgb = cv2.cvtColor(lab.reshape(1, 1, 3).astype(np.float32), cv2.COLOR_Lab2RGB)[0, 0]
    r, g, b = (float(v) for v in np.clip(rgb, 0.0, 1.0))
    return round(r, 3), round(g, 3), round(b, 3)


def delta_e(lab: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """Distance of every pixel (or colour) in ``lab`` from ``colour`` (CIE76)."""
    return np.sqrt(((lab - colour) ** 2).sum(axis=-1))


def chroma(lab: np.ndarray) -> np.ndarray:
    return np.hypot(lab[..., 1], lab[..., 2])


def segment(
    lab: np.ndarray,
    backgrounds: list[np.ndarray],
    text_boxes: list[tuple[int, int, int, int]],
    rule_px: int,
    glyph_px: int,
) -> Segments:
    """Cut an image (CIELAB, see :func:`to_lab`, on ``backgrounds``) into pieces:
    ``text_boxes`` (pixels) are words, kept out of the marks; ``rule_px`` is the shortest
    straight line taken for an axis, grid line or frame; ``glyph_px`` the size of the
    text's characters (those the words missed are dropped)."""
    distance = np.min([delta_e(lab, bg) for bg in backgrounds], axis=0)
    drawn = distance > FOREGROUND
    text = np.zeros(drawn.shape, bool)
    for x0, y0, x1, y1 in text_boxes:
        text[max(0, y0 - 1) : y1 + 1, max(0, x0 - 1) : x1 + 1] = True
    rule_mask, rules = find_rules(drawn & ~text, lab, rule_px)
    drawn &= ~rule_mask
    regions, labels, colours = _regions(lab, drawn & ~text, text, distance)
    thin = drawn & ~text & (labels == 0)
    # The number of the region within three pixels of each pixel (0: none).
    spread = cv2.dilate(labels.astype(np.float32), np.ones((7, 7), np.uint8)).astype(np.int32)
    thin &= ~_fringes(lab, thin & (spread > 0), spread, colours, backgrounds)
    boxes = {region.label: region.box for region in regions}
    strokes = [
        piece
        for piece in _strokes(lab, thin, distance, backgrounds)
        if not _outline(piece, spread, boxes)
    ]
    pieces = [p for p in regions + strokes if not _glyph(p, glyph_px)]
    _share_colours(pieces)
    for piece in pieces:
        piece.rgb = lab_to_rgb(piece.lab)
    return Segments(pieces, rules, backgrounds)


def ink_chroma(lab: np.ndarray, backgrounds: list[np.ndarray], box: tuple[int, ...]) -> float:
    """How colourful the drawn pixels inside a box are (0 for black or gray text)."""
    x0, y0, x1, y1 = box
    crop = lab[max(0, y0) : y1, max(0, x0) : x1]
    if not crop.size:
        return 0.0
    drawn = np.min([delta_e(crop, bg) for bg in backgrounds], axis=0) > FOREGROUND
    return float(np.median(chroma(crop[drawn]))) if drawn.any() else 0.0


def find_backgrounds(lab: np.ndarray) -> list[np.ndarray]:
    """The page's background (the commonest colour along the image's border) and any plot
    background: a large area of one colour whose box's corners it fills, gray (white,
    black) or broken by marks, grid lines or text (a coloured bar holds nothing)."""
    border = np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])
    page = _commonest(border)
    found = [page]
    height, width = lab.shape[:2]
    quantised = np.round(lab[::2, ::2] / 3.0).reshape(-1, 3)
    values, counts = np.unique(quantised, axis=0, return_counts=True)
    for index in np.argsort(-counts)[:6]:
        colour = values[index] * 3.0
        if counts[index] < 0.05 * len(quantised):
            break
        if min(float(delta_e(colour, bg)) for bg in found) < 4.0:
            continue  # a light gray backdrop on white is one still (ggplot's)
        gray = float(chroma(colour)) < GRAY
        mask = delta_e(lab, colour) < 4.0
        if gray:  # a gray backdrop may be cut into cells by white grid lines
            mask = _across_grid_lines(mask)
        if _is_backdrop(mask, width, height, 0.0 if gray else 0.02):
            found.append(lab[delta_e(lab, colour) < 4.0].mean(axis=0))
    return found


def backdrop_boxes(
    lab: np.ndarray, backgrounds: list[np.ndarray]
) -> list[tuple[int, int, int, int]]:
    """The box of each plot backdrop (every background but the page's): the plot area, as
    an axis frame would give it."""
    boxes = []
    for colour in backgrounds[1:]:
        mask = delta_e(lab, colour) < 4.0
        if float(chroma(colour)) < GRAY:
            mask = _across_grid_lines(mask)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
        if count > 1:
            largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
            x, y, w, h = (int(v) for v in stats[largest][:4])
            boxes.append((x, y, x + w, y + h))
    return boxes


def _commonest(pixels: np.ndarray) -> np.ndarray:
    quantised = np.round(pixels / 3.0)
    values, counts = np.unique(quantised, axis=0, return_counts=True)
    mode = values[np.argmax(counts)] * 3.0
    near = pixels[delta_e(pixels, mode) < 4.0]
    return near.mean(axis=0) if len(near) else mode


def _across_grid_lines(mask: np.ndarray) -> np.ndarray:
    """A backdrop's pixels joined across the thin lines drawn over it (white grid lines cut
    a gray backdrop into cells), as uint8."""
    return np.asarray(
        cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    )


def _is_backdrop(mask: np.ndarray, width: int, height: int, holes_needed: float) -> bool:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        mask.astype(np.uint8), connectivity=8
    )
    if count < 2:
        return False
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h, area = (int(v) for v in stats[largest])
    if w < 0.25 * width or h < 0.25 * height:
        return False
    # Its corners, a little inside: a grid line may run along the backdrop's very edge.
    inside = labels[y + 6 : y + h - 6, x + 6 : x + w - 6] == largest
    corners = [inside[:4, :4], inside[:4, -4:], inside[-4:, :4], inside[-4:, -4:]]
    holes = 1.0 - area / float(w * h)
    return sum(c.mean() > 0.5 for c in corners) >= 3 and holes >= holes_needed


def find_rules(
    drawn: np.ndarray, lab: np.ndarray, length: int
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Thin straight lines that structure a chart (axes, grid lines, frames): gray lines
    whose row (or column) holds at least ``length`` pixels of thin gray line, however a
    dash pattern or the bars standing in front cut it; and lines in a theme's colour
    spanning half the image (frames). Gray lines are looked for among gray pixels only, so
    a coloured marker sitting on a grid line stays whole. Returns their mask and boxes."""
    gray = drawn & (chroma(lab) < GRAY)
    height, width = drawn.shape
    found, boxes = _gray_lines(gray, length, drawn & ~gray)
    for box, piece in _straight_runs(drawn & ~gray, length):
        x0, y0, x1, y1 = box
        if x1 - x0 >= 0.5 * width or y1 - y0 >= 0.5 * height:
            found[y0:y1, x0:x1] |= piece
            boxes.append(box)
    # A rule's anti-aliased fringe goes with it (gray fringes only: not a marker's edge).
    fringe = cv2.dilate(found.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    faint = chroma(lab) < 2 * GRAY
    return found | (fringe & drawn & faint), _clip_ticks(boxes)


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
        lines = np.convolve(counts, np.ones(3), mode="same") >= length
        for start, stop in runs(lines):
            band = dashes[start:stop] > 0 if axis == 1 else (dashes[:, start:stop] > 0).T
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


def _line_pieces(
    band: np.ndarray, length: int, hidden: np.ndarray
) -> list[tuple[int, int, np.ndarray]]:
    """The lines of a band of rows (``band``: its thin gray pixels, lying along axis 1):
    pieces further apart than twice a rule's length are different lines (a grid line, and
    the frame's side crossing its row), unless marks drawn in front (``hidden``: the
    columns where they cover the band) fill the gap. Each with its span and its pixels."""
    occupied = np.asarray(band.any(axis=0))
    row = np.asarray((occupied | hidden).astype(np.uint8)).reshape(1, -1)
    closed = cv2.morphologyEx(row, cv2.MORPH_CLOSE, np.ones((1, 2 * length + 1), np.uint8))
    pieces = []
    for start, stop in runs(np.asarray(closed)[0].astype(bool)):
        drawn = np.nonzero(occupied[start:stop])[0]
        if len(drawn) >= length:
            # The line spans its own pixels: marks in front join its pieces, not extend it.
            low, high = start + int(drawn[0]), start + int(drawn[-1]) + 1
            piece = np.zeros(band.shape, bool)
            piece[:, low:high] = band[:, low:high]
            pieces.append((low, high, piece))
    return pieces


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
    are one line, so each is cut back to the span of the lines across it."""
    horizontal = [b for b in boxes if b[2] - b[0] >= b[3] - b[1]]
    vertical = [b for b in boxes if b[2] - b[0] < b[3] - b[1]]
    if not horizontal or not vertical:
        return boxes
    top, bottom = min(b[1] for b in horizontal), max(b[3] for b in horizontal)
    left, right = min(b[0] for b in vertical), max(b[2] for b in vertical)
    return [(max(x0, left), y0, min(x1, right), y1) for x0, y0, x1, y1 in horizontal] + [
        (x0, max(y0, top), x1, min(y1, bottom)) for x0, y0, x1, y1 in vertical
    ]


def _regions(
    lab: np.ndarray, drawn: np.ndarray, text: np.ndarray, distance: np.ndarray
) -> tuple[list[Piece], np.ndarray, np.ndarray]:
    """Connected runs of pixels whose neighbours differ little: bars (gradients included),
    areas, slices, markers, each with the border pixels that look more like it than like
    the background. Their fill counts words printed on them as theirs. Returns them with
    the image of region numbers (0: none) and each number's colour."""
    edges = _edges(lab)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (drawn & ~edges).astype(np.uint8), connectivity=4
    )
    keep = np.zeros(count, bool)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= MIN_REGION) & (
        np.minimum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= 3
    )
    labels = np.where(keep[labels], labels, 0)
    colours = np.zeros((count, 3), np.float32)
    for label in np.nonzero(keep)[0]:
        colours[label] = np.median(lab[labels == label], axis=0)
    labels = _claim_borders(labels, colours, lab, drawn & edges, distance)
    pieces = []
    for label in np.nonzero(keep)[0]:
        x, y, w, h = (int(v) for v in stats[label][:4])
        x0, y0 = max(0, x - 1), max(0, y - 1)
        x1, y1 = min(labels.shape[1], x + w + 1), min(labels.shape[0], y + h + 1)
        mask = labels[y0:y1, x0:x1] == label
        rows, cols = np.nonzero(mask)
        mask = mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
        x0, y0 = x0 + int(cols.min()), y0 + int(rows.min())
        h, w = mask.shape
        filled = mask | (text[y0 : y0 + h, x0 : x0 + w] & _enclosed(mask))
        area = int(filled.sum())
        pieces.append(Piece(filled, x0, y0, area, colours[label], label=int(label)))
    return pieces, labels, colours


def _fringes(
    lab: np.ndarray,
    candidates: np.ndarray,
    spread: np.ndarray,
    colours: np.ndarray,
    backgrounds: list[np.ndarray],
) -> np.ndarray:
    """Pixels beside a region (``spread``: the number of a region within three pixels) whose
    colour is a blend of the region's and the background's (its anti-aliased edge): not
    strokes of their own."""
    ys, xs = np.nonzero(candidates)
    pixel = lab[ys, xs]
    region = colours[spread[ys, xs]]
    background = np.array(backgrounds)[
        np.argmin([delta_e(pixel, bg) for bg in backgrounds], axis=0)
    ]
    span = region - background
    share = np.clip(
        ((pixel - background) * span).sum(axis=1) / np.maximum((span**2).sum(axis=1), 1e-6),
        0.0,
        1.0,
    )
    blend = background + share[:, None] * span
    fringe = np.zeros(spread.shape, bool)
    fringe[ys, xs] = delta_e(pixel, blend) < FOREGROUND / 2
    return fringe


def _outline(piece: Piece, spread: np.ndarray, boxes: dict[int, tuple[int, int, int, int]]) -> bool:
    """A stroke running round regions (a bar's border, the edge two bars share), not a
    line of its own: nearly all of it beside them, and no further out."""
    x0, y0, x1, y1 = piece.box
    beside = spread[y0:y1, x0:x1][piece.mask]
    if min(piece.mask.shape) <= 2 and (beside > 0).mean() >= 0.5:
        return True  # a seam between regions, or a straight border
    if (beside > 0).mean() < 0.8:
        return False
    counts = np.bincount(beside[beside > 0])
    numbers = [int(n) for n in np.nonzero(counts >= 0.05 * counts.sum())[0]]
    hugged = [boxes[n] for n in numbers if n in boxes]
    if not hugged:
        return False
    rx0, ry0 = min(b[0] for b in hugged), min(b[1] for b in hugged)
    rx1, ry1 = max(b[2] for b in hugged), max(b[3] for b in hugged)
    return x0 >= rx0 - 3 and y0 >= ry0 - 3 and x1 <= rx1 + 3 and y1 <= ry1 + 3


def _claim_borders(
    labels: np.ndarray,
    colours: np.ndarray,
    lab: np.ndarray,
    border: np.ndarray,
    distance: np.ndarray,
) -> np.ndarray:
    """Border pixels (next to a clearly different colour) join the neighbouring region
    they look most like, if they look more like it than like the background: a bar keeps
    its exact extent, and where two bars touch each keeps its own side."""
    best = np.zeros(labels.shape, np.int32)
    best_distance = np.full(labels.shape, np.inf, np.float32)
    padded = np.pad(labels, 1)
    height, width = labels.shape
    for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
        neighbour = padded[dy : dy + height, dx : dx + width]
        near = delta_e(lab, colours[neighbour])
        better = border & (neighbour > 0) & (near < best_distance)
        best = np.where(better, neighbour, best)
        best_distance = np.where(better, near, best_distance)
    claimed = (best > 0) & (labels == 0) & (best_distance < distance)
    return np.where(claimed, best, labels)


def _enclosed(mask: np.ndarray) -> np.ndarray:
    """The holes of a piece: what its outline surrounds."""
    outer = np.pad(mask.astype(np.uint8), 1)
    flood = outer.copy()
    cv2.floodFill(flood, None, (0, 0), 2)
    return (flood == 0)[1:-1, 1:-1]


def _edges(lab: np.ndarray) -> np.ndarray:
    """Pixels with a neighbour that looks clearly different."""
    edges = np.zeros(lab.shape[:2], bool)
    across = delta_e(lab[:, 1:], lab[:, :-1]) > EDGE
    down = delta_e(lab[1:], lab[:-1]) > EDGE
    edges[:, 1:] |= across
    edges[:, :-1] |= across
    edges[1:] |= down
    edges[:-1] |= down
    return edges


def _strokes(
    lab: np.ndarray, thin: np.ndarray, distance: np.ndarray, backgrounds: list[np.ndarray]
) -> list[Piece]:
    """Thin drawn pixels (lines, outlines, hatching) as pieces of one colour each: every
    pixel goes to the stroke colour it is a blend of with the background, so lines that
    cross stay apart; then each colour's connected pieces."""
    ys, xs = np.nonzero(thin)
    if not len(ys):
        return []
    pixels = lab[ys, xs]
    palette = _palette(_cores(lab, thin, distance))
    if not palette:
        return []
    background = np.array(backgrounds)[
        np.argmin([delta_e(pixels, bg) for bg in backgrounds], axis=0)
    ]
    off_blend = np.stack([_off_blend(pixels, background, colour) for colour in palette])
    nearest = np.argmin(off_blend, axis=0)
    taken = off_blend[nearest, np.arange(len(ys))] < FOREGROUND
    pieces = []
    for index, colour in enumerate(palette):
        mask = np.zeros(thin.shape, np.uint8)
        chosen = taken & (nearest == index)
        mask[ys[chosen], xs[chosen]] = 1
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for label in range(1, count):
            x, y, w, h, area = (int(v) for v in stats[label])
            if area < MIN_REGION // 2 or max(w, h) < 4:
                continue
            piece = labels[y : y + h, x : x + w] == label
            pieces.append(Piece(piece, x, y, area, colour.astype(np.float32), thin=True))
    return pieces


def _cores(lab: np.ndarray, thin: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """The least blended pixels of each connected bit of stroke (its strongest third): the
    colours strokes are drawn in, faint strokes as much as strong ones."""
    count, labels = cv2.connectedComponents(thin.astype(np.uint8), connectivity=8)
    flat = labels.ravel()
    strength = distance.ravel()
    order = np.lexsort((-strength, flat))
    starts = np.searchsorted(flat[order], np.arange(1, count))
    stops = np.append(starts[1:], len(order))
    chosen = [order[a : a + max(1, (b - a) // 3)] for a, b in zip(starts, stops, strict=True)]
    return lab.reshape(-1, 3)[np.concatenate(chosen)] if chosen else np.zeros((0, 3))


def _palette(pixels: np.ndarray) -> list[np.ndarray]:
    """The distinct colours among strokes' strongest pixels: the commonest first, each
    taking the pixels within SAME_COLOUR twice over of it."""
    quantised = np.round(pixels / 4.0)
    values, counts = np.unique(quantised, axis=0, return_counts=True)
    centres: list[np.ndarray] = []
    weights: list[float] = []
    for index in np.argsort(-counts):
        colour, count = values[index] * 4.0, float(counts[index])
        near = [float(delta_e(colour, c)) for c in centres]
        if near and min(near) <= 2 * SAME_COLOUR:
            k = int(np.argmin(near))
            centres[k] = (centres[k] * weights[k] + colour * count) / (weights[k] + count)
            weights[k] += count
        else:
            centres.append(colour)
            weights.append(count)
    return [c for c, w in zip(centres, weights, strict=True) if w >= MIN_REGION]


def _off_blend(pixels: np.ndarray, background: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """How far each pixel is from every blend of the background and ``colour`` (an
    anti-aliased pixel of a ``colour`` stroke lies on that blend)."""
    span = colour - background
    share = np.clip(
        ((pixels - background) * span).sum(axis=1) / np.maximum((span**2).sum(axis=1), 1e-6),
        0.0,
        1.0,
    )
    return delta_e(pixels, background + share[:, None] * span)


def _glyph(piece: Piece, size: int) -> bool:
    """A character of text that no word covered: small, gray or black, and not a solid
    square (a legend swatch or a marker)."""
    height, width = piece.mask.shape
    small = max(height, width) <= size
    return small and float(chroma(piece.lab)) < GRAY and (piece.thin or piece.fill < 0.85)


def _share_colours(pieces: list[Piece]) -> None:
    """Pieces of nearly one colour get exactly one (the area-weighted mean of the regions'
    colours, strokes joining the nearest), so a series is one colour however its marks were
    anti-aliased or shaded."""
    groups: list[list[Piece]] = []
    centres: list[np.ndarray] = []
    for piece in sorted(pieces, key=lambda p: (p.thin, -p.area)):
        distances = [float(delta_e(piece.lab, c)) for c in centres]
        # A stroke's colour is read off a few blended pixels: it may stray further.
        reach = 2 * SAME_COLOUR if piece.thin else SAME_COLOUR
        if distances and min(distances) <= reach:
            index = int(np.argmin(distances))
            groups[index].append(piece)
            weights = np.array([p.area for p in groups[index]], float)
            centres[index] = np.average([p.lab for p in groups[index]], axis=0, weights=weights)
        else:
            groups.append([piece])
            centres.append(piece.lab.astype(float))
    for group, centre in zip(groups, centres, strict=True):
        for piece in group:
            piece.lab = centre
