"""D7xx: rules that look across all the files of one run.

Each is a pair: a `collect` function runs in every file's own pass and returns a small fact (the
plan id and its position; the goal statements and theirs), and the rule's check runs once after
all files, on those facts sorted by path. So no file is read twice, and the output is the same
whether files were linted in one process or in workers (facts are pickled back). Paths are named
as given on the command line.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tplan.diagnostics import Severity
from tplan.rules import standards
from tplan.rules.base import DataContext, FileFinding, Limits, collect, rule

NAMED = 3  # how many other files a D7xx message names before "and N more"


def normalise_statement(text: str) -> str:
    """A goal statement compared word for word: case and spacing ignored, punctuation kept."""
    return " ".join(text.split()).casefold()


def _real(file: str) -> str:
    """One file reached by two spellings (plans/a.yaml and ./plans/a.yaml) is not a duplicate."""
    return os.path.normcase(os.path.realpath(file))


def _named(shown: Sequence[str], total: int) -> str:
    """The first few other files, then "and N more"."""
    return ", ".join(shown) + (f" and {total - len(shown)} more" if total > len(shown) else "")


@dataclass(frozen=True, slots=True)
class PlanId:
    """D701's fact: the plan id and the (line, column) of its value."""

    id: str
    line: int
    column: int


def _plan_id(ctx: DataContext) -> PlanId | None:
    """The plan id as written (the schema need not pass). "<plan id>" in unfilled drafts is T601's
    business, not a duplicate id."""
    plan_id = ctx.data.get("id") if isinstance(ctx.data, dict) else None
    if not isinstance(plan_id, str) or ctx.unfilled(("id",)):
        return None
    return PlanId(plan_id, *ctx.position(("id",)))


@rule("D701", "duplicate-plan-id", Severity.ERROR, collect=_plan_id)
def duplicate_plan_id(facts: Sequence[tuple[str, PlanId]], limits: Limits) -> Iterator[FileFinding]:
    """The same plan `id` is used in two or more files of one run.

    ## Why it matters
    The plan id is how a plan is referred to in reviews, claims, renders and the repository: two
    files with one id usually mean a plan was copied for a new client and the id was not changed,
    so notes or progress can end up in the wrong person's record. The finding is reported in each
    file, naming the other(s).
    ## Example
    plans/TP-2026-0042.yaml:   id: TP-2026-0042
    plans/TP-2026-0043.yaml:   id: TP-2026-0042      # copied, not renumbered
    ## Use instead
    plans/TP-2026-0043.yaml:   id: TP-2026-0043
    """
    by_id: dict[str, list[tuple[str, PlanId]]] = defaultdict(list)
    for file, fact in facts:
        by_id[fact.id].append((file, fact))
    for plan_id, group in by_id.items():
        if len(group) < 2:
            continue
        # Linear in the group: each file's real path is looked up once, and the "also used in"
        # list depends only on it, so it is built once per real file (a group of 2,000 copies
        # would otherwise compare every file with every other one).
        real = [_real(file) for file, _ in group]
        copies: dict[str, int] = defaultdict(int)
        for r in real:
            copies[r] += 1
        messages: dict[str, str] = {}
        for (file, fact), r in zip(group, real, strict=True):
            message = messages.get(r)
            if message is None:
                total = len(group) - copies[r]
                if total == 0:  # one file named twice is not a duplicate of itself
                    messages[r] = ""
                    continue
                shown = list(itertools.islice((f for (f, _), o in zip(group, real, strict=True) if o != r), NAMED))
                message = messages[r] = f"plan id {plan_id} is also used in {_named(shown, total)}; each plan needs its own id"
            if message:
                yield FileFinding(file, fact.line, fact.column, message, ("id",))


Statement = tuple[str, int, int]  # normalised text, line, column


class Statements(tuple[Statement, ...]):
    """D702's fact: (normalised statement, line, column) of each goal. Plans started from one
    template share statements, and the cross-file pass holds every plan's until the end of the
    run: statements are interned when made and again when a worker's facts are unpickled (which
    would otherwise make one new string per plan)."""

    __slots__ = ()

    def __new__(cls, items: Iterable[Statement] = ()) -> Statements:
        return super().__new__(cls, ((sys.intern(s), line, column) for s, line, column in items))

    def __reduce__(self) -> tuple[type[Statements], tuple[tuple[Statement, ...]]]:
        return (Statements, (tuple(self),))


def _goal_statements(ctx: DataContext) -> Statements | None:
    """The goals' statements, from the raw data. Placeholders are left out: an unfilled template
    is T601's business."""
    goals = ctx.data.get("goals") if isinstance(ctx.data, dict) else None
    if not isinstance(goals, list):
        return None
    out: list[Statement] = []
    for i, goal in enumerate(goals):
        statement = goal.get("statement") if isinstance(goal, dict) else None
        path = ("goals", i, "statement")
        if isinstance(statement, str) and statement.strip() and not ctx.unfilled(path):
            out.append((normalise_statement(statement), *ctx.position(path)))
    return Statements(out) if out else None


@rule("D702", "copied-goal", Severity.INFO, collect=_goal_statements, requirement=standards.INDIVIDUALISED)
def copied_goal(facts: Sequence[tuple[str, Statements]], limits: Limits) -> Iterator[FileFinding]:
    """A goal statement is repeated word for word in many plans of one run (5 or more by default).

    ## Why it matters
    Surveyors cite plans that are not individualised, where goals in the plans of different clients
    are the same scripted wording picked from a list (Joint Commission CTS.03.01.03). A template is
    a starting point: rewrite its goal statements for each client. Case and spacing are ignored
    when comparing. The number of plans is configurable (`max-identical-goals`, at least 2).
    ## Example
    statement: Reduce stress symptoms as measured by PSS-10     # in 40 plans
    ## Use instead
    statement: Bring perceived stress (PSS-10) from 29 to the low range, so that weekends are for rest again
    """
    threshold = max(2, limits.max_identical_goals)
    # Two passes over the facts instead of an index of every statement's files and positions (at
    # 10,000 plans that index was half the run's peak memory): count the plans each statement is
    # in, keeping the first few (the message names them), then report each copy where it stands.
    plans: dict[str, int] = {}
    first: dict[str, list[str]] = {}
    for file, statements in facts:
        for statement in {s for s, _, _ in statements}:
            plans[statement] = plans.get(statement, 0) + 1
            head = first.setdefault(statement, [])
            if len(head) <= NAMED:
                head.append(file)
    # Only the first few other files are named, so most files of a large group get the very same
    # message: build each distinct one once (a 10,000-plan run would otherwise hold 30,000 copies).
    messages: dict[tuple[str, tuple[str, ...]], str] = {}
    for file, statements in facts:
        for statement, line, column in statements:
            total = plans[statement]
            if total < threshold:
                continue
            shown = tuple(f for f in first[statement] if f != file)[:NAMED]
            message = messages.get((statement, shown))
            if message is None:
                message = messages[statement, shown] = (
                    f"this goal statement is word for word the same in {total} plans (also {_named(shown, total - 1)}); "
                    "goals copied across clients are not individualised: rewrite it for this client"
                )
            yield FileFinding(file, line, column, message)


RULES = collect(globals())
