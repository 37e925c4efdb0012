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

import itertools
from dataclasses import dataclass, field

import cv2
import numpy as np

from docvlm.engines.native.backdrops import find_rules, ground_distances
from docvlm.engines.native.colours import (
    GRAY,
    NEUTRAL,
    chroma,
    delta_e,
    lab_to_rgb,
    nearest_blend,
)
from docvlm.engines.native.fill_borders import take_in_edges
from docvlm.engines.native.pale_fills import outlined_tints
from docvlm.engines.native.region_joins import joined_across_rules, joined_across_text
from docvlm.engines.native.stroke_palette import stroke_palette
from docvlm.engines.native.text_ink import INK_MATCH, off_ink

EDGE = 9.0  # delta E between neighbouring pixels that cuts a region
# A smaller step cuts too where the colour around it runs smooth: two stacked segments
# shaded by one gradient meet in a step of a few delta E, while a gradient moves a fraction
# of one per pixel.
JUMP = 3.0
SMOOTH = 2.5  # how many times the steps either side a jump is
# A gradient that turns back by this much across a pixel, while running on either side of
# it by over DRIFT, starts again there: a short segment's gradient runs steeper than the
# step where it meets the next one.
TURN = 1.5
DRIFT = 0.3
SOLID = 0.9  # share of its convex hull a marker's shape fills (an 'e' or a 'k': far less)
FOREGROUND = 12.0  # delta E from every background colour that makes a pixel drawn
SAME_COLOUR = 7.0  # delta E within which two marks share a series colour
MIN_REGION = 10  # pixels
RECTANGLE_FILL = 0.97  # share of its box a bar fills, a word's box over its edge made whole
# A region's pixels clear of its edges: three by three, the inside of the smallest swatch
# drawn with an outline (5 by 5 pixels in a small image).
MIN_CORE = 9


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

    def placed(self, x0: int, y0: int, width: int, height: int) -> np.ndarray:
        """The mask in a frame ``width`` by ``height`` pixels whose top left corner stands
        at (``x0``, ``y0``) of the image; the piece lies within it."""
        frame = np.zeros((height, width), bool)
        h, w = self.mask.shape
        frame[self.y - y0 : self.y - y0 + h, self.x - x0 : self.x - x0 + w] = self.mask
        return frame

    def ground(self, under: np.ndarray) -> np.ndarray:
        """The colour of the background the piece stands on (``under``: each pixel's), at
        its first pixel (row by row). Asked of every region beside every edge (see
        :mod:`~.fill_borders`): the first pixel is found without listing them all."""
        row, column = divmod(int(np.argmax(self.mask)), self.mask.shape[1])
        return under[self.y + row, self.x + column]


@dataclass
class Segments:
    """The parts of a chart image, in pixels, and the image as they were cut from it (its
    fills too pale for ink inside their outlines painted stronger: see :mod:`~.pale_fills`)."""

    pieces: list[Piece]
    rules: list[tuple[int, int, int, int]]  # long thin straight lines: (x0, y0, x1, y1)
    lab: np.ndarray
    backgrounds: list[np.ndarray] = field(default_factory=list)


