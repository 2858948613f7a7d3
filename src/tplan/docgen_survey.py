"""The README's "What a surveyor checks" table, generated from the rules' requirements and references.

Run `python -m tplan.docgen_survey` after changing a rule's `requirement=` or `references=`; a test
fails while the README is stale. The mapping lives with the rules (`tplan.rules.standards` and each
`@rule`), never in a hand-written table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterable

from tplan.errors import TplanError
from tplan.fsio import atomic_write
from tplan.rules import ALL_RULES, Rule, standards

START = "<!-- surveyor:start -->"
END = "<!-- surveyor:end -->"
README = Path(__file__).resolve().parents[2] / "README.md"


def surveyor_table(rules: Iterable[Rule] = ALL_RULES) -> str:
    """One row per requirement: what the standard asks in plain words, the standards, the rules.

    Rows follow `standards.ALL`; a rule with references but no named requirement gets a row of its
    own, worded by its summary, after them.
    """
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for rule in sorted(rules, key=lambda r: r.code):
        if not rule.references:
            continue
        refs, codes = rows.setdefault(rule.requirement or rule.summary, ([], []))
        refs += [r for r in rule.references if r not in refs]
        codes.append(rule.code)
    order = {req.text: i for i, req in enumerate(standards.ALL)}
    lines = ["| What the surveyor looks for | Standard | Caught by |", "|---|---|---|"]
    for text in sorted(rows, key=lambda t: (order.get(t, len(order)), rows[t][1][0])):
        refs, codes = rows[text]
        lines.append(f"| {text} | {'; '.join(refs)} | {', '.join(codes)} |")
    return "\n".join(lines)


def with_table(readme: str, table: str) -> str:
    """The README text with the block between the surveyor markers replaced by the table."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise TplanError(f"the README has no {START} … {END} block to fill")
    return f"{head}{START}\n{table}\n{END}{tail}"


def update_readme(path: Path = README) -> bool:
    """Rewrite the table in place; True if the README changed."""
    text = path.read_text(encoding="utf-8")
    new = with_table(text, surveyor_table())
    if new != text:
        atomic_write(path, new)
    return new != text


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else README
    try:
        changed = update_readme(path)
    except (OSError, TplanError) as exc:
        print(f"tplan.docgen_survey: error: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: surveyor table {'updated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
