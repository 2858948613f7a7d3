"""`tplan status`: the caseload at a glance — who is due for review, how each goal is doing.

One row per plan: id, client initials (never the full name), status, next review (due in N days /
overdue by N days), each goal's latest score against its target with the trend, and the linter's
finding counts. Goal status and trend come from `tplan.attainment`, the same function the render
and the review rules use. Rows are sorted by urgency: plans that cannot be read, then active
plans by how soon (or how long ago) their review is due, then drafts, then closed plans.

Along the episode of care it also shows each goal's and objective's review status (met, revised…,
with its date), the changes reviews made (date, field, from → to), a GAS goal's current level, how
many narrative session notes there are, and a closed plan's discharge (date and reason). Reasons,
notes and summaries are the plan's free text and stay in the plan and the rendered document.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from tplan.attainment import Score, Scored, Status, attainment, scored_progress
from tplan.config import project_settings
from tplan.diagnostics import FileResult, Severity
from tplan.fanout import collector_paused
from tplan.linter import LintSettings, check_text, discover
from tplan.loader import LoadError
from tplan.measures import Catalogue, fmt_number, load_catalogue
from tplan.names import initials

if TYPE_CHECKING:  # the plans come from the fast route (tplan.schema.core): the same fields, no model classes
    from tplan.schema.goals import Goal
    from tplan.schema.plan import Plan

# The conventional GAS level names: the scale's words, never the plan's.
GAS_NAMES = {-2: "much less than expected", -1: "somewhat less than expected", 0: "expected outcome",
             1: "somewhat more than expected", 2: "much more than expected"}

SORTS = ("urgency", "id")
FORMATS = ("table", "json")


@dataclass
class GoalRow:
    id: str
    measure: str | None
    latest: float | None
    latest_date: str | None
    target: str | None
    status: str
    trend: str
    change: str | None = None  # reliable improvement / no reliable change / … (tplan.outcomes), when assessable
    review_status: str = "active"  # the goal's `status` as decided at review
    status_date: str | None = None
    level: str | None = None  # a GAS goal's latest level, "-2" … "+2"
    level_name: str | None = None
    objectives: list[dict[str, str | None]] = field(default_factory=list)  # {id, review_status, status_date}
    changes: list[dict[str, str | None]] = field(default_factory=list)  # {date, item, field, from, to}, oldest first


@dataclass
class PlanRow:
    file: str
    id: str | None
    client: str
    status: str  # draft | active | closed, or "unreadable" / "invalid" when it cannot be judged
    next_review: str | None
    days_until_review: int | None
    review: str
    goals: list[GoalRow] = field(default_factory=list)
    findings: dict[str, int] = field(default_factory=dict)
    problem: str | None = None  # why the plan could not be read or judged
    notes: int = 0  # narrative progress entries (a note without a score)
    last_note: str | None = None
    discharge: dict[str, str] | None = None  # {date, reason} on a closed plan


def review_text(days: int | None) -> str:
    if days is None:
        return "no date set"
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def _counts(result: FileResult) -> dict[str, int]:
    return {s.value: sum(1 for d in result.diagnostics if d.severity is s) for s in Severity}


@collector_paused
def plan_row(file: str, settings: LintSettings, catalogue: Catalogue) -> PlanRow:
    from tplan.reading import read_plan_text

    try:
        text = read_plan_text(file, settings.limits)
        checked = check_text(text, file, settings, catalogue, fast=True)  # one parse, one validation
    except LoadError as exc:
        where = f" at line {exc.line}" if exc.line else ""
        return _problem_row(file, "unreadable", f"{exc.code}{where}: {exc.message}")
    data, plan = checked.doc.data, checked.plan
    counts = _counts(checked.result)
    client = data.get("client") if isinstance(data.get("client"), dict) else {}
    plan_id = data.get("id") if isinstance(data.get("id"), str) else None
    if plan is None:
        row = _problem_row(file, "invalid", "fails the schema; run `tplan lint` on it", counts)
        row.id, row.client = plan_id, initials(client.get("name"))
        return row
    days = (plan.reviews.next - settings.today).days if plan.reviews.next else None
    scored = scored_progress(plan, catalogue)  # once for all the plan's goals
    return PlanRow(
        file=file,
        id=plan.id,
        client=initials(plan.client.name),
        status=plan.status,
        next_review=plan.reviews.next.isoformat() if plan.reviews.next else None,
        days_until_review=days,
        review=review_text(days) if plan.status != "closed" else "closed",
        goals=[_goal_row(goal, plan, catalogue, settings.today, scored) for goal in plan.goals],
        findings=counts,
        notes=len(notes := [p for p in plan.progress if p.narrative]),
        last_note=max(p.date for p in notes).isoformat() if notes else None,
        discharge={"date": plan.discharge.date.isoformat(), "reason": plan.discharge.reason} if plan.discharge else None,
    )


def _goal_row(goal: Goal, plan: Plan, catalogue: Catalogue, today: _dt.date, scored: Scored | None = None) -> GoalRow:
    result = attainment(goal, plan, catalogue, today, scored)
    latest = result.latest
    measure = result.measure.label if result.measure else None
    level = _level(goal, latest)
    return GoalRow(
        id=goal.id,
        measure=measure,
        latest=(int(latest.value) if latest.value.is_integer() else latest.value) if latest else None,
        latest_date=latest.date.isoformat() if latest else None,
        target=str(result.target) if result.target else None,
        status=result.status.value,
        trend=result.trend.value,
        change=change_text(goal, plan, catalogue, result.scores),
        review_status=goal.status,
        status_date=goal.status_date.isoformat() if goal.status_date else None,
        level=level,
        level_name=GAS_NAMES.get(int(latest.value)) if level and latest else None,
        objectives=[
            {"id": o.id, "review_status": o.status, "status_date": o.status_date.isoformat() if o.status_date else None}
            for o in goal.objectives
        ],
        changes=_changes(goal),
    )


def change_text(goal: Goal, plan: Plan, catalogue: Catalogue, scores: tuple[Score, ...] | None = None) -> str | None:
    """The goal's outcome class from baseline to its latest score (tplan.outcomes), or None;
    `scores`: the goal's, when its attainment has them already."""
    from tplan.outcomes import outcome

    result = outcome(goal, plan, catalogue, scores)
    return result.change_class.value if result else None


