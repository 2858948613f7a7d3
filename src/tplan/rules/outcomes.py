"""M5xx: measurement-based care — is the change the plan aims for, or reports, larger than noise?

The arithmetic (MCID, reliable change index, classes) lives in `tplan.outcomes`; these rules only
say where. They apply only to catalogue instruments whose published psychometrics give the value
they need (`tplan measures --details ID`): without an MCID M501 is silent, without a published
reliability basis M502 and M503 are.
"""

from __future__ import annotations

from collections.abc import Iterator

from tplan.attainment import measure_key
from tplan.diagnostics import Finding, Severity
from tplan.measures import fmt_number
from tplan.outcomes import Change, classify, instrument_of, mcid_gap, outcome, s_diff
from tplan.rules import standards
from tplan.rules.base import DRAFT_OR_CLOSED, RuleContext, collect, rule
from tplan.targets import absolute_target, is_improvement

INFO, WARN = Severity.INFO, Severity.WARNING


@rule("M501", "target-within-mcid", WARN)
def target_within_mcid(ctx: RuleContext) -> Iterator[Finding]:
    """The target asks for less change from baseline than the measure's minimal clinically important difference.

    ## Why it matters
    The MCID is the smallest change in a score that clients, on average, experience as a
    meaningful difference. A target closer to the baseline than that can be met without a change
    that matters to the client: PHQ-9's MCID is 5 points (Löwe et al. 2004, Med Care), so a goal
    from 12 to 10 can be "met" by a good week. (Whether a change is larger than measurement
    error is a different question, the reliable change that M502 and M503 use.) Joint Commission
    CTS.03.01.09 asks that outcome measures be used to revise the plan; a target that small
    cannot tell anyone whether to. `tplan measures --details ID` shows each
    instrument's MCID and its source; instruments without a published MCID are not checked.
    ## Example
    goals:
      - {id: G1, measure: PHQ-9, baseline: 12, target: "<= 10", deadline: 2026-09-01}
    ## Use instead
    goals:
      - {id: G1, measure: PHQ-9, baseline: 12, target: "<= 7", deadline: 2026-09-01}   # 5 points, the MCID
    """
    for path, item, _ in ctx.goals_and_objectives():
        inst = instrument_of(item, ctx.catalogue)
        if inst is None or inst.psychometrics.mcid is None or item.baseline is None or item.target is None:
            continue
        if ctx.unfilled(path + ("baseline",)) or ctx.unfilled(path + ("target",)):
            continue
        target = absolute_target(item.target, item.baseline, inst.better)
        if target is None or not is_improvement(target, float(item.baseline), inst.better):
            continue  # S105 reports a target that is no improvement
        gap = mcid_gap(item, target.value, inst)
        if gap is not None:
            mcid = inst.psychometrics.mcid.value
            yield Finding(
                path + ("target",),
                f"{item.id}'s target is {fmt_number(round(gap, 2))} point{'s' if gap != 1 else ''} from its baseline, "
                f"less than {inst.id}'s minimal clinically important difference of {fmt_number(mcid)}; "
                "a change this small may not be one the client notices as meaningful (`tplan measures --details " + inst.id + "`)",
            )


@rule("M502", "deterioration-not-reviewed", WARN, skip_status=DRAFT_OR_CLOSED, requirement=standards.PROGRESS)
def deterioration_not_reviewed(ctx: RuleContext) -> Iterator[Finding]:
    """A score shows reliable deterioration (from baseline or from the last review) and no review is recorded after it.

    ## Why it matters
    A reliable change index of −1.96 or worse (Jacobson & Truax 1991) means the client is worse by
    more than measurement error. Joint Commission CTS.03.01.09 asks that outcome data be used to
    revise the plan; a plan that carries on unchanged after a reliable deterioration has not done
    so. Recording a review (`tplan review`) after the score answers the finding. Only instruments
    with a published reliability basis are checked (`tplan measures --details ID`).
    ## Example
    goals:
      - {id: G1, measure: PCL-5, baseline: 40, target: "<= 28", deadline: 2026-09-01}
    progress:
      - {date: 2026-04-20, measure: PCL-5, score: 56, goals: [G1]}     # 16 points worse; no review since
    ## Use instead
    reviews:
      interval_days: 90
      history:
        - {date: 2026-04-27, summary: PCL-5 up 16 points, changes: Added stabilisation sessions.}
    """
    reviewed = [r.date for r in ctx.plan.reviews.history]
    for _path, item, _ in ctx.goals_and_objectives():
        inst = instrument_of(item, ctx.catalogue)
        if inst is None or s_diff(inst.psychometrics) is None:
            continue  # no published reliability basis: no judgement
        key = measure_key(item.measure, ctx.catalogue)
        ids = {item.id} | {o.id for o in getattr(item, "objectives", [])}
        entries = sorted(
            (
                (e.date, index, float(raw_score))
                for index, e in enumerate(ctx.plan.progress)
                if (raw_score := getattr(e, "score", None)) is not None
                and measure_key(e.measure, ctx.catalogue) == key
                and (not e.goals or ids & set(e.goals))
            ),
        )
        for date, index, score in entries:
            if any(r >= date for r in reviewed):
                continue  # a review was held after this score
            before_reviews = [r for r in reviewed if r < date]
            references = [("baseline", float(item.baseline))] if item.baseline is not None else []
            if before_reviews:
                last = max(before_reviews)
                at_review = [s for d, _, s in entries if d <= last]
                if at_review:
                    references.append((f"the last review ({last})", at_review[-1]))
            worse = [(name, ref) for name, ref in references if (o := classify(ref, score, inst)) and o.change_class is Change.DETERIORATED]
            if worse:
                name, ref = worse[0]
                yield Finding(
                    ("progress", index, "score"),
                    f"{inst.id} {fmt_number(score)} on {date} for {item.id} is a reliable deterioration from {name} "
                    f"({fmt_number(ref)}) and no review is recorded after it; review the plan and record it with `tplan review`",
                )
                break


@rule("M503", "met-without-reliable-change", INFO)
def met_without_reliable_change(ctx: RuleContext) -> Iterator[Finding]:
    """A goal is marked `met` although its change from baseline is not reliable.

    ## Why it matters
    A target can be reached by a change smaller than measurement error (Jacobson & Truax 1991):
    the goal looks met while the client may not have changed. Closing the goal on such a change
    is worth a second look — a confirming score, or a target beyond the noise. Only instruments
    with a published reliability basis are checked (`tplan measures --details ID`).
    ## Example
    goals:
      - {id: G1, measure: PHQ-9, baseline: 12, target: "<= 10", status: met, status_date: 2026-05-01}
    progress:
      - {date: 2026-04-27, measure: PHQ-9, score: 10, goals: [G1]}     # 2 points: not reliable
    ## Use instead
    goals:
      - {id: G1, measure: PHQ-9, baseline: 12, target: "<= 5", status: met, status_date: 2026-07-01}
    progress:
      - {date: 2026-06-29, measure: PHQ-9, score: 5, goals: [G1]}      # 7 points: reliable improvement
    """
    for path, item, _ in ctx.goals_and_objectives():
        if getattr(item, "status", None) != "met":
            continue
        result = outcome(item, ctx.plan, ctx.catalogue)
        if result is not None and result.change_class not in (Change.IMPROVED, Change.RECOVERED):
            yield Finding(
                path + ("status",),
                f"{item.id} is marked met, but its change from baseline ({fmt_number(result.first)} → "
                f"{fmt_number(result.last)}, RC {result.rc:+.2f}) is {result.change_class.value}",
            )


RULES = collect(globals())
