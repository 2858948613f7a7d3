"""Pydantic's ValidationError → E002/E003/E004 findings a clinician can act on.

Pydantic's `loc` is already a YAML path, except for union tags it inserts ("custom", "str"); those
are dropped by walking the path against the data. Messages say what the value must be, never what
it was (plan values may be client data), except for enum-like values such as a misspelt status.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from tplan.diagnostics import Finding, Path, format_path
from tplan.schema.plan import Plan

_KIND = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (one '- item' per line, or [a, b])",
    "model_type": "must be a group of keys (for example 'name: ...' on the lines below, indented)",
    "dict_type": "must be a group of keys",
    "model_attributes_type": "must be a group of keys",
    "union_tag_invalid": "must be a catalogue id (e.g. PHQ-9) or a custom measure {name, unit, direction}",
    "union_tag_not_found": "must be a catalogue id (e.g. PHQ-9) or a custom measure {name, unit, direction}",
}


def schema_findings(exc: ValidationError, data: Any) -> list[tuple[str, Finding]]:
    """One (code, finding) per distinct problem, in document order of their paths."""
    out: list[tuple[str, Finding]] = []
    seen: set[tuple[str, Path]] = set()
    for error in exc.errors(include_url=False):
        path, missing = _data_path(error["loc"], data)
        code, finding = _finding(error, path, missing)
        if (code, finding.path) not in seen:
            seen.add((code, finding.path))
            out.append((code, finding))
    return out


def _data_path(loc: tuple, data: Any) -> tuple[Path, bool]:
    """The real path of `loc` in `data` (union tags dropped) and whether its last key is absent."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict):
            if part in node:
                path.append(part)
                node = node[part]
            elif last or (isinstance(part, str) and _is_field_name(part)):
                path.append(part)
                return tuple(path), True
            # else: a union tag such as "custom"; skip it
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        else:
            break  # a scalar: remaining parts are union tags
    return tuple(path), False


def _is_field_name(part: str) -> bool:
    return part not in ("custom", "catalogue", "str", "int", "float", "function-plain")


def _finding(error: dict, path: Path, missing: bool) -> tuple[str, Finding]:
    kind = error["type"]
    where = format_path(path)
    if kind == "missing" or (missing and kind != "extra_forbidden"):
        key = path[-1]
        parent = format_path(path[:-1]) or "the top level of the plan"
        return "E002", Finding(path, f"'{key}' is required in {parent} but is missing")
    if kind == "extra_forbidden":
        key = str(path[-1])
        message = f"unknown key '{key}' in {format_path(path[:-1]) or 'the top level of the plan'}"
        suggestion = _closest(key, path[:-1])
        if suggestion:
            message += f"; did you mean '{suggestion}'?"
        if not path[:-1]:
            message += f"{' Or, for' if suggestion else '; for'} a clinic's own data, start the key with 'x-' (x-{key})"
        return "E004", Finding(path, message, key=True)
    message = f"{where} {_explain(error)}"
    if kind == "string_type" and isinstance(error.get("input"), dict):
        message += " (a ': ' inside the text made it a key; put the text in quotes)"
    return "E003", Finding(path, message)


def _explain(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "literal_error":
        value = error.get("input")
        shown = f"'{value}' is not allowed; " if isinstance(value, (str, int)) and len(str(value)) <= 30 else ""
        return f"{shown}must be one of: {ctx.get('expected', '').replace(' or ', ', ')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    if kind in ("greater_than", "greater_than_equal"):
        return f"must be {'above' if kind == 'greater_than' else 'at least'} {ctx.get('gt', ctx.get('ge'))}"
    if kind == "string_pattern_mismatch":
        return "may contain only letters, digits, '.', '_' and '-' (no spaces)"
    return _KIND.get(kind, error["msg"][0].lower() + error["msg"][1:])


def _closest(key: str, parent: Path) -> str | None:
    model = _model_at(parent)
    if model is None:
        return None
    names = [n for n in model.model_fields if n != "extensions"]
    match = difflib.get_close_matches(key.lower().replace("-", "_").replace(" ", "_"), names, n=1, cutoff=0.6)
    return match[0] if match else None


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (for "did you mean" suggestions)."""
    model: Any = Plan
    for part in path:
        if isinstance(part, int):
            continue  # list items are already unwrapped below
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            return None
        model = inner_model(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside a field's annotation (`Risk | None`, `list[Goal]`, Annotated…), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = inner_model(arg)
        if found is not None:
            return found
    return None
