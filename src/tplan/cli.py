"""The command line. Each command collects options, calls one function, and exits with its int."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import List, Optional

import typer

from tplan.errors import TplanError
from tplan.reporters import Format

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
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest severity that makes the run fail: error, warning (default) or info."),
    output_format: Format = typer.Option("text", "--format", help="text for people; json for scripts; sarif for GitHub code scanning; github for pull-request annotations."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Text format: the findings only, no summary line (a clean run prints nothing)."),
    statistics: bool = typer.Option(False, "--statistics", help="Text format: how many findings each rule has, instead of each finding."),
    config: Optional[str] = typer.Option(None, "--config", help="Use this config file (.tplan.toml, or a pyproject.toml with a tool.tplan table) instead of searching for one."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every config file: defaults and the command line only."),
) -> None:
    """Check plans against the format and the SMART, golden-thread and compliance rules.

    Settings come from the tool.tplan table of pyproject.toml or from .tplan.toml (the nearest found from
    the current folder upwards); options given here override them. Inline `# tplan: disable=CODE`
    at the end of a line, or `# tplan: disable-file=CODE` anywhere, silences findings.

    Exit codes: 0 no failing findings; 1 findings at or above --fail-on; 2 a file could not be read
    or parsed, the config is wrong, or the command line is wrong.
    """
    from tplan.commands.lint import run_lint

    raise typer.Exit(
        run_lint(
            paths,
            today=parse_date(today, "--today"),
            select=select,
            ignore=ignore,
            fail_on=fail_on,
            output_format=output_format.value,
            quiet=quiet,
            statistics=statistics,
            config_file=config,
            isolated=isolated,
        )
    )


@app.command()
def measures() -> None:
    """List the measures catalogue: instrument ids, ranges, better direction and severity bands."""
    from tplan.commands.measures import run_measures

    raise typer.Exit(run_measures())


# ---- rules, explain (ci: rule documentation from the registry) ---------------------------------
@app.command()
def rules() -> None:
    """List every rule: code, name, severity, summary and the standards it enforces."""
    from tplan.commands.rules import run_rules

    raise typer.Exit(run_rules())


@app.command()
def explain(rule: str = typer.Argument(..., help="A rule code (S103) or name (no-deadline).")) -> None:
    """Explain one rule: what it checks, why it matters, an example it reports, what to write instead."""
    from tplan.commands.rules import run_explain

    raise typer.Exit(run_explain(rule))


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
