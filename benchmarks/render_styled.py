"""The ``styled`` renderer of the chart dev set: matplotlib under a style drawn at random per
chart (fonts, sizes, backgrounds, spines, ticks, grids, palettes, line widths, outlines,
legend frames), so that the reader is developed on many looks rather than a few fixed ones.
The figure itself is drawn by ``charts_rendered.render_matplotlib``; this module only makes
the style (a dict of matplotlib rcParams, which ``plt.style.context`` takes as a style)."""

from __future__ import annotations

import colorsys
import random
from typing import Any

FONTS = (
    "DejaVu Sans",
    "DejaVu Serif",
    "DejaVu Sans Mono",
    "Liberation Sans",
    "Liberation Serif",
    "Liberation Sans Narrow",
    "Nimbus Sans",
    "Nimbus Roman",
    "URW Gothic",
    "P052",
)
# (axes background, figure background, ink) for light and dark looks.
GROUNDS = (
    ("#FFFFFF", "#FFFFFF", "#222222"),
    ("#FFFFFF", "#FFFFFF", "#555555"),
    ("#EAEAF2", "#FFFFFF", "#333333"),
    ("#EBEBEB", "#FFFFFF", "#4D4D4D"),
    ("#F5F1E8", "#F5F1E8", "#3A3A3A"),
    ("#FAFAFA", "#EFEFEF", "#262626"),
    ("#F0F4FA", "#FFFFFF", "#1F3550"),
    ("#1E1E1E", "#1E1E1E", "#DDDDDD"),
    ("#22283A", "#171B28", "#E6E6E6"),
    ("#FFFFFF", "#E8EEF4", "#2E2E2E"),
)
NAMED_PALETTES = ("tab10", "Set1", "Set2", "Dark2", "Paired", "Accent", "tab20b", "Pastel1")
RAMPS = ("viridis", "plasma", "cividis", "cool", "copper", "Blues", "Greens")


def _palette(rng: random.Random, n: int = 10) -> list[str]:
    import matplotlib
    from matplotlib.colors import to_hex

    kind = rng.choice(("named", "named", "ramp", "hues", "hues"))
    if kind == "named":
        cmap = matplotlib.colormaps[rng.choice(NAMED_PALETTES)]
        count = getattr(cmap, "N", 10)
        colors = [to_hex(cmap(i)) for i in range(min(count, 20))]
        offset = rng.randrange(len(colors))
        return colors[offset:] + colors[:offset]
    if kind == "ramp":
        cmap = matplotlib.colormaps[rng.choice(RAMPS)]
        low = rng.uniform(0.0, 0.25)
        return [to_hex(cmap(low + (0.95 - low) * i / (n - 1))) for i in range(n)]
    start, saturation = rng.random(), rng.uniform(0.45, 0.95)
    lightness = rng.uniform(0.35, 0.6)
    return [
        to_hex(colorsys.hls_to_rgb((start + i * 0.618034) % 1.0, lightness, saturation))
        for i in range(n)
    ]


def style(rng: random.Random) -> dict[str, Any]:
    """One chart's look: matplotlib rcParams, the colour cycle as a plain list (the spec that
    holds it is JSON); ``rc_params`` makes it a style matplotlib takes."""
    axes_ground, figure_ground, ink = rng.choice(GROUNDS)
    dark = axes_ground in {"#1E1E1E", "#22283A"}
    grid_axis = rng.choice(("y", "y", "both", "x"))
    spines = rng.choice(("all", "all", "left-bottom", "bottom", "none"))
    if axes_ground in {"#EAEAF2", "#EBEBEB"}:  # a tinted panel's grid is white
        grid_color = "#FFFFFF"
    else:
        grid_color = "#555555" if dark else rng.choice(("#B0B0B0", "#D9D9D9", "#888888"))
    tick_size = rng.choice((0.0, 3.5, 5.0, 8.0))
    return {
        "font.family": rng.choice(FONTS),
        "font.size": rng.choice((7.5, 9, 10, 11, 12, 14)),
        "axes.titlesize": rng.choice(("medium", "large", "x-large")),
        "axes.titleweight": rng.choice(("normal", "bold")),
        "axes.titlelocation": rng.choice(("center", "center", "left")),
        "axes.labelsize": rng.choice(("small", "medium", "large")),
        "xtick.labelsize": rng.choice(("x-small", "small", "medium")),
        "ytick.labelsize": rng.choice(("x-small", "small", "medium")),
        "axes.facecolor": axes_ground,
        "figure.facecolor": figure_ground,
        "savefig.facecolor": figure_ground,
        "text.color": ink,
        "axes.labelcolor": ink,
        "xtick.color": ink,
        "ytick.color": ink,
        "axes.edgecolor": rng.choice((ink, "#BBBBBB" if not dark else "#777777")),
        "axes.linewidth": rng.choice((0.6, 0.8, 1.2, 2.0)),
        "axes.spines.top": spines == "all",
        "axes.spines.right": spines == "all",
        "axes.spines.left": spines in {"all", "left-bottom"},
        "axes.spines.bottom": spines != "none",
        "axes.grid": rng.random() < 0.7,
        "axes.grid.axis": grid_axis,
        "axes.axisbelow": True,
        "grid.color": grid_color,
        "grid.linestyle": rng.choice(("-", "-", "--", ":")),
        "grid.linewidth": rng.choice((0.5, 0.8, 1.0, 1.5)),
        "xtick.direction": rng.choice(("out", "in", "inout")),
        "ytick.direction": rng.choice(("out", "in", "inout")),
        "xtick.major.size": tick_size,
        "ytick.major.size": tick_size,
        "ytick.minor.visible": rng.random() < 0.2,
        "axes.prop_cycle": _palette(rng),
        "lines.linewidth": rng.choice((1.0, 1.5, 2.0, 3.0, 4.0)),
        "lines.markersize": rng.choice((4, 6, 8, 10)),
        "patch.force_edgecolor": rng.random() < 0.3,
        "patch.edgecolor": rng.choice(("#FFFFFF", "#000000", axes_ground)),
        "patch.linewidth": rng.choice((0.5, 1.0, 2.0)),
        "legend.frameon": rng.random() < 0.7,
        "legend.fancybox": rng.random() < 0.5,
        "legend.shadow": rng.random() < 0.15,
        "legend.framealpha": rng.choice((0.5, 0.8, 1.0)),
        "legend.edgecolor": rng.choice(("inherit", "#CCCCCC", ink)),
        "legend.facecolor": rng.choice(("inherit", axes_ground, figure_ground)),
        "legend.fontsize": rng.choice(("x-small", "small", "medium")),
        "legend.handlelength": rng.choice((1.0, 2.0, 3.0)),
        "axes.xmargin": rng.choice((0.0, 0.02, 0.05)),
    }


def rc_params(look: dict[str, Any]) -> dict[str, Any]:
    from cycler import cycler

    return {**look, "axes.prop_cycle": cycler(color=look["axes.prop_cycle"])}
