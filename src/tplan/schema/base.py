"""Shared building blocks of the plan schema: strict models, dates, targets and measures."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Discriminator, PlainValidator, Tag, WithJsonSchema

from tplan.schema.values import (
    _BCP47,
    GAS_LEVELS,
    Comparator,
    CustomMeasureMixin,
    Direction,
    Number,
    SafeValueError,
    Target,
    _date,
    _gas_level,
    _language,
    _measure_kind,
    _number,
    _onset,
    as_date,
    parse_target,
)

# The values and validators live in tplan.schema.values (no models: the lint path's fast route
# uses them); the names other modules import from here stay importable from here.
__all__ = [
    "BCP47", "GAS_LEVELS", "Comparator", "CustomMeasure", "Direction", "GasLevel", "Measure", "Number", "Onset", "PlanDate",
    "SafeValueError", "Score", "Strict", "Target", "TargetField", "as_date", "parse_target",
]


class Strict(BaseModel):
    """Unknown keys are errors (typos must not pass silently); numbers typed where text is
    expected (an unquoted NPI or phone) are accepted as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


PlanDate = Annotated[_dt.date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]

BCP47 = Annotated[str, PlainValidator(_language), WithJsonSchema({"type": "string", "pattern": _BCP47.pattern})]

Onset = Annotated[
    _dt.date | str,
    PlainValidator(_onset),
    WithJsonSchema({"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]

Score = Annotated[Number, PlainValidator(_number), WithJsonSchema({"type": "number"})]

TargetField = Annotated[Target, PlainValidator(parse_target), WithJsonSchema({"type": ["string", "number"]})]

# ---- measures --------------------------------------------------------------------------------


class CustomMeasure(CustomMeasureMixin, Strict):
    """A measure that is not in the catalogue: the clinician says what is counted and which way is better."""

    name: str
    unit: str | None = None
    min: Score | None = None
    max: Score | None = None
    direction: Direction


Measure = Annotated[
    Annotated[str, Tag("catalogue")] | Annotated[CustomMeasure, Tag("custom")],
    Discriminator(_measure_kind),
]


# ---- Goal Attainment Scaling -------------------------------------------------------------------

GasLevel = Annotated[int, PlainValidator(_gas_level), WithJsonSchema({"type": ["string", "integer"]})]
