"""docvlm as a batch job: worker processes against one, re-runs, and the answer cache.

    python benchmarks/batch.py [--workload ocr|charts|tables ...] [--limit N]
        [--workers 2] [--no-cache-run]

For each workload (corpus documents from ../shared/corpus, see its INDEX.md) the command
``docvlm extract FILES -s SCHEMA [-E OPTION] -o OUT/ -f jsonl --workers N`` runs with 1
worker, then with ``--workers`` (after a run on one file that warms the disk cache);
reported per run: wall time, the speed-up over one worker, CPU seconds (user + system of
the command and every process it started) and CPU utilisation (those over wall time and
the cores), the peak resident memory of the largest worker (of the command itself with
one worker), and whether the outputs are byte-equal to one worker's. Then the finished
run is run again into the same folder (every input is skipped: its time against the first
run's). Last, a job on a tiny random transformers model (``tests/tiny_vlms.py``, built
offline) runs twice in this process with one answer cache: the cached re-run's time (the
model is loaded once, before both) and whether its records are the same. The command
runs from bytecode, as an installed docvlm does (``PYTHONDONTWRITEBYTECODE`` is lifted
for it). First of all, the ceiling: how much more work ``--workers`` processes of plain
Python do than one on this machine. Cores that are hardware threads of one core keep it
under ``--workers`` x; so does other work: Linux (with ``kernel.sched_autogroup_enabled``)
gives each terminal session one share of a busy machine however many processes it runs,
so that there the ceiling is near 1x and no speed-up is measurable. Measure on an idle
machine.

Workloads, two of single-threaded work and one of threaded work:

- ``ocr``: the scanned receipts (key-values) read with Tesseract (``-E ocr=tesseract``).
  Tesseract (tesserocr's bundled build, without OpenMP) runs on one thread; the default
  OCR backend, RapidOCR, runs on ONNX Runtime's threads, so one worker already uses every
  core, and is several times slower on these receipts.
- ``charts``: the vega-lite charts as one-page vector PDFs (chart), OCR off
  (``-E ocr=none``): the vector reader alone, on one thread. With OCR on, the few charts
  it cannot calibrate (edge cases the corpus does not recommend) fall back to the raster
  reader and RapidOCR, which take most of the workload's time on ONNX Runtime's threads.
- ``tables``: digital PDFs of the table corpora (table, through pymupdf's layout model,
  which runs on ONNX Runtime's threads: capped per worker so that workers x threads fit
  the cores).

With few or fast documents (the charts: about 40 ms each), what a run does once (the
command's start, its imports, its workers' start: forked once the command imported the
native engine's libraries, on Linux) weighs on the speed-up; ``--limit`` runs shorten
every workload alike. Wall times are the command's own, from its start to its end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

# name: (schema, engine options, file patterns under the corpus)
WORKLOADS: dict[str, tuple[str, list[str], list[str]]] = {
    "ocr": ("keyvalues", ["ocr=tesseract"], ["sroie-receipts/*.jpg"]),
    "charts": ("chart", ["ocr=none"], ["vega-lite-charts/*.pdf"]),
    "tables": (
        "table",
        [],
        [
            "icdar2013-eu/**/*.pdf",
            "camelot-tests/**/*.pdf",
            "tabula-java-tests/**/*.pdf",
            "tabula-py-tests/**/*.pdf",
        ],
    ),
}


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    code: int


def workload_files(name: str, limit: int | None) -> list[str]:
    _, _, patterns = WORKLOADS[name]
    files = sorted({str(p) for pattern in patterns for p in CORPUS.glob(pattern)})
    return files[:limit] if limit else files


def command_env() -> dict[str, str]:
    """The command's environment: this checkout's docvlm, compiled once to bytecode (in
    its ``__pycache__`` folders), as an installed package is (pip compiles it). Under
    PYTHONDONTWRITEBYTECODE every process, each worker too, would compile docvlm anew: 0.1
    CPU-second each."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compile_all = [sys.executable, "-m", "compileall", "-q", str(ROOT / "docvlm")]
    subprocess.run(compile_all, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def run_command(argv: list[str], env: dict[str, str]) -> Run:
    """Run the docvlm command; its wall time, the CPU time of it and every process it
    started (they are all waited for), and the largest peak RSS among them. A fresh
    process runs it and reads its own children's usage, so one run's peak is not another's.
    """
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "docvlm.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code, cpu, peak_kib, seconds = json.loads(done.stdout.splitlines()[-1])
    return Run(seconds, cpu, peak_kib / 1024, code)


# Runs argv[1:] and prints [exit status, the CPU seconds of it and its descendants, the
# largest peak RSS (KiB) among its worker processes (its children; the command's own when
# it has none), its wall time (from its start to its end, not this interpreter's)].
# /proc/PID/status's VmHWM is a process's peak RSS; the workers' are read every 0.1 s
# until they end (Linux only; elsewhere the largest descendant's ru_maxrss).
_MEASURE = """
import json, os, resource, subprocess, sys, time
started = time.perf_counter()
run = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peaks = {}
def children():
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            with open(f"/proc/{entry}/stat") as stat:
                if int(stat.read().rsplit(")", 1)[1].split()[1]) == run.pid:
                    found.append(entry)
        except (OSError, ValueError, IndexError):
            pass
    return found
while True:
    for pid in children():
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
        except OSError:
            pass
    try:
        run.wait(timeout=0.1)  # (returns as the command ends: its wall time is exact)
        break
    except subprocess.TimeoutExpired:
        pass
seconds = time.perf_counter() - started
use = resource.getrusage(resource.RUSAGE_CHILDREN)
workers = [kib for kib in peaks.values() if kib > 50_000]  # not a resource tracker
cpu = use.ru_utime + use.ru_stime
print(json.dumps([run.returncode, cpu, max(workers or [use.ru_maxrss]), seconds]))
"""


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*.jsonl"))
        if not p.name.startswith("_")
    }


