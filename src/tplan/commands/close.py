"""`tplan close`: end an episode of care with `status: closed` and the `discharge` record.

A plan is closed only when it would pass `tplan lint` as a closed plan: the edited text is linted
with every rule (and the project's config) before anything is written. Linting it as closed, not
as it is, matters both ways: closing clears what only an open plan must have (an overdue review),
and a closed plan must still carry what a surveyor checks (signatures, a valid diagnosis). As with
every edit, only the touched lines change (`status:`, `updated:` and the new `discharge:` block).
"""

from __future__ import annotations

import datetime as _dt
import difflib
from typing import Any, get_args

from tplan.config import project_settings
from tplan.diagnostics import Severity
from tplan.edit import PlanEdit, check_not_before_created, check_option_text, editing, shown
from tplan.errors import TplanError
from tplan.linter import LintSettings
from tplan.measures import Catalogue, load_catalogue
from tplan.schema.care import DischargeReason

REASONS: tuple[str, ...] = get_args(DischargeReason)


def check_reason(reason: str) -> str:
    """A discharge reason from the contract's list, with a "did you mean" for a near miss."""
    given = reason.strip()
    if given in REASONS:
        return given
    close = difflib.get_close_matches(given.casefold(), REASONS, n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise TplanError(f"--reason must be one of {', '.join(REASONS)}{hint}")


def parse_referral(text: str) -> dict[str, str]:
    """`"Peer support group: maintenance"` → {to: Peer support group, reason: maintenance}; the
    reason is optional (`--referral "Dr Example, psychiatry"`)."""
    check_option_text("--referral", text)
    to, sep, reason = text.partition(": ")
    to, reason = to.strip(), reason.strip()
    if not to:
        raise TplanError(f"--referral needs who the client is referred to, as \"TO: REASON\" (got '{text}')")
    return {"to": to, "reason": reason} if sep and reason else {"to": to}


def run_close(
    plan_path: str,
    reason: str,
    summary: str,
    date: _dt.date | None = None,
    referrals: list[str] | None = None,
    today: _dt.date | None = None,
) -> int:
    today = today or _dt.date.today()
    when = date or today
    reason = check_reason(reason)
    check_option_text("--summary", summary)
    if not summary.strip():
        raise TplanError('--summary is empty; say in a sentence or two how care ended, e.g. "PSS-10 at 11 and 12 at the last two reviews"')
    if when > today:
        raise TplanError(f"--date {when} is in the future (today is {today}); close a plan once care has ended")
    referred = [parse_referral(r) for r in referrals or []]

    settings = project_settings(today)
    catalogue = load_catalogue(settings.measures_file)
    with editing(plan_path, catalogue) as pf:
        if pf.plan.status == "closed":
            raise TplanError(f"{plan_path} is already closed; the file was not changed")
        check_not_before_created(pf.plan, when, "a plan cannot end before it began")
        last = max([e.date for e in pf.plan.progress] + [r.date for r in pf.plan.reviews.history], default=None)
        if last is not None and when < last:
            raise TplanError(f"--date {when} is before the last recorded progress or review ({last}); the file was not changed")

        discharge: dict[str, Any] = {"date": when, "reason": reason, "summary": summary.strip()}
        if referred:
            discharge["referrals"] = referred
        edit = PlanEdit(pf)
        edit.set_value(("status",), "closed")
        if pf.plan.updated is None or pf.plan.updated < when:
            edit.set_value(("updated",), when, after="created")
        edit.add_mapping(("discharge",), discharge, after=("discharge_criteria", "follow_up", "reviews"))
        _refuse_lint_errors(plan_path, edit, settings, catalogue)
        edit.save()

    print(f"Closed {shown(plan_path)} on {when} ({reason}).")
    return 0


def _refuse_lint_errors(plan_path: str, edit: PlanEdit, settings: LintSettings, catalogue: Catalogue) -> None:
    """Lint the closed plan before writing it; its errors are named at the current file's lines
    (or as in the new discharge record), since that is where the clinician fixes them."""
    from tplan.linter import check_text

    new_text = edit.new_text()
    checked = check_text(new_text, plan_path, settings, catalogue)
    errors = [d for d in checked.result.diagnostics if d.severity is Severity.ERROR]
    if not errors:
        return
    first = errors[0]
    line = _old_line(edit.pf.text, new_text.replace("\r", "\n") if edit.pf.cr_only else new_text, first.line)
    where = f"{plan_path}:{line}:{first.column}: " if line else f"{plan_path} (in the new discharge record): "
    more = f" (and {len(errors) - 1} more: `tplan lint {plan_path}` lists them)" if len(errors) > 1 else ""
    raise TplanError(
        f"{where}{first.code} {first.message}{more}; a plan is closed only when it has no lint errors as a "
        "closed plan: fix this first; the file was not changed"
    )


def _old_line(old: str, new: str, line: int) -> int | None:
    """The line of the current file that line `line` of the edited text is, or None when it is one
    of the inserted lines."""
    if not line:
        return 0
    a, b = old.splitlines(), new.splitlines()
    for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if j1 < line <= j2:
            return i1 + (line - j1) if tag == "equal" else None
    return None