def segment(
    lab: np.ndarray,
    backgrounds: list[np.ndarray],
    text_boxes: list[tuple[int, int, int, int]],
    rule_px: int,
    glyph_px: int,
    ink: np.ndarray | None = None,
) -> Segments:
    """Cut an image (CIELAB, see :func:`~.colours.to_lab`, on ``backgrounds``) into pieces:
    ``text_boxes`` (pixels) are words, kept out of the marks; ``rule_px`` is the shortest
    straight line taken for an axis, grid line or frame; ``glyph_px`` the size of the
    text's characters (those the words missed are dropped), ``ink`` the tint the text is
    printed in where it is not gray (see :mod:`~.text_ink`)."""
    distances = ground_distances(lab, backgrounds)
    distance = distances.min(axis=0)
    ground = distances.argmin(axis=0)  # the background each pixel stands on
    drawn = distance > FOREGROUND
    text = np.zeros(drawn.shape, bool)
    for x0, y0, x1, y1 in text_boxes:
        text[max(0, y0 - 1) : y1 + 1, max(0, x0 - 1) : x1 + 1] = True
    under = np.array(backgrounds)[ground]  # the colour of the background each pixel stands on
    tints, lab = outlined_tints(lab, distance, drawn | text, under)
    drawn |= tints
    rule_mask, rules = find_rules(drawn & ~text, lab, rule_px, ink)
    drawn &= ~rule_mask
    regions, labels, colours = _regions(lab, drawn & ~text, text, text_boxes, distance, rules)
    thin = drawn & ~text & (labels == 0)
    # The number of the region within three pixels of each pixel (0: none).
    spread = cv2.dilate(labels.astype(np.float32), np.ones((7, 7), np.uint8)).astype(np.int32)
    thin &= ~_fringes(lab, thin & (spread > 0), spread, colours, under)
    by_label = {region.label: region for region in regions}
    strokes = _strokes(lab, thin, distance, under)
    # An edge three pixels wide or more is a region of its own, and may edge a fill too.
    kept = {id(p) for p in take_in_edges([*strokes, *regions], regions, labels, under)}
    regions = [region for region in regions if id(region) in kept]
    panels = {r.label for r in regions if _panel(r, colours, text_boxes)}
    strokes = [p for p in strokes if id(p) in kept and not _outline(p, spread, by_label, panels)]
    pieces = [p for p in regions + strokes if not _glyph(p, glyph_px, ink, p.ground(under))]
    _share_colours(pieces)
    for piece in pieces:
        piece.rgb = lab_to_rgb(piece.lab)
    return Segments(pieces, rules, lab, backgrounds)


def ink_chroma(lab: np.ndarray, backgrounds: list[np.ndarray], box: tuple[int, ...]) -> float:
    """How colourful the drawn pixels inside a box are (0 for black or gray text)."""
    x0, y0, x1, y1 = box
    crop = lab[max(0, y0) : y1, max(0, x0) : x1]
    if not crop.size:
        return 0.0
    drawn = np.min([delta_e(crop, bg) for bg in backgrounds], axis=0) > FOREGROUND
    return float(np.median(chroma(crop[drawn]))) if drawn.any() else 0.0


def _regions(
    lab: np.ndarray,
    drawn: np.ndarray,
    text: np.ndarray,
    text_boxes: list[tuple[int, int, int, int]],
    distance: np.ndarray,
    rules: list[tuple[int, int, int, int]],
) -> tuple[list[Piece], np.ndarray, np.ndarray]:
    """Connected runs of pixels whose neighbours differ little: bars (gradients included),
    areas, slices, markers, each with the border pixels that look more like it than like
    the background. Their fill counts words printed on them as theirs (inside them, or
    with the region either side: a label may reach a bar's edge, or cross it). Returns
    them with the image of region numbers (0: none) and each number's colour."""
    edges = _edges(lab)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(
        (drawn & ~edges).astype(np.uint8), connectivity=4
    )
    keep = np.zeros(count, bool)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= MIN_CORE) & (
        np.minimum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]) >= 3
    )
    labels = np.where(keep[labels], labels, 0)
    colours = np.zeros((count, 3), np.float32)
    for label in np.nonzero(keep)[0]:
        colours[label] = np.median(lab[labels == label], axis=0)
    labels = _claim_borders(labels, colours, lab, drawn & edges, distance)
    labels, roots = joined_across_rules(labels, colours, rules)
    labels, across_text = joined_across_text(labels, colours, text_boxes)
    roots = across_text[roots]
    pieces = []
    for label in np.unique(labels[labels > 0]):
        members = stats[roots == label]  # a region a grid line or a word cut, and its parts
        x, y = int(members[:, 0].min()), int(members[:, 1].min())
        w = int((members[:, 0] + members[:, 2]).max()) - x
        h = int((members[:, 1] + members[:, 3]).max()) - y
        x0, y0 = max(0, x - 1), max(0, y - 1)
        x1, y1 = min(labels.shape[1], x + w + 1), min(labels.shape[0], y + h + 1)
        mask = labels[y0:y1, x0:x1] == label
        rows, cols = np.nonzero(mask)
        mask = mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
        x0, y0 = x0 + int(cols.min()), y0 + int(rows.min())
        h, w = mask.shape
        covered = text[y0 : y0 + h, x0 : x0 + w]
        filled = _edge_under_words(mask | (covered & (enclosed(mask) | _flanked(mask))), covered)
        area = int(filled.sum())
        pieces.append(Piece(filled, x0, y0, area, colours[label], label=int(label)))
    return pieces, labels, colours


