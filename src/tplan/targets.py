"""Targets made absolute, measure lookups and goal attainment: the arithmetic rules and the
renderer share, so they always agree."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from tplan.measures import Catalogue, Instrument, fmt_number
from tplan.schema.values import Target, is_custom_measure

if TYPE_CHECKING:  # the lint path's fast route validates without building the models (issue 19)
    from tplan.schema.base import CustomMeasure


class MeasureInfo(NamedTuple):
    """What the checks need to know about a goal's measure, catalogue or custom. (A named tuple,
    as AbsoluteTarget: immutable, and made for every goal and objective a rule or the renderer
    looks at, at a third of a frozen dataclass's cost.)"""

    label: str
    direction: str | None  # "lower" | "higher" | None when unknown
    min: float | None
    max: float | None
    instrument: Instrument | None = None

    def in_range(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    @property
    def range_text(self) -> str:
        lo = "" if self.min is None else fmt_number(self.min)
        hi = "" if self.max is None else fmt_number(self.max)
        return f"{lo}–{hi}"


def measure_info(measure: str | CustomMeasure | None, catalogue: Catalogue) -> MeasureInfo | None:
    if measure is None:
        return None
    if is_custom_measure(measure):
        return MeasureInfo(measure.name, measure.direction, measure.min, measure.max)
    inst = catalogue.get(measure)
    if inst is None:
        return MeasureInfo(measure, None, None, None)
    return MeasureInfo(inst.id, inst.better, inst.min, inst.max, inst)


class AbsoluteTarget(NamedTuple):
    comparator: str  # <=, <, >=, >, ==
    value: float

    def met_by(self, score: float) -> bool:
        return _COMPARE[self.comparator](score, self.value)

    def __str__(self) -> str:
        return f"{self.comparator} {fmt_number(self.value)}"


_COMPARE: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq}


def absolute_target(target: Target, baseline: float | None, direction: str | None) -> AbsoluteTarget | None:
    """(comparator, value) for a target; None when that needs a baseline or direction we lack.

    A bare number means "reach this value" in the better direction; a relative target moves from
    the baseline, and its sign says which way ("-50%" → at most half the baseline).
    """
    if target.relative is not None:
        if baseline is None:
            return None
        change = baseline * target.value / 100 if target.relative == "percent" else target.value
        return AbsoluteTarget("<=" if target.value < 0 else ">=", baseline + change)
    if target.comparator is not None:
        return AbsoluteTarget(target.comparator, target.value)
    if direction is None:
        return None
    return AbsoluteTarget("<=" if direction == "lower" else ">=", target.value)


def is_improvement(target: AbsoluteTarget, baseline: float, direction: str) -> bool:
    """Whether reaching the target would mean change from the baseline in the better direction."""
    if direction == "lower":
        return target.comparator in ("<=", "<", "==") and target.value < baseline
    return target.comparator in (">=", ">", "==") and target.value > baseline
