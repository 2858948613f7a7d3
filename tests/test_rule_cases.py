"""Runs every case in cases.yaml: edit the minimal plan, lint it, compare "line:col CODE" sets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tplan.linter import LintSettings, lint_text
from tplan.measures import builtin_catalogue

HERE = Path(__file__).parent
MINIMAL = (HERE / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
CASES = YAML(typ="safe").load((HERE / "cases.yaml").read_text(encoding="utf-8"))


def apply(edits: list[list[str]]) -> str:
    text = MINIMAL
    for old, new in edits:
        assert text.count(old) == 1, f"edit target must occur exactly once: {old!r}"
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case):
    today = dt.date.fromisoformat(str(case.get("today", "2026-04-01")))
    file = case.get("file", "plan.yaml")  # the path as given on the command line (P801 reads it)
    result = lint_text(apply(case["replace"]), file, LintSettings(today=today), builtin_catalogue())
    # An expectation may name the severity too ("27:15 R306 info") where a rule's severity varies.
    got = sorted(
        f"{d.line}:{d.column} {d.code}" + (f" {d.severity.value}" if len(e.split()) == 3 else "")
        for d in result.diagnostics
        for e in [next((x for x in case["expect"] if x.split()[:2] == [f"{d.line}:{d.column}", d.code]), "")]
    )
    assert got == sorted(case["expect"]), "\n".join(f"{d.line}:{d.column} {d.code} {d.severity.value} {d.message}" for d in result.diagnostics)


def test_every_rule_with_a_check_has_a_failing_case():
    from tplan.rules import ALL_RULES

    failing = {e.split()[1] for c in CASES for e in c["expect"]}
    # Cross-file rules (D7xx) need several files: tests/test_cross_file.py covers them.
    per_file = [r for r in ALL_RULES if r.cross_check is None]
    missing = [r.code for r in per_file if r.code not in failing and r.code not in {"E000", "E001", "E005"}]
    assert missing == [], f"rules without a failing case in cases.yaml: {missing}"
