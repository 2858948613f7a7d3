"""The CarePlan that ties the Bundle together (US Core CarePlan's must-support elements: text,
status, intent, category assess-plan, subject), and its notes: narrative progress entries,
reviews, the next review due and the discharge."""

from __future__ import annotations

from tplan.export.codes import CAREPLAN_CATEGORY, Resource, concept
from tplan.export.context import Context
from tplan.export.goal_status import target_of
from tplan.export.narrative import careplan_div, goal_line
from tplan.export.observations import items
from tplan.schema.care import Discharge
from tplan.schema.plan import Plan
from tplan.targets import measure_info

STATUS = {"draft": "draft", "active": "active", "closed": "completed"}


def careplan(ctx: Context, assessment_keys: list[str]) -> Resource:
    plan = ctx.plan
    out: Resource = {"resourceType": "CarePlan"}
    out["identifier"] = [{"value": plan.id}]
    out["text"] = {"status": "generated", "div": careplan_div(plan, _goal_lines(ctx))}
    out["status"] = STATUS[plan.status]
    out["intent"] = "plan"
    out["category"] = [concept(CAREPLAN_CATEGORY, "assess-plan", "Assessment and Plan of Treatment")]
    out["title"] = f"Treatment plan {plan.id}"
    out["subject"] = ctx.patient
    period = {"start": ctx.start}
    discharge = getattr(plan, "discharge", None)
    if discharge is not None and getattr(discharge, "date", None) is not None:
        period["end"] = discharge.date.isoformat()
    out["period"] = period
    out["created"] = ctx.start
    out["author"] = ctx.clinician
    supervisor = getattr(plan.clinician, "supervisor", None)
    if supervisor is not None:
        out["contributor"] = [ctx.clinician, ctx.ref("practitioner", "supervisor")]
    out["addresses"] = [ctx.ref("diagnosis", str(n)) for n, _ in enumerate(plan.diagnoses)] + [
        ctx.ref("problem", p.id) for p in plan.presenting_problems
    ]
    if assessment_keys:
        out["supportingInfo"] = [ctx.ref("assessment", k) for k in assessment_keys]
    out["goal"] = [ctx.ref("goal", item.id) for item in items(ctx)]
    out["activity"] = [{"reference": ctx.ref("intervention", i.id)} for i in plan.interventions]
    notes = careplan_notes(plan)
    if notes:
        out["note"] = notes
    return out


def careplan_notes(plan: Plan) -> list[Resource]:
    """Narrative progress entries and reviews (dated), then the next review due and the discharge."""
    notes = []
    for entry in plan.progress:
        if getattr(entry, "score", None) is None and getattr(entry, "note", None):
            notes.append({"time": entry.date.isoformat(), "text": entry.note})
    for review in plan.reviews.history:
        text = f"Review: {review.summary}"
        if review.changes:
            text += f" Changes: {review.changes}"
        notes.append({"time": review.date.isoformat(), "text": text})
    if plan.reviews.next is not None and plan.status != "closed":
        notes.append({"text": f"Next review due {plan.reviews.next.isoformat()} (reviewed every {plan.reviews.interval_days} days)."})
    discharge = getattr(plan, "discharge", None)
    if discharge is not None:
        notes.append(_discharge_note(discharge))
    return notes


def _discharge_note(discharge: Discharge) -> Resource:
    text = f"Discharged ({discharge.reason})." if getattr(discharge, "reason", None) else "Discharged."
    if getattr(discharge, "summary", None):
        text += f" {discharge.summary}"
    referrals = getattr(discharge, "referrals", None) or []
    if referrals:
        text += " Referred to: " + "; ".join(r.to + (f" ({r.reason})" if r.reason else "") for r in referrals) + "."
    note: Resource = {"text": text}
    if getattr(discharge, "date", None) is not None:
        note = {"time": discharge.date.isoformat(), **note}
    return note


def _goal_lines(ctx: Context) -> dict[str, str]:
    out = {}
    for item in items(ctx):
        target = target_of(item, ctx)
        info = measure_info(item.measure, ctx.catalogue) if item.measure is not None else None
        text = f"{info.label} {target}" if target is not None and info is not None else None
        out[item.id] = goal_line(item, text)
    return out
