"""Chart reading on a rendered dev set: LibreOffice, matplotlib (in its own styles and in
styles drawn at random), plotly, Chart.js, gnuplot, ggplot2 and (held out) pygal and bokeh
charts.

    python benchmarks/charts_rendered.py [--renderer R[,R]] [--type T[,T]] [--format pdf|png]
        [--limit N] [--rebuild] [--build-only] [--jobs N] [-v] [--json PATH] [--compare OLD]

The dev set is made once and cached (``benchmarks/.cache/charts_rendered/<renderer>/``); a
later run only builds what is missing (or whose ground truth changed), so an interrupted
build resumes. Every chart's data come from a random generator seeded by the chart's name
(same seed, same data), and every chart exists as a vector PDF and a PNG, with its ground
truth beside them (``<id>.json``).

Renderers:

* ``libreoffice``: an ``.xlsx`` written with XlsxWriter (the data on a hidden sheet, the chart
  on a landscape chartsheet, so the page shows the chart alone; a few charts instead sit on a
  worksheet page above their data cells, a data table under the plot), converted to PDF by
  one ``soffice --headless --convert-to pdf`` call per batch. LibreOffice 7.4 has no raster
  export for a spreadsheet's chart page (``calc_png_Export`` fails on it), so the PNG is the
  LibreOffice PDF rasterised by ``pdftoppm`` (80 to 200 dpi). Chart data tables
  (``set_table``) are not drawn by LibreOffice 7.4, hence the data cells under the chart;
  XlsxWriter has no drop shadows, so charts vary by borders instead.
* ``matplotlib``: seven built-in styles, saved as PDF and as PNG (80 to 200 dpi).
* ``styled``: matplotlib under a look drawn at random per chart (``render_styled.py``:
  fonts, sizes, plot and page grounds light and dark, spines, tick directions, grids,
  palettes named, ramped and hue-spaced, line widths, bar outlines, legend frames and
  shadows), so that the reader is developed on many looks rather than a few fixed ones.
* ``restyled`` (held out): more charts of the ``styled`` kind, their looks drawn afresh
  (other seeds): whether the reader holds on looks of that kind it was not shown.
* ``plotly``: a web charting library's looks, seven built-in templates, drawn by plotly.js in
  a headless Chromium (``render_plotly.py``): the PNG a screenshot, the PDF the page printed.
* ``chartjs``: a canvas library's looks, Chart.js 2.9 (the copy the ``django-chartjs`` package
  ships) in a headless Chromium (``render_chartjs.py``): the PNG a screenshot of the canvas,
  the PDF the page printed (the canvas an image in it).
* ``pygal`` (held out: the reader is not tuned on it): SVG converted to PDF and PNG by
  cairosvg, the PNG on white. No two-line labels, bar+line or secondary-axis charts: pygal
  prints no line breaks in labels and draws no bars and lines in one chart.
* ``bokeh`` (held out): a second web charting library's looks, bokeh's built-in themes, drawn
  with its SVG backend by BokehJS in a headless Chromium (``render_bokeh.py``): the PNG a
  screenshot, the PDF the page printed.
* ``gnuplot``: a plotting program's looks, a gnuplot 5.4 script per chart with a look drawn at
  random (``render_gnuplot.py``): the PDF from its ``pdfcairo`` terminal, the PNG from
  ``pngcairo`` at 80 to 200 pixels per inch.
* ``ggplot``: R's ggplot2 3.4 (``render_ggplot.py``), its complete themes, palettes and key
  places drawn at random: the PDF from R's ``pdf`` or ``cairo_pdf`` device, the PNG from its
  cairo ``png`` device at 80 to 200 pixels per inch (on a transparent ground where the theme
  draws none, as ``ggsave`` leaves it).

Ground truth holds what the chart displays: categories as printed; per series its name, value
axis and values (percent-stacked charts: each segment's share in percent, 25.0 for 25%;
stacked charts: each segment's own value; charts whose axis is formatted as a percentage:
percent units; pies and doughnuts: shares in 0..1; scatter: (x, y) pairs), and the span that
sets the tolerance: ``max(values, 0) - min(values, 0)`` per value axis, 1 for pies, and
``max(x) - min(x)`` for numeric x.

Scoring reads every file with ``docvlm.extract(path, schema="chart")`` and takes the first
record. A ground-truth value is right when an unused predicted point has the right series
(the legend name, case and spacing aside, when the chart has several series), the right
category (the printed label, spacing and case aside; numbers compare as numbers and dates as
dates; numeric x within the tolerance, and then x is scored too) and a value within the
tolerance of the span: 1% for PDF, 5% for PNG.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import datetime as dt
import json
import math
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from chart_kinds import HORIZONTAL, PIES, STACKED, number_text

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache" / "charts_rendered"
SEED = 20250601
# Stored in every chart's ground truth: bump it when a renderer draws differently, so that
# cached charts are made again.
GENERATOR = 3
TOLERANCE = {"pdf": 0.01, "png": 0.05}
FORMATS = ("pdf", "png")

TYPES = (
    "column",
    "column_stacked",
    "column_percent",
    "bar",
    "bar_stacked",
    "column_numeric",
    "column_two_line",
    "line",
    "line_markers",
    "line_date",
    "scatter",
    "area",
    "area_stacked",
    "pie",
    "doughnut",
    "bar_line",
    "bar_line_secondary",
)
# pygal prints no line breaks in axis labels and draws no bars and lines in one chart.
PYGAL_TYPES = tuple(
    t for t in TYPES if t not in {"column_two_line", "bar_line", "bar_line_secondary"}
)
RENDERERS: dict[str, tuple[tuple[str, ...], int]] = {
    "libreoffice": (TYPES, 5),
    "matplotlib": (TYPES, 5),
    "plotly": (TYPES, 5),
    "chartjs": (TYPES, 3),
    "styled": (TYPES, 12),
    "restyled": (TYPES, 3),
    "pygal": (PYGAL_TYPES, 3),
    "bokeh": (TYPES, 3),
    "gnuplot": (TYPES, 4),
    "ggplot": (TYPES, 6),
}
HELD_OUT = frozenset({"restyled", "pygal", "bokeh"})

BARS = {
    "column",
    "column_stacked",
    "column_percent",
    "bar",
    "bar_stacked",
    "column_numeric",
    "column_two_line",
}
NEGATIVE_OK = {
    "column",
    "bar",
    "column_numeric",
    "column_two_line",
    "line",
    "line_markers",
    "line_date",
    "scatter",
    "area",
    "bar_line",
    "bar_line_secondary",
}
# The Chart.chart_type values that are right for each type.
CHART_TYPE: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(BARS, ("bar",)),
    **dict.fromkeys(("line", "line_markers", "line_date"), ("line",)),
    "scatter": ("scatter",),
    "area": ("area",),
    "area_stacked": ("area",),
    "pie": ("pie",),
    "doughnut": ("pie",),
    "bar_line": ("bar", "other"),
    "bar_line_secondary": ("bar", "other"),
}

# --------------------------------------------------------------------------- data

WORDS = {
    "fruit": (
        "Fruit",
        "Apples Pears Cherries Plums Grapes Lemons Oranges Peaches Mangoes Kiwis Melons Figs",
    ),
    "region": (
        "Region",
        "North South East West Central Coastal Alpine Island Metro Rural Border Overseas",
    ),
    "product": (
        "Product",
        "Laptops Phones Tablets Monitors Printers Cameras Routers Speakers Drones Watches "
        "Consoles Scanners",
    ),
    "french": (
        "Secteur",
        "Élevage Céréales Forêt Pêche Bâtiment Énergie Santé Éducation Hôtellerie Défense "
        "Crème Château",
    ),
    "german": (
        "Kategorie",
        "Äpfel Bücher Gemüse Käse Straße Fahrräder Schlösser Brötchen Öl Übersee Größe Müll",
    ),
    "spanish": (
        "Categoría",
        "Año Niños Señal Educación Cañón Región Energía Montaña Jardín Corazón Mañana Azúcar",
    ),
}
LONG_NAMES = (
    "Research & Development",
    "Sales and Marketing",
    "Customer Support Services",
    "Infrastructure Operations",
    "Human Resources",
    "Legal and Compliance",
    "Logistics & Warehousing",
    "Quality Assurance Team",
)
CITIES = (
    "Zürich",
    "Málaga",
    "Besançon",
    "Köln",
    "Montréal",
    "Genève",
    "Córdoba",
    "München",
    "Nîmes",
    "Sevilla",
    "Göteborg",
    "Lyon",
)
SERIES_NAMES = (
    "Revenue",
    "Costs",
    "Profit",
    "Forecast",
    "Budget",
    "Actual",
    "Exports",
    "Imports",
    "Ventes",
    "Umsatz",
    "Ingresos",
    "Bénéfice",
    "Product A",
    "Product B",
    "Online",
    "Retail",
    "Wholesale",
    "Nord",
    "Süd",
    "2023",
    "2024",
    "Team Alpha",
    "Dépenses",
    "Größe",
)
TITLES = (
    "Quarterly results",
    "Sales by category",
    "Regional performance",
    "Annual overview",
    "Ventes par secteur",
    "Umsatz nach Kategorie",
    "Ingresos por región",
    "Operating figures",
    "Market development",
    "Production volume",
    "Budget vs. actual",
    "Key indicators",
)
VALUE_TITLES = {
    "general": ("Value", "Units", "Tonnes", "Volume", "Menge", "Índice", "Score"),
    "percent": ("Share (%)", "Rate", "Growth", "Taux", "Anteil"),
    "thousands": ("Units sold", "Visitors", "Population", "Einwohner"),
    "dollar": ("Revenue (USD)", "Sales", "Cost"),
    "euro": ("Umsatz (EUR)", "Chiffre d'affaires", "Ventas"),
    "pound": ("Price (GBP)", "Spend"),
}
SCATTER_X = ("Temperature (°C)", "Distance (km)", "Age", "Dosage (mg)", "Höhe (m)", "Price")
MAGNITUDES = {
    "general": (0.01, 0.1, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000),
    "percent": (10,),
    "thousands": (1_000, 10_000, 100_000, 1_000_000),
    "dollar": (10, 100, 1_000, 10_000, 100_000),
    "euro": (10, 100, 1_000, 10_000, 100_000),
    "pound": (1, 10, 100),
}
MONTHS = list(calendar.month_abbr)[1:]
MONTHS_FULL = list(calendar.month_name)[1:]
# (name, strftime format as printed, the same format in spreadsheet syntax, step, step unit)
DATE_KINDS = (
    ("monthly", "%b %Y", "mmm yyyy", 1, "months"),
    ("quarterly", "%b %Y", "mmm yyyy", 3, "months"),
    ("weekly", "%Y-%m-%d", "yyyy-mm-dd", 7, "days"),
    ("fortnightly", "%d %b %Y", "dd mmm yyyy", 14, "days"),
)


def sig(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def _pick_format(rng: random.Random, ctype: str) -> str:
    if ctype in PIES or ctype == "column_percent":
        return "general"
    return rng.choices(
        ("general", "percent", "thousands", "dollar", "euro", "pound"), (6, 2, 2, 1, 1, 1)
    )[0]


def _scale(rng: random.Random, number_format: str) -> float:
    """The largest value of a chart's axis: one magnitude per axis."""
    return rng.choice(MAGNITUDES[number_format]) * rng.uniform(1.0, 9.5)


