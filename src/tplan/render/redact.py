"""`--redact`: the plan with client identifiers removed or reduced, for supervision or teaching.

Works on the loaded data before validation, so every section renders from the same reduced plan:
name → initials, date of birth → year, contact details, emergency contact and insurance ids
dropped, safety-plan contacts reduced to their relationship. Free text is then scrubbed of the
identifiers that were removed (the client's and emergency contact's names, phone numbers, email,
address, member id) and of anything that looks like a phone number or an email address.

This reduces identifiers; it is not HIPAA Safe Harbor de-identification (dates of care stay, and
free text can name other people or places).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable

from tplan.names import initials

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+\d[\d\s().-]{5,}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\b\d{3}[\s.-]\d{4}\b")


def birth_year(value: Any) -> int | None:
    if isinstance(value, _dt.date):
        return value.year
    match = re.match(r"\s*(\d{4})-\d{2}-\d{2}\s*$", value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def redact(data: dict) -> tuple[dict, int | None]:
    """(reduced copy of the plan data, the client's birth year or None)."""
    data = dict(data)
    client = data.get("client") if isinstance(data.get("client"), dict) else {}
    name = str(client.get("name") or "")
    year = birth_year(client.get("date_of_birth"))
    replacements = _replacements(client)

    reduced: dict[str, Any] = {"name": initials(name)} if name else {}
    if client.get("pronouns") is not None:
        reduced["pronouns"] = client["pronouns"]
    insurance = client.get("insurance")
    if isinstance(insurance, dict):
        kept = {k: insurance[k] for k in ("payer",) if k in insurance}
        auth = insurance.get("authorization")
        if isinstance(auth, dict):
            kept["authorization"] = {k: auth[k] for k in ("sessions", "expires") if k in auth}
        reduced["insurance"] = kept
    if "client" in data:
        data["client"] = reduced
    data = _reduce_safety_contacts(data)
    return _scrub(data, replacements), year


def scrubber(data: dict) -> Callable[[str], str]:
    """The free-text scrubbing of redact(), for other text shown in a redacted document: lint
    messages in the warning banner can quote a value from the plan."""
    client = data.get("client") if isinstance(data.get("client"), dict) else {}
    replacements = _replacements(client)
    return lambda text: _scrub(text, replacements)


def _replacements(client: dict) -> list[tuple[re.Pattern, str]]:
    """What to look for in free text, longest first, and what to put in its place."""
    pairs: list[tuple[str, str]] = []
    name = str(client.get("name") or "")
    if name:
        pairs.append((name, initials(name)))
        pairs += [(part, initials(part)) for part in name.split() if len(part) > 1]
    dob = client.get("date_of_birth")
    if dob is not None:
        pairs.append((dob.isoformat() if isinstance(dob, _dt.date) else str(dob), "[date of birth removed]"))
    for group in (client.get("contact"), client.get("emergency_contact")):
        if isinstance(group, dict):
            for key in ("phone", "email", "address"):
                if group.get(key):
                    pairs.append((str(group[key]), f"[{key} removed]"))
    emergency = client.get("emergency_contact")
    if isinstance(emergency, dict) and emergency.get("name"):
        who = f"[{emergency.get('relationship') or 'emergency contact'}]"
        pairs.append((str(emergency["name"]), who))
        pairs += [(part, who) for part in str(emergency["name"]).split() if len(part) > 1]
    insurance = client.get("insurance")
    if isinstance(insurance, dict):
        auth = insurance.get("authorization") if isinstance(insurance.get("authorization"), dict) else {}
        for value in (insurance.get("member_id"), insurance.get("group"), auth.get("number")):
            if value:
                pairs.append((str(value), "[id removed]"))
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return [(re.compile(r"(?<!\w)" + re.escape(old) + r"(?!\w)", re.IGNORECASE), new) for old, new in pairs if old.strip()]


def _reduce_safety_contacts(data: dict) -> dict:
    risk = data.get("risk")
    plan = risk.get("safety_plan") if isinstance(risk, dict) else None
    if not isinstance(plan, dict) or not isinstance(plan.get("contacts"), list):
        return data
    contacts = [
        {"name": str(c.get("relationship") or "support contact")} if isinstance(c, dict) else c
        for c in plan["contacts"]
    ]
    return {**data, "risk": {**risk, "safety_plan": {**plan, "contacts": contacts}}}


# Keys whose values are ids, codes or one of a fixed set of words, never free text: a client
# called "Person" must not turn `setting: in-person` into `in-P.`.
_FIXED_VALUES = frozenset({
    "tplan", "id", "status", "term", "measure", "direction", "setting", "severity", "level",
    "stressors", "addresses", "goals", "instrument",
})


def _scrub(value: Any, replacements: list[tuple[re.Pattern, str]]) -> Any:
    if isinstance(value, str):
        for pattern, new in replacements:
            value = pattern.sub(new, value)
        value = _EMAIL.sub("[email removed]", value)
        return _PHONE.sub("[phone removed]", value)
    if isinstance(value, dict):
        return {k: v if k in _FIXED_VALUES else _scrub(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, replacements) for v in value]
    return value
