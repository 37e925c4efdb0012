"""The gnuplot renderer of the chart dev set (``charts_rendered.py``): a plotting program's
looks, each chart a gnuplot 5.4 script.

Every chart is a script built from the chart's spec (its data inline, as datablocks) and run
by the system ``gnuplot`` (``apt-get install -y gnuplot-nox``): the PDF from the ``pdfcairo``
terminal, the PNG from ``pngcairo`` at 80 to 200 pixels per inch of the PDF's size (fonts and
lines scaled alike). Options vary the key's place (inside the plot, in room the value range
leaves for it, outside right, below) and box, grids, borders (a full box or only the bottom
and left axes), tic direction, colours (gnuplot's default linetypes, its ``podo`` and
``classic`` colour sequences, hand-picked palettes), fills (solid, outlined, lighter,
see-through, patterns), a gray plot ground, line widths, point types, fonts and sizes.
Columns are gnuplot histograms; horizontal bars are boxes (``boxxyerror``: gnuplot has no
horizontal histograms); areas are filled curves (stacked ones between running sums); pies and
doughnuts are circle sectors (``set object circle ... arc``) with a key of their slices drawn
by ``keyentry``. Ticks print the chart's number format: on a general axis gnuplot's own
``% h`` (a power of ten as a superscript, "2x10^6"), a plain ``%.Nf`` or an SI prefix
("2.5M"); ``%g%%`` on a percent axis; labels as ``number_text`` prints them where thousands
separators are needed (gnuplot prints those only under a locale that has them). The margins
are worked out from the labels' lengths, so that slanted, long and two-line labels and a key
below the plot never run into one another.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chart_kinds import HORIZONTAL, PIES, STACKED, number_text

PALETTES: dict[str, tuple[str, ...] | None] = {
    "default": None,  # gnuplot's own linetype colours
    "podo": None,  # set colorsequence podo
    "classic": None,  # set colorsequence classic: bright cyan and yellow from the fifth on
    "tableau": ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#9c755f"),
    "set1": ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf"),
    "dark2": ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"),
}
EXTRA_COLORS = ("#666666",)  # an eighth slice for the hand-picked palettes
FONTS = ("Sans", "Sans", "DejaVu Serif", "Liberation Serif", "DejaVu Sans Mono", "Liberation Sans")
FILLS = ("solid", "outlined", "light", "transparent", "pattern")
PATTERNS = (1, 4, 2, 5, 6, 7)  # 0 is empty and 3 solid
POINTS = {"filled": (7, 5, 9, 11, 13), "open": (6, 4, 8, 10, 12), "gnuplot": (1, 2, 3, 4, 6)}
SIZES = ((5.0, 3.5), (6.0, 4.0), (7.0, 4.5), (6.0, 4.5), (8.0, 5.0))  # inches
GROUND = "#ebebeb"  # the gray plot ground, white grid lines on it
THOUSANDS = {"thousands", "dollar", "euro", "pound"}  # tic labels printed here


def options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype, series = spec["type"], spec["series"]
    colors = len(spec["categories"]) if ctype in PIES else len(series)
    key = _key_place(rng, spec)
    # Long labels, slanted, need a page tall enough to leave the plot some room.
    size = rng.choice(SIZES if _widest(spec) <= 12 else SIZES[2:])
    return {
        "key": key,
        "key_box": rng.random() < 0.4,
        "key_reverse": rng.random() < 0.3,  # the sample left of the name
        "grid": rng.choice(("none", "none", "dotted", "solid", "dashed")),
        "ground": rng.choice(("white", "white", "white", "white", "gray")),
        "border": rng.choice(("box", "box", "bottom_left")),
        "tics": rng.choice(("in", "out")),
        "palette": rng.choice([p for p in PALETTES if p != "classic" or colors <= 4]),
        "fill": rng.choices(FILLS, (4, 3, 2, 2, 1))[0],
        "line_width": rng.choice((1, 1.5, 2, 2.5, 3)),
        "points": rng.choice(tuple(POINTS)),
        "point_size": rng.choice((1.0, 1.2, 1.5)),
        "font": rng.choice(FONTS),
        "size": size,
        "font_size": rng.randint(7, round(size[1] * 2.2)),  # 7 or 8 points on the smallest
        "dpi": rng.choice((80, 100, 120, 150, 200)),
        "general_format": rng.choice(("gnuplot", "gnuplot", "plain", "si")),
        "zero_axis": rng.random() < 0.5,
        "gap": rng.choice((1, 1, 2)),
        "pie_percent": ctype in PIES and rng.random() < 0.5,
        "clockwise": rng.random() < 0.6,  # from the top; else gnuplot's angles, from the right
        "hole": rng.choice((0.4, 0.5, 0.6)),
        "slice_border": rng.choice(("white", "black", "none")),
    }


def _widest(spec: dict[str, Any]) -> int:
    """The most characters on a line of a category label."""
    categories = spec["categories"] or []
    return max((len(line) for c in categories for line in c.split("\n")), default=0)


def _key_place(rng: random.Random, spec: dict[str, Any]) -> str:
    """Where the key goes: inside the plot only where the value range can leave room above
    the data for it and no slanted labels shrink the plot; right of it only where that
    leaves long or two-line category labels room side by side (and a second axis there
    leaves none)."""
    ctype, series, categories = spec["type"], spec["series"], spec["categories"] or []
    widest = _widest(spec)
    across = ctype in PIES | HORIZONTAL  # no category labels side by side
    places = ["below"]
    crowded = widest > 12 or ctype in ("column_two_line", "bar_line_secondary")
    if across or not crowded:
        places.append("outside right")
    no_room = PIES | HORIZONTAL | {"column_percent", "bar_line_secondary"}
    if ctype not in no_room and widest <= 12 and len(categories) <= 10 and len(series) <= 3:
        places += ["top right", "top left"]
    place = rng.choice(places)
    if len(series) == 1 and ctype not in PIES and rng.random() < 0.5:
        return "none"
    return place


# --------------------------------------------------------------------------- script


def _q(text: str) -> str:
    """A gnuplot string literal (double quotes: a line break prints as one)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _n(value: float) -> str:
    return f"{value:.10g}"


