"""T6xx: what a template left for the clinician to fill in."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from tplan.diagnostics import Finding, Path, Severity, format_path
from tplan.loader import PLACEHOLDER
from tplan.rules.base import RuleContext, collect, rule


@rule("T601", "unfilled-placeholder", Severity.ERROR, needs_plan=False)
def unfilled_placeholder(ctx: RuleContext) -> Iterator[Finding]:
    """An unfilled template placeholder (`TODO` or text in angle brackets such as `<client name>`).

    ## Why it matters
    `tplan new` leaves placeholders wherever the plan needs this client's own details. Each one
    left in is a gap in the record. On a draft this is a warning (a to-do list); on an active plan
    it is an error. A value with several placeholders gets one finding that names them all.
    ## Example
    client:
      name: <client name>
    ## Use instead
    client:
      name: Alex Example
    """
    draft = isinstance(ctx.data, dict) and ctx.data.get("status") == "draft"
    severity = Severity.WARNING if draft else None
    for path, first in ctx.placeholders:
        found = _all_placeholders(_value_at(ctx.data, path)) or [first]
        quoted = ", ".join(_shown(text) for text in found)
        what = f"placeholder {quoted} is" if len(found) == 1 else f"{len(found)} placeholders {quoted} are"
        yield Finding(path, f"fill in {format_path(path)}: {what} still there", severity=severity)


def _shown(placeholder: str) -> str:
    """The placeholder as written when it is one of tplan's own (`<baseline score>`, TODO); text
    a clinician typed between angle brackets may be about the client, so it is not repeated in
    output that ends up in CI logs."""
    return f"'{placeholder}'" if placeholder == "TODO" or placeholder in _template_placeholders() else "'<…>'"


@lru_cache(maxsize=1)
def _template_placeholders() -> frozenset[str]:
    """Every placeholder the built-in templates use (read only when a plan has placeholders)."""
    from tplan.packagedata import folder_entries

    texts = (entry.read_text(encoding="utf-8") for entry in folder_entries("templates") if entry.name.endswith(".yaml"))
    return frozenset(match for text in texts for match in PLACEHOLDER.findall(text))


def _all_placeholders(value: Any) -> list[str]:
    """Every placeholder in a text value, in order, each once."""
    return list(dict.fromkeys(PLACEHOLDER.findall(value))) if isinstance(value, str) else []


def _value_at(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


RULES = collect(globals())
