"""`--redact`: the plan with client identifiers removed or reduced, for supervision or teaching.

Works on the loaded data before validation, so every section renders from the same reduced plan:
name → initials, date of birth → year, contact details, emergency contacts, guardian and insurance
ids dropped, safety-plan contacts reduced to their relationship. Free text is then scrubbed of the
identifiers that were removed, in every form they are commonly typed: the names with or without
accents, in either order, run together or part by part; the date of birth as 23/02/1989,
02/23/1989, 23 February 1989, Feb 23 1989 or 19890223; each phone number with any spacing and
with or without its area code; the address, its street and its town alone; an insurance id with
or without its prefix. Anything else that looks like a phone number or an email address goes too.

This reduces identifiers; it is not HIPAA Safe Harbor de-identification (dates of care stay, and
free text can name other people or places).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from tplan.names import initials

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+\d[\d\s().-]{5,}\d|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\b\d{3}[\s.-]\d{4}\b")


def birth_year(value: Any) -> int | None:
    if isinstance(value, _dt.date):
        return value.year
    match = re.match(r"\s*(\d{4})-\d{2}-\d{2}\s*$", value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def redact(data: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """(reduced copy of the plan data, the client's birth year or None)."""
    data = dict(data)
    client = _mapping(data.get("client"))
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


def scrubber(data: dict[str, Any]) -> Callable[[str], str]:
    """The free-text scrubbing of redact(), for other text shown in a redacted document: lint
    messages in the warning banner can quote a value from the plan."""
    client = _mapping(data.get("client"))
    replacements = _replacements(client)
    return lambda text: _scrub(text, replacements)


def _replacements(client: dict[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """What to look for in free text, most specific first, and what to put in its place. Each
    identifier is looked for in every form a clinician is likely to type it (see the helpers)."""
    pairs: list[tuple[str, str]] = []  # (regular expression over folded text, replacement)
    names = [str(client.get(key) or "") for key in ("name", "preferred_name")]
    full = names[0]
    for name in names:
        if name.strip():
            pairs += _name_patterns(name, initials(name) if name is full or not full else initials(full))
    dob = client.get("date_of_birth")
    day = dob if isinstance(dob, _dt.date) else _iso_day(dob)
    if day is not None:
        pairs.append((_date_pattern(day), "[date of birth removed]"))
    elif dob is not None and str(dob).strip():
        pairs.append((_literal(str(dob)), "[date of birth removed]"))
    for group in (client.get("contact"), *_people(client.get("emergency_contact")), *_people(client.get("guardian"))):
        if isinstance(group, dict):
            if group.get("phone"):
                pairs.append((_phone_pattern(str(group["phone"])), "[phone removed]"))
            if group.get("email"):
                pairs.append((_literal(str(group["email"])), "[email removed]"))
            if group.get("address"):
                pairs += [(p, "[address removed]") for p in _address_patterns(str(group["address"]))]
    for key, default in (("emergency_contact", "emergency contact"), ("guardian", "guardian")):
        for person in _people(client.get(key)):
            if isinstance(person, dict) and str(person.get("name") or "").strip():
                pairs += _name_patterns(str(person["name"]), f"[{person.get('relationship') or default}]")
    insurance = client.get("insurance")
    if isinstance(insurance, dict):
        auth = _mapping(insurance.get("authorization"))
        for value in (insurance.get("member_id"), insurance.get("group"), auth.get("number")):
            if value is not None and str(value).strip():
                pairs += [(p, "[id removed]") for p in _id_patterns(str(value))]
    # Longer patterns first, so a full name goes before its parts and a street before its town.
    pairs.sort(key=lambda pair: len(pair[0]), reverse=True)
    return [(re.compile(pattern, re.IGNORECASE), new) for pattern, new in pairs]


def _people(value: Any) -> list[Any]:
    """An emergency contact or guardian: one mapping, or (since the episode-of-care additions) a list."""
    return value if isinstance(value, list) else [value] if value is not None else []


def _iso_day(value: Any) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def fold(text: str) -> str:
    """Accents removed letter by letter (Renáta → Renata), keeping every character's position, so
    a match in the folded text is the same span in the original."""
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def _word(pattern: str) -> str:
    """`pattern` as a whole word: not inside a longer word or number."""
    return rf"(?<![^\W_]){pattern}(?![^\W_])"


def _literal(value: str) -> str:
    return _word(re.escape(fold(value.strip())))


_JOIN = r"[\s._-]*"  # how name parts or id parts may be run together: "RenataSzabo", "renata.szabo"


def _name_patterns(name: str, replacement: str) -> list[tuple[str, str]]:
    """The name in full, in either order and run together, then each part of it (from two letters)."""
    words = [fold(p) for p in re.split(r"[\s,]+", name.strip()) if p]
    parts = [re.escape(w) for w in words]
    out = []
    if len(parts) > 1:
        out.append((_word(_JOIN.join(parts)), replacement))
        out.append((_word(_JOIN.join(reversed(parts))), replacement))
    # Each part alone, and each half of a hyphenated one (García-López → López).
    alone = dict.fromkeys(words + [half for w in words if "-" in w for half in w.split("-")])
    for part in alone:
        if len(part) > 1:
            out.append((_word(re.escape(part)), replacement if replacement.startswith("[") else initials(part)))
    return out


_MONTHS = [calendar.month_name[m] for m in range(1, 13)]


def _date_pattern(day: _dt.date) -> str:
    """The day in every common way of writing it: 1989-02-23, 23/02/1989, 02/23/1989, 23.2.89,
    23 February 1989, Feb 23, 1989, 23rd of Feb 1989, 19890223, 23021989."""
    y, yy = f"{day.year:04d}", f"{day.year % 100:02d}"
    d = rf"0?{day.day}" if day.day < 10 else f"{day.day}"
    m = rf"0?{day.month}" if day.month < 10 else f"{day.month}"
    name = _MONTHS[day.month - 1]
    sept = r"|Sept\.?" if day.month == 9 else ""
    month = rf"(?:{name}|{name[:3]}\.?{sept})"
    nth = r"(?:st|nd|rd|th)?"
    sep = r"[-/. ]"
    year = rf"(?:{y}|'?{yy})"
    forms = [
        rf"{y}{sep}{m}{sep}{d}",
        rf"{d}{sep}{m}{sep}{year}",
        rf"{m}{sep}{d}{sep}{year}",
        rf"{d}{nth}\s+(?:of\s+)?{month},?\s+{y}",
        rf"{month}\s+{d}{nth},?\s+{y}",
        rf"{y}{day.month:02d}{day.day:02d}",
        rf"{day.day:02d}{day.month:02d}{y}",
        rf"{day.month:02d}{day.day:02d}{y}",
    ]
    return rf"(?<![\w/.-])(?:{'|'.join(forms)})(?![\w/]|[.-]\d)"


_PHONE_SEP = r"[\s().-]*"


def _flex_digits(digits: str) -> str:
    return _PHONE_SEP.join(digits)


def _phone_pattern(phone: str) -> str:
    """The number with any spacing, dashes, dots or brackets, with or without its country and
    area code: +1-555-0147, 5550147, 555 0147, (555) 0147."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 5:
        return _literal(phone)
    local, prefix = digits[-7:], digits[:-7]
    lead = ""
    if prefix:
        tails = sorted({prefix[i:] for i in range(len(prefix))}, key=len, reverse=True)
        lead = rf"(?:\+?(?:{'|'.join(_flex_digits(t) for t in tails)}){_PHONE_SEP})?"
    return rf"(?<![\d+]){lead}\(?{_flex_digits(local)}(?!\d)"


_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|place|pl|court|ct|close|crescent|cres|"
    "boulevard|blvd|terrace|ter|square|sq|row|parkway|pkwy|highway|hwy|circle|cir|gardens|grove"
)


def _address_patterns(address: str) -> list[str]:
    """The whole address, and each of its comma-separated parts alone (the street, the town), the
    street also without its house number and without its 'Court'/'Street'."""
    out = [_literal(address)]
    for part in (p.strip() for p in address.split(",")):
        if len(part) < 3:
            continue
        out.append(_literal(part))
        street = re.sub(r"^(?:no\.?\s*)?\d+[a-z]?\s+", "", part, flags=re.I)
        if street != part and len(street) >= 3:
            out.append(_literal(street))
        bare = re.sub(rf"\s+(?:{_STREET_TYPES})\.?$", "", street, flags=re.I)
        if bare != street and len(bare) >= 4:
            out.append(_literal(bare))
    return out


def _id_patterns(value: str) -> list[str]:
    """The id as written or with its parts run together or spaced (CVH-88120457, CVH 88120457),
    and its number alone without the prefix (88120457), from four digits. A part that reads as a
    year (PA-2026-55819's 2026) is not taken alone: it identifies nobody, and scrubbing every
    "2026" would break the plan's dates (an onset "2026-03")."""
    parts = [re.escape(p) for p in re.findall(r"[A-Za-z]+|\d+", value)]
    out = [_literal(value)]
    if len(parts) > 1:
        out.append(_word(_JOIN.join(parts)))
    out += [_word(p) for p in re.findall(r"\d{4,}", value) if not _YEAR.fullmatch(p)]
    return out


_YEAR = re.compile(r"(?:19|20)\d\d")


def _mapping(value: Any) -> dict[str, Any]:
    """The value if it is a mapping, else an empty one (redaction reads plans that may fail the schema)."""
    return value if isinstance(value, dict) else {}


def _reduce_safety_contacts(data: dict[str, Any]) -> dict[str, Any]:
    risk = _mapping(data.get("risk"))
    plan = risk.get("safety_plan")
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


def _scrub(value: Any, replacements: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(value, str):
        return _scrub_text(value, replacements)
    if isinstance(value, dict):
        return {k: v if k in _FIXED_VALUES else _scrub(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, replacements) for v in value]
    return value


def _scrub_text(text: str, replacements: list[tuple[re.Pattern[str], str]]) -> str:
    """Each pattern is matched against the accent-folded text and the same span replaced in the
    original (text is NFC-normalised first, so one character is one letter)."""
    text = unicodedata.normalize("NFC", text)
    for pattern, new in replacements:
        folded = fold(text)
        spans = [m.span() for m in pattern.finditer(folded)]
        for start, end in reversed(spans):
            text = text[:start] + new + text[end:]
    text = _EMAIL.sub("[email removed]", text)
    return _PHONE.sub("[phone removed]", text)
