"""X9xx: findings about tplan's own markers in a plan, such as `# tplan: disable=…` comments.

Emitted by `tplan.suppressions` after the other rules have run; documented here like every rule.
"""

from tplan.diagnostics import Severity
from tplan.rules.base import collect, rule


@rule("X901", "unused-suppression", Severity.WARNING, emitted=True, needs_plan=False)
def unused_suppression() -> None:
    """A `# tplan: disable=…` comment silences nothing (no such finding there, or no such rule).

    ## Why it matters
    A suppression is a promise that a finding was looked at and accepted. When the finding goes
    away (the goal got its deadline, the review happened) a leftover comment would silently hide
    the next, unrelated problem of that kind on the same line or in the same file. A misspelt code
    silences nothing at all. `# tplan: disable=CODE` works only at the end of the line the finding
    is reported on; `# tplan: disable-file=CODE` may stand anywhere. Suppressions of rules that did
    not run on the file (switched off in the config, skipped for drafts, or waiting for schema
    errors to be fixed) are not reported.
    ## Example
    goals:
      - id: G1
        deadline: 2026-05-25   # tplan: disable=S107  (this deadline is not too far any more)
    ## Use instead
    goals:
      - id: G1
        deadline: 2026-05-25
    """


RULES = collect(globals())
