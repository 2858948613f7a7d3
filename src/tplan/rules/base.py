"""What a rule is, and the context it checks.

A rule is one small function: it says *where* (a YAML path) and *what* (a message). The linter
stamps code, severity, file and position. Its docstring is its documentation: the first line is the
summary, then `## Why it matters`, `## Example` (bad) and `## Use instead` (good) sections, which
`tplan explain`, `tplan rules`, SARIF and the README table are generated from.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from tplan.diagnostics import Finding, Path, Severity
from tplan.measures import Catalogue

if TYPE_CHECKING:
    from tplan.rules.standards import Requirement
    from tplan.schema.plan import Plan


@dataclass(frozen=True)
class Limits:
    """Numbers rules compare against; a clinic can change them in its config."""

    max_review_interval_days: int = 90
    short_term_months: int = 3  # calendar months: 2026-11-02 → 2027-02-02 is within three
    long_term_months: int = 12
    short_term_days: int | None = None  # a clinic that counts days instead sets these
    long_term_days: int | None = None
    max_identical_goals: int = 5
    minor_consent_age: int = 18  # below this age at `created`, a guardian consents
    max_file_bytes: int = 5 * 1024 * 1024  # the guarded reader refuses larger files (tplan.reading)


def _nowhere(path: Path) -> tuple[int, int]:
    """The position in a context made without a document (a test's): the whole file, 0:0."""
    return (0, 0)


@dataclass
class DataContext:
    """What a rule that reads the raw data sees (needs_plan=False, and the `collect` half of a
    cross-file rule): they run even when the plan did not pass the schema, so `plan` may be None."""

    plan: Plan | None
    data: Any
    file: str
    today: _dt.date
    catalogue: Catalogue
    limits: Limits = field(default_factory=Limits)
    placeholders: list[tuple[Path, str]] = field(default_factory=list)
    doc: Any = None  # the LoadedDoc, for the few rules that look at how the YAML was written
    # (line, column) of the value at a path in this file: for a cross-file fact, which outlives
    # the file's loaded document.
    position: Callable[[Path], tuple[int, int]] = _nowhere

    def unfilled(self, path: Path) -> bool:
        """Whether the value at `path` is a template placeholder: T601 reports it, other rules skip it."""
        return bool(self.placeholders) and any(p == path for p, _ in self.placeholders)


@dataclass
class RuleContext(DataContext):
    """What a plan rule (needs_plan=True, the default) sees: the linter runs it only on a plan
    that passed the schema, so `plan` is always a Plan."""

    plan: Plan
    # goals_and_objectives' list, made on the first call: two dozen rules walk it for each plan.
    _goal_items: list[tuple[Path, Any, Any]] | None = field(default=None, init=False, repr=False, compare=False)

    def goals_and_objectives(self) -> Iterator[tuple[Path, Any, Any]]:
        """(path, item, parent goal or None) for every goal and then each of its objectives."""
        items = self._goal_items
        if items is None:
            items = self._goal_items = []
            for gi, goal in enumerate(self.plan.goals):
                items.append((("goals", gi), goal, None))
                items += [(("goals", gi, "objectives", oi), objective, goal) for oi, objective in enumerate(goal.objectives)]
        return iter(items)


Check = Callable[[RuleContext], Iterable[Finding]]
DataCheck = Callable[[DataContext], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class FileFinding:
    """What a cross-file rule yields: a finding already placed in one file of the run (the file's
    own pass recorded the positions it needs, so no file is read twice)."""

    file: str
    line: int
    column: int
    message: str
    path: Path = ()


# A cross-file (D7xx) rule is a pair. `collect` runs in each file's own pass (in a worker process
# when there are many files) and returns a small, picklable, comparable fact about the file, or
# None; the linter keeps it in FileResult.facts under the rule's code. `cross_check` runs once
# after every file, on the (file, fact) pairs sorted by path, with the limits.
Collect = Callable[[DataContext], object]
CrossCheck = Callable[[Sequence[tuple[str, Any]], Limits], Iterable[FileFinding]]


# skip_status values: rules about agreement and planning do not apply to a draft still being
# written; rules about ongoing care do not apply to a closed plan either.
DRAFT: tuple[str, ...] = ("draft",)
DRAFT_OR_CLOSED: tuple[str, ...] = ("draft", "closed")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check | DataCheck | None  # None: emitted while loading or validating, or a cross-file rule
    summary: str
    why: str
    example: str
    use_instead: str
    skip_status: frozenset[str] = frozenset()
    needs_plan: bool = True  # False: runs on raw data even when the schema fails
    references: tuple[str, ...] = ()  # the standards this rule supports, e.g. "CARF Section 2.C"
    requirement: str = ""  # what those standards ask, in plain words (groups the README surveyor table)
    collect: Collect | None = None  # D7xx: the per-file half, run in each file's pass
    cross_check: CrossCheck | None = None  # D7xx: runs once over all files' facts, after the per-file pass

    def __call__(self, ctx: DataContext) -> Iterable[Finding]:
        """Run the check. The linter passes a RuleContext (a Plan) to every rule with needs_plan."""
        assert self.check is not None
        return cast(DataCheck, self.check)(ctx)


_SECTION = re.compile(r"^## (.+)$", re.M)


def parse_doc(doc: str) -> tuple[str, dict[str, str]]:
    """Docstring → (summary, {section title: text})."""
    doc = inspect.cleandoc(doc)
    summary, _, rest = doc.partition("\n")
    parts = _SECTION.split(rest)
    sections = {parts[i].strip().lower(): parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    return summary.strip(), sections


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    skip_status: Iterable[str] = (),
    needs_plan: bool = True,
    references: Iterable[str] = (),
    requirement: Requirement | None = None,
    emitted: bool = False,
    collect: Collect | None = None,
) -> Callable[[Callable[..., Any]], Rule]:
    """Turn a check function (or, with emitted=True, a documentation-only stub) into a Rule.

    `requirement` (from `tplan.rules.standards`) names what an accreditation or payer standard asks
    and adds its standards to `references`. With `collect` (a function of a DataContext returning a
    fact), the rule is a cross-file rule: the decorated function is its CrossCheck, called once
    per run with every file's fact.
    """

    def wrap(fn: Callable[..., Any]) -> Rule:
        summary, sections = parse_doc(fn.__doc__ or "")
        refs = tuple(references)
        if requirement is not None:
            refs += tuple(s for s in requirement.standards if s not in refs)
        return Rule(
            code=code,
            name=name,
            severity=severity,
            check=None if emitted or collect is not None else fn,
            summary=summary,
            why=sections.get("why it matters", ""),
            example=sections.get("example", ""),
            use_instead=sections.get("use instead", ""),
            skip_status=frozenset(skip_status),
            needs_plan=needs_plan,
            references=refs,
            requirement=requirement.text if requirement is not None else "",
            collect=collect,
            cross_check=fn if collect is not None else None,
        )

    return wrap


def collect(namespace: dict[str, Any]) -> tuple[Rule, ...]:
    """The Rules defined in a module, in code order (each family module ends with RULES = collect(globals()))."""
    return tuple(sorted((v for v in namespace.values() if isinstance(v, Rule)), key=lambda r: r.code))
