"""Naming rules the way users do: a code (`S103`), a code prefix (`S1`, `S`) or a name
(`goal-without-deadline`). Shared by `--select`/`--ignore`, the config file, suppressions and
`tplan explain`, so every place accepts the same spellings and suggests the same corrections."""

from __future__ import annotations

from tplan.errors import TplanError
from tplan.rules import ALL_RULES, BY_CODE, BY_NAME, Rule
from tplan.suggest import closest, did_you_mean


def matches(rule: Rule, selector: str) -> bool:
    return rule.code.startswith(selector.upper()) or selector.lower() == rule.name


def is_known(selector: str) -> bool:
    return bool(selector) and any(matches(r, selector) for r in ALL_RULES)


def closest_rule(value: str) -> Rule | None:
    """The rule a mistyped code (`S1O7`) or name (`no-deadlin`) most likely means, or None."""
    typed = value.upper()
    typed = typed[:1] + typed[1:].replace("O", "0")  # a letter O typed for a zero (S1O7) is the commonest slip
    code = closest(typed, BY_CODE)
    if code is not None:
        return BY_CODE[code]
    name = closest(value.lower(), BY_NAME)
    return BY_NAME[name] if name is not None else None


def suggestion(value: str) -> str:
    """"; did you mean 'S107' (deadline-too-far)?", or '' when nothing is close."""
    rule = closest_rule(value)
    return did_you_mean(rule.code, rule.name) if rule is not None else ""


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
