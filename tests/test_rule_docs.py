"""`tplan rules`, `tplan explain` and the generated README table: one registry, no drift."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from docgen import generate, replace_block, rules_table

from tplan.commands.rules import severity_text
from tplan.rules import ALL_RULES, BY_CODE


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_is_documented(rule):
    assert re.fullmatch(r"[A-Z]\d{3}", rule.code) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary.endswith("."), rule.summary
    assert rule.why and rule.example and rule.use_instead, f"{rule.code} lacks a docstring section"


def test_rules_piped_prints_one_plain_line_per_rule(tplan):
    result = tplan("rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(ALL_RULES)
    for line, rule in zip(lines, ALL_RULES, strict=True):
        assert re.fullmatch(rf"{rule.code}  {rule.name} +{re.escape(severity_text(rule))} +{re.escape(rule.summary)}", line), line
    # The columns line up, so the summaries start in one column.
    assert len({line.index(rule.summary) for line, rule in zip(lines, ALL_RULES, strict=True)}) == 1
    assert "┃" not in result.stdout and "│" not in result.stdout


@pytest.mark.process
@pytest.mark.parametrize("columns, table", [("200", True), ("80", False)])
def test_rules_on_a_terminal_is_a_table_only_when_wide_enough(tmp_path, columns, table):
    from test_reporters import _on_a_terminal

    shown = _on_a_terminal(["rules"], tmp_path, no_color=True, columns=columns)
    assert ("┃" in shown) is table
    assert "S107" in shown and "deadline-too-far" in shown
    if table:
        assert "CARF Section 2.C" in shown  # the references column
    else:
        assert re.search(r"^S107  deadline-too-far +warning +A deadline is too far away", shown, re.M)


@pytest.mark.parametrize("asked", ["S107", "s107", "deadline-too-far"])
def test_explain_by_code_or_name(tplan, asked):
    result = tplan("explain", asked)
    assert result.returncode == 0
    out = result.stdout
    assert out.startswith("S107 deadline-too-far (warning)\nA deadline is too far away")
    for heading in ("Why it matters", "Example (reported)", "Use instead", "References"):
        assert f"\n{heading}\n" in out
    assert "    - CARF Section 2.C" in out
    assert "# tplan: disable=S107" in out


def test_explain_shows_where_a_rule_does_not_apply(tplan):
    assert tplan("explain", "C401").stdout.startswith("C401 missing-consent (error (not on closed/draft plans))")


@pytest.mark.parametrize("asked, hint", [("S1O7", "did you mean 'S107' "
    "(deadline-too-far)?"), ("no-deadlin", "did you mean 'S103' (no-deadline)?"), ("zzz", "`tplan rules` lists every rule")])
def test_explain_unknown_rule_is_a_clear_error(tplan, asked, hint):
    result = tplan("explain", asked)
    assert result.returncode == 2
    assert result.stderr.startswith(f"tplan: error: unknown rule '{asked}'") and hint in result.stderr
    assert "Traceback" not in result.stderr


def test_readme_rule_table_is_up_to_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert generate(readme) == readme, "README.md is out of date: run `python scripts/docgen.py`"


def test_readme_table_has_one_row_per_rule():
    rows = [line for line in rules_table().splitlines()[2:]]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == [r.code for r in ALL_RULES]
    assert "| S107 | `deadline-too-far` | warning |" in rules_table()


def test_replace_block_rewrites_only_between_markers():
    text = "intro\n<!-- rules:start -->\nold\n<!-- rules:end -->\noutro\n"
    assert replace_block(text, "rules", "new") == "intro\n<!-- rules:start -->\nnew\n<!-- rules:end -->\noutro\n"
    with pytest.raises(ValueError, match="no <!-- other:start -->"):
        replace_block(text, "other", "x")


def test_docgen_check_fails_on_a_stale_readme(tmp_path, monkeypatch):
    import docgen

    stale = tmp_path / "README.md"
    stale.write_text("# x\n<!-- rules:start -->\n| old |\n<!-- rules:end -->\n<!-- surveyor:start -->\n<!-- surveyor:end -->\n")
    monkeypatch.setattr(docgen, "README", stale)
    assert docgen.main(["--check"]) == 1
    assert docgen.main([]) == 0
    assert "| S107 | `deadline-too-far`" in stale.read_text()
    assert "| What the surveyor looks for |" in stale.read_text()
    assert docgen.main(["--check"]) == 0


def test_unused_suppression_rule_is_registered():
    assert BY_CODE["X901"].name == "unused-suppression"
