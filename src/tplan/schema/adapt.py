"""Pydantic's ValidationError → E002/E003/E004 findings a clinician can act on.

Pydantic's `loc` is already a YAML path, except for union tags it inserts ("custom", "str"); those
are dropped by walking the path against the data. Messages say what the value must be, never what
it was: a mis-indented line of free text becomes a "key", a name typed as a status becomes a
"value", and lint output ends up in CI logs. What the user typed is quoted only when it is a near
miss of a word tplan knows (`deadlin`, `actve`, `Active`), with the "did you mean" hint; a date
that does not exist (2026-02-30) is quoted too, being digits only. See docs/privacy.md.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tplan.diagnostics import Finding, Path, format_path
from tplan.schema.base import SafeValueError
from tplan.schema.keys import is_shown_key
from tplan.suggest import closest, did_you_mean, near_miss

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


def _data_path(loc: tuple[str | int, ...], data: Any) -> tuple[Path, bool]:
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


def _finding(error: ErrorDetails, path: Path, missing: bool) -> tuple[str, Finding]:
    kind = error["type"]
    where = format_path(path)
    if kind == "missing" or (missing and kind != "extra_forbidden"):
        key = path[-1]
        parent = format_path(path[:-1]) or "the top level of the plan"
        return "E002", Finding(path, f"'{key}' is required in {parent} but is missing")
    if kind == "extra_forbidden":
        return "E004", Finding(path, unknown_key_message(path), key=True)
    message = f"{where} {_explain(error)}"
    if kind == "string_type" and isinstance(error.get("input"), dict):
        message += " (a ': ' inside the text made it a key; put the text in quotes)"
    return "E003", Finding(path, message)


def _explain(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        value = error.get("input")
        typed = value if isinstance(value, str) else None
        suggestion = closest(typed, allowed) if typed is not None else None
        listed = ", ".join(f"'{a}'" for a in allowed) or str(ctx.get("expected", ""))
        if typed is not None and suggestion is not None and near_miss(typed, suggestion):
            return f"'{typed}' is not one of {listed}{did_you_mean(suggestion)}"
        return f"is not one of {listed}"
    if kind == "value_error":
        impossible = _impossible_date(error.get("input"))
        if impossible:
            return impossible
        if isinstance(ctx.get("error"), SafeValueError):  # built from tplan's words and numbers
            return str(ctx["error"])
        return _without_input(str(ctx.get("error", error["msg"])), error.get("input"))
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length', 1)} item(s)"
    if kind in ("greater_than", "greater_than_equal"):
        return f"must be {'above' if kind == 'greater_than' else 'at least'} {ctx.get('gt', ctx.get('ge'))}"
    if kind == "string_pattern_mismatch":
        return "may contain only letters, digits, '.', '_' and '-' (no spaces)"
    return _KIND.get(kind) or _without_input(error["msg"][0].lower() + error["msg"][1:], error.get("input"))


def _without_input(message: str, value: Any) -> str:
    """Pydantic's own wording, unless it repeats the value (which may be client text)."""
    if isinstance(value, str) and value.strip() and value in message:
        return "is not a valid value here"
    return message


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


def _impossible_date(value: Any) -> str | None:
    """'2026-02-30 is not a real date (February 2026 has 28 days)' for a well-written day that
    does not exist, or None. Only digits are quoted, so this says nothing about the client."""
    match = _ISO_DAY.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        _dt.date(year, month, day)
        return None
    except ValueError:
        pass
    written = f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= month <= 12:
        return f"{written} is not a real date (there is no month {month:02d}; write YYYY-MM-DD)"
    days = calendar.monthrange(year, month)[1]
    return f"{written} is not a real date ({calendar.month_name[month]} {year} has {days} days)"


def unknown_key_message(path: Path) -> str:
    """E004's message: the key is quoted only when it is a typo of a key the format knows."""
    key = str(path[-1])
    parent = format_path(path[:-1]) or "the top level of the plan"
    model = _model_at(path[:-1])
    known = [n for n in model.model_fields if n != "extensions"] if model is not None else []
    suggestion = closest(key, known)
    if suggestion is not None and near_miss(key, suggestion):
        message = f"unknown key '{key}' in {parent}{did_you_mean(suggestion)}"
    else:
        message = f"an unknown key in {parent}{did_you_mean(suggestion)}"
    if not path[:-1]:
        message += f"{' Or, for' if suggestion else '; for'} a clinic's own data, start the key with 'x-'"
    elif suggestion is None:
        message += " (if this line is text, indent it under the key it belongs to, or put it in quotes)"
    return message


def duplicate_key_message(path: Path) -> str:
    """E006's message: a key the format knows is named; any other key is named by its path only."""
    key = path[-1]
    if isinstance(key, str) and is_shown_key(key, top=len(path) == 1):
        return f"key '{key}' appears twice; only the last value counts"
    return f"a key in {format_path(path[:-1]) or 'the top level of the plan'} appears twice; only the last value counts"


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at `path` (for "did you mean" suggestions)."""
    from tplan.schema.plan import Plan

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