def measure_workload(
    name: str, files: list[str], workers: int, tmp: Path, env: dict[str, str]
) -> None:
    schema, engine_options, _ = WORKLOADS[name]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    options = ["-s", schema, "-f", "jsonl", *(f"-E{option}" for option in engine_options)]
    shown = " ".join(options[:2] + options[4:])  # the schema and engine options
    print(f"\n## {name}: {len(files)} documents, {shown}, {cores} cores")
    print("| workers | wall s | speed-up | CPU s | CPU util | peak RSS/worker MB | exit | same |")
    print("|---|---|---|---|---|---|---|---|")
    # Not measured: a first run reads the libraries from disk, which the next ones do not.
    run_command(["extract", files[0], *options, "-o", f"{tmp}/{name}-warm-up/"], env)
    runs: dict[int, Run] = {}
    for count in dict.fromkeys([1, workers]):
        out = tmp / f"{name}-w{count}"
        argv = ["extract", *files, *options, "-o", f"{out}/", "--workers", str(count)]
        runs[count] = run_command([*argv, "--no-progress"], env)
        run = runs[count]
        same = outputs(out) == outputs(tmp / f"{name}-w1")
        print(
            f"| {count} | {run.seconds:.1f} | {runs[1].seconds / run.seconds:.2f}x | "
            f"{run.cpu_seconds:.1f} | {run.cpu_seconds / run.seconds / (cores or 1):.0%} | "
            f"{run.peak_rss_mb:.0f} | {run.code} | {'yes' if same else 'NO'} |"
        )
    out = tmp / f"{name}-w{workers}"
    again = run_command(
        ["extract", *files, *options, "-o", f"{out}/", "--workers", str(workers), "--no-progress"],
        env,
    )
    first = runs[workers].seconds
    print(
        f"\nfinished re-run (every input skipped): {again.seconds:.2f} s, "
        f"{again.seconds / first:.1%} of the first run's {first:.1f} s"
    )


def measure_ceiling(workers: int) -> None:
    """The most that ``workers`` processes can gain on this machine: a loop of plain Python
    (one thread, little memory traffic) run in one process, then in ``workers`` at once.
    No workload's speed-up can beat this one's (see the module's docstring)."""
    loops = 10_000_000
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.map(_spin, [1] * workers)  # every worker started
        started = time.perf_counter()
        pool.map(_spin, [loops])
        one = time.perf_counter() - started
        started = time.perf_counter()
        pool.map(_spin, [loops] * workers)
        many = time.perf_counter() - started
    print(
        f"\n## ceiling: {workers} processes of a plain Python loop do "
        f"{workers * one / many:.2f}x the work of one ({one:.2f} s alone, {many:.2f} s side "
        "by side)"
    )


def _spin(loops: int) -> int:
    total = 0
    for number in range(loops):
        total += number % 7
    return total


def measure_cache(tmp: Path) -> None:
    """A tiny random model's job run twice with one answer cache, in this process: the
    model is loaded once, so the times are the extractions' alone."""
    sys.path.insert(0, str(ROOT))
    import docvlm
    from docvlm.tiling import TileOptions
    from tests.tiny_vlms import build

    model = build("idefics3", tmp / "tiny-idefics3")
    engine = docvlm.get_engine("transformers", model=str(model), device="cpu", max_new_tokens=600)
    # A random model's answer is often invalid, and an invalid answer is not kept: this
    # page's is valid (with these options), so the re-run shows the cache alone.
    files = [ROOT / "fixtures" / "sales_table.pdf"]
    tiles = TileOptions(dpi=40, tile_size=512)  # one small tile per page

    def job() -> tuple[float, list, int]:
        started = time.perf_counter()
        results = [
            docvlm.extract(f, schema="menu", engine=engine, tiles=tiles, cache=tmp / "answers")
            for f in files
        ]
        records = [[r.model_dump(mode="json") for r in result.records] for result in results]
        hits = sum(result.usage.get("cache_hits", 0) for result in results)
        return time.perf_counter() - started, records, hits

    first, first_records, _ = job()
    again, again_records, hits = job()
    print(
        f"\n## answer cache (tiny idefics3, {len(files)} one-page document, one tile)\n"
        f"first run {first:.2f} s, cached re-run {again:.3f} s ({hits} cache hits): "
        f"{first / again:.0f}x faster; same records: "
        f"{'yes' if first_records == again_records else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workload", action="append", choices=sorted(WORKLOADS), help="[every workload]"
    )
    parser.add_argument("--limit", type=int, help="the first N documents of each workload")
    parser.add_argument("--workers", type=int, default=2, help="against one worker [2]")
    parser.add_argument("--no-cache-run", action="store_true", help="skip the tiny-model job")
    args = parser.parse_args()
    names = args.workload or sorted(WORKLOADS)
    measure_ceiling(args.workers)
    with tempfile.TemporaryDirectory(prefix="docvlm-batch-") as folder:
        tmp = Path(folder)
        env = command_env()
        total = 0
        for name in names:
            files = workload_files(name, args.limit)
            total += len(files)
            measure_workload(name, files, args.workers, tmp, env)
        print(f"\n{total} documents in all")
        if not args.no_cache_run:
            measure_cache(tmp)


if __name__ == "__main__":
    main()
