"""Goals and their objectives: the SMART part of the plan, and what reviews changed about them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from tplan.schema.base import GasLevel, Measure, PlanDate, Score, Strict, TargetField
from tplan.schema.values import GoalMixin, as_text

GoalStatus = Literal["active", "met", "partially-met", "revised", "discontinued", "deferred"]
ChangedField = Literal["status", "target", "deadline", "baseline", "measure", "statement", "objectives", "other"]


ChangeValue = Annotated[str, BeforeValidator(as_text), WithJsonSchema({"type": ["string", "number"]})]


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


class Goal(GoalMixin, Strict):
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
