"""Condition per diagnosis (ICD-10-CM, encounter-diagnosis) and per presenting problem
(health-concern, described in text: the plan holds no code for a problem)."""

from __future__ import annotations

from tplan.export.codes import (
    CONDITION_CATEGORY,
    CONDITION_CLINICAL,
    ICD10CM,
    SEVERITY,
    SNOMED,
    US_CORE_CONDITION_CATEGORY,
    Resource,
    concept,
)
from tplan.export.context import Context
from tplan.schema.clinical import Diagnosis, PresentingProblem


def diagnosis(ctx: Context, diagnosis: Diagnosis) -> Resource:
    out = _base(ctx, concept(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis"))
    code: Resource = {"coding": [{"system": ICD10CM, "code": diagnosis.code}]}
    if diagnosis.description:
        code["text"] = diagnosis.description
    out["code"] = code
    out["subject"] = ctx.patient
    out["recordedDate"] = ctx.start
    if diagnosis.primary:
        out["note"] = [{"text": "Primary diagnosis of this treatment plan."}]
    return out


def problem(ctx: Context, problem: PresentingProblem) -> Resource:
    out = _base(ctx, concept(US_CORE_CONDITION_CATEGORY, "health-concern", "Health Concern"))
    if problem.severity:
        out["severity"] = concept(SNOMED, *SEVERITY[problem.severity])
    out["code"] = {"text": problem.summary}
    out["subject"] = ctx.patient
    if problem.onset is not None:
        out["onsetDateTime"] = problem.onset if isinstance(problem.onset, str) else problem.onset.isoformat()
    out["recordedDate"] = ctx.start
    details = _details(problem)
    if details:
        out["note"] = [{"text": details}]
    return out


def _base(ctx: Context, category: Resource) -> Resource:
    out: Resource = {"resourceType": "Condition"}
    if ctx.plan.status != "closed":  # a closed plan does not say whether the condition resolved
        out["clinicalStatus"] = concept(CONDITION_CLINICAL, "active", "Active")
    out["category"] = [category]
    return out


def _details(problem: PresentingProblem) -> str:
    parts = []
    if problem.duration:
        parts.append(f"Duration: {problem.duration}.")
    if problem.stressors:
        parts.append(f"Stressors: {', '.join(problem.stressors)}.")
    if problem.impact:
        parts.append(f"Impact: {', '.join(problem.impact)}.")
    return " ".join(parts)