def _values(
    rng: random.Random, n: int, scale: float, number_format: str, negative: bool, smooth: bool
) -> list[float]:
    base = scale * rng.uniform(0.4, 1.0)
    level = rng.uniform(0.3, 1.0)
    out = []
    for _ in range(n):
        if smooth:  # a random walk that bounces off 0.05 and 1
            level += rng.uniform(-0.25, 0.25)
            level = 0.1 - level if level < 0.05 else 2.0 - level if level > 1.0 else level
        else:
            level = rng.uniform(0.08, 1.0)
        value = base * level - (base * 0.45 if negative else 0.0)
        out.append(round(value, 1) if number_format == "percent" else sig(value))
    return out


def _categories(
    rng: random.Random, ctype: str, n: int
) -> tuple[list[str], list[str] | None, str, dict[str, Any]]:
    """(labels as printed, ISO dates for a date axis, category axis title, date settings)."""
    if ctype == "line_date":
        name, fmt, sheet_fmt, step, unit = rng.choice(DATE_KINDS)
        if unit == "months":
            year, month = rng.randint(2012, 2024), rng.randint(1, 12)
            dates = []
            for i in range(n):
                m = month - 1 + i * step
                dates.append(dt.date(year + m // 12, m % 12 + 1, 1))
        else:
            start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3000))
            dates = [start + dt.timedelta(days=step * i) for i in range(n)]
        labels = [d.strftime(fmt) for d in dates]
        settings = {"kind": name, "format": fmt, "sheet_format": sheet_fmt, "step": step}
        settings["unit"] = unit
        title = rng.choice(("Date", "Month" if unit == "months" else "Week"))
        return labels, [d.isoformat() for d in dates], title, settings
    if ctype == "column_numeric":
        kind = rng.choice(("small", "years", "halves"))
        if kind == "years":
            start = rng.randint(1995, 2015)
            return [str(start + i) for i in range(n)], None, "Year", {}
        if kind == "halves":
            start = rng.randint(0, 6) / 2
            return [f"{start + i / 2:g}" for i in range(n)], None, "Size", {}
        start = rng.randint(1, 20)
        return [str(start + i) for i in range(n)], None, rng.choice(("Group", "Level", "Day")), {}
    if ctype == "column_two_line":
        if rng.random() < 0.5:
            year, quarter = rng.randint(2015, 2023), rng.randint(0, 3)
            labels = [f"Q{(quarter + i) % 4 + 1}\n{year + (quarter + i) // 4}" for i in range(n)]
            return labels, None, "Quarter", {}
        cities = rng.sample(CITIES, n)
        return [f"Store {i + 1}\n{city}" for i, city in enumerate(cities)], None, "Store", {}
    kind = rng.choices(("months", "years", "long", *WORDS), (3, 2, 1, 2, 2, 2, 1, 1, 1))[0]
    if kind == "months":
        names = MONTHS if rng.random() < 0.7 else MONTHS_FULL
        start = rng.randint(0, 12 - n)
        return names[start : start + n], None, rng.choice(("Month", "Mois", "Monat")), {}
    if kind == "years":
        start = rng.randint(1990, 2024 - n)
        return [str(start + i) for i in range(n)], None, "Year", {}
    if kind == "long":
        return rng.sample(LONG_NAMES, min(n, len(LONG_NAMES))), None, "Department", {}
    title, words = WORDS[kind]
    picked = sorted(rng.sample(range(12), n))
    return [words.split()[i] for i in picked], None, title, {}


