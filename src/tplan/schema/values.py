"""The plan schema's values and validator functions, without pydantic.

The models in this package (tplan.schema.base, .goals, .care, ...) use these functions as their
validators, and the generated core schema (tplan.schema.core, the lint path's fast route)
refers to them by import path: this module must never define or import a pydantic model, so
that the lint path can validate a plan without building the model classes.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any, Literal, cast

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13

    from tplan.schema.base import CustomMeasure
    from tplan.schema.goals import Goal


class SafeValueError(ValueError):
    """A value error whose message tplan built from its own words and parsed numbers only (never
    the raw text), so lint output may show it as it is."""


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # not the week date 2026-W05-1, nor 20260126


def as_date(value: Any) -> _dt.date | None:
    """A YAML date, a datetime's day, or an ISO `YYYY-MM-DD` string as a date; None otherwise."""
    if value.__class__ is _dt.date:  # nearly always: the loader reads dates as dates
        return value
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
        if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
            raise ValueError(f"is not a real date: {_why_not_a_day(value.strip())}")
        raise ValueError("must be a date written as YYYY-MM-DD, e.g. 2026-03-02")
    return day


def _why_not_a_day(text: str) -> str:
    """Why a YYYY-MM-DD string names no day (2026-02-30), in words; the digits are tplan's format."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    import calendar

    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days, not {day}"


_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", re.ASCII)


def _language(value: Any) -> str:
    if isinstance(value, str) and _BCP47.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("must be a language tag such as en, es or pt-BR (BCP 47)")


_YEAR_MONTH = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def _onset(value: Any) -> _dt.date | str:
    """A full date, a year and month (`2025-07`) or a year alone (`2025`, which YAML reads as a number)."""
    if type(value) is int and 1900 <= value <= 2999:
        return str(value)
    if isinstance(value, str) and _YEAR_MONTH.match(value.strip()):
        return value.strip()
    try:
        return _date(value)
    except ValueError:
        raise ValueError("must be a date (YYYY-MM-DD), a year and month (YYYY-MM) or a year (YYYY)") from None


Number = int | float


def _number(value: Any) -> float | int:
    if value.__class__ is int or value.__class__ is float:  # the usual case, without isinstance calls
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a number")
    return value


Direction = Literal["lower", "higher"]

# ---- targets ---------------------------------------------------------------------------------

Comparator = Literal["<=", "<", ">=", ">", "=="]
_TARGET = re.compile(r"^\s*(<=|>=|==|<|>|=|≤|≥)?\s*([+-−]?\d+(?:\.\d+)?)\s*(%?)\s*$")
_UNICODE_COMPARATOR: dict[str, Comparator] = {"≤": "<=", "≥": ">=", "=": "=="}  # tplan itself prints ≤ and ≥


def _comparator(op: str | None) -> Comparator | None:
    """The ASCII comparator for what the target's pattern matched (None: a bare number)."""
    if op is None:
        return None
    return _UNICODE_COMPARATOR.get(op) or cast(Comparator, op)  # the pattern only matches comparators


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


# Targets parsed, by their text: a repository writes the same few ("<= 9", ">= 5") in every plan.
_TARGETS: dict[str, Target] = {}


def parse_target(value: Any) -> Target:
    if value.__class__ is str:
        known = _TARGETS.get(value)
        if known is None:
            known = _parse_target(value)
            if len(_TARGETS) >= 4096:
                _TARGETS.clear()
            _TARGETS[value] = known  # a Target is frozen: one object can stand for every copy
        return known
    return _parse_target(value)


def _parse_target(value: Any) -> Target:
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
            number = number.replace("−", "-")
            signed = number[0] in "+-"
            if percent and not signed:
                raise SafeValueError(_ambiguous_percent(number, op))
            if percent or (signed and not op):
                if op:
                    raise ValueError(_TARGET_HELP)
                return Target(value.strip(), None, float(number), "percent" if percent else "points")
            return Target(value.strip(), _comparator(op), float(number))
    raise ValueError(_TARGET_HELP)


def _ambiguous_percent(number: str, op: str | None) -> str:
    """An unsigned percentage has two readings; tplan guesses neither (a wrong guess marks goals met)."""
    shown = f"{op or ''}{number}%"
    absolute = f"{_comparator(op) or '>='} {number}"
    return (
        f"is ambiguous: '{shown}' could mean a score of {number} on a 0–100 scale (write \"{absolute}\") "
        f"or a change of {number}% from the baseline (write \"+{number}%\" or \"-{number}%\")"
    )


