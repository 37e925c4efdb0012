"""What the chart dev set's renderers share (``charts_rendered.py`` and the renderers it
imports): the groups of chart types they draw alike, and how a number format prints."""

from __future__ import annotations

PIES = {"pie", "doughnut"}
HORIZONTAL = {"bar", "bar_stacked"}
STACKED = {"column_stacked", "bar_stacked", "area_stacked", "column_percent"}


def number_text(value: float, number_format: str) -> str:
    """A value as an axis or a data label prints it in this number format."""
    sign = "-" if value < 0 else ""
    if number_format == "percent":
        return f"{round(value, 1):g}%"
    if number_format == "thousands":
        return f"{value:,.0f}"
    if number_format == "dollar":
        return f"{sign}${abs(value):,.0f}"
    if number_format == "euro":
        return f"{value:,.0f} €"
    if number_format == "pound":
        return f"{sign}£{abs(value):,.2f}"
    return f"{value:g}"
