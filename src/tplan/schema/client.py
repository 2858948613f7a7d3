"""Who the plan is for and who wrote it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tplan.schema.base import BCP47, PlanDate, Strict
from tplan.schema.values import ClientMixin


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


class Guardian(Strict):
    """Who may consent for the client: a minor's parent, or an adult's court-appointed guardian."""

    name: str
    relationship: str | None = None
    phone: str | None = None
    email: str | None = None
    authority: Literal["parent", "legal-guardian", "conservator", "other"] | None = None


class Client(ClientMixin, Strict):
    name: str
    preferred_name: str | None = None
    date_of_birth: PlanDate | None = None
    pronouns: str | None = None
    language: BCP47 | None = None
    contact: Contact | None = None
    # One contact as a mapping (format 1 as first written), or several as a list.
    emergency_contact: EmergencyContact | list[EmergencyContact] | None = None
    guardian: Guardian | None = None
    insurance: Insurance | None = None


class Supervisor(Strict):
    """The licensed clinician who supervises a pre-licensed one and co-signs the plan."""

    name: str
    credentials: str | None = None
    license: str | None = None
    npi: str | None = None


class Clinician(Strict):
    name: str
    credentials: str | None = None
    license: str | None = None
    npi: str | None = None
    email: str | None = None
    phone: str | None = None
    supervisor: Supervisor | None = None
