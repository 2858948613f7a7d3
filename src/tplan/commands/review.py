"""`tplan review`: record a plan review in `reviews.history` and schedule the next one, and (with
--goal) change a goal's or objective's status, target or deadline.

The entry is inserted in date order, `reviews.next` moves to the latest review's date plus
`reviews.interval_days` (unless `--next` says otherwise) and `updated` moves to the review date
(never backwards). A goal change sets `status`/`status_date` or the new value in place and appends
one entry per changed field to the goal's `changes` ({date, field, from, to, reason}), so the
plan keeps its own history of what each review decided. Nothing is written unless the plan passes
the schema first.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass
from typing import Any, get_args

from tplan.config import project_settings
from tplan.edit import PlanEdit, PlanFile, check_not_before_created, check_option_text, editing, shown
from tplan.errors import TplanError
from tplan.measures import load_catalogue
from tplan.schema.goals import GoalStatus

GOAL_STATUSES: tuple[str, ...] = get_args(GoalStatus)


@dataclass(frozen=True)
class GoalChange:
    """What `--goal G1 --status met --reason …` asks for; None where an option is not given."""

    goal: str | None
    status: str | None = None
    target: str | None = None
    deadline: _dt.date | None = None
    reason: str | None = None

    def check(self) -> None:
        """Usage errors, before the plan is read."""
        if self.goal is None:
            raise TplanError("--status, --target, --deadline and --reason change a goal: name it with --goal, e.g. --goal G1")
        check_option_text("--goal", self.goal)
        check_option_text("--target", self.target)
        check_option_text("--reason", self.reason)
        if self.status is None and self.target is None and self.deadline is None:
            raise TplanError(f"--goal {self.goal}: say what changes, with --status, --target or --deadline")
        if self.reason is None or not self.reason.strip():
            raise TplanError(f"--goal {self.goal}: give --reason, why the goal changed (it is recorded under the goal's changes)")
        if self.status is not None and self.status not in GOAL_STATUSES:
            close = difflib.get_close_matches(self.status.casefold(), GOAL_STATUSES, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise TplanError(f"--status must be one of {', '.join(GOAL_STATUSES)}{hint}")
        if self.target is not None:
            from tplan.schema.base import parse_target

            try:
                parse_target(self.target.strip())
            except ValueError as exc:
                raise TplanError(f"--target: {exc}") from None


def run_review(
    plan_path: str,
    summary: str | None,
    changes: str | None = None,
    date: _dt.date | None = None,
    next_review: _dt.date | None = None,
    today: _dt.date | None = None,
    goal: GoalChange | None = None,
) -> int:
    today = today or _dt.date.today()
    when = date or today
    if summary is None and goal is None:
        raise TplanError('--summary is required: say in a sentence what the review found, e.g. "GAD-7 14 to 9; G1 met"')
    if summary is not None and not summary.strip():
        raise TplanError("--summary is empty; say in a sentence what the review found, e.g. \"GAD-7 14 to 9; G1 met\"")
    if changes is not None and not changes.strip():
        raise TplanError("--changes is empty; leave it out or say what changed in the plan")
    if when > today:
        raise TplanError(
            f"--date {when} is in the future (today is {today}); record a review once it has been held "
            "(the planned date belongs in reviews.next)"
        )
    check_option_text("--summary", summary)
    check_option_text("--changes", changes)
    if goal is not None:
        goal.check()

    with editing(plan_path, load_catalogue(project_settings().measures_file)) as pf:
        check_not_before_created(pf.plan, when, "check the year")
        reviews = pf.plan.reviews
        latest = max([r.date for r in reviews.history] + [when])
        upcoming = next_review or latest + _dt.timedelta(days=reviews.interval_days)
        if upcoming <= when:
            raise TplanError(f"--next {upcoming} must be after the review date {when}")

        edit = PlanEdit(pf)
        said = _change_goal(edit, goal, when) if goal is not None else []
        # A second goal changed at the same review (same date, no new --summary) adds no second entry.
        held = any(r.date == when for r in reviews.history)
        if summary is not None or changes is not None or not held:
            entry: dict[str, Any] = {"date": when, "summary": summary.strip() if summary is not None else "; ".join(said)}
            if changes is not None:
                entry["changes"] = changes.strip()
            if reviews.next != upcoming:  # before the history, so a new `next:` key lands above it
                edit.set_value(("reviews", "next"), upcoming, after="interval_days")
            index = sum(1 for r in reviews.history if r.date <= when)
            edit.insert_item(("reviews", "history"), index, entry, new_style="block")
        if pf.plan.updated is None or pf.plan.updated < when:
            edit.set_value(("updated",), when, after="created")
        edit.save()

    for line in said:
        print(f"{line}.")
    days = (upcoming - today).days
    print(f"Recorded the review of {when} in {shown(plan_path)}; next review {upcoming} (in {days} days).")
    return 0


def _find(pf: PlanFile, gid: str) -> tuple[tuple[str | int, ...], dict[str, Any]]:
    """The path and the data of the goal or objective with this id."""
    known = []
    for gi, goal in enumerate(pf.data["goals"]):
        known.append(goal.get("id"))
        if goal.get("id") == gid:
            return ("goals", gi), goal
        for oi, objective in enumerate(goal.get("objectives") or []):
            known.append(objective.get("id"))
            if objective.get("id") == gid:
                return ("goals", gi, "objectives", oi), objective
    raise TplanError(f"--goal {gid}: there is no goal or objective {gid} in this plan (it has {', '.join(map(str, known))})")


def _change_goal(edit: PlanEdit, change: GoalChange, when: _dt.date) -> list[str]:
    """Apply the change to the goal's lines and append it to its `changes`; the sentences that
    say what was done (ids, statuses, targets and dates only: no free text)."""
    gid, given_reason = change.goal, change.reason
    assert gid is not None and given_reason is not None  # GoalChange.check() requires both
    path, item = _find(edit.pf, gid)
    reason = given_reason.strip()
    recorded: list[dict[str, Any]] = []
    said: list[str] = []
    if change.status is not None:
        old = item.get("status", "active")
        if old == change.status:
            raise TplanError(f"--goal {gid} is already {old}; the file was not changed")
        edit.set_value((*path, "status"), change.status, after=("id",))
        edit.set_value((*path, "status_date"), when, after=("status", "id"))
        recorded.append({"date": when, "field": "status", "from": old, "to": change.status, "reason": reason})
        said.append(f"{gid} {change.status}")
    if change.target is not None:
        new = change.target.strip()
        old = item.get("target")
        if old is not None and str(old) == new:
            raise TplanError(f"--goal {gid}: the target is already {new}; the file was not changed")
        edit.set_value((*path, "target"), new, after=("baseline", "measure", "statement"))
        recorded.append(_change_entry(when, "target", old, new, reason))
        said.append(f"{gid} target {new}")
    if change.deadline is not None:
        if change.deadline <= edit.pf.plan.created:
            raise TplanError(
                f"--deadline {change.deadline} is not after the plan was created ({edit.pf.plan.created}); the file was not changed"
            )
        old = item.get("deadline")
        if old == change.deadline:
            raise TplanError(f"--goal {gid}: the deadline is already {old}; the file was not changed")
        edit.set_value((*path, "deadline"), change.deadline, after=("target", "baseline", "statement"))
        recorded.append(_change_entry(when, "deadline", old, change.deadline, reason))
        said.append(f"{gid} deadline {change.deadline}")
    existing = item.get("changes") or []
    edit.insert_items((*path, "changes"), len(existing), recorded, new_style="flow", before="objectives")
    return said


def _change_entry(when: _dt.date, field: str, old: object, new: object, reason: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": when, "field": field}
    if old is not None:
        entry["from"] = old
    entry["to"] = new
    entry["reason"] = reason
    return entry
