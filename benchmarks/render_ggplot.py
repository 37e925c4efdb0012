"""The ggplot2 renderer of the chart dev set (``charts_rendered.py``): R's grammar-of-graphics
looks, each chart a ggplot2 call.

Charts are R code built from the chart's spec (its data inline) and run one at a time by the
system ``Rscript`` (``apt-get install -y r-base-core r-cran-ggplot2``): the PDF from R's own
``pdf`` device (base-14 fonts, not embedded) or from ``cairo_pdf``, the PNG from the cairo
``png`` device at 80 to 200 pixels per inch. Looks vary by ggplot2's complete themes (its
gray plot ground with white grid lines, black-and-white, minimal, classic, light, line
drawing, dark), base font size and family, the key's place (right, left, above, below,
inside the plot in room left for it, none for one series) and title, palettes (ggplot2's
hues, ColorBrewer's, viridis, grays), bar widths and outlines, line widths and point shapes.
Ticks print in the chart's number format through ``scales`` (ggplot2's default labels for a
general axis: "1e+06" where its breaks are large); numeric categories sit on a continuous
axis half the time, as R users draw them. Columns and bars are ``geom_col`` (bars flipped),
areas ``geom_area`` (see-through where they overlap), pies and doughnuts bars in polar
coordinates, a second value axis ``sec_axis`` (the line drawn scaled to the first).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chart_kinds import HORIZONTAL, PIES, STACKED, number_text

THEMES = ("gray", "gray", "bw", "minimal", "classic", "light", "linedraw", "dark")
PALETTES = ("hue", "hue", "Set1", "Set2", "Dark2", "Paired", "viridis", "grey")
FAMILIES = ("sans", "sans", "serif", "mono")
SIZES = ((6.0, 4.0), (7.0, 4.5), (8.0, 5.0), (6.4, 4.8), (10.0, 6.0))  # inches
LINE_COLOURS = ("black", "gray20", "darkred", "navy")
SHAPES = (16, 16, 17, 15, 1, 18)


def options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype, series = spec["type"], spec["series"]
    legend = rng.choice(("right", "right", "right", "bottom", "top", "left"))
    if _room_inside(spec) and rng.random() < 0.3:
        legend = "inside"
    if len(series) == 1 and ctype not in PIES and rng.random() < 0.6:
        legend = "none"
    return {
        "theme": rng.choice(THEMES),
        "base_size": rng.randint(9, 14),
        "family": rng.choice(FAMILIES),
        "legend": legend,
        "legend_title": rng.choice((None, "Series", "Legend", "Type"))
        if ctype not in PIES
        else rng.choice((None, "Category")),
        "palette": rng.choice(PALETTES),
        "outline": rng.choice((None, None, None, "black", "white")),
        "width": rng.choice((0.9, 0.9, 0.7, 0.6)),
        "line_width": rng.choice((0.5, 0.8, 1.0, 1.5)),
        "point_size": rng.choice((1.5, 2.0, 3.0)),
        "shape": rng.choice(SHAPES),
        "area_alpha": rng.choice((0.4, 0.5, 0.6)),
        "line_colour": rng.choice(LINE_COLOURS),
        "size": rng.choice(SIZES),
        "dpi": rng.choice((80, 100, 120, 150, 200)),
        "pdf_device": rng.choice(("pdf", "cairo_pdf")),
        "general_format": rng.choice(("default", "default", "comma")),
        "numeric_x": ctype == "column_numeric" and rng.random() < 0.5,
        "data_labels": ctype in {"column", "bar", "column_stacked", "bar_stacked"}
        and rng.random() < 0.25,
        "pie_percent": ctype in PIES and rng.random() < 0.5,
        "hole": rng.choice((0.0, 0.5, 0.8)),  # a doughnut's inner limit (its hole)
        "angle": rng.choice((45, 90)),
    }


def _room_inside(spec: dict[str, Any]) -> bool:
    """A key inside the plot only where room is made for it above the data."""
    ctype = spec["type"]
    no_room = PIES | HORIZONTAL | {"column_percent", "bar_line_secondary", "area_stacked"}
    return ctype not in no_room and len(spec["series"]) <= 3


# --------------------------------------------------------------------------- R code


def _q(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _c(items: list[Any]) -> str:
    """An R vector."""
    return "c(" + ", ".join(_q(i) if isinstance(i, str) else f"{i:.10g}" for i in items) + ")"


def _labels(number_format: str, general: str) -> str:
    """A ``scales`` labeller printing the chart's number format."""
    return {
        "general": "waiver()" if general == "default" else "scales::label_comma()",
        "percent": 'function(x) paste0(x, "%")',
        "thousands": "scales::label_comma()",
        "dollar": "scales::label_dollar()",
        "euro": 'scales::label_number(suffix = " \u20ac", big.mark = ",")',
        "pound": 'scales::label_dollar(prefix = "\u00a3")',
    }[number_format]