def make_spec(renderer: str, ctype: str, k: int, seed: int = SEED) -> dict[str, Any]:
    """The chart ``k`` of this type for this renderer: its data and its rendering options."""
    rng = random.Random(f"{seed}:{renderer}:{ctype}:{k}")
    cid = f"{renderer}-{ctype}-{k:02d}"
    if ctype in PIES:
        n_series, n = 1, rng.randint(3, 8)
    elif ctype == "scatter":
        n_series, n = rng.randint(1, 3), rng.randint(5, 20)
    elif ctype == "area":
        n_series, n = rng.choice((1, 1, 2, 3)), rng.randint(4, 12)
    elif ctype in ("bar_line", "bar_line_secondary"):  # bars and one line
        n_series, n = rng.randint(1, 3 if ctype == "bar_line" else 2) + 1, rng.randint(3, 12)
    elif ctype in STACKED:
        n_series, n = rng.randint(2, 5), rng.randint(3, 12)
    else:
        n_series, n = rng.choices((1, 2, 3, 4, 5), (3, 3, 3, 2, 1))[0], rng.randint(3, 12)
    if ctype == "line_date":
        n = max(n, 4)
    if ctype in ("column_two_line",):
        n = min(n, 8)
    number_format = _pick_format(rng, ctype)
    negative = ctype in NEGATIVE_OK and rng.random() < 0.3
    smooth = ctype.startswith(("line", "area")) or ctype == "bar_line"
    names = rng.sample(SERIES_NAMES, n_series)
    spec: dict[str, Any] = {
        "id": cid,
        "renderer": renderer,
        "held_out": renderer in HELD_OUT,
        "type": ctype,
        "seed": seed,
        "generator": GENERATOR,
        "title": rng.choice(TITLES) if rng.random() < 0.9 else None,
        "number_format": number_format,
    }
    series: list[dict[str, Any]] = []
    if ctype == "scatter":
        x_magnitudes = rng.choice(("general", "general", "thousands"))
        x_scale, x_negative = _scale(rng, x_magnitudes), rng.random() < 0.3
        scale = _scale(rng, number_format)
        for name in names:
            m = rng.randint(max(5, n - 5), n)
            xs = _values(rng, m, x_scale, x_magnitudes, x_negative, False)
            xs = sorted({sig(x) for x in xs})
            ys = _values(rng, len(xs), scale, number_format, negative, False)
            series.append(
                {
                    "name": name,
                    "axis": "primary",
                    "mark": "point",
                    "points": list(zip(xs, ys, strict=True)),
                }
            )
        spec.update(x_label=rng.choice(SCATTER_X), y_label=rng.choice(VALUE_TITLES[number_format]))
        spec["categories"] = None
    else:
        labels, dates, cat_title, date_settings = _categories(rng, ctype, n)
        n = len(labels)
        spec["categories"] = labels
        if dates:
            spec["category_dates"] = dates
            spec["date_axis"] = date_settings
        if ctype in PIES:
            raw = _values(rng, n, _scale(rng, "general"), "general", False, False)
            total = sum(raw)
            spec["raw_values"] = raw
            series.append(
                {
                    "name": names[0],
                    "axis": "primary",
                    "mark": "slice",
                    "values": [v / total for v in raw],
                }
            )
            spec.update(x_label=None, y_label=None)
        else:
            mark = "area" if ctype.startswith("area") else "line" if ctype[0] == "l" else "bar"
            line_format = number_format
            if ctype == "bar_line_secondary":
                line_format = rng.choice(
                    [f for f in ("general", "percent", "thousands") if f != number_format]
                )
            scale = {number_format: _scale(rng, number_format)}
            scale[line_format] = scale.get(line_format) or _scale(rng, line_format)
            for j, name in enumerate(names):
                is_line = ctype.startswith("bar_line") and j == n_series - 1
                fmt = line_format if is_line else number_format
                below_zero = negative and ctype not in STACKED and fmt == number_format
                values = _values(rng, n, scale[fmt], fmt, below_zero, smooth or is_line)
                series.append(
                    {
                        "name": name,
                        "axis": "secondary"
                        if is_line and ctype == "bar_line_secondary"
                        else "primary",
                        "mark": "line" if is_line else mark,
                        "values": values,
                    }
                )
            if ctype == "column_percent":  # the chart shows each segment's share
                raw = spec["raw_values"] = [list(s["values"]) for s in series]
                for i in range(n):
                    total = sum(r[i] for r in raw)
                    for s, r in zip(series, raw, strict=True):
                        s["values"][i] = 100 * r[i] / total
            spec.update(
                x_label=cat_title if rng.random() < 0.8 else None,
                y_label=rng.choice(VALUE_TITLES[number_format]) if rng.random() < 0.85 else None,
            )
            if ctype == "column_percent":
                spec["y_label"] = rng.choice(("Share", "Mix", "Anteil", None))
            if ctype == "bar_line_secondary":
                spec["y2_label"] = rng.choice(VALUE_TITLES[line_format])
                spec["y2_number_format"] = line_format
    spec["series"] = series
    spec["span"] = spans(spec)
    spec["options"] = OPTIONS[renderer](rng, spec)
    spec["files"] = {fmt: f"{cid}.{fmt}" for fmt in FORMATS}
    return spec


def _ys(series: dict[str, Any]) -> list[float]:
    return series["values"] if "values" in series else [p[1] for p in series["points"]]


def spans(spec: dict[str, Any]) -> dict[str, float]:
    if spec["type"] in PIES:
        return {"primary": 1.0}
    out: dict[str, float] = {}
    for axis in ("primary", "secondary"):
        ys = [y for s in spec["series"] if s["axis"] == axis for y in _ys(s)]
        if ys:
            out[axis] = (max(max(ys), 0.0) - min(min(ys), 0.0)) or 1.0
    if spec["type"] == "scatter":
        xs = [p[0] for s in spec["series"] for p in s["points"]]
        out["x"] = (max(xs) - min(xs)) or 1.0
    return out


def _crowded(spec: dict[str, Any]) -> bool:
    """Whether a horizontal category axis needs its labels slanted."""
    labels = spec["categories"] or []
    longest = max((len(line) for label in labels for line in label.split("\n")), default=0)
    return spec["type"] not in HORIZONTAL and (len(labels) > 8 or longest > 12)


def _libreoffice_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype, n_series = spec["type"], len(spec["series"])
    layout = "chartsheet"
    if (
        ctype not in PIES | {"scatter", "line_date"}
        and len(spec["categories"]) <= 8
        and rng.random() < 0.15
    ):
        layout = "cells"
    legend = rng.choice(("right", "right", "bottom", "top"))
    if n_series == 1 and rng.random() < 0.5:
        legend = "none"
    style = rng.choice((None, None, 2, 10, 18, 26, 34, 42, 44, 48))
    plot_fill = rng.choice((None, None, None, "#F2F2F2", "gradient"))
    return {
        "style": style,
        "layout": layout,
        "legend": legend,
        "gridlines": rng.choice(("solid", "solid", "dash", "minor", "none")),
        "fill": rng.choice(("solid", "solid", "solid", "gradient", "pattern"))
        if ctype in BARS | PIES | {"area", "area_stacked", "bar_line", "bar_line_secondary"}
        else "solid",
        "data_labels": ctype not in {"column_percent", "scatter"}
        and (ctype in PIES or mark_is_bar(ctype))
        and rng.random() < 0.3,
        "border": rng.random() < 0.35,
        "plot_fill": plot_fill if (style or 0) < 41 else None,  # 41-48 are dark styles
        "marker": rng.choice(("circle", "square", "diamond", "triangle", "x")),
        "hole": rng.randint(30, 70),
        "dpi": rng.choice((80, 100, 120, 150, 200)),
        "rotate_labels": _crowded(spec),
    }


def mark_is_bar(ctype: str) -> bool:
    return ctype in BARS or ctype.startswith("bar_line")


MPL_STYLES = (
    "default",
    "ggplot",
    "seaborn-v0_8",
    "bmh",
    "fivethirtyeight",
    "grayscale",
    "dark_background",
)


def _matplotlib_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype, n_series = spec["type"], len(spec["series"])
    legend = rng.choice(("best", "upper right", "upper left", "outside right", "below"))
    if n_series == 1 and ctype not in PIES and rng.random() < 0.5:
        legend = "none"
    if ctype in PIES:
        legend = rng.choice(("labels", "outside right", "labels"))
    return {
        "style": MPL_STYLES[(TYPES.index(ctype) * 3 + int(spec["id"][-2:])) % len(MPL_STYLES)],
        "legend": legend,
        "data_labels": mark_is_bar(ctype) and ctype != "column_percent" and rng.random() < 0.35,
        "pie_percent": ctype in PIES and rng.random() < 0.5,
        "hatch": mark_is_bar(ctype) and rng.random() < 0.25,
        "figsize": rng.choice(((6.4, 4.8), (8.0, 5.0), (7.0, 4.5), (10.0, 6.0))),
        "dpi": rng.choice((80, 100, 120, 150, 200)),
        "rotate_labels": _crowded(spec),
    }


PYGAL_STYLES = (
    "DefaultStyle",
    "LightStyle",
    "CleanStyle",
    "DarkStyle",
    "NeonStyle",
    "BlueStyle",
    "LightColorizedStyle",
    "RedBlueStyle",
    "TurquoiseStyle",
    "LightSolarizedStyle",
)


def _pygal_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "style": rng.choice(PYGAL_STYLES),
        "legend_at_bottom": rng.random() < 0.4,
        "show_legend": len(spec["series"]) > 1 or spec["type"] in PIES or rng.random() < 0.5,
        "print_values": mark_is_bar(spec["type"]) and rng.random() < 0.3,
        "size": rng.choice(((800, 500), (900, 560), (1000, 600))),
        "scale": rng.choice((1.0, 1.25, 1.5, 2.0)),
        "rotate_labels": _crowded(spec),
    }


