"""Plan rules get a RuleContext whose plan is a Plan; raw-data rules a DataContext (plan may be None)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing

from conftest import MINIMAL

from tplan import linter
from tplan.linter import LintSettings, lint_paths
from tplan.rules import BY_CODE, DataContext, RuleContext
from tplan.schema.plan import Plan


def test_the_types_say_so():
    # tplan.rules.base imports Plan for type checkers only (the lint path's fast route builds no
    # models, issue 19), so the name is supplied here; the annotations themselves are checked.
    import tplan.rules.base as base

    names = {**vars(base), "Plan": Plan}
    assert typing.get_type_hints(RuleContext, names)["plan"] is Plan
    assert typing.get_type_hints(DataContext, names)["plan"] == Plan | None
    assert issubclass(RuleContext, DataContext)


def _recording(monkeypatch) -> list[tuple[str, str, object]]:
    seen: list[tuple[str, str, object]] = []

    def wrap(rule):
        def check(ctx):
            seen.append((rule.code, type(ctx).__name__, type(ctx.plan).__name__))
            return rule.check(ctx)

        return dataclasses.replace(rule, check=check)

    wanted = {"S103", "T601"}  # a plan rule and a raw-data rule
    monkeypatch.setattr(linter, "ALL_RULES", tuple(wrap(r) if r.code in wanted else r for r in linter.ALL_RULES))
    return seen


def test_a_valid_plan_gives_every_rule_a_plan(monkeypatch, tmp_path):
    seen = _recording(monkeypatch)
    lint_paths([str(MINIMAL)], LintSettings(today=dt.date(2026, 4, 1)))
    assert sorted(seen) == [("S103", "RuleContext", "Plan"), ("T601", "RuleContext", "Plan")]


def test_a_plan_failing_the_schema_runs_only_raw_data_rules_without_a_plan(monkeypatch, tmp_path):
    seen = _recording(monkeypatch)
    broken = tmp_path / "broken.yaml"
    broken.write_text(MINIMAL.read_text().replace("status: active", "status: actve"))
    report = lint_paths([str(broken)], LintSettings(today=dt.date(2026, 4, 1)))
    assert seen == [("T601", "DataContext", "NoneType")]
    assert [d.code for d in report.diagnostics] == ["E003"]
    assert BY_CODE["T601"].needs_plan is False and BY_CODE["S103"].needs_plan is True
