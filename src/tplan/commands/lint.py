"""`tplan lint`: lint paths and print the report."""

from __future__ import annotations

import datetime as _dt
import sys

from tplan.diagnostics import Report, Severity
from tplan.errors import TplanError
from tplan.linter import LintSettings, lint_paths


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    from tplan.rules import ALL_RULES

    out = tuple(part.strip() for part in value.split(",") if part.strip())
    for selector in out:
        if not any(r.code.startswith(selector.upper()) or r.name == selector for r in ALL_RULES):
            raise TplanError(f"unknown rule '{selector}'; `tplan rules` lists every code")
    return out


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
    fail_on: str = "warning",
    jobs: int | None = None,
) -> int:
    if jobs is not None and jobs < 1:
        raise TplanError(f"--jobs must be 1 or more (got {jobs}); leave it out to use one worker per CPU core")
    settings = LintSettings(
        today=today or _dt.date.today(),
        select=_codes(select),
        ignore=_codes(ignore),
        fail_on=severity(fail_on),
        jobs=jobs,
    )
    report = lint_paths(paths, settings)
    print_text(report)
    _note_slow_parser()
    return report.exit_code


def _note_slow_parser() -> None:
    """One line on stderr when the C YAML parser is missing: silent in a normal install."""
    from tplan.loader import C_PARSER_MISSING, using_c_parser

    if not using_c_parser():
        print(f"tplan: note: {C_PARSER_MISSING}", file=sys.stderr)


def print_text(report: Report) -> None:
    """Colour on a terminal only (rich honours NO_COLOR and pipes); plain lines otherwise."""
    from tplan.reporters import text

    if not sys.stdout.isatty():
        sys.stdout.write(text.render(report) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for d in report.diagnostics:
        line = Text(f"{text.location(d)}: ", style="bold")
        line.append(d.code, style="bold")
        line.append(f" {d.severity.value}", style=text.STYLE[d.severity])
        line.append(f" {d.message}")
        console.print(line, soft_wrap=True)
    console.print(Text(text.summary(report), style="bold"), soft_wrap=True)
