"""Paths in, a Report out. Prints nothing: reporters and the CLI decide what the user sees."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, cast

from tplan.diagnostics import Diagnostic, FileResult, Finding, Report, Severity
from tplan.diagnostics import Path as YamlPath
from tplan.fanout import collector_paused
from tplan.loader import LoadedDoc, LoadError, load_text
from tplan.measures import Catalogue, load_catalogue
from tplan.pathmatch import matches as path_matches
from tplan.pathmatch import matches_any, relative
from tplan.reading import decode, read_plan_bytes, too_big
from tplan.results import HeldResults
from tplan.rules import (
    ALL_RULES,
    BY_CODE,
    CROSS_FILE_RULES,
    DataContext,
    Limits,
    Rule,
    RuleContext,
)
from tplan.rules.loading import ALWAYS_REPORTED
from tplan.rules.loading import RULES as LOADING_RULES
from tplan.ruleselect import matches

if TYPE_CHECKING:
    from pydantic_core import ValidationError

    from tplan.schema.plan import Plan
else:  # the class itself, without pydantic_core's Python package (tplan.schema.compiled says why)
    from tplan.schema.compiled import validation_error

    ValidationError = validation_error()

CROSS_FILE_CODES = frozenset(r.code for r in CROSS_FILE_RULES)
PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LintSettings:
    today: _dt.date = field(default_factory=_dt.date.today)
    limits: Limits = field(default_factory=Limits)
    select: tuple[str, ...] = ()  # codes, code prefixes ("S1") or rule names; empty = all rules
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    measures_file: str | None = None
    # From the config file (tplan.config); plain strings and tuples so worker processes can pickle it.
    extend_select: tuple[str, ...] = ()  # added to `select` (only matters when select is given)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, selectors)
    exclude: tuple[str, ...] = ()  # globs of files and folders never linted
    root: str | None = None  # folder the globs are relative to (the config's); None = current folder
    jobs: int | None = None  # worker processes for many files; None = one per core, 1 = none

    def enabled(self, rule: Rule, file_ignores: tuple[str, ...] = ()) -> bool:
        if rule.code in ALWAYS_REPORTED:  # E0xx: the plan is broken; no selection can hide that
            return True
        if self.select and not any(matches(rule, s) for s in self.select + self.extend_select):
            return False
        return not any(matches(rule, s) for s in self.ignore + file_ignores)

    def ignored_in(self, file: str) -> tuple[str, ...]:
        """The selectors `per-file-ignores` switches off for this file."""
        if not self.per_file_ignores:
            return ()
        rel = relative(file, self.root)
        return tuple(s for pattern, selectors in self.per_file_ignores if path_matches(rel, pattern) for s in selectors)

    def excluded(self, file: str) -> bool:
        """Whether the config's `exclude` list (read as one .gitignore) leaves out this file or folder."""
        return bool(self.exclude) and matches_any(relative(file, self.root), self.exclude, is_dir=os.path.isdir(file))


def discover(paths: list[str], settings: LintSettings | None = None) -> tuple[list[str], list[FileResult]]:
    """Files to lint (directories searched recursively, hidden entries, named pipes and the
    config's `exclude` skipped, sorted) and a fatal result for each path that does not exist or holds no plans. A
    folder whose plans are all excluded is not an error; neither is an excluded file named on the
    command line (pre-commit passes every changed file)."""
    excluded = settings.excluded if settings and settings.exclude else (lambda _: False)
    files: list[str] = []
    problems: list[FileResult] = []
    for given in paths:
        p = FsPath(given)
        if p.is_dir():
            found, seen_any = _walk(p, excluded)
            if not seen_any:
                problems.append(_fatal(given, "E000", "this folder contains no plans (*.yaml or *.yml files)"))
            files.extend(sorted(found))
        elif _special(given):  # a named pipe or a device: reading it could wait forever
            problems.append(_fatal(given, "E000", "not a regular file; tplan reads plan files only"))
        elif p.exists():
            if not excluded(given):
                files.append(given)
        else:
            problems.append(_fatal(given, "E000", "no such file or folder"))
    return list(dict.fromkeys(files)), problems


def _walk(root: FsPath, excluded: Callable[[str], bool]) -> tuple[list[str], bool]:
    """(plan files not excluded, whether any plan file was seen at all). Excluded folders are
    not entered, so a large archive folder costs nothing."""
    out = []
    seen_any = False
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not excluded(os.path.join(dirpath, d))]
        for name in filenames:
            if name.endswith(PLAN_SUFFIXES) and not name.startswith("."):
                path = os.path.join(dirpath, name)
                if _special(path):  # a named pipe called *.yaml would hang the run
                    continue
                seen_any = True
                if not excluded(path):
                    out.append(path)
    return out, seen_any


