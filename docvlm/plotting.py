"""Extracted charts redrawn with matplotlib, to be checked against the page by eye.

matplotlib is an optional dependency (``pip install matplotlib``) imported only here, when
a chart is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pandas as pd
    from PIL import Image

    from docvlm.provenance import ProvenancedRecord


class Chart(Protocol):
    """What drawing reads of a ``docvlm.schemas.Chart`` (a protocol: a chart draws itself
    through this module, which must not import it back)."""

    @property
    def chart_type(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def x_label(self) -> str | None: ...
    @property
    def y_label(self) -> str | None: ...
    def to_pandas(self, types: bool = True) -> pd.DataFrame: ...


COMPARE_DPI = 100.0
CROP_MARGIN = 30.0  # points of page kept around a chart's region
MAX_TICKS = 20  # numeric x values up to this many are each given a tick


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            "drawing a chart needs matplotlib, an optional dependency: pip install matplotlib"
        ) from exc
    return matplotlib


def plot_chart(chart: Chart, ax: Any = None) -> Any:
    """Draw ``chart`` on ``ax`` (a new figure's Axes when None) as the same kind of chart
    (bar, line, scatter, area, pie; 'other' as lines), with its title and axis labels;
    return the Axes."""
    import numpy as np
    import pandas as pd

    _matplotlib()
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    wide = chart.to_pandas()
    categorical = isinstance(wide.index, pd.CategoricalIndex)
    labels = [str(x) for x in wide.index]
    where = np.arange(len(wide)) if categorical else wide.index.to_numpy()
    several = len(wide.columns) > 1
    kind = chart.chart_type
    if kind == "pie" and len(wide.columns):
        values = wide.iloc[:, 0].fillna(0).clip(lower=0)
        ax.pie(
            values.to_numpy(),
            labels=labels,
            autopct="%1.0f%%",
            startangle=90,
            counterclock=False,  # as charts are drawn: clockwise from the top
        )
        ax.set_aspect("equal")
    elif kind == "bar":
        width = 0.8 / max(1, len(wide.columns))
        for i, name in enumerate(wide.columns):
            offset = (i - (len(wide.columns) - 1) / 2) * width
            ax.bar(np.arange(len(wide)) + offset, wide[name].to_numpy(), width, label=str(name))
        ax.set_xticks(np.arange(len(wide)), labels)
    else:
        for name in wide.columns:
            ys = wide[name].to_numpy()
            if kind == "scatter":
                ax.scatter(where, ys, label=str(name))
            elif kind == "area":
                ax.fill_between(where, ys, alpha=0.4, label=str(name))
                ax.plot(where, ys)
            else:
                ax.plot(where, ys, marker="o", label=str(name))
        if categorical:
            ax.set_xticks(where, labels)
        elif wide.index.dtype.kind in "if" and 0 < len(wide) <= MAX_TICKS:
            ax.set_xticks(where, [f"{x:g}" for x in where])  # years as 2019, not 2019.0
    if chart.title:
        ax.set_title(chart.title)
    if kind != "pie":
        ax.set_xlabel(chart.x_label or "")
        ax.set_ylabel(chart.y_label or "")
    if several:
        ax.legend(title=None)
    return ax


def compare(
    image: Image.Image,
    charts: Sequence[ProvenancedRecord],
    title: str,
    page: int,
    dpi: float = COMPARE_DPI,
) -> Any:
    """A matplotlib Figure: the ``image`` of ``page`` (drawn at ``dpi``, its boxes drawn;
    cropped to the charts read on it) on the left, each of ``charts`` redrawn on the right."""
    from matplotlib.figure import Figure

    from docvlm.geometry import BBox

    _matplotlib()
    # The charts' regions and the boxes of their values (a legend, a title outside).
    places = [(w.page, w.bbox) for i in charts for w in i.provenance.regions]
    places += [(f.page, f.bbox) for i in charts for f in i.provenance.fields]
    boxes = [BBox(*box) for on, box in places if on == page and box is not None]
    if boxes:
        box = BBox.enclosing(boxes)
        scale = dpi / 72.0
        image = image.crop(
            (
                max(0, int((box.x0 - CROP_MARGIN) * scale)),
                max(0, int((box.y0 - CROP_MARGIN) * scale)),
                min(image.width, int((box.x1 + CROP_MARGIN) * scale) + 1),
                min(image.height, int((box.y1 + CROP_MARGIN) * scale) + 1),
            )
        )
    figure = Figure(figsize=(5.0 * (1 + max(1, len(charts))), 4.0), layout="constrained")
    axes = figure.subplots(1, 1 + max(1, len(charts)), squeeze=False)[0]
    axes[0].imshow(image)
    axes[0].set_axis_off()
    axes[0].set_title(title, fontsize="small")
    for ax, item in zip(axes[1:], charts, strict=False):
        plot_chart(item.record, ax)  # type: ignore[arg-type]
    if not charts:
        axes[1].set_axis_off()
        axes[1].text(0.5, 0.5, "no chart read on this page", ha="center", va="center")
    return figure