def _level(goal: Goal, latest: Score | None) -> str | None:
    """The latest score as a GAS level ("+1"), for a GAS goal scored on a whole level."""
    gas = isinstance(goal.measure, str) and goal.measure.strip().upper() == "GAS"
    if not gas or latest is None or latest.value not in GAS_NAMES:
        return None
    value = int(latest.value)
    return f"+{value}" if value > 0 else str(value)


def _changes(goal: Goal) -> list[dict[str, str | None]]:
    """Review changes to the goal and its objectives, oldest first; the reasons stay in the plan."""
    items = [(goal.id, c) for c in goal.changes] + [(o.id, c) for o in goal.objectives for c in o.changes]
    return [
        {"date": c.date.isoformat(), "item": ident, "field": c.field, "from": c.from_, "to": c.to}
        for ident, c in sorted(items, key=lambda pair: pair[1].date)
    ]


def _problem_row(file: str, status: str, problem: str, counts: dict[str, int] | None = None) -> PlanRow:
    return PlanRow(
        file=file, id=None, client="?", status=status, next_review=None, days_until_review=None,
        review="—", findings=counts or {"error": 1, "warning": 0, "info": 0}, problem=problem,
    )


_GROUP = {"unreadable": 0, "invalid": 0, "active": 2, "draft": 3, "closed": 4}
_WEAK = {Status.OVERDUE.value, Status.BEHIND.value}


def urgency(row: PlanRow) -> tuple[int, int, int, int, str]:
    """Unreadable plans first (nothing about them can be trusted), then active plans whose review
    is overdue or unscheduled, then active plans by days until review, then drafts, then closed."""
    group = _GROUP.get(row.status, 1)
    days = row.days_until_review
    if row.status == "active" and (days is None or days < 0):
        group = 1
    weak = sum(1 for g in row.goals if g.status in _WEAK)
    return (group, days if days is not None else -10**6, -weak, -row.findings.get("error", 0), row.id or row.file)


def collect_rows(paths: list[str], today: _dt.date, jobs: int | None = None) -> list[PlanRow]:
    """A row per plan found under `paths`, in file order; a big folder is read by worker
    processes (one per core unless `jobs` or the config's `jobs` says otherwise), as `tplan lint` does."""
    from tplan.commands.one_plan import per_plan
    from tplan.fanout import map_files

    settings = per_plan(project_settings(today))  # a row counts the plan's own findings only
    files, problems = discover(paths, settings)
    catalogue = load_catalogue(settings.measures_file)
    rows = map_files(plan_row, files, (settings, catalogue), jobs if jobs is not None else settings.jobs)
    for result in problems:
        d = result.diagnostics[0]
        rows.append(_problem_row(result.file, "unreadable", f"{d.code}: {d.message}"))
    return rows


