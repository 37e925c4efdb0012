"""Peak memory and time of reading one very large chart image.

    python benchmarks/large_image.py [--megapixels 40] [--schema chart] [--dpi none]

Draws a bar chart (axes, tick labels, five coloured bars, a title) on a canvas of about
``--megapixels`` million pixels, saves it as a PNG without resolution metadata (or with
``--dpi``), then runs ``docvlm.extract`` on it in a fresh process and reports that
process's peak resident memory (``ru_maxrss``) and wall time, with what was read.
A fresh process per run keeps the figure the document's own, not the benchmark's.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

VALUES = {"North": 12.0, "South": 30.0, "East": 22.0, "West": 8.0, "Central": 17.0}
COLOURS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]

RUN = """
import json, resource, sys, time
start = time.perf_counter()
import docvlm
result = docvlm.extract(sys.argv[1], schema=sys.argv[2])
seconds = time.perf_counter() - start
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
points = [
    (p.x, p.y) for record in result.records for s in getattr(record, "series", []) for p in s.points
]
print(json.dumps({"seconds": seconds, "peak_mib": peak_mib, "status": result.status,
                  "errors": [str(e) for e in result.errors], "points": points}))
"""


def draw_chart(path: Path, megapixels: float, dpi: float | None) -> tuple[int, int]:
    """A bar chart at 4:3 of about ``megapixels`` million pixels, drawn in proportion."""
    height = int(math.sqrt(megapixels * 1e6 * 3 / 4))
    width = int(height * 4 / 3)
    unit = height / 1000  # the drawing is laid out on a 1333 x 1000 grid
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=max(10, round(22 * unit)))
    left, right, top, bottom = 150 * unit, 1280 * unit, 120 * unit, 860 * unit
    line = max(1, round(2 * unit))
    draw.text((width / 2, 50 * unit), "Sales by region", fill="black", font=font, anchor="mm")
    top_value = 35.0
    for tick in range(0, 36, 5):
        y = bottom - (bottom - top) * tick / top_value
        draw.line([(left, y), (right, y)], fill=(220, 220, 220), width=line)
        draw.text((left - 15 * unit, y), str(tick), fill="black", font=font, anchor="rm")
    draw.line([(left, top), (left, bottom)], fill="black", width=line)
    draw.line([(left, bottom), (right, bottom)], fill="black", width=line)
    slot = (right - left) / len(VALUES)
    for i, ((name, value), colour) in enumerate(zip(VALUES.items(), COLOURS, strict=True)):
        x0 = left + slot * (i + 0.2)
        x1 = left + slot * (i + 0.8)
        y = bottom - (bottom - top) * value / top_value
        draw.rectangle([x0, y, x1, bottom], fill=colour)
        draw.text(((x0 + x1) / 2, bottom + 30 * unit), name, fill="black", font=font, anchor="mm")
    info = {"dpi": (dpi, dpi)} if dpi else {}
    image.save(path, **info)
    return width, height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megapixels", type=float, default=40.0)
    parser.add_argument("--schema", default="chart")
    parser.add_argument("--dpi", type=float, default=None, help="resolution metadata [none]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "chart.png"
        width, height = draw_chart(path, args.megapixels, args.dpi)
        size_mb = path.stat().st_size / 1e6
        done = subprocess.run(
            [sys.executable, "-c", RUN, str(path), args.schema],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        sys.exit(f"the run failed:\n{done.stderr}")
    run = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"{width}x{height} px ({width * height / 1e6:.1f} MP, PNG {size_mb:.1f} MB, "
        f"dpi {args.dpi or 'none'}), schema {args.schema}: "
        f"peak RSS {run['peak_mib']:.0f} MiB, {run['seconds']:.1f} s, status {run['status']}"
    )
    for error in run["errors"]:
        print(f"  error: {error}")
    print(f"  points read: {run['points']}")
    print(f"  drawn:       {list(VALUES.items())}")


if __name__ == "__main__":
    main()