def _plotly_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    from render_plotly import options

    return options(rng, spec)


def _chartjs_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    from render_chartjs import options

    return {**options(rng, spec), "rotate_labels": _crowded(spec)}


def _styled_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    from render_styled import style

    return {**_matplotlib_options(rng, spec), "style": style(rng)}


def _bokeh_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    from render_bokeh import options

    return {**options(rng, spec), "rotate_labels": _crowded(spec)}


def _gnuplot_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    from render_gnuplot import options

    return {**options(rng, spec), "rotate_labels": _crowded(spec)}


def _ggplot_options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    from render_ggplot import options

    return {**options(rng, spec), "rotate_labels": _crowded(spec)}


OPTIONS = {
    "libreoffice": _libreoffice_options,
    "matplotlib": _matplotlib_options,
    "plotly": _plotly_options,
    "chartjs": _chartjs_options,
    "styled": _styled_options,
    "restyled": _styled_options,
    "pygal": _pygal_options,
    "bokeh": _bokeh_options,
    "gnuplot": _gnuplot_options,
    "ggplot": _ggplot_options,
}


def all_specs(seed: int = SEED) -> list[dict[str, Any]]:
    """Every chart, interleaved (chart k of each renderer and type before chart k + 1) so that
    ``--limit`` takes a mix."""
    specs = []
    for k in range(max(count for _, count in RENDERERS.values())):
        for renderer, (types, count) in RENDERERS.items():
            if k < count:
                specs.extend(make_spec(renderer, ctype, k, seed) for ctype in types)
    return specs


# --------------------------------------------------------------------------- LibreOffice

SHEET_FORMATS = {
    "general": None,
    "percent": "0.0%",
    "thousands": "#,##0",
    "dollar": "$#,##0",
    "euro": '#,##0 "€"',
    "pound": "£#,##0.00",
}
AXIS_FORMATS = {**SHEET_FORMATS, "percent": "0%"}
PALETTE = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478", "#9E480E")
PATTERNS = (
    "wide_upward_diagonal",
    "percent_50",
    "small_grid",
    "dark_horizontal",
    "large_check",
    "dashed_downward_diagonal",
    "divot",
    "zigzag",
)
MARKERS = ("circle", "square", "diamond", "triangle", "x")


def _lighter(color: str, amount: float = 0.6) -> str:
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02X}" for c in rgb)


def _cell_value(value: float, number_format: str) -> float:
    return value / 100 if number_format == "percent" else value


def _series_fill(options: dict[str, Any], j: int, transparent: bool) -> dict[str, Any]:
    color = PALETTE[j % len(PALETTE)]
    if options["fill"] == "gradient":
        return {"gradient": {"colors": [_lighter(color), color]}}
    if options["fill"] == "pattern":
        pattern = PATTERNS[j % len(PATTERNS)]
        return {
            "pattern": {"pattern": pattern, "fg_color": color, "bg_color": _lighter(color, 0.75)}
        }
    if transparent:
        return {"fill": {"color": color, "transparency": 45}}
    return {}


def write_xlsx(spec: dict[str, Any], path: Path) -> None:
    """The chart as a workbook: the data on a hidden sheet and the chart on a chartsheet, or
    (layout ``cells``) the chart above its data cells on one worksheet page."""
    import xlsxwriter

    o, ctype = spec["options"], spec["type"]
    series, labels = spec["series"], spec["categories"]
    wb = xlsxwriter.Workbook(str(path))
    cells = o["layout"] == "cells"
    sheet = wb.add_worksheet("Report" if cells else "Data")
    sname = sheet.get_name()
    formats: dict[str | None, Any] = {}

    def fmt(number_format: str | None, **extra: Any) -> Any:
        key = f"{number_format}{sorted(extra.items())}"
        if key not in formats:
            props = dict(extra)
            if number_format:
                props["num_format"] = number_format
            formats[key] = wb.add_format(props)
        return formats[key]

    def series_format(s: dict[str, Any]) -> str:
        if s["axis"] == "secondary":
            return spec["y2_number_format"]
        return "general" if ctype == "column_percent" else spec["number_format"]

    # Data: categories in a column (a row under the chart for the cells layout), one column
    # (row) per series; scatter: an x and a y column per series.
    refs: list[tuple[list[Any], list[Any], list[Any]]] = []  # (name, categories, values)
    if ctype == "scatter":
        for j, s in enumerate(series):
            c = 2 * j
            sheet.write(0, c, f"{s['name']} x")
            sheet.write(0, c + 1, s["name"])
            for i, (x, y) in enumerate(s["points"]):
                sheet.write_number(1 + i, c, x)
                cell = _cell_value(y, spec["number_format"])
                sheet.write_number(1 + i, c + 1, cell, fmt(SHEET_FORMATS[spec["number_format"]]))
            m = len(s["points"])
            refs.append(([sname, 0, c + 1], [sname, 1, c, m, c], [sname, 1, c + 1, m, c + 1]))
    elif cells:
        top = 24
        head = fmt(None, bold=True, border=1, text_wrap=True)
        sheet.write(top, 0, "", head)
        for i, label in enumerate(labels):
            _write_category(sheet, top, 1 + i, label, None, head)
        values = spec.get("raw_values") or [s["values"] for s in series]
        for j, s in enumerate(series):
            number_format = series_format(s)
            sheet.write(top + 1 + j, 0, s["name"], head)
            for i, v in enumerate(values[j]):
                cell = fmt(SHEET_FORMATS[number_format], border=1)
                sheet.write_number(top + 1 + j, 1 + i, _cell_value(v, number_format), cell)
            n = len(labels)
            refs.append(
                (
                    [sname, top + 1 + j, 0],
                    [sname, top, 1, top, n],
                    [sname, top + 1 + j, 1, top + 1 + j, n],
                )
            )
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, len(labels), 11)
        sheet.set_row(top, 45)
    else:
        sheet.write(0, 0, "Category")
        date_format = fmt(spec["date_axis"]["sheet_format"]) if "date_axis" in spec else None
        dates = spec.get("category_dates") or [None] * len(labels)
        for i, (label, date) in enumerate(zip(labels, dates, strict=True)):
            _write_category(sheet, 1 + i, 0, label, date, date_format)
        values = spec.get("raw_values") or [s["values"] for s in series]
        if ctype in PIES:
            values = [spec["raw_values"]]
        n = len(labels)
        for j, s in enumerate(series):
            number_format = "general" if ctype in PIES else series_format(s)
            sheet.write(0, 1 + j, s["name"])
            for i, v in enumerate(values[j]):
                cell = _cell_value(v, number_format)
                sheet.write_number(1 + i, 1 + j, cell, fmt(SHEET_FORMATS[number_format]))
            refs.append(([sname, 0, 1 + j], [sname, 1, 0, n, 0], [sname, 1, 1 + j, n, 1 + j]))

    kind, subtype = {
        "column_stacked": ("column", "stacked"),
        "column_percent": ("column", "percent_stacked"),
        "bar": ("bar", None),
        "bar_stacked": ("bar", "stacked"),
        "area": ("area", None),
        "area_stacked": ("area", "stacked"),
        "scatter": ("scatter", None),
        "pie": ("pie", None),
        "doughnut": ("doughnut", None),
    }.get(ctype, ("line", None) if ctype.startswith("line") else ("column", None))
    chart = wb.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
    line_chart = None
    for j, (s, (name, cats, vals)) in enumerate(zip(series, refs, strict=True)):
        props: dict[str, Any] = {"name": name, "categories": cats, "values": vals}
        target = chart
        if s["mark"] == "line" and ctype.startswith("bar_line"):
            line_chart = line_chart or wb.add_chart({"type": "line"})
            target = line_chart
            props["marker"] = {"type": o["marker"], "size": 7}
            props["line"] = {"width": 2.25}
            if s["axis"] == "secondary":
                props["y2_axis"] = True
        elif ctype in PIES:
            if o["fill"] != "solid":  # else the style's colours
                props["points"] = [_series_fill(o, i, False) for i in range(len(labels))]
            if o["data_labels"] or o["legend"] == "none":
                props["data_labels"] = {"percentage": True, "category": o["legend"] == "none"}
        elif kind == "line":
            if ctype == "line_markers":
                props["marker"] = {"type": MARKERS[(MARKERS.index(o["marker"]) + j) % 5], "size": 7}
            else:
                props["marker"] = {"type": "none"}
        elif kind == "scatter":
            color = PALETTE[j % len(PALETTE)]
            props["marker"] = {
                "type": MARKERS[(MARKERS.index(o["marker"]) + j) % 5],
                "size": 7,
                "fill": {"color": color},
                "border": {"color": color},
            }
        else:
            props.update(_series_fill(o, j, kind == "area" and len(series) > 1))
            if o["border"] and kind != "area":
                props["border"] = {"color": "#404040", "width": 0.75}
        if o["data_labels"] and s["mark"] == "bar":
            labels_props: dict[str, Any] = {"value": True}
            if SHEET_FORMATS[spec["number_format"]]:
                labels_props["num_format"] = SHEET_FORMATS[spec["number_format"]]
            if subtype == "stacked":
                labels_props["position"] = "center"
            props["data_labels"] = labels_props
        target.add_series(props)
    if line_chart is not None:
        chart.combine(line_chart)

    chart.set_title({"name": spec["title"]} if spec["title"] else {"none": True})
    if o["style"]:
        chart.set_style(o["style"])
    if o["legend"] == "none":
        chart.set_legend({"none": True})
    else:
        chart.set_legend({"position": o["legend"]})
    if ctype not in PIES:
        value_axis: dict[str, Any] = {}
        if spec["y_label"]:
            value_axis["name"] = spec["y_label"]
        number_format = AXIS_FORMATS[spec["number_format"]]
        if number_format and ctype != "column_percent":
            value_axis["num_format"] = number_format
        grid = {"visible": o["gridlines"] != "none"}
        if o["gridlines"] == "dash":
            grid["line"] = {"dash_type": "dash", "color": "#A6A6A6"}
        value_axis["major_gridlines"] = grid
        if o["gridlines"] == "minor":
            value_axis["minor_gridlines"] = {"visible": True, "line": {"color": "#E0E0E0"}}
        category_axis: dict[str, Any] = {}
        if spec["x_label"]:
            category_axis["name"] = spec["x_label"]
        if ctype != "scatter":
            category_axis["interval_unit"] = 1
        if any(y < 0 for s in series for y in _ys(s)):  # keep category labels off the plot
            category_axis["label_position"] = "low"
        if ctype == "scatter":
            value_axis["label_position"] = "low"
        if "date_axis" in spec:
            d = spec["date_axis"]
            category_axis.update(
                date_axis=True,
                num_format=d["sheet_format"],
                base_unit=d["unit"],
                major_unit=d["step"],
                major_unit_type=d["unit"],
                num_font={"rotation": -45},
            )
        elif o["rotate_labels"]:
            category_axis["num_font"] = {"rotation": -45}
        if ctype in HORIZONTAL:  # XlsxWriter's x axis is a bar chart's value axis
            chart.set_x_axis(value_axis)
            chart.set_y_axis(category_axis)
        else:
            chart.set_x_axis(category_axis)
            chart.set_y_axis(value_axis)
        if line_chart is not None and ctype == "bar_line_secondary":
            axis2: dict[str, Any] = {"name": spec["y2_label"]}
            if AXIS_FORMATS[spec["y2_number_format"]]:
                axis2["num_format"] = AXIS_FORMATS[spec["y2_number_format"]]
            line_chart.set_y2_axis(axis2)
    elif ctype == "doughnut":
        chart.set_hole_size(o["hole"])
    if o["border"]:
        chart.set_chartarea({"border": {"color": "#1F3864", "width": 1.5}})
    if o["plot_fill"] == "gradient" and ctype not in PIES:
        chart.set_plotarea({"gradient": {"colors": ["#FFFFFF", "#DCE6F2"]}})
    elif o["plot_fill"] and ctype not in PIES:
        chart.set_plotarea({"fill": {"color": o["plot_fill"]}})

    if cells:  # columns: 14 characters (103 px) for the names, 11 (82 px) per category
        width = max(560, 103 + 82 * len(labels))
        chart.set_size({"width": width, "height": 460})
        sheet.insert_chart(0, 0, chart, {"x_offset": 2, "y_offset": 2})
        sheet.set_landscape()
        sheet.fit_to_pages(1, 1)
        sheet.print_area(0, 0, 24 + len(series), math.ceil((width + 4 - 103) / 82))
        sheet.hide_gridlines(2)
        sheet.set_margins(0.4, 0.4, 0.4, 0.4)
    else:
        chartsheet = wb.add_chartsheet("Chart")
        chartsheet.set_chart(chart)
        chartsheet.set_landscape()
        chartsheet.set_margins(0.3, 0.3, 0.3, 0.3)
        chartsheet.activate()
        sheet.hide()
    wb.close()


