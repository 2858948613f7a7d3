"""The command line. Each command collects options, calls one function, and exits with its int."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import List, Optional

import typer

from tplan.errors import TplanError

app = typer.Typer(
    name="tplan",
    help="Treatment plans as code: scaffold, lint and render mental-health treatment plans kept as YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def parse_date(value: str | None, option: str) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise TplanError(f"{option} must be a date written as YYYY-MM-DD, e.g. 2026-12-01 (got '{value}')") from None


@app.command()
def lint(
    paths: List[str] = typer.Argument(..., help="Plan files or folders (searched recursively for *.yaml and *.yml)."),
    today: Optional[str] = typer.Option(None, "--today", help="Treat this date (YYYY-MM-DD) as today, for reproducible CI runs."),
    select: Optional[str] = typer.Option(None, "--select", help="Only these rules: comma-separated codes, prefixes (S1) or names."),
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Skip these rules: comma-separated codes, prefixes or names."),
    fail_on: str = typer.Option("warning", "--fail-on", help="Lowest severity that makes the run fail: error, warning or info."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Worker processes for many files (default: one per CPU core; 1: no workers)."),
) -> None:
    """Check plans against the format and the SMART, golden-thread and compliance rules.

    Exit codes: 0 no failing findings; 1 findings at or above --fail-on; 2 a file could not be read
    or parsed, or the command line is wrong.
    """
    from tplan.commands.lint import run_lint

    raise typer.Exit(run_lint(paths, today=parse_date(today, "--today"), select=select, ignore=ignore, fail_on=fail_on, jobs=jobs))


@app.command()
def measures() -> None:
    """List the measures catalogue: instrument ids, ranges, better direction and severity bands."""
    from tplan.commands.measures import run_measures

    raise typer.Exit(run_measures())


# ---- performance and tooling (issue 8): --version with the YAML parser in use; `tplan schema` ----


def _print_version(value: bool) -> None:
    if value:
        from tplan.commands.version import version_text

        print(version_text())
        raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Show the version and the YAML parser in use, then exit."),
) -> None:
    pass


@app.command()
def schema(
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Write the schema to this file instead of printing it."),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Print the plan format as JSON Schema, for editors (YAML language server) and other tools.

    Point your editor at it with a first line such as
    `# yaml-language-server: $schema=./tplan.schema.json`. tplan lint checks more than the schema can
    express (SMART, golden-thread and compliance rules); the schema gives completion and early typos.
    """
    from tplan.commands.schema import run_schema

    raise typer.Exit(run_schema(output, force=force))


def main() -> None:
    """Entry point: one clear line and exit 2 for anything the user must fix; never a traceback."""
    try:
        app()
    except TplanError as exc:
        print(f"tplan: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("tplan: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, not a traceback
        print(f"tplan: internal error: {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        sys.exit(2)
