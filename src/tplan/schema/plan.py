"""The whole plan (format version 1)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from tplan.schema.base import PlanDate, Strict
from tplan.schema.care import Consent, FollowUp, Intervention, ProgressEntry, Reviews, Risk, Schedule
from tplan.schema.client import Client, Clinician
from tplan.schema.clinical import Assessment, Diagnosis, History, PresentingProblem
from tplan.schema.goals import Goal

PlanStatus = Literal["draft", "active", "closed"]


class Plan(Strict):
    tplan: Literal[1]
    id: str = Field(pattern=r"^[A-Za-z0-9._-]+$")
    status: PlanStatus
    template: str | None = None
    created: PlanDate
    updated: PlanDate | None = None
    client: Client
    clinician: Clinician
    diagnoses: list[Diagnosis] = []
    history: History | None = None
    presenting_problems: list[PresentingProblem] = Field(min_length=1)
    assessments: list[Assessment] = []
    strengths: list[str] = []
    goals: list[Goal] = Field(min_length=1)
    interventions: list[Intervention] = Field(min_length=1)
    schedule: Schedule | None = None
    progress: list[ProgressEntry] = []
    reviews: Reviews
    follow_up: FollowUp | None = None
    discharge_criteria: list[str] = []
    accommodations: list[str] = []
    risk: Risk | None = None
    consent: Consent | None = None
    extensions: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _split_extensions(cls, data: Any) -> Any:
        """Top-level `x-` keys are the extension escape hatch: kept aside, never validated."""
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            data = dict(data)
            data["extensions"] = {k: data.pop(k) for k in list(data) if isinstance(k, str) and k.startswith("x-")}
        elif isinstance(data, dict) and "extensions" in data:
            data = dict(data)
            data["extensions!"] = data.pop("extensions")  # 'extensions' is not a plan key
        return data
