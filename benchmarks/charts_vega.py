"""Native vector-chart reading on the vega-lite charts (one-page PDFs made from their SVGs).

    python benchmarks/charts_vega.py [--all] [--raster] [-v] [--json PATH] [--compare OLD]

For each chart flagged ``recommended`` (``--all``: every chart), extracts a Chart record with
the native engine and compares it with the chart's exact data (``<name>.data.csv``) through
its encoding: a category (nominal/ordinal x, y or colour) picks the predicted point, and each
quantitative x/y/theta value counts as right when it is within 1% of the axis range
(the range of the data, from zero for bars and areas). Pie values are compared as shares.
Secondary channels (x2, y2, offsets) are not scored.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import docvlm

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "vega-lite-charts"
TOLERANCE = 0.01  # of the axis range; --raster uses 0.05


def norm(value: object) -> str:
    return str(value).strip().lower()


def as_float(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return None


def score_chart(
    chart: docvlm.Chart | None,
    rows: list[dict[str, str]],
    encoding: dict,
    mark: str,
    orient: str | None = None,
) -> tuple[int, int]:
    """(values within tolerance, values scored) for one chart."""
    enc = {k: v for k, v in encoding.items() if isinstance(v, dict) and "field" in v}

    def quantitative(channel: str) -> bool:
        spec = enc.get(channel)
        return bool(spec) and (
            spec.get("type") == "quantitative"
            or (
                spec.get("type") is None
                and all(as_float(r[spec["field"]]) is not None for r in rows)
            )
        )

    points = [(s.name, p) for s in (chart.series if chart else []) for p in s.points]
    group = enc.get("color", enc.get("xOffset", enc.get("yOffset")))
    group_field = group["field"] if group else None
    if mark == "arc":
        if not quantitative("theta"):  # radial charts (value on the radius) are not read
            return 0, len(rows)
        value_field, key_field = enc["theta"]["field"], enc.get("color", {}).get("field")
        total = sum(float(r[value_field]) for r in rows)
        targets = [
            (r.get(key_field) if key_field else None, None, float(r[value_field]) / total)
            for r in rows
        ]
        return _match(targets, points, 1.0, None, by_series=False)
    horizontal = quantitative("x") and (orient == "horizontal" or not quantitative("y"))
    value_channel, key_channel = ("x", "y") if horizontal else ("y", "x")
    if not quantitative(value_channel):
        return 0, len(rows)
    value_field = enc[value_channel]["field"]
    key_spec = enc.get(key_channel)
    key_field = key_spec["field"] if key_spec else None
    key_numeric = bool(key_spec) and quantitative(key_channel)
    values = [float(r[value_field]) for r in rows if as_float(r[value_field]) is not None]
    span = max(values) - min(min(values), 0.0) or 1.0
    targets = [
        (
            r.get(group_field) if group_field else None,
            r.get(key_field) if key_field else None,
            float(r[value_field]),
        )
        for r in rows
        if as_float(r[value_field]) is not None
    ]
    key_span = None
    if key_numeric:
        keys = [float(r[key_field]) for r in rows]
        key_span = (max(keys) - min(keys)) or 1.0
    good, total = _match(targets, points, span, key_span, by_series=bool(group_field))
    return good, total + (len(rows) - len(targets))


def _match(targets, points, span, key_span, by_series):
    used: set[int] = set()
    good = 0
    scored = 0
    for group, key, value in targets:
        scored += 1 if key_span is None else 2
        best, best_error = None, None
        for i, (series, point) in enumerate(points):
            if i in used or point.y is None:
                continue
            if by_series and series is not None and norm(series) != norm(group):
                continue
            key_error = 0.0
            if key_span is not None:
                x = as_float(point.x)
                if x is None:
                    continue
                key_error = abs(x - float(key)) / key_span
            elif (key is not None and norm(point.x) != norm(key)) or (
                key is None and group is not None and not by_series and norm(point.x) != norm(group)
            ):
                continue
            error = max(abs(point.y - value) / span, key_error)
            if best_error is None or error < best_error:
                best, best_error = i, error
        if best is not None:
            used.add(best)
            within_value = abs(points[best][1].y - value) / span <= TOLERANCE
            good += within_value
            if key_span is not None:
                good += abs(float(points[best][1].x) - float(key)) / key_span <= TOLERANCE
    return good, scored


def _has_values(encoding: dict) -> bool:
    return any(
        (isinstance(v, dict) and v.get("type") == "quantitative")
        or (isinstance(v, dict) and k in ("x2", "y2"))
        for k, v in encoding.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT)
    parser.add_argument("--all", action="store_true", help="every chart, not only recommended")
    parser.add_argument(
        "--raster", action="store_true", help="read the PNGs (OCR + colours) and score within 5%%"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--only", help="comma-separated chart names: read only these")
    parser.add_argument("--json", type=Path, help="write per-chart results here")
    parser.add_argument("--compare", type=Path, help="an earlier --json file to compare with")
    args = parser.parse_args()
    global TOLERANCE
    if args.raster:
        TOLERANCE = 0.05
    manifest = json.loads((args.corpus / "manifest.json").read_text())["charts"]
    charts = [c for c in manifest if args.all or c["recommended"]]
    if args.only:
        charts = [c for c in charts if c["chart"] in args.only.split(",")]
    good = total = 0
    unscored = []
    rows_out: list[dict] = []
    start = time.perf_counter()
    for entry in charts:
        rows = list(csv.DictReader((args.corpus / entry["data_csv"]).open()))
        if not _has_values(entry["encoding"]):
            unscored.append(entry["chart"])
            continue
        source = entry["png"] if args.raster else entry["pdf"]
        result = docvlm.extract(args.corpus / source, schema="chart")
        chart = result.records[0] if result.records else None
        spec = json.loads((args.corpus / entry["spec"]).read_text())
        orient = spec["mark"].get("orient") if isinstance(spec["mark"], dict) else None
        g, t = score_chart(chart, rows, entry["encoding"], entry["mark"], orient)  # type: ignore[arg-type]
        good, total = good + g, total + t
        rows_out.append(
            {
                "chart": entry["chart"],
                "mark": entry["mark"],
                "right": g,
                "scored": t,
                "records": len(result.records),
                "status": result.status,
                "warnings": [str(w) for w in result.warnings],
            }
        )
        if args.verbose:
            print(
                f"{entry['chart']:40} {entry['mark']:6} {g:3}/{t:<3}"
                f"{'' if chart else '  (no chart found)'}"
            )
    elapsed = time.perf_counter() - start
    if unscored:
        print(f"not scored, no quantitative channel: {', '.join(unscored)}")
    print(
        f"charts {len(charts) - len(unscored)}  values within {TOLERANCE:.0%} of the axis range: "
        f"{good}/{total} "
        f"= {100 * good / max(total, 1):.1f}%"
    )
    print(f"speed {len(charts) / elapsed:.1f} pages/s")
    if args.json:
        args.json.write_text(json.dumps({"charts": rows_out}, indent=1))
    if args.compare:
        compare(rows_out, args.compare)


def compare(rows: list[dict], old_path: Path) -> None:
    """Per chart, what changed since an earlier ``--json`` run."""
    old = {r["chart"]: r for r in json.loads(old_path.read_text())["charts"]}
    changes = [
        (row["right"] - old[row["chart"]]["right"], row)
        for row in rows
        if row["chart"] in old and row["right"] != old[row["chart"]]["right"]
    ]
    worse = sum(delta < 0 for delta, _ in changes)
    print(f"\ncompared with {old_path}: {len(changes) - worse} chart(s) better, {worse} worse")
    for delta, row in sorted(changes, key=lambda c: c[0]):
        was = old[row["chart"]]["right"]
        print(f"  {delta:+4}  {row['chart']}  {was} -> {row['right']} of {row['scored']}")
    was = sum(old[r["chart"]]["right"] for r in rows if r["chart"] in old)
    now = sum(r["right"] for r in rows if r["chart"] in old)
    print(f"  {was} -> {now} values right")


if __name__ == "__main__":
    main()
