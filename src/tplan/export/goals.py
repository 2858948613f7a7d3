"""Goal per goal and per objective (objectives tied to their goal by the core goal-relationship
extension, type milestone), and the PCO IG's Goal Attainment Scaling levels for GAS goals."""

from __future__ import annotations

import math

from tplan.export.codes import GAS_EXTENSION, GOAL_CATEGORY, GOAL_RELATIONSHIP, GOAL_RELATIONSHIP_TYPE, Resource, coding, concept
from tplan.export.context import Context
from tplan.export.goal_status import goal_state, target_of
from tplan.export.measures import gas_concept, gas_level, is_gas, measure_concept, quantity
from tplan.schema.goals import Change, Goal, Objective
from tplan.targets import AbsoluteTarget


def goal(ctx: Context, item: Goal | Objective, parent: Goal | None = None) -> Resource:
    """One Goal resource; `parent` is the goal an objective belongs to."""
    state = goal_state(ctx, item)
    out: Resource = {"resourceType": "Goal"}
    extensions = _gas_levels(ctx, item) + [_milestone(ctx, o) for o in getattr(item, "objectives", [])]
    if extensions:
        out["extension"] = extensions
    out["lifecycleStatus"] = state.lifecycle
    achievement = state.achievement_concept()
    if achievement:
        out["achievementStatus"] = achievement
    out["category"] = [concept(GOAL_CATEGORY, "behavioral", "Behavioral")]
    out["description"] = {"text": item.statement}
    out["subject"] = ctx.patient
    out["startDate"] = ctx.start
    target = _target(ctx, item)
    if target:
        out["target"] = [target]
    status_date = getattr(item, "status_date", None)
    if status_date is not None:
        out["statusDate"] = status_date.isoformat()
    if state.reason:
        out["statusReason"] = state.reason
    client_words = getattr(item, "client_words", None)
    out["expressedBy"] = ctx.patient if client_words else ctx.clinician
    owner = parent if parent is not None else item  # an objective answers its goal's problems
    addresses = owner.addresses if isinstance(owner, Goal) else []
    problems = [p for p in addresses if p in ctx.problem_ids]
    if problems:
        out["addresses"] = [ctx.ref("problem", p) for p in problems]
    notes = _notes(item)
    if notes:
        out["note"] = notes
    return out


def _target(ctx: Context, item: Goal | Objective) -> Resource:
    out: Resource = {}
    if item.measure is not None:
        out["measure"] = measure_concept(item.measure, ctx.catalogue)
    target = target_of(item, ctx)
    if target is not None:
        out.update(_gas_detail(target) if is_gas(item.measure, ctx.catalogue) else _detail(ctx, item, target))
    if item.deadline is not None:
        out["dueDate"] = item.deadline.isoformat()
    return out


def _detail(ctx: Context, item: Goal | Objective, target: AbsoluteTarget) -> Resource:
    """Inclusive bounds as a one-sided Range (FHIR: a missing low means 'at or below high');
    strict bounds and exact values as a Quantity, with its comparator where there is one."""
    value = quantity(target.value, item.measure, ctx.catalogue)
    if target.comparator == "<=":
        return {"detailRange": {"high": value}}
    if target.comparator == ">=":
        return {"detailRange": {"low": value}}
    if target.comparator in ("<", ">"):
        return {"detailQuantity": {**value, "comparator": target.comparator}}
    return {"detailQuantity": value}


def _gas_detail(target: AbsoluteTarget) -> Resource:
    """The lowest level that attains the goal (">= 0" → Expected outcome)."""
    lowest = {">=": math.ceil(target.value), ">": math.floor(target.value) + 1, "==": target.value}.get(target.comparator)
    level = gas_level(lowest) if lowest is not None else None
    return {"detailCodeableConcept": gas_concept(level)} if level is not None else {}


def _gas_levels(ctx: Context, item: Goal | Objective) -> list[Resource]:
    """The PCO IG's goal-attainment-scaling extension, one per level: its LOINC answer code and
    the observable outcome the clinician and client wrote for it."""
    levels = getattr(item, "levels", None)
    if not is_gas(item.measure, ctx.catalogue) or not levels:
        return []
    out = []
    for level, text in sorted(levels.items()):
        if gas_level(level) is None or not text:
            continue
        code = gas_concept(level)["coding"][0]
        out.append({
            "url": GAS_EXTENSION,
            "extension": [{"url": "level", "valueCoding": code}, {"url": "progressText", "valueString": str(text)}],
        })
    return out


def _milestone(ctx: Context, objective: Objective) -> Resource:
    return {
        "url": GOAL_RELATIONSHIP,
        "extension": [
            {"url": "type", "valueCodeableConcept": {"coding": [coding(GOAL_RELATIONSHIP_TYPE, "milestone", "Milestone")]}},
            {"url": "target", "valueReference": ctx.ref("goal", objective.id)},
        ],
    }


def _notes(item: Goal | Objective) -> list[Resource]:
    out = []
    if isinstance(item, Goal) and item.client_words:
        out.append({"text": f'In the client\'s words: "{item.client_words}"'})
    for change in getattr(item, "changes", None) or []:
        note = {"time": change.date.isoformat(), "text": _change_text(change)}
        out.append(note)
    return out


def _change_text(change: Change) -> str:
    field = getattr(change, "field", None)
    old, new, reason = getattr(change, "from_", None), getattr(change, "to", None), getattr(change, "reason", None)
    text = f"Changed {field}" if field else "Changed"
    if old is not None or new is not None:
        text += f" from {old} to {new}"
    return text + (f": {reason}" if reason else "") + "."
