"""tplan.suggest: the one "did you mean" helper and when a typed word may be quoted back."""

from __future__ import annotations

import pytest

from tplan.suggest import closest, did_you_mean, hint, near_miss


@pytest.mark.parametrize("typed, known, meant", [
    ("Active", ["draft", "active", "closed"], "active"),          # case only
    ("date-of-birth", ["name", "date_of_birth"], "date_of_birth"),  # separators only
    ("deadlin", ["deadline", "baseline"], "deadline"),
    ("P3", ["P1", "G1"], "P1"),                                     # short ids: one typo away
    ("P3", ["P1", "P2"], None),                                     # two equally close: no guess
    ("Renata Szabo", ["draft", "active", "closed"], None),
])
def test_closest(typed, known, meant):
    assert closest(typed, known) == meant


@pytest.mark.parametrize("typed, known, quoted", [
    ("actve", "active", True), ("Active", "active", True), ("deadlin", "deadline", True),
    ("dedline", "deadline", True), ("deadilne", "deadline", True),  # a swapped pair is one typo
    ("GAD-8", "GAD-7", True), ("Renata", "created", False), ("Renata", "name", False),
    ("Renata said she was abused by her uncle", "relationship", False), ("Al", "A1", True),
])
def test_near_miss(typed, known, quoted):
    assert near_miss(typed, known) is quoted


def test_one_message_format():
    assert did_you_mean("deadline") == "; did you mean 'deadline'?"
    assert did_you_mean("S107", "deadline-too-far") == "; did you mean 'S107' (deadline-too-far)?"
    assert did_you_mean(None) == "" and hint("zzzz", ["active"]) == ""
    assert hint("actve", ["active"]) == "; did you mean 'active'?"


def test_closest_gives_difflibs_answer_over_all_known_words():
    """closest leaves out known words difflib would reject anyway (_may_match): its answer must be
    the one get_close_matches gives over every known word, on typos of schema keys and on noise."""
    import difflib
    import random

    from tplan.schema.keys import known_keys
    from tplan.suggest import CUTOFF, _fold

    def reference(typed: str, known: list[str]) -> str | None:  # closest as it was written first
        by_fold: dict[str, str] = {}
        for word in known:
            by_fold.setdefault(_fold(word), word)
        folded = _fold(typed)
        if folded in by_fold:
            return by_fold[folded]
        match = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=CUTOFF)
        if match:
            return by_fold[match[0]]
        typos = [word for f, word in by_fold.items() if len(f) <= 4 and near_miss(folded, f)]
        return typos[0] if len(typos) == 1 else None

    keys = sorted(known_keys())
    rng = random.Random(20261201)
    alphabet = "abcdefghijklmnopqrstuvwxyz_-0123456789 AE"
    found = 0
    for _ in range(1000):
        known = rng.sample(keys, rng.randint(1, 15))
        word = list(rng.choice(keys))
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(word) + 1)
            word[at:at + rng.randint(0, 1)] = rng.choice(["", rng.choice(alphabet)])
        typed = "".join(word) if rng.random() < 0.7 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        expected = reference(typed, known)
        assert closest(typed, known) == expected, (typed, known)
        found += expected is not None
    assert found > 50  # the inputs include near misses, not only noise
