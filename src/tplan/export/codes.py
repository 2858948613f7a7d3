"""Code systems, extension URLs and fixed codes the FHIR export uses, each with its source.

Kept in one place so docs/fhir.md and the code cannot drift apart silently: every URL below is
quoted in that page.
"""

from __future__ import annotations

from typing import Any

# A FHIR resource or element as JSON: what every builder here returns.
Resource = dict[str, Any]

LOINC = "http://loinc.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
BCP47 = "urn:ietf:bcp:47"

CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"  # encounter-diagnosis
US_CORE_CONDITION_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"  # health-concern
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"  # assess-plan
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
GOAL_CATEGORY = "http://terminology.hl7.org/CodeSystem/goal-category"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

# FHIR R4 core extensions.
GOAL_RELATIONSHIP = "http://hl7.org/fhir/StructureDefinition/goal-relationship"
GOAL_RELATIONSHIP_TYPE = "http://terminology.hl7.org/CodeSystem/goal-relationship-type"
PERTAINS_TO_GOAL = "http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal"

# HL7 Person-Centered Outcomes IG (hl7.fhir.us.pco, STU 1): input/fsh/GASProfiles.fsh.
GAS_EXTENSION = "http://hl7.org/fhir/us/pco/StructureDefinition/pco-goal-attainment-scaling"
GAS_LOINC = "107332-9"  # Goal attainment scale - Reported
GAS_LOINC_DISPLAY = "Goal attainment scale - Reported"
# LOINC answer list LL6900-6, in the order of the levels -2 … +2.
GAS_ANSWERS: dict[int, tuple[str, str]] = {
    -2: ("LA34484-8", "Much less than expected"),
    -1: ("LA34483-0", "Less than expected"),
    0: ("LA34481-4", "Expected outcome"),
    1: ("LA34480-6", "Better than expected"),
    2: ("LA34479-8", "Much better than expected"),
}

# FHIR R4 ValueSet condition-severity (SNOMED CT).
SEVERITY = {
    "mild": ("255604002", "Mild"),
    "moderate": ("6736007", "Moderate"),
    "severe": ("24484000", "Severe"),
}

# ASTM E1762-95 signature types (FHIR R4 ValueSet signature-type).
AUTHOR_SIGNATURE = ("1.2.840.10065.1.12.1.1", "Author's Signature")
VERIFICATION_SIGNATURE = ("1.2.840.10065.1.12.1.5", "Verification Signature")
CONSENT_SIGNATURE = ("1.2.840.10065.1.12.1.7", "Consent Signature")


def coding(system: str, code: str, display: str | None = None) -> Resource:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> Resource:
    out: Resource = {"coding": [coding(system, code, display)]}
    if text:
        out["text"] = text
    return out
