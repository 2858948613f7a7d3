"""Calendar arithmetic clinicians mean: "within three months" of 2 November is 2 February."""

from __future__ import annotations

import calendar
import datetime as _dt


def add_months(day: _dt.date, months: int) -> _dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def age_on(born: _dt.date, day: _dt.date) -> int:
    """Whole years of age on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
