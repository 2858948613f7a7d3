"""How care is delivered and followed: interventions, schedule, progress, reviews, risk, consent."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from tplan.schema.base import PlanDate, Score, Strict
from tplan.schema.values import ProgressEntryMixin, score_or_note


class Intervention(Strict):
    id: str
    name: str
    modality: str | None = None
    goals: list[str] = []
    frequency: str | None = None
    provider: str | None = None
    description: str | None = None


class Schedule(Strict):
    frequency: str | None = None
    session_minutes: int | None = Field(default=None, gt=0)
    setting: Literal["in-person", "telehealth", "hybrid"] | None = None


class ProgressEntry(ProgressEntryMixin, Strict):
    """A score on a measure (with an optional note), or a narrative note alone."""

    date: PlanDate
    measure: str | None = None
    score: Score | None = None
    goals: list[str] = []
    note: str | None = None

    # The check and the `narrative` property live in tplan.schema.values (the fast path uses them too).
    _score_or_note = model_validator(mode="after")(score_or_note)


class ReviewEntry(Strict):
    date: PlanDate
    summary: str
    changes: str | None = None


class Reviews(Strict):
    interval_days: int = Field(gt=0)
    next: PlanDate | None = None
    history: list[ReviewEntry] = []


class Referral(Strict):
    to: str
    reason: str | None = None
    date: PlanDate | None = None


class FollowUp(Strict):
    referrals: list[Referral] = []
    next_steps: list[str] = []
    resources: list[str] = []  # crisis lines and community resources given to the client


class SafetyContact(Strict):
    name: str
    relationship: str | None = None
    phone: str | None = None


class SafetyPlan(Strict):
    warning_signs: list[str] = []
    coping: list[str] = []
    contacts: list[str | SafetyContact] = []
    crisis_line: str | None = None


class Risk(Strict):
    level: Literal["low", "moderate", "high"]
    assessed: PlanDate | None = None
    notes: str | None = None
    protective_factors: list[str] = []
    safety_plan: SafetyPlan | None = None


class Consent(Strict):
    client_agreed: bool = False
    client_signed: PlanDate | None = None
    clinician_signed: PlanDate | None = None
    guardian_signed: PlanDate | None = None
    supervisor_signed: PlanDate | None = None


DischargeReason = Literal["goals-met", "client-withdrew", "referred", "moved", "administrative", "other"]


class Discharge(Strict):
    """How and why care ended: required on a closed plan."""

    date: PlanDate
    reason: DischargeReason
    summary: str
    referrals: list[Referral] = []
