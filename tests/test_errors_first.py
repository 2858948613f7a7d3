"""Render's check looks for warnings only in a plan with errors (check_text's `errors_first`).

The banner of a rendered document counts a plan's warnings only when the plan has lint errors, so
render skips the warning and note rules of a plan whose error rules found nothing. That is exact
only while no rule reports above its own severity: these tests check that on every rule case,
example and template, and that render's findings equal lint's wherever a banner shows them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT
from test_rule_cases import CASES, apply

from tplan.diagnostics import Severity
from tplan.linter import LintSettings, check_text
from tplan.loader import is_yaml_mapping
from tplan.measures import builtin_catalogue
from tplan.rules import BY_CODE

RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}
CATALOGUE = builtin_catalogue()


def _plans() -> list[tuple[str, str, dt.date]]:
    """(name, text, today) for every rule case, example and condition template."""
    plans = [(c["name"], apply(c["replace"]), dt.date.fromisoformat(str(c.get("today", "2026-04-01")))) for c in CASES]
    files = sorted(EXAMPLES.glob("*.yaml")) + sorted((ROOT / "src" / "tplan" / "templates").glob("*.yaml"))
    plans += [(f.name, f.read_text(encoding="utf-8"), dt.date(2026, 12, 1)) for f in files]
    return [(name, text, today) for name, text, today in plans if is_yaml_mapping(text)]  # the few that are not stop before any rule runs


PLANS = _plans()


def _both(text: str, today: dt.date, fast: bool) -> tuple[list, list]:
    settings = LintSettings(today=today)
    full = check_text(text, "plan.yaml", settings, CATALOGUE, fast=fast).result.diagnostics
    lazy = check_text(text, "plan.yaml", settings, CATALOGUE, fast=fast, errors_first=True).result.diagnostics
    return full, lazy


def test_no_rule_reports_above_its_own_severity():
    """A finding may lower its rule's severity (a placeholder in a draft is a warning), never raise it."""
    above = [
        f"{name}: {d.code} {d.severity.value} (rule: {BY_CODE[d.code].severity.value})"
        for name, text, today in PLANS
        for d in check_text(text, "plan.yaml", LintSettings(today=today), CATALOGUE).result.diagnostics
        if RANK[d.severity] > RANK[BY_CODE[d.code].severity]
    ]
    assert above == []


@pytest.mark.parametrize("fast", [True, False], ids=["fast route", "models"])
def test_errors_first_finds_lints_errors_and_with_an_error_everything(fast):
    with_errors = without = 0
    for name, text, today in PLANS:
        full, lazy = _both(text, today, fast)
        full_errors = [d for d in full if d.severity is Severity.ERROR]
        if full_errors:
            with_errors += 1
            assert lazy == full, name  # the banner counts errors and warnings: all of lint's findings
        else:
            without += 1
            assert [d for d in lazy if d.severity is Severity.ERROR] == [], name
            assert all(d in full for d in lazy), name
    assert with_errors > 50 and without > 10  # both kinds of plan were seen


def test_errors_first_skips_the_warning_rules_of_a_plan_without_errors():
    """The point of it: in a plan without errors only the error rules run, so a warning rule's
    finding is not there, and what is there comes from error rules (a draft's placeholder)."""
    skipped = 0
    for name, text, today in PLANS:
        full, lazy = _both(text, today, fast=True)
        if any(d.severity is Severity.ERROR for d in full) or "disable" in text:
            continue
        assert lazy == [d for d in full if BY_CODE[d.code].severity is Severity.ERROR], name
        skipped += sum(1 for d in full if BY_CODE[d.code].severity is not Severity.ERROR)
    assert skipped > 20


def test_a_suppression_comment_runs_every_rule(tmp_path: Path):
    """`# tplan: disable=` needs every rule run, to tell an unused suppression (X901) from a used one."""
    case = next(c for c in CASES if any(e.split()[1] == "X901" for e in c["expect"]))
    text = apply(case["replace"])
    settings = LintSettings(today=dt.date.fromisoformat(str(case.get("today", "2026-04-01"))))
    full = check_text(text, "plan.yaml", settings, CATALOGUE).result.diagnostics
    lazy = check_text(text, "plan.yaml", settings, CATALOGUE, errors_first=True).result.diagnostics
    assert lazy == full


def test_a_clean_plan_checked_errors_first_keeps_no_position_tree():
    """Positions are for findings: render's check of a clean plan reads it without the position
    tree (tplan.events.Spot); a plan with findings gets its tree, and lint's positions. (The
    cross-file facts record positions, so lint, which collects them, builds the tree anyway.)"""
    from tplan.commands.one_plan import per_plan

    clean = (EXAMPLES / "burnout.yaml").read_text(encoding="utf-8")
    settings = per_plan(LintSettings(today=dt.date(2026, 12, 1)))  # as render: no cross-file facts
    checked = check_text(clean, "plan.yaml", settings, CATALOGUE, fast=True, errors_first=True)
    assert checked.result.diagnostics == [] and checked.doc._spot is None
    assert check_text(clean, "plan.yaml", settings, CATALOGUE, fast=True).doc._spot is not None
    broken = clean.replace("deadline: ", "deadline: 20", 1)  # an impossible date: an error
    full, lazy = _both(broken, dt.date(2026, 12, 1), fast=True)
    assert any(d.severity is Severity.ERROR for d in full) and lazy == full
