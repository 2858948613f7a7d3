"""Inline suppressions beyond the rule cases in cases.yaml: parsing, config interplay, the CLI."""

from __future__ import annotations

import datetime as dt

from conftest import MINIMAL

from tplan.linter import LintSettings, lint_text
from tplan.measures import builtin_catalogue
from tplan.suppressions import find

TEXT = MINIMAL.read_text()
FAR = TEXT.replace("    deadline: 2026-05-25", "    deadline: 2026-09-25")


def codes(text: str, **settings) -> list[str]:
    result = lint_text(text, "plan.yaml", LintSettings(today=dt.date(2026, 4, 1), **settings), builtin_catalogue())
    return [f"{d.line}:{d.column} {d.code}" for d in result.diagnostics]


def test_find_parses_codes_names_and_reasons():
    text = "a: 1  # tplan: disable=S107, no-deadline  agreed with supervisor\n#tplan:disable-file=R301\nb: 2 # tplan: disable = C401\n"
    found = find(text)
    assert [(s.line, s.column, s.codes, s.whole_file) for s in found] == [
        (1, 7, ("S107", "no-deadline"), False),
        (2, 1, ("R301",), True),
        (3, 6, ("C401",), False),
    ]


def test_find_ignores_text_that_only_looks_like_a_suppression():
    assert find("tplan: 1\nid: X\n") == []  # no "disable": not even scanned
    assert find("a: b#tplan: disable=S107\n") == []  # '#' glued to a value is not a YAML comment
    assert find("a: 1  # tplan disable=S107\n") == []  # no colon: not ours


def test_x901_is_a_warning_that_config_can_switch_off():
    text = TEXT.replace("deadline: 2026-05-25", "deadline: 2026-05-25  # tplan: disable=S107")
    assert codes(text) == ["27:27 X901"]
    assert codes(text, ignore=("X901",)) == []
    assert codes(text, per_file_ignores=(("*.yaml", ("unused-suppression",)),)) == []


def test_suppressing_a_rule_switched_off_in_the_config_is_not_unused():
    text = FAR.replace("deadline: 2026-09-25", "deadline: 2026-09-25  # tplan: disable=S107")
    assert codes(text, ignore=("S1",)) == []


def test_a_suppression_only_silences_the_codes_it_names():
    text = FAR.replace("deadline: 2026-09-25", "deadline: 2026-09-25  # tplan: disable=S103")
    assert codes(text) == ["27:15 S107", "27:27 X901"]


def test_disable_file_x901_keeps_a_deliberate_suppression_quiet():
    text = TEXT.replace("deadline: 2026-05-25", "deadline: 2026-05-25  # tplan: disable=S107").replace(
        "risk: {level: low}\n", "risk: {level: low}\n# tplan: disable-file=X901\n"
    )
    assert codes(text) == []


def test_unused_suppression_through_the_cli(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT.replace("deadline: 2026-05-25", "deadline: 2026-05-25  # tplan: disable=S1O7"))
    result = tplan("lint", "--today", "2026-04-01", str(plan))
    assert result.returncode == 1
    assert (
        f"{plan}:27:27: X901 warning unused suppression '# tplan: disable=S1O7': 'S1O7' is not a rule code"
        "; did you mean 'S107' (deadline-too-far)?" in result.stdout
    )
