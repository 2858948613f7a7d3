"""`tplan lint`: read the config, lint paths, print the report in the chosen format."""

from __future__ import annotations

import datetime as _dt
import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tplan.diagnostics import Report, Severity
from tplan.errors import TplanError

if TYPE_CHECKING:
    from tplan.linter import LintSettings


def _codes(value: str | None, option: str) -> tuple[str, ...] | None:
    """Comma-separated selectors from the command line; None when the option was not given."""
    if value is None:
        return None
    from tplan.ruleselect import check_selectors

    return check_selectors(value.split(","), option)


def severity(value: str, option: str = "--fail-on") -> Severity:
    try:
        return Severity(value.lower())
    except ValueError:
        raise TplanError(f"{option} must be error, warning or info (got '{value}')") from None


def run_lint(
    paths: list[str],
    today: _dt.date | None = None,
    select: str | None = None,
    ignore: str | None = None,
    fail_on: str | None = None,
    output_format: str = "text",
    quiet: bool = False,
    statistics: bool = False,
    config_file: str | None = None,
    isolated: bool = False,
    jobs: int | None = None,
    stdin_filename: str | None = None,
) -> int:
    from tplan.config import lint_settings, load_config
    from tplan.fanout import checked_jobs
    from tplan.linter import lint_paths
    from tplan.reporters import REPORTERS, pieces

    checked_jobs(jobs)
    if output_format not in REPORTERS:
        raise TplanError(f"--format must be one of {', '.join(REPORTERS)} (got '{output_format}')")
    if statistics and output_format != "text":
        raise TplanError("--statistics works with --format text only")
    settings = lint_settings(
        load_config(config_file, isolated),
        today=today,
        select=_codes(select, "--select"),
        ignore=_codes(ignore, "--ignore"),
        fail_on=severity(fail_on) if fail_on is not None else None,
        jobs=jobs,
    )
    paths, stdin = _stdin(paths, stdin_filename, settings)
    report = lint_paths(paths, settings, stdin)
    if output_format == "text":
        print_text(report, quiet=quiet, statistics=statistics)
    else:
        write_pieces(pieces(output_format, report))
    _note_slow_parser()
    return report.exit_code


def _stdin(
    paths: list[str], stdin_filename: str | None, settings: LintSettings
) -> tuple[list[str], tuple[str, bytes] | None]:
    """The paths without `-`, and (name, bytes) of the plan on standard input when `-` is one:
    at most one byte more than max-file-bytes, so `cat /dev/zero | tplan lint -` stops at once
    and the linter refuses it as it refuses a large file."""
    from tplan.linter import STDIN

    given = paths.count(STDIN)
    if given > 1:
        raise TplanError("'-' (standard input) can be given once only")
    if not given:
        if stdin_filename is not None:
            raise TplanError("--stdin-filename names the plan read from standard input: give '-' as a path too")
        return paths, None
    if stdin_filename is not None and not stdin_filename.strip():
        raise TplanError("--stdin-filename needs a file name, e.g. plans/TP-2026-0042.yaml")
    limit = settings.limits.max_file_bytes
    if hasattr(sys.stdin, "buffer"):
        raw = sys.stdin.buffer.read(limit + 1)
    else:  # a text-only stream (an embedding program's): characters, then bytes
        raw = sys.stdin.read(limit + 1).encode("utf-8")[: limit + 1]
    return [p for p in paths if p != STDIN], (stdin_filename or STDIN, raw)


def write_pieces(output: Iterable[str]) -> None:
    """The output as it is made, then a newline; nothing at all when it is empty (a clean run in
    the github format), as when it was written in one piece."""
    wrote = False
    for piece in output:
        if piece:
            sys.stdout.write(piece)
            wrote = True
    if wrote:
        sys.stdout.write("\n")


def _note_slow_parser() -> None:
    """One line on stderr when the C YAML parser is missing: silent in a normal install."""
    from tplan.loader import C_PARSER_MISSING, using_c_parser

    if not using_c_parser():
        print(f"tplan: note: {C_PARSER_MISSING}", file=sys.stderr)


def print_text(report: Report, *, quiet: bool = False, statistics: bool = False) -> None:
    """Colour and bold on a terminal only; plain lines when piped or redirected, or when NO_COLOR
    is set (rich alone would drop the colours but keep the bold)."""
    from tplan.reporters import text

    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        sys.stdout.writelines(f"{line}\n" for line in text.lines(report, quiet=quiet, statistics=statistics))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    if statistics:
        for row in text.rule_counts(report):
            console.print(row, soft_wrap=True)
    else:
        for d in (d for f in report.files for d in f.diagnostics):
            line = Text(f"{text.location(d)}: ", style="bold")
            line.append(d.code, style="bold")
            line.append(f" {d.severity.value}", style=text.STYLE[d.severity])
            line.append(f" {text.message(d)}")
            console.print(line, soft_wrap=True)
    if not quiet:
        console.print(Text(text.summary(report), style="bold"), soft_wrap=True)
