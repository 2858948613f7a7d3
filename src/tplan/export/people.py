"""Patient, Practitioner (clinician, supervisor) and RelatedPerson (guardian, emergency contacts)."""

from __future__ import annotations

from tplan.export.codes import BCP47, CONTACT_ROLE, NPI, ROLE_CODE, coding, concept
from tplan.export.context import Context


def patient(ctx: Context) -> dict:
    client = ctx.plan.client
    out: dict = {"resourceType": "Patient", "name": [{"use": "official", "text": client.name}]}
    preferred = getattr(client, "preferred_name", None)
    if preferred:
        out["name"].append({"use": "usual", "text": preferred})
    contact = client.contact
    if contact is not None:
        telecom = _telecom(contact.phone, contact.email)
        if telecom:
            out["telecom"] = telecom
    if client.date_of_birth is not None:
        out["birthDate"] = client.date_of_birth.isoformat()
    if contact is not None and contact.address:
        out["address"] = [{"text": contact.address}]
    language = getattr(client, "language", None)
    if language:
        out["communication"] = [{"language": {"coding": [coding(BCP47, language)], "text": language}, "preferred": True}]
    return out


def birth_year_patient(resource: dict, year: int | None) -> dict:
    """--redact keeps the year of birth only (FHIR dates may be a year alone)."""
    if year is not None:
        resource["birthDate"] = f"{year:04d}"
    return resource


def practitioner(person, npi: str | None = None) -> dict:
    out: dict = {"resourceType": "Practitioner"}
    identifiers = []
    if npi:
        identifiers.append({"system": NPI, "value": npi})
    if identifiers:
        out["identifier"] = identifiers
    out["name"] = [{"text": person.name}]
    telecom = _telecom(getattr(person, "phone", None), getattr(person, "email", None))
    if telecom:
        out["telecom"] = telecom
    qualification: list[dict] = []
    if getattr(person, "credentials", None):
        qualification.append({"code": {"text": person.credentials}})
    if getattr(person, "license", None):
        qualification.append({"identifier": [{"value": person.license}], "code": {"text": "license"}})
    if qualification:
        out["qualification"] = qualification
    return out


GUARDIAN = (ROLE_CODE, "GUARD", "guardian")
EMERGENCY_CONTACT = (CONTACT_ROLE, "C", "Emergency Contact")


def related_person(ctx: Context, person, role: tuple[str, str, str]) -> dict:
    """A guardian (GUARDIAN) or an emergency contact (EMERGENCY_CONTACT): the role as a code, the
    relationship as written (sister, mother) as text."""
    out: dict = {"resourceType": "RelatedPerson", "patient": ctx.patient}
    authority = getattr(person, "authority", None)  # a guardian's: parent, legal-guardian, …
    relationship = [concept(*role, text=f"{role[2]} ({authority})" if authority else None)]
    if getattr(person, "relationship", None):
        relationship.append({"text": person.relationship})
    out["relationship"] = relationship
    out["name"] = [{"text": person.name}]
    telecom = _telecom(getattr(person, "phone", None), getattr(person, "email", None))
    if telecom:
        out["telecom"] = telecom
    return out


def _telecom(phone: str | None, email: str | None) -> list[dict]:
    out = []
    if phone:
        out.append({"system": "phone", "value": phone})
    if email:
        out.append({"system": "email", "value": email})
    return out
