"""The one "did you mean" of every message: the closest known word, and one way to write it.

Known words are tplan's own (schema keys, allowed values, rule codes, catalogue ids, template
names) or ids the plan declares, so a suggestion never leaks client text. What the user typed is
different: it may be a name or a sentence. `near_miss` says whether it is so close to a known word
(a typo: `deadlin`, `actve`, `Active`) that quoting it back is safe; anything further off is named
by its path and position only (see docs/privacy.md).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable

CUTOFF = 0.6  # difflib's ratio below which a known word is not offered


def _fold(word: str) -> str:
    """Case, '-', '_' and spaces do not matter when comparing (`Date-Of-Birth` ~ `date_of_birth`)."""
    return word.casefold().replace("-", "_").replace(" ", "_")


def closest(typed: str, known: Iterable[str]) -> str | None:
    """The known word `typed` most likely means, or None. A case-only or separator-only miss wins."""
    by_fold, letters = _known(tuple(known))
    folded = _fold(typed)
    if folded in by_fold:
        return by_fold[folded]
    match = difflib.get_close_matches(folded, _may_match(folded, letters), n=1, cutoff=CUTOFF)
    if match:
        return by_fold[match[0]]
    # Short words (ids such as P3 for P1) fall below difflib's ratio: offer the one known word a
    # single typo away, if there is exactly one (with two, a guess would mislead). From five
    # letters on, one typo keeps difflib's ratio at 0.8 or more, so only short words need this.
    typos = [word for f, word in by_fold.items() if len(f) <= 4 and near_miss(folded, f)]
    return typos[0] if len(typos) == 1 else None


@functools.lru_cache(maxsize=256)
def _known(known: tuple[str, ...]) -> tuple[dict[str, str], tuple[tuple[str, frozenset[str]], ...]]:
    """The known words by folded form (the first word of a form wins), and each form with its set
    of letters: worked out once per set of known words (a plan with 20,000 unknown keys in one
    mapping asks about the same dozen keys 20,000 times)."""
    by_fold: dict[str, str] = {}
    for word in known:
        by_fold.setdefault(_fold(word), word)
    return by_fold, tuple((form, frozenset(form)) for form in by_fold)


def _may_match(word: str, letters: tuple[tuple[str, frozenset[str]], ...]) -> list[str]:
    """The known forms difflib could find close enough to `word`: the others fail its quick_ratio
    (letters in common, as multisets) for sure, since each letter of a form that `word` lacks is
    unmatched at least once. Leaving them out changes no answer and saves difflib's letter count."""
    length, present = len(word), set(word)
    return [
        form for form, form_letters in letters
        if 2.0 * min(length, len(form) - len(form_letters - present)) / (len(form) + length) >= CUTOFF
    ]


def near_miss(typed: str, known: str) -> bool:
    """Whether `typed` is a typo of `known`: at most one edit per four letters (at least one),
    ignoring case and separators. Only then may a message quote what was typed."""
    a, b = _fold(typed), _fold(known)
    return _distance(a, b, max(1, len(b) // 4)) <= max(1, len(b) // 4)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps (a transposed pair is one typo), or limit + 1 once
    it is clearly above `limit` (so a long sentence costs no more than its length)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def did_you_mean(suggestion: str | None, note: str = "") -> str:
    """`; did you mean 'deadline'?` (with `note`: `; did you mean 'S107' (deadline-too-far)?`),
    or '' when there is nothing to suggest. Every message appends its hint this way."""
    if not suggestion:
        return ""
    return f"; did you mean '{suggestion}'{f' ({note})' if note else ''}?"


def hint(typed: str, known: Iterable[str]) -> str:
    """did_you_mean(closest(typed, known)): the hint alone, for messages that do not quote `typed`."""
    return did_you_mean(closest(typed, known))
