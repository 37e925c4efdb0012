"""What a run says on standard error: plain lines (``text``), or one JSON object per line
(``json``) that a log pipeline can parse.

In the JSON form every line is an event with the same keys: ``event`` (``file``: an input
finished; ``failure``: an input or a page failed; ``warning``; ``skipped``: an earlier run
finished the input; ``message``: anything else, such as a log record), ``file``, ``page``,
``stage``, ``message``, ``seconds``, ``status`` and ``records`` (null where they do not
apply). Nothing else is written to standard error in that form.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from typing import TYPE_CHECKING, Any, Literal

from docvlm.errors import DocvlmError

if TYPE_CHECKING:
    from docvlm.ask import AskResult
    from docvlm.result import Result
    from docvlm.resume import FolderRun

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
EVENT_KEYS = ("event", "file", "page", "stage", "message", "seconds", "status", "records")


class Reporter:
    """Standard error's reports of a run, in ``log_format``."""

    def __init__(self, log_format: LogFormat = "text", verbose: bool = False) -> None:
        self.json = log_format == "json"
        self.verbose = verbose

    def line(self, message: str, event: str = "message", **fields: Any) -> None:
        """One report: ``docvlm: message`` as text, or a JSON event."""
        if self.json:
            print(event_line(event, message=message, **fields), file=sys.stderr, flush=True)
        else:
            print(f"docvlm: {message}", file=sys.stderr)

    def error(self, exc: BaseException, file: str | None = None) -> None:
        """An error that stopped an input (or the run)."""
        if self.verbose and not self.json:
            traceback.print_exception(exc, file=sys.stderr)
        if not self.json:
            print(f"docvlm: {exc}", file=sys.stderr)
            return
        message = exc.message if isinstance(exc, DocvlmError) else str(exc)
        path = exc.path if isinstance(exc, DocvlmError) else None
        self.line(message, "failure", file=file or path, stage="load", status="error")

    def outcome(self, result: Result, seconds: float, empty_fails: bool = False) -> None:
        """An input's result: its errors and warnings, then (JSON) the input's own event."""
        if not self.json:
            for line in [*error_lines(result), *warning_lines(result, self.verbose)]:
                print(f"docvlm: {line}", file=sys.stderr)
            return
        for error in result.errors:
            self.line(
                error.message, "failure", file=result.source, page=error.page, stage=error.stage
            )
        for warning in result.warnings:
            if warning.kind != "empty" or self.verbose or not result.items:
                self.line(
                    warning.message,
                    "warning",
                    file=result.source,
                    page=warning.page,
                    stage=warning.stage,
                )
        self.line(
            f"{result.status}: {len(result.items)} records from {len(result.page_numbers)} pages",
            "file",
            file=result.source,
            seconds=round(seconds, 3),
            status=result.status,
            records=len(result.items),
        )

    def failed_input(self, path: str, exc: DocvlmError, seconds: float) -> None:
        """An input that could not be read at all."""
        if not self.json:
            self.error(exc)
            return
        self.line(exc.message, "failure", file=path, stage="load", status="error")
        self.line("error: not read", "file", file=path, seconds=round(seconds, 3), status="error")


def event_line(event: str, **fields: Any) -> str:
    """One JSON event, every key present."""
    record = {key: fields.get(key) for key in EVENT_KEYS}
    record["event"] = event
    return json.dumps(record, ensure_ascii=False)


class JsonLogFormatter(logging.Formatter):
    """Log records as ``message`` events, so that JSON mode's standard error stays JSON."""

    def format(self, record: logging.LogRecord) -> str:
        return event_line("message", message=record.getMessage(), stage=record.levelname.lower())


def configure_logging(log_format: LogFormat, verbose: bool) -> None:
    """The ``docvlm`` command's logging: plain ``docvlm: ...`` lines, or JSON events (and
    Python warnings with them)."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLogFormatter())
        logging.captureWarnings(True)
    else:
        handler.setFormatter(logging.Formatter("docvlm: %(message)s"))
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler], force=True
    )


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


def report_skipped(
    run: FolderRun, total: int, args: argparse.Namespace, reporter: Reporter
) -> bool:
    """One line on the inputs an earlier run finished (JSON: an event each); whether one of
    them counts as a failure now (an empty one, under --fail-on-empty)."""
    if reporter.json:
        for entry in run.skipped:
            reporter.line(
                "an earlier run finished it with these options",
                "skipped",
                file=entry.input,
                status=entry.status,
                records=entry.records,
            )
    else:
        reporter.line(
            f"{len(run.skipped)} of {total} inputs skipped: an earlier run extracted "
            f"them into {args.output} with these options (see {run.manifest.path.name}; "
            "--force redoes them)"
        )
    return args.fail_on_empty and any(entry.status == "empty" for entry in run.skipped)
