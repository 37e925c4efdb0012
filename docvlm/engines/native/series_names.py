"""Series named by a chart's legend: each legend entry names one series, the one drawn
nearest its swatch's colour, the biggest series choosing first.

A raster legend's swatch rarely has its series' exact colour: a gradient or a pattern
averages differently over a small swatch than over a tall bar, and anti-aliasing tints
thin marks. Matching one entry to one series, in a perceptual colour space, names a
series whose colour drifted that far while a stray mark of the swatch's exact colour (a
bar of nearly nothing, drawn as a hairline) cannot take the name from it.

Hand-written: the matching is a handful of colours, and the rule (size first) is the
chart's, not a general assignment problem's.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from docvlm.engines.native.bar_parts import with_rest_joined
from docvlm.engines.native.colours import hue, hues_apart, rgb_to_lab
from docvlm.engines.native.legends import legend_name
from docvlm.engines.native.marks import Color, Mark

# delta E (CIE76) within which a series takes the nearest unused legend entry: a gradient
# bar against its swatch differs by about 20; two colours of one palette by 40 and more.
NEAR_SWATCH = 25.0
# Degrees of hue within which a series left unnamed takes an entry left unused: a bar
# filled in a pale tint of its outline's colour, and a swatch read as that outline, differ
# in lightness and chroma but not in hue (15 degrees at most); a palette's hues stand 40
# degrees and more apart.
NEAR_HUE = 25.0


def series_names(
    groups: dict[Color, list[Mark]], legend: dict[Color, str]
) -> dict[Color, str | None]:
    """Each colour group's name: the nearest legend entry not yet taken (within
    ``NEAR_SWATCH``, and the group's nearest of all entries), bigger groups first; a group
    left without one keeps the name of a swatch of nearly its colour, taken or not, and
    one still unnamed takes an unused entry of its hue (:func:`_by_hue`)."""
    if not legend:
        return dict.fromkeys(groups)
    entries = list(legend)
    swatches = np.array([rgb_to_lab(colour) for colour in entries])
    names: dict[Color, str | None] = {}
    taken: set[int] = set()
    for colour in sorted(groups, key=lambda c: -_size(groups[c])):
        distances = np.sqrt(((swatches - rgb_to_lab(colour)) ** 2).sum(axis=1))
        nearest = int(np.argmin(distances))
        if nearest not in taken and distances[nearest] <= NEAR_SWATCH:
            taken.add(nearest)
            names[colour] = legend[entries[nearest]]
    for colour in groups:
        if colour not in names:
            names[colour] = legend_name(colour, legend)
    unused = [entries[i] for i in range(len(entries)) if i not in taken]
    unused = [e for e in unused if legend[e] not in names.values()]
    names.update(_by_hue([c for c in groups if names[c] is None], unused, legend))
    return {colour: names[colour] for colour in groups}


def _by_hue(
    unnamed: list[Color], unused: list[Color], legend: dict[Color, str]
) -> dict[Color, str]:
    """Unnamed colours paired with unused swatches of their hue, where each is the
    other's nearest in hue (within ``NEAR_HUE``) and both are coloured, not grays: bars
    filled in a pale tint and outlined in full colour, whose swatch read as the outline."""
    hues = {c: h for c in unnamed + unused if (h := hue(rgb_to_lab(c))) is not None}
    unnamed = [c for c in unnamed if c in hues]
    unused = [c for c in unused if c in hues]
    paired: dict[Color, str] = {}
    for colour in unnamed:
        entry = min(unused, key=lambda e: hues_apart(hues[colour], hues[e]), default=None)
        if entry is None or hues_apart(hues[colour], hues[entry]) > NEAR_HUE:
            continue
        if min(unnamed, key=lambda c: hues_apart(hues[c], hues[entry])) == colour:
            paired[colour] = legend[entry]
    return paired


def joined_by_name(
    groups: dict[Color, list[Mark]],
    names: dict[Color, str | None],
    on_secondary: Callable[[list[Mark]], bool],
    horizontal: bool,
) -> dict[Color, list[Mark]]:
    """Colour groups that the legend gives one name, on one value axis and at categories
    of their own, as one series (a gradient bar of nearly nothing drawn in another shade
    than its series' tall ones): the smaller joins the bigger, whose colour names them.
    So does one whose every mark is the rest of one of the bigger's bars, in line with it
    and meeting it (a line drawn across a gradient bar cut it into parts of two shades),
    and an unnamed one so in the bigger's hue."""
    joined: dict[Color, list[Mark]] = {}
    first: dict[tuple[str, bool], Color] = {}
    for colour, group in sorted(groups.items(), key=lambda item: -len(item[1])):
        name = names[colour]
        key = (name or "", on_secondary(group))
        if name and key in first:
            bigger = joined[first[key]]
            if not _side_by_side(bigger, group, horizontal):
                joined[first[key]] = bigger + group
                continue
            if (whole := _bars_made_whole(bigger, group, horizontal)) is not None:
                joined[first[key]] = whole
                continue
        first.setdefault(key, colour)
        joined[colour] = group
    return _rests_joined(joined, names, horizontal)


def _rests_joined(
    groups: dict[Color, list[Mark]], names: dict[Color, str | None], horizontal: bool
) -> dict[Color, list[Mark]]:
    """The groups with each unnamed one whose every mark is the rest of a bar of a named
    series in its hue joined to that series (a gradient column's pale top, cut off by a
    line drawn across it, too far from the swatch to take the name)."""
    joined = dict(groups)
    for colour, group in groups.items():
        if names.get(colour):
            continue
        for other, bars in joined.items():
            if not names.get(other) or not _same_hue(colour, other):
                continue
            if (whole := _bars_made_whole(bars, group, horizontal)) is not None:
                joined[other] = whole
                del joined[colour]
                break
    return joined


def _same_hue(colour: Color, other: Color) -> bool:
    a, b = hue(rgb_to_lab(colour)), hue(rgb_to_lab(other))
    return a is not None and b is not None and hues_apart(a, b) <= NEAR_HUE


def _bars_made_whole(bars: list[Mark], parts: list[Mark], horizontal: bool) -> list[Mark] | None:
    """``bars`` with each of ``parts`` joined to the bar it is the rest of (see
    :mod:`~.bar_parts`); None unless every part is one's."""
    whole = list(bars)
    for part in parts:
        joined = with_rest_joined(whole, part, horizontal)
        if joined is None:
            return None
        whole = joined
    return whole


def _side_by_side(marks: list[Mark], others: list[Mark], horizontal: bool) -> bool:
    """Whether two groups' marks stand at one place along the category axis (two readings
    of one category): one overlaps the other by half the narrower's width."""
    low, high = (1, 3) if horizontal else (0, 2)
    for a in marks:
        for b in others:
            box, other = a.bbox.as_tuple(), b.bbox.as_tuple()
            overlap = min(box[high], other[high]) - max(box[low], other[low])
            if overlap > 0.5 * min(box[high] - box[low], other[high] - other[low]):
                return True
    return False


def _size(marks: list[Mark]) -> float:
    """How much of the chart a series covers: its pixels (raster), else its marks' boxes."""
    return sum(m.pixels or m.bbox.width * m.bbox.height for m in marks)