def script(spec: dict[str, Any], folder: Path) -> str:
    """The gnuplot script that draws one chart as its PDF, then as its PNG."""
    o = spec["options"]
    width, height = o["size"]
    font = _q(f"{o['font']},{o['font_size']}")
    scale = o["dpi"] / 72  # pngcairo draws a point as a pixel
    lines = [
        "set encoding utf8",
        f"set terminal pdfcairo enhanced size {width}in,{height}in font {font}"
        " fontscale 1 linewidth 1",
        f"set output {_q(str(folder / spec['files']['pdf']))}",
        *_look(spec),
        *(_pie(spec) if spec["type"] in PIES else _plot(spec)),
        f"set terminal pngcairo enhanced size {round(width * o['dpi'])},"
        f"{round(height * o['dpi'])} font {font} fontscale {scale:.3f} linewidth {scale:.3f}",
        f"set output {_q(str(folder / spec['files']['png']))}",
        "replot",
        "unset output",
    ]
    return "\n".join(lines) + "\n"


def _look(spec: dict[str, Any]) -> list[str]:
    """Title, colours, key, border, tics and grid."""
    o, ctype = spec["options"], spec["type"]
    out = []
    if spec["title"]:
        size = _q(f",{o['font_size'] + 2}")
        out.append(f"set title {_q(spec['title'])} noenhanced font {size}")
    palette = PALETTES[o["palette"]]
    if palette is None:
        out.append(f"set colorsequence {o['palette']}")
    else:
        out += [
            f"set linetype {i + 1} lc rgb {_q(c)}" for i, c in enumerate(palette + EXTRA_COLORS)
        ]
    out += _key(spec)
    if ctype in PIES:
        return [*out, "unset border", "unset tics", "set size ratio -1"]
    right = 8 if ctype == "bar_line_secondary" else 0
    if o["border"] == "bottom_left":
        out += [f"set border {3 + right}", "set xtics nomirror", "set ytics nomirror"]
    out.append(f"set tics {o['tics']}")
    if ctype == "bar_line_secondary":  # each axis's tics on its own side
        out += ["set ytics nomirror", "set y2tics nomirror"]
    if o["ground"] == "gray":
        out.append(
            f"set object 1 rectangle from graph 0,0 to graph 1,1 behind fc rgb {_q(GROUND)}"
            " fs solid 1.0 noborder"
        )
    if o["grid"] != "none":
        axes = "xtics" if ctype in HORIZONTAL else "ytics"
        if ctype.startswith(("line", "scatter", "area")):
            axes = "xtics ytics"  # gnuplot's plain "set grid"
        line = {
            "dotted": "lt 0 lw 1",
            "solid": 'lt 1 lc rgb "#d0d0d0" lw 1',
            "dashed": 'lt 1 lc rgb "#a0a0a0" lw 1 dt 2',
        }[o["grid"]]
        if o["ground"] == "gray":
            line = 'lt 1 lc rgb "white" lw 1.5'
        out.append(f"set grid {axes} back {line}")
    return out