def _write_category(
    sheet: Any, row: int, col: int, label: str, date: str | None, cell_format: Any
) -> None:
    """A category cell: a date for a date axis, a number for numeric labels, else text."""
    if date:
        sheet.write_datetime(row, col, dt.datetime.fromisoformat(date), cell_format)
    elif _is_number(label):
        sheet.write_number(row, col, float(label), cell_format)
    else:
        sheet.write_string(row, col, label, cell_format)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def build_libreoffice(specs: list[dict[str, Any]], folder: Path, finish: Any) -> None:
    """Writes the workbooks, converts them in batches with one soffice call each, and
    rasterises the PDFs; ``finish(spec)`` after each chart's files are made."""
    import pymupdf

    sheets = folder / "xlsx"
    sheets.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        write_xlsx(spec, sheets / f"{spec['id']}.xlsx")
    profile = CACHE / "lo-profile"
    for start in range(0, len(specs), 40):
        batch = specs[start : start + 40]
        with tempfile.TemporaryDirectory() as tmp:
            command = [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                *(str(sheets / f"{s['id']}.xlsx") for s in batch),
            ]
            print(f"  soffice: {len(batch)} workbooks", flush=True)
            subprocess.run(command, check=True, capture_output=True, timeout=900)
            for spec in batch:
                made = Path(tmp) / f"{spec['id']}.pdf"
                if not made.exists():
                    raise RuntimeError(f"LibreOffice made no PDF for {spec['id']}")
                with pymupdf.open(made) as doc:
                    if doc.page_count != 1:
                        raise RuntimeError(f"{spec['id']}: {doc.page_count} pages, expected 1")
                shutil.move(made, folder / spec["files"]["pdf"])
        for spec in batch:
            png = folder / spec["files"]["png"]
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(spec["options"]["dpi"]),
                    "-png",
                    "-singlefile",
                    str(folder / spec["files"]["pdf"]),
                    str(png.with_suffix("")),
                ],
                check=True,
            )
            finish(spec)


# --------------------------------------------------------------------------- matplotlib


HATCHES = ("//", "..", "xx", "\\\\", "++")
MPL_MARKERS = "osD^v"


