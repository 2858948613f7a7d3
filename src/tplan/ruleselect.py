"""Naming rules the way users do: a code (`S103`), a code prefix (`S1`, `S`) or a name
(`goal-without-deadline`). Shared by `--select`/`--ignore`, the config file, suppressions and
`tplan explain`, so every place accepts the same spellings and suggests the same corrections."""

from __future__ import annotations

import difflib

from tplan.errors import TplanError
from tplan.rules import ALL_RULES, BY_CODE, BY_NAME, Rule


def matches(rule: Rule, selector: str) -> bool:
    return rule.code.startswith(selector.upper()) or selector.lower() == rule.name


def is_known(selector: str) -> bool:
    return bool(selector) and any(matches(r, selector) for r in ALL_RULES)


def suggestion(value: str) -> str:
    """' (did you mean S103 goal-without-deadline?)', or '' when nothing is close."""
    code = value.upper()
    code = code[:1] + code[1:].replace("O", "0")  # a letter O typed for a zero (S1O7) is the commonest slip
    codes = difflib.get_close_matches(code, list(BY_CODE), n=1, cutoff=0.6)
    if codes:
        return f" (did you mean {codes[0]} {BY_CODE[codes[0]].name}?)"
    names = difflib.get_close_matches(value.lower(), list(BY_NAME), n=1, cutoff=0.6)
    if names:
        return f" (did you mean {BY_NAME[names[0]].code} {names[0]}?)"
    return ""


def check_selectors(values: list[str] | tuple[str, ...], where: str) -> tuple[str, ...]:
    """The selectors, stripped; a TplanError naming `where` for the first unknown one."""
    out = tuple(v.strip() for v in values if v.strip())
    for selector in out:
        if not is_known(selector):
            raise TplanError(f"{where}: unknown rule '{selector}'{suggestion(selector)}; `tplan rules` lists every rule")
    return out


def find_rule(code_or_name: str) -> Rule:
    """One rule by its exact code (any case) or name, or a TplanError with a suggestion."""
    key = code_or_name.strip()
    found = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if found is None:
        raise TplanError(f"unknown rule '{key}'{suggestion(key)}; `tplan rules` lists every rule")
    return found
