"""S115: free text that YAML cut short at a ` # ` — the rest of the line became a comment."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tplan.diagnostics import Finding, Path, Severity
from tplan.events import Spot
from tplan.rules.base import RuleContext, collect, rule

# Keys whose values are sentences a clinician types (a ` # ` in them is text, not a comment).
FREE_TEXT_KEYS = frozenset(
    {
        "summary", "statement", "client_words", "note", "notes", "description", "duration", "reason",
        "medical", "psychiatric", "substance_use", "family", "social", "changes", "name",
    }
)
# Lists whose items are sentences.
FREE_TEXT_LISTS = frozenset(
    {
        "strengths", "impact", "discharge_criteria", "accommodations", "next_steps", "resources",
        "warning_signs", "coping", "protective_factors",
    }
)
# One space, '#', then words: "Lives in flat # 4 with partner." An intended comment is usually
# set off by two or more spaces (as tplan's templates write them) and is left alone, as is a
# `# tplan: disable=…` suppression.
_CUT = re.compile(r"^ #(?!\s*tplan:)\s*\S")


@rule("S115", "text-cut-by-comment", Severity.WARNING, needs_plan=False)
def text_cut_by_comment(ctx: RuleContext) -> Iterator[Finding]:
    """Free text was cut short: YAML read the rest of the line after ` # ` as a comment.

    ## Why it matters
    In YAML, ` #` starts a comment, so `summary: Lives in flat # 4 with partner.` records only
    "Lives in flat" and silently drops the rest of the sentence from the legal record, the
    rendered plan and every export. Quoting the text keeps all of it. (A comment set off by two
    or more spaces is taken as intended and left alone.)
    ## Example
    summary: Lives in flat # 4 with partner.
    ## Use instead
    summary: "Lives in flat # 4 with partner."
    """
    doc = ctx.doc
    if doc is None or " #" not in doc.text:
        return
    lines = doc.text.splitlines()
    # Read from events, the document's Spot tree has every scalar's style and marks: no need to
    # compose the node tree (most plans have comments). With duplicate keys the node tree holds
    # both occurrences, and this rule has always looked at both.
    spot = doc.spot
    texts = _free_text_spots(spot, ()) if spot is not None and not doc.duplicates else _free_text(doc.root, ())
    for path, node in texts:
        end = node.end_mark
        if node.style or end.line >= len(lines) or node.start_mark.line != end.line:
            continue  # quoted, block or folded text, or a plain scalar over several lines
        if _CUT.match(lines[end.line][end.column :]):
            yield Finding(path, "the text ends at ' #': YAML read the rest of the line as a comment; put the whole text in quotes")


def _free_text(node: Node, path: Path) -> Iterator[tuple[Path, ScalarNode]]:
    """(path, node) of every plain free-text scalar in the document."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                continue  # a complex key (? [a, b]) is no plan key: the schema reports it
            name: str = key.value
            here = path + (name,)
            if isinstance(value, ScalarNode):
                if name in FREE_TEXT_KEYS:
                    yield here, value
            elif isinstance(value, SequenceNode) and name in FREE_TEXT_LISTS:
                for i, item in enumerate(value.value):
                    if isinstance(item, ScalarNode):
                        yield here + (i,), item
                    else:
                        yield from _free_text(item, here + (i,))
            else:
                yield from _free_text(value, here)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            yield from _free_text(item, path + (i,))


RULES = collect(globals())


def _free_text_spots(spot: Spot, path: Path) -> Iterator[tuple[Path, Any]]:
    """_free_text over a document's Spot tree: (path, scalar event) in the same order."""
    children = spot.children
    if isinstance(children, dict):
        for name, value in children.items():
            here = path + (name,)
            if value.__class__ is not Spot:  # a scalar (its ScalarEvent)
                if name in FREE_TEXT_KEYS:
                    yield here, value
            elif isinstance(value.children, list) and name in FREE_TEXT_LISTS:
                for i, item in enumerate(value.children):
                    if item.__class__ is not Spot:
                        yield here + (i,), item
                    else:
                        yield from _free_text_spots(item, here + (i,))
            else:
                yield from _free_text_spots(value, here)
    else:
        for i, item in enumerate(children):
            if item.__class__ is Spot:
                yield from _free_text_spots(item, path + (i,))
