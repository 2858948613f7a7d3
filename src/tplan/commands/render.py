"""`tplan render`: one plan → a Markdown or self-contained HTML document.

The plan is read, linted and validated once (`check_text`, as `tplan lint` does): lint errors put a warning banner
at the top of the document, or stop the render with --strict. A file that cannot be read or
parsed, or that does not match the plan format, is not rendered (exit 2): a half-read plan would
silently drop goals or signatures from a document someone will rely on. Placeholders left by a
template are shown as written, so a draft shows what is still to be filled in.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import sys
from pathlib import Path

from tplan.config import project_settings
from tplan.diagnostics import Severity
from tplan.errors import TplanError
from tplan.fsio import atomic_write, check_output
from tplan.linter import check_text, validate
from tplan.loader import LoadError
from tplan.measures import load_catalogue
from tplan.reporters.text import line as diagnostic_line

FORMATS = ("md", "html")


def output_format(html: bool, md: bool, output: str | None) -> str:
    """--html or --md; with neither, the -o file's suffix decides (.html/.htm), else Markdown."""
    if html and md:
        raise TplanError("choose one of --html and --md, not both")
    if html or md:
        return "html" if html else "md"
    return "html" if output and Path(output).suffix.lower() in (".html", ".htm") else "md"


def run_render(
    path: str,
    fmt: str = "md",
    output: str | None = None,
    force: bool = False,
    redact: bool = False,
    strict: bool = False,
    today: _dt.date | None = None,
) -> int:
    today = today or _dt.date.today()
    if output:
        check_output(output, force, source=path if Path(path).exists() else None, example=f"plan.{fmt}")

    settings = project_settings(today)
    text = _read(path, settings.limits)
    catalogue = load_catalogue(settings.measures_file)
    try:
        checked = check_text(text, path, settings, catalogue)
    except LoadError as exc:
        where = f"{path}:{exc.line}:{exc.column}" if exc.line else path
        raise TplanError(f"{where}: {exc.code} {exc.message}; the plan cannot be rendered") from None

    doc, plan = checked.doc, checked.plan
    diagnostics = checked.result.diagnostics
    if redact:  # the banner and the messages below quote the plan: scrub them like its text
        from tplan.render.redact import scrubber

        scrub = scrubber(doc.data)
        diagnostics = [dataclasses.replace(d, message=scrub(d.message)) for d in diagnostics]
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if strict and errors:
        for d in errors:
            print(diagnostic_line(d), file=sys.stderr)
        print(f"tplan: not rendered: {_count(len(errors), 'lint error')} (--strict renders clean plans only)", file=sys.stderr)
        return 1

    birth_year = None
    if redact:  # the document is built from the reduced data, so that is validated too
        from tplan.render.redact import redact as reduce_identifiers

        data, birth_year = reduce_identifiers(doc.data)
        plan, _ = validate(data, doc)  # placeholders in text stay, for the reader to see
    if plan is None:
        shown = errors or diagnostics
        for d in shown:
            print(diagnostic_line(d), file=sys.stderr)
        raise TplanError(
            f"{path} does not match the plan format ({_count(len(shown), 'finding')} above), so it cannot be "
            "rendered reliably; fix them (`tplan lint` shows the same list) and render again"
        )

    from tplan.render.engine import render_document
    from tplan.render.view import build

    document = build(
        plan, catalogue, today, diagnostics, redacted=redact, birth_year=birth_year,
        minor_consent_age=settings.limits.minor_consent_age,
    )
    rendered = render_document(document, fmt)
    if output:
        atomic_write(output, rendered, overwrite=force)
        banner = f" with a warning banner ({_count(len(errors), 'lint error')})" if errors else ""
        print(f"Wrote {output}{banner}.", file=sys.stderr)
    else:
        sys.stdout.write(rendered)
    return 0


def _read(path: str, limits) -> str:
    from tplan.reading import read_plan_text

    if Path(path).is_dir():
        raise TplanError(f"{path} is a folder; render takes one plan file")
    try:
        return read_plan_text(path, limits)
    except LoadError as exc:
        if exc.message == "no such file":
            raise TplanError(f"{path}: no such file") from None
        where = f"{path}:{exc.line}:{exc.column}" if exc.line else path
        raise TplanError(f"{where}: {exc.code} {exc.message}") from None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
