"""Who the plan is for and who wrote it."""

from __future__ import annotations

from pydantic import Field

from tplan.schema.base import PlanDate, Strict


class Contact(Strict):
    phone: str | None = None
    email: str | None = None
    address: str | None = None


class EmergencyContact(Strict):
    name: str
    relationship: str | None = None
    phone: str | None = None


class Authorization(Strict):
    number: str | None = None
    sessions: int | None = Field(default=None, ge=0)
    expires: PlanDate | None = None


class Insurance(Strict):
    payer: str | None = None
    member_id: str | None = None
    group: str | None = None
    authorization: Authorization | None = None


class Client(Strict):
    name: str
    date_of_birth: PlanDate | None = None
    pronouns: str | None = None
    contact: Contact | None = None
    emergency_contact: EmergencyContact | None = None
    insurance: Insurance | None = None


class Clinician(Strict):
    name: str
    credentials: str | None = None
    license: str | None = None
    npi: str | None = None
    email: str | None = None
    phone: str | None = None
