"""Goal.lifecycleStatus and Goal.achievementStatus from the plan's status, the goal's `status`
and its scores. Nothing here depends on today's date, so a re-export is byte-identical."""

from __future__ import annotations

from dataclasses import dataclass

from tplan.attainment import Trend, scores_for, trend
from tplan.export.codes import GOAL_ACHIEVEMENT, Resource, concept
from tplan.export.context import Context
from tplan.export.measures import is_gas
from tplan.outcomes import Change, outcome
from tplan.schema.goals import Goal, Objective
from tplan.targets import AbsoluteTarget, absolute_target, measure_info

ACHIEVEMENT = {
    "in-progress": "In Progress", "improving": "Improving", "worsening": "Worsening",
    "no-change": "No Change", "achieved": "Achieved", "sustaining": "Sustaining",
    "not-achieved": "Not Achieved", "no-progress": "No Progress", "not-attainable": "Not Attainable",
}
_TREND = {Trend.IMPROVING: "improving", Trend.WORSENING: "worsening", Trend.FLAT: "no-change"}
# Where the catalogue publishes what a reliable change is (tplan.outcomes), the class decides.
_CHANGE = {
    Change.RECOVERED: "improving", Change.IMPROVED: "improving",
    Change.NO_CHANGE: "no-change", Change.DETERIORATED: "worsening",
}

# The goal's own `status` → (lifecycleStatus, achievementStatus or None to work it out from the
# scores, statusReason).
_BY_GOAL_STATUS = {
    "met": ("completed", "achieved", None),
    "partially-met": ("completed", "not-achieved", "partially met"),
    "revised": ("active", None, "revised at a review"),
    "discontinued": ("cancelled", None, "discontinued"),
    "deferred": ("on-hold", None, "deferred"),
}


@dataclass(frozen=True)
class GoalState:
    lifecycle: str
    achievement: str | None
    reason: str | None

    def achievement_concept(self) -> Resource | None:
        if self.achievement is None:
            return None
        return concept(GOAL_ACHIEVEMENT, self.achievement, ACHIEVEMENT[self.achievement])


def direction(item: Goal | Objective, ctx: Context) -> str | None:
    if is_gas(item.measure, ctx.catalogue):
        return "higher"
    info = measure_info(item.measure, ctx.catalogue)
    return info.direction if info else None


def target_of(item: Goal | Objective, ctx: Context) -> AbsoluteTarget | None:
    if item.target is None:
        return None
    return absolute_target(item.target, item.baseline, direction(item, ctx))


def goal_state(ctx: Context, item: Goal | Objective) -> GoalState:
    status = getattr(item, "status", None) or "active"
    if ctx.plan.status == "draft":
        return GoalState("proposed", None, None)
    if status in _BY_GOAL_STATUS:
        lifecycle, achievement, reason = _BY_GOAL_STATUS[status]
        if achievement is None and lifecycle == "active":
            achievement = _from_scores(ctx, item)
        return GoalState(lifecycle, achievement, reason)
    achievement = _from_scores(ctx, item)
    if ctx.plan.status == "closed":  # the episode ended with the goal still open
        return GoalState("completed", "achieved" if achievement == "achieved" else "not-achieved", None)
    return GoalState("active", achievement, None)


def _from_scores(ctx: Context, item: Goal | Objective) -> str:
    """achieved when the latest score meets the target; else, on an instrument with published
    psychometrics, its outcome class from the baseline (a change within measurement noise is
    no-change, as `tplan status` says "no reliable change"); else the direction of the last
    change; in-progress when there is nothing to judge."""
    scores = scores_for(item, ctx.plan, ctx.catalogue)
    if not scores:
        return "in-progress"
    target = target_of(item, ctx)
    if target is not None and target.met_by(scores[-1].value):
        return "achieved"
    classified = outcome(item, ctx.plan, ctx.catalogue)
    if classified is not None:
        return _CHANGE[classified.change_class]
    return _TREND.get(trend(scores, item.baseline, direction(item, ctx)), "in-progress")
