"""Client names reduced to initials: enough to tell clients apart, never the full name."""

from __future__ import annotations

from tplan.loader import PLACEHOLDER


def initials(name: object) -> str:
    """'Alex Rivera' → 'A.R.'; '?' for a missing name or a template placeholder."""
    if not isinstance(name, str) or PLACEHOLDER.search(name):
        return "?"
    letters = [next(c for c in word if c.isalpha()).upper() for word in name.split() if any(c.isalpha() for c in word)]
    return "".join(f"{c}." for c in letters) or "?"
