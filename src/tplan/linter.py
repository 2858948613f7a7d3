"""Paths in, a Report out. Prints nothing: reporters and the CLI decide what the user sees."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from pydantic import ValidationError

from tplan.diagnostics import Diagnostic, FileResult, Finding, Report, Severity
from tplan.loader import LoadedDoc, LoadError, decode, load_text
from tplan.measures import Catalogue, load_catalogue
from tplan.rules import ALL_RULES, BY_CODE, Limits, Rule, RuleContext
from tplan.schema.adapt import schema_findings
from tplan.schema.plan import Plan

PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LintSettings:
    today: _dt.date = field(default_factory=_dt.date.today)
    limits: Limits = field(default_factory=Limits)
    select: tuple[str, ...] = ()  # codes, code prefixes ("S1") or rule names; empty = all rules
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    measures_file: str | None = None
    jobs: int | None = None  # worker processes for many files; None = one per core, 1 = none

    def enabled(self, rule: Rule) -> bool:
        def matches(selector: str) -> bool:
            return rule.code.startswith(selector.upper()) or selector == rule.name

        if self.select and not any(matches(s) for s in self.select):
            return False
        return not any(matches(s) for s in self.ignore)


def discover(paths: list[str]) -> tuple[list[str], list[FileResult]]:
    """Files to lint (directories searched recursively, hidden entries skipped, sorted) and a
    fatal result for each path that does not exist or holds no plans."""
    files: list[str] = []
    problems: list[FileResult] = []
    for given in paths:
        p = FsPath(given)
        if p.is_dir():
            found = sorted(_walk(p))
            if not found:
                problems.append(_fatal(given, "E000", "this folder contains no plans (*.yaml or *.yml files)"))
            files.extend(found)
        elif p.exists():
            files.append(given)
        else:
            problems.append(_fatal(given, "E000", "no such file or folder"))
    return list(dict.fromkeys(files)), problems


def _walk(root: FsPath) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.endswith(PLAN_SUFFIXES) and not name.startswith("."):
                out.append(os.path.join(dirpath, name))
    return out


def _fatal(file: str, code: str, message: str, line: int = 0, column: int = 0) -> FileResult:
    rule = BY_CODE[code]
    return FileResult(file, [Diagnostic(code, rule.severity, message, file, line, column)], fatal=True)


def lint_paths(paths: list[str], settings: LintSettings) -> Report:
    files, problems = discover(paths)
    catalogue = load_catalogue(settings.measures_file)
    results = lint_files(files, settings, catalogue)
    return Report(files=sorted(problems + results, key=lambda r: r.file), fail_on=settings.fail_on)


# Below this many files per worker, starting workers costs more than it saves (a file takes ~1 ms).
MIN_FILES_PER_WORKER = 16


def lint_files(files: list[str], settings: LintSettings, catalogue: Catalogue) -> list[FileResult]:
    """One FileResult per file, in worker processes when there are enough files to be worth it."""
    if settings.jobs != 1 and len(files) >= 2 * MIN_FILES_PER_WORKER:
        from tplan.workers import default_jobs, lint_in_workers

        jobs = min(settings.jobs or default_jobs(), len(files) // MIN_FILES_PER_WORKER)
        if jobs > 1:
            results = lint_in_workers(files, settings, catalogue, jobs)
            if results is not None:
                return results
    return [lint_file(f, settings, catalogue) for f in files]


def lint_file(file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    try:
        raw = FsPath(file).read_bytes()
    except OSError as exc:
        return _fatal(file, "E000", f"cannot read the file ({exc.strerror or exc})")
    try:
        return lint_text(decode(raw), file, settings, catalogue)
    except LoadError as exc:
        return _fatal(file, exc.code, exc.message, exc.line, exc.column)
    except Exception as exc:  # a bug in tplan: report it on this file and check the others
        return _fatal(file, "E000", f"tplan failed while checking this file ({type(exc).__name__}); please report it")


def crashed(file: str) -> FileResult:
    """The result for a file whose worker process died while checking it."""
    return _fatal(file, "E000", "tplan's worker process stopped while checking this file; please report it")


def lint_text(text: str, file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    """Lint one plan's text. Raises LoadError when it is not a YAML mapping."""
    doc = load_text(text)
    data = doc.data
    version = data.get("tplan")
    if "tplan" in data and version != 1:
        line, col, *_ = doc.locate(("tplan",))
        raise LoadError("E005", "unsupported format version; this tplan reads 'tplan: 1'", line, col)

    found: list[tuple[Rule, Finding]] = [(BY_CODE["E006"], Finding(d.path, f"key '{d.path[-1]}' appears twice; only the last value counts", key=True)) for d in doc.duplicates]
    plan, schema = validate(data, doc)
    found += [(BY_CODE[code], finding) for code, finding in schema]

    status = data.get("status")
    ctx = RuleContext(plan, data, file, settings.today, catalogue, settings.limits, doc.placeholders)
    for rule in ALL_RULES:
        if rule.check is None or (rule.needs_plan and plan is None) or status in rule.skip_status:
            continue
        if not settings.enabled(rule):
            continue
        try:
            found += [(rule, f) for f in rule(ctx)]
        except Exception as exc:  # a bug in one check must not hide the others
            found.append((rule, Finding((), f"tplan could not run this check ({type(exc).__name__}: {exc}); please report it")))

    diagnostics = [_diagnostic(rule, f, file, doc) for rule, f in found if settings.enabled(rule)]
    diagnostics.sort(key=lambda d: d.sort_key)
    return FileResult(file, diagnostics, plan_id=data.get("id") if isinstance(data.get("id"), str) else None)


def validate(data: dict, doc: LoadedDoc) -> tuple[Plan | None, list[tuple[str, Finding]]]:
    """The Plan, or None, and the schema findings. Placeholders are T601's business: a `<baseline
    score>` where a number belongs is not also reported as a wrong type."""
    try:
        return Plan.model_validate(data), []
    except ValidationError as exc:
        findings = schema_findings(exc, data)
    if not doc.placeholders:
        return None, findings
    holes = {path for path, _ in doc.placeholders}
    findings = [(code, f) for code, f in findings if f.path not in holes]
    try:
        return Plan.model_validate(_without(data, holes)), findings
    except ValidationError:
        return None, findings


def _without(data, holes: set, path: tuple = ()):
    """A copy of data with the placeholder values removed (treated as not yet filled)."""
    if isinstance(data, dict):
        return {k: _without(v, holes, path + (k,)) for k, v in data.items() if path + (k,) not in holes}
    if isinstance(data, list):
        return [_without(v, holes, path + (i,)) for i, v in enumerate(data)]
    return data


def _diagnostic(rule: Rule, finding: Finding, file: str, doc: LoadedDoc) -> Diagnostic:
    line, col, end_line, end_col = doc.locate(finding.path, key=finding.key)
    return Diagnostic(
        code=rule.code,
        severity=finding.severity or rule.severity,
        message=finding.message,
        file=file,
        line=line,
        column=col,
        path=finding.path,
        end_line=end_line,
        end_column=end_col,
    )
