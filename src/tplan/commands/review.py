"""`tplan review`: record a plan review in `reviews.history` and schedule the next one.

The entry is inserted in date order, `reviews.next` moves to the latest review's date plus
`reviews.interval_days` (unless `--next` says otherwise) and `updated` moves to the review date
(never backwards). Nothing is written unless the plan passes the schema first.
"""

from __future__ import annotations

import datetime as _dt

from tplan.config import project_settings
from tplan.edit import PlanEdit, check_option_text, editing, shown
from tplan.measures import load_catalogue
from tplan.errors import TplanError


def run_review(
    plan_path: str,
    summary: str,
    changes: str | None = None,
    date: _dt.date | None = None,
    next_review: _dt.date | None = None,
    today: _dt.date | None = None,
) -> int:
    today = today or _dt.date.today()
    when = date or today
    if not summary.strip():
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

    with editing(plan_path, load_catalogue(project_settings().measures_file)) as pf:
        reviews = pf.plan.reviews
        latest = max([r.date for r in reviews.history] + [when])
        upcoming = next_review or latest + _dt.timedelta(days=reviews.interval_days)
        if upcoming <= when:
            raise TplanError(f"--next {upcoming} must be after the review date {when}")

        entry: dict = {"date": when, "summary": summary.strip()}
        if changes is not None:
            entry["changes"] = changes.strip()
        index = sum(1 for r in reviews.history if r.date <= when)
        edit = PlanEdit(pf)
        if reviews.next != upcoming:  # before the history, so a new `next:` key lands above it
            edit.set_value(("reviews", "next"), upcoming, after="interval_days")
        edit.insert_item(("reviews", "history"), index, entry, new_style="block")
        if pf.plan.updated is None or pf.plan.updated < when:
            edit.set_value(("updated",), when, after="created")
        edit.save()

    days = (upcoming - today).days
    print(f"Recorded the review of {when} in {shown(plan_path)}; next review {upcoming} (in {days} days).")
    return 0
