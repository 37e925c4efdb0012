"""The Chart.js renderer of the chart dev set (``charts_rendered.py``): a third web charting
library's looks, a canvas drawn by Chart.js in a headless Chromium.

Every chart is a Chart.js 2.9 configuration built from the chart's spec, drawn by the
``Chart.min.js`` that the ``django-chartjs`` package ships (only that file is used, added to
the page: nothing is downloaded) in the system Chromium driven by Playwright: the PNG is a
screenshot of the canvas at a device scale of 1 to 2 (Chart.js draws at the page's pixel
ratio), the PDF is the page printed (a canvas, so the chart is an image inside the PDF).
Options vary the palette (the Chart.js documentation's colours, Tableau 10, a pastel and a
bold set), opaque fills or the documentation's see-through fills with a solid border, the
legend's place (hidden on some one-series charts), the title, grid lines, font size, canvas
size, line tension, point styles and data labels (a small inline plugin: Chart.js has none
built in). Ticks print the way ``number_text`` prints the chart's number format; a general
axis keeps Chart.js's own tick format ("1000000", "0.5", no thousands separators).
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser_render import render_in_chromium
from chart_kinds import HORIZONTAL, PIES, STACKED, number_text

PALETTES = {  # the first: the colours of the Chart.js documentation and samples
    "chartjs": "#ff6384 #36a2eb #ffce56 #4bc0c0 #9966ff #ff9f40 #c9cbcf",
    "tableau10": "#4e79a7 #f28e2b #e15759 #76b7b2 #59a14f #edc948 #b07aa1 #ff9da7 #9c755f #bab0ac",
    "pastel": "#fd7f6f #7eb0d5 #b2e061 #bd7ebe #ffb55a #ffee65 #beb9db #fdcce5 #8bd3c7",
    "bold": "#e60049 #0bb4ff #50e991 #e6d800 #9b19f5 #ffa300 #dc0ab4 #b3d4ff #00bfa0",
}
POINT_STYLES = ("circle", "rect", "triangle", "rectRot", "cross")
GRIDS = ("default", "default", "light", "value_only", "none")
WHOLE = {"thousands", "dollar", "euro"}  # printed without decimals: whole-number ticks

# Draws one chart: tick formats as number_text prints them, a white page under the canvas
# (Chart.js leaves it transparent), data labels, and a flag once the chart is drawn.
DRAW = """cfg => {
  const sign = v => (v < 0 ? '-' : ''), whole = v => Math.round(v).toLocaleString('en-US');
  const pence = {minimumFractionDigits: 2, maximumFractionDigits: 2};
  const formats = {
    percent: v => Math.round(v * 10) / 10 + '%', thousands: whole, euro: v => whole(v) + ' €',
    dollar: v => sign(v) + '$' + whole(Math.abs(v)),
    pound: v => sign(v) + '£' + Math.abs(v).toLocaleString('en-US', pence),
  };
  const c = cfg.chart, scales = c.options.scales || {};
  for (const axis of [...(scales.xAxes || []), ...(scales.yAxes || [])]) {
    if (axis.ticks.format) axis.ticks.callback = formats[axis.ticks.format];
  }
  Chart.defaults.global.defaultFontSize = cfg.fontSize;
  Chart.defaults.global.title.fontSize = cfg.fontSize + 4;
  const labels = chart => {
    const ctx = chart.ctx, family = Chart.defaults.global.defaultFontFamily;
    ctx.save(), ctx.font = Chart.helpers.fontString(cfg.fontSize - 2, 'normal', family);
    chart.data.datasets.forEach((ds, i) => {
      if (!ds.texts) return;
      chart.getDatasetMeta(i).data.forEach((el, j) => {
        const m = el._model, text = ds.texts[j], low = ds.data[j] < 0, h = cfg.horizontal;
        // only labels that fit: in their segment, or above their own bar
        const w = ctx.measureText(text).width + 4, size = cfg.fontSize;
        ctx.fillStyle = cfg.inside ? (Array.isArray(ds.ink) ? ds.ink[j] : ds.ink) : '#444';
        ctx.textAlign = 'center', ctx.textBaseline = 'middle';
        if (m.startAngle !== undefined) {  // a slice: its share in its middle
          const a = (m.startAngle + m.endAngle) / 2;
          const r = m.innerRadius ? (m.innerRadius + m.outerRadius) / 2 : m.outerRadius * 0.62;
          ctx.fillText(text, m.x + r * Math.cos(a), m.y + r * Math.sin(a));
        } else if (cfg.inside) {  // a stacked segment: its value in its middle
          const along = Math.abs(h ? m.x - m.base : m.y - m.base), across = h ? m.height : m.width;
          if (along < (h ? w : size) || across < (h ? size : w)) return;
          ctx.fillText(text, h ? (m.x + m.base) / 2 : m.x, h ? m.y : (m.y + m.base) / 2);
        } else if (h) {  // beyond the end of the bar
          ctx.textAlign = low ? 'right' : 'left';
          ctx.fillText(text, m.x + (low ? -4 : 4), m.y);
        } else if (w <= m.width * 1.2) {
          ctx.textBaseline = low ? 'top' : 'bottom';
          ctx.fillText(text, m.x, m.y + (low ? 4 : -4));
        }
      });
    });
    ctx.restore();
  };
  c.plugins = [{
    beforeDraw: ({ctx, width, height}) => {
      ctx.save(); ctx.fillStyle = 'white'; ctx.fillRect(0, 0, width, height); ctx.restore();
    },
    afterDatasetsDraw: labels,
    afterRender: () => { window.chartDone = true; },
  }];
  new Chart(document.getElementById('chart').getContext('2d'), c);
}"""


def options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype = spec["type"]
    bars = ctype not in PIES and not ctype.startswith(("line", "scatter", "area"))
    return {
        "palette": rng.choice(tuple(PALETTES)),
        # opaque, or see-through with a solid border (the documentation's 0.2 among them)
        "alpha": rng.choice((1.0, 1.0, 0.7, 0.5, 0.2)),
        "area_alpha": rng.choice((0.2, 0.35, 0.5, 0.7)),
        "border_width": rng.choice((1, 2)),
        "line_width": rng.choice((2, 3)),
        "legend": rng.choice(("top", "top", "bottom", "right", "left")),
        "single_legend": rng.random() < 0.5,  # Chart.js shows a legend for one series too
        "show_title": rng.random() < 0.85,
        "grid": rng.choice(GRIDS),
        "font_size": rng.choice((12, 13, 14, 16)),
        "size": rng.choice(((800, 500), (900, 560), (1000, 600), (700, 450))),
        "scale": rng.choice((1.0, 1.25, 1.5, 2.0)),
        "tension": rng.choice((0.0, 0.4)),
        "point_style": rng.choice(POINT_STYLES),
        "point_radius": rng.randint(3, 6),
        "data_labels": bars and ctype != "column_percent" and rng.random() < 0.3,
        "pie_percent": ctype in PIES and rng.random() < 0.4,
        "cutout": rng.choice((40, 50, 60)),
    }


def _palette(name: str, n: int) -> list[str]:
    colors = PALETTES[name].split()
    if n > len(colors):  # no two slices alike
        colors = PALETTES["tableau10"].split()
    return [colors[j % len(colors)] for j in range(n)]


def _rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _ink(color: str, alpha: float) -> str:
    """The colour of a label inside a mark of this fill (on white): white on dark fills."""
    rgb = [int(color[i : i + 2], 16) * alpha + 255 * (1 - alpha) for i in (1, 3, 5)]
    return "white" if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 150 else "#333"


def config(spec: dict[str, Any]) -> dict[str, Any]:
    """The Chart.js configuration of one chart (tick callbacks named, set in the page)."""
    o, ctype, series = spec["options"], spec["type"], spec["series"]
    labels = [label.split("\n") if "\n" in label else label for label in spec["categories"] or []]
    if ctype in PIES:
        kind, datasets = ctype, [_slices(spec)]
    else:
        kind = "horizontalBar" if ctype in HORIZONTAL else "bar"
        if ctype.startswith(("line", "area")):
            kind = "line"
        elif ctype == "scatter":
            kind = "scatter"
        colors = _palette(o["palette"], len(series))
        datasets = [_dataset(spec, s, colors[j], j) for j, s in enumerate(series)]
    legend = ctype in PIES or len(series) > 1 or o["single_legend"]
    data_labels = o["data_labels"] or o["pie_percent"]
    horizontal = ctype in HORIZONTAL
    chart_options: dict[str, Any] = {
        "animation": False,
        "responsive": False,
        "events": [],
        "title": {"display": bool(spec["title"]) and o["show_title"], "text": spec["title"] or ""},
        "legend": {"display": legend, "position": o["legend"]},
        # room for data labels above the bars (right of horizontal ones)
        "layout": {"padding": {"top": 22, "right": 60 if horizontal else 10} if data_labels else 0},
    }
    if ctype == "doughnut":
        chart_options["cutoutPercentage"] = o["cutout"]
    elif ctype not in PIES:
        chart_options["scales"] = _scales(spec)
    data = {"labels": labels, "datasets": datasets}
    return {"type": kind, "data": data, "options": chart_options}


def _slices(spec: dict[str, Any]) -> dict[str, Any]:
    o, raw = spec["options"], spec["raw_values"]
    colors = _palette(o["palette"], len(raw))
    see_through = o["alpha"] < 1
    dataset = {
        "label": spec["series"][0]["name"],
        "data": raw,
        "backgroundColor": [_rgba(c, o["alpha"]) for c in colors],
        "borderColor": colors if see_through else "white",
        "borderWidth": o["border_width"] if see_through else 2,
    }
    if o["pie_percent"]:
        dataset["texts"] = [f"{100 * v / sum(raw):.1f}%" for v in raw]
        dataset["ink"] = [_ink(c, o["alpha"]) for c in colors]
    return dataset


def _dataset(spec: dict[str, Any], s: dict[str, Any], color: str, j: int) -> dict[str, Any]:
    o, ctype = spec["options"], spec["type"]
    ds: dict[str, Any] = {"label": s["name"], "borderColor": color, "backgroundColor": color}
    if s["axis"] == "secondary":
        ds["yAxisID"] = "y2"
    cross = o["point_style"] == "cross"  # strokes only: drawn larger and thicker
    markers = {
        "pointStyle": o["point_style"],
        "pointRadius": o["point_radius"] + 2 * cross,
        "pointBorderWidth": 2 if cross else 1,
    }
    if ctype == "scatter":
        ds["data"] = [{"x": x, "y": y} for x, y in s["points"]]
        ds.update(markers)
        return ds
    ds["data"] = s["values"]
    if s["mark"] == "bar":
        see_through = o["alpha"] < 1
        ds.update(
            backgroundColor=_rgba(color, o["alpha"]),
            borderWidth=o["border_width"] if see_through else 0,
            order=1,  # under the line of a bar and line chart
        )
        if o["data_labels"]:
            ds["texts"] = [number_text(v, spec["number_format"]) for v in s["values"]]
            ds["ink"] = _ink(color, o["alpha"])
        return ds
    ds.update(lineTension=o["tension"], borderWidth=o["line_width"], fill=False, pointRadius=0)
    if ctype.startswith("bar_line"):
        ds.update(type="line", order=0)
    if ctype == "line_markers":
        ds.update(markers)
    if s["mark"] == "area":  # stacked areas fill down to the one below
        fill = "-1" if ctype in STACKED and j else "origin"
        ds.update(fill=fill, backgroundColor=_rgba(color, o["area_alpha"]))
    return ds


def _ticks(number_format: str, from_zero: bool) -> dict[str, Any]:
    ticks: dict[str, Any] = {"beginAtZero": from_zero}
    if number_format != "general":
        ticks["format"] = number_format
    if number_format in WHOLE:
        ticks["precision"] = 0
    return ticks


def _title(text: str | None) -> dict[str, Any]:
    return {"display": bool(text), "labelString": text or ""}


def _scales(spec: dict[str, Any]) -> dict[str, Any]:
    o, ctype = spec["options"], spec["type"]
    horizontal, stacked = ctype in HORIZONTAL, ctype in STACKED
    number_format = "percent" if ctype == "column_percent" else spec["number_format"]
    grid = None if o["grid"] == "none" else {}
    if o["grid"] == "light":
        grid = {"color": "rgba(0, 0, 0, 0.05)"}
    hidden = {"drawOnChartArea": False}  # tick marks and the axis line stay
    # bars and areas start at zero; lines keep Chart.js's own range
    from_zero = not ctype.startswith(("line", "scatter"))
    value: dict[str, Any] = {
        "stacked": stacked,
        "ticks": _ticks(number_format, from_zero),
        "gridLines": hidden if grid is None else grid,
        "scaleLabel": _title(spec["y_label"]),
    }
    if ctype == "column_percent":
        value["ticks"].update(min=0, max=100)
    # every category printed: Chart.js would otherwise skip labels that crowd
    category: dict[str, Any] = {
        "stacked": stacked,
        "ticks": {"autoSkip": False},
        "gridLines": hidden if grid is None or o["grid"] == "value_only" else grid,
        "scaleLabel": _title(spec["x_label"]),
    }
    if ctype == "scatter":
        category.update(type="linear", position="bottom", ticks={})
    elif o["rotate_labels"] and not horizontal:
        category["ticks"].update(minRotation=45, maxRotation=45)
    if horizontal:
        return {"xAxes": [value], "yAxes": [category]}
    y_axes = [value]
    if ctype == "bar_line_secondary":  # on the right, and one grid: the primary axis's
        y2 = {"id": "y2", "position": "right", "gridLines": hidden}
        y2["ticks"] = _ticks(spec["y2_number_format"], False)
        y2["scaleLabel"] = _title(spec["y2_label"])
        y_axes.append(y2)
    return {"xAxes": [category], "yAxes": y_axes}


def build_chartjs(
    specs: list[dict[str, Any]], folder: Path, finish: Callable[[dict[str, Any]], None]
) -> None:
    """Draws every chart in one headless Chromium."""
    package = importlib.util.find_spec("chartjs")  # django-chartjs, not imported: no Django
    if package is None or not package.submodule_search_locations:
        raise SystemExit("Chart.js charts need django-chartjs (pip install -e '.[bench]')")
    bundle = Path(next(iter(package.submodule_search_locations))) / "static/js/Chart.min.js"

    def draw(page: Any, spec: dict[str, Any]) -> str:
        o, ctype = spec["options"], spec["type"]
        width, height = o["size"]
        page.set_content(
            "<html><body style='margin:0;background:white'><canvas id='chart' "
            f"width='{width}' height='{height}' style='display:block'></canvas></body></html>"
        )
        page.add_script_tag(path=str(bundle))
        inside, horizontal = ctype in STACKED or ctype in PIES, ctype in HORIZONTAL
        cfg = {"chart": config(spec), "fontSize": o["font_size"], "inside": inside}
        page.evaluate(DRAW, {**cfg, "horizontal": horizontal})
        page.wait_for_function("() => window.chartDone === true")
        return "#chart"

    render_in_chromium(specs, folder, finish, draw)