def _fringes(
    lab: np.ndarray,
    candidates: np.ndarray,
    spread: np.ndarray,
    colours: np.ndarray,
    under: np.ndarray,
) -> np.ndarray:
    """Pixels beside a region (``spread``: the number of a region within three pixels) whose
    colour is a blend of the region's and the background's (``under``: each pixel's; its
    anti-aliased edge): not strokes of their own."""
    ys, xs = np.nonzero(candidates)
    pixel = lab[ys, xs]
    region = colours[spread[ys, xs]]
    background = under[ys, xs]
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


def _outline(
    piece: Piece,
    spread: np.ndarray,
    regions: dict[int, Piece],
    panels: set[int],
) -> bool:
    """A stroke running round regions (a bar's border, the edge two bars share), not a
    line of its own: nearly all of it beside them, and no further out. A straight stroke
    across the inside of a key's panel (``panels``: a key's line sample on it), along
    none of its sides, is a line of its own; so is one that cuts a fill in two (a line
    series drawn across a bar, the bar's colour either side of it)."""
    x0, y0, x1, y1 = piece.box
    beside = spread[y0:y1, x0:x1][piece.mask]
    if min(piece.mask.shape) <= 2 and (beside > 0).mean() >= 0.5:
        return True  # a seam between regions, or a straight border
    if (beside > 0).mean() < 0.8:
        return False
    counts = np.bincount(beside[beside > 0])
    numbers = [int(n) for n in np.nonzero(counts >= 0.05 * counts.sum())[0]]
    hugged = [regions[n] for n in numbers if n in regions]
    if not hugged or _across_a_fill(piece, hugged):
        return False
    rx0, ry0 = min(r.box[0] for r in hugged), min(r.box[1] for r in hugged)
    rx1, ry1 = max(r.box[2] for r in hugged), max(r.box[3] for r in hugged)
    inside = x0 >= rx0 - 3 and y0 >= ry0 - 3 and x1 <= rx1 + 3 and y1 <= ry1 + 3
    across_panel = (
        _straight(piece)
        and all(n in panels for n in numbers if n in regions)
        and not any(_along_border(piece, r.box) for r in hugged)
    )
    return inside and not across_panel


def _across_a_fill(piece: Piece, hugged: list[Piece]) -> bool:
    """Whether a straight stroke has regions of one colour either side of it: a line
    drawn across a fill, which it cut in two (a border has its region on one side only,
    and the edge two regions share has a colour of its own either side)."""
    ys, xs = np.nonzero(piece.mask)
    points = np.stack([xs + piece.x, ys + piece.y], axis=1).astype(np.float64)
    centre = points.mean(axis=0)
    spreads, axes = np.linalg.eigh(np.cov((points - centre).T))
    if spreads[0] > (LINE_SPREAD * max(spreads[1], 1e-9)):
        return False  # no straight line: a bar's outline runs round it
    normal = axes[:, 0]
    sides = []
    for region in hugged:
        rows, cols = np.nonzero(region.mask)
        middle = np.array([cols.mean() + region.x, rows.mean() + region.y])
        sides.append((float(np.sign((middle - centre) @ normal)), region.lab))
    return any(
        a * b < 0 and float(delta_e(one, other)) < SAME_COLOUR
        for (a, one), (b, other) in itertools.combinations(sides, 2)
    )


def _panel(region: Piece, colours: np.ndarray, text_boxes: list[tuple[int, int, int, int]]) -> bool:
    """Whether a region is a key's panel: filled in a neutral tint, words printed on it or
    cutting it (a gray series' area meets none)."""
    if float(chroma(colours[region.label])) >= NEUTRAL:
        return False
    x0, y0, x1, y1 = region.box
    return any(
        a <= x1 + 2 and x0 - 2 <= c and b <= y1 + 2 and y0 - 2 <= d for a, b, c, d in text_boxes
    )


def _straight(piece: Piece) -> bool:
    height, width = piece.mask.shape
    return max(height, width) >= STRAIGHT * min(height, width)