def render_matplotlib(spec: dict[str, Any], folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import matplotlib.ticker as mticker
    import numpy as np

    o, ctype, series, labels = spec["options"], spec["type"], spec["series"], spec["categories"]
    horizontal, stacked = ctype in HORIZONTAL, ctype in STACKED

    def formatter(number_format: str) -> Any:
        if number_format == "percent":
            return mticker.PercentFormatter(100, decimals=None)
        if number_format == "general":
            return None
        return mticker.FuncFormatter(lambda v, _: number_text(v, number_format))

    look = o["style"]
    if isinstance(look, dict):  # the styled renderer's own look
        from render_styled import rc_params

        look = rc_params(look)
    with plt.style.context(look):
        fig, ax = plt.subplots(figsize=o["figsize"], layout="constrained")
        colors = plt.rcParams["axes.prop_cycle"].by_key().get("color", list(PALETTE))
        if ctype in PIES and len(labels) > len(colors):  # no two slices alike
            colors = [matplotlib.colormaps["tab20"](i) for i in range(len(labels))]
        ax2 = None
        if ctype in PIES:
            kw: dict[str, Any] = {}
            if o["legend"] == "labels":
                kw["labels"] = labels
            if o["pie_percent"]:
                kw.update(autopct="%1.1f%%", pctdistance=0.78 if ctype == "doughnut" else 0.6)
            if ctype == "doughnut":
                kw["wedgeprops"] = {"width": 0.42}
            wedges, *_ = ax.pie(
                series[0]["values"], startangle=90, counterclock=False, colors=colors, **kw
            )
            ax.set_aspect("equal")
        elif ctype == "scatter":
            for j, s in enumerate(series):
                xs, ys = zip(*s["points"], strict=True)
                ax.scatter(xs, ys, label=s["name"], marker=MPL_MARKERS[j], s=36, zorder=3)
        elif ctype == "line_date":
            dates = [dt.date.fromisoformat(d) for d in spec["category_dates"]]
            for s in series:
                ax.plot(dates, s["values"], label=s["name"], linewidth=2)
            ax.set_xticks(dates)
            ax.xaxis.set_major_formatter(mdates.DateFormatter(spec["date_axis"]["format"]))
            ax.xaxis.set_minor_locator(mticker.NullLocator())
            plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
        else:
            x = np.arange(len(labels))
            bars = [s for s in series if s["mark"] == "bar"]
            width = 0.7 if stacked else 0.8 / len(bars) if bars else 0.8
            bottom = np.zeros(len(labels))
            containers = []
            for j, s in enumerate(series):
                values = np.array(s["values"], dtype=float)
                style = {"label": s["name"], "color": colors[j % len(colors)]}
                if s["mark"] == "bar":
                    if o["hatch"]:
                        style.update(hatch=HATCHES[j % len(HATCHES)], edgecolor="black")
                    k = bars.index(s)
                    at = x if stacked else x + (k - (len(bars) - 1) / 2) * width
                    if horizontal:
                        c = ax.barh(at, values, width, left=bottom if stacked else None, **style)
                    else:
                        c = ax.bar(at, values, width, bottom=bottom if stacked else None, **style)
                    if stacked:
                        bottom = bottom + values
                    containers.append((c, s["values"]))
                elif s["mark"] == "line":
                    target = ax
                    if s["axis"] == "secondary":
                        ax2 = ax2 or ax.twinx()
                        target = ax2
                    marker = MPL_MARKERS[j % 5] if ctype != "line" else None
                    target.plot(x, values, marker=marker, linewidth=2, **style)
                elif not stacked:  # area
                    ax.fill_between(x, values, alpha=0.45, linewidth=0, **style)
                    ax.plot(x, values, color=style["color"], linewidth=1.5)
            if ctype == "area_stacked":
                ax.stackplot(
                    x,
                    *[s["values"] for s in series],
                    labels=[s["name"] for s in series],
                    colors=colors[: len(series)],
                    alpha=0.9,
                )
            rotation = {"rotation": 45, "ha": "right"} if o["rotate_labels"] else {}
            if horizontal:
                ax.set_yticks(x, labels)
                ax.invert_yaxis()
            else:
                ax.set_xticks(x, labels, **rotation)
            if o["data_labels"]:
                for c, values in containers:
                    text = [number_text(v, spec["number_format"]) for v in values]
                    ax.bar_label(
                        c,
                        labels=text,
                        label_type="center" if stacked else "edge",
                        fontsize=7,
                        padding=0 if stacked else 2,
                    )
        if ctype not in PIES:
            value_axis = ax.xaxis if horizontal else ax.yaxis
            number_format = "percent" if ctype == "column_percent" else spec["number_format"]
            if formatter(number_format):
                value_axis.set_major_formatter(formatter(number_format))
            if ctype == "column_percent":
                ax.set_ylim(0, 100)
            x_label, y_label = spec["x_label"], spec["y_label"]
            if horizontal:
                x_label, y_label = y_label, x_label
            if x_label:
                ax.set_xlabel(x_label)
            if y_label:
                ax.set_ylabel(y_label)
            if ax2 is not None:
                ax2.set_ylabel(spec["y2_label"])
                ax2.grid(False)
                if formatter(spec["y2_number_format"]):
                    ax2.yaxis.set_major_formatter(formatter(spec["y2_number_format"]))
        if spec["title"]:
            ax.set_title(spec["title"])
        handles, names = ax.get_legend_handles_labels()
        if ax2 is not None:
            more = ax2.get_legend_handles_labels()
            handles, names = handles + more[0], names + more[1]
        if ctype in PIES:
            if o["legend"] == "outside right":
                fig.legend(wedges, labels, title=series[0]["name"], loc="outside right upper")
        elif o["legend"] == "outside right":
            fig.legend(handles, names, loc="outside right upper")
        elif o["legend"] == "below":
            fig.legend(handles, names, loc="outside lower center", ncol=min(len(names), 4))
        elif o["legend"] != "none":
            ax.legend(handles, names, loc=o["legend"])
        fig.savefig(folder / spec["files"]["pdf"], metadata={"CreationDate": None})
        fig.savefig(folder / spec["files"]["png"], dpi=o["dpi"])
        plt.close(fig)


# --------------------------------------------------------------------------- pygal


def render_pygal(spec: dict[str, Any], folder: Path) -> None:
    import cairosvg
    import pygal
    import pygal.style

    o, ctype, series, labels = spec["options"], spec["type"], spec["series"], spec["categories"]
    width, height = o["size"]
    config: dict[str, Any] = {
        "style": getattr(pygal.style, o["style"]),
        "width": width,
        "height": height,
        "title": spec["title"],
        "legend_at_bottom": o["legend_at_bottom"],
        "show_legend": o["show_legend"],
        "truncate_label": -1,
        "truncate_legend": -1,
        "print_values": o["print_values"],
        "x_label_rotation": 40 if o["rotate_labels"] else 0,
    }
    if ctype in HORIZONTAL:  # pygal's x title is under the horizontal (value) axis
        config.update(x_title=spec["y_label"], y_title=spec["x_label"])
    elif ctype not in PIES:
        config.update(x_title=spec["x_label"], y_title=spec["y_label"])
    number_format = "percent" if ctype == "column_percent" else spec["number_format"]
    if number_format != "general":
        config["value_formatter"] = lambda v: number_text(v, number_format)
    kind, extra = {
        "column": (pygal.Bar, {}),
        "column_numeric": (pygal.Bar, {}),
        "column_stacked": (pygal.StackedBar, {}),
        "column_percent": (pygal.StackedBar, {"range": (0, 100)}),
        "bar": (pygal.HorizontalBar, {}),
        "bar_stacked": (pygal.HorizontalStackedBar, {}),
        "line": (pygal.Line, {"show_dots": False, "stroke_style": {"width": 2}}),
        "line_markers": (pygal.Line, {"dots_size": 4}),
        "line_date": (pygal.DateLine, {"show_dots": False, "x_label_rotation": 35}),
        "scatter": (pygal.XY, {"stroke": False, "dots_size": 4}),
        "area": (pygal.Line, {"fill": True, "show_dots": False}),
        "area_stacked": (pygal.StackedLine, {"fill": True, "show_dots": False}),
        "pie": (pygal.Pie, {}),
        "doughnut": (pygal.Pie, {"inner_radius": 0.45}),
    }[ctype]
    chart = kind(**{**config, **extra})
    if ctype in PIES:
        for label, value in zip(labels, spec["raw_values"], strict=True):
            chart.add(label, value)
    elif ctype == "scatter":
        for s in series:
            chart.add(s["name"], [tuple(p) for p in s["points"]])
    elif ctype == "line_date":
        dates = [dt.date.fromisoformat(d) for d in spec["category_dates"]]
        fmt = spec["date_axis"]["format"]
        chart.x_value_formatter = lambda d: d.strftime(fmt)
        chart.x_labels = dates
        for s in series:
            chart.add(s["name"], list(zip(dates, s["values"], strict=True)))
    else:
        chart.x_labels = labels
        for s in series:
            chart.add(s["name"], s["values"])
    svg = chart.render()
    cairosvg.svg2pdf(bytestring=svg, write_to=str(folder / spec["files"]["pdf"]))
    cairosvg.svg2png(
        bytestring=svg,
        write_to=str(folder / spec["files"]["png"]),
        scale=o["scale"],
        background_color="white",  # as on a page: most styles leave the background transparent
    )


# --------------------------------------------------------------------------- build


def build(specs: list[dict[str, Any]], rebuild: bool = False) -> None:
    """Makes every chart whose files or ground truth are missing or out of date."""
    todo: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for spec in specs:
        folder = CACHE / spec["renderer"]
        truth = folder / f"{spec['id']}.json"
        done = (
            not rebuild
            and truth.exists()
            and all((folder / name).exists() for name in spec["files"].values())
            and json.loads(truth.read_text()) == json.loads(json.dumps(spec))
        )
        if not done:
            todo[spec["renderer"]].append(spec)
    for renderer, pending in todo.items():
        folder = CACHE / renderer
        folder.mkdir(parents=True, exist_ok=True)
        print(f"building {len(pending)} {renderer} chart(s)", flush=True)
        start = time.perf_counter()

        def finish(spec: dict[str, Any], folder: Path = folder) -> None:
            # The ground truth last: its presence marks a finished chart.
            truth = json.dumps(spec, ensure_ascii=False, indent=1)
            (folder / f"{spec['id']}.json").write_text(truth + "\n")

        if renderer == "libreoffice":
            build_libreoffice(pending, folder, finish)
        elif renderer == "plotly":
            from render_plotly import build_plotly

            build_plotly(pending, folder, finish)
        elif renderer == "chartjs":
            from render_chartjs import build_chartjs

            build_chartjs(pending, folder, finish)
        elif renderer == "bokeh":
            from render_bokeh import build_bokeh

            build_bokeh(pending, folder, finish)
        elif renderer == "gnuplot":
            from render_gnuplot import build_gnuplot

            build_gnuplot(pending, folder, finish)
        elif renderer == "ggplot":
            from render_ggplot import build_ggplot

            build_ggplot(pending, folder, finish)
        else:
            render = render_pygal if renderer == "pygal" else render_matplotlib
            for spec in pending:
                render(spec, folder)
                finish(spec)
        print(f"  {time.perf_counter() - start:.1f} s", flush=True)


# --------------------------------------------------------------------------- scoring

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %b %Y",
    "%d %B %Y",
    "%b %Y",
    "%B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b-%y",
    "%b %y",
    "%Y-%m",
    "%d.%m.%Y",
    "%Y/%m/%d",
)


