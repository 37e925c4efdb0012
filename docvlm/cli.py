"""The ``docvlm`` command.

Exit status: 0 when everything went well, 1 when some files or pages failed (what
succeeded is still written), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import logging
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docvlm import atomic, writers
from docvlm import pages as page_selection
from docvlm.errors import DocvlmError, EngineUnavailableError, PageSelectionError, SchemaError

# Everything else (pymupdf, pandas, Pillow, pydantic models, OCR, the engines) is imported
# where a command first needs it, so `docvlm --help` starts at once.
if TYPE_CHECKING:
    from tqdm import tqdm

    from docvlm.ask import AskResult
    from docvlm.cache import AnswerCache
    from docvlm.engines.base import Engine
    from docvlm.result import Result
    from docvlm.resume import FolderRun
    from docvlm.tiling import TileOptions

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2
# The built-in schemas' names, for the help text (a test keeps them equal to BUILTIN_SCHEMAS).
SCHEMA_NAMES = ("table", "menu", "chart", "keyvalues")


class UsageError(Exception):
    """A command line that cannot be run as given."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="docvlm: %(message)s"
    )
    try:
        return int(args.run(args))
    except UsageError as exc:
        parser.exit(EXIT_USAGE, f"docvlm: error: {exc}\n")
    except (SchemaError, EngineUnavailableError, PageSelectionError) as exc:
        _report(args, exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("docvlm: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docvlm",
        description="Turn PDFs, scans and chart images into typed records and tables.",
        epilog="Run 'docvlm COMMAND --help' for a command's options.",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="show tracebacks and debug logs"
    )
    sub = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    ex = sub.add_parser(
        "extract",
        help="extract records from documents",
        description="Extract schema records from PDFs and images. Exit status: 0 all went "
        "well (a file where no record was found is named on standard error); 1 some files or "
        "pages failed (the rest is still written), or --fail-on-empty and a file gave no "
        "record; 2 usage error.",
    )
    ex.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or glob patterns")
    ex.add_argument(
        "--schema",
        "-s",
        default="table",
        help=f"built-in schema ({', '.join(SCHEMA_NAMES)}) or a JSON Schema file [table]",
    )
    ex.add_argument("--engine", "-e", default="native", help="extraction engine [native]")
    ex.add_argument(
        "--format",
        "-f",
        choices=writers.FORMATS,
        default=None,
        help="output format [from -o's suffix, else json]",
    )
    ex.add_argument(
        "--output",
        "-o",
        metavar="OUT",
        help="output file, or a folder (existing, or ending in /) for one file per input at "
        "its path under the inputs' common folder, with a manifest that lets a re-run skip "
        "finished inputs; standard output when omitted",
    )
    ex.add_argument(
        "--force",
        action="store_true",
        help="with -o DIR/: redo inputs an earlier run into DIR already finished",
    )
    _add_model_options(ex)
    ex.add_argument("--pages", "-p", help="page selection, e.g. '1-3,7' or '5-' (1-based)")
    ex.add_argument("--password", help="password of encrypted PDFs")
    ex.add_argument("--dpi", type=float, default=150.0, help="rasterising resolution [150]")
    ex.add_argument("--tile-size", type=int, help="tile side in pixels [the engine's choice]")
    ex.add_argument("--overlap", type=int, default=64, help="tile overlap in pixels [64]")
    ex.add_argument(
        "--rasteriser",
        choices=["pymupdf", "pdf2image"],
        default="pymupdf",
        help="page renderer [pymupdf]",
    )
    ex.add_argument(
        "--keys",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="CSV/Parquet: add source, page and record columns [only when there "
        "is more than one record; the long layout always has them]",
    )
    ex.add_argument(
        "--layout",
        choices=["wide", "long"],
        default=None,
        help="CSV/Parquet/JSONL: wide: each record's own columns, records with the same "
        "columns stacked; long: one row per value under the same typed columns for every "
        "schema (source, page, record, record_type, path, row, col, header, text, "
        "value_num, value_date, bbox_x0, bbox_y0, bbox_x1, bbox_y1, status, confidence, "
        "engine), so any outputs concatenate [CSV/Parquet: wide, or long when the records' "
        "columns differ; JSONL: one line per record]",
    )
    ex.add_argument(
        "--long", dest="layout", action="store_const", const="long", help="--layout long"
    )
    ex.add_argument("--strict", action="store_true", help="stop at the first failing page")
    ex.add_argument(
        "--fail-on-empty",
        action="store_true",
        help="exit with status 1 when a file gives no record at all (it is always named on "
        "standard error, with the reasons)",
    )
    ex.add_argument(
        "--overlay",
        metavar="DIR",
        help="also save each page that has records as DIR/<folder>/<file>-page<N>.png "
        "(<folder>: the input's, under the inputs' common one), drawn with the records' "
        "regions and their values' boxes (coloured by match status)",
    )
    ex.add_argument(
        "--html",
        metavar="DIR",
        help="also write a review page per input as DIR/<folder>/<file>.html (mirrored like "
        "-o DIR/): one self-contained HTML file, opened offline, with the pages and every "
        "value's box, a panel of the values (status, confidence, page) to click through, "
        "filters for values not found, fuzzy or under 0.8 confidence, and keys j/k to step "
        "through the doubtful ones",
    )
    ex.add_argument(
        "--no-merge-pages",
        dest="merge_pages",
        action="store_false",
        help="keep a table continued on the next page as one table per page",
    )
    ex.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on standard error [shown when the work takes over a "
        "second and standard error is a terminal]",
    )
    ex.set_defaults(run=run_extract)

    sc = sub.add_parser(
        "schemas", help="list the built-in schemas", description="List the built-in record schemas."
    )
    sc.add_argument("--json-schema", metavar="NAME", help="print the JSON Schema of one schema")
    sc.add_argument(
        "--export", metavar="DIR", help="write <name>.schema.json of every built-in schema into DIR"
    )
    sc.set_defaults(run=run_schemas)

    qa = sub.add_parser(
        "ask",
        help="ask a question about a document",
        description="Ask a free-form question of each page with a model engine; prints the "
        "document's answer (that of the first page that has one) or, with --format json, "
        "every page's answer. Exit status as for extract.",
    )
    qa.add_argument("path", metavar="PATH", help="a PDF or image")
    qa.add_argument("question", help="the question, in quotes")
    qa.add_argument("--engine", "-e", default="transformers", help="model engine [transformers]")
    qa.add_argument(
        "--format",
        "-f",
        choices=["text", "json"],
        default="text",
        help="text: the answer alone; json: every page's answer [text]",
    )
    qa.add_argument("--pages", "-p", help="page selection, e.g. '1-3,7'")
    qa.add_argument("--password", help="password of an encrypted PDF")
    qa.add_argument("--dpi", type=float, default=150.0, help="rasterising resolution [150]")
    _add_model_options(qa)
    qa.set_defaults(run=run_ask)

    en = sub.add_parser(
        "engines",
        help="list the available engines",
        description="List the extraction engines docvlm can use.",
    )
    en.set_defaults(run=run_engines)

    ca = sub.add_parser(
        "cache",
        help="show or clear the answer cache",
        description="The answer cache keeps model engines' answers per tile, so a re-run "
        "asks the model only for what changed. info: where it is, its size and its answers "
        "by engine and model; clear: remove every answer.",
    )
    ca.add_argument("action", choices=["info", "clear"])
    ca.add_argument(
        "--cache",
        metavar="DIR",
        help="the cache folder [the user cache folder, or $DOCVLM_CACHE_DIR]",
    )
    ca.add_argument("--format", "-f", choices=["text", "json"], default="text")
    ca.set_defaults(run=run_cache)
    return parser


def _add_model_options(parser: argparse.ArgumentParser) -> None:
    vlm = parser.add_argument_group("model engines (transformers, openai, anthropic)")
    vlm.add_argument(
        "--model",
        "-m",
        help="model folder or cached id (transformers); model name on the server (others)",
    )
    vlm.add_argument(
        "--base-url",
        help="API root of the server, e.g. http://localhost:8000/v1 (openai, anthropic)",
    )
    vlm.add_argument("--device", help="cpu, cuda, cuda:N or auto (transformers) [auto]")
    vlm.add_argument("--dtype", help="auto, float32, bfloat16, float16 (transformers) [auto]")
    vlm.add_argument("--max-new-tokens", type=int, help="answer length limit per tile")
    vlm.add_argument("--concurrency", type=int, help="requests in flight (openai, anthropic) [4]")
    vlm.add_argument(
        "--cache",
        metavar="DIR",
        help="answer cache folder: model answers are kept there and a re-run takes them "
        "from it [the user cache folder, or $DOCVLM_CACHE_DIR]",
    )
    vlm.add_argument(
        "--no-cache",
        action="store_true",
        help="ask the model for every tile, and keep no answer",
    )
    vlm.add_argument(
        "--engine-option",
        "-E",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any other engine option; VALUE is read as JSON when it parses",
    )


def run_extract(args: argparse.Namespace) -> int:
    fmt, to_folder = _output_form(args)
    files, failures = expand_paths(args.paths)
    run = _plan_folder_run(files, fmt, args) if to_folder else None
    overlays = _overlay_folders(files, args.overlay) if args.overlay else {}
    reviews = _review_pages(files, args.html) if args.html else {}
    engine, tiles = _settings(args)
    for message in failures:
        print(f"docvlm: {message}", file=sys.stderr)
    with _answer_cache(args) as cache:
        return _run_extract(
            args, fmt, files, failures, run, overlays, reviews, engine, tiles, cache
        )


def _run_extract(
    args: argparse.Namespace,
    fmt: writers.Format,
    files: list[str],
    failures: list[str],
    run: FolderRun | None,
    overlays: dict[str, Path],
    reviews: dict[str, Path],
    engine: Engine,
    tiles: TileOptions,
    cache: AnswerCache | bool,
) -> int:
    results: list[Result] = []
    failed = bool(failures)
    skip = run.skip if run else None
    for path, outcome, seconds in _extract_each(files, args, engine, tiles, cache, skip):
        failed = _report_outcome(outcome, args, overlays.get(path), reviews.get(path)) or failed
        if run is not None:
            if not isinstance(outcome, DocvlmError):
                writers.write([outcome], fmt, run.outputs[path], args.keys, args.layout)
            run.record(path, outcome, seconds)  # after the output is in place
        elif not isinstance(outcome, DocvlmError):
            results.append(outcome)
    if run is None:
        writers.write(results, fmt, args.output or sys.stdout, args.keys, args.layout)
    elif run.skipped:
        failed = _report_skipped(run, len(files), args) or failed
    return EXIT_PARTIAL if failed else EXIT_OK


def _report_skipped(run: FolderRun, total: int, args: argparse.Namespace) -> bool:
    """One line on the inputs an earlier run finished; whether one of them counts as a
    failure now (an empty one, under --fail-on-empty)."""
    print(
        f"docvlm: {len(run.skipped)} of {total} inputs skipped: an earlier run extracted "
        f"them into {args.output} with these options (see {run.manifest.path.name}; "
        "--force redoes them)",
        file=sys.stderr,
    )
    return args.fail_on_empty and any(entry.status == "empty" for entry in run.skipped)


def _output_form(args: argparse.Namespace) -> tuple[writers.Format, bool]:
    """The output format, and whether -o names a folder (one file per input)."""
    to_folder = bool(args.output) and (
        args.output.endswith(("/", "\\")) or Path(args.output).is_dir()
    )
    fmt = args.format or (writers.guess_format(args.output) if args.output else None) or "json"
    suffix = Path(args.output).suffix if args.output and not to_folder else ""
    if not args.format and suffix and writers.guess_format(args.output) is None:
        raise UsageError(
            f"docvlm does not write {suffix} files: name the output "
            f"{', '.join('.' + f for f in writers.FORMATS)}, or give --format "
            f"({', '.join(writers.FORMATS)})"
        )
    if fmt in writers.BINARY_FORMATS and not args.output:
        raise UsageError(f"{fmt} output is binary: give a file or folder with -o")
    if args.force and not to_folder:
        raise UsageError("--force redoes inputs finished in an output folder: give -o DIR/")
    return fmt, to_folder


def _plan_folder_run(files: list[str], fmt: str, args: argparse.Namespace) -> FolderRun:
    from docvlm.mirror import OutputPathError
    from docvlm.resume import FolderRun

    try:
        return FolderRun(files, args.output, fmt, output_options(args, fmt), args.force)
    except OutputPathError as exc:
        raise UsageError(str(exc)) from None


def _review_pages(files: list[str], folder: str) -> dict[str, Path]:
    """Where each input's review page goes: its path under the inputs' common folder,
    mirrored in --html DIR with the suffix .html."""
    from docvlm.mirror import OutputPathError, mirrored_outputs

    try:
        return mirrored_outputs(files, folder, "html")
    except OutputPathError as exc:
        raise UsageError(str(exc)) from None


def _overlay_folders(files: list[str], overlay: str) -> dict[str, Path]:
    """Where each input's overlays go: its folder under the inputs' common one, mirrored
    in --overlay DIR, so that same-named inputs in different folders keep theirs apart."""
    from docvlm.mirror import OutputPathError, relative_paths

    try:
        return {path: Path(overlay) / p.parent for path, p in relative_paths(files).items()}
    except OutputPathError as exc:
        raise UsageError(str(exc)) from None


# The options that shape what is written for an input: a re-run with any of them changed
# redoes every input. The others (OTHER_OPTIONS) change where or how the run goes, or how
# it reports, not an output's content. A test keeps the two lists covering every option.
OUTPUT_OPTIONS = (
    "schema", "engine", "model", "base_url", "device", "dtype", "max_new_tokens",
    "engine_option", "pages", "dpi", "tile_size", "overlap", "rasteriser", "keys", "layout",
    "overlay", "html", "merge_pages",
)  # fmt: skip
OTHER_OPTIONS = (
    "paths", "output", "format", "password", "concurrency", "strict", "fail_on_empty",
    "progress", "force", "verbose", "run", "cache", "no_cache",
)  # fmt: skip


def output_options(args: argparse.Namespace, fmt: str) -> dict[str, Any]:
    """What the manifest's options hash is made of: the output options, the format, and
    the content of a JSON Schema file (an edited schema changes the records)."""
    from docvlm.manifest import file_hash

    options = {name: getattr(args, name) for name in OUTPUT_OPTIONS}
    options["format"] = fmt
    if Path(args.schema).is_file():
        options["schema_file"] = file_hash(args.schema)
    return options


def _report_outcome(
    outcome: Result | DocvlmError,
    args: argparse.Namespace,
    overlays: Path | None,
    review: Path | None = None,
) -> bool:
    """Say on standard error what went wrong with one input (and save its overlays into
    ``overlays``, its review page as ``review``); whether it counts as a failure."""
    if isinstance(outcome, DocvlmError):
        _report(args, outcome)
        return True
    for line in [*error_lines(outcome), *warning_lines(outcome, args.verbose)]:
        print(f"docvlm: {line}", file=sys.stderr)
    failed = bool(outcome.errors) or (args.fail_on_empty and outcome.status == "empty")
    if overlays is not None:
        failed = not save_overlays(outcome, overlays, args.password) or failed
    if review is not None:
        failed = not save_review(outcome, review, args.password) or failed
    return failed


def error_lines(result: Result | AskResult) -> list[str]:
    """A result's errors for standard error: one line per cause, naming the pages it
    struck (a server that cannot be reached is one line, not one per page)."""
    pages: dict[tuple[str, str], list[int]] = {}
    whole: list[str] = []
    for error in result.errors:
        if error.page is None:
            whole.append(str(error))
        else:
            pages.setdefault((error.stage, error.message), []).append(error.page)
    lines = list(dict.fromkeys(whole))
    for (_, message), numbers in pages.items():
        where = "page" if len(set(numbers)) == 1 else "pages"
        lines.append(f"{result.source}: {where} {page_ranges(numbers)}: {message}")
    return lines


def warning_lines(result: Result, verbose: bool = False) -> list[str]:
    """A result's warnings for standard error: one line for a file where no page held a
    record (with the reasons), and each warning about an incomplete or doubtful record.
    Pages without a record in a file that has some are listed with ``verbose`` only."""
    empty = [w for w in result.warnings if w.kind == "empty"]
    lines = [str(w) for w in result.warnings if w.kind != "empty"]
    if empty and (verbose or not result.items):
        reasons = dict.fromkeys(w.message.partition(": ")[2] for w in empty)
        pages = page_ranges([w.page for w in empty if w.page])
        because = "; ".join(r for r in reasons if r)
        where = f"page {pages}" if len(empty) == 1 else f"pages {pages}"
        lines.insert(0, f"{result.source}: {empty[0].message.partition(':')[0]} on {where}")
        if because:
            lines[0] += f" ({because})"
    return lines


def page_ranges(pages: list[int]) -> str:
    """'1-3, 7' for [1, 2, 3, 7]."""
    runs: list[list[int]] = []
    for page in sorted(set(pages)):
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def save_overlays(result: Result, folder: Path, password: str | None = None) -> bool:
    """Each page of ``result`` that has records, drawn (see ``docvlm.overlay``) into
    ``folder`` (opening the document with ``password``); False (after saying why) when
    they cannot be written."""
    from docvlm.overlay import overlay_name

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for page in sorted({p for item in result.items for p in item.provenance.pages}):
            with atomic.replacing(folder / overlay_name(result.source, page)) as handle:
                result.show(page, password=password).save(handle, format="PNG")
    except (OSError, DocvlmError, ValueError) as exc:
        print(f"docvlm: {result.source}: overlay not written: {exc}", file=sys.stderr)
        return False
    return True


def save_review(result: Result, path: Path, password: str | None = None) -> bool:
    """The review page of ``result`` (see ``docvlm.review``) written to ``path`` (opening
    the document with ``password``); False (after saying why) when it cannot be written."""
    try:
        result.to_html(path, password=password)
    except (OSError, DocvlmError, ValueError) as exc:
        print(f"docvlm: {result.source}: review page not written: {exc}", file=sys.stderr)
        return False
    return True


def _settings(args: argparse.Namespace) -> tuple[Engine, TileOptions]:
    """Check everything that does not depend on a file before any work starts."""
    from docvlm.engines.base import get_engine
    from docvlm.pipeline import check_engine_supports
    from docvlm.schemas import resolve_schema
    from docvlm.tiling import TileOptions

    if args.pages:
        page_selection.page_ranges(args.pages)  # the syntax; the range is checked per document
    engine = get_engine(args.engine, **engine_options(args))
    check_engine_supports(engine, resolve_schema(args.schema))
    try:
        tiles = TileOptions(
            dpi=args.dpi, tile_size=args.tile_size, overlap=args.overlap, rasteriser=args.rasteriser
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return engine, tiles


def engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """The engine options given on the command line (only those given)."""
    names = ["model", "base_url", "device", "dtype", "max_new_tokens", "concurrency"]
    options: dict[str, Any] = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    if args.engine == "transformers" and args.model:
        if _missing_folder(args.model):
            raise EngineUnavailableError(f"the model folder {args.model} does not exist")
        if args.model.startswith("~"):
            options["model"] = str(Path(args.model).expanduser())
    for item in args.engine_option:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--engine-option takes KEY=VALUE, got {item!r}")
        try:
            options[key.replace("-", "_")] = json.loads(value)
        except json.JSONDecodeError:
            options[key.replace("-", "_")] = value
    return options


# What a Hugging Face repository id looks like ('Qwen/Qwen2.5-VL-3B-Instruct'); anything
# else given to --model can only be a folder.
_REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]*(/[\w.-]+)?")


def _missing_folder(model: str) -> bool:
    """Whether ``--model`` names a folder (a path that cannot be a repository id) that is
    not there."""
    looks_like_path = (
        model.startswith((".", "~", "/", "\\")) or Path(model).is_absolute()
    ) or not _REPO_ID.fullmatch(model)
    return looks_like_path and not Path(model).expanduser().exists()


def _extract_each(
    files: list[str],
    args: argparse.Namespace,
    engine: Engine,
    tiles: TileOptions,
    cache: AnswerCache | bool,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[tuple[str, Result | DocvlmError, float]]:
    """Extract file by file under a progress bar: each file's result (or why it could not
    be read) and the seconds it took. Files ``skip`` names are passed over."""
    from tqdm import tqdm

    from docvlm.pipeline import extract

    progress = tqdm(
        total=len(files),
        unit="file",
        file=sys.stderr,
        leave=False,
        delay=0 if args.progress else 1.0,
        disable=None if args.progress is None else not args.progress,
    )
    with progress:
        for path in files:
            progress.set_postfix_str(Path(path).name, refresh=False)
            started = time.monotonic()
            try:
                if skip is not None and skip(path):
                    continue
                result = extract(
                    path,
                    schema=args.schema,
                    engine=engine,
                    pages=args.pages,
                    password=args.password,
                    tiles=tiles,
                    strict=args.strict,
                    progress=_page_progress(progress),
                    merge_pages=args.merge_pages,
                    cache=cache,
                )
                yield path, result, time.monotonic() - started
            except DocvlmError as exc:
                yield path, exc, time.monotonic() - started
                if args.strict:
                    return
            finally:
                progress.update(1)
        progress.refresh()  # update() draws at most every 0.1 s: show the last count


@contextlib.contextmanager
def _answer_cache(args: argparse.Namespace) -> Iterator[AnswerCache | bool]:
    """The answer cache ``--cache``/``--no-cache`` ask for, opened once for every file
    (False: none). The database is made only when a model engine first uses it."""
    if args.no_cache:
        if args.cache:
            raise UsageError("--cache and --no-cache together: give one")
        yield False
        return
    from docvlm.cache import AnswerCache

    with AnswerCache(args.cache) as cache:
        yield cache


def _page_progress(bar: tqdm) -> Callable[[int, int], None]:
    def update(done: int, total: int) -> None:
        bar.set_description_str(f"page {done}/{total}", refresh=False)
        bar.refresh()

    return update


def expand_paths(patterns: Sequence[str]) -> tuple[list[str], list[str]]:
    """Files from paths, folders (searched recursively) and glob patterns, in order."""
    from docvlm.document import IMAGE_SUFFIXES

    suffixes = {".pdf", *IMAGE_SUFFIXES}
    files: list[str] = []
    failures: list[str] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in suffixes)
            if not found:
                failures.append(f"{pattern}: the folder holds no PDF or image files")
            files.extend(found)
        elif path.exists() or not glob.has_magic(pattern):
            files.append(pattern)  # a missing file is reported when it is opened
        else:
            matches = sorted(p for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
            if not matches:
                failures.append(f"{pattern}: no files match")
            files.extend(matches)
    return list(dict.fromkeys(files)), failures


def run_ask(args: argparse.Namespace) -> int:
    from docvlm.ask import Answer, ask
    from docvlm.engines.base import get_engine
    from docvlm.pipeline import check_engine_supports

    if args.pages:
        page_selection.page_ranges(args.pages)  # the syntax; the range is checked per document
    if not args.question.strip():
        raise UsageError("the question is empty")
    engine = get_engine(args.engine, **engine_options(args))
    check_engine_supports(engine, Answer)
    try:
        with _answer_cache(args) as cache:
            result = ask(
                args.path,
                args.question,
                engine=engine,
                pages=args.pages,
                password=args.password,
                dpi=args.dpi,
                cache=cache,
            )
    except DocvlmError as exc:
        _report(args, exc)
        return EXIT_PARTIAL
    for line in error_lines(result):
        print(f"docvlm: {line}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif result.answer is not None:  # no page could be asked: the errors say why
        print(result.answer)
    return EXIT_PARTIAL if result.errors else EXIT_OK


def run_schemas(args: argparse.Namespace) -> int:
    from docvlm.schemas import BUILTIN_SCHEMAS, export_json_schemas, resolve_schema

    if args.json_schema:
        model = resolve_schema(args.json_schema)
        print(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.export:
        for path in export_json_schemas(args.export):
            print(path)
        return EXIT_OK
    for name, model in BUILTIN_SCHEMAS.items():
        summary = (model.__doc__ or "").strip().splitlines()[0]
        print(f"{name:<10} {summary}")
    return EXIT_OK


def run_engines(args: argparse.Namespace) -> int:
    from docvlm.engines.base import available_engines

    for name in available_engines():
        print(name)
    return EXIT_OK


def run_cache(args: argparse.Namespace) -> int:
    from docvlm.cache import AnswerCache

    with AnswerCache(args.cache) as cache:
        if args.action == "clear":
            removed = cache.clear()
            if args.format == "json":
                print(json.dumps({"path": str(cache.path), "removed": removed}))
            else:
                print(f"removed {removed:,} answers from {cache.path}")
            return EXIT_OK
        info = cache.info()
    if args.format == "json":
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"path: {info['path']}")
    print(f"answers: {info['answers']:,}")
    print(f"size: {info['bytes'] / 1e6:,.1f} MB")
    for entry in info["models"]:
        print(f"  {entry['engine']} {entry['model']}: {entry['answers']:,}")
    return EXIT_OK


def _report(args: argparse.Namespace, exc: BaseException) -> None:
    if args.verbose:
        traceback.print_exception(exc, file=sys.stderr)
    print(f"docvlm: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