def _key(spec: dict[str, Any]) -> list[str]:
    o = spec["options"]
    if o["key"] == "none":
        return ["unset key"]
    place = {
        "top right": "inside top right vertical",
        "top left": "inside top left vertical",
        "outside right": "outside right top vertical",
        "below": "below center horizontal",
    }[o["key"]]
    # gnuplot sizes a key's box a little narrow for proportional fonts: some width added
    extra = " box opaque width 1" if o["key_box"] else " nobox"
    if o["key_reverse"]:
        extra += " reverse Left"
    if o["key"] == "below" and spec["type"] not in PIES:
        extra += f" maxcols {_below_columns(spec)}"
    return [f"set key {place}{extra} noenhanced"]


# --------------------------------------------------------------------------- layout
# gnuplot leaves room for slanted or two-line tic labels, and for a key below them, only
# roughly (they can run into the axis title), so the renderer works the margins out itself
# from the text's size, in ems of the font size asked for (the cairo terminals draw text a
# third larger). gnuplot's margins count its character cell.

CHAR = 0.8  # a character's width, in ems (a little over most fonts' average)
CELL_WIDTH, CELL_HEIGHT = 0.8, 1.55  # gnuplot's character cell, in ems


def _lines(texts: list[str]) -> tuple[int, int]:
    """(the most characters on one line, the most lines) of some labels."""
    rows = [line for text in texts for line in text.split("\n")]
    return max(map(len, rows)), max(text.count("\n") + 1 for text in texts)


def _plot_width(spec: dict[str, Any]) -> float:
    """About how wide the plot is, in ems: the page less tic labels, axis titles and a key
    on the right (an entry's sample and gaps take some eight cells)."""
    o, ctype = spec["options"], spec["type"]
    horizontal = ctype in HORIZONTAL
    tics = _lines(spec["categories"])[0] if horizontal else 9
    title = spec["x_label"] if horizontal else spec["y_label"]
    left = 2 + tics * CHAR + (2.5 if title else 0)
    right = 2.0
    if o["key"] == "outside right":
        right += (max(len(s["name"]) for s in spec["series"]) + 8) * CELL_WIDTH
    if ctype == "bar_line_secondary":
        right += 9 * CHAR + 2.5
    return o["size"][0] * 72 / o["font_size"] - left - right


def _slant(spec: dict[str, Any]) -> int:
    """The angle of the category labels: flat where they fit side by side, else 45 degrees,
    or 90 where even slanted ones would touch."""
    ctype, labels = spec["type"], spec["categories"]
    if ctype in HORIZONTAL or ctype == "scatter":
        return 0
    slot = _plot_width(spec) / len(labels)
    widest, lines = _lines(labels)
    if not spec["options"]["rotate_labels"] and widest * 0.7 <= 0.95 * slot:  # a gap left
        return 0
    # On end, a two-line label's lines would read as two labels, and long labels would take
    # up most of the page.
    return 45 if slot >= 2.2 or lines > 1 or widest > 12 else 90


def _below_columns(spec: dict[str, Any]) -> int:
    """The entries side by side in a key below the plot: fewer than gnuplot would fit (it
    is told so), so that the key's rows are known."""
    names = spec["categories"] if spec["type"] in PIES else [s["name"] for s in spec["series"]]
    entry = (max(map(len, names)) + 8) * CELL_WIDTH
    return max(1, min(len(names), int(_plot_width(spec) / entry)))