_TARGET_HELP = (
    'is not a target tplan understands; write a comparison such as "<= 13" or ">= 5" (≤ and ≥ work too), '
    'a change from baseline such as "-50%" or "+3", or a plain number'
)


def _measure_kind(value: Any) -> str:
    return "custom" if isinstance(value, dict) else "catalogue"


GAS_LEVELS = (-2, -1, 0, 1, 2)


def _gas_level(value: Any) -> int:
    """A GAS level as written: -2…+2, as a number or quoted text ("+1"); YAML reads `+1:` as 1."""
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d", value.strip()):
        value = int(value.strip())
    if type(value) is int and value in GAS_LEVELS:
        return value
    raise ValueError('must be a level from -2 to +2 ("-2", "-1", "0", "+1", "+2")')


# ---- validators and behaviour of the models (shared by the models and the fast path) -----------


def as_text(value: Any) -> Any:
    """A changed value as written: numbers and dates become text (`from: 2026-09-01` stays readable)."""
    if isinstance(value, (_dt.date, int, float)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    return value


def score_or_note(entry: Any) -> Any:
    """A progress entry is a score on a measure (both keys) or a narrative note."""
    if (entry.measure is None) != (entry.score is None):
        raise ValueError("a score needs both 'measure' and 'score'; a narrative entry has a 'note' and neither")
    if entry.measure is None and not entry.note:
        raise ValueError("needs a 'measure' and 'score', or a 'note'")
    return entry


def split_extensions(cls: Any, data: Any, handler: Any) -> Any:
    """Top-level `x-` keys are the extension escape hatch: set aside before validation."""
    extensions: dict[str, Any] = {}
    if isinstance(data, dict) and _has_extension_key(data):
        extensions = {k: v for k, v in data.items() if isinstance(k, str) and k.startswith("x-")}
        data = {k: v for k, v in data.items() if k not in extensions}
    plan = handler(data)
    plan._extensions = extensions
    return plan


def _has_extension_key(data: dict[Any, Any]) -> bool:
    """Whether any key is text starting with `x-`: tested in C (map) when every key is text."""
    try:
        return any(map(str.startswith, data, repeat("x-")))
    except TypeError:  # a key that is not text (only data not read by tplan's loader has one)
        return any(isinstance(k, str) and k.startswith("x-") for k in data)


class PlanMixin:
    """Plan's behaviour beyond its fields (the model and the fast path's plain class share it).
    The mixins declare the fields they read for type checkers only: pydantic must not see them."""

    __slots__ = ()
    if TYPE_CHECKING:
        _extensions: dict[str, Any]

    @property
    def extensions(self) -> dict[str, Any]:
        """The plan's top-level `x-` keys and their values."""
        return self._extensions


class ProgressEntryMixin:
    __slots__ = ()
    if TYPE_CHECKING:
        score: Any

    @property
    def narrative(self) -> bool:
        return self.score is None


class ClientMixin:
    __slots__ = ()
    if TYPE_CHECKING:
        emergency_contact: Any

    @property
    def emergency_contacts(self) -> list[Any]:
        """The emergency contacts as a list, however the plan wrote them."""
        contact = self.emergency_contact
        if contact is None:
            return []
        return contact if isinstance(contact, list) else [contact]


class GoalMixin:
    """A goal (not an objective), on either path: test with isinstance(item, GoalMixin)."""

    __slots__ = ()


class CustomMeasureMixin:
    """A custom measure (not a catalogue name), on either path: isinstance(m, CustomMeasureMixin)."""

    __slots__ = ()


def is_goal(item: object) -> TypeIs[Goal]:
    """A goal, not an objective: a model or the fast path's plain Goal."""
    return isinstance(item, GoalMixin)


def is_custom_measure(measure: object) -> TypeIs[CustomMeasure]:
    """A custom measure, not a catalogue name: a model or the fast path's plain CustomMeasure."""
    return isinstance(measure, CustomMeasureMixin)


MIXINS: dict[str, type] = {
    "Plan": PlanMixin,
    "ProgressEntry": ProgressEntryMixin,
    "Client": ClientMixin,
    "Goal": GoalMixin,
    "CustomMeasure": CustomMeasureMixin,
}
