"""Rules for the whole episode of care: goal status, dates that cannot precede the plan, GAS goals
and the discharge record (PLAN-FORMAT.md, "Additions for a whole episode of care")."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator

from tplan.attainment import attainment
from tplan.diagnostics import Finding, Path, Severity
from tplan.rules import standards
from tplan.rules.base import RuleContext, collect, rule
from tplan.schema.values import GAS_LEVELS
from tplan.targets import absolute_target

ERR, WARN = Severity.ERROR, Severity.WARNING

# An intake assessment often comes a few weeks before the plan is written; a year typo does not.
ASSESSMENT_LEAD_DAYS = 90


def _kind(parent: object) -> str:
    return "objective" if parent is not None else "goal"


@rule("S114", "gas-goal-incomplete", ERR, requirement=standards.MEASURABLE)
def gas_goal_incomplete(ctx: RuleContext) -> Iterator[Finding]:
    """A Goal Attainment Scaling goal lacks its five levels, a baseline level or a target of at least 0.

    ## Why it matters
    A GAS goal is scored on five observable outcomes agreed with the client, from −2 (much less
    than expected) to +2 (much better); 0 is the expected outcome. Without all five levels, each
    distinct, the score at a review means nothing; a baseline that is not a level cannot be
    compared; a target below 0 aims for less than the expected outcome (Kiresuk & Sherman 1968;
    the HL7 Person-Centered Outcomes IG's GAS goal). Surveyors ask for measurable objectives
    (Joint Commission CTS.03.01.03, CARF Section 2.C): the five levels are what make such a goal
    measurable. `levels` on a goal that is not a GAS goal,
    and a GAS score that is not a whole level, are reported too.
    ## Example
    measure: GAS
    levels: {"0": Went back to choir twice in a month.}
    baseline: -2
    target: ">= 0"
    ## Use instead
    measure: GAS
    levels:
      "-2": Has not left the house for a social reason.
      "-1": Met one friend at home.
      "0": Went back to choir rehearsal twice in a month.
      "+1": Goes to choir weekly.
      "+2": Goes to choir weekly and sang at the spring concert.
    baseline: -2
    target: ">= 0"
    """
    gas_ids: set[str] = set()
    for path, item, parent in ctx.goals_and_objectives():
        kind = _kind(parent)
        is_gas = isinstance(item.measure, str) and item.measure.strip().upper() == "GAS"
        if not is_gas:
            if item.levels is not None:
                yield Finding(path + ("levels",), f"{kind} {item.id} has GAS levels but its measure is not GAS; write measure: GAS")
            continue
        gas_ids.add(item.id)
        levels = item.levels or {}
        absent = [_level(n) for n in GAS_LEVELS if not (levels.get(n) or "").strip()]
        if absent:
            yield Finding(path + ("levels",), f"GAS {kind} {item.id} needs all five levels; missing {', '.join(absent)}")
        texts = [" ".join(t.split()).casefold() for t in levels.values() if t and t.strip()]
        if len(set(texts)) < len(texts):
            yield Finding(path + ("levels",), f"GAS {kind} {item.id} has two levels with the same outcome; each level must differ")
        if item.baseline is not None and item.baseline not in GAS_LEVELS:
            yield Finding(path + ("baseline",), f"GAS {kind} {item.id}'s baseline must be a level from -2 to +2")
        if item.target is not None:
            target = absolute_target(item.target, item.baseline, "higher")
            if target is not None and (target.value < 0 or target.comparator in ("<", "<=")):
                yield Finding(path + ("target",), f"GAS {kind} {item.id}'s target must be the expected outcome (0) or better, e.g. \">= 0\"")
    if not gas_ids:
        return
    for i, entry in enumerate(ctx.plan.progress):
        if entry.measure is not None and entry.measure.strip().upper() == "GAS" and entry.score not in GAS_LEVELS:
            yield Finding(("progress", i, "score"), "a GAS score must be a whole level from -2 to +2")


def _level(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


@rule("S116", "met-goal-not-met", WARN, requirement=standards.PROGRESS)
def met_goal_not_met(ctx: RuleContext) -> Iterator[Finding]:
    """A goal or objective is marked `met` but its latest score does not meet its target.

    ## Why it matters
    "Met" is a clinical judgement the record must support: a payer or surveyor reading the plan
    compares the status with the scores. When the latest score misses the target, either the
    status is wrong, a score is missing, or the goal was met in another way that a review should
    say (and then `partially-met` or a changed target records it honestly). Monitoring progress
    towards each goal is what the Joint Commission asks for (CTS.03.01.09).
    ## Example
    status: met            # target "<= 9", latest PHQ-9 score 14
    ## Use instead
    status: partially-met
    status_date: 2026-06-01
    """
    plan = ctx.plan
    for path, item, parent in ctx.goals_and_objectives():
        if item.status != "met" or item.target is None:
            continue
        progress = attainment(item, plan, ctx.catalogue, ctx.today)
        latest = progress.latest
        if progress.target is not None and latest is not None and not progress.target.met_by(latest.value):
            yield Finding(
                path + ("status",),
                f"{_kind(parent)} {item.id} is marked met but its latest score ({latest.date}) does not meet the target "
                f"{progress.target}; record the score that met it, or use partially-met",
            )


@rule("S117", "status-without-date", ERR)
def status_without_date(ctx: RuleContext) -> Iterator[Finding]:
    """A goal or objective's status changed (met, revised, discontinued…) but `status_date` is missing.

    ## Why it matters
    When a goal stopped being active is part of the record: it dates the review that decided
    it and lets the plan's history be read in order. A status without a date cannot be audited.
    ## Example
    status: met
    ## Use instead
    status: met
    status_date: 2026-06-01
    """
    for path, item, parent in ctx.goals_and_objectives():
        if item.status != "active" and item.status_date is None:
            yield Finding(path + ("status",), f"{_kind(parent)} {item.id} is {item.status} but has no status_date")


@rule("R307", "date-before-plan", ERR)
def date_before_plan(ctx: RuleContext) -> Iterator[Finding]:
    """A progress, review, signature, status, change or discharge date is before the plan was created.

    ## Why it matters
    Nothing can be recorded against a plan before it existed: such a date is almost always a
    typo (2025 for 2026) that would put a score or a signature in the wrong year of a legal
    record. Baseline assessments may come up to 90 days before `created` (an intake assessment
    often precedes the written plan); earlier than that is reported too.
    ## Example
    created: 2026-03-02
    progress:
      - {date: 2025-03-30, measure: PSS-10, score: 24}
    ## Use instead
    progress:
      - {date: 2026-03-30, measure: PSS-10, score: 24}
    """
    created = ctx.plan.created
    for path, day, what in _dated(ctx):
        if what == "assessment":
            if (created - day).days > ASSESSMENT_LEAD_DAYS:
                yield Finding(path, f"assessment dated {day} is more than {ASSESSMENT_LEAD_DAYS} days before the plan was created ({created})")
        elif day < created:
            yield Finding(path, f"{what} dated {day} is before the plan was created ({created})")


def _dated(ctx: RuleContext) -> Iterator[tuple[Path, _dt.date, str]]:
    """(path, date, what it dates) for every date recorded during the plan's life."""
    plan = ctx.plan
    for i, entry in enumerate(plan.progress):
        yield ("progress", i, "date"), entry.date, "progress entry"
    for i, review in enumerate(plan.reviews.history):
        yield ("reviews", "history", i, "date"), review.date, "review"
    for i, assessment in enumerate(plan.assessments):
        yield ("assessments", i, "date"), assessment.date, "assessment"
    if plan.consent is not None:
        for key in ("client_signed", "guardian_signed", "clinician_signed", "supervisor_signed"):
            day = getattr(plan.consent, key)
            if day is not None:
                yield ("consent", key), day, "signature"
    for path, item, _ in ctx.goals_and_objectives():
        if item.status_date is not None:
            yield path + ("status_date",), item.status_date, "status change"
        for k, change in enumerate(item.changes):
            yield path + ("changes", k, "date"), change.date, "change"
    if plan.discharge is not None:
        yield ("discharge", "date"), plan.discharge.date, "discharge"


@rule("C407", "discharge-record", ERR, requirement=standards.DISCHARGE_RECORD)
def discharge_record(ctx: RuleContext) -> Iterator[Finding]:
    """A closed plan has no `discharge` record, or a plan still open has one.

    ## Why it matters
    A closed record must say when and why care ended, what was achieved and where the client
    was referred: surveyors and the next clinician read the discharge summary first (CARF
    Section 2.D, transition and discharge, asks for one). A `discharge` on a draft or active
    plan contradicts its status: either the plan is closed, or the discharge is not real yet.
    ## Example
    status: closed
    ## Use instead
    status: closed
    discharge: {date: 2026-11-30, reason: goals-met, summary: PSS-10 at 11 at the last two reviews.}

    `tplan close PLAN --reason goals-met --summary "…"` writes both.
    """
    plan = ctx.plan
    if plan.status == "closed" and plan.discharge is None:
        yield Finding(("status",), "closed plan has no discharge record; add discharge: {date, reason, summary} (tplan close writes it)")
    elif plan.status != "closed" and plan.discharge is not None:
        yield Finding(("discharge",), f"{plan.status} plan has a discharge record; close the plan (status: closed) or remove it")


@rule("S118", "assessment-score-or-result", ERR, requirement=standards.MEASURABLE)
def assessment_score_or_result(ctx: RuleContext) -> Iterator[Finding]:
    """An assessment has neither a `score` nor a `result`, or both.

    ## Why it matters
    The baseline assessment is what every goal's change is measured from (Joint Commission
    CTS.03.01.03, CARF Section 2.C: measurable objectives start from an assessed need). A
    scored instrument records its `score`; an instrument that classifies (an attachment
    interview's category) or a clinician's observation records a `result` in words. An entry
    with neither records nothing; one with both leaves the reader unsure which was measured.
    ## Example
    assessments:
      - {instrument: GAD-7, date: 2026-03-02}
    ## Use instead
    assessments:
      - {instrument: GAD-7, date: 2026-03-02, score: 14}
      - {instrument: AAI, date: 2026-03-02, result: dismissing}
    """
    for i, assessment in enumerate(ctx.plan.assessments):
        path = ("assessments", i)
        if ctx.unfilled(path + ("score",)) or ctx.unfilled(path + ("result",)):
            continue  # T601 asks for the value
        if assessment.score is None and assessment.result is None:
            yield Finding(path, "assessment has neither a score nor a result; record the score, or the result in words")
        elif assessment.score is not None and assessment.result is not None:
            yield Finding(path, "assessment has both a score and a result; keep the one the instrument gives")


RULES = collect(globals())
