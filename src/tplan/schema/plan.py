"""The whole plan (format version 1)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PrivateAttr, model_validator

from tplan.schema.base import PlanDate, Strict
from tplan.schema.care import Consent, Discharge, FollowUp, Intervention, ProgressEntry, Reviews, Risk, Schedule
from tplan.schema.client import Client, Clinician
from tplan.schema.clinical import Assessment, Diagnosis, History, PresentingProblem
from tplan.schema.goals import Goal
from tplan.schema.values import PlanMixin, split_extensions

PlanStatus = Literal["draft", "active", "closed"]


class Plan(PlanMixin, Strict):
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

    # Top-level `x-` keys are set aside before validation; split_extensions and the `extensions`
    # property live in tplan.schema.values (the fast path uses them too).
    # (pydantic's stubs type the decorator for a classmethod written in the class body only)
    _split_extensions = model_validator(mode="wrap")(classmethod(split_extensions))  # type: ignore[arg-type]
