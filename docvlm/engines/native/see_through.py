"""See-through areas: where translucent areas overlap, what shows is a blend of their
colours that is no series' colour. Each such region is explained as series drawn one over
another (alpha compositing, which renderers do on sRGB values) and counts for every series
it blends, so that each area reads up to its own top, also where another is seen through
it. A series' edge line, drawn over its fill in the colour the fill is a tint of, blends
nothing either, yet is its area's top: its lower half counts for that series. Areas drawn
opaque, or stacked, blend nothing and are left as they are.

Hand-written on NumPy: no library inverts the compositing of a chart's fills.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import cv2
import numpy as np

from docvlm.engines.native.colours import colour_counts, delta_e
from docvlm.engines.native.segmentation import Piece

MOST_ORDERS = 5  # series up to which every draw order is tried (5! = 120)
# Opacities tried: coarse first, then finely round the best.
COARSE = np.arange(0.10, 0.96, 0.05)
FINE = np.arange(-0.05, 0.051, 0.005)
BLENDED = 6.0  # delta E within which a region's colour is the blend foreseen
CLEAR = 3.0  # delta E from every swatch beyond which a region's colour is evidence of a blend
WORST = 20.0  # delta E a region unexplained costs at most, so that one outlier cannot rule
SMALLEST = 200  # pixels: regions smaller than this are no evidence of a blend
# A region of two flat colours: both together hold this share of it, each at least
# SMALLEST / 2 pixels (a blend that leaked into its neighbour may be a small corner of it).
TWO_TONES = 0.8
TONE_STEP = 4.0  # delta E at least between the two colours
TONE_WIDTH = 2.0  # delta E round each colour that counts as that colour (flat fills)


@dataclass(frozen=True)
class Blending:
    """How a chart's areas blend (colours in sRGB, 0..1): the plot's background, the
    legend's swatches and what each is drawn on (a legend's box may be see-through too),
    one opacity for all series and the order they are drawn in (back to front)."""

    background: np.ndarray
    swatches: np.ndarray
    legend: np.ndarray
    alpha: float
    order: tuple[int, ...]

    def colour(self, members: frozenset[int]) -> np.ndarray:
        """The colour where the ``members`` series overlap: each drawn over what is
        below it, the lowest over the background."""
        # alpha * c + (1 - alpha) * below, each series' tint alpha * c over what is below.
        tints = self.tints()
        colour = self.background
        for index in self.order:
            if index in members:
                colour = tints[index] + (1 - self.alpha) * colour
        return colour

    def tints(self) -> np.ndarray:
        """Each series' colour times the opacity (alpha * c): its swatch's colour less the
        legend's background seen through it."""
        return self.swatches - (1 - self.alpha) * self.legend

    def full_colours(self) -> np.ndarray:
        """Each series' colour drawn opaque (its edge line's): what its swatch is a tint of."""
        return np.clip(self.tints() / self.alpha, 0.0, 1.0)