def _bottom(spec: dict[str, Any]) -> float:
    """The bottom margin, in gnuplot's character cells: tic labels, the axis title and a key
    below."""
    o, ctype = spec["options"], spec["type"]
    tics = 1.0
    if ctype not in HORIZONTAL and ctype != "scatter":
        widest, lines = _lines(spec["categories"])
        slant = _slant(spec)
        reach = widest * CHAR * (0.71 if slant == 45 else 1) / CELL_HEIGHT + 0.5
        tics = reach if slant else lines
    title = spec["y_label"] if ctype in HORIZONTAL else spec["x_label"]
    below = 0.0
    if o["key"] == "below":
        rows = math.ceil(len(spec["series"]) / _below_columns(spec))
        below = rows + (1 if o["key_box"] else 0) + 0.5
    return 1 + tics + (1.5 if title else 0) + below


def _key_room(spec: dict[str, Any]) -> float:
    """The share of the plot's height an inside key takes: its rows and a gap."""
    o = spec["options"]
    if not o["key"].startswith("top"):
        return 0.0
    margins = (2.5 if spec["title"] else 1.0) + _bottom(spec)
    height = o["size"][1] * 72 / o["font_size"] - margins * CELL_HEIGHT
    rows = (len(spec["series"]) + (0.5 if o["key_box"] else 0)) * CELL_HEIGHT + 1
    return min(rows / height, 0.6)


def _nice_step(span: float, intervals: int = 5) -> float:
    """A tic step of 1, 2 or 5 times a power of ten giving about so many intervals."""
    raw = span / intervals
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw * 0.999)


def _range(lo: float, hi: float, room: float, intervals: int) -> tuple[float, float, float]:
    """(low, high, step): ``room`` of the plot kept free above the data, both ends rounded
    out to whole tics as gnuplot's autoscale does."""
    if hi == lo:
        hi = lo + 1
    hi += (hi - lo) * room / (1 - room)
    step = _nice_step(hi - lo, intervals)
    lo = math.floor(lo / step + 1e-9) * step
    hi = math.ceil(hi / step - 1e-9) * step
    return lo, hi, step


def _data_range(spec: dict[str, Any], axis: str) -> tuple[float, float]:
    """The values an axis must show: the data, with zero under bars and areas (a stack's
    totals), a scatter's points with a margin (no marker cut in half at the edge)."""
    ctype = spec["type"]
    series = [s for s in spec["series"] if s["axis"] == axis or axis == "x"]
    if ctype == "scatter":
        values = [p[0 if axis == "x" else 1] for s in series for p in s["points"]]
        lo, hi = min(values), max(values)
        return lo - 0.04 * (hi - lo), hi + 0.04 * (hi - lo)
    values = [v for s in series for v in s["values"]]
    if ctype in STACKED:
        values = [sum(column) for column in zip(*(s["values"] for s in series), strict=True)]
    lo, hi = min(values), max(values)
    if any(s["mark"] in ("bar", "area") for s in series):
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    return lo, hi


def _value_axis(spec: dict[str, Any], name: str, axis: str, number_format: str) -> list[str]:
    """Range, tics and tic format of a value axis: ``name`` y, y2 or x; ``axis`` primary,
    secondary or x (a scatter's)."""
    o = spec["options"]
    if spec["type"] == "column_percent":
        lo, hi, step = 0.0, 100.0, 20.0
    else:
        data_lo, data_hi = _data_range(spec, axis)
        intervals = 5
        if name == "x":  # as many tics as their labels leave room for side by side
            label = max(len(number_text(v, number_format)) for v in (data_lo, data_hi)) + 4
            intervals = max(2, min(5, int(_plot_width(spec) / (label * CHAR))))
        room = _key_room(spec) if axis == "primary" else 0.0
        lo, hi, step = _range(data_lo, data_hi, room, intervals)
    out = [f"set {name}range [{_n(lo)}:{_n(hi)}]"]
    if number_format in THOUSANDS:
        tics = [lo + k * step for k in range(round((hi - lo) / step) + 1)]
        labels = ", ".join(f"{_q(number_text(t, number_format))} {_n(t)}" for t in tics)
        return [*out, f"set {name}tics ({labels})"]
    out.append(f"set {name}tics {_n(step)}")
    if number_format == "percent":
        out.append(f'set format {name} "%g%%"')
    elif o["general_format"] == "plain":
        out.append(f'set format {name} "%.{max(0, -math.floor(math.log10(step)))}f"')
    elif o["general_format"] == "si" and max(abs(lo), abs(hi)) >= 1e4:
        out.append(f'set format {name} "%.1s%c"')
    return out


