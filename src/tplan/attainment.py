"""Goal attainment in one place: met / on track / behind / overdue / no data, and the trend.

`tplan status`, `tplan render` and the review rules all call `attainment()`, so the three always
agree on how a goal is doing.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from tplan.measures import Catalogue
from tplan.schema.values import is_goal
from tplan.targets import AbsoluteTarget, MeasureInfo, absolute_target, measure_info

if TYPE_CHECKING:  # the lint path's fast route validates without building the models (issue 19)
    from tplan.schema.base import CustomMeasure
    from tplan.schema.care import ProgressEntry
    from tplan.schema.goals import Goal, Objective
    from tplan.schema.plan import Plan


class Status(str, Enum):
    MET = "met"
    ON_TRACK = "on track"
    BEHIND = "behind"
    OVERDUE = "overdue"
    NO_DATA = "no data"


class Trend(str, Enum):
    IMPROVING = "improving"
    FLAT = "flat"
    WORSENING = "worsening"
    UNKNOWN = "unknown"


# Score and Attainment are immutable values, made for every goal and objective a command looks
# at: named tuples, which are built at a third of a frozen dataclass's cost.


class Score(NamedTuple):
    date: _dt.date
    value: float


class Attainment(NamedTuple):
    status: Status
    trend: Trend
    measure: MeasureInfo | None
    target: AbsoluteTarget | None
    scores: tuple[Score, ...]  # oldest first; what the chart and the table show

    @property
    def latest(self) -> Score | None:
        return self.scores[-1] if self.scores else None


def measure_key(measure: str | CustomMeasure | None, catalogue: Catalogue) -> str | None:
    """What progress entries and goals are matched by: the catalogue id (aliases resolved) or the
    custom measure's name, case-folded. `tplan progress add` uses it to find a score's goals."""
    info = measure_info(measure, catalogue)
    return _key(info) if info else None


def _key(info: MeasureInfo) -> str:
    """A measure's key from its facts: the label (catalogue id, custom name or the name written), case-folded."""
    return info.label.casefold()


# A plan's progress entries that have a score: (measure key, score, entry) each (scored_progress).
Scored = tuple[tuple["str | None", float, "ProgressEntry"], ...]


def scored_progress(plan: Plan, catalogue: Catalogue) -> Scored:
    """The plan's scored progress entries with their measure keys, in the plan's order: what
    scores_for looks through, worked out once for a caller that asks about every goal and
    objective of the plan (render, status) instead of once for each of them."""
    return tuple((measure_key(e.measure, catalogue), float(e.score), e) for e in plan.progress if e.score is not None)


def scores_for(item: Goal | Objective, plan: Plan, catalogue: Catalogue, scored: Scored | None = None) -> tuple[Score, ...]:
    """Progress scores on the item's measure that belong to it: entries that name the item (or,
    for a goal, one of its objectives), or that name no goal at all. `scored`: the plan's
    scored_progress, when the caller has it."""
    key = measure_key(item.measure, catalogue)
    if key is None:
        return ()
    return _scores_on(key, item, scored if scored is not None else scored_progress(plan, catalogue))


def _scores_on(key: str, item: Goal | Objective, scored: Scored) -> tuple[Score, ...]:
    """scores_for, with the item's measure key worked out already."""
    ids = {item.id, *(o.id for o in item.objectives)} if is_goal(item) else {item.id}
    out = [
        Score(entry.date, score)
        for entry_key, score, entry in scored
        if entry_key == key and (not entry.goals or not ids.isdisjoint(entry.goals))
    ]
    return tuple(sorted(out, key=_by_date))


_by_date = attrgetter("date")


def trend(scores: tuple[Score, ...], baseline: float | None, direction: str | None) -> Trend:
    """The direction of the last change (baseline → first score when there is only one)."""
    values = ([baseline] if baseline is not None else []) + [s.value for s in scores]
    if direction is None or len(values) < 2:
        return Trend.UNKNOWN
    change = values[-1] - values[-2]
    if change == 0:
        return Trend.FLAT
    better = change < 0 if direction == "lower" else change > 0
    return Trend.IMPROVING if better else Trend.WORSENING


def attainment(item: Goal | Objective, plan: Plan, catalogue: Catalogue, today: _dt.date, scored: Scored | None = None) -> Attainment:
    """How a goal or objective is doing today.

    met: the latest score meets the target. overdue: the deadline has passed and it is not met.
    on track / behind: the latest score is at least as good as (or worse than) a straight line from
    the baseline on the plan's start date to the target on the deadline. no data: nothing to judge.
    `scored`: the plan's scored_progress, when the caller has it.
    """
    info = measure_info(item.measure, catalogue)
    direction = info.direction if info else None
    target = absolute_target(item.target, item.baseline, direction) if item.target is not None else None
    scores = _scores_on(_key(info), item, scored if scored is not None else scored_progress(plan, catalogue)) if info else ()  # one look-up
    latest = scores[-1] if scores else None
    status = _status(item, plan.created, target, latest, direction, today)
    return Attainment(status, trend(scores, item.baseline, direction), info, target, scores)


def _status(
    item: Goal | Objective, start: _dt.date, target: AbsoluteTarget | None, latest: Score | None, direction: str | None, today: _dt.date
) -> Status:
    if target is not None and latest is not None and target.met_by(latest.value):
        return Status.MET
    if item.deadline is not None and item.deadline < today:
        return Status.OVERDUE
    if target is None or latest is None:
        return Status.NO_DATA
    if item.baseline is None or item.deadline is None or direction is None or item.deadline <= start:
        return Status.ON_TRACK
    elapsed = min(max((latest.date - start).days, 0), (item.deadline - start).days)
    expected = item.baseline + (target.value - item.baseline) * elapsed / (item.deadline - start).days
    ahead = latest.value <= expected if direction == "lower" else latest.value >= expected
    return Status.ON_TRACK if ahead else Status.BEHIND