def overlapping_areas(
    regions: list[Piece], swatches: list[Piece], backgrounds: list[np.ndarray], lab: np.ndarray
) -> tuple[dict[int, list[Piece]], list[Piece]]:
    """Where translucent areas overlap: the pieces of each series (by index into
    ``swatches``, its legend's swatches), its own among ``regions`` and the blends it is
    part of; and the regions these were taken from. Regions are first cut where the
    segmentation joined two flat colours (see :func:`two_tones`). Colours are read from
    the image (``lab``, CIELAB), not the pieces' colours shared with their neighbours.
    Nothing when no region is a blend."""
    if len(swatches) < 2:
        return {}, []
    parts = [(part, region) for region in regions for part in two_tones(region, lab)]
    colours = [pixel_colour(part, lab) for part, _ in parts]
    # Flat fills blend to flat colours: a gradient's region is no evidence of a blend.
    flat = [_flat(part, colour, lab) for (part, _), colour in zip(parts, colours, strict=True)]
    keys = [pixel_colour(swatch, lab) for swatch in swatches]
    behind = _rgb(np.array([_surround(swatch, lab) for swatch in swatches]))
    evidence = [
        index
        for index, (part, _) in enumerate(parts)
        if part.area >= SMALLEST
        and flat[index]
        and min(float(delta_e(colours[index], k)) for k in keys) > CLEAR
    ]
    if not evidence:
        return {}, []
    # The plot's own ground (a tinted plot on a white page) may be too little of the
    # image, under the areas, to be found as a background: it shows above them.
    grounds = [*backgrounds, _ground_above(regions, lab)]
    blending = fit_blending(
        _rgb(np.array([colours[i] for i in evidence])),
        np.array([parts[i][0].area for i in evidence], float),
        _rgb(np.array(keys)),
        behind,
        [_rgb(bg) for bg in grounds],
    )
    if blending is None:
        return {}, []
    found: dict[int, list[Piece]] = {}
    used: dict[int, Piece] = {}
    members = [
        blend_members(colour, blending) if even or _alone(colour, blending) else None
        for colour, even in zip(colours, flat, strict=True)
    ]
    if not any(len(m or ()) >= 2 for m in members):
        return {}, []
    for (part, region), series, colour in zip(parts, members, colours, strict=True):
        edged = None if series else _edge_series(colour, blending)
        for index in series or edged or ():
            found.setdefault(index, []).append(_lower_half(part) if edged else part)
            used[id(region)] = region
    return found, list(used.values())


def _edge_series(colour: np.ndarray, blending: Blending) -> frozenset[int] | None:
    """The series whose edge line shows ``colour``: drawn over its see-through fill in
    the full colour the fill is a tint of, it blends nothing, yet it is that series' top
    (where its line runs over another's, no part of its fill shows below it)."""
    distances = delta_e(_lab(blending.full_colours()), colour)
    best = int(np.argmin(distances))
    return frozenset({best}) if distances[best] <= BLENDED else None


def _lower_half(piece: Piece) -> Piece:
    """An edge line's pixels from its middle down, column by column: a stroke is centred
    on the path it draws, and the area's top is that path."""
    rows = np.arange(piece.mask.shape[0])[:, None]
    drawn = piece.mask.any(axis=0)
    top = np.argmax(piece.mask, axis=0)
    foot = piece.mask.shape[0] - 1 - np.argmax(piece.mask[::-1], axis=0)
    middle = np.where(drawn, (top + foot) / 2, 0)
    mask = piece.mask & (rows >= np.floor(middle))
    return replace(piece, mask=mask, area=int(mask.sum()))


def _alone(colour: np.ndarray, blending: Blending) -> bool:
    """Whether a colour is one series' alone (no blend) by the blending's reckoning."""
    return len(blend_members(colour, blending) or ()) == 1


def _flat(piece: Piece, colour: np.ndarray, lab: np.ndarray) -> bool:
    """Whether most of a piece's pixels have its colour (a flat fill, not a gradient)."""
    x0, y0, x1, y1 = piece.box
    pixels = lab[y0:y1, x0:x1][piece.mask]
    return float((delta_e(pixels, colour) <= TONE_WIDTH).mean()) >= 0.5


def blend_members(colour: np.ndarray, blending: Blending) -> frozenset[int] | None:
    """The series whose overlap (or one alone) shows ``colour`` (CIELAB), if any does."""
    subsets = _subsets(len(blending.swatches))
    predicted = _lab(np.array([blending.colour(members) for members in subsets]))
    distances = delta_e(predicted, colour)
    best = int(np.argmin(distances))
    return subsets[best] if distances[best] <= BLENDED else None


