"""The ``docvlm`` command.

Exit status: 0 when everything went well, 1 when some files or pages failed (what
succeeded is still written), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from docvlm import writers
from docvlm.commands import (
    EXIT_USAGE,
    UsageError,
    _reporter,
    run_ask,
    run_cache,
    run_engines,
    run_extract,
    run_schemas,
)
from docvlm.errors import (
    EngineOptionError,
    EngineUnavailableError,
    PageSelectionError,
    SchemaError,
)
from docvlm.events import LOG_FORMATS, configure_logging

# The built-in schemas' names, for the help text (a test keeps them equal to BUILTIN_SCHEMAS).
SCHEMA_NAMES = ("table", "menu", "chart", "keyvalues")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(getattr(args, "log_format", "text"), args.verbose)
    try:
        return int(args.run(args))
    except UsageError as exc:
        if getattr(args, "log_format", "text") == "json":
            _reporter(args).line(str(exc), "failure", stage="usage", status="error")
            return EXIT_USAGE
        parser.exit(EXIT_USAGE, f"docvlm: error: {exc}\n")
    except (SchemaError, EngineUnavailableError, EngineOptionError, PageSelectionError) as exc:
        _reporter(args).error(exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("docvlm: interrupted", file=sys.stderr)
        return 130


def run() -> NoReturn:
    """The ``docvlm`` command: ``main``, then an exit without the interpreter's teardown.
    Once the exit handlers have run and the output is flushed, nothing of the process is
    needed; freeing pymupdf's, OpenCV's and ONNX Runtime's state object by object would
    take about 0.1 s, a share of every short run."""
    code = main()
    atexit._run_exitfuncs()  # (logging's flush among them)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone, a closed stream
            stream.flush()
    os._exit(code)


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
        help="progress bar over the pages of all inputs, on standard error [shown when the "
        "work takes over a second and standard error is a terminal, and --log-format is text]",
    )
    ex.add_argument(
        "--workers",
        "-j",
        type=int,
        metavar="N",
        help="processes that extract documents (and the page ranges of long ones) side by "
        "side, each with its share of the cores' threads [every core for the native engine, "
        "1 for model engines]",
    )
    ex.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        default="text",
        help="standard error: text lines, or json: one JSON event per line (per file and "
        "per failure: event, file, page, stage, message, seconds, status, records) [text]",
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
        help="any other engine option; the engine's options model reads VALUE: "
        "numbers, true/false, none, comma-separated lists",
    )


if __name__ == "__main__":
    run()