def _rotated(spec: dict[str, Any]) -> bool:
    if spec["type"] == "line_date":
        labels = spec["categories"]
        return len(labels) * max(len(x) for x in labels) > 50
    return bool(spec["options"].get("rotate_labels"))


def _long_frame(spec: dict[str, Any], series: list[dict[str, Any]], name: str) -> list[str]:
    """A data frame of (cat, series, value) rows in the chart's order."""
    cats = spec["categories"]
    # 100% columns are drawn from the raw values, as shares of each column.
    percent = spec["type"] == "column_percent"
    values = spec["raw_values"] if percent else [s["values"] for s in series]
    rows = [
        (c, s["name"], v)
        for s, vs in zip(series, values, strict=True)
        for c, v in zip(cats, vs, strict=True)
    ]
    levels = [s["name"] for s in spec["series"]]
    return [
        f"{name} <- data.frame(cat = factor({_c([r[0] for r in rows])}, levels = {_c(cats)}),",
        f"  series = factor({_c([r[1] for r in rows])}, levels = {_c(levels)}),",
        f"  value = {_c([r[2] for r in rows])})",
    ]


def _value_scale(spec: dict[str, Any], extra: str = "") -> str:
    o = spec["options"]
    if spec["type"] == "column_percent":
        labels = "scales::percent"
    else:
        labels = _labels(spec["number_format"], o["general_format"])
    expand = ", expand = expansion(mult = c(0.05, 0.35))" if o["legend"] == "inside" else ""
    return f"scale_y_continuous(name = {_title(spec['y_label'])}, labels = {labels}{expand}{extra})"


def _title(text: str | None) -> str:
    return "NULL" if text is None else _q(text)


def _palette(o: dict[str, Any], aesthetic: str) -> str:
    palette = o["palette"]
    if palette == "hue":
        return ""
    if palette == "viridis":
        return f"scale_{aesthetic}_viridis_d(end = 0.9)"
    if palette == "grey":
        return f"scale_{aesthetic}_grey(start = 0.2, end = 0.8)"
    return f"scale_{aesthetic}_brewer(palette = {_q(palette)})"


def _geom_extra(o: dict[str, Any]) -> str:
    return f", colour = {_q(o['outline'])}" if o["outline"] else ""