def fit_blending(
    colours: np.ndarray,
    weights: np.ndarray,
    swatches: np.ndarray,
    legend: np.ndarray,
    backgrounds: list[np.ndarray],
) -> Blending | None:
    """The background, opacity and draw order that explain the regions' ``colours``
    (sRGB) best as the series' colours (their legend ``swatches``, each drawn on its
    ``legend`` colour) alone or overlapping; None when they explain them badly."""
    count = len(swatches)
    orders = (
        list(itertools.permutations(range(count)))
        if count <= MOST_ORDERS
        else [tuple(range(count)), tuple(reversed(range(count)))]
    )
    target = _lab(colours)
    best: tuple[float, Blending] | None = None
    for background in backgrounds:
        costs = _costs(background, legend, swatches, COARSE, orders, target, weights)
        a, o = np.unravel_index(int(np.argmin(costs)), costs.shape)
        alphas = np.clip(COARSE[a] + FINE, 0.01, 1.0)
        fine = _costs(background, legend, swatches, alphas, [orders[o]], target, weights)[:, 0]
        cost = float(fine.min())
        if best is None or cost < best[0]:
            alpha = float(alphas[int(np.argmin(fine))])
            best = (cost, Blending(background, swatches, legend, alpha, orders[o]))
    assert best is not None
    cost, blending = best
    return blending if cost < BLENDED * weights.sum() else None


