"""Hover: a rule's documentation (on a code in a `# tplan: disable=` comment, or over a finding),
an instrument's name, range, better direction and bands (on a `measure:` value), and the
statement of a problem, goal, objective or intervention (on its id). Markdown, shown only in the
editor; nothing here is logged."""

from __future__ import annotations

import re
from typing import Any

from tplan.diagnostics import Diagnostic
from tplan.lsp.context import word_at
from tplan.measures import Catalogue, Instrument, fmt_number
from tplan.rules import BY_CODE, BY_NAME, Rule

_DISABLE = re.compile(r"(?:^|\s)#\s*tplan:\s*disable(?:-file)?\s*=")
_MEASURE_VALUE = re.compile(r"\b(?:measure|instrument):[ \t]*(?P<value>[^,{}\[\]#\n]*[^,{}\[\]#\s])")


def hover_at(lines: list[str], line: int, column: int, diagnostics: list[Diagnostic], data: Any, catalogue: Catalogue) -> str | None:
    """The hover text at (line, code-point column), both 0-based, or None."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    parts = [p for p in (_in_disable_comment(text, column) or _measure(text, column, catalogue) or _plan_id(text, column, data),) if p]
    seen = set()
    for d in diagnostics:
        if d.code not in seen and _covers(d, line, column) and d.code in BY_CODE:
            seen.add(d.code)
            parts.append(rule_docs(BY_CODE[d.code]))
    return "\n\n---\n\n".join(parts) if parts else None


def _covers(d: Diagnostic, line: int, column: int) -> bool:
    if d.line <= 0:
        return False
    here = (line + 1, column + 1)
    end = (d.end_line, d.end_column) if d.end_line is not None and d.end_column is not None else (d.line, d.column)
    return (d.line, d.column) <= here <= end


def _in_disable_comment(text: str, column: int) -> str | None:
    match = _DISABLE.search(text)
    if match is None or column < match.end():
        return None
    word, _, _ = word_at(text, column)
    rule = BY_CODE.get(word.upper()) or BY_NAME.get(word.lower())
    return rule_docs(rule) if rule else None


def rule_docs(rule: Rule) -> str:
    """A rule's documentation, from the same registry as `tplan explain`."""
    from tplan.commands.rules import severity_text

    out = [f"**{rule.code} `{rule.name}`** ({severity_text(rule)})", "", rule.summary]
    for title, body, fenced in (("Why it matters", rule.why, False), ("Example (reported)", rule.example, True), ("Use instead", rule.use_instead, True)):
        if body:
            out += ["", f"**{title}**", ""] + (["```yaml", body, "```"] if fenced else [body])
    if rule.references:
        out += ["", "References: " + "; ".join(rule.references)]
    return "\n".join(out)


def _measure(text: str, column: int, catalogue: Catalogue) -> str | None:
    for match in _MEASURE_VALUE.finditer(text):
        if match.start("value") <= column <= match.end("value"):
            instrument = catalogue.get(match.group("value").strip("'\""))
            return instrument_docs(instrument) if instrument else None
    return None


def instrument_docs(i: Instrument) -> str:
    better = "lower is better" if i.better == "lower" else "higher is better"
    out = [f"**{i.id}**: {i.name}", "", f"Range {i.range_text}, {better}."]
    if i.measures:
        out += ["", f"Measures: {i.measures}"]
    if i.bands:
        out += ["", "| score up to | band |", "|---:|---|"]
        out += [f"| {fmt_number(band.max)} | {band.label} |" for band in i.bands]
    return "\n".join(out)


_SECTIONS = (
    ("presenting_problems", "presenting problem", "summary"),
    ("goals", "goal", "statement"),
    ("interventions", "intervention", "name"),
)


def _plan_id(text: str, column: int, data: Any) -> str | None:
    word, _, _ = word_at(text, column)
    if not word or not isinstance(data, dict):
        return None
    for section, kind, field in _SECTIONS:
        for item in data.get(section) or [] if isinstance(data.get(section), list) else []:
            if not isinstance(item, dict):
                continue
            if str(item.get("id")) == word:
                return f"**{word}** ({kind}): {item.get(field, '')}"
            for objective in item.get("objectives") or [] if section == "goals" and isinstance(item.get("objectives"), list) else []:
                if isinstance(objective, dict) and str(objective.get("id")) == word:
                    return f"**{word}** (objective of {item.get('id')}): {objective.get('statement', '')}"
    return None
