"""Rules name the standards they support, and the README's surveyor table is generated from that."""

from __future__ import annotations

import pytest
from conftest import ROOT
from docgen import replace_block, surveyor_table

from tplan.rules import ALL_RULES, BY_CODE, standards

JC, CARF, CFR = "Joint Commission CTS.03.01.03", "CARF Section 2.C", "42 CFR 456.180"


def test_readme_surveyor_table_is_up_to_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert replace_block(readme, "surveyor", surveyor_table()) == readme, "run: python scripts/docgen.py"


@pytest.mark.parametrize("code,refs", [
    ("S113", (JC, CARF)),
    ("G207", (CARF,)),
    ("C406", (JC, CFR)),
    ("D702", (JC,)),
    ("S101", (JC, CARF)),
    ("S103", (CARF,)),
    ("G201", (JC, CARF)),
    ("G202", (CARF, CFR)),
])
def test_rules_name_their_standards(code, refs):
    assert BY_CODE[code].references == refs


def test_rules_without_a_standard_claim_none():
    for code in ("S104", "S105", "S106", "S108", "S111", "G203", "G204", "C405", "T601", "D701", "P801", "E002"):
        assert BY_CODE[code].references == () and BY_CODE[code].requirement == ""


def test_each_referenced_standard_is_named_in_the_rule_explanation():
    for rule in ALL_RULES:
        for ref in rule.references:
            assert ref.split()[-1] in rule.why, f"{rule.code}'s 'Why it matters' does not name {ref}"


def test_requirements_are_worded_once_and_cover_the_issue_list():
    texts = [r.text for r in standards.ALL]
    assert len(set(texts)) == len(texts)
    table = surveyor_table()
    for row, codes in [
        ("client's own words", "S113"),
        ("measurable", "S101, S102, S109, S110, S112, S114, S118"),
        ("time-specific", "S103, S107"),
        ("how often", "G207"),
        ("discharge criteria", "C406"),
        ("every assessed need has a goal", "G201, G206"),
        ("individualised", "D702"),
    ]:
        line = next(line for line in table.splitlines() if row in line.lower())
        assert line.endswith(f"| {codes} |")


def test_a_referenced_rule_without_a_named_requirement_gets_its_own_row():
    from dataclasses import replace

    odd = replace(BY_CODE["C405"], references=("Example Payer Manual 4.2",))
    assert f"| {odd.summary} | Example Payer Manual 4.2 | C405 |" in surveyor_table([*ALL_RULES, odd])


def test_the_surveyor_block_is_rewritten_and_nothing_else():
    start, end = "<!-- surveyor:start -->", "<!-- surveyor:end -->"
    text = replace_block(f"# Title\n\n{start}\nold table\n{end}\n\nafter\n", "surveyor", surveyor_table())
    assert text.startswith(f"# Title\n\n{start}\n| What the surveyor looks for |")
    assert text.endswith(f"|\n{end}\n\nafter\n")
    assert "old table" not in text


def test_missing_markers_are_a_clear_error():
    with pytest.raises(ValueError, match="surveyor:start"):
        replace_block("# no markers here\n", "surveyor", surveyor_table())