def _category_axis(spec: dict[str, Any]) -> list[str]:
    """The category labels as tics at 0, 1, ... (top to bottom for horizontal bars), and the
    category axis's range."""
    ctype, labels = spec["type"], spec["categories"]
    n = len(labels)
    if ctype in HORIZONTAL:
        tics = ", ".join(f"{_q(label)} {n - 1 - i}" for i, label in enumerate(labels))
        return [f"set ytics ({tics}) noenhanced", f"set yrange [-0.6:{n - 0.4}]"]
    tics = ", ".join(f"{_q(label)} {i}" for i, label in enumerate(labels))
    out = [f"set xtics ({tics}) noenhanced", *_slant_tics(spec)]
    bars = ctype not in ("line", "line_markers", "area", "area_stacked")
    pad = 0.6 if bars else _line_pad(spec)
    return [*out, f"set xrange [{-pad}:{n - 1 + pad}]"]


def _slant_tics(spec: dict[str, Any]) -> list[str]:
    """Slanted category labels, and a left margin wide enough for the first one."""
    slant = _slant(spec)
    if not slant:
        return []
    out = [f"set xtics rotate by {slant} right"]
    reach = _lines(spec["categories"])[0] * CHAR * 0.71 / CELL_WIDTH + 1  # left of its tic
    if slant == 45 and reach > 9:
        out.append(f"set lmargin {math.ceil(reach)}")
    return out


def _line_pad(spec: dict[str, Any]) -> float:
    """Room left and right of a line's first and last points, in categories: none, as gnuplot
    autoscales, unless the labels there would stick out of the picture."""
    return 0.4 if _slant(spec) or _lines(spec["categories"])[0] > 4 else 0.0


def _labels(spec: dict[str, Any]) -> list[str]:
    x_label, y_label = spec["x_label"], spec["y_label"]
    if spec["type"] in HORIZONTAL:
        x_label, y_label = y_label, x_label
    out = [f"set xlabel {_q(x_label)} noenhanced"] if x_label else []
    if x_label and spec["type"] == "column_two_line":  # gnuplot leaves room for one line
        out[0] += f" offset 0,-{_lines(spec['categories'])[1] - 1}"
    if y_label:
        out.append(f"set ylabel {_q(y_label)} noenhanced")
    if spec.get("y2_label"):
        out.append(f"set y2label {_q(spec['y2_label'])} noenhanced")
    return out


def _datablock(name: str, rows: list[list[Any]]) -> list[str]:
    body = [" ".join(v if isinstance(v, str) else _n(v) for v in row) for row in rows]
    return [f"${name} << EOD", *body, "EOD"]


def _fill(o: dict[str, Any], j: int, area: bool = False) -> str:
    """Series ``j``'s fill style: no pattern on areas (their edges would hardly show)."""
    kind = o["fill"]
    if area and kind == "pattern":
        kind = "solid"
    return {
        "solid": "fs solid 1.0 noborder",
        "outlined": 'fs solid 1.0 border lc rgb "black"',
        "light": "fs solid 0.5 border",
        "transparent": "fs transparent solid 0.5 border",
        "pattern": f"fs pattern {PATTERNS[j % len(PATTERNS)]} border",
    }[kind]


def _title(s: dict[str, Any]) -> str:
    return f"title {_q(s['name'])} noenhanced"


def _line(o: dict[str, Any], j: int, markers: bool) -> str:
    if not markers:
        return f"with lines lt {j + 1} lw {o['line_width']}"
    pt = POINTS[o["points"]][j % 5]
    return f"with linespoints lt {j + 1} lw {o['line_width']} pt {pt} ps {o['point_size']}"


