"""Rules name the standards they support, and the README's surveyor table is generated from that.
The README's freshness is checked once, in test_rule_docs.py; the tests here check invariants of
the rule data, never restate it."""

from __future__ import annotations

from dataclasses import replace

from docgen import replace_block, surveyor_table

from tplan.rules import ALL_RULES, BY_CODE, standards

KNOWN = {value for name, value in vars(standards).items() if name.isupper() and isinstance(value, str)}
BY_TEXT = {req.text: req for req in standards.ALL}


def test_a_rule_names_a_requirement_and_takes_its_standards_from_it():
    for rule in ALL_RULES:
        if rule.requirement:
            assert rule.requirement in BY_TEXT, f"{rule.code}: requirement not in standards.ALL"
            assert rule.references == BY_TEXT[rule.requirement].standards, rule.code
        assert set(rule.references) <= KNOWN, f"{rule.code} cites a standard standards.py does not name"


def test_every_requirement_is_caught_by_a_rule():
    caught = {rule.requirement for rule in ALL_RULES}
    assert [req.text for req in standards.ALL if req.text not in caught] == []


def test_requirements_are_worded_once():
    texts = [r.text for r in standards.ALL]
    assert len(set(texts)) == len(texts)


def test_each_referenced_standard_is_named_in_the_rule_explanation():
    for rule in ALL_RULES:
        for ref in rule.references:
            assert ref.split()[-1] in rule.why, f"{rule.code}'s 'Why it matters' does not name {ref}"


def test_each_row_lists_the_rules_naming_its_requirement_in_the_order_of_standards():
    lines = surveyor_table().splitlines()[2:]
    assert [line.split(" | ")[0].lstrip("| ") for line in lines] == [req.text for req in standards.ALL]
    for line, req in zip(lines, standards.ALL, strict=True):
        codes = sorted(rule.code for rule in ALL_RULES if rule.requirement == req.text)
        assert line == f"| {req.text} | {'; '.join(req.standards)} | {', '.join(codes)} |"


def test_a_referenced_rule_without_a_named_requirement_gets_its_own_row():
    odd = replace(BY_CODE["C405"], references=("Example Payer Manual 4.2",))
    assert f"| {odd.summary} | Example Payer Manual 4.2 | C405 |" in surveyor_table([*ALL_RULES, odd])


def test_the_surveyor_block_is_rewritten_and_nothing_else():
    start, end = "<!-- surveyor:start -->", "<!-- surveyor:end -->"
    text = replace_block(f"# Title\n\n{start}\nold table\n{end}\n\nafter\n", "surveyor", surveyor_table())
    assert text.startswith(f"# Title\n\n{start}\n| What the surveyor looks for |")
    assert text.endswith(f"|\n{end}\n\nafter\n")
    assert "old table" not in text
