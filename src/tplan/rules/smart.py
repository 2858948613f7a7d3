"""S1xx: goals and objectives are SMART — specific, measurable, achievable, relevant, time-bound."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from tplan.dates import add_months
from tplan.diagnostics import Finding, Severity
from tplan.measures import fmt_number
from tplan.rules import standards
from tplan.rules.base import RuleContext, collect, rule
from tplan.schema.values import is_custom_measure
from tplan.suggest import closest, did_you_mean, near_miss
from tplan.targets import MeasureInfo, absolute_target, is_improvement, measure_info

if TYPE_CHECKING:
    from tplan.schema.base import CustomMeasure

_UNSEEN = MeasureInfo("", None, None, None)  # a marker: a measure not looked up yet

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _kind(parent: object) -> str:
    return "goal" if parent is None else "objective"


@rule("S101", "no-measure", ERR, requirement=standards.MEASURABLE)
def no_measure(ctx: RuleContext) -> Iterator[Finding]:
    """A goal or objective has no measure.

    ## Why it matters
    Without a measure nobody can tell whether the goal was reached; surveyors and payers cite
    goals that are not measurable (Joint Commission CTS.03.01.03; CARF 2.C asks for measurable
    objectives).
    ## Example
    - id: G1
      statement: Reduce depressive symptoms.
    ## Use instead
    - id: G1
      statement: Reduce depressive symptoms to the mild range.
      measure: PHQ-9
    """
    for path, item, parent in ctx.goals_and_objectives():
        if item.measure is None:
            yield Finding(path + ("measure",), f"{_kind(parent)} {item.id} has no measure; name an instrument (e.g. PHQ-9) or a custom measure with a unit")


@rule("S102", "no-target", ERR, requirement=standards.MEASURABLE)
def no_target(ctx: RuleContext) -> Iterator[Finding]:
    """A goal or objective has no target.

    ## Why it matters
    A measure without a target says what is counted but not what success looks like, so progress
    cannot be judged at review. Measurable goals are what Joint Commission CTS.03.01.03 and
    CARF 2.C surveyors look for.
    ## Example
    measure: GAD-7
    baseline: 14
    ## Use instead
    measure: GAD-7
    baseline: 14
    target: "<= 9"
    """
    for path, item, parent in ctx.goals_and_objectives():
        if item.target is None:
            yield Finding(path + ("target",), f"{_kind(parent)} {item.id} has no target; say what score counts as success, e.g. \"<= 9\"")


@rule("S103", "no-deadline", ERR, requirement=standards.TIME_SPECIFIC)
def no_deadline(ctx: RuleContext) -> Iterator[Finding]:
    """A goal or objective has no deadline.

    ## Why it matters
    A goal without a date cannot be reviewed as met or unmet; CARF 2.C asks for objectives that
    are time-specific, and surveyors cite those that are not.
    ## Example
    - id: G1
      measure: PHQ-9
      target: "<= 9"
    ## Use instead
    - id: G1
      measure: PHQ-9
      target: "<= 9"
      deadline: 2026-09-01
    """
    for path, item, parent in ctx.goals_and_objectives():
        if item.deadline is None:
            yield Finding(path + ("deadline",), f"{_kind(parent)} {item.id} has no deadline")


@rule("S104", "score-out-of-range", ERR)
def score_out_of_range(ctx: RuleContext) -> Iterator[Finding]:
    """A target, baseline, assessment or progress score is outside the instrument's range.

    ## Why it matters
    A PSS-10 score of 45 cannot exist (the scale runs 0–40): it is a typo or the wrong
    instrument, and every conclusion drawn from it is wrong.
    ## Example
    measure: PSS-10
    target: "<= 45"
    ## Use instead
    measure: PSS-10
    target: "<= 13"
    """
    plan = ctx.plan
    for path, item, _ in ctx.goals_and_objectives():
        info = measure_info(item.measure, ctx.catalogue)
        if info is None or (info.min is None and info.max is None):
            continue
        if item.baseline is not None and not info.in_range(item.baseline):
            yield Finding(path + ("baseline",), f"baseline {fmt_number(item.baseline)} is outside {info.label}'s range {info.range_text}")
        if item.target is not None:
            absolute = absolute_target(item.target, item.baseline, info.direction)
            if absolute is not None and not info.in_range(absolute.value):
                yield Finding(path + ("target",), f"target {fmt_number(absolute.value)} is outside {info.label}'s range {info.range_text}")
    for i, assessment in enumerate(plan.assessments):
        inst = ctx.catalogue.get(assessment.instrument)
        if inst is not None and assessment.score is not None and not (inst.min <= assessment.score <= inst.max):
            yield Finding(("assessments", i, "score"), f"score {fmt_number(assessment.score)} is outside {inst.id}'s range {inst.range_text}")
    customs = _custom_measures(ctx)
    infos: dict[str, MeasureInfo | None] = {}  # by the name written: a plan scores a few measures often
    for i, entry in enumerate(plan.progress):
        if entry.measure is None or entry.score is None:  # a narrative note
            continue
        info = infos.get(entry.measure, _UNSEEN)
        if info is _UNSEEN:
            info = infos[entry.measure] = measure_info(customs.get(entry.measure.casefold(), entry.measure), ctx.catalogue)
        if info is not None and not info.in_range(entry.score):
            yield Finding(("progress", i, "score"), f"score {fmt_number(entry.score)} is outside {info.label}'s range {info.range_text}")


def _custom_measures(ctx: RuleContext) -> dict[str, CustomMeasure]:
    """Custom measures of the plan by name, so progress entries can refer to them by name."""
    return {
        item.measure.name.casefold(): item.measure
        for _, item, _ in ctx.goals_and_objectives()
        if is_custom_measure(item.measure)
    }


@rule("S105", "target-not-improvement", WARN)
def target_not_improvement(ctx: RuleContext) -> Iterator[Finding]:
    """The target is not an improvement over the baseline in the measure's better direction.

    ## Why it matters
    On PHQ-9 lower is better: a baseline of 8 with a target of "<= 12" is already met on day one,
    and ">= 5" points the wrong way. Usually the comparison sign or the measure is wrong.
    ## Example
    measure: PHQ-9
    baseline: 8
    target: "<= 12"
    ## Use instead
    measure: PHQ-9
    baseline: 8
    target: "<= 4"
    """
    for path, item, _parent in ctx.goals_and_objectives():
        info = measure_info(item.measure, ctx.catalogue)
        if info is None or info.direction is None or item.baseline is None or item.target is None:
            continue
        absolute = absolute_target(item.target, item.baseline, info.direction)
        if absolute is not None and not is_improvement(absolute, item.baseline, info.direction):
            better = "lower" if info.direction == "lower" else "higher"
            yield Finding(
                path + ("target",),
                f"target {absolute} is not an improvement on the baseline {fmt_number(item.baseline)} "
                f"({better} is better on {info.label})",
            )


@rule("S106", "deadline-before-start", ERR)
def deadline_before_start(ctx: RuleContext) -> Iterator[Finding]:
    """A deadline is not after the plan's `created` date.

    ## Why it matters
    A deadline on or before the day the plan was written is a typo (often the wrong year) and
    makes the goal overdue from the start.
    ## Example
    created: 2026-03-02
    deadline: 2025-06-01
    ## Use instead
    created: 2026-03-02
    deadline: 2026-06-01
    """
    created = ctx.plan.created
    for path, item, _parent in ctx.goals_and_objectives():
        if item.deadline is not None and item.deadline <= created:
            yield Finding(path + ("deadline",), f"deadline {item.deadline} is not after the plan's created date {created}")


@rule("S107", "deadline-too-far", WARN, requirement=standards.TIME_SPECIFIC)
def deadline_too_far(ctx: RuleContext) -> Iterator[Finding]:
    """A deadline is too far away: short-term over 3 months, long-term over 12 months after `created`.

    ## Why it matters
    Goals that run past the review cycle are never judged. Short-term goals should be reachable
    within a review period, long-term goals within a year (CARF 2.C: objectives that are
    achievable and time-specific). Objectives follow their goal's term. Months are calendar
    months, as a clinician counts them: "within three months" of 2 November is 2 February. A
    deadline a review moved (a `changes` entry for `deadline`) counts from that review.
    The limits are configurable (`short-term-months`, `long-term-months`; a clinic that counts
    days sets `short-term-days` / `long-term-days` instead).
    ## Example
    term: short
    deadline: 2026-12-01      # created 2026-03-02: nine months
    ## Use instead
    term: short
    deadline: 2026-05-25
    """
    limits = ctx.limits
    latest_by: dict[tuple[_dt.date, int], _dt.date] = {}
    for path, item, parent in ctx.goals_and_objectives():
        goal = parent or item
        if item.deadline is None:
            continue
        # A deadline a review moved counts from that review, as a new short-term step does.
        moved = [c.date for c in item.changes if c.field == "deadline"]
        start, since = (max(moved), "the review that set it") if moved else (ctx.plan.created, "the plan was created")
        term = goal.term or "long"
        days_limit = limits.short_term_days if term == "short" else limits.long_term_days
        if days_limit is not None:
            days = (item.deadline - start).days
            if days > days_limit:
                yield Finding(path + ("deadline",), f"deadline is {days} days after {since}; {term}-term deadlines should be within {days_limit} days")
            continue
        months = limits.short_term_months if term == "short" else limits.long_term_months
        latest = latest_by.get((start, months))
        if latest is None:  # most deadlines count from the plan's creation: one sum per term
            latest = latest_by[(start, months)] = add_months(start, months)
        if item.deadline > latest:
            yield Finding(
                path + ("deadline",),
                f"deadline is more than {months} months after {since}; {term}-term deadlines should be "
                f"on or before {latest}",
            )


@rule("S108", "objective-after-goal", ERR)
def objective_after_goal(ctx: RuleContext) -> Iterator[Finding]:
    """An objective's deadline is later than its goal's deadline.

    ## Why it matters
    Objectives are the steps towards a goal; a step due after the goal itself breaks the plan's
    logic and its review dates.
    ## Example
    deadline: 2026-06-01
    objectives:
      - {id: G1.1, deadline: 2026-07-01}
    ## Use instead
    deadline: 2026-06-01
    objectives:
      - {id: G1.1, deadline: 2026-05-01}
    """
    for path, item, parent in ctx.goals_and_objectives():
        if parent is not None and item.deadline and parent.deadline and item.deadline > parent.deadline:
            yield Finding(path + ("deadline",), f"objective {item.id} is due {item.deadline}, after its goal {parent.id} ({parent.deadline})")


_VAGUE = re.compile(
    r"\b(feel (better|good|happier|less \w+|more \w+|okay|ok)|be (happier|happy|better|less stressed|more confident|calmer|ok|okay)"
    r"|get better|improve (mood|wellbeing|well-being|self-esteem|coping|life)|cope better|deal with|work on|be more positive"
    r"|understand (myself|feelings|emotions)|gain insight|explore)\b",
    re.I,
)
_OBSERVABLE = re.compile(
    r"\d|%|\b(per|each|every|times|days?|nights?|weeks?|sessions?|score|scores|measured|as measured|range|at least|at most"
    r"|no more than|fewer|reduce|increase|decrease|attend|complete|practi[cs]e|use|identify|list|record|log|schedule)\b",
    re.I,
)
# A statement with none of these has no amount, no time frame and no observable behaviour
# ("Reduce anxiety.", "Improve mental health."): nothing a reviewer could check.
_CHECKABLE = re.compile(
    r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|twice|half|once|most|all|none|no longer"
    r"|per|each|every|daily|weekly|monthly|times?|days?|nights?|weeks?|months?|sessions?|hours?|minutes?"
    r"|by|within|before|after|until|when|while|without|consecutive|again"
    r"|score|scores|measured|range|level|below|above|fewer|less than|more than|at least|at most|or less|or more"
    r"|attend|complete|practi[cs]e|use|identify|list|record|log|schedule|track|keep|follow|return|resume"
    r"|sleep|walk|exercise|go|visit|call|write|read|say|state|ask|tell|name|describe|explain|plan|make|take"
    r"|spend|eat|drink|abstain|stop|start|limit|cut|hold|arrange|decline|join|engage|participate|share|report"
    r"|demonstrate|apply|finish|reach|raise|bring|lower|drop|maintain|express|communicate|contact|set)\b",
    re.I,
)


@lru_cache(maxsize=4096)  # a repository repeats its goal statements (D702): each is searched once
def vague_phrase(statement: str) -> str | None:
    """Why a statement is vague, in tplan's own words (never the statement itself), or None."""
    vague = _VAGUE.search(statement)
    if vague and not _OBSERVABLE.search(statement):
        return f'it says "{vague.group(0).lower()}" and names no observable behaviour or amount'
    if not _CHECKABLE.search(statement):
        return "it names no amount, no time frame and no observable behaviour"
    return None