def _special(path: str) -> bool:
    """A named pipe, socket or device (not a regular file, a folder or a missing/broken link,
    which reading reports as E000)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _fatal(file: str, code: str, message: str, line: int = 0, column: int = 0) -> FileResult:
    rule = BY_CODE[code]
    return FileResult(file, [Diagnostic(code, rule.severity, message, file, line, column)], fatal=True)


STDIN = "-"  # the path that means standard input, and its name in messages unless one is given


def lint_paths(paths: list[str], settings: LintSettings, stdin: tuple[str, bytes] | None = None) -> Report:
    """Lint the files and folders in `paths`, and with `stdin` = (name, bytes) a plan read from
    standard input: `name` (--stdin-filename) is matched by the config's globs and named in
    messages, as if the plan were that file; it takes part in the cross-file rules.

    The report's files are held compactly and made when read (tplan.results): each result is
    folded in as it arrives, so a 10,000-plan run never holds every plan's full result, nor a
    list of every finding."""
    files, problems = discover(paths, settings)
    catalogue = load_catalogue(settings.measures_file)
    held = HeldResults(CROSS_FILE_RULES, settings, drop=CROSS_FILE_CODES)
    for result in problems:
        held.add(result)
    for result in iter_lint(files, settings, catalogue):
        held.add(result)
    if stdin is not None and not settings.excluded(stdin[0]):
        held.add(lint_bytes(stdin[1], stdin[0], settings, catalogue))
    return Report(files=held.finish(), fail_on=settings.fail_on)


def cross_file_pass(results: list[FileResult], settings: LintSettings) -> list[FileResult]:
    """Run each cross-file rule's check over the facts its `collect` found in every file (sorted by
    path; unreadable files take no part) and add the findings to the files they concern. A pure
    function of the results: the same output however they were made. The results are not
    changed; one without cross-file findings is returned as it is. The list is in path order."""
    held = HeldResults(CROSS_FILE_RULES, settings, keep_facts=True, drop=CROSS_FILE_CODES)
    for result in results:
        held.add(result)
    return list(held.finish())


# Below this many files per worker, starting workers costs more than it saves (a file takes ~1 ms).
MIN_FILES_PER_WORKER = 16


def lint_files(files: list[str], settings: LintSettings, catalogue: Catalogue) -> list[FileResult]:
    """One FileResult per file, in worker processes when there are enough files to be worth it."""
    return list(iter_lint(files, settings, catalogue))


def iter_lint(files: list[str], settings: LintSettings, catalogue: Catalogue) -> Iterator[FileResult]:
    """lint_files' results one by one as they are made (in the order of `files`, but for files
    checked again after a worker crashed), so the caller can keep only what it needs of each."""
    if settings.jobs != 1 and len(files) >= 2 * MIN_FILES_PER_WORKER:
        from tplan.workers import default_jobs, lint_in_workers

        jobs = min(settings.jobs or default_jobs(), len(files) // MIN_FILES_PER_WORKER)
        if jobs > 1:
            chunks = lint_in_workers(files, settings, catalogue, jobs)
            if chunks is not None:
                for results, names in chunks:
                    yield from _shared_names(results, names)
                return
    for f in files:
        yield _lint_one(f, settings, catalogue)


def _shared_names(results: list[FileResult], files: list[str]) -> list[FileResult]:
    """Results unpickled from workers name their file with a new copy of its path (in the result
    and in each finding): point them at the path string this process already holds."""
    names = {f: f for f in files}
    for r in results:
        name = names.get(r.file)
        if name is None or name is r.file:
            continue
        r.file = name
        if r.diagnostics:
            r.diagnostics = [dataclasses.replace(d, file=name) if d.file == name else d for d in r.diagnostics]
    return results


# A plan is a few kilobytes. In a run too small for a worker pool, a file this large is checked in a
# process of its own, so that an input crashing the YAML C library (a segmentation fault no guard
# foresaw) costs that file only, never the other files' results.
ISOLATE_BYTES = 64 * 1024


def _lint_one(file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    if settings.jobs != 1 and _size(file) >= ISOLATE_BYTES:
        from tplan.workers import lint_isolated

        result = lint_isolated(file, settings, catalogue)
        if result is not None:
            return result
    return lint_file(file, settings, catalogue)


def _size(file: str) -> int:
    try:
        return os.stat(file).st_size
    except OSError:
        return 0


def lint_file(file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    try:
        raw = read_plan_bytes(file, settings.limits)
    except LoadError as exc:
        return _fatal(file, exc.code, exc.message, exc.line, exc.column)
    return lint_bytes(raw, file, settings, catalogue)


def lint_bytes(raw: bytes, file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    """Lint a plan's bytes read from `file` (or from standard input, named `file`, read up to one
    byte over the max-file-bytes limit)."""
    if len(raw) > settings.limits.max_file_bytes:
        return _fatal(file, "E000", too_big(len(raw), settings.limits.max_file_bytes, at_least=True))
    try:
        return lint_text(decode(raw), file, settings, catalogue)
    except LoadError as exc:
        return _fatal(file, exc.code, exc.message, exc.line, exc.column)
    except RecursionError:  # one pathological file must not stop the run
        return _fatal(file, "E000", "tplan could not check this file: it is nested too deeply")
    except Exception as exc:  # a bug in tplan: report it on this file and check the others
        from tplan.debug import show_traceback

        show_traceback(exc)
        return _fatal(file, "E000", f"tplan failed while checking this file ({type(exc).__name__}); please report it")


def crashed(file: str) -> FileResult:
    """The result for a file whose worker process died while checking it."""
    return _fatal(file, "E000", "tplan's worker process stopped while checking this file; please report it")


@dataclass(frozen=True)
class Checked:
    """One parse and one validation of a plan, shared by every command: `result` is what `tplan
    lint` reports, `doc` the loaded YAML (data, positions), `plan` the validated Plan or None."""

    result: FileResult
    doc: LoadedDoc
    plan: Plan | None


@collector_paused  # as in check_text; the document is freed before the collector runs again
def lint_text(text: str, file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    """Lint one plan's text. Raises LoadError when it is not a YAML mapping. Only the findings
    leave this function, so it validates on the fast route (tplan.schema.core): the rules get a
    plan built without the pydantic model classes, with the same fields and behaviour."""
    return _check_text(text, file, settings, catalogue, True).result


@collector_paused
def check_text(
    text: str, file: str, settings: LintSettings, catalogue: Catalogue, *, fast: bool = False, errors_first: bool = False
) -> Checked:
    """Load, validate and lint one plan's text once. Raises LoadError when it is not a YAML mapping.
    `plan` is a model instance unless `fast` (then it is the fast route's, see lint_text).

    `errors_first`: for a command that shows warnings only beside errors (render's banner counts
    the warnings of a plan with lint errors, and says nothing of a plan without). The error rules
    run first, and the warning and note rules only when an error was found (or the text has a
    suppression comment, whose unused-suppression check needs every rule run). A plan with errors
    gets exactly lint's findings; a plan without gets lint's errors, which are none. A rule never
    reports above its own severity (a finding may only lower it), which tests/test_errors_first.py checks.

    The cycle collector is paused while one plan is checked: a plan makes tens of thousands of
    short-lived objects (events, data, validation, findings) and hardly any cycles, and the
    collector's passes over them cost a fifth of a folder lint (docs/benchmarks.md, fifth round).
    What cycles a plan does make are collected by the first pass after it."""
    return _check_text(text, file, settings, catalogue, fast, errors_first)


def _check_text(text: str, file: str, settings: LintSettings, catalogue: Catalogue, fast: bool, errors_first: bool = False) -> Checked:
    doc = load_text(text, spots=not errors_first)  # errors first: a clean plan needs no position
    data = doc.data
    version = data.get("tplan")
    if "tplan" in data and not (type(version) is int and version == 1):  # `true` and `1.0` equal 1 in Python
        line, col, *_ = doc.locate(("tplan",))
        raise LoadError("E005", "unsupported format version; this tplan reads 'tplan: 1'", line, col)

    found: list[tuple[Rule, Finding]] = []
    if doc.duplicates:
        from tplan.schema.adapt import duplicate_key_message

        found += [(BY_CODE["E006"], Finding(d.path, duplicate_key_message(d.path), key=True)) for d in doc.duplicates]
    plan, schema = validate(data, doc, fast=fast)
    found += [(BY_CODE[code], finding) for code, finding in schema]

    # The validated status; without a valid plan, the raw one only when it is text (a list or a
    # mapping written as the status would break the skip_status lookup: E003 reports it).
    status = plan.status if plan is not None else data.get("status") if isinstance(data.get("status"), str) else None
    position = _positions(doc)
    ctx: DataContext = (
        RuleContext(plan, data, file, settings.today, catalogue, settings.limits, doc.placeholders, doc, position)
        if plan is not None
        else DataContext(None, data, file, settings.today, catalogue, settings.limits, doc.placeholders, doc, position)
    )
    file_ignores = settings.ignored_in(file)
    checks, collectors = _active_rules(settings, file_ignores)
    # `ran`: the rules that ran on this file, so an unused suppression can be told from one for a
    # rule that was switched off or skipped (the E0xx ones are emitted while loading).
    runnable, ran = _runnable(checks, status, plan is None)
    if errors_first and "disable" not in text:
        first, then = _errors_first(runnable)
        _run_checks(first, ctx, found)
        if any((f.severity or rule.severity) is Severity.ERROR for rule, f in found):
            _run_checks(then, ctx, found)
    else:
        _run_checks(runnable, ctx, found)
    facts = {}
    for rule in collectors:  # their findings come later, from all files' facts (cross_file_pass)
        if rule.collect is None or status in rule.skip_status:
            continue
        try:
            fact = rule.collect(ctx)
        except Exception as exc:
            found.append((rule, _crash_finding(exc, "this cross-file check")))
            continue
        if fact is not None:
            facts[rule.code] = fact

    # `found` holds only E0xx findings (always reported) and those of checks enabled above.
    diagnostics = [_diagnostic(rule, f, file, doc) for rule, f in found]
    silenced: tuple[tuple[int, str], ...] = ()
    if "disable" in text:  # inline `# tplan: disable=…` comments (see suppressions.py)
        from tplan.suppressions import apply, silenced_codes

        report_unused = settings.enabled(BY_CODE["X901"], file_ignores)
        diagnostics = apply(diagnostics, text, file, set(ran), report_unused, doc.root)
        silenced = silenced_codes(text, CROSS_FILE_CODES, doc.root)
    diagnostics.sort(key=lambda d: d.sort_key)
    return Checked(FileResult(file, diagnostics, facts=facts, silenced=silenced), doc, plan)


CheckPairs = tuple[tuple[Rule, Callable[[Any], Any]], ...]  # (rule, its check function), in code order


def _run_checks(pairs: CheckPairs, ctx: DataContext, found: list[tuple[Rule, Finding]]) -> None:
    """Run each check on the plan, adding its findings to `found`."""
    for rule, check in pairs:
        try:
            out = list(check(ctx))
        except Exception as exc:  # a bug in one check must not hide the others
            found.append((rule, _crash_finding(exc, "this check")))
            continue
        if out:
            found += [(rule, f) for f in out]


_SPLIT: dict[int, tuple[CheckPairs, CheckPairs, CheckPairs]] = {}


def _errors_first(pairs: CheckPairs) -> tuple[CheckPairs, CheckPairs]:
    """(the error rules' checks, the others'), split once per set of runnable checks."""
    hit = _SPLIT.get(id(pairs))
    if hit is None or hit[0] is not pairs:
        if len(_SPLIT) >= 64:
            _SPLIT.clear()
        hit = _SPLIT[id(pairs)] = (
            pairs,
            tuple(p for p in pairs if p[0].severity is Severity.ERROR),
            tuple(p for p in pairs if p[0].severity is not Severity.ERROR),
        )
    return hit[1], hit[2]


ActiveRules = tuple[tuple[Rule, ...], tuple[Rule, ...]]
_ACTIVE: dict[tuple[LintSettings, tuple[str, ...]], tuple[tuple[Rule, ...], tuple[Rule, ...], ActiveRules]] = {}
_LAST_ACTIVE: list[tuple[LintSettings, tuple[str, ...], tuple[Rule, ...], tuple[Rule, ...], ActiveRules] | None] = [None]


def _active_rules(settings: LintSettings, file_ignores: tuple[str, ...]) -> ActiveRules:
    """(checks, cross-file collectors) that the settings switch on for a file with these
    per-file ignores: worked out once per run (and per-file-ignores group), not once per file.
    Kept with the rule tuples it was made from, so replacing ALL_RULES (tests do) is seen."""
    last = _LAST_ACTIVE[0]
    if last is not None and last[0] is settings and last[1] == file_ignores and last[2] is ALL_RULES and last[3] is CROSS_FILE_RULES:
        return last[4]  # the same settings object as the file before: no hashing of the settings
    hit = _ACTIVE.get((settings, file_ignores))
    if hit is not None and hit[0] is ALL_RULES and hit[1] is CROSS_FILE_RULES:
        _LAST_ACTIVE[0] = (settings, file_ignores, ALL_RULES, CROSS_FILE_RULES, hit[2])
        return hit[2]
    checks = tuple(r for r in ALL_RULES if r.check is not None and settings.enabled(r, file_ignores))
    collectors = tuple(r for r in CROSS_FILE_RULES if r.collect is not None and settings.enabled(r))
    if len(_ACTIVE) >= 64:
        _ACTIVE.clear()
    _ACTIVE[(settings, file_ignores)] = (ALL_RULES, CROSS_FILE_RULES, (checks, collectors))
    _LAST_ACTIVE[0] = (settings, file_ignores, ALL_RULES, CROSS_FILE_RULES, (checks, collectors))
    return checks, collectors


Runnable = tuple[CheckPairs, frozenset[str]]
_RUNNABLE: dict[tuple[int, str | None, bool], tuple[tuple[Rule, ...], Runnable]] = {}


def _runnable(checks: tuple[Rule, ...], status: str | None, no_plan: bool) -> Runnable:
    """((rule, check function), ...) of the active checks that run on a plan with this status (and
    without a valid plan, only those that read raw data), and the codes of the rules that ran
    (these plus the E0xx ones): worked out once per run and status, not once per file."""
    key = (id(checks), status, no_plan)
    hit = _RUNNABLE.get(key)
    if hit is not None and hit[0] is checks:
        return hit[1]
    pairs = tuple(
        (r, cast(Callable[[Any], Any], r.check))  # not None: _active_rules keeps rules with a check
        for r in checks
        if not (r.needs_plan and no_plan) and status not in r.skip_status
    )
    ran = frozenset(r.code for r in LOADING_RULES) | {r.code for r, _ in pairs}
    if len(_RUNNABLE) >= 64:
        _RUNNABLE.clear()
    _RUNNABLE[key] = (checks, (pairs, ran))
    return pairs, ran


def _positions(doc: LoadedDoc) -> Callable[[YamlPath], tuple[int, int]]:
    """(line, column) of the value at a path: what a cross-file fact records of the document."""

    def position(path: YamlPath) -> tuple[int, int]:
        line, column, _, _ = doc.locate(path)
        return line, column

    return position


def _crash_finding(exc: Exception, what: str) -> Finding:
    """A bug in tplan, reported on the file it happened in. Only the exception's type: its text
    can quote the plan (a value in a KeyError or a ValueError). --debug prints the traceback."""
    from tplan.debug import show_traceback

    show_traceback(exc)
    return Finding((), f"tplan could not run {what} ({type(exc).__name__}); please report it")


def _plan_validator(fast: bool) -> Callable[[Any], Any]:
    """Plan.model_validate, or on the fast route the generated schema's validator (the same
    checks, errors and fields; tplan.schema.core) when it is current for the installed pydantic."""
    if fast:
        from tplan.schema.core import validator

        core = validator()
        if core is not None:
            validate_python: Callable[[Any], Any] = core.validate_python
            return validate_python
    from tplan.schema.plan import Plan

    return Plan.model_validate


def validate(data: dict[str, Any], doc: LoadedDoc, *, fast: bool = False) -> tuple[Plan | None, list[tuple[str, Finding]]]:
    """The Plan, or None, and the schema findings. Placeholders are T601's business: a `<baseline
    score>` where a number belongs is not also reported as a wrong type."""
    plan_of = _plan_validator(fast)
    try:
        return plan_of(data), []
    except ValidationError as exc:
        from tplan.schema.adapt import schema_findings

        findings = schema_findings(exc, data)
    if not doc.placeholders:
        return None, findings
    placeholders = {path for path, _ in doc.placeholders}
    holes = {f.path for _, f in findings if f.path in placeholders}  # only those that broke the schema
    findings = [(code, f) for code, f in findings if f.path not in holes]
    # Leave the broken placeholders out and try again. Leaving out a required key (`risk.level:
    # <low, moderate or high>`) leaves its section incomplete, so that section goes too, up to a
    # few levels: a draft is still checked and rendered around what is not filled in yet.
    for _ in range(4):
        if not holes:
            return None, findings
        partial = _without(data, holes)
        try:
            return plan_of(partial), findings
        except ValidationError as exc:
            missing = {f.path[:-1] for code, f in schema_findings(exc, partial) if code == "E002" and f.path in holes}
            holes = (holes | missing) if missing - holes else set()
    return None, findings


def _without(data: Any, holes: set[YamlPath], path: YamlPath = ()) -> Any:
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