def run_status(paths: list[str], today: _dt.date | None = None, fmt: str = "table", sort: str = "urgency", jobs: int | None = None) -> int:
    from tplan.errors import TplanError
    from tplan.fanout import checked_jobs

    checked_jobs(jobs)
    if fmt not in FORMATS:
        raise TplanError(f"--format must be {' or '.join(FORMATS)} (got '{fmt}')")
    if sort not in SORTS:
        raise TplanError(f"--sort must be {' or '.join(SORTS)} (got '{sort}')")
    today = today or _dt.date.today()
    rows = collect_rows(paths, today, jobs)
    rows.sort(key=urgency if sort == "urgency" else (lambda r: (r.id or r.file, r.file)))
    if fmt == "json":
        payload = {"today": today.isoformat(), "plans": [asdict(r) for r in rows]}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        print_table(rows, today)
    return 2 if any(r.status == "unreadable" for r in rows) else 0


def _goal_text(goal: GoalRow) -> str:
    measure = goal.measure or "no measure"
    if goal.latest is None:
        target = f", target {goal.target}" if goal.target else ""
        return f"{goal.id} {measure}: no scores yet{target} ({goal.status})" + _review_text(goal)
    target = f" → {goal.target}" if goal.target else ""
    latest = f"level {goal.level}" if goal.level else fmt_number(goal.latest)
    change = f", {goal.change}" if goal.change else ""
    return f"{goal.id} {measure}: {latest}{target} ({goal.status}, {goal.trend}{change})" + _review_text(goal)


def _review_text(goal: GoalRow) -> str:
    """" · met since 2026-06-08" for a goal no longer active; nothing for an active one."""
    if goal.review_status == "active":
        return ""
    return f" · {goal.review_status}" + (f" since {goal.status_date}" if goal.status_date else "")


def _detail_lines(goal: GoalRow) -> list[str]:
    """Under a goal: objectives that are no longer active, then each change a review made."""
    lines = [
        f"{o['id']} {o['review_status']}" + (f" since {o['status_date']}" if o["status_date"] else "")
        for o in goal.objectives if o["review_status"] != "active"
    ]
    lines += [f"{c['date']} {c['item']} {c['field']}: {c['from'] or '—'} → {c['to'] or '—'}" for c in goal.changes]
    return lines


def _episode_text(row: PlanRow) -> list[str]:
    """The plan's session notes and discharge, when it has them."""
    lines = [f"{row.notes} session note{'s' if row.notes != 1 else ''}, latest {row.last_note}"] if row.notes else []
    if row.discharge:
        lines.append(f"discharged {row.discharge['date']} ({row.discharge['reason']})")
    return lines


def _findings_text(counts: dict[str, int]) -> str:
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items() if n]
    return ", ".join(parts) if parts else "none"


def print_table(rows: list[PlanRow], today: _dt.date) -> None:
    """A rich table on a terminal; piped or redirected, plain lines that read well at any width."""
    if not sys.stdout.isatty():
        print_plain(rows, today)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Caseload on {today}: {len(rows)} plan{'s' if len(rows) != 1 else ''}", show_lines=True)
    for column in ("plan", "client", "status", "next review", "goals (latest → target)", "findings"):
        table.add_column(column, overflow="fold")
    for row in rows:
        late = row.status in ("unreadable", "invalid") or (row.status == "active" and (row.days_until_review is None or row.days_until_review < 0))
        review = row.review if row.next_review is None else f"{row.review}\n{row.next_review}"
        goals = row.problem if row.problem else "\n".join(
            [line for g in row.goals for line in [_goal_text(g)] + ["  " + d for d in _detail_lines(g)]] + _episode_text(row)
        )
        table.add_row(
            row.id or row.file,
            row.client,
            row.status,
            review,
            goals,
            _findings_text(row.findings),
            style="bold red" if late else None,
        )
    Console(highlight=False).print(table)


def print_plain(rows: list[PlanRow], today: _dt.date) -> None:
    """One line per plan (id, initials, status, review, findings), then one indented line per goal."""
    out = [f"Caseload on {today}: {len(rows)} plan{'s' if len(rows) != 1 else ''}"]
    for row in rows:
        review = row.review if row.next_review is None else f"{row.review} ({row.next_review})"
        out.append(f"{row.id or row.file}  {row.client}  {row.status}  {review}  findings: {_findings_text(row.findings)}")
        if row.problem:
            out.append(f"    {row.problem}")
            continue
        for g in row.goals:
            out += [f"    {_goal_text(g)}"] + [f"      {d}" for d in _detail_lines(g)]
        out += [f"    {line}" for line in _episode_text(row)]
    sys.stdout.write("\n".join(out) + "\n")
