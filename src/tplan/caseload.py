"""A caseload's outcomes, aggregated: what `tplan report` shows (CTS.03.01.09 "aggregate and analyse").

Each plan is read once, with the linter's own load and validation (`check_text`), and reduced to
small `PlanFacts` (picklable, so folders of plans are read in worker processes as `tplan lint`
does). The facts hold ids, dates, statuses and scores only — never a name or free text — and the
summary built from them holds counts and aggregates only; plan ids leave it only in `by_plan`,
which the report prints with `--by-plan` alone.

Counting rules (docs/outcomes.md): per plan and catalogue instrument, the series is the baseline
(the first goal or objective on that instrument with one, dated at the plan's `created`) followed
by the progress scores on it, oldest first, limited to --from/--to; the change is last − first,
classified by `tplan.outcomes.classify`.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import statistics
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from tplan.measures import Catalogue
from tplan.outcomes import Change, classify

if TYPE_CHECKING:
    from tplan.linter import LintSettings
    from tplan.schema.plan import Plan

MET, REVISED, DISCONTINUED = "met", "revised", "discontinued"


@dataclass(frozen=True)
class Series:
    measure: str  # catalogue id
    scores: tuple[tuple[_dt.date, float], ...]  # oldest first, inside the period


@dataclass(frozen=True)
class PlanFacts:
    """What the report needs from one plan, and nothing else (no names, no free text)."""

    plan_id: str
    series: tuple[Series, ...] = ()
    goal_statuses: tuple[str, ...] = ()  # status of each goal (not objective) whose status_date is in the period
    reviews: tuple[bool, ...] = ()  # each recorded review in the period: held on time?
    overdue_now: bool = False  # an active plan whose reviews.next is before today


@dataclass(frozen=True)
class Period:
    start: _dt.date | None = None
    end: _dt.date | None = None

    def __contains__(self, day: _dt.date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


# ---- one plan → facts -------------------------------------------------------------------------


def plan_facts(plan: Plan, catalogue: Catalogue, period: Period, today: _dt.date) -> PlanFacts:
    """Reduce one validated plan to its facts for the period."""
    from tplan.attainment import measure_key

    series = []
    items = [(g, g.baseline) for g in plan.goals] + [(o, o.baseline) for g in plan.goals for o in g.objectives]
    seen: dict[str, float | None] = {}
    for item, baseline in items:
        inst = catalogue.get(item.measure) if isinstance(item.measure, str) else None
        if inst is None:
            continue
        if seen.get(inst.id) is None:
            seen[inst.id] = float(baseline) if baseline is not None else None
    for measure, baseline in seen.items():
        key = measure.casefold()
        scores = [(plan.created, baseline)] if baseline is not None else []
        scores += sorted(
            (e.date, float(e.score))
            for e in plan.progress
            if e.score is not None and e.measure and measure_key(e.measure, catalogue) == key
        )
        series.append(Series(measure, tuple((d, s) for d, s in scores if d in period)))

    statuses = []
    for item in plan.goals:
        status, when = getattr(item, "status", None), getattr(item, "status_date", None)
        if status and status != "active" and (when is None or when in period):
            statuses.append(status)

    reviews = []
    due = plan.created + _dt.timedelta(days=plan.reviews.interval_days)
    for review in sorted(plan.reviews.history, key=lambda r: r.date):
        if review.date in period:
            reviews.append(review.date <= due)
        due = review.date + _dt.timedelta(days=plan.reviews.interval_days)
    overdue = plan.status == "active" and plan.reviews.next is not None and plan.reviews.next < today
    return PlanFacts(plan.id, tuple(series), tuple(statuses), tuple(reviews), overdue)


def read_facts(file: str, settings: LintSettings, catalogue: Catalogue, period: Period) -> PlanFacts | str:
    """The facts of one plan file, or why it was not counted ("unreadable" / "invalid")."""
    from tplan.linter import check_text
    from tplan.loader import LoadError, decode

    try:
        checked = check_text(decode(FsPath(file).read_bytes()), file, settings, catalogue)
    except (OSError, LoadError, RecursionError):
        return "unreadable"
    if checked.plan is None:
        return "invalid"
    return plan_facts(checked.plan, catalogue, period, settings.today)


# ---- many plans, in worker processes when there are enough ----------------------------------

def collect_facts(files: list[str], settings: LintSettings, catalogue: Catalogue, period: Period, jobs: int | None = None) -> list[PlanFacts | str]:
    """read_facts for every file, in file order; worker processes for big folders, as in lint."""
    from tplan.fanout import map_files

    return map_files(read_facts, files, (settings, catalogue, period), jobs)


# ---- facts → the summary ---------------------------------------------------------------------


@dataclass
class MeasureSummary:
    measure: str
    plans: int = 0  # plans with a goal or objective on the measure
    clients: int = 0  # of those, with at least two scores in the period (baseline included)
    assessable: int = 0  # of those, classifiable (the measure has a published reliability basis)
    mean_change: float | None = None  # last − first, in points
    median_change: float | None = None
    improved: int = 0  # reliable improvement, recovered included
    recovered: int = 0
    deteriorated: int = 0
    no_change: int = 0

    def percent(self, count: int) -> float | None:
        return round(100 * count / self.assessable, 1) if self.assessable else None


@dataclass
class PlanOutcome:
    """One plan's change on one measure: only with --by-plan."""

    plan_id: str
    measure: str
    first: float
    last: float
    change: float
    outcome: str | None  # the class, or None when the measure has no reliability basis


