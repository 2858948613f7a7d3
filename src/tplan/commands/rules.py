"""`tplan rules` (every rule: a table on a wide terminal, plain lines otherwise) and `tplan explain CODE` (one rule's documentation).

Both read the rule registry, whose docstrings are the documentation, so they cannot drift from
what the linter checks.
"""

from __future__ import annotations

import textwrap

from tplan.rules import ALL_RULES, Rule

# Below this width the rich table folds every summary into a column of fragments.
TABLE_MIN_COLUMNS = 120


def run_rules() -> int:
    import shutil
    import sys

    if sys.stdout.isatty() and shutil.get_terminal_size().columns >= TABLE_MIN_COLUMNS:
        print_table()
    else:  # pipes, logs and narrow terminals: one plain line per rule, easy to grep
        for line in plain_lines():
            print(line)
    return 0


def plain_lines() -> list[str]:
    """`CODE  name  severity  summary` per rule, the first three columns padded to line up."""
    rows = [(rule.code, rule.name, severity_text(rule), rule.summary) for rule in ALL_RULES]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[3]]) for row in rows]


def print_table() -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="tplan rules (tplan explain CODE for details)")
    for column in ("code", "name"):
        table.add_column(column, no_wrap=True)
    for column in ("severity", "summary", "references"):
        table.add_column(column, overflow="fold", ratio=3 if column == "summary" else 1)
    for rule in ALL_RULES:
        table.add_row(rule.code, rule.name, severity_text(rule), rule.summary, "; ".join(rule.references))
    Console(highlight=False).print(table)


def severity_text(rule: Rule) -> str:
    skipped = sorted(rule.skip_status)
    return rule.severity.value + (f" (not on {'/'.join(skipped)} plans)" if skipped else "")


def explanation(rule: Rule) -> str:
    def section(title: str, body: str) -> list[str]:
        return ["", title, textwrap.indent(body, "    ")] if body else []

    lines = [f"{rule.code} {rule.name} ({severity_text(rule)})", rule.summary]
    lines += section("Why it matters", rule.why)
    lines += section("Example (reported)", rule.example)
    lines += section("Use instead", rule.use_instead)
    lines += section("References", "\n".join(f"- {r}" for r in rule.references))
    lines += [
        "",
        f"To switch it off: ignore = [\"{rule.code}\"] under [tool.tplan] in pyproject.toml, or",
        f"`# tplan: disable={rule.code}` at the end of the line it is reported on.",
    ]
    return "\n".join(lines)


def run_explain(code_or_name: str) -> int:
    from tplan.ruleselect import find_rule

    print(explanation(find_rule(code_or_name)))
    return 0
