"""Shared building blocks of the plan schema: strict models, dates, targets and measures."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, PlainValidator, Tag, WithJsonSchema


class Strict(BaseModel):
    """Unknown keys are errors (typos must not pass silently); numbers typed where text is
    expected (an unquoted NPI or phone) are accepted as text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # not the week date 2026-W05-1, nor 20260126


def as_date(value: Any) -> _dt.date | None:
    """A YAML date, a datetime's day, or an ISO `YYYY-MM-DD` string as a date; None otherwise."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:  # 2026-02-30
            return None
    return None


def _date(value: Any) -> _dt.date:
    day = as_date(value)
    if day is None:
        raise ValueError("must be a date written as YYYY-MM-DD, e.g. 2026-03-02")
    return day


PlanDate = Annotated[_dt.date, PlainValidator(_date), WithJsonSchema({"type": "string", "format": "date"})]

_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _onset(value: Any) -> _dt.date | str:
    if isinstance(value, str) and _YEAR_MONTH.match(value.strip()):
        return value.strip()
    try:
        return _date(value)
    except ValueError:
        raise ValueError("must be a date (YYYY-MM-DD) or a year and month (YYYY-MM)") from None


Onset = Annotated[
    Union[_dt.date, str], PlainValidator(_onset), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"})
]

Number = Union[int, float]


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number")
    return value


Score = Annotated[Number, PlainValidator(_number), WithJsonSchema({"type": "number"})]

Direction = Literal["lower", "higher"]

# ---- targets ---------------------------------------------------------------------------------

Comparator = Literal["<=", "<", ">=", ">", "=="]
_TARGET = re.compile(r"^\s*(<=|>=|==|<|>|=)?\s*([+-]?\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True, slots=True)
class Target:
    """A target as written, parsed. `relative` targets ("-50%", "+3") need the baseline to become
    absolute; bare numbers need the measure's better direction. See `tplan.targets`."""

    raw: str
    comparator: Comparator | None  # None: a bare number ("reach this value")
    value: float
    relative: Literal["percent", "points"] | None = None

    def __str__(self) -> str:
        return self.raw


def parse_target(value: Any) -> Target:
    if isinstance(value, Target):
        return value
    if isinstance(value, bool):
        raise ValueError(_TARGET_HELP)
    if isinstance(value, (int, float)):
        return Target(str(value), None, float(value))
    if isinstance(value, str):
        match = _TARGET.match(value)
        if match:
            op, number, percent = match.groups()
            signed = number[0] in "+-"
            if percent or (signed and not op):
                if op:
                    raise ValueError(_TARGET_HELP)
                return Target(value.strip(), None, float(number), "percent" if percent else "points")
            return Target(value.strip(), "==" if op == "=" else op, float(number))
    raise ValueError(_TARGET_HELP)


_TARGET_HELP = (
    'is not a target tplan understands; write a comparison such as "<= 13" or ">= 5", '
    'a change from baseline such as "-50%" or "+3", or a plain number'
)

TargetField = Annotated[Target, PlainValidator(parse_target), WithJsonSchema({"type": ["string", "number"]})]

# ---- measures --------------------------------------------------------------------------------


class CustomMeasure(Strict):
    """A measure that is not in the catalogue: the clinician says what is counted and which way is better."""

    name: str
    unit: str | None = None
    min: Score | None = None
    max: Score | None = None
    direction: Direction


def _measure_kind(value: Any) -> str:
    return "custom" if isinstance(value, dict) else "catalogue"


Measure = Annotated[
    Union[Annotated[str, Tag("catalogue")], Annotated[CustomMeasure, Tag("custom")]],
    Discriminator(_measure_kind),
]
