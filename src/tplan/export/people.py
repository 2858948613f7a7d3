"""Patient, Practitioner (clinician, supervisor) and RelatedPerson (guardian, emergency contacts)."""

from __future__ import annotations

from tplan.export.codes import BCP47, CONTACT_ROLE, NPI, ROLE_CODE, Resource, coding, concept
from tplan.export.context import Context
from tplan.schema.client import Clinician, EmergencyContact, Guardian, Supervisor


def patient(ctx: Context) -> Resource:
    client = ctx.plan.client
    out: Resource = {"resourceType": "Patient", "name": [{"use": "official", "text": client.name}]}
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


def birth_year_patient(resource: Resource, year: int | None) -> Resource:
    """--redact keeps the year of birth only (FHIR dates may be a year alone)."""
    if year is not None:
        resource["birthDate"] = f"{year:04d}"
    return resource


def practitioner(person: Clinician | Supervisor, npi: str | None = None) -> Resource:
    out: Resource = {"resourceType": "Practitioner"}
    identifiers = []
    if npi:
        identifiers.append({"system": NPI, "value": npi})
    if identifiers:
        out["identifier"] = identifiers
    out["name"] = [{"text": person.name}]
    telecom = _telecom(getattr(person, "phone", None), getattr(person, "email", None))
    if telecom:
        out["telecom"] = telecom
    qualification: list[Resource] = []
    if getattr(person, "credentials", None):
        qualification.append({"code": {"text": person.credentials}})
    if getattr(person, "license", None):
        qualification.append({"identifier": [{"value": person.license}], "code": {"text": "license"}})
    if qualification:
        out["qualification"] = qualification
    return out


GUARDIAN = (ROLE_CODE, "GUARD", "guardian")
EMERGENCY_CONTACT = (CONTACT_ROLE, "C", "Emergency Contact")


def related_person(ctx: Context, person: Guardian | EmergencyContact, role: tuple[str, str, str]) -> Resource:
    """A guardian (GUARDIAN) or an emergency contact (EMERGENCY_CONTACT): the role as a code, the
    relationship as written (sister, mother) as text."""
    out: Resource = {"resourceType": "RelatedPerson", "patient": ctx.patient}
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


def _telecom(phone: str | None, email: str | None) -> list[Resource]:
    out = []
    if phone:
        out.append({"system": "phone", "value": phone})
    if email:
        out.append({"system": "email", "value": email})
    return out