def _bars(spec: dict[str, Any]) -> list[str]:
    o, ctype = spec["options"], spec["type"]
    bars = [s for s in spec["series"] if s["mark"] == "bar"]
    out = _long_frame(spec, bars, "bars")
    position = {
        "column_stacked": '"stack"',
        "bar_stacked": '"stack"',
        "column_percent": '"fill"',
    }.get(ctype, f"position_dodge(width = {o['width']})")
    x = "cat"
    if o["numeric_x"]:
        step = float(spec["categories"][1]) - float(spec["categories"][0])
        out.append("bars$x <- as.numeric(as.character(bars$cat))")
        x, width = "x", o["width"] * step
        position = f"position_dodge(width = {width:g})"
    else:
        width = o["width"]
    out.append(
        f"p <- ggplot() + geom_col(data = bars, aes(x = {x}, y = value, fill = series),"
        f" position = {position}, width = {width:g}{_geom_extra(o)})"
    )
    if o["numeric_x"]:
        cats = spec["categories"]
        out.append(
            f"p <- p + scale_x_continuous(name = {_title(spec['x_label'])},"
            f" breaks = {_c([float(c) for c in cats])}, labels = {_c(cats)})"
        )
    if o["data_labels"]:
        texts = [number_text(v, spec["number_format"]) for s in bars for v in s["values"]]
        out.append(f"bars$label <- {_c(texts)}")
        where = (
            "position_stack(vjust = 0.5)"
            if ctype in STACKED
            else f"position_dodge(width = {o['width']})"
        )
        nudge = (
            ""
            if ctype in STACKED
            else (", hjust = -0.15" if ctype in HORIZONTAL else ", vjust = -0.4")
        )
        out.append(
            f"p <- p + geom_text(data = bars, aes(x = {x}, y = value, label = label,"
            f" group = series), position = {where}, size = {o['base_size'] * 0.28:.2f}{nudge})"
        )
    return out


def _line_over_bars(spec: dict[str, Any]) -> list[str]:
    """The bar-and-line charts' line, on the bars' axis or scaled onto it."""
    o = spec["options"]
    line = [s for s in spec["series"] if s["mark"] == "line"]
    out = _long_frame(spec, line, "line")
    scale = 1.0
    if spec["type"] == "bar_line_secondary":
        bar_top = max(max(s["values"]) for s in spec["series"] if s["mark"] == "bar")
        scale = bar_top / max(abs(v) for v in line[0]["values"])
        out.append(f"line$value <- line$value * {scale:.10g}")
    out += [
        f"p <- p + geom_line(data = line, aes(x = cat, y = value, colour = series, group = series),"
        f" linewidth = {o['line_width']}) + geom_point(data = line, aes(x = cat, y = value,"
        f" colour = series), size = {o['point_size']}, shape = {o['shape']})",
        f"p <- p + scale_colour_manual(values = {_q(o['line_colour'])},"
        f" name = {_title(o['legend_title'])})",
    ]
    if spec["type"] == "bar_line_secondary":
        labels = _labels(spec["y2_number_format"], o["general_format"])
        sec = (
            f", sec.axis = sec_axis(~ . / {scale:.10g}, name = {_q(spec['y2_label'])},"
            f" labels = {labels})"
        )
        out.append(f"p <- p + {_value_scale(spec, sec)}")
    return out


def _lines(spec: dict[str, Any]) -> list[str]:
    o, ctype = spec["options"], spec["type"]
    if ctype == "line_date":
        dates = spec["category_dates"]
        rows = [
            (d, s["name"], v)
            for s in spec["series"]
            for d, v in zip(dates, s["values"], strict=True)
        ]
        levels = [s["name"] for s in spec["series"]]
        out = [
            f"lines <- data.frame(cat = as.Date({_c([r[0] for r in rows])}),",
            f"  series = factor({_c([r[1] for r in rows])}, levels = {_c(levels)}),",
            f"  value = {_c([r[2] for r in rows])})",
        ]
    else:
        out = _long_frame(spec, spec["series"], "lines")
    aes = "aes(x = cat, y = value, colour = series, group = series)"
    out.append(f"p <- ggplot(lines, {aes}) + geom_line(linewidth = {o['line_width']})")
    if ctype == "line_markers":
        out.append(f"p <- p + geom_point(size = {o['point_size']}, shape = {o['shape']})")
    if ctype == "line_date":
        fmt = spec["date_axis"]["format"]
        out.append(
            f"p <- p + scale_x_date(name = {_title(spec['x_label'])},"
            f" breaks = as.Date({_c(spec['category_dates'])}), date_labels = {_q(fmt)})"
        )
    return out