STRAIGHT = 3  # a stroke this many times as long as it is wide runs one way
# A straight line's pixels spread across it by under this share of their spread along it
# (squared: a line 3 pixels thick and 30 long, 0.01).
LINE_SPREAD = 0.02


def _along_border(piece: Piece, box: tuple[int, int, int, int]) -> bool:
    """Whether a straight stroke runs along a side of a region's box (its outline there),
    not across its inside."""
    x0, y0, x1, y1 = piece.box
    bx0, by0, bx1, by1 = box
    height, width = piece.mask.shape
    if width >= height:
        return any(y0 - 3 <= edge <= y1 + 3 for edge in (by0, by1))
    return any(x0 - 3 <= edge <= x1 + 3 for edge in (bx0, bx1))


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


def _edge_under_words(mask: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """A rectangle with a strip of its edge under a word's box (a turned category label's
    box reaching a row or two into a bar's foot) made whole: the covered pixels in rows
    and columns the piece fills elsewhere are its own where that leaves its box filled."""
    rows, columns = np.asarray(mask.any(axis=1)), np.asarray(mask.any(axis=0))
    edge = covered & rows[:, None] & columns[None, :]
    whole = mask | edge
    return whole if edge.any() and float(whole.mean()) >= RECTANGLE_FILL else mask


def filled_box(box: tuple[int, int, int, int], lab: np.ndarray) -> Piece:
    """A piece filling ``box`` (pixels: x0, y0, x1, y1) in one colour (CIELAB): a bar made
    whole of the bits a pattern left of it."""
    x0, y0, x1, y1 = box
    mask = np.ones((y1 - y0, x1 - x0), bool)
    return Piece(mask, x0, y0, int(mask.sum()), lab, rgb=lab_to_rgb(lab))


def enclosed(mask: np.ndarray) -> np.ndarray:
    """The holes of a piece: what its outline surrounds."""
    outer = np.pad(mask.astype(np.uint8), 1)
    flood = outer.copy()
    cv2.floodFill(flood, None, (0, 0), 2)
    return (flood == 0)[1:-1, 1:-1]


def _flanked(mask: np.ndarray) -> np.ndarray:
    """What lies between a piece's pixels along its row, or along its column."""
    rows = (
        np.maximum.accumulate(mask, axis=1) & np.maximum.accumulate(mask[:, ::-1], axis=1)[:, ::-1]
    )
    columns = np.maximum.accumulate(mask, axis=0) & np.maximum.accumulate(mask[::-1], axis=0)[::-1]
    return np.asarray(rows | columns)


def _edges(lab: np.ndarray) -> np.ndarray:
    """Pixels with a neighbour that looks clearly different, or at a jump in colour where
    it otherwise changes smoothly (see ``JUMP``)."""
    edges = _jumps(lab) | _jumps(lab.transpose(1, 0, 2)).T
    across = delta_e(lab[:, 1:], lab[:, :-1]) > EDGE
    down = delta_e(lab[1:], lab[:-1]) > EDGE
    edges[:, 1:] |= across
    edges[:, :-1] |= across
    edges[1:] |= down
    edges[:-1] |= down
    return edges


def _jumps(lab: np.ndarray) -> np.ndarray:
    """Pixels down each column where the colour jumps by over ``JUMP`` across them (from the
    pixel above to the one below: an anti-aliased step takes two) while it changes
    ``SMOOTH`` times less across the two pixels above and across the two below."""
    jumps = np.zeros(lab.shape[:2], bool)
    if lab.shape[0] < 7:
        return jumps
    step = delta_e(lab[2:], lab[:-2])  # step[i]: across pixel i + 1
    middle = step[2:-2]  # across pixels 3 .. height - 4
    around = np.maximum(step[:-4], step[4:])  # the two pixels above, the two below
    jumps[3:-3] = (middle > JUMP) & (middle > SMOOTH * around)
    jumps[3:-3] |= _turns(lab.astype(np.float32), middle, step)
    return jumps


def _turns(lab: np.ndarray, middle: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Where a gradient starts again: the colour, changing one way across the two pixels
    above and the two below, steps back the other way across the middle pixel by over
    ``TURN`` (two stacked segments shaded alike, each gradient running its own length)."""
    change = lab[2:] - lab[:-2]
    up, across, down = change[:-4], change[2:-2], change[4:]
    moving = (step[:-4] > DRIFT) & (step[4:] > DRIFT)
    return (
        (middle > TURN)
        & moving
        & (np.einsum("ijk,ijk->ij", up, down) > 0)
        & (np.einsum("ijk,ijk->ij", across, up) < 0)
        & (np.einsum("ijk,ijk->ij", across, down) < 0)
    )


def _strokes(
    lab: np.ndarray, thin: np.ndarray, distance: np.ndarray, under: np.ndarray
) -> list[Piece]:
    """Thin drawn pixels (lines, outlines, hatching) as pieces of one colour each: every
    pixel goes to the stroke colour it is a blend of with the background, so lines that
    cross stay apart; then each colour's connected pieces."""
    ys, xs = np.nonzero(thin)
    if not len(ys):
        return []
    pixels = lab[ys, xs]
    palette = stroke_palette(lab, thin, distance, under, SAME_COLOUR, MIN_REGION)
    if not palette:
        return []
    background = under[ys, xs]
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
            core = _own_colour(piece, lab[y : y + h, x : x + w], distance[y : y + h, x : x + w])
            own = core if float(delta_e(core, colour)) > SAME_COLOUR / 2 else colour
            pieces.append(Piece(piece, x, y, area, own.astype(np.float32), thin=True))
    return pieces


def _own_colour(piece: np.ndarray, lab: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """The colour of a stroke's least blended pixels (its strongest third). The palette
    joins colours within twice the series' reach, and a ramp's neighbours (or two lines
    of near shades) are that near: a stroke off its palette colour by more than half that
    reach keeps its own colour, and finds its series by it (a legend's thin swatch, its
    bars)."""
    strength = distance[piece]
    # Above the cut where any stand above it: a thin swatch's two paler edge rows, two
    # thirds of its pixels and all of one shade, reach the cut, and were taken with its
    # one full row (their shade its colour).
    cut = np.quantile(strength, 2 / 3)
    above = strength > cut
    core = above if above.any() else strength >= cut
    return np.median(lab[piece][core], axis=0)


def _off_blend(pixels: np.ndarray, background: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """How far each pixel is from every blend of the background and ``colour`` (an
    anti-aliased pixel of a ``colour`` stroke lies on that blend); a pixel with under
    half the blend's hue is none of it (a light gray grid line meeting a blue bar is
    near a faint blue in lightness, not in hue)."""
    span = colour - background
    off, share = nearest_blend(pixels, background, span)
    hue_span = np.hypot(span[..., 1], span[..., 2])
    hue = np.hypot(*(pixels - background)[:, 1:].T)
    washed = (hue_span >= GRAY) & (hue < 0.5 * share * hue_span)
    return np.where(washed, np.inf, off)


def _glyph(piece: Piece, size: int, ink: np.ndarray | None, ground: np.ndarray) -> bool:
    """A character of text that no word covered: small, in a neutral gray or black (or the
    text's tinted ``ink``, or a blend of it with the ground: a thin glyph's colour is
    mostly its anti-aliased edge), and not a solid square (a legend swatch or a marker)."""
    height, width = piece.mask.shape
    small = max(height, width) <= size
    neutral = float(chroma(piece.lab)) < NEUTRAL or (
        ink is not None and float(off_ink(piece.lab, ground, ink)) < INK_MATCH
    )
    return small and neutral and (piece.thin or piece.fill < 0.85) and not _solid_shape(piece, size)


def _solid_shape(piece: Piece, size: int) -> bool:
    """Whether a piece is a marker's solid shape (a disc, a triangle, a diamond), which a
    gray or black series draws: about as wide as high, half a character high at least
    (a full stop is smaller), and filling its outline (letters leave holes and gaps)."""
    if piece.thin:
        return False
    height, width = piece.mask.shape
    if min(height, width) < max(3, size // 3) or not 0.7 <= width / height <= 1.4:
        return False
    contours, _ = cv2.findContours(
        piece.mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    hull = cv2.contourArea(cv2.convexHull(np.vstack(contours)))
    return piece.fill >= 0.4 and piece.area >= SOLID * max(hull, 1.0)


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
