"""C4xx: consent, safety, codes and authorizations — what payers and regulators check."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from tplan.dates import age_on
from tplan.diagnostics import Finding, Severity
from tplan.frequency import days_between_sessions
from tplan.rules import standards
from tplan.rules.base import DRAFT_OR_CLOSED, RuleContext, collect, rule

ERR, WARN = Severity.ERROR, Severity.WARNING


@rule("C401", "missing-consent", ERR, skip_status=DRAFT_OR_CLOSED, requirement=standards.PARTICIPATION)
def missing_consent(ctx: RuleContext) -> Iterator[Finding]:
    """An active plan lacks the agreement and the dated signatures it needs.

    ## Why it matters
    Care is delivered under a plan the client agreed to. Payers and surveyors look for the
    client's agreement and the dated signatures of client and clinician: the evidence that the
    plan was developed with the active participation of the person served (CARF 2.C). Who signs
    depends on who may consent: for a minor (younger than `minor-consent-age`, default 18, at
    `created`) or a client with a `guardian`, the guardian signs (`guardian_signed`, and
    `client.guardian` says who); the client's own signature is then their assent, welcome but
    not required. A clinician with a `supervisor` needs the supervisor's co-signature
    (`supervisor_signed`). Drafts and closed plans are exempt.
    ## Example
    consent: {client_agreed: true}
    ## Use instead
    consent: {client_agreed: true, client_signed: 2026-03-02, clinician_signed: 2026-03-02}
    """
    plan = ctx.plan
    consent = plan.consent
    needed = _signatures_needed(ctx)
    if consent is None:
        yield Finding(("consent",), f"active plan has no consent: record client_agreed: true and {', '.join(needed)}")
        return
    missing = [k for k in needed if getattr(consent, k) is None]
    if not consent.client_agreed:
        missing.insert(0, "client_agreed: true")
    if "guardian_signed" in needed and plan.client.guardian is None:
        missing.append("client.guardian (who signs for the client)")
    if missing:
        yield Finding(("consent",), f"active plan's consent is incomplete: missing {', '.join(missing)}")


def is_minor(ctx: RuleContext) -> bool:
    """Whether the client is below the consent age on the day the plan was created."""
    born = ctx.plan.client.date_of_birth
    return born is not None and age_on(born, ctx.plan.created) < ctx.limits.minor_consent_age


def _signatures_needed(ctx: RuleContext) -> list[str]:
    """The signature dates this plan needs: the guardian's instead of the client's for a minor or
    a client with a guardian, and the supervisor's for a supervised clinician."""
    guarded = is_minor(ctx) or ctx.plan.client.guardian is not None
    needed = ["guardian_signed" if guarded else "client_signed", "clinician_signed"]
    if ctx.plan.clinician.supervisor is not None:
        needed.append("supervisor_signed")
    return needed


@rule("C402", "incomplete-safety-plan", ERR, requirement=standards.SAFETY_PLAN)
def incomplete_safety_plan(ctx: RuleContext) -> Iterator[Finding]:
    """Risk is moderate or high but the safety plan is missing or incomplete.

    ## Why it matters
    A client at moderate or high risk needs a written safety plan: warning signs, coping steps,
    people to contact and a crisis line. It is what the client uses between sessions, and how
    the Joint Commission's suicide-prevention goal (NPSG.15.01.01) expects the risk and the plan
    to reduce it to be documented.
    ## Example
    risk: {level: high}
    ## Use instead
    risk:
      level: high
      safety_plan:
        warning_signs: [Not sleeping, withdrawing from friends]
        coping: [Go for a walk, call a friend]
        contacts: [Sam (sibling) +1-555-0101]
        crisis_line: 988 Suicide & Crisis Lifeline (call or text 988)
    """
    risk = ctx.plan.risk
    if risk is None or risk.level == "low":
        return
    plan = risk.safety_plan
    if plan is None:
        yield Finding(("risk", "safety_plan"), f"risk level is {risk.level} but there is no safety plan")
        return
    missing = [k for k in ("warning_signs", "coping", "contacts", "crisis_line") if not getattr(plan, k)]
    if missing:
        yield Finding(("risk", "safety_plan"), f"risk level is {risk.level} but the safety plan has no {', '.join(missing)}")


ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
_UNDOTTED = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{1,4}$")  # F411: a claim form's spelling of F41.1


