"""Every rule, in one place. A duplicate code fails at import, so codes stay unique."""

from __future__ import annotations

from tplan.rules import comments, compliance, episode, loading, outcomes, privacy, repo, review, smart, suppression, template, thread
from tplan.rules.base import DataContext, Limits, Rule, RuleContext

ALL_RULES: tuple[Rule, ...] = (
    *loading.RULES,
    *smart.RULES,
    *thread.RULES,
    *review.RULES,
    *compliance.RULES,
    *episode.RULES,
    *comments.RULES,
    *template.RULES,
    *privacy.RULES,
    *repo.RULES,
    *suppression.RULES,
    *outcomes.RULES,
)
# Cross-file rules (a `collect` per file and a check over all files' facts), whatever module holds them.
CROSS_FILE_RULES: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.cross_check is not None)

BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in ALL_RULES}
if len(BY_CODE) != len(ALL_RULES) or len(BY_NAME) != len(ALL_RULES):
    raise RuntimeError("two rules share a code or a name")

__all__ = ["ALL_RULES", "BY_CODE", "BY_NAME", "CROSS_FILE_RULES", "DataContext", "Limits", "Rule", "RuleContext"]
