"""The whole plan (format version 1)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from tplan.schema.base import PlanDate, Strict
from tplan.schema.care import Consent, Discharge, FollowUp, Intervention, ProgressEntry, Reviews, Risk, Schedule
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
    discharge: Discharge | None = None
    # Top-level `x-` keys, kept aside and never validated: a private attribute, so no key a file
    # can hold (not even `extensions:`) is taken for it.
    _extensions: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _split_extensions(cls, data: Any, handler: Any) -> Plan:
        """Top-level `x-` keys are the extension escape hatch: set aside before validation."""
        extensions: dict[str, Any] = {}
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            extensions = {k: v for k, v in data.items() if isinstance(k, str) and k.startswith("x-")}
            data = {k: v for k, v in data.items() if k not in extensions}
        plan = handler(data)
        plan._extensions = extensions
        return plan

    @property
    def extensions(self) -> dict[str, Any]:
        """The plan's top-level `x-` keys and their values."""
        return self._extensions
