"""What the ``docvlm`` command's subcommands run (extract, ask, schemas, engines, cache),
and the checks of their options; `docvlm.cli` parses the command line and calls them."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docvlm import pages as page_selection
from docvlm import writers
from docvlm.errors import DocvlmError, EngineUnavailableError
from docvlm.events import Reporter, error_lines, report_skipped
from docvlm.inputs import expand_paths

# Everything else (pymupdf, pandas, Pillow, pydantic models, OCR, the engines) is imported
# where a command first needs it, so `docvlm --help` starts at once.
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from docvlm.batch import Settings
    from docvlm.cache import AnswerCache
    from docvlm.engines.base import Engine
    from docvlm.resume import FolderRun
    from docvlm.tiling import TileOptions

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command line that cannot be run as given."""


def run_extract(args: argparse.Namespace) -> int:
    fmt, to_folder = _output_form(args)
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers takes a number of processes of 1 or more, not {args.workers}")
    files, failures = expand_paths(args.paths)
    run = _plan_folder_run(files, fmt, args) if to_folder else None
    overlays = _overlay_folders(files, args.overlay) if args.overlay else {}
    reviews = _review_pages(files, args.html) if args.html else {}
    if run is not None and run.nothing_to_do():
        return _finished_already(args, files, failures, run)
    tiles = _tile_options(
        dpi=args.dpi, tile_size=args.tile_size, overlap=args.overlap, rasteriser=args.rasteriser
    )
    from docvlm.batch import default_workers, planned_workers, write_outcomes

    engine = _engine(args)
    with _answer_cache(args) as cache:
        settings = _batch_settings(args, tiles, cache)
        workers = planned_workers(files, settings, args.workers or default_workers(args.engine))
        with _workers_started(args.engine, settings, workers, engine) as pool:
            _report_failures(args, failures)
            failed = write_outcomes(
                args, settings, fmt, files, run, overlays, reviews, engine, cache, workers, pool
            )
    return EXIT_PARTIAL if failed or failures else EXIT_OK


def _batch_settings(
    args: argparse.Namespace, tiles: TileOptions, cache: AnswerCache | bool
) -> Settings:
    from docvlm.batch import Settings

    return Settings(
        args.schema, args.engine, engine_options(args), args.pages, args.password, tiles,
        args.strict, args.merge_pages, False if isinstance(cache, bool) else cache.folder,
    )  # fmt: skip


@contextlib.contextmanager
def _workers_started(
    engine_name: str, settings: Settings, workers: int, engine: Callable[[], Engine]
) -> Iterator[ProcessPoolExecutor | None]:
    """The run's ``workers`` processes (None for one), starting now, stopped at the end.
    The native engine is built here first (the check that it reads the schema) and its
    workers forked from this process where that is safe; others start while it is built
    (see ``docvlm.pool.start_pool``)."""
    from docvlm.pool import start_pool

    if workers <= 1:
        yield None
        return
    # The native engine's libraries (pymupdf, OpenCV, numpy) hold no threads or open state
    # until used; a model engine's (torch, HTTP clients) may.
    preload = engine if engine_name == "native" else None
    with start_pool(settings, workers, preload) as pool:
        yield pool


def _finished_already(
    args: argparse.Namespace, files: list[str], failures: list[str], run: FolderRun
) -> int:
    """A re-run into a folder where an earlier run finished every input with these
    options: only the checks of the options that are not hashed into the manifest, and the
    report. No engine is built: its imports alone (pymupdf, OCR, ONNX Runtime) would
    outweigh the rest of such a run many times."""
    if args.pages:
        page_selection.page_ranges(args.pages)
    if args.no_cache and args.cache:
        raise UsageError(_BOTH_CACHE_OPTIONS)
    _report_failures(args, failures)
    failed = report_skipped(run, len(files), args, _reporter(args))
    return EXIT_PARTIAL if failed or failures else EXIT_OK


def _report_failures(args: argparse.Namespace, failures: list[str]) -> None:
    for message in failures:
        _reporter(args).line(message, "failure", file=message.partition(": ")[0])


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
    "progress", "force", "verbose", "run", "cache", "no_cache", "workers", "log_format",
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


def _reporter(args: argparse.Namespace) -> Reporter:
    return Reporter(getattr(args, "log_format", "text"), args.verbose)


def _engine(args: argparse.Namespace) -> Callable[[], Engine]:
    """Check the engine's options and the schema before any work; the engine is built
    (and asked whether it reads the schema) by the function returned, once the first input
    is planned."""
    from docvlm.engines.registry import EngineSpec
    from docvlm.schemas import resolve_schema

    if args.pages:
        page_selection.page_ranges(args.pages)  # the syntax; the range is checked per document
    spec = EngineSpec(args.engine, engine_options(args))  # options checked here
    model = resolve_schema(args.schema)

    @functools.cache
    def engine() -> Engine:
        built = spec.build()
        built.refuse_unsupported(model)
        return built

    return engine


def _tile_options(**options: Any) -> TileOptions:
    from docvlm.tiling import TileOptions

    try:
        return TileOptions(**options)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def engine_options(args: argparse.Namespace) -> dict[str, Any]:
    """The engine options given on the command line (only those given). Values of ``-E``
    stay strings: the engine's options model reads them (docvlm.engines.options)."""
    names = ["model", "base_url", "device", "dtype", "max_new_tokens", "concurrency"]
    options: dict[str, Any] = {n: getattr(args, n) for n in names if getattr(args, n) is not None}
    if args.engine == "transformers" and args.model and _missing_folder(args.model):
        raise EngineUnavailableError(f"the model folder {args.model} does not exist")
    for item in args.engine_option:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--engine-option takes KEY=VALUE, got {item!r}")
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


_BOTH_CACHE_OPTIONS = "--cache and --no-cache together: give one"


@contextlib.contextmanager
def _answer_cache(args: argparse.Namespace) -> Iterator[AnswerCache | bool]:
    """The answer cache ``--cache``/``--no-cache`` ask for, opened once for every file
    (False: none). The database is made only when a model engine first uses it."""
    if args.no_cache:
        if args.cache:
            raise UsageError(_BOTH_CACHE_OPTIONS)
        yield False
        return
    from docvlm.cache import AnswerCache

    with AnswerCache(args.cache) as cache:
        yield cache


def run_ask(args: argparse.Namespace) -> int:
    from docvlm.ask import ask, check_can_answer
    from docvlm.engines.registry import get_engine

    if args.pages:
        page_selection.page_ranges(args.pages)  # the syntax; the range is checked per document
    if not args.question.strip():
        raise UsageError("the question is empty")
    engine = get_engine(args.engine, **engine_options(args))
    check_can_answer(engine)
    tiles = _tile_options(dpi=args.dpi)
    try:
        with _answer_cache(args) as cache:
            result = ask(
                args.path,
                args.question,
                engine=engine,
                pages=args.pages,
                password=args.password,
                tiles=tiles,
                cache=cache,
            )
    except DocvlmError as exc:
        _reporter(args).error(exc)
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
    from docvlm.engines.registry import available_engines

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
