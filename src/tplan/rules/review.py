"""R3xx: the plan is a living document — measured, reviewed and revised on time.

Drafts skip every R3xx rule (they are not in force yet); closed plans skip the rules about keeping
care going (R301 review overdue, R304 no recent progress, R306 passed deadline without review).
All of them read "today" from `--today`, so CI runs are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterator

from tplan.attainment import Status, attainment
from tplan.diagnostics import Finding, Severity
from tplan.rules import standards
from tplan.rules.base import DRAFT, DRAFT_OR_CLOSED, RuleContext, collect, rule

ERR, WARN = Severity.ERROR, Severity.WARNING


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@rule("R301", "review-overdue", WARN, skip_status=DRAFT_OR_CLOSED, requirement=standards.REVIEW)
def review_overdue(ctx: RuleContext) -> Iterator[Finding]:
    """The plan's review is overdue: `reviews.next` is before today.

    ## Why it matters
    Treatment plans must be reviewed and revised at a set interval; Medicaid requires a review
    at least every 90 days (42 CFR 456.180) and surveyors check that reviews happen on time
    (Joint Commission CTS.03.01.03). Sessions after a missed review date may not be paid, and
    a plan nobody has looked at for months no longer describes the care. Closed plans and
    drafts are exempt.
    ## Example
    reviews:
      interval_days: 90
      next: 2026-06-01          # today is 2026-06-15, no review recorded
    ## Use instead
    Hold the review and record it, which moves `reviews.next` on by the interval:

    tplan review plans/TP-0042.yaml --summary "GAD-7 14 to 9; G1 met" --date 2026-06-15
    """
    due = ctx.plan.reviews.next
    if due is not None and due < ctx.today:
        yield Finding(
            ("reviews", "next"),
            f"review overdue by {_days((ctx.today - due).days)} (reviews.next is {due}); "
            "hold the review and record it with `tplan review`",
        )


@rule("R302", "no-next-review", ERR, skip_status=DRAFT_OR_CLOSED, requirement=standards.REVIEW)
def no_next_review(ctx: RuleContext) -> Iterator[Finding]:
    """An active plan has no `reviews.next` date.

    ## Why it matters
    Without a date for the next review nobody is reminded to hold it, and `tplan status` cannot
    tell the clinician or supervisor when the plan is due. Payers (42 CFR 456.180) and
    surveyors expect a planned review at a set interval (Joint Commission CTS.03.01.03).
    ## Example
    reviews:
      interval_days: 90
    ## Use instead
    reviews:
      interval_days: 90
      next: 2026-06-01          # created + interval_days
    """
    if ctx.plan.reviews.next is None:
        yield Finding(
            ("reviews", "next"),
            "active plan has no reviews.next; add the date of the next review "
            f"(usually created + interval_days, {ctx.plan.reviews.interval_days} days)",
        )


@rule("R303", "review-interval-too-long", WARN, skip_status=DRAFT, requirement=standards.REVIEW)
def review_interval_too_long(ctx: RuleContext) -> Iterator[Finding]:
    """`reviews.interval_days` is above the configured maximum (default 90 days).

    ## Why it matters
    Medicaid requires a plan of care to be reviewed at least every 90 days (42 CFR 456.180), and
    surveyors check reviews at the required time frames (Joint Commission CTS.03.01.03). A longer interval schedules every future
    review too late. A clinic with a different rule sets `max-review-interval-days` in its
    config.
    ## Example
    reviews:
      interval_days: 180
    ## Use instead
    reviews:
      interval_days: 90
    """
    interval, limit = ctx.plan.reviews.interval_days, ctx.limits.max_review_interval_days
    if interval > limit:
        yield Finding(
            ("reviews", "interval_days"),
            f"review interval of {_days(interval)} is longer than the maximum of {_days(limit)}",
        )


@rule("R304", "no-recent-progress", WARN, skip_status=DRAFT_OR_CLOSED, requirement=standards.PROGRESS)
def no_recent_progress(ctx: RuleContext) -> Iterator[Finding]:
    """An active plan has no progress entry in the last `interval_days`.

    ## Why it matters
    Goals are measurable so that progress can be measured: a plan with no scores recorded in a
    whole review interval cannot show whether treatment is working, and the review has nothing
    to judge it by. Surveyors look for progress monitored towards each goal (Joint Commission
    CTS.03.01.09). Plans younger than one interval are not checked yet.
    ## Example
    reviews: {interval_days: 90}
    progress:
      - {date: 2026-01-05, measure: PHQ-9, score: 15}      # today is 2026-06-01
    ## Use instead
    Record scores as they are taken:

    tplan progress add plans/TP-0042.yaml --measure PHQ-9 --score 11 --date 2026-05-28
    """
    plan, today = ctx.plan, ctx.today
    interval = plan.reviews.interval_days
    if (today - plan.created).days <= interval:
        return
    past = [(i, e.date) for i, e in enumerate(plan.progress) if e.date <= today]
    if not past:
        yield Finding(
            ("progress",),
            f"no progress recorded since the plan was created {_days((today - plan.created).days)} ago; "
            f"record a score at least every {_days(interval)} with `tplan progress add`",
        )
        return
    index, latest = max(past, key=lambda p: (p[1], p[0]))
    if (today - latest).days > interval:
        yield Finding(
            ("progress", index, "date"),
            f"no progress recorded in the last {_days(interval)} (latest entry: {latest}); "
            "record a score with `tplan progress add`",
        )


@rule("R305", "bad-entry-date", ERR, skip_status=DRAFT)
def bad_entry_date(ctx: RuleContext) -> Iterator[Finding]:
    """A progress or review entry is dated in the future, or progress entries are not in date order.

    ## Why it matters
    A score or review dated in the future is a typo (often the wrong month or year), and it makes
    the plan look measured or reviewed when it is not. Progress kept in date order reads as a
    timeline in a pull request and in the rendered plan; an entry out of order is usually a
    mistyped date.
    ## Example
    progress:
      - {date: 2026-04-10, measure: GAD-7, score: 12}
      - {date: 2026-03-27, measure: GAD-7, score: 11}
    ## Use instead
    progress:
      - {date: 2026-03-27, measure: GAD-7, score: 11}
      - {date: 2026-04-10, measure: GAD-7, score: 12}
    """
    plan, today = ctx.plan, ctx.today
    previous = None
    for i, entry in enumerate(plan.progress):
        if entry.date > today:
            yield Finding(("progress", i, "date"), f"progress entry dated {entry.date} is in the future (today is {today})")
        if previous is not None and entry.date < previous:
            yield Finding(
                ("progress", i, "date"),
                f"progress entry dated {entry.date} comes after one dated {previous}; keep progress in date order",
            )
        previous = entry.date
    for i, review in enumerate(plan.reviews.history):
        if review.date > today:
            yield Finding(
                ("reviews", "history", i, "date"),
                f"review dated {review.date} is in the future (today is {today}); plan the next review in reviews.next",
            )


@rule("R306", "deadline-passed-without-review", ERR, skip_status=DRAFT_OR_CLOSED, requirement=standards.REVIEW)
def deadline_passed_without_review(ctx: RuleContext) -> Iterator[Finding]:
    """A goal's deadline has passed, the plan has not been reviewed since, and the review is due.

    ## Why it matters
    When a goal's date comes, the plan has to say what happened: met, carried on with a new
    date, or changed. Until a review records that, the plan promises care against a goal that
    has expired, which surveyors cite (Joint Commission CTS.03.01.03; Medicaid's review
    requirement, 42 CFR 456.180). The review that records it is the one planned in
    `reviews.next`: between a deadline and that review the finding is an info saying when the
    review is due (templates put short-term deadlines a week before the first review, and a
    new plan must not fail CI for that week). Goals whose `status` is no longer `active` (met,
    revised, discontinued…) have already been dealt with and never trigger it.
    ## Example
    goals:
      - {id: G1, deadline: 2026-05-25}     # today is 2026-06-10
    reviews:
      history: []
    ## Use instead
    Review the plan on or after the deadline and record it, then update or close the goal:

    tplan review plans/TP-0042.yaml --summary "G1 met: GAD-7 14 to 8" --date 2026-05-27
    """
    plan, today = ctx.plan, ctx.today
    reviewed = [r.date for r in plan.reviews.history if r.date <= today]
    last_review = max(reviewed, default=None)
    due = plan.reviews.next
    for i, goal in enumerate(plan.goals):
        if goal.status != "active" or goal.deadline is None or goal.deadline >= today:
            continue
        if last_review is not None and last_review >= goal.deadline:
            continue
        met = attainment(goal, plan, ctx.catalogue, today).status is Status.MET
        passed = f"goal {goal.id}'s deadline {goal.deadline} has passed ({'met' if met else 'not met'})"
        if due is not None and due > today:
            yield Finding(
                ("goals", i, "deadline"),
                f"{passed}; record it at the review due {due} (tplan review --goal {goal.id} --status …)",
                severity=Severity.INFO,
            )
            continue
        yield Finding(
            ("goals", i, "deadline"),
            f"{passed} and the plan has not been reviewed since; record a review and update the goal",
        )


RULES = collect(globals())
