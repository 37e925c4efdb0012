"""Chart: title, type, axis labels and data series."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from docvlm.schemas.base import NativeReader, Record

if TYPE_CHECKING:  # pandas is imported when a frame is made, not with the schemas
    import pandas as pd

ChartType = Literal["bar", "line", "scatter", "area", "pie", "other"]


class Point(BaseModel):
    model_config = ConfigDict(extra="forbid")

    x: float | str = Field(description="The category, date or number on the x axis")
    y: float | None = Field(description="The value; null when the mark cannot be read")


class Series(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, description="The legend entry")
    points: list[Point] = Field(default_factory=list, max_length=5000)


class Chart(Record):
    """A chart's data: one or more series of (x, y) points."""

    schema_name: ClassVar[str] = "chart"
    native_reader: ClassVar[NativeReader | None] = "chart"
    task: ClassVar[str] = (
        "Extract the chart's data: title, chart type, axis labels, and every series "
        "(named by its legend entry) as (x, y) points."
    )
    derived_fields: ClassVar[frozenset[str]] = frozenset({"chart_type"})

    title: str | None = Field(default=None, max_length=500)
    chart_type: ChartType = "other"
    x_label: str | None = Field(default=None, max_length=200)
    y_label: str | None = Field(default=None, max_length=200)
    series: list[Series] = Field(default_factory=list, max_length=100)

    def row_paths(self) -> list[str]:
        return [
            f"series.{s}.points.{p}"
            for s, series in enumerate(self.series)
            for p in range(len(series.points))
        ]

    def gaps(self) -> list[str]:
        gaps = []
        unnamed = sum(series.name is None for series in self.series)
        if unnamed and len(self.series) > 1:
            gaps.append(f"{unnamed} of {len(self.series)} series have no name (legend not read)")
        if self.chart_type in ("bar", "area"):
            # A series has one bar (or area point) a category: a second one there means
            # labels run together (two categories read as one) or a mark read in pieces. A
            # line may hold one twice: a dashed run drawn on from a solid run's last point.
            twice = sum(
                len(labels) - len(set(labels))
                for labels in ([str(p.x) for p in s.points] for s in self.series)
            )
            mark = "bar" if self.chart_type == "bar" else "point"
            if twice:
                gaps.append(
                    f"{twice} {mark}(s) at a category their series already has "
                    f"(category labels or {mark}s not told apart)"
                )
        unread = sum(point.y is None for series in self.series for point in series.points)
        if unread:
            gaps.append(f"{unread} point(s) without a value")
        return gaps + self._doubled_names() + self._uneven_series()

    def _doubled_names(self) -> list[str]:
        """Two series of one name: two colours the legend did not tell apart."""
        names = Counter(series.name for series in self.series if series.name)
        doubled = sorted(name for name, count in names.items() if count > 1)
        return (
            [f"{len(doubled)} name(s) given to two series: {', '.join(doubled)}"] if doubled else []
        )

    def _uneven_series(self) -> list[str]:
        """On a chart of categories, series that do not cover the categories the others
        cover: one at few of them (stray marks read as a series), or values missing here
        and there (a zero drawn as nothing, a mark not read, a label read as two)."""
        categorical = all(isinstance(p.x, str) for s in self.series for p in s.points)
        placed = [s for s in self.series if s.points]
        if self.chart_type not in ("bar", "line", "area") or not categorical or len(placed) < 2:
            return []
        gaps = []
        rows = [{str(p.x) for p in series.points} for series in placed]
        categories = set().union(*rows)
        few = [
            series.name or "unnamed"
            for series, row in zip(placed, rows, strict=True)
            if 2 * len(row) <= len(categories)
        ]
        if few:
            gaps.append(
                f"{len(few)} series at half the categories or fewer ({', '.join(few)}): "
                "stray marks read as a series, or a series mostly not read"
            )
        missing = sum(len(categories - row) for row in rows if 2 * len(row) > len(categories))
        if missing:
            gaps.append(
                f"{missing} value(s) missing where other series have one "
                f"(of {len(categories)} categories): a zero, or a mark not read"
            )
        return gaps

    def value_path(self, row_path: str, column: int, label: str) -> str:
        if label == "series":  # a point's row carries its series' name
            return f"{row_path.partition('.points.')[0]}.name"
        return super().value_path(row_path, column, label)

    def to_dataframe(self) -> pd.DataFrame:
        """A long frame: one row per point, columns series, x, y."""
        import pandas as pd

        rows = [
            {"series": series.name, "x": point.x, "y": point.y}
            for series in self.series
            for point in series.points
        ]
        return pd.DataFrame(rows, columns=["series", "x", "y"])

    def typed_frame(self) -> pd.DataFrame:
        """The long form, typed: series named and ordered, x as drawn, y as floats."""
        from docvlm.frames import chart_long

        return chart_long(self)

    def to_pandas(self, types: bool = True) -> pd.DataFrame:
        """The wide form: one row per x in the order drawn (an ordered categorical for
        categories), one column per series in legend order (a single unnamed series is
        named after the title, or 'value'), the values y. ``types=False`` keeps each x as
        printed. ``Result.to_pandas`` gives the long form."""
        from docvlm.frames import chart_wide

        return chart_wide(self, types)

    def plot(self, ax: Any = None) -> Any:
        """Redraw the data with matplotlib (an optional dependency) as the same kind of
        chart, titled and labelled as read, to check it against the page by eye; draws on
        ``ax`` when given, and returns the Axes."""
        from docvlm.plotting import plot_chart

        return plot_chart(self, ax)