def _areas(spec: dict[str, Any]) -> list[str]:
    o = spec["options"]
    out = _long_frame(spec, spec["series"], "areas")
    out.append("areas$x <- as.numeric(areas$cat)")
    if spec["type"] == "area_stacked":
        geom = f'geom_area(position = "stack"{_geom_extra(o)})'
    else:
        alpha = o["area_alpha"] if len(spec["series"]) > 1 else 1.0
        geom = f'geom_area(position = "identity", alpha = {alpha}{_geom_extra(o)})'
    n = len(spec["categories"])
    return [
        *out,
        f"p <- ggplot(areas, aes(x = x, y = value, fill = series)) + {geom}",
        f"p <- p + scale_x_continuous(name = {_title(spec['x_label'])}, breaks = 1:{n},"
        f" labels = {_c(spec['categories'])})",
    ]


def _scatter(spec: dict[str, Any]) -> list[str]:
    o = spec["options"]
    rows = [(x, y, s["name"]) for s in spec["series"] for x, y in s["points"]]
    levels = [s["name"] for s in spec["series"]]
    return [
        f"pts <- data.frame(x = {_c([r[0] for r in rows])}, y = {_c([r[1] for r in rows])},",
        f"  series = factor({_c([r[2] for r in rows])}, levels = {_c(levels)}))",
        f"p <- ggplot(pts, aes(x = x, y = y, colour = series)) + geom_point(size ="
        f" {o['point_size']}, shape = {o['shape']})",
        f"p <- p + scale_x_continuous(name = {_title(spec['x_label'])})",
    ]


def _pie(spec: dict[str, Any]) -> list[str]:
    o = spec["options"]
    cats, raw = spec["categories"], spec["raw_values"]
    out = [
        f"slices <- data.frame(cat = factor({_c(cats)}, levels = {_c(cats)}), value = {_c(raw)})",
        f"p <- ggplot(slices, aes(x = 2, y = value, fill = cat)) + geom_col(width = 1"
        f'{_geom_extra(o)}) + coord_polar(theta = "y")',
    ]
    if spec["type"] == "doughnut":
        out.append(f"p <- p + xlim(c({o['hole']}, 2.5))")
    if o["pie_percent"]:
        share = [f"{100 * v:.1f}%" for v in spec["series"][0]["values"]]
        out += [
            f"slices$label <- {_c(share)}",
            f"p <- p + geom_text(data = slices, aes(label = label), position ="
            f" position_stack(vjust = 0.5), size = {o['base_size'] * 0.28:.2f})",
        ]
    if palette := _palette(o, "fill"):
        out.append(f"p <- p + {palette}")
    return out


def _theme(spec: dict[str, Any]) -> list[str]:
    o, ctype = spec["options"], spec["type"]
    base = f"base_size = {o['base_size']}, base_family = {_q(o['family'])}"
    theme = "void" if ctype in PIES else o["theme"]
    out = [f"p <- p + theme_{theme}({base})"]
    if spec["title"]:
        out.append(f"p <- p + ggtitle({_q(spec['title'])})")
    legend = o["legend"]
    if legend == "inside":
        out.append(
            "p <- p + theme(legend.position = c(0.98, 0.98), legend.justification = c(1, 1))"
        )
    else:
        out.append(f"p <- p + theme(legend.position = {_q(legend)})")
    if o["legend_title"] is None:
        out.append("p <- p + theme(legend.title = element_blank())")
    else:
        out.append(
            f"p <- p + labs(fill = {_q(o['legend_title'])}, colour = {_q(o['legend_title'])})"
        )
    if ctype not in PIES and _rotated(spec):
        out.append(
            f"p <- p + theme(axis.text.x = element_text(angle = {o['angle']}, hjust = 1,"
            f" vjust = {1 if o['angle'] == 45 else 0.5}))"
        )
        if o["angle"] == 45 and ctype not in HORIZONTAL:
            # ggplot2 leaves no room for a slanted first label reaching left of the plot:
            # as a user would, a left margin so it is not cut off at the page's edge.
            first = max(len(line) for line in (spec["categories"] or [""])[0].split("\n"))
            out.append(
                f"p <- p + theme(plot.margin = margin(5.5, 5.5, 5.5,"
                f" {max(5.5, 0.45 * o['base_size'] * first):.1f}))"
            )
    return out