def _plot(spec: dict[str, Any]) -> list[str]:
    """Axes, data and the plot command of every chart but pies."""
    o, ctype = spec["options"], spec["type"]
    number_format = "percent" if ctype == "column_percent" else spec["number_format"]
    value = "x" if ctype in HORIZONTAL else "y"
    out = [*_labels(spec), *_value_axis(spec, value, "primary", number_format)]
    if ctype == "bar_line_secondary":
        out += _value_axis(spec, "y2", "secondary", spec["y2_number_format"])
    if ctype == "scatter":
        out += _value_axis(spec, "x", "x", "general")
    elif ctype != "line_date":
        out += _category_axis(spec)
    out.append(f"set bmargin {_bottom(spec):.1f}")
    negative = any(v < 0 for s in spec["series"] for v in _ys(s))
    if negative and o["zero_axis"]:
        out.append(f"set {'y' if value == 'x' else 'x'}zeroaxis lt -1 lw 1")
    if ctype == "scatter":
        data, items = _scatter(spec)
    elif ctype == "line_date":
        data, items = _dates(spec)
    elif ctype in HORIZONTAL:
        data, items = _horizontal(spec)
    elif ctype.startswith("area"):
        data, items = _areas(spec)
    else:
        data, items = _columns(spec)
    return [*out, *data, "plot " + ", \\\n  ".join(items)]


def _ys(s: dict[str, Any]) -> list[float]:
    return s["values"] if "values" in s else [p[1] for p in s["points"]]


