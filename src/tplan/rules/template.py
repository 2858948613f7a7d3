"""T6xx: what a template left for the clinician to fill in."""

from __future__ import annotations

from typing import Iterator

from tplan.diagnostics import Finding, Severity, format_path
from tplan.rules.base import RuleContext, collect, rule


@rule("T601", "unfilled-placeholder", Severity.ERROR, needs_plan=False)
def unfilled_placeholder(ctx: RuleContext) -> Iterator[Finding]:
    """An unfilled template placeholder (`TODO` or text in angle brackets such as `<client name>`).

    ## Why it matters
    `tplan new` leaves placeholders wherever the plan needs this client's own details. Each one
    left in is a gap in the record. On a draft this is a warning (a to-do list); on an active plan
    it is an error.
    ## Example
    client:
      name: <client name>
    ## Use instead
    client:
      name: Alex Example
    """
    draft = isinstance(ctx.data, dict) and ctx.data.get("status") == "draft"
    severity = Severity.WARNING if draft else None
    for path, text in ctx.placeholders:
        yield Finding(path, f"fill in {format_path(path)}: placeholder '{text}' is still there", severity=severity)


RULES = collect(globals())
