"""Free-text session frequencies ("weekly", "twice a week", "every 2 weeks") → days between sessions."""

from __future__ import annotations

import re

_WORDS = {
    "daily": 1.0, "weekly": 7.0, "biweekly": 14.0, "fortnightly": 14.0,
    "monthly": 30.0, "bimonthly": 60.0, "quarterly": 91.0,
}
_TIMES = {"once": 1, "twice": 2, "three times": 3, "thrice": 3, "four times": 4}
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.0}


def days_between_sessions(text: str | None) -> float | None:
    """Average days between sessions, or None when the text is not a frequency tplan knows."""
    if not text:
        return None
    t = text.strip().lower()
    if t in _WORDS:
        return _WORDS[t]
    every = re.fullmatch(r"every (other |\d+ )?(day|week|month)s?", t)
    if every:
        n = 2 if every.group(1) == "other " else int(every.group(1) or 1)
        return n * _UNIT_DAYS[every.group(2)]
    per = re.fullmatch(r"(once|twice|three times|thrice|four times|\d+ ?x|\d+ times) ?(?:a|per|/|each) ?(day|week|month)", t)
    if per:
        count_text = per.group(1).replace("times", "").replace("x", "").strip()
        count = _TIMES.get(per.group(1)) or int(count_text)
        return _UNIT_DAYS[per.group(2)] / count
    times = re.fullmatch(r"(once|twice|three times|four times) (daily|weekly|monthly)", t)
    if times:
        return _WORDS[times.group(2)] / _TIMES[times.group(1)]
    return None