def _columns(spec: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Column charts as gnuplot histograms, a line over them, lines on their own."""
    o, ctype, series = spec["options"], spec["type"], spec["series"]
    n = len(spec["categories"])
    data = _datablock("DATA", [[i, *(s["values"][i] for s in series)] for i in range(n)])
    if ctype in STACKED:
        data += ["set style histogram rowstacked", "set boxwidth 0.7 relative"]
    else:
        data.append(f"set style histogram clustered gap {o['gap']}")
    items = []
    for j, s in enumerate(series):
        if s["mark"] == "bar":
            items.append(
                f"$DATA using {j + 2} with histograms lt {j + 1} {_fill(o, j)} {_title(s)}"
            )
        else:
            axes = " axes x1y2" if s["axis"] == "secondary" else ""
            markers = ctype != "line"
            items.append(f"$DATA using 1:{j + 2}{axes} {_line(o, j, markers)} {_title(s)}")
    return data, items


def _horizontal(spec: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Horizontal bars as boxes: gnuplot has no horizontal histograms."""
    o, series = spec["options"], spec["series"]
    n, m = len(spec["categories"]), len(series)
    stacked = spec["type"] in STACKED
    height = 0.7 if stacked else 0.8 / m
    data, items = [], []
    below = [0.0] * n
    for j, s in enumerate(series):
        rows = []
        for i, v in enumerate(s["values"]):
            y = n - 1 - i if stacked else n - 1 - i + ((m - 1) / 2 - j) * height
            start = below[i] if stacked else 0.0
            rows.append([start, start + v, y - height * 0.45, y + height * 0.45])
            if stacked:
                below[i] += v
        data += _datablock(f"S{j}", rows)
        items.append(
            f"$S{j} using (($1+$2)/2):(($3+$4)/2):1:2:3:4 with boxxyerror lt {j + 1}"
            f" {_fill(o, j)} {_title(s)}"
        )
    return data, items


def _areas(spec: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Areas filled to zero (see-through where several overlap) with their edge drawn, or
    stacked between running sums."""
    o, series = spec["options"], spec["series"]
    n = len(spec["categories"])
    if spec["type"] in STACKED:
        sums = [[0.0] * n]
        for s in series:
            sums.append([a + b for a, b in zip(sums[-1], s["values"], strict=True)])
        data = _datablock("DATA", [[i, *(column[i] for column in sums)] for i in range(n)])
        items = [
            f"$DATA using 1:{j + 2}:{j + 3} with filledcurves lt {j + 1}"
            f" {_fill(o, j, area=True)} {_title(s)}"
            for j, s in enumerate(series)
        ]
        return data, items
    data = _datablock("DATA", [[i, *(s["values"][i] for s in series)] for i in range(n)])
    fill = _fill(o, 0, area=True)
    if len(series) > 1 or o["fill"] == "transparent":  # the areas behind show through
        fill = "fs transparent solid 0.45 noborder"
    items = []
    for j, s in enumerate(series):
        items.append(f"$DATA using 1:{j + 2} with filledcurves y1=0 lt {j + 1} {fill} {_title(s)}")
        items.append(f"$DATA using 1:{j + 2} {_line(o, j, False)} notitle")
    return data, items


def _dates(spec: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Lines over a time axis: a tic at every date, printed in the chart's date format."""
    o, series = spec["options"], spec["series"]
    dates = spec["category_dates"]
    rows = [[d, *(s["values"][i] for s in series)] for i, d in enumerate(dates)]
    epoch = [_seconds(d) for d in dates]
    pad = (epoch[-1] - epoch[0]) / (len(dates) - 1) * _line_pad(spec)
    out = [
        "set xdata time",
        'set timefmt "%Y-%m-%d"',
        f"set format x {_q(spec['date_axis']['format'])} timedate",
        f"set xtics ({', '.join(_n(t) for t in epoch)})",
        *_slant_tics(spec),
        f"set xrange [{_n(epoch[0] - pad)}:{_n(epoch[-1] + pad)}]",
        *_datablock("DATA", rows),
    ]
    items = [
        f"$DATA using 1:{j + 2} {_line(o, j, False)} {_title(s)}" for j, s in enumerate(series)
    ]
    return out, items


def _seconds(iso: str) -> float:
    """A date as gnuplot's time: seconds since 1970."""
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).total_seconds()


def _scatter(spec: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Points, a marker of their own for each series."""
    o = spec["options"]
    data, items = [], []
    for j, s in enumerate(spec["series"]):
        data += _datablock(f"S{j}", [list(p) for p in s["points"]])
        pt = POINTS[o["points"]][j % 5]
        items.append(
            f"$S{j} using 1:2 with points lt {j + 1} pt {pt} ps {o['point_size']} {_title(s)}"
        )
    return data, items


def _pie(spec: dict[str, Any]) -> list[str]:
    """Slices as circle sectors, a circle of the page's white for a doughnut's hole, shares
    printed beside the slices, and a key naming them."""
    o, labels = spec["options"], spec["categories"]
    shares = spec["series"][0]["values"]
    border = {
        "white": 'border lc rgb "white" lw 1.5',
        "black": 'border lc rgb "black" lw 1',
        "none": "noborder",
    }[o["slice_border"]]
    # Slices touch: solid or lighter fills, nothing to see through.
    density = "0.6" if o["fill"] == "light" else "1.0"
    room = 1.35 if o["pie_percent"] else 1.1
    out = [
        f"set xrange [-{room}:{room}]",
        f"set yrange [-{room}:{room}]",
        f"set key title {_q(spec['series'][0]['name'])}",
    ]
    start = 0.0
    for i, share in enumerate(shares):
        a, b = start * 360, (start + share) * 360
        if o["clockwise"]:  # from 12 o'clock: gnuplot's angles run anticlockwise from 3
            a, b = 90 - b, 90 - a
        out.append(
            f"set object {i + 10} circle at 0,0 size 1 arc [{a:.4f}:{b:.4f}]"
            f" fc lt {i + 1} fs solid {density} {border}"
        )
        if o["pie_percent"]:
            mid = math.radians((a + b) / 2)
            out.append(
                f'set label "{100 * share:.1f}%" at {1.18 * math.cos(mid):.4f},'
                f"{1.18 * math.sin(mid):.4f} center"
            )
        start += share
    if spec["type"] == "doughnut":
        out.append(
            f"set object 99 circle at 0,0 size {o['hole']} front fc rgb "
            '"white" fs solid 1.0 noborder'
        )
    keys = [
        f"keyentry with boxes fc lt {i + 1} fs solid {density} title {_q(label)} noenhanced"
        for i, label in enumerate(labels)
    ]
    return [*out, "plot " + ", \\\n  ".join(["NaN notitle", *keys])]


# --------------------------------------------------------------------------- build


def _run(path: Path, cid: str) -> None:
    try:
        done = subprocess.run(
            ["gnuplot", str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"gnuplot took over 60 s on chart {cid}") from None
    if done.returncode:
        message = " ".join(done.stderr.split())[-400:]
        raise SystemExit(f"gnuplot failed on chart {cid}: {message}")


def build_gnuplot(
    specs: list[dict[str, Any]], folder: Path, finish: Callable[[dict[str, Any]], None]
) -> None:
    """Runs one gnuplot script per chart."""
    if shutil.which("gnuplot") is None:
        raise SystemExit("gnuplot is not installed: apt-get install -y gnuplot-nox")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            path = Path(tmp) / f"{spec['id']}.gp"
            path.write_text(script(spec, folder), encoding="utf-8")
            _run(path, spec["id"])
            finish(spec)