def _costs(
    background: np.ndarray,
    legend: np.ndarray,
    swatches: np.ndarray,
    alphas: np.ndarray,
    orders: list[tuple[int, ...]],
    target: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """How badly each opacity and draw order explains the regions' colours (CIELAB): each
    region's distance to the nearest colour an overlap would show, capped, weighted by its
    pixels. An overlap's colour is the background dimmed by (1 - alpha) once per member,
    plus each member's own tint (alpha times its colour) dimmed once for every member
    drawn over it."""
    subsets = _subsets(len(swatches))
    # How many members of each subset are drawn over each member (-1: not a member).
    over = np.full((len(orders), len(subsets), len(swatches)), -1.0)
    for o, order in enumerate(orders):
        rank = {index: place for place, index in enumerate(order)}
        for s, members in enumerate(subsets):
            for index in members:
                over[o, s, index] = sum(rank[other] > rank[index] for other in members)
    clear = (1.0 - alphas)[:, None, None, None]
    shares = np.where(over >= 0, clear ** np.maximum(over, 0), 0.0)
    tints = swatches[None] - (1.0 - alphas)[:, None, None] * legend[None]
    sizes = np.array([len(members) for members in subsets], float)
    seen = (1.0 - alphas)[:, None, None] ** sizes[None, None, :]
    predicted = seen[..., None] * background + np.einsum("aosk,akc->aosc", shares, tints)
    lab = _lab(predicted.reshape(-1, 3)).reshape(*predicted.shape[:3], 1, 3)
    distances = np.sqrt(((lab - target) ** 2).sum(axis=-1)).min(axis=2)
    return np.asarray((np.minimum(distances, WORST) * weights).sum(axis=-1))


def _subsets(count: int) -> list[frozenset[int]]:
    return [
        frozenset(members)
        for size in range(1, count + 1)
        for members in itertools.combinations(range(count), size)
    ]


def _surround(piece: Piece, lab: np.ndarray) -> np.ndarray:
    """The colour round a piece (a swatch's legend box): the median of a ring of pixels
    two to four pixels out from its box."""
    x0, y0, x1, y1 = piece.box
    outer = lab[max(0, y0 - 4) : y1 + 4, max(0, x0 - 4) : x1 + 4]
    ring = np.ones(outer.shape[:2], bool)
    top, left = y0 - max(0, y0 - 4), x0 - max(0, x0 - 4)
    ring[max(0, top - 2) : top + (y1 - y0) + 2, max(0, left - 2) : left + (x1 - x0) + 2] = False
    return np.asarray(np.median(outer[ring], axis=0), float)


def _ground_above(regions: list[Piece], lab: np.ndarray) -> np.ndarray:
    """The commonest colour (CIELAB) a few pixels above the regions taken together, column
    by column: what areas filled up from an axis are drawn on (past an edge line's outer
    half; beside and below them lie the page's margins and the axis)."""
    x0, y0 = min(r.box[0] for r in regions), min(r.box[1] for r in regions)
    x1, y1 = max(r.box[2] for r in regions), max(r.box[3] for r in regions)
    drawn = np.zeros((y1 - y0, x1 - x0), bool)
    for region in regions:
        drawn |= region.placed(x0, y0, x1 - x0, y1 - y0)
    columns = np.nonzero(drawn.any(axis=0))[0]
    tops = y0 + np.argmax(drawn[:, columns], axis=0)
    rows = tops[None, :] - np.arange(ABOVE[0], ABOVE[1])[:, None]
    xs = np.broadcast_to(x0 + columns, rows.shape)
    inside = rows >= 0
    above = lab[rows[inside], xs[inside]]
    if not len(above):
        return np.asarray(lab[0, 0], float)
    colours, counts = colour_counts(above, 1.0)
    return np.asarray(colours[int(np.argmax(counts))], float)


ABOVE = (4, 9)  # pixels above the areas' top where their ground is read


def pixel_colour(piece: Piece, lab: np.ndarray) -> np.ndarray:
    """A piece's own colour in the image (CIELAB): the median of its pixels."""
    x0, y0, x1, y1 = piece.box
    return np.asarray(np.median(lab[y0:y1, x0:x1][piece.mask], axis=0), float)


def two_tones(piece: Piece, lab: np.ndarray) -> list[Piece]:
    """A region that is two flat colours (two overlaps side by side whose anti-aliased
    boundary steps too little for the segmentation to cut at) as a piece per colour and
    connected part; any other region as it is."""
    if piece.thin or piece.area < 2 * SMALLEST:
        return [piece]
    x0, y0, x1, y1 = piece.box
    pixels = lab[y0:y1, x0:x1]
    tones = _tones(pixels[piece.mask])
    if tones is None:
        return [piece]
    nearest = np.argmin([delta_e(pixels, tone) for tone in tones], axis=0)
    parts = []
    for index, tone in enumerate(tones):
        mask = (piece.mask & (nearest == index)).astype(np.uint8)
        # Opened: the anti-aliased pixels along the boundary fall to either colour in
        # slivers a pixel or two wide, which would stand past the part's own edge.
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
        for label in range(1, count):
            x, y, w, h, area = (int(v) for v in stats[label])
            if area < SMALLEST // 4:
                continue
            part = labels[y : y + h, x : x + w] == label
            parts.append(
                Piece(part, x0 + x, y0 + y, area, tone.astype(np.float32), rgb=_rgb_tuple(tone))
            )
    return parts or [piece]


def _tones(pixels: np.ndarray) -> list[np.ndarray] | None:
    """The two flat colours most of a region's pixels have, if it has two."""
    values, counts = colour_counts(pixels, 2.0)
    order = np.argsort(-counts)
    first = values[order[0]] * 2.0
    second = next(
        (values[i] * 2.0 for i in order[1:] if float(delta_e(values[i] * 2.0, first)) > TONE_STEP),
        None,
    )
    if second is None:
        return None
    near = [int((delta_e(pixels, tone) <= TONE_WIDTH).sum()) for tone in (first, second)]
    if min(near) < SMALLEST // 2 or sum(near) < TWO_TONES * len(pixels):
        return None
    return [pixels[delta_e(pixels, tone) <= TONE_WIDTH].mean(axis=0) for tone in (first, second)]


def _rgb(lab: np.ndarray) -> np.ndarray:
    """CIELAB colours (n by 3, or one) in sRGB, 0..1."""
    flat = np.asarray(lab, np.float32).reshape(-1, 1, 3)
    rgb = np.clip(cv2.cvtColor(flat, cv2.COLOR_Lab2RGB).reshape(-1, 3), 0.0, 1.0)
    return rgb.astype(float) if np.ndim(lab) > 1 else rgb[0].astype(float)


def _rgb_tuple(lab: np.ndarray) -> tuple[float, float, float]:
    rgb = cv2.cvtColor(np.asarray(lab, np.float32).reshape(1, 1, 3), cv2.COLOR_Lab2RGB)[0, 0]
    r, g, b = (float(v) for v in np.clip(rgb, 0.0, 1.0))
    return r, g, b


def _lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB colours (0..1, n by 3) in CIELAB."""
    flat = np.clip(rgb, 0.0, 1.0).astype(np.float32).reshape(-1, 1, 3)
    return cv2.cvtColor(flat, cv2.COLOR_RGB2Lab).reshape(-1, 3)