@dataclass
class Summary:
    period: Period
    today: _dt.date
    plans: int = 0  # counted
    not_counted: dict[str, int] = field(default_factory=dict)  # "unreadable" / "invalid" → how many
    measures: list[MeasureSummary] = field(default_factory=list)
    goals: dict[str, int] = field(default_factory=lambda: {MET: 0, REVISED: 0, DISCONTINUED: 0})
    reviews_on_time: int = 0
    reviews_late: int = 0
    reviews_overdue_now: int = 0
    by_plan: list[PlanOutcome] = field(default_factory=list)

    def as_dict(self, by_plan: bool) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["period"] = {"from": _iso(self.period.start), "to": _iso(self.period.end)}
        data["today"] = self.today.isoformat()
        for m, raw in zip(self.measures, data["measures"], strict=True):
            raw["percent"] = {
                "reliable_improvement": m.percent(m.improved),
                "recovered": m.percent(m.recovered),
                "reliable_deterioration": m.percent(m.deteriorated),
                "no_reliable_change": m.percent(m.no_change),
            }
        if not by_plan:
            del data["by_plan"]
        return data


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None


def summarise(results: list[PlanFacts | str], catalogue: Catalogue, period: Period, today: _dt.date) -> Summary:
    """Aggregate plans' facts into counts, means, medians and percentages per measure."""
    summary = Summary(period, today)
    by_measure: dict[str, MeasureSummary] = {}
    changes: dict[str, list[float]] = {}
    for facts in results:
        if isinstance(facts, str):
            summary.not_counted[facts] = summary.not_counted.get(facts, 0) + 1
            continue
        summary.plans += 1
        for status in facts.goal_statuses:
            if status in summary.goals:
                summary.goals[status] += 1
        summary.reviews_on_time += sum(facts.reviews)
        summary.reviews_late += sum(1 for on_time in facts.reviews if not on_time)
        summary.reviews_overdue_now += facts.overdue_now
        for series in facts.series:
            m = by_measure.setdefault(series.measure, MeasureSummary(series.measure))
            m.plans += 1
            if len(series.scores) < 2:
                continue
            m.clients += 1
            first, last = series.scores[0][1], series.scores[-1][1]
            changes.setdefault(series.measure, []).append(last - first)
            inst = catalogue.get(series.measure)
            result = classify(first, last, inst) if inst is not None else None
            summary.by_plan.append(PlanOutcome(facts.plan_id, series.measure, first, last, last - first, result.change_class.value if result else None))
            if result is None:
                continue
            m.assessable += 1
            cls = result.change_class
            m.improved += cls in (Change.IMPROVED, Change.RECOVERED)
            m.recovered += cls is Change.RECOVERED
            m.deteriorated += cls is Change.DETERIORATED
            m.no_change += cls is Change.NO_CHANGE
    order = {inst.id: n for n, inst in enumerate(catalogue.instruments)}
    for name, m in sorted(by_measure.items(), key=lambda kv: order.get(kv[0], len(order))):
        values = changes.get(name, [])
        if values:
            m.mean_change = round(statistics.fmean(values), 2)
            m.median_change = statistics.median(values)
        summary.measures.append(m)
    summary.by_plan.sort(key=lambda p: (p.plan_id, p.measure))
    return summary
