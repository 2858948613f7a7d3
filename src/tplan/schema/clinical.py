"""What the client brings: diagnoses, history, presenting problems and baseline assessments."""

from __future__ import annotations

from typing import Literal

from tplan.schema.base import Onset, PlanDate, Score, Strict

Stressor = Literal[
    "work", "financial", "relationship", "family", "health", "academic",
    "life-transition", "trauma", "social", "other",
]
Severity = Literal["mild", "moderate", "severe"]


class Diagnosis(Strict):
    code: str
    description: str | None = None
    primary: bool = False


class Medication(Strict):
    name: str
    dose: str | None = None
    prescriber: str | None = None


class History(Strict):
    medical: str | None = None
    psychiatric: str | None = None
    medications: list[Medication] = []
    substance_use: str | None = None
    family: str | None = None
    social: str | None = None


class PresentingProblem(Strict):
    id: str
    summary: str
    stressors: list[Stressor] = []
    onset: Onset | None = None
    duration: str | None = None
    severity: Severity | None = None
    impact: list[str] = []


class Assessment(Strict):
    """A baseline measurement: a `score` on an instrument, or a `result` where the instrument
    classifies rather than scores (an attachment interview's category, a clinician's observation).
    Exactly one of the two is rule S118's check, not the schema's, so a draft's `<intake score>`
    placeholder leaves the rest of the plan checkable and renderable."""

    instrument: str
    date: PlanDate
    score: Score | None = None
    result: str | None = None
    note: str | None = None
