"""A matplotlib line chart of three series over ten years, drawn at a screen's 96 pixels
an inch, for the tests of thin lines and of charts pasted in PDF pages."""

from __future__ import annotations

import io

YEARS = list(range(2000, 2010))
SERIES = {
    "Sales": [30, 25, 30, 28, 26, 30, 28, 20, 20, 16],
    "Costs": [28, 20, 19, 14, 10, 12, 15, 18, 22, 25],
    "Income": [48, 45, 42, 40, 38, 33, 30, 26, 22, 18],
}  # thousands


def line_chart_png(linewidth: float) -> bytes:
    """The chart as a PNG of 672 by 432 pixels, its lines ``linewidth`` points wide."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=96)
    for name, values in SERIES.items():
        axes.plot(YEARS, [v * 1000 for v in values], linewidth=linewidth, label=name)
    axes.legend()
    axes.set_xticks(YEARS)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=96)
    plt.close(figure)
    return out.getvalue()