@rule("C403", "malformed-icd10", ERR, requirement=standards.DIAGNOSIS_CODES)
def malformed_icd10(ctx: RuleContext) -> Iterator[Finding]:
    """A diagnosis code is not a well-formed ICD-10-CM code.

    ## Why it matters
    Claims are rejected for malformed codes. ICD-10-CM codes are a letter, a digit and a letter
    or digit, then optionally a dot and up to four more (F41.1, Z73.0, F43.10). DSM-5 names
    and ICD-9 numbers (300.02) are not accepted by payers: ICD-10-CM is the HIPAA code set for
    diagnoses (45 CFR 162.1002).
    ## Example
    diagnoses: [{code: 300.02}]
    ## Use instead
    diagnoses: [{code: F41.1, description: Generalized anxiety disorder}]

    A code written without its dot (`F411`, as on a claim form) is well formed: it is a warning
    that shows the dotted form (`F41.1`), which is how the code set and most systems print it.
    """
    for i, diagnosis in enumerate(ctx.plan.diagnoses):
        code = diagnosis.code.strip()
        if ICD10CM.match(code):
            continue
        if _UNDOTTED.match(code.upper()):
            upper = code.upper()
            yield Finding(
                ("diagnoses", i, "code"),
                f"diagnosis code is written without its dot; write {upper[:3]}.{upper[3:]}",
                severity=WARN,
            )
            continue
        hint = " (use capital letters)" if ICD10CM.match(code.upper()) else ""
        yield Finding(("diagnoses", i, "code"), f"diagnosis code is not a well-formed ICD-10-CM code{hint}")


def npi_is_valid(npi: str) -> bool:
    """Luhn check over '80840' + the first nine digits (the NPI standard's check digit)."""
    if not re.fullmatch(r"\d{10}", npi):
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return (10 - total % 10) % 10 == int(npi[9])


@rule("C404", "invalid-npi", ERR, requirement=standards.PROVIDER_ID)
def invalid_npi(ctx: RuleContext) -> Iterator[Finding]:
    """The clinician's NPI fails its check digit.

    ## Why it matters
    An NPI is ten digits whose last digit is a Luhn check over the others (with the 80840
    prefix). The NPI is the HIPAA identifier for providers (45 CFR 162.406); a mistyped NPI gets
    claims denied, and the check digit catches most typos.
    ## Example
    clinician: {name: Dana Example, npi: "1234567890"}
    ## Use instead
    clinician: {name: Dana Example, npi: "1234567893"}
    """
    npi = ctx.plan.clinician.npi
    if npi is not None and not npi_is_valid(npi.strip()):
        shape = "is not 10 digits" if not re.fullmatch(r"\d{10}", npi.strip()) else "fails its check digit"
        yield Finding(("clinician", "npi"), f"the clinician's NPI {shape}")


@rule("C405", "authorization-short", WARN, skip_status=DRAFT_OR_CLOSED)
def authorization_short(ctx: RuleContext) -> Iterator[Finding]:
    """The insurance authorization has expired, or covers fewer sessions than are scheduled before the next review.

    ## Why it matters
    Sessions delivered without authorization may not be paid. tplan reads
    `authorization.sessions` as the sessions still available and counts the sessions the
    schedule's frequency puts between today and `reviews.next`.
    ## Example
    schedule: {frequency: weekly}
    reviews: {next: 2026-06-01}        # 12 weekly sessions from 2026-03-09
    insurance: {authorization: {sessions: 6, expires: 2026-09-01}}
    ## Use instead
    insurance: {authorization: {sessions: 12, expires: 2026-09-01}}
    """
    plan = ctx.plan
    auth = plan.client.insurance.authorization if plan.client.insurance else None
    if auth is None:
        return
    path = ("client", "insurance", "authorization")
    if auth.expires is not None and auth.expires < ctx.today:
        yield Finding(path + ("expires",), f"insurance authorization expired on {auth.expires}")
        return
    period = days_between_sessions(plan.schedule.frequency if plan.schedule else None)
    if auth.sessions is None or period is None or plan.reviews.next is None:
        return
    start = max(ctx.today, plan.created)
    end = plan.reviews.next if auth.expires is None else min(plan.reviews.next, auth.expires)
    needed = math.ceil((end - start).days / period) if end > start else 0
    if auth.sessions < needed:
        yield Finding(
            path + ("sessions",),
            f"authorization covers {auth.sessions} sessions, but about {needed} are scheduled before {end}",
        )


@rule("C406", "no-discharge-criteria", WARN, skip_status=DRAFT_OR_CLOSED, requirement=standards.DISCHARGE)
def no_discharge_criteria(ctx: RuleContext) -> Iterator[Finding]:
    """An active plan has no `discharge_criteria`: when treatment can end.

    ## Why it matters
    Criteria for ending treatment, agreed with the client at the start, make the goals point
    somewhere and stop care drifting on. Joint Commission CTS.03.01.03 asks that the plan include
    the criteria for the individual's discharge, discussed with them; Medicaid's plan of care
    includes plans for discharge (42 CFR 456.180). Drafts and closed plans are exempt.
    ## Example
    reviews: {interval_days: 90, next: 2026-06-01}
    consent: {client_agreed: true, client_signed: 2026-03-02, clinician_signed: 2026-03-02}
    ## Use instead
    discharge_criteria:
      - PSS-10 at or below 13 at two reviews in a row
      - Back at full-time work for four weeks without sick leave
    """
    if ("discharge_criteria",) in {path for path, _ in ctx.placeholders}:
        return  # an unfilled placeholder is T601's to report
    if not any(c.strip() for c in ctx.plan.discharge_criteria):
        yield Finding(("discharge_criteria",), "active plan has no discharge_criteria: say when treatment can end, agreed with the client")


RULES = collect(globals())
