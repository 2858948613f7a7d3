"""`tplan export PLAN --fhir`: one plan → a FHIR R4 transaction Bundle (JSON).

The plan is linted first, with the same check as `tplan lint`: a plan with lint errors is not
exported (exit 2) unless --force, since a receiving system cannot tell a checked plan from an
unchecked one. A file that does not match the plan format is never exported. --redact exports
the same Bundle from the plan with identifiers reduced as `tplan render --redact` does.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterable
from pathlib import Path

from tplan.commands.one_plan import check_one_plan, count, read_one_plan
from tplan.config import project_settings
from tplan.diagnostics import Diagnostic, Severity
from tplan.errors import TplanError
from tplan.fsio import atomic_write, check_output
from tplan.linter import validate
from tplan.measures import load_catalogue
from tplan.reporters.text import line as diagnostic_line


def run_export(
    path: str,
    fhir: bool = False,
    output: str | None = None,
    force: bool = False,
    redact: bool = False,
    today: _dt.date | None = None,
) -> int:
    if not fhir:
        raise TplanError("choose an export format: --fhir (FHIR R4 JSON Bundle) is the one tplan writes")
    if output:
        check_output(output, force, source=path if Path(path).exists() else None, example="plan.fhir.json")
    settings = project_settings(today or _dt.date.today())
    text = read_one_plan(path, settings.limits, "export")
    catalogue = load_catalogue(settings.measures_file)
    checked = check_one_plan(text, path, settings, catalogue, "the plan cannot be exported")

    errors = [d for d in checked.result.diagnostics if d.severity is Severity.ERROR]
    if checked.plan is None:
        _print(errors or checked.result.diagnostics)
        raise TplanError(f"{path} does not match the plan format, so it cannot be exported; fix the findings above (`tplan lint` lists them)")
    if errors and not force:
        _print(errors)
        raise TplanError(f"{path} not exported: {count(len(errors), 'lint error')} (listed above); fix them, or export anyway with --force")

    plan, birth_year = checked.plan, None
    if redact:
        from tplan.render.redact import redact as reduce_identifiers

        data, birth_year = reduce_identifiers(checked.doc.data)
        redacted, _ = validate(data, checked.doc)
        if redacted is None:  # cannot happen for a plan that validated before; say so rather than crash
            raise TplanError(f"{path}: the redacted plan no longer matches the plan format; please report this")
        plan = redacted

    from tplan.export.fhir import build_bundle, bundle_json

    bundle = build_bundle(plan, catalogue, birth_year=birth_year)
    rendered = bundle_json(bundle)
    if output:
        atomic_write(output, rendered, overwrite=force)
        print(f"Wrote {output} (FHIR R4 Bundle, {count(len(bundle['entry']), 'resource')}).", file=sys.stderr)
    else:
        sys.stdout.write(rendered)
    return 0


def _print(diagnostics: Iterable[Diagnostic]) -> None:
    for d in diagnostics:
        print(diagnostic_line(d), file=sys.stderr)
