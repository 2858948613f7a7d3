"""A validated Plan → one FHIR R4 transaction Bundle (a dict), and its JSON text.

Each entry has `fullUrl: urn:uuid:<uuid5>` and `request: POST <type>`, so a FHIR server creates
the whole plan in one call and resolves the urn:uuid references between the entries. The mapping
is documented, choice by choice, in docs/fhir.md.
"""

from __future__ import annotations

import json

from tplan.export import conditions, goals, observations, people, provenance
from tplan.export.careplan import careplan
from tplan.export.codes import Resource
from tplan.export.context import Context
from tplan.export.services import service_request
from tplan.measures import Catalogue
from tplan.schema.plan import Plan


def build_bundle(plan: Plan, catalogue: Catalogue, birth_year: int | None = None) -> Resource:
    """The Bundle for one plan. `birth_year` is given for --redact (the date of birth reduced)."""
    ctx = Context(plan, catalogue)
    entries: list[tuple[str, Resource]] = []

    def add(kind: str, key: str, resource: Resource) -> None:
        entries.append((ctx.urn(kind, key), resource))

    patient = people.patient(ctx)
    add("patient", "", people.birth_year_patient(patient, birth_year) if birth_year is not None else patient)
    for n, contact in enumerate(plan.client.emergency_contacts):
        add("emergency-contact", str(n), people.related_person(ctx, contact, people.EMERGENCY_CONTACT))
    guardian = getattr(plan.client, "guardian", None)
    if guardian is not None:
        add("guardian", "", people.related_person(ctx, guardian, people.GUARDIAN))
    add("practitioner", "clinician", people.practitioner(plan.clinician, plan.clinician.npi))
    supervisor = getattr(plan.clinician, "supervisor", None)
    if supervisor is not None:
        add("practitioner", "supervisor", people.practitioner(supervisor, getattr(supervisor, "npi", None)))

    for n, diagnosis in enumerate(plan.diagnoses):
        add("diagnosis", str(n), conditions.diagnosis(ctx, diagnosis))
    for problem in plan.presenting_problems:
        add("problem", problem.id, conditions.problem(ctx, problem))
    for goal in plan.goals:
        add("goal", goal.id, goals.goal(ctx, goal))
        for objective in goal.objectives:
            add("goal", objective.id, goals.goal(ctx, objective, parent=goal))
    for intervention in plan.interventions:
        add("intervention", intervention.id, service_request(ctx, intervention))

    assessments = observations.assessments(ctx)
    for key, resource in assessments:
        add("assessment", key, resource)
    for key, resource in observations.baselines(ctx):
        add("baseline", key, resource)
    for key, resource in observations.progress(ctx):
        add("progress", key, resource)

    add("careplan", "", careplan(ctx, [key for key, _ in assessments]))
    present = {url for url, _ in entries}
    for key, resource in provenance.signatures(ctx, present):
        add("signature", key, resource)

    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": resource["resourceType"]}}
            for url, resource in entries
        ],
    }


def bundle_json(bundle: Resource) -> str:
    """Stable text: keys in the order built, two-space indent, UTF-8, one final newline."""
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