def norm(value: object) -> str:
    """A label without case, accents' composition or spacing differences (a two-line label
    joined by a space or a newline reads the same)."""
    return " ".join(unicodedata.normalize("NFC", str(value)).split()).casefold()


def as_float(value: object) -> float | None:
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def as_date(value: object) -> dt.date | None:
    text = " ".join(str(value).split())
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def same_category(predicted: object, label: str) -> bool:
    if norm(predicted) == norm(label):
        return True
    a, b = as_float(predicted), as_float(label)
    if a is not None and b is not None:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if a is None and b is None:
        d1, d2 = as_date(predicted), as_date(label)
        return d1 is not None and d1 == d2
    return False


def targets(truth: dict[str, Any]) -> list[tuple[str | None, Any, float, float, float | None]]:
    """Every value the chart shows: (series, category label or numeric x, value, value span,
    x span for numeric x)."""
    span = truth["span"]
    out: list[tuple[str | None, Any, float, float, float | None]] = []
    for s in truth["series"]:
        if "points" in s:
            out.extend((s["name"], x, y, span[s["axis"]], span["x"]) for x, y in s["points"])
        else:
            out.extend(
                (s["name"], label, v, span[s["axis"]], None)
                for label, v in zip(truth["categories"], s["values"], strict=True)
            )
    return out


def score(
    truth: dict[str, Any], record: dict[str, Any] | None, tolerance: float
) -> tuple[int, int, list[dict[str, Any]]]:
    """(values right, values scored, misses) for one chart and its first predicted record."""
    points = [
        (s.get("name"), p["x"], p["y"])
        for s in (record or {}).get("series") or []
        for p in s.get("points") or []
        if p.get("y") is not None
    ]
    by_series = len(truth["series"]) > 1
    used: set[int] = set()
    right = scored = 0
    misses = []
    for series, key, value, span, key_span in targets(truth):
        scored += 1 if key_span is None else 2
        best, best_error = None, math.inf
        for i, (name, x, y) in enumerate(points):
            if i in used or (by_series and (name is None or norm(name) != norm(series))):
                continue
            key_error = 0.0
            if key_span is not None:
                number = as_float(x)
                if number is None:
                    continue
                key_error = abs(number - key) / key_span
            elif not same_category(x, key):
                continue
            error = max(abs(y - value) / span, key_error)
            if error < best_error:
                best, best_error = i, error
        got = got_x = None
        good = 0
        if best is not None:
            used.add(best)
            _, got_x, got = points[best]
            good = abs(got - value) / span <= tolerance
            if key_span is not None:
                good += abs(float(got_x) - key) / key_span <= tolerance  # type: ignore[arg-type]
        right += good
        if good < (1 if key_span is None else 2):
            misses.append(
                {"series": series, "x": key, "expected": value, "got": got, "got_x": got_x}
            )
    return right, scored, misses


# --------------------------------------------------------------------------- reading


def read_chart(path: str) -> dict[str, Any]:
    """One file through ``docvlm.extract``, as plain data (it crosses process boundaries)."""
    import docvlm

    start = time.perf_counter()
    try:
        result = docvlm.extract(path, schema="chart")
    except Exception as exc:  # a crash counts against the chart, not the run
        return {
            "status": "exception",
            "records": [],
            "errors": [f"{type(exc).__name__}: {exc}"],
            "warnings": [],
            "seconds": time.perf_counter() - start,
        }
    return {
        "status": str(getattr(result, "status", "unknown")),
        "records": [record.model_dump() for record in result.records],
        "errors": [str(error) for error in getattr(result, "errors", None) or []],
        "warnings": [str(warning) for warning in getattr(result, "warnings", None) or []],
        "seconds": time.perf_counter() - start,
    }


def _select(values: str | None, known: tuple[str, ...] | list[str], what: str) -> set[str]:
    if not values:
        return set(known)
    chosen = {v.strip() for v in values.split(",") if v.strip()}
    unknown = chosen - set(known)
    if unknown:
        sys.exit(f"unknown {what}: {', '.join(sorted(unknown))} (known: {', '.join(known)})")
    return chosen


def _percent(right: int, total: int) -> str:
    return f"{100 * right / total:5.1f}%" if total else "    -"


def _cell(right: int, total: int) -> str:
    return f"{right:>5}/{total:<5} {_percent(right, total)}"


def _read_badly(row: dict[str, Any]) -> bool:
    """Under half the chart's values right: a reading a user should be warned of."""
    return row["scored"] > 0 and 2 * row["right"] < row["scored"]


def _beyond_drawn(row: dict[str, Any]) -> int:
    """Points the reader gave beyond those drawn (stray marks, a series read in pieces)."""
    return max(0, row["points"] - row["drawn"])


def _per_renderer(rows: list[dict[str, Any]], part: Any, whole: Any) -> str:
    """'renderer part/whole' for each renderer, each a sum over its rows."""
    return ", ".join(
        f"{renderer} {sum(part(r) for r in mine)}/{sum(whole(r) for r in mine)}"
        for renderer in sorted({r["renderer"] for r in rows})
        if (mine := [r for r in rows if r["renderer"] == renderer])
    )


