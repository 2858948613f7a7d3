"""The accreditation and payer requirements rules check, in plain words, with the standards behind them.

A rule names the requirement it supports (`@rule(..., requirement=CLIENT_WORDS)`); that sets its
`references` (shown by `tplan explain`, `tplan rules` and SARIF) and groups it in the README's
"What a surveyor checks" table, which is generated from the rules (`python -m tplan.docgen`).
The wording and the standards of each requirement live here once, so rules cannot drift apart.

Sources, read for this list:
- Joint Commission, Behavioral Health Care and Human Services manual, standard CTS.03.01.03 ("a plan
  for care, treatment, or services that reflects the assessed needs, strengths, preferences, and
  goals of the individual served"): goals in the individual's own words, discharge criteria
  (EP 2, since July 2017); surveyors cite goals that are not measurable, not reviewed at the
  required time frames, assessed needs without a goal, and scripted goals repeated across plans.
  CTS.03.01.09: monitoring each individual's progress towards the goals. NPSG.15.01.01: reducing
  the risk of suicide (risk documented with the plan to mitigate it).
- CARF Behavioral Health standard 2.C (person-centred plan): developed with the active participation
  of the person served; goals in the words of the person served; objectives that are measurable,
  achievable and time-specific; the interventions to be used and their frequency. Standard 2.D
  (transition/discharge): a written transition plan and a discharge summary for each person served.
- 42 CFR 456.180 (Medicaid, individual written plan of care): objectives, orders for treatments
  and therapies, plans for discharge, and review "at least every 90 days".
- HIPAA code sets and identifiers: 45 CFR 162.1002 (ICD-10-CM for diagnoses), 45 CFR 162.406 (NPI).
"""

from __future__ import annotations

from dataclasses import dataclass

JOINT_COMMISSION = "Joint Commission CTS.03.01.03"
JOINT_COMMISSION_OUTCOMES = "Joint Commission CTS.03.01.09"
JOINT_COMMISSION_SUICIDE = "Joint Commission NPSG.15.01.01"
CARF = "CARF Section 2.C"
CARF_DISCHARGE = "CARF Section 2.D"
MEDICAID = "42 CFR 456.180"
HIPAA_CODE_SETS = "45 CFR 162.1002"
HIPAA_NPI = "45 CFR 162.406"


@dataclass(frozen=True)
class Requirement:
    """What a standard asks of a plan, in words a clinic director reads, and the standards asking it."""

    text: str
    standards: tuple[str, ...]


CLIENT_WORDS = Requirement("Goals are written in the client's own words", (JOINT_COMMISSION, CARF))
ASSESSED_NEEDS = Requirement(
    "Every assessed need has a goal, and every goal answers an assessed need", (JOINT_COMMISSION, CARF)
)
MEASURABLE = Requirement(
    "Goals and objectives are measurable: a measure, a target, observable wording", (JOINT_COMMISSION, CARF)
)
TIME_SPECIFIC = Requirement("Objectives are time-specific: each has a reachable deadline", (CARF,))
INTERVENTIONS = Requirement("The interventions to be used are named for each goal", (CARF, MEDICAID))
FREQUENCY = Requirement("Each intervention states how often it is delivered", (CARF,))
INDIVIDUALISED = Requirement(
    "Goals are individualised, not scripted wording copied from client to client", (JOINT_COMMISSION,)
)
DISCHARGE = Requirement("The plan states discharge criteria", (JOINT_COMMISSION, MEDICAID))
REVIEW = Requirement("The plan is reviewed on time, at least every 90 days", (MEDICAID, JOINT_COMMISSION))
PROGRESS = Requirement("Progress towards the goals is monitored", (JOINT_COMMISSION_OUTCOMES,))
PARTICIPATION = Requirement("The client takes part in the plan and agrees to it", (CARF,))
SAFETY_PLAN = Requirement("A client at risk of suicide has a documented safety plan", (JOINT_COMMISSION_SUICIDE,))
DIAGNOSIS_CODES = Requirement("Diagnoses are coded in ICD-10-CM (claims)", (HIPAA_CODE_SETS,))
DISCHARGE_RECORD = Requirement(
    "A closed episode has a discharge summary: when and why care ended, and where it goes next", (CARF_DISCHARGE,)
)
PROVIDER_ID = Requirement("The clinician is identified by a valid NPI (claims)", (HIPAA_NPI,))

# The order of the README table's rows: roughly the order a surveyor reads a plan in.
ALL: tuple[Requirement, ...] = (
    CLIENT_WORDS,
    ASSESSED_NEEDS,
    MEASURABLE,
    TIME_SPECIFIC,
    INTERVENTIONS,
    FREQUENCY,
    INDIVIDUALISED,
    DISCHARGE,
    DISCHARGE_RECORD,
    REVIEW,
    PROGRESS,
    PARTICIPATION,
    SAFETY_PLAN,
    DIAGNOSIS_CODES,
    PROVIDER_ID,
)
