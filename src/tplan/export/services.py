"""ServiceRequest per intervention, referenced from CarePlan.activity.reference: the PCO IG's
shape, which also survives R5 (where CarePlan.activity.detail is gone)."""

from __future__ import annotations

from tplan.export.codes import PERTAINS_TO_GOAL, Resource
from tplan.export.context import Context
from tplan.frequency import days_between_sessions
from tplan.schema.care import Intervention

_STATUS = {"draft": "draft", "active": "active", "closed": "completed"}


def service_request(ctx: Context, intervention: Intervention) -> Resource:
    out: Resource = {"resourceType": "ServiceRequest"}
    goals = [g for g in intervention.goals if g in ctx.goal_ids]
    if goals:
        out["extension"] = [{"url": PERTAINS_TO_GOAL, "valueReference": ctx.ref("goal", g)} for g in goals]
    out["status"] = _STATUS[ctx.plan.status]
    out["intent"] = "plan"
    if intervention.modality:
        out["category"] = [{"text": intervention.modality}]
    out["code"] = {"text": intervention.name}
    out["subject"] = ctx.patient
    timing = occurrence_timing(intervention.frequency)
    if timing:
        out["occurrenceTiming"] = timing
    out["authoredOn"] = ctx.start
    out["requester"] = ctx.clinician
    if intervention.provider:
        same = intervention.provider.strip() == ctx.plan.clinician.name.strip()
        out["performer"] = [ctx.ref("practitioner", "clinician") if same else {"display": intervention.provider}]
    reasons = _conditions(ctx, intervention.goals)
    if reasons:
        out["reasonReference"] = reasons
    if intervention.description:
        out["note"] = [{"text": intervention.description}]
    return out


def occurrence_timing(frequency: str | None) -> Resource | None:
    """The frequency as written in Timing.code.text, and as Timing.repeat when tplan can read it
    ("weekly", "every other week", "twice a week")."""
    if not frequency:
        return None
    out: Resource = {}
    repeat = _repeat(days_between_sessions(frequency))
    if repeat:
        out["repeat"] = repeat
    out["code"] = {"text": frequency}
    return out


def _repeat(days: float | None) -> Resource | None:
    if days is None or days <= 0:
        return None
    if days == 1:
        return {"frequency": 1, "period": 1, "periodUnit": "d"}
    if days % 7 == 0:
        return {"frequency": 1, "period": int(days // 7), "periodUnit": "wk"}
    per_week = 7 / days
    if float(per_week).is_integer():
        return {"frequency": int(per_week), "period": 1, "periodUnit": "wk"}
    if days % 30 == 0:
        return {"frequency": 1, "period": int(days // 30), "periodUnit": "mo"}
    per_month = 30 / days
    if float(per_month).is_integer():
        return {"frequency": int(per_month), "period": 1, "periodUnit": "mo"}
    if days == 91:
        return {"frequency": 1, "period": 3, "periodUnit": "mo"}
    return {"frequency": 1, "period": days, "periodUnit": "d"}


def _conditions(ctx: Context, goal_ids: list[str]) -> list[Resource]:
    """The Conditions (presenting problems) that the intervention's goals address, in plan order."""
    wanted = set(goal_ids)
    problems: list[str] = []
    for goal in ctx.plan.goals:
        if goal.id in wanted or wanted & {o.id for o in goal.objectives}:
            problems += [p for p in goal.addresses if p not in problems]
    return [ctx.ref("problem", p) for p in problems if p in ctx.problem_ids]
