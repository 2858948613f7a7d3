"""Is the change real? The reliable change index, the MCID and the outcome class, in one place.

`tplan status`, `tplan render`, `tplan report` and the M5xx rules all call `classify()` (or
`outcome()` for a goal), so they always agree. The method is Jacobson & Truax (1991, J Consult
Clin Psychol 59(1):12-19): RC = (x2 - x1) / S_diff with S_diff = sqrt(2) * SD * sqrt(1 - r), and a
change is reliable when |RC| reaches 1.96. Here RC is signed so that a positive RC is an
improvement whatever the measure's better direction (lower for PHQ-9, higher for WHO-5).

S_diff comes from the catalogue, in this order: a reference SD with a reliability coefficient; a
published standard error of measurement (S_diff = sqrt(2) * SEM); a published smallest reliable
change in points (S_diff = points / 1.96, so a change of exactly that many points is reliable).
An instrument with none of these gets no classification: tplan never guesses a psychometric value.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from tplan.measures import Catalogue, Instrument, Psychometrics

if TYPE_CHECKING:  # the lint path's fast route validates without building the models (issue 19)
    from tplan.attainment import Score
    from tplan.schema.goals import Goal, Objective
    from tplan.schema.plan import Plan

CRITICAL = 1.96  # two-tailed p < .05; Jacobson & Truax 1991
_EPS = 1e-9  # so that a change landing exactly on ±1.96 counts as reliable despite float rounding


class Change(str, Enum):
    RECOVERED = "recovered"
    IMPROVED = "reliable improvement"
    NO_CHANGE = "no reliable change"
    DETERIORATED = "reliable deterioration"


@dataclass(frozen=True)
class Outcome:
    """One change from a first to a later score on an instrument."""

    first: float
    last: float
    change: float  # last - first, in the instrument's points
    rc: float  # reliable change index, + = better
    change_class: Change

    @property
    def reliable(self) -> bool:
        return self.change_class is not Change.NO_CHANGE


def s_diff(p: Psychometrics) -> float | None:
    """The standard error of the difference between two scores, or None when nothing published gives it."""
    if p.sd is not None and p.reliability is not None:
        return math.sqrt(2) * p.sd.value * math.sqrt(1 - p.reliability.value)
    if p.sem is not None:
        return math.sqrt(2) * p.sem.value
    if p.reliable_change is not None:
        return p.reliable_change.value / CRITICAL
    return None


def basis(p: Psychometrics) -> str | None:
    """Which published values S_diff comes from, in words (for `tplan measures --details` and docs)."""
    if p.sd is not None and p.reliability is not None:
        return "the reference SD and reliability"
    if p.sem is not None:
        return "the standard error of measurement"
    if p.reliable_change is not None:
        return "the published reliable change"
    return None


def reliable_change_points(p: Psychometrics) -> float | None:
    """The smallest change in points that is reliable (1.96 × S_diff), for display."""
    sd = s_diff(p)
    return None if sd is None else CRITICAL * sd


def rci(first: float, last: float, sdiff: float, better: str) -> float:
    """Jacobson & Truax's RC, signed so that + is an improvement."""
    raw = (last - first) / sdiff
    return -raw if better == "lower" else raw


def classify(first: float, last: float, inst: Instrument) -> Outcome | None:
    """The class of a change from `first` to `last` on `inst`, or None without a published S_diff.

    recovered: a reliable improvement that ends in the non-clinical range (the catalogue's clinical
    cut-off); without a cut-off a reliable improvement is never called recovered.
    """
    p = inst.psychometrics
    sdiff = s_diff(p)
    if sdiff is None or sdiff <= 0:
        return None
    rc = rci(first, last, sdiff, inst.better)
    if rc >= CRITICAL - _EPS:
        recovered = p.cutoff is not None and p.cutoff.non_clinical(last)
        cls = Change.RECOVERED if recovered else Change.IMPROVED
    elif rc <= -CRITICAL + _EPS:
        cls = Change.DETERIORATED
    else:
        cls = Change.NO_CHANGE
    return Outcome(first, last, last - first, rc, cls)


def instrument_of(item: Goal | Objective, catalogue: Catalogue) -> Instrument | None:
    """The catalogue instrument a goal or objective is measured on (custom measures have none)."""
    return catalogue.get(item.measure) if isinstance(item.measure, str) else None


def outcome(item: Goal | Objective, plan: Plan, catalogue: Catalogue, scores: tuple[Score, ...] | None = None) -> Outcome | None:
    """Baseline → latest score of a goal or objective, classified; None when there is nothing to judge
    (no catalogue instrument with published psychometrics, no baseline, or no score yet). `scores`:
    the item's (`scores_for`), when the caller has them already (its attainment's)."""
    inst = instrument_of(item, catalogue)
    if inst is None or item.baseline is None:
        return None
    if scores is None:
        from tplan.attainment import scores_for  # (attainment imports this module)

        scores = scores_for(item, plan, catalogue)
    if not scores:
        return None
    return classify(float(item.baseline), scores[-1].value, inst)


def mcid_gap(item: Goal | Objective, target_value: float, inst: Instrument) -> float | None:
    """How far the target is from the baseline, when that is less than the instrument's MCID."""
    mcid = inst.psychometrics.mcid
    if mcid is None or item.baseline is None:
        return None
    distance = abs(target_value - float(item.baseline))
    return distance if distance < mcid.value - _EPS else None


def last_review(plan: Plan) -> _dt.date | None:
    """The date of the latest recorded review, if any."""
    dates = [r.date for r in plan.reviews.history]
    return max(dates) if dates else None
