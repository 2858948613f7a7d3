"""Goals and their objectives: the SMART part of the plan."""

from __future__ import annotations

from typing import Literal

from tplan.schema.base import Measure, PlanDate, Score, Strict, TargetField


class Objective(Strict):
    id: str
    statement: str
    measure: Measure | None = None
    baseline: Score | None = None
    target: TargetField | None = None
    deadline: PlanDate | None = None


class Goal(Strict):
    id: str
    addresses: list[str] = []
    term: Literal["short", "long"] | None = None
    statement: str
    client_words: str | None = None
    measure: Measure | None = None
    baseline: Score | None = None
    target: TargetField | None = None
    deadline: PlanDate | None = None
    objectives: list[Objective] = []