@rule("S109", "vague-goal", WARN, requirement=standards.MEASURABLE)
def vague_goal(ctx: RuleContext) -> Iterator[Finding]:
    """A goal statement is vague ("feel better", "Reduce anxiety.") and names no observable behaviour.

    ## Why it matters
    "Feel better" cannot be observed or counted, and neither can "Reduce anxiety." or "Improve
    mental health.", the SMART guides' own examples of vague goals: no amount, no time frame, no
    behaviour. A statement should say what the client will do or what will change, by how much:
    that is what makes a goal measurable for the client, the clinician and a surveyor (Joint
    Commission CTS.03.01.03, CARF 2.C).
    ## Example
    statement: Reduce anxiety.
    ## Use instead
    statement: Reduce depressive symptoms to the mild range (PHQ-9 at or below 9).
    """
    for path, item, parent in ctx.goals_and_objectives():
        why = vague_phrase(item.statement)
        if why and not ctx.unfilled(path + ("statement",)):
            yield Finding(path + ("statement",), f"{_kind(parent)} {item.id}'s statement is vague: {why}")


@rule("S110", "relative-target-no-baseline", ERR, requirement=standards.MEASURABLE)
def relative_target_no_baseline(ctx: RuleContext) -> Iterator[Finding]:
    """A relative target (such as "-50%" or "+3") has no baseline.

    ## Why it matters
    "Half of the baseline" means nothing until the baseline is recorded, so the target cannot be
    checked or rendered: the goal is not measurable yet (Joint Commission CTS.03.01.03,
    CARF 2.C).
    ## Example
    measure: PHQ-9
    target: "-50%"
    ## Use instead
    measure: PHQ-9
    baseline: 16
    target: "-50%"
    """
    for path, item, parent in ctx.goals_and_objectives():
        if item.target is not None and item.target.relative and item.baseline is None:
            yield Finding(path + ("target",), f"relative target {item.target} needs a baseline on {_kind(parent)} {item.id}")


