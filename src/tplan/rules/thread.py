"""G2xx: the golden thread — every problem has a goal, every goal an intervention, every id exists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tplan.diagnostics import Finding, Path, Severity, format_path
from tplan.rules import standards
from tplan.rules.base import RuleContext, collect, rule
from tplan.suggest import closest, did_you_mean, near_miss

ERR, WARN = Severity.ERROR, Severity.WARNING


def _goal_and_objective_ids(ctx: RuleContext) -> dict[str, str]:
    """Every goal and objective id → the id of the goal it belongs to."""
    owner: dict[str, str] = {}
    for _, item, parent in ctx.goals_and_objectives():
        owner[item.id] = (parent or item).id
    return owner


@rule("G201", "problem-without-goal", ERR, requirement=standards.ASSESSED_NEEDS)
def problem_without_goal(ctx: RuleContext) -> Iterator[Finding]:
    """A presenting problem is addressed by no goal.

    ## Why it matters
    The golden thread runs from each assessed problem to a goal that addresses it. A problem with
    no goal is an assessed need the plan ignores, which surveyors cite: the plan must reflect the
    assessed needs (Joint Commission CTS.03.01.03) and be prepared from the assessment (CARF 2.C).
    ## Example
    presenting_problems: [{id: P1, summary: ...}, {id: P2, summary: ...}]
    goals: [{id: G1, addresses: [P1], ...}]
    ## Use instead
    goals: [{id: G1, addresses: [P1], ...}, {id: G2, addresses: [P2], ...}]
    """
    addressed = {pid for goal in ctx.plan.goals for pid in goal.addresses}
    for i, problem in enumerate(ctx.plan.presenting_problems):
        if problem.id not in addressed:
            yield Finding(("presenting_problems", i, "id"), f"presenting problem {problem.id} is addressed by no goal; add it to a goal's 'addresses'")


@rule("G202", "goal-without-intervention", ERR, requirement=standards.INTERVENTIONS)
def goal_without_intervention(ctx: RuleContext) -> Iterator[Finding]:
    """A goal has no intervention.

    ## Why it matters
    A goal nobody works on will not be reached; each goal needs at least one intervention that
    lists it (or one of its objectives) under `goals`. CARF 2.C asks the plan to identify the
    specific interventions to be used; 42 CFR 456.180 asks for the treatments and therapies
    ordered to meet the plan's objectives.
    ## Example
    interventions: [{id: I1, name: CBT, goals: [G1]}]   # nothing for G2
    ## Use instead
    interventions: [{id: I1, name: CBT, goals: [G1, G2]}]
    """
    owner = _goal_and_objective_ids(ctx)
    served = {owner[gid] for iv in ctx.plan.interventions for gid in iv.goals if gid in owner}
    for i, goal in enumerate(ctx.plan.goals):
        if goal.id not in served:
            yield Finding(("goals", i, "id"), f"goal {goal.id} has no intervention; list it under an intervention's 'goals'")


@rule("G203", "unknown-reference", ERR)
def unknown_reference(ctx: RuleContext) -> Iterator[Finding]:
    """A reference to an id that does not exist.

    ## Why it matters
    `addresses`, an intervention's `goals` and a progress entry's `goals` link parts of the plan by
    id. A typo breaks the link silently: the goal looks addressed when it is not.
    ## Example
    goals: [{id: G1, addresses: [P3]}]     # there is no P3
    ## Use instead
    goals: [{id: G1, addresses: [P1]}]
    """
    problems = {p.id for p in ctx.plan.presenting_problems}
    goals = _goal_and_objective_ids(ctx)
    for gi, goal in enumerate(ctx.plan.goals):
        for k, pid in enumerate(goal.addresses):
            if pid not in problems:
                yield Finding(("goals", gi, "addresses", k), f"goal {goal.id} addresses {_missing(pid, problems, 'presenting problem')}")
    for ii, iv in enumerate(ctx.plan.interventions):
        for k, gid in enumerate(iv.goals):
            if gid not in goals:
                yield Finding(("interventions", ii, "goals", k), f"intervention {iv.id} serves {_missing(gid, goals, 'goal or objective')}")
    for pi, entry in enumerate(ctx.plan.progress):
        for k, gid in enumerate(entry.goals):
            if gid not in goals:
                yield Finding(("progress", pi, "goals", k), f"progress entry refers to {_missing(gid, goals, 'goal or objective')}")


# An unknown reference is quoted only when it looks like a plan id (short, with a digit: P3, G1.2)
# and is a typo of a declared one; "Renata" is id-shaped too, but a name, not an id.
_ID_LIKE = re.compile(r"(?=[^0-9]*[0-9])[A-Za-z0-9._-]{1,12}")


def _missing(ref: str, known: Iterable[str], kind: str) -> str:
    """'P3, but there is no presenting problem P3; did you mean 'P1'?' or, for anything that may
    be client text, 'an id that no presenting problem has'."""
    meant = closest(ref, known)
    if meant is not None and _ID_LIKE.fullmatch(ref) and near_miss(ref, meant):
        return f"{ref}, but there is no {kind} {ref}{did_you_mean(meant)}"
    return f"an id that no {kind} has{did_you_mean(meant)}"


@rule("G204", "duplicate-id", ERR)
def duplicate_id(ctx: RuleContext) -> Iterator[Finding]:
    """Two problems, goals, objectives or interventions share an id.

    ## Why it matters
    Ids are how the plan links problems, goals and interventions; one id for two things makes
    every link to it ambiguous. Ids share one namespace across the plan.
    ## Example
    goals: [{id: G1, ...}, {id: G1, ...}]
    ## Use instead
    goals: [{id: G1, ...}, {id: G2, ...}]
    """
    seen: dict[str, Path] = {}  # formatted only for a duplicate (most plans have none)
    items: list[tuple[Path, str]] = [(("presenting_problems", i, "id"), p.id) for i, p in enumerate(ctx.plan.presenting_problems)]
    items += [(path + ("id",), item.id) for path, item, _ in ctx.goals_and_objectives()]
    items += [(("interventions", i, "id"), iv.id) for i, iv in enumerate(ctx.plan.interventions)]
    for path, ident in items:
        if ident in seen:
            yield Finding(path, f"id {ident} is used twice (first at {format_path(seen[ident])})")
        else:
            seen[ident] = path[:-1]


@rule("G205", "intervention-without-goal", WARN, requirement=standards.INTERVENTIONS)
def intervention_without_goal(ctx: RuleContext) -> Iterator[Finding]:
    """An intervention is linked to no goal.

    ## Why it matters
    An intervention that serves no goal cannot be justified at review or to a payer; link it, or
    remove it if it is no longer part of the plan. Each intervention should serve the plan's
    objectives (CARF 2.C, 42 CFR 456.180).
    ## Example
    interventions: [{id: I2, name: Relaxation training}]
    ## Use instead
    interventions: [{id: I2, name: Relaxation training, goals: [G1]}]
    """
    for i, iv in enumerate(ctx.plan.interventions):
        if not iv.goals:
            yield Finding(("interventions", i, "id"), f"intervention {iv.id} is linked to no goal; list the goals it serves under 'goals'")


@rule("G206", "goal-without-problem", WARN, requirement=standards.ASSESSED_NEEDS)
def goal_without_problem(ctx: RuleContext) -> Iterator[Finding]:
    """A goal addresses no presenting problem.

    ## Why it matters
    A goal should answer an assessed need. One that addresses nothing may belong to another
    client's plan, or the link was forgotten. The plan's goals should reflect the assessed needs
    (Joint Commission CTS.03.01.03, CARF 2.C).
    ## Example
    goals: [{id: G1, statement: ...}]
    ## Use instead
    goals: [{id: G1, addresses: [P1], statement: ...}]
    """
    for i, goal in enumerate(ctx.plan.goals):
        if not goal.addresses:
            yield Finding(("goals", i, "id"), f"goal {goal.id} addresses no presenting problem; add 'addresses: [P1]'")


@rule("G207", "intervention-without-frequency", WARN, requirement=standards.FREQUENCY)
def intervention_without_frequency(ctx: RuleContext) -> Iterator[Finding]:
    """An intervention has no `frequency`.

    ## Why it matters
    "CBT" says what will be done, not how much of it: weekly sessions and one session a month are
    different plans, for the client, for the review and for the payer. CARF 2.C asks for the
    frequency of each intervention, modality or service. Say how often it is delivered, even when
    it is the same as the session schedule.
    ## Example
    - id: I1
      name: CBT for generalized anxiety
      goals: [G1]
    ## Use instead
    - id: I1
      name: CBT for generalized anxiety
      goals: [G1]
      frequency: weekly
    """
    for i, iv in enumerate(ctx.plan.interventions):
        path = ("interventions", i, "frequency")
        if (iv.frequency is None or not iv.frequency.strip()) and not ctx.unfilled(path):
            yield Finding(path, f"intervention {iv.id} has no frequency: say how often it is delivered, e.g. 'weekly' or 'every session'")


RULES = collect(globals())
