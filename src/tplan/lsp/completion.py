"""Completion: the keys the schema allows at the cursor, a field's fixed values, the catalogue's
measure ids, and the plan's own problem and goal ids where a field refers to them."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from tplan.lsp.context import Cursor, cursor_at, siblings
from tplan.lsp.positions import UTF16, units
from tplan.lsp.schemapaths import allowed_values, fields_at, is_measure
from tplan.measures import Catalogue

# Fields whose values are ids of other parts of the plan (G203 checks them).
_PROBLEM_REFS = ("addresses",)
_GOAL_REFS = (("interventions", "goals"), ("progress", "goals"))


def complete(
    lines: list[str], line: int, column: int, data: Any, catalogue: Catalogue, encoding: str = UTF16
) -> list[types.CompletionItem]:
    """Items for the cursor at (line, code-point column); [] where tplan has nothing to offer."""
    cursor = cursor_at(lines, line, column)
    if cursor is None:
        return []
    text = lines[line]
    start, end = units(text[: cursor.start], encoding), units(text[: cursor.start + len(cursor.prefix)], encoding)
    span = types.Range(types.Position(line, start), types.Position(line, end))
    if cursor.kind == "key":
        present = cursor.present if cursor.present is not None else siblings(lines, line, cursor.start)
        return [
            _item(f.name, types.CompletionItemKind.Field, f"{f.name}: ", "required" if f.required else "optional", span)
            for f in fields_at(cursor.path)
            if f.name not in present
        ]
    return [_item(value, kind, value, detail, span) for value, kind, detail in _values(cursor, data, catalogue)]


def _values(cursor: Cursor, data: Any, catalogue: Catalogue) -> list[tuple[str, types.CompletionItemKind, str]]:
    path = cursor.path
    if is_measure(path):
        return [(i.id, types.CompletionItemKind.Value, i.name) for i in catalogue.instruments]
    key = path[-1] if path else None
    top = path[0] if path else None
    if key in _PROBLEM_REFS:
        return [(pid, types.CompletionItemKind.Reference, "presenting problem") for pid in _ids(data, "presenting_problems")]
    if (top, key) in _GOAL_REFS:
        return [(gid, types.CompletionItemKind.Reference, "goal or objective") for gid in _goal_ids(data)]
    return [(v, types.CompletionItemKind.EnumMember, "allowed value") for v in allowed_values(path)]


def _ids(data: Any, section: str) -> list[str]:
    items = data.get(section) if isinstance(data, dict) else None
    return [str(x["id"]) for x in items or [] if isinstance(x, dict) and x.get("id") is not None] if isinstance(items, list) else []


def _goal_ids(data: Any) -> list[str]:
    out: list[str] = []
    goals = data.get("goals") if isinstance(data, dict) else None
    for goal in goals if isinstance(goals, list) else []:
        if isinstance(goal, dict) and goal.get("id") is not None:
            out.append(str(goal["id"]))
            objectives = goal.get("objectives")
            out += _ids({"o": objectives}, "o")
    return out


def _item(label: str, kind: types.CompletionItemKind, insert: str, detail: str, span: types.Range) -> types.CompletionItem:
    """An item that replaces the word typed so far."""
    return types.CompletionItem(label=label, kind=kind, detail=detail, filter_text=label, text_edit=types.TextEdit(range=span, new_text=insert))