def report(rows: list[dict[str, Any]], formats: list[str], elapsed: float) -> None:
    """The tables: per renderer and chart type, then totals."""
    table: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        cell = table[row["renderer"], row["type"], row["format"]]
        cell[0] += row["right"]
        cell[1] += row["scored"]
        cell[2] += 1
        cell[3] += row["records"] == 0
    header = f"{'renderer':<12} {'type':<19} {'charts':>6}"
    for fmt in formats:
        header += f" | {fmt + ' right/scored':>19} {'no rec':>6}"
    print(header)
    print("-" * len(header))
    keys = sorted(
        {(r, t) for r, t, _ in table}, key=lambda k: (k[0] in HELD_OUT, k[0], TYPES.index(k[1]))
    )
    for renderer, ctype in keys:
        charts = max(table[renderer, ctype, fmt][2] for fmt in formats)
        name = renderer + ("*" if renderer in HELD_OUT else "")
        line = f"{name:<12} {ctype:<19} {charts:>6}"
        for fmt in formats:
            right, total, _, empty = table[renderer, ctype, fmt]
            line += f" | {_cell(right, total):>19} {empty:>6}"
        print(line)
    print("-" * len(header))

    def total_line(label: str, keep: Any) -> None:
        charts = len({row["id"] for row in rows if keep(row)})
        line = f"{label:<32} {charts:>6}"
        for fmt in formats:
            picked = [row for row in rows if row["format"] == fmt and keep(row)]
            right = sum(r["right"] for r in picked)
            total = sum(r["scored"] for r in picked)
            line += f" | {_cell(right, total):>19} {sum(r['records'] == 0 for r in picked):>6}"
        print(line)

    for renderer in sorted({r["renderer"] for r in rows}, key=lambda r: (r in HELD_OUT, r)):
        mark = " (held out)" if renderer in HELD_OUT else ""
        total_line(f"{renderer}{mark}", lambda row, r=renderer: row["renderer"] == r)
    if any(r["renderer"] not in HELD_OUT for r in rows):
        total_line("all tuned renderers", lambda row: row["renderer"] not in HELD_OUT)
    if any(r["renderer"] in HELD_OUT for r in rows):
        total_line("held out", lambda row: row["renderer"] in HELD_OUT)
    print("(* held out: the reader is not tuned on it)")
    for fmt in formats:
        picked = [r for r in rows if r["format"] == fmt]
        statuses = Counter(r["status"] for r in picked)
        types_right = sum(r["chart_type_ok"] for r in picked)
        warned = sum(bool(r["warnings"]) for r in picked)
        bad = [r for r in picked if _read_badly(r)]
        print(
            f"{fmt}: {len(picked)} charts, {sum(r['records'] == 0 for r in picked)} without a "
            f"record; status {dict(sorted(statuses.items()))}; {warned} with warnings; "
            f"chart type right {types_right}/{len(picked)}; "
            f"tolerance {TOLERANCE[fmt]:.0%} of the value-axis span"
        )
        extra = [_beyond_drawn(r) for r in picked]
        print(
            f"{fmt}: {sum(extra)} points read beyond the {sum(r['drawn'] for r in picked)} "
            f"drawn, on {sum(n > 0 for n in extra)} charts (stray marks, or a series read in "
            "pieces: the scores above do not count them); "
            + _per_renderer(picked, _beyond_drawn, lambda r: r["drawn"])
        )
        print(
            f"{fmt}: {len(bad)} read under half right, "
            f"{sum(not r['warnings'] for r in bad)} of them silent (no warning); "
            + _per_renderer(picked, lambda r: _read_badly(r) and not r["warnings"], _read_badly)
        )
    per_page = ", ".join(
        f"{fmt} {sum(r['seconds'] for r in picked) / len(picked):.2f} s"
        for fmt in formats
        if (picked := [r for r in rows if r["format"] == fmt])
    )
    print(
        f"speed {len(rows) / elapsed:.2f} pages/s ({len(rows)} pages in {elapsed:.0f} s; "
        f"time in the reader per page: {per_page})"
    )


def compare(rows: list[dict[str, Any]], old_path: Path) -> None:
    """Per chart and format, what changed since an earlier ``--json`` run."""
    old = {(r["id"], r["format"]): r for r in json.loads(old_path.read_text())["charts"]}
    better, worse = [], []
    for row in rows:
        before = old.get((row["id"], row["format"]))
        if before is None or before["right"] == row["right"]:
            continue
        change = (row["right"] - before["right"], row["id"], row["format"], before["right"])
        (better if change[0] > 0 else worse).append((*change, row["right"], row["scored"]))
    print(f"\ncompared with {old_path}: {len(better)} chart(s) better, {len(worse)} worse")
    for delta, cid, fmt, was, now, total in sorted(worse) + sorted(better, reverse=True):
        print(f"  {delta:+4}  {cid}.{fmt}  {was} -> {now} of {total}")
    for fmt in FORMATS:
        pairs = [
            (old[r["id"], fmt], r) for r in rows if r["format"] == fmt and (r["id"], fmt) in old
        ]
        if pairs:
            was = sum(p[0]["right"] for p in pairs)
            now = sum(p[1]["right"] for p in pairs)
            total = sum(p[1]["scored"] for p in pairs)
            print(f"  {fmt}: {was} -> {now} of {total} values right")


def chart_row(spec: dict[str, Any], fmt: str, path: str, reading: dict[str, Any]) -> dict[str, Any]:
    """One chart file's result: its score, what the reader said, and the values it missed."""
    record = reading["records"][0] if reading["records"] else None
    right, scored, misses = score(spec, record, TOLERANCE[fmt])
    return {
        "id": spec["id"],
        "renderer": spec["renderer"],
        "held_out": spec["held_out"],
        "type": spec["type"],
        "format": fmt,
        "file": str(Path(path).relative_to(HERE.parent)),
        "right": right,
        "scored": scored,
        "records": len(reading["records"]),
        "status": reading["status"],
        "errors": reading["errors"],
        "warnings": reading["warnings"],
        "seconds": round(reading["seconds"], 3),
        "chart_type": record.get("chart_type") if record else None,
        "chart_type_ok": bool(record) and record.get("chart_type") in CHART_TYPE[spec["type"]],
        "points": sum(len(s.get("points") or []) for s in (record or {}).get("series") or []),
        "drawn": sum(1 for _ in targets(spec)),
        "misses": misses,
    }


def print_row(row: dict[str, Any]) -> None:
    note = "" if row["records"] else "  (no record)"
    if _read_badly(row) and not row["warnings"]:
        note += "  (silent: no warning)"
    if row["errors"]:
        note += f"  errors: {'; '.join(row['errors'])[:200]}"
    print(f"{row['file']:<64} {row['right']:>4}/{row['scored']:<4}{note}", flush=True)
    for miss in row["misses"][:4]:
        got = "nothing" if miss["got"] is None else f"{miss['got']:.6g}"
        if miss["got_x"] is not None and miss["got_x"] != miss["x"]:
            got += f" at x={miss['got_x']!r}"
        where = f"{miss['series']!r} x={miss['x']!r}"
        print(f"      {where}: expected {miss['expected']:.6g}, got {got}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renderer", help=f"comma-separated, of: {', '.join(RENDERERS)}")
    parser.add_argument("--type", help="comma-separated chart types (default: all)")
    parser.add_argument("--format", choices=FORMATS, help="read only the PDFs or only the PNGs")
    parser.add_argument("--limit", type=int, help="at most this many charts (a mix of types)")
    parser.add_argument("--rebuild", action="store_true", help="render the charts again")
    parser.add_argument("--build-only", action="store_true", help="make the dev set, read nothing")
    parser.add_argument("--jobs", type=int, default=1, help="read in this many processes")
    parser.add_argument("-v", "--verbose", action="store_true", help="per chart, with misses")
    parser.add_argument("--json", type=Path, help="write per-chart results here")
    parser.add_argument("--compare", type=Path, help="an earlier --json file to compare with")
    args = parser.parse_args()

    renderers = _select(args.renderer, tuple(RENDERERS), "renderer")
    types = _select(args.type, TYPES, "type")
    specs = [s for s in all_specs() if s["renderer"] in renderers and s["type"] in types]
    if args.limit is not None:
        specs = specs[: args.limit]
    start = time.perf_counter()
    build(specs, rebuild=args.rebuild)
    print(f"dev set: {len(specs)} charts ready ({time.perf_counter() - start:.1f} s)", flush=True)
    if args.build_only:
        return
    formats = [args.format] if args.format else list(FORMATS)
    jobs = [(spec, fmt) for spec in specs for fmt in formats]
    paths = [str(CACHE / spec["renderer"] / spec["files"][fmt]) for spec, fmt in jobs]
    rows = []
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        if args.jobs > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=args.jobs))
            readings = pool.map(read_chart, paths, chunksize=1)
        else:
            readings = map(read_chart, paths)
        for done, ((spec, fmt), path, reading) in enumerate(
            zip(jobs, paths, readings, strict=True), 1
        ):
            rows.append(chart_row(spec, fmt, path, reading))
            if args.verbose:
                print_row(rows[-1])
            elif done % 50 == 0:
                print(f"  {done}/{len(jobs)} pages read", flush=True)
    elapsed = time.perf_counter() - start
    print()
    report(rows, formats, elapsed)
    if args.json:
        payload = {
            "seed": SEED,
            "tolerance": TOLERANCE,
            "formats": formats,
            "seconds": round(elapsed, 1),
            "charts": rows,
        }
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    if args.compare:
        compare(rows, args.compare)


if __name__ == "__main__":
    main()
