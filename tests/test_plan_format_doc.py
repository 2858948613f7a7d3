"""docs/plan-format.md: its example is a valid plan, and the README and it link to each other."""

from __future__ import annotations

import datetime as dt
import re

from conftest import ROOT

from tplan.linter import LintSettings, lint_text
from tplan.measures import builtin_catalogue

DOC = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")


def test_the_format_example_lints_clean():
    example = re.search(r"^```yaml\n(.*?)^```", DOC, re.S | re.M).group(1)
    result = lint_text(example, "plan.yaml", LintSettings(today=dt.date(2026, 6, 10)), builtin_catalogue())
    assert [f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics] == []


def test_readme_and_format_reference_link_both_ways():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/plan-format.md)" in readme and "(docs/plan-format.md#decisions-where-the-format-is-silent)" in readme
    assert "## Decisions where the format is silent" in DOC and "(../README.md#the-plan-format)" in DOC
    assert "## The plan format" in readme
    for text in (readme, DOC, (ROOT / "docs" / "template-format.md").read_text(encoding="utf-8")):
        assert "PLAN-FORMAT.md" not in text  # not in this repository: docs/plan-format.md is
