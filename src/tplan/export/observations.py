"""Observation per assessment, per progress score and per goal baseline (category survey).

A score's `focus` is the goal(s) it measures: the goals the entry names, or, when it names none,
every goal and objective on that measure (the rule `tplan status` and `render` follow). A goal's
baseline is the assessment of the same measure, score and start date when there is one (that
Observation gets the goal as focus), otherwise its own Observation on the plan's start date.
"""

from __future__ import annotations

import datetime as _dt

from tplan.attainment import measure_key
from tplan.export.codes import OBSERVATION_CATEGORY, Resource, concept
from tplan.export.context import Context
from tplan.export.measures import gas_concept, gas_level, is_gas, measure_concept, quantity
from tplan.schema.base import CustomMeasure
from tplan.schema.care import ProgressEntry
from tplan.schema.goals import Goal, Objective

SURVEY = concept(OBSERVATION_CATEGORY, "survey", "Survey")


def items(ctx: Context) -> list[Goal | Objective]:
    """Every goal and objective, in plan order."""
    out: list[Goal | Objective] = []
    for goal in ctx.plan.goals:
        out += [goal, *goal.objectives]
    return out


def measure_of(ctx: Context, name: str) -> str | CustomMeasure:
    """The measure a progress entry or assessment names: a goal's custom measure of that name, or
    the name itself (a catalogue id)."""
    key = name.strip().casefold()
    for item in items(ctx):
        if item.measure is not None and measure_key(item.measure, ctx.catalogue) == key:
            return item.measure
    return name


def assessments(ctx: Context) -> list[tuple[str, Resource]]:
    out = []
    baselines = _baselines_met_by_assessments(ctx)
    for n, entry in enumerate(ctx.plan.assessments):
        focus = baselines.get(n, [])
        out.append((str(n), _observation(ctx, entry.instrument, entry.date, getattr(entry, "score", None),
                                         getattr(entry, "result", None), focus, entry.note)))
    return out


def progress(ctx: Context) -> list[tuple[str, Resource]]:
    """Scored progress entries (narrative ones are CarePlan notes)."""
    out = []
    for n, entry in enumerate(ctx.plan.progress):
        if entry.score is None or not entry.measure:
            continue
        focus = _focus(ctx, entry)
        out.append((str(n), _observation(ctx, entry.measure, entry.date, entry.score, None, focus, entry.note)))
    return out


def baselines(ctx: Context) -> list[tuple[str, Resource]]:
    """A baseline Observation for each goal or objective whose baseline no assessment records."""
    covered = {goal_id for ids in _baselines_met_by_assessments(ctx).values() for goal_id in ids}
    out = []
    for item in items(ctx):
        if item.baseline is None or item.measure is None or item.id in covered:
            continue
        out.append((item.id, _observation(ctx, item.measure, ctx.plan.created, item.baseline, None, [item.id],
                                          "Baseline at the start of the plan.")))
    return out


def _baselines_met_by_assessments(ctx: Context) -> dict[int, list[str]]:
    """assessment index → ids of the goals whose baseline it is."""
    out: dict[int, list[str]] = {}
    for item in items(ctx):
        if item.baseline is None or item.measure is None:
            continue
        key = measure_key(item.measure, ctx.catalogue)
        for n, entry in enumerate(ctx.plan.assessments):
            score = getattr(entry, "score", None)
            if (score is not None and float(score) == float(item.baseline) and entry.date == ctx.plan.created
                    and measure_key(entry.instrument, ctx.catalogue) == key):
                out.setdefault(n, []).append(item.id)
                break
    return out


def _focus(ctx: Context, entry: ProgressEntry) -> list[str]:
    key = measure_key(entry.measure, ctx.catalogue)
    named = set(entry.goals)
    out = []
    for goal in ctx.plan.goals:
        items: list[Goal | Objective] = [goal, *goal.objectives]
        for item in items:
            if item.measure is None or measure_key(item.measure, ctx.catalogue) != key:
                continue
            ids = {item.id} | ({o.id for o in goal.objectives} if item is goal else set())
            if not named or named & ids:
                out.append(item.id)
    return out


def _observation(
    ctx: Context, measure_name: str | CustomMeasure, day: _dt.date, score: float | None, result: str | None, focus: list[str], note: str | None
) -> Resource:
    measure = measure_of(ctx, measure_name) if isinstance(measure_name, str) else measure_name
    out: Resource = {"resourceType": "Observation", "status": "final", "category": [SURVEY]}
    out["code"] = measure_concept(measure, ctx.catalogue)
    out["subject"] = ctx.patient
    if focus:
        out["focus"] = [ctx.ref("goal", goal_id) for goal_id in focus]
    out["effectiveDateTime"] = day.isoformat()
    if score is not None:
        level = gas_level(score) if is_gas(measure, ctx.catalogue) else None
        if level is not None:
            out["valueCodeableConcept"] = gas_concept(level)
        else:
            out["valueQuantity"] = quantity(score, measure, ctx.catalogue)
    elif result:
        out["valueString"] = result
    if note:
        out["note"] = [{"text": note}]
    return out
