"""Goals and their objectives: the SMART part of the plan, and what reviews changed about them."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from tplan.schema.base import GasLevel, Measure, PlanDate, Score, Strict, TargetField

GoalStatus = Literal["active", "met", "partially-met", "revised", "discontinued", "deferred"]
ChangedField = Literal["status", "target", "deadline", "baseline", "measure", "statement", "objectives", "other"]


def _as_text(value: Any) -> Any:
    """A changed value as written: numbers and dates become text (`from: 2026-09-01` stays readable)."""
    if isinstance(value, (_dt.date, int, float)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    return value


ChangeValue = Annotated[str, BeforeValidator(_as_text), WithJsonSchema({"type": ["string", "number"]})]


class Change(Strict):
    """One change a review made to a goal or objective (oldest first under `changes`)."""

    date: PlanDate
    field: ChangedField
    from_: ChangeValue | None = Field(default=None, alias="from")
    to: ChangeValue | None = None
    reason: str


class Objective(Strict):
    id: str
    statement: str
    measure: Measure | None = None
    levels: dict[GasLevel, str] | None = None  # Goal Attainment Scaling: the five levels, -2…+2
    baseline: Score | None = None
    target: TargetField | None = None
    deadline: PlanDate | None = None
    status: GoalStatus = "active"
    status_date: PlanDate | None = None
    changes: list[Change] = []


class Goal(Strict):
    id: str
    addresses: list[str] = []
    term: Literal["short", "long"] | None = None
    statement: str
    client_words: str | None = None
    measure: Measure | None = None
    levels: dict[GasLevel, str] | None = None  # Goal Attainment Scaling: the five levels, -2…+2
    baseline: Score | None = None
    target: TargetField | None = None
    deadline: PlanDate | None = None
    status: GoalStatus = "active"
    status_date: PlanDate | None = None
    changes: list[Change] = []
    objectives: list[Objective] = []
