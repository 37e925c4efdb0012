"""The bokeh renderer of the chart dev set (``charts_rendered.py``), held out like pygal: a
second web charting library's looks, drawn by BokehJS in a headless Chromium.

Every chart is a bokeh figure built from the chart's spec, drawn with the SVG backend by the
BokehJS bundled with the ``bokeh`` package (inlined in the page, nothing is downloaded) in the
system Chromium driven by Playwright: the PNG is a screenshot of the chart at a device scale of
1 to 2, the PDF is the page printed (SVG, so the PDF is vector). Options vary bokeh's built-in
themes (and the default look), the palette, the legend's place (inside the plot, in room the
value range leaves for it), sizes, markers and data labels on bars. Ticks print the way
``number_text`` prints the chart's number format; a general axis keeps bokeh's own tick format
(scientific notation from 100,000 up, "1.00e+5", as bokeh does by default).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser_render import render_in_chromium
from chart_kinds import HORIZONTAL, PIES, STACKED, number_text

THEMES = ("default", "caliber", "carbon", "dark_minimal", "light_minimal", "night_sky", "contrast")
DARK_PLOTS = {"dark_minimal", "night_sky", "contrast"}  # data labels in the plot print light
DARK_BORDERS = {"dark_minimal", "night_sky"}  # text outside the plot prints light
PALETTES = ("Category10", "Set2", "Dark2", "Colorblind", "Bokeh")
MARKERS = ("circle", "square", "triangle", "diamond")
# Tick formats as chart_kinds.number_text prints them (BokehJS formatters).
NUMERAL = {"thousands": "0,0", "dollar": "$0,0"}
CUSTOM_JS = {
    "percent": "return (Math.round(tick * 10) / 10).toString() + '%';",
    "euro": "return Math.round(tick).toLocaleString('en-US') + ' \u20ac';",
    "pound": (
        "const text = Math.abs(tick).toLocaleString('en-US', "
        "{minimumFractionDigits: 2, maximumFractionDigits: 2});"
        "return (tick < 0 ? '-' : '') + '\u00a3' + text;"
    ),
}
WHOLE = {"thousands", "dollar", "euro"}  # printed without decimals: ticks 1 apart at least


def options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype = spec["type"]
    bars = ctype not in PIES and not ctype.startswith(("line", "scatter", "area"))
    # Inside the plot only: with the SVG backend a legend in a side panel ("right", "below")
    # collapses the plot (bokeh issue #15014); the value range leaves room for it instead.
    legends = ("top_right", "top_left", "top_center")
    if ctype in PIES or ctype in HORIZONTAL:
        legends = ("top_right", "top_left", "bottom_right")
    return {
        "theme": rng.choice(THEMES),
        "palette": rng.choice(PALETTES),
        "legend": rng.choice(legends),
        "single_legend": rng.random() < 0.3,  # a legend for a chart of one series
        "data_labels": bars and ctype != "column_percent" and rng.random() < 0.3,
        "pie_percent": ctype in PIES and rng.random() < 0.5,
        "size": rng.choice(((800, 500), (900, 560), (1000, 600), (700, 450), (760, 520))),
        "scale": rng.choice((1.0, 1.25, 1.5, 2.0)),
        "marker": rng.choice(MARKERS),
        "hole": rng.choice((0.4, 0.5, 0.6)),
    }


def _palette(name: str, n: int) -> list[str]:
    from bokeh import palettes

    colors = list(palettes.all_palettes[name][max(palettes.all_palettes[name])])
    if n > len(colors):  # no two slices alike
        colors = list(palettes.Category20[20])
    return colors[:n]


def _format_axis(axis: Any, number_format: str) -> None:
    from bokeh.models import CustomJSTickFormatter, NumeralTickFormatter

    if number_format in NUMERAL:
        axis.formatter = NumeralTickFormatter(format=NUMERAL[number_format])
    elif number_format in CUSTOM_JS:
        axis.formatter = CustomJSTickFormatter(code=CUSTOM_JS[number_format])
    if number_format in WHOLE:
        axis.ticker.min_interval = 1


def figure(spec: dict[str, Any]) -> Any:
    """The bokeh figure of one chart."""
    from bokeh.plotting import figure as bokeh_figure

    o, ctype = spec["options"], spec["type"]
    width, height = o["size"]
    common: dict[str, Any] = {
        "width": width,
        "height": height,
        "output_backend": "svg",
        "toolbar_location": None,
        "title": spec["title"],
    }
    if ctype in PIES:
        p = bokeh_figure(match_aspect=True, **common)
        items = _pie(p, spec)
    else:
        labels = spec["categories"]
        if ctype == "line_date":
            common["x_axis_type"] = "datetime"
        elif ctype in HORIZONTAL:
            common["y_range"] = list(reversed(labels))  # the first category on top
        elif ctype != "scatter":
            common["x_range"] = labels
        p = bokeh_figure(**common)
        items = _series(p, spec)
        _axes(p, spec)
    if _legend_shown(spec):
        _legend(p, spec, items)
    return p


def _data_text_color(theme: str) -> str:
    return "#F0F0F0" if theme in DARK_PLOTS else "#202020"


def _pie(p: Any, spec: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    from bokeh.models import ColumnDataSource, LabelSet

    o, ctype, labels = spec["options"], spec["type"], spec["categories"]
    raw = spec["raw_values"]
    total = sum(raw)
    ends = [2 * math.pi * sum(raw[: i + 1]) / total for i in range(len(raw))]
    starts = [0.0, *ends[:-1]]
    # clockwise from the top: angles measured from 12 o'clock, drawn as bokeh's "clock"
    source = ColumnDataSource(
        {
            "start": [math.pi / 2 - a for a in starts],
            "end": [math.pi / 2 - a for a in ends],
            "color": _palette(o["palette"], len(labels)),
            "label": labels,
            "mid_x": [0.0] * len(labels),
            "mid_y": [0.0] * len(labels),
            "text": [f"{100 * v / total:.1f}%" for v in raw],
        }
    )
    inner = o["hole"] if ctype == "doughnut" else 0.0
    text_at = (1 + inner) / 2 if inner else 0.62
    for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
        mid = math.pi / 2 - (a + b) / 2
        source.data["mid_x"][i] = text_at * math.cos(mid)
        source.data["mid_y"][i] = text_at * math.sin(mid)
    style = {"line_color": "white", "line_width": 1.5, "fill_color": "color", "source": source}
    if ctype == "doughnut":
        r = p.annular_wedge(
            x=0,
            y=0,
            inner_radius=inner,
            outer_radius=1.0,
            start_angle="start",
            end_angle="end",
            direction="clock",
            **style,
        )
    else:
        r = p.wedge(
            x=0, y=0, radius=1.0, start_angle="start", end_angle="end", direction="clock", **style
        )
    # room around the disc, and for the legend on its side
    left, right = (-2.6, 1.08) if o["legend"] == "top_left" else (-1.08, 2.6)
    p.scatter(x=[left, right], y=[-1.08, 1.08], alpha=0)
    if o["pie_percent"]:
        p.add_layout(
            LabelSet(
                x="mid_x",
                y="mid_y",
                text="text",
                source=source,
                text_align="center",
                text_baseline="middle",
                text_color="white",
                text_font_size="11px",
            )
        )
    p.axis.visible = False
    p.grid.visible = False
    p.outline_line_color = None
    return [(label, [r], i) for i, label in enumerate(labels)]


def _series(p: Any, spec: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    from bokeh.models import ColumnDataSource, LinearAxis, Range1d
    from bokeh.transform import dodge

    o, ctype, series = spec["options"], spec["type"], spec["series"]
    labels = spec["categories"]
    colors = _palette(o["palette"], len(series))
    horizontal, stacked = ctype in HORIZONTAL, ctype in STACKED
    items: list[tuple[str, list[Any]]] = []
    if ctype == "scatter":
        for j, s in enumerate(series):
            xs, ys = zip(*s["points"], strict=True)
            marker = MARKERS[(MARKERS.index(o["marker"]) + j) % len(MARKERS)]
            r = p.scatter(list(xs), list(ys), marker=marker, size=10, color=colors[j])
            items.append((s["name"], [r]))
        return items
    xs: list[Any] = labels
    if ctype == "line_date":
        xs = [dt.datetime.fromisoformat(d) for d in spec["category_dates"]]
    data: dict[str, Any] = {"x": xs}
    keys = [f"s{j}" for j in range(len(series))]
    for key, s in zip(keys, series, strict=True):
        data[key] = s["values"]
    source = ColumnDataSource(data)
    bars = [j for j, s in enumerate(series) if s["mark"] == "bar"]
    if bars and stacked:
        stack = [keys[j] for j in bars]
        glyph = p.hbar_stack if horizontal else p.vbar_stack
        where = {"y": "x", "height": 0.7} if horizontal else {"x": "x", "width": 0.7}
        rs = glyph(stack, source=source, color=[colors[j] for j in bars], **where)
        items += [(series[j]["name"], [r]) for j, r in zip(bars, rs, strict=True)]
    elif bars:
        width = 0.8 / len(bars)
        factor_range = p.y_range if horizontal else p.x_range
        for k, j in enumerate(bars):
            at = dodge("x", (k - (len(bars) - 1) / 2) * width, range=factor_range)
            if horizontal:
                r = p.hbar(y=at, right=keys[j], height=width * 0.92, source=source)
            else:
                r = p.vbar(x=at, top=keys[j], width=width * 0.92, source=source)
            r.glyph.fill_color = r.glyph.line_color = colors[j]
            items.append((series[j]["name"], [r]))
    if bars and o["data_labels"]:
        _data_labels(p, spec, source, keys, bars)
    if ctype == "area_stacked":
        rs = p.varea_stack(keys, x="x", source=source, color=colors, alpha=0.85)
        items += [(s["name"], [r]) for s, r in zip(series, rs, strict=True)]
    for j, s in enumerate(series):
        if s["mark"] == "area" and not stacked:
            area = p.varea(x="x", y1=0, y2=keys[j], source=source, color=colors[j], alpha=0.4)
            edge = p.line(x="x", y=keys[j], source=source, color=colors[j], line_width=2)
            items.append((s["name"], [area, edge]))
        elif s["mark"] == "line":
            extra: dict[str, Any] = {}
            if s["axis"] == "secondary":
                p.extra_y_ranges = {"y2": Range1d(0, 1)}  # set with the axes
                extra["y_range_name"] = "y2"
            r = p.line(x="x", y=keys[j], source=source, color=colors[j], line_width=2.5, **extra)
            rs = [r]
            if ctype == "line_markers":
                marker = MARKERS[(MARKERS.index(o["marker"]) + j) % len(MARKERS)]
                rs.append(
                    p.scatter(
                        x="x",
                        y=keys[j],
                        source=source,
                        marker=marker,
                        size=9,
                        color=colors[j],
                        **extra,
                    )
                )
            items.append((s["name"], rs))
            if extra:
                axis = LinearAxis(y_range_name="y2", axis_label=spec["y2_label"])
                _format_axis(axis, spec["y2_number_format"])
                p.add_layout(axis, "right")
    order = {s["name"]: j for j, s in enumerate(series)}
    return sorted(items, key=lambda item: order[item[0]])


def _data_labels(
    p: Any, spec: dict[str, Any], source: Any, keys: list[str], bars: list[int]
) -> None:
    from bokeh.models import ColumnDataSource, LabelSet
    from bokeh.transform import dodge

    ctype, series, theme = spec["type"], spec["series"], spec["options"]["theme"]
    horizontal, stacked = ctype in HORIZONTAL, ctype in STACKED
    color = _data_text_color(theme)
    labels = spec["categories"]
    for k, j in enumerate(bars):
        values = series[j]["values"]
        text = [number_text(v, spec["number_format"]) for v in values]
        if stacked:
            below = [sum(series[i]["values"][n] for i in bars[:k]) for n in range(len(values))]
            at = [b + v / 2 for b, v in zip(below, values, strict=True)]
            label_source = ColumnDataSource({"x": labels, "v": at, "text": text})
            where: dict[str, Any] = {"x": "v", "y": "x"} if horizontal else {"x": "x", "y": "v"}
            style = {"text_align": "center", "text_baseline": "middle", "text_color": "white"}
        else:
            width = 0.8 / len(bars)
            offset = (k - (len(bars) - 1) / 2) * width
            label_source = ColumnDataSource({"x": labels, "v": values, "text": text})
            if horizontal:
                where = {"x": "v", "y": dodge("x", offset, range=p.y_range)}
                style = {"text_baseline": "middle", "x_offset": 4, "text_color": color}
            else:
                where = {"x": dodge("x", offset, range=p.x_range), "y": "v"}
                style = {"text_align": "center", "y_offset": 3, "text_color": color}
            if any(v < 0 for v in values):
                # a label beyond the end of each bar, below zero as above it
                label_source.data["align"] = ["right" if v < 0 else "left" for v in values]
                label_source.data["base"] = ["top" if v < 0 else "bottom" for v in values]
                label_source.data["off"] = [-4 if v < 0 else 4 for v in values]
                if horizontal:
                    style.update(text_align="align", x_offset="off")
                else:
                    style.update(text_baseline="base", y_offset="off")
        p.add_layout(
            LabelSet(source=label_source, text="text", text_font_size="10px", **where, **style)
        )


def _axes(p: Any, spec: dict[str, Any]) -> None:
    from bokeh.models import DatetimeTickFormatter, FixedTicker, Range1d

    o, ctype = spec["options"], spec["type"]
    horizontal = ctype in HORIZONTAL
    number_format = "percent" if ctype == "column_percent" else spec["number_format"]
    value_axis, category_axis = (p.xaxis, p.yaxis) if horizontal else (p.yaxis, p.xaxis)
    _format_axis(value_axis[0], number_format)
    if ctype == "column_percent":  # 0 to 100%, room above for the legend
        p.y_range = Range1d(0, 100 + (30 * 600 / o["size"][1]))
        p.yaxis.ticker = FixedTicker(ticks=list(range(0, 101, 20)))
    elif horizontal:
        p.x_range = _value_range(spec, "primary")
    else:
        p.y_range = _value_range(spec, "primary")
    if ctype == "bar_line_secondary":
        p.extra_y_ranges = {"y2": _value_range(spec, "secondary")}
    value_axis[0].axis_label = spec["y_label"]
    category_axis[0].axis_label = spec["x_label"]
    if ctype == "line_date":
        dates = [dt.datetime.fromisoformat(d) for d in spec["category_dates"]]
        epoch = dt.datetime(1970, 1, 1)
        ticks = [(d - epoch).total_seconds() * 1000 for d in dates]
        fmt = spec["date_axis"]["format"]
        p.xaxis.ticker = FixedTicker(ticks=ticks)
        p.xaxis.formatter = DatetimeTickFormatter(
            **dict.fromkeys(
                (
                    "microseconds",
                    "milliseconds",
                    "seconds",
                    "minsec",
                    "minutes",
                    "hourmin",
                    "hours",
                    "days",
                    "months",
                    "years",
                ),
                fmt,
            )
        )
        p.xaxis.major_label_orientation = math.pi / 4
        p.xgrid.ticker = p.xaxis.ticker
    elif ctype not in ("scatter",) and not horizontal and o["rotate_labels"]:
        p.xaxis.major_label_orientation = math.pi / 4
    if ctype not in ("scatter", "line_date"):
        category_axis[0].major_tick_line_color = None
    if horizontal:
        p.ygrid.grid_line_color = None
    elif ctype not in ("scatter", "line_date"):
        p.xgrid.grid_line_color = None


def _legend(p: Any, spec: dict[str, Any], items: list[tuple[Any, ...]]) -> None:
    from bokeh.models import Legend, LegendItem

    o = spec["options"]
    entries = []
    for item in items:
        name, renderers = item[0], item[1]
        index = item[2] if len(item) > 2 else None
        entries.append(LegendItem(label=name, renderers=renderers, index=index))
    legend = Legend(items=entries, location=o["legend"])
    if spec["type"] in PIES:
        legend.title = spec["series"][0]["name"]
        if o["theme"] in DARK_PLOTS:  # bokeh's title gray is unreadable on a dark plot
            legend.title_text_color = "#E0E0E0"
    else:  # one row above the data, in the room the value range leaves
        legend.orientation = "horizontal"
        legend.ncols = min(len(entries), 3 if spec["type"] in HORIZONTAL else 5)
    p.add_layout(legend)


def _legend_shown(spec: dict[str, Any]) -> bool:
    return spec["type"] in PIES or len(spec["series"]) > 1 or spec["options"]["single_legend"]


def _value_range(spec: dict[str, Any], axis: str) -> Any:
    """The range of a value axis: the data, and room above them (right of them for horizontal
    bars) for the legend and the data labels."""
    from bokeh.models import Range1d

    o, ctype = spec["options"], spec["type"]
    series = [s for s in spec["series"] if s["axis"] == axis]
    values = [v for s in series for v in _ys(s)]
    if ctype in STACKED:
        values = [sum(col) for col in zip(*(s["values"] for s in series), strict=True)]
    bars = any(s["mark"] in ("bar", "area") for s in series)
    lo, hi = min(values), max(values)
    if bars:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = (hi - lo) or 1.0
    rows = math.ceil(len(spec["series"]) / (3 if ctype in HORIZONTAL else 5))
    room = 0.06
    if _legend_shown(spec):
        room += (0.35 if ctype in HORIZONTAL else 0.12 * rows) * (600 / o["size"][1])
    if o["data_labels"] and ctype not in STACKED:
        room += 0.12 if ctype in HORIZONTAL else 0.06
    start = lo if bars and lo == 0 else lo - (0.06 + (0.1 if o["data_labels"] else 0)) * span
    return Range1d(start, hi + room * span)


def _ys(s: dict[str, Any]) -> list[float]:
    return s["values"] if "values" in s else [p[1] for p in s["points"]]


def build_bokeh(
    specs: list[dict[str, Any]], folder: Path, finish: Callable[[dict[str, Any]], None]
) -> None:
    """Draws every chart in one headless Chromium."""
    from bokeh.embed import file_html
    from bokeh.resources import INLINE
    from bokeh.themes import built_in_themes

    def draw(page: Any, spec: dict[str, Any]) -> str:
        theme = built_in_themes.get(spec["options"]["theme"])
        html = file_html(figure(spec), resources=INLINE, title=spec["id"], theme=theme)
        page.set_content(html.replace("<body>", "<body style='margin:0;background:white'>", 1))
        page.wait_for_function(
            "() => window.Bokeh && Bokeh.documents.length > 0"
            " && Bokeh.documents.every(d => d.is_idle)"
        )
        return ".bk-Figure"

    render_in_chromium(specs, folder, finish, draw)
