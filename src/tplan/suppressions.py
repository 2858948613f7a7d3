"""Inline suppressions: `# tplan: disable=CODE[,CODE]` and `# tplan: disable-file=CODE[,CODE]`.

`disable=` at the end of a line silences the findings reported on that line;
`disable-file=` anywhere silences the whole file. The E0xx findings (an unreadable file, invalid
YAML, a plan that fails the schema) cannot be silenced: the other rules cannot check such a plan. Codes or rule names are accepted, separated by
commas; text after them is a free reason. A suppression that silences nothing is reported as X901.

Cheap on clean files: every plan contains "tplan:" (`tplan: 1`), so the guard is on "disable"; a
file without that word is never scanned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tplan.diagnostics import Diagnostic
from tplan.rules import BY_CODE, BY_NAME
from tplan.rules.loading import ALWAYS_REPORTED
from tplan.suggest import near_miss

# A YAML comment starts with '#' at the start of a line or after a space or tab.
_COMMENT = re.compile(
    r"(?:^|(?<=[ \t]))#[ \t]*tplan:[ \t]*(disable-file|disable)[ \t]*=[ \t]*"
    r"([A-Za-z0-9-]+(?:[ \t]*,[ \t]*[A-Za-z0-9-]+)*)",
    re.M,
)


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int  # 1-based line of the comment
    column: int  # 1-based column of its '#'
    end_column: int
    codes: tuple[str, ...]  # as written: codes or rule names
    whole_file: bool

    @property
    def text(self) -> str:
        """The comment as X901 quotes it: a code that names no rule and is not a typo of one is
        shown as '…', since a comment can hold anything, a client's name included."""
        codes = ",".join(c if _quotable(c) else "…" for c in self.codes)
        return f"# tplan: {'disable-file' if self.whole_file else 'disable'}={codes}"


def _quotable(written: str) -> bool:
    """A rule's code or name, or a near miss of one (`S1O7`): safe to repeat in a message."""
    from tplan.ruleselect import closest_rule

    if _code_of(written) is not None:
        return True
    rule = closest_rule(written)
    return rule is not None and (near_miss(written, rule.code) or near_miss(written, rule.name))


def find(text: str, root: Node | None = None) -> list[Suppression]:
    """The suppression comments in `text`. With the document's node tree, a look-alike inside a
    quoted or block (`|`, `>`) value is text, not a comment, and is left out."""
    if "disable" not in text:
        return []
    matches = list(_COMMENT.finditer(text))
    if matches and root is not None:
        spans = _text_spans(root)
        matches = [m for m in matches if not any(start <= m.start() < end for start, end in spans)]
    out = []
    for match in matches:
        line_start = text.rfind("\n", 0, match.start()) + 1
        codes = tuple(c.strip() for c in match.group(2).split(","))
        out.append(
            Suppression(
                line=text.count("\n", 0, match.start()) + 1,
                column=match.start() - line_start + 1,
                end_column=match.end() - line_start + 1,
                codes=codes,
                whole_file=match.group(1) == "disable-file",
            )
        )
    return out


def _text_spans(root: Node) -> list[tuple[int, int]]:
    """(start, end) character offsets of the quoted and block scalars, where '#' is not a comment."""
    spans, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.style in ("'", '"', "|", ">"):
                spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return spans


def _code_of(written: str) -> str | None:
    """The rule code a suppression names (exact code in any case, or a rule name), or None."""
    rule = BY_CODE.get(written.upper()) or BY_NAME.get(written.lower())
    return rule.code if rule else None


def silenced_codes(text: str, codes: frozenset[str], root: Node | None = None) -> tuple[tuple[int, str], ...]:
    """(line, code) for each suppression of one of `codes` (line 0: the whole file), for findings
    that are made later, after the file's text is gone (the cross-file D7xx rules)."""
    out = []
    for s in find(text, root):
        for written in s.codes:
            code = _code_of(written)
            if code in codes:
                out.append((0 if s.whole_file else s.line, code))
    return tuple(out)


def apply(
    diagnostics: list[Diagnostic], text: str, file: str, ran: set[str], report_unused: bool, root: Node | None = None
) -> list[Diagnostic]:
    """The diagnostics left after the file's suppressions, plus an X901 for each suppressed code
    that silenced nothing. `ran` holds the codes of the rules that ran on this file: a suppression
    for a rule that was switched off or skipped is not called unused."""
    suppressions = find(text, root)
    if not suppressions:
        return diagnostics
    used: set[tuple[int, str]] = set()  # (index of suppression, code)
    by_line: dict[int, list[int]] = {}
    file_wide: list[int] = []
    for i, s in enumerate(suppressions):
        (file_wide if s.whole_file else by_line.setdefault(s.line, [])).append(i)

    def silenced(d: Diagnostic) -> bool:
        if d.code in ALWAYS_REPORTED:
            return False
        hit = False
        for i in file_wide + by_line.get(d.line, []):
            for written in suppressions[i].codes:
                if _code_of(written) == d.code:
                    used.add((i, written))
                    hit = True
        return hit

    kept = [d for d in diagnostics if not silenced(d)]
    if not report_unused:
        return kept
    rule = BY_CODE["X901"]
    for i, s in enumerate(suppressions):
        for written in s.codes:
            code = _code_of(written)
            if (i, written) in used or code == "X901" or (code is not None and code not in ran):
                continue
            if code is None:
                from tplan.ruleselect import suggestion

                what = f"'{written}'" if _quotable(written) else "a name that"
                why = f"{what} is not a rule code{suggestion(written)}"
            elif code in ALWAYS_REPORTED:
                why = f"{code} cannot be silenced: fix the plan instead (the other rules cannot check it until it passes the schema)"
            elif s.whole_file:
                why = f"there is no {code} finding in this file"
            else:
                why = f"there is no {code} finding on this line (put the comment at the end of the line the finding is reported on)"
            unused = Diagnostic("X901", rule.severity, f"unused suppression '{s.text}': {why}", file, s.line, s.column, (), s.line, s.end_column)
            if not silenced(unused):
                kept.append(unused)
    return kept
