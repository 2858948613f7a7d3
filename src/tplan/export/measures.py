"""A plan's measure as FHIR: the code (LOINC where the catalogue has a verified one, text
otherwise), quantities in the measure's unit, and the GAS levels as LOINC answer codes."""

from __future__ import annotations

from tplan.export.codes import GAS_ANSWERS, GAS_LOINC, GAS_LOINC_DISPLAY, LOINC, UCUM, Resource, coding
from tplan.measures import Catalogue, fmt_number
from tplan.schema.base import CustomMeasure


def is_gas(measure: str | CustomMeasure | None, catalogue: Catalogue) -> bool:
    """A Goal Attainment Scaling goal: `measure: GAS` (or its alias), scored on levels -2 … +2."""
    if not isinstance(measure, str):
        return False
    inst = catalogue.get(measure)
    return inst is not None and inst.id == "GAS"


def measure_concept(measure: str | CustomMeasure, catalogue: Catalogue) -> Resource:
    """Observation.code / Goal.target.measure. The LOINC code carries no display: the catalogue's
    name is not LOINC's display text, so it goes in `text`."""
    if is_gas(measure, catalogue):
        return {"coding": [coding(LOINC, GAS_LOINC, GAS_LOINC_DISPLAY)], "text": "Goal Attainment Scaling"}
    if isinstance(measure, CustomMeasure):
        return {"text": measure.name}
    inst = catalogue.get(measure)
    if inst is None:
        return {"text": measure}
    out: Resource = {}
    if inst.loinc:
        out["coding"] = [coding(LOINC, inst.loinc)]
    out["text"] = f"{inst.name} ({inst.id})"
    return out


def quantity(value: float, measure: str | CustomMeasure | None, catalogue: Catalogue) -> Resource:
    """A score in the measure's unit: instruments in UCUM's {score}, custom measures in their
    own unit (as text: 'nights/week' is not a UCUM code); no unit without a measure (a goal
    exported with --force despite S101)."""
    out: Resource = {"value": _number(value)}
    if measure is None:
        return out
    if isinstance(measure, CustomMeasure):
        if measure.unit:
            out["unit"] = measure.unit
        return out
    out.update({"unit": "score", "system": UCUM, "code": "{score}"})
    return out


def gas_level(value: float) -> int | None:
    """The GAS level of a score, or None when it is not one of -2 … +2."""
    level = int(value) if float(value).is_integer() else None
    return level if level in GAS_ANSWERS else None


def gas_concept(level: int) -> Resource:
    code, display = GAS_ANSWERS[level]
    return {"coding": [coding(LOINC, code, display)], "text": f"{level:+d}" if level else "0"}


def _number(value: float) -> int | float:
    """12 rather than 12.0, so the JSON reads as the plan does."""
    return int(value) if float(value).is_integer() else float(fmt_number(value))