@rule("S111", "unknown-measure", WARN)
def unknown_measure(ctx: RuleContext) -> Iterator[Finding]:
    """A measure is a name that is not in the catalogue.

    ## Why it matters
    tplan knows the range and better direction of catalogue instruments (`tplan measures`), so it
    can check scores and targets. For a free-text name it knows neither. Use the instrument's
    id, or describe a custom measure with a unit and a direction.
    ## Example
    measure: depression score
    ## Use instead
    measure: PHQ-9
    # or
    measure: {name: panic attacks, unit: attacks/week, min: 0, direction: lower}
    """
    ids = ctx.catalogue.ids()
    for path, item, _parent in ctx.goals_and_objectives():
        if isinstance(item.measure, str) and ctx.catalogue.get(item.measure) is None:
            meant = closest(item.measure, ids)
            hint = did_you_mean(meant) or "; see `tplan measures`, or use a custom measure with a unit"
            what = f"measure '{item.measure}' is" if meant and near_miss(item.measure, meant) else "the measure is a name that is"
            yield Finding(path + ("measure",), f"{what} not in the catalogue{hint}")


@rule("S112", "custom-measure-no-unit", WARN, requirement=standards.MEASURABLE)
def custom_measure_no_unit(ctx: RuleContext) -> Iterator[Finding]:
    """A custom measure has no unit.

    ## Why it matters
    "5" means nothing without "nights/week" or "panic attacks per week"; the unit is what lets
    the client and a reviewer read the target and the progress, and what makes the goal
    measurable (Joint Commission CTS.03.01.03, CARF 2.C).
    ## Example
    measure: {name: wind-down routine, direction: higher}
    ## Use instead
    measure: {name: wind-down routine, unit: nights/week, min: 0, max: 7, direction: higher}
    """
    for path, item, parent in ctx.goals_and_objectives():
        if is_custom_measure(item.measure) and not item.measure.unit:
            yield Finding(path + ("measure",), f"the custom measure of {_kind(parent)} {item.id} has no unit")


@rule("S113", "no-client-words", INFO, requirement=standards.CLIENT_WORDS)
def no_client_words(ctx: RuleContext) -> Iterator[Finding]:
    """A goal has no `client_words`: the goal as the client put it.

    ## Why it matters
    The clinical statement says what will be measured; the client's own words say why it matters
    to them, and keep the plan theirs. Goals that do not reflect the individual's own words are
    among the most cited treatment-planning findings (Joint Commission CTS.03.01.03; CARF 2.C asks
    for goals expressed in the words of the person served). Quote the client, in the first person.
    ## Example
    - id: G1
      statement: Reduce perceived stress to the low range on PSS-10.
    ## Use instead
    - id: G1
      statement: Reduce perceived stress to the low range on PSS-10.
      client_words: "I want to stop dreading Monday mornings."
    """
    for gi, goal in enumerate(ctx.plan.goals):
        path = ("goals", gi, "client_words")
        if (goal.client_words is None or not goal.client_words.strip()) and not ctx.unfilled(path):
            yield Finding(path, f"goal {goal.id} has no client_words: add the goal as the client put it, in their own words")


RULES = collect(globals())
