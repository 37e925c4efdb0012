"""The plotly renderer of the chart dev set (``charts_rendered.py``): a web charting library's
looks, drawn by plotly.js in a headless Chromium.

Every chart is a plotly figure built from the chart's spec, drawn by the plotly.js bundled with
the ``plotly`` package (nothing is downloaded) in the system Chromium driven by Playwright: the
PNG is a screenshot of the chart at a device scale of 1 to 2, the PDF is the page printed
(plotly draws SVG, so the PDF is vector). Options vary the built-in templates (``plotly`` with
its gray plot, ``plotly_white``, ``ggplot2``, ``seaborn``, ``simple_white``, ``plotly_dark``,
``presentation``), the legend's place, data labels on bars and plotly's own number formats
(values on a general axis print with SI suffixes, "20k", "1.5M", as plotly does by default).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser_render import render_in_chromium
from chart_kinds import HORIZONTAL, PIES, STACKED

TEMPLATES = (
    "plotly",
    "plotly_white",
    "ggplot2",
    "seaborn",
    "simple_white",
    "plotly_dark",
    "presentation",
)
# plotly's tick formats (d3-format) and affixes for the dev set's number formats.
AXIS_FORMATS: dict[str, dict[str, str]] = {
    "general": {},
    "percent": {"ticksuffix": "%"},
    "thousands": {"tickformat": ",.0f"},
    "dollar": {"tickprefix": "$", "tickformat": ",.0f"},
    "euro": {"ticksuffix": " €", "tickformat": ",.0f"},
    "pound": {"tickprefix": "£", "tickformat": ",.2f"},
}
LABEL_FORMATS = {
    "general": "%{value:.3~g}",
    "percent": "%{value:.1f}%",
    "thousands": "%{value:,.0f}",
    "dollar": "$%{value:,.0f}",
    "euro": "%{value:,.0f} €",
    "pound": "£%{value:,.2f}",
}


def options(rng: random.Random, spec: dict[str, Any]) -> dict[str, Any]:
    ctype, bars = (
        spec["type"],
        spec["type"] not in PIES and not spec["type"].startswith(("line", "scatter", "area")),
    )
    return {
        "template": rng.choice(TEMPLATES),
        "legend": rng.choice(("right", "right", "bottom", "top", "inside")),
        "data_labels": bars and ctype != "column_percent" and rng.random() < 0.3,
        "pie_text": rng.choice(("percent", "label+percent", "none")),
        "size": rng.choice(((800, 500), (900, 560), (1000, 600), (700, 450))),
        "scale": rng.choice((1.0, 1.25, 1.5, 2.0)),
        "markers": rng.choice(("circle", "square", "diamond", "triangle-up")),
    }


def figure(spec: dict[str, Any]) -> Any:
    """The plotly figure of one chart."""
    import plotly.graph_objects as go

    o, ctype, series, labels = spec["options"], spec["type"], spec["series"], spec["categories"]
    labels = [label.replace("\n", "<br>") for label in labels or []]
    horizontal, stacked = ctype in HORIZONTAL, ctype in STACKED
    fig = go.Figure()
    if ctype in PIES:
        text = o["pie_text"]
        fig.add_trace(
            go.Pie(
                labels=labels,
                values=spec["raw_values"],
                hole=0.45 if ctype == "doughnut" else 0,
                sort=False,
                direction="clockwise",
                textinfo=text,
                name=series[0]["name"],
            )
        )
    for s in series if ctype not in PIES else ():
        fig.add_trace(_trace(go, spec, s, labels, horizontal, stacked))
    layout: dict[str, Any] = {
        "template": o["template"],
        "width": o["size"][0],
        "height": o["size"][1],
        "title": {"text": spec["title"]} if spec["title"] else None,
        "showlegend": ctype in PIES or len(series) > 1,
        "legend": _legend(o["legend"]),
    }
    if ctype not in PIES:
        layout["barmode"] = "stack" if stacked else "group"
        _axes(spec, layout, horizontal)
    fig.update_layout(**layout)
    return fig


def _trace(
    go: Any,
    spec: dict[str, Any],
    s: dict[str, Any],
    labels: list[str],
    horizontal: bool,
    stacked: bool,
) -> Any:
    o, ctype = spec["options"], spec["type"]
    yaxis = "y2" if s["axis"] == "secondary" else "y"
    if ctype == "scatter":
        xs, ys = zip(*s["points"], strict=True)
        marker = {"symbol": o["markers"], "size": 9}
        return go.Scatter(x=xs, y=ys, mode="markers", name=s["name"], marker=marker)
    xs: list[Any] = labels
    if ctype == "line_date":
        xs = [dt.date.fromisoformat(d) for d in spec["category_dates"]]
    if s["mark"] == "bar":
        text: dict[str, Any] = {}
        if o["data_labels"]:
            text = {
                "texttemplate": LABEL_FORMATS[spec["number_format"]],
                "textposition": "inside" if stacked else "outside",
            }
        if horizontal:
            return go.Bar(x=s["values"], y=xs, orientation="h", name=s["name"], **text)
        return go.Bar(x=xs, y=s["values"], name=s["name"], yaxis=yaxis, **text)
    if s["mark"] == "line":
        mode = "lines+markers" if ctype == "line_markers" else "lines"
        return go.Scatter(
            x=xs,
            y=s["values"],
            mode=mode,
            name=s["name"],
            yaxis=yaxis,
            marker={"symbol": o["markers"], "size": 8},
            line={"width": 2.5},
        )
    if stacked:  # stacked area
        return go.Scatter(x=xs, y=s["values"], mode="lines", name=s["name"], stackgroup="one")
    return go.Scatter(x=xs, y=s["values"], mode="lines", name=s["name"], fill="tozeroy")


def _legend(place: str) -> dict[str, Any]:
    if place == "bottom":
        return {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.2, "yanchor": "top"}
    if place == "top":
        return {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 1.02, "yanchor": "bottom"}
    if place == "inside":
        return {"x": 0.99, "xanchor": "right", "y": 0.99, "yanchor": "top"}
    return {}


def _axes(spec: dict[str, Any], layout: dict[str, Any], horizontal: bool) -> None:
    ctype = spec["type"]
    number_format = "percent" if ctype == "column_percent" else spec["number_format"]
    # Room for the tick labels: plotly.js leaves the margins as they are by default, and
    # long slanted labels then run off the chart's foot, unseen.
    value_axis: dict[str, Any] = {**AXIS_FORMATS[number_format], "automargin": True}
    category_axis: dict[str, Any] = {"automargin": True}
    if ctype == "column_percent":
        value_axis["range"] = [0, 100]
    if ctype == "line_date":
        dates = [dt.date.fromisoformat(d) for d in spec["category_dates"]]
        category_axis.update(
            tickvals=dates, tickformat=spec["date_axis"]["format"], tickangle=-45, type="date"
        )
    elif ctype != "scatter":
        category_axis["type"] = "category"  # numbers printed as categories stay categories
    value_axis["title"] = {"text": spec["y_label"]} if spec["y_label"] else None
    category_axis["title"] = {"text": spec["x_label"]} if spec["x_label"] else None
    if ctype == "scatter":
        category_axis["title"] = {"text": spec["x_label"]}
    layout["xaxis"], layout["yaxis"] = (
        (value_axis, category_axis) if horizontal else (category_axis, value_axis)
    )
    if horizontal:
        category_axis["autorange"] = "reversed"  # the first category on top, as it is read
    if ctype == "bar_line_secondary":
        layout["yaxis2"] = {
            **AXIS_FORMATS[spec["y2_number_format"]],
            "title": {"text": spec["y2_label"]},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "automargin": True,
        }
        if not layout["legend"]:  # the default place, right of the plot: beyond the axis
            layout["legend"] = {"x": 1.1}


def build_plotly(
    specs: list[dict[str, Any]], folder: Path, finish: Callable[[dict[str, Any]], None]
) -> None:
    """Draws every chart in one headless Chromium."""
    import plotly
    import plotly.io as pio

    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

    def draw(page: Any, spec: dict[str, Any]) -> str:
        page.set_content(
            "<html><body style='margin:0;background:white'><div id='chart'></div></body></html>"
        )
        page.add_script_tag(path=str(bundle))
        page.evaluate(
            "fig => Plotly.newPlot('chart', fig.data, fig.layout, {staticPlot: true})",
            json.loads(pio.to_json(figure(spec))),
        )
        return "#chart"

    render_in_chromium(specs, folder, finish, draw)
