"""Generated parts of README.md, so the docs cannot drift from the code.

    python scripts/docgen.py          # rewrite the generated blocks in README.md
    python scripts/docgen.py --check  # exit 1 when README.md is out of date (tests do this too)

A maintainer's tool, not part of the installed package (it needs the source checkout's README);
run it with the project's venv active, so that `tplan` imports.

Each block sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers and comes from one
small function of the registry. A new generated table is one function plus one BLOCKS entry.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tplan.rules import Rule

README = Path(__file__).resolve().parents[1] / "README.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def rules_table() -> str:
    """Every rule: code, name, severity (and the plan statuses it skips), summary, references."""
    from tplan.commands.rules import severity_text
    from tplan.rules import ALL_RULES

    rows = ["| code | name | severity | what it checks | references |", "|---|---|---|---|---|"]
    for r in ALL_RULES:
        rows.append(f"| {r.code} | `{r.name}` | {severity_text(r)} | {_cell(r.summary)} | {_cell('; '.join(r.references))} |")
    return "\n".join(rows)


def surveyor_table(rules: Iterable[Rule] | None = None) -> str:
    """One row per requirement: what the standard asks in plain words, the standards, the rules.

    Rows follow `standards.ALL`; a rule with references but no named requirement gets a row of its
    own, worded by its summary, after them.
    """
    from tplan.rules import ALL_RULES, standards

    rows: dict[str, tuple[list[str], list[str]]] = {}
    for rule in sorted(ALL_RULES if rules is None else rules, key=lambda r: r.code):
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


BLOCKS: dict[str, Callable[[], str]] = {"rules": rules_table, "surveyor": surveyor_table}


def replace_block(text: str, name: str, content: str) -> str:
    """`text` with the block NAME's content replaced; a ValueError when its markers are missing."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"README.md has no <!-- {name}:start --> … <!-- {name}:end --> markers")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text, count=1)


def generate(text: str) -> str:
    for name, make in BLOCKS.items():
        text = replace_block(text, name, make())
    return text


def main(argv: list[str]) -> int:
    if not README.is_file():
        print(f"{README}: not found; run this from a source checkout", file=sys.stderr)
        return 2
    current = README.read_text(encoding="utf-8")
    wanted = generate(current)
    if "--check" in argv:
        if wanted != current:
            print("README.md is out of date: run `python scripts/docgen.py`", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        from tplan.fsio import atomic_write

        atomic_write(README, wanted)
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