def _axes(spec: dict[str, Any]) -> list[str]:
    o, ctype = spec["options"], spec["type"]
    out = []
    if ctype == "scatter":
        labels = _labels(spec["number_format"], o["general_format"])
        out.append(
            f"p <- p + scale_y_continuous(name = {_title(spec['y_label'])}, labels = {labels})"
        )
    elif ctype != "bar_line_secondary":
        out.append(f"p <- p + {_value_scale(spec)}")
    if ctype not in {"scatter", "line_date", "area", "area_stacked"} and not o["numeric_x"]:
        out.append(f"p <- p + xlab({_title(spec['x_label'])})")
    if ctype in HORIZONTAL:
        out.append("p <- p + coord_flip()")
    aesthetic = "colour" if ctype.startswith(("line", "scatter")) else "fill"
    if palette := _palette(o, aesthetic):
        out.append(f"p <- p + {palette}")
    return out


def chart_code(spec: dict[str, Any], folder: Path) -> str:
    """The R code that draws one chart as its PDF and its PNG."""
    o, ctype = spec["options"], spec["type"]
    if ctype in PIES:
        body = _pie(spec)
    elif ctype == "scatter":
        body = _scatter(spec)
    elif ctype.startswith("line"):
        body = _lines(spec)
    elif ctype.startswith("area"):
        body = _areas(spec)
    else:
        body = _bars(spec)
        if ctype.startswith("bar_line"):
            body += _line_over_bars(spec)
    if ctype not in PIES:
        body += _axes(spec)
    body += _theme(spec)
    width, height = o["size"]
    pdf = _q(str(folder / spec["files"]["pdf"]))
    png = _q(str(folder / spec["files"]["png"]))
    device = (
        'device = grDevices::pdf, encoding = "WinAnsi.enc"'
        if o["pdf_device"] == "pdf"
        else "device = grDevices::cairo_pdf"
    )
    save = [
        f"ggsave({pdf}, p, width = {width}, height = {height}, {device})",
        f'ggsave({png}, p, width = {width}, height = {height}, dpi = {o["dpi"]}, type = "cairo")',
    ]
    lines = body + save
    inner = "\n    ".join(lines)
    failed = f'message("FAILED {spec["id"]}: ", conditionMessage(e))'
    # A chart's error is reported by its name.
    return (
        f"local({{\n  tryCatch({{\n    {inner}\n  }},"
        f" error = function(e) {{\n    {failed}\n  }})\n}})\n"
    )


# --------------------------------------------------------------------------- build


def _run(path: Path, chart: str) -> None:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    try:
        done = subprocess.run(
            ["Rscript", str(path)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise SystemExit(f"Rscript took over 600 s on chart {chart}") from None
    failed = [line for line in done.stderr.splitlines() if line.startswith("FAILED")]
    if done.returncode or failed:
        message = " ".join((failed or done.stderr.split())[-3:])[-600:]
        raise SystemExit(f"ggplot2 failed: {message}")


def build_ggplot(
    specs: list[dict[str, Any]], folder: Path, finish: Callable[[dict[str, Any]], None]
) -> None:
    """Runs each chart's R code in an ``Rscript`` of its own.

    Charts drawn one after another in one R session came out differently from the same
    chart drawn alone (a session's state carries over), so each is drawn alone: a chart
    is the same whatever else the set holds.
    """
    if shutil.which("Rscript") is None:
        raise SystemExit("R is not installed: apt-get install -y r-base-core r-cran-ggplot2")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            path = Path(tmp) / f"{spec['id']}.R"
            code = ["suppressPackageStartupMessages(library(ggplot2))", chart_code(spec, folder)]
            path.write_text("\n".join(code), encoding="utf-8")
            _run(path, spec["id"])
            finish(spec)
