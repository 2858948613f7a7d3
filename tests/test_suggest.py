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
