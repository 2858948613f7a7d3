"""Progress charts as plain geometry: scores over time against the target, ready for an SVG
template. No text from the plan is placed here; the template escapes the labels it adds.

The x axis runs from the plan's start (where the baseline is plotted) to the later of the deadline
and the last score; the y axis covers the instrument's whole range when it is known, so a change
looks as large as it clinically is.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass

from tplan.measures import fmt_number

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 18, 40


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "13 on 2026-09-07": the text alternative of this point


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    points: tuple[Point, ...]  # scores, oldest first
    baseline: Point | None
    line: str  # polyline points "x,y x,y" through baseline and scores
    target_y: float | None
    target_band: tuple[float, float] | None  # (y, height) of the area that meets the target
    deadline_x: float | None
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    mcid_band: tuple[float, float] | None = None  # (y, height): baseline ± the measure's MCID (issue 17)


def nice_ticks(lo: float, hi: float, max_intervals: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]: the finest step of 1, 2, 2.5 or 5 times a power of ten
    that needs no more than `max_intervals` intervals (0–27 → every 5, 0–100 → every 20)."""
    span = hi - lo
    top = math.floor(math.log10(span))
    steps = [m * 10.0**k for k in range(top - 2, top + 2) for m in (1, 2, 2.5, 5)]
    step = next(s for s in steps if span / s <= max_intervals)
    out, value = [], math.ceil(lo / step) * step
    while value <= hi + step * 1e-9:
        out.append(round(value, 10))
        value += step
    return out


def progress_chart(
    scores: list[tuple[_dt.date, float]],
    start: _dt.date,
    baseline: float | None,
    target: tuple[str, float] | None,  # (comparator, value), already absolute
    deadline: _dt.date | None,
    value_range: tuple[float | None, float | None],
    mcid: float | None = None,
) -> Chart:
    dates = [d for d, _ in scores] + [start] + ([deadline] if deadline else [])
    d0, d1 = min(dates), max(dates)
    if d1 == d0:
        d1 = d0 + _dt.timedelta(days=1)

    values = [v for _, v in scores] + ([baseline] if baseline is not None else []) + ([target[1]] if target else [])
    lo, hi = value_range
    if lo is None or hi is None:
        pad = (max(values) - min(values)) * 0.1 or 1
        lo = min(values) - pad if lo is None else lo
        hi = max(values) + pad if hi is None else hi
        if value_range[0] is None and min(values) >= 0 and lo < 0:
            lo = 0
    if hi == lo:
        hi = lo + 1

    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def x(day: _dt.date) -> float:
        return round(left + (right - left) * (day - d0).days / (d1 - d0).days, 1)

    def y(value: float) -> float:
        value = min(max(value, lo), hi)
        return round(bottom - (bottom - top) * (value - lo) / (hi - lo), 1)

    points = tuple(Point(x(d), y(v), f"{fmt_number(v)} on {d.isoformat()}") for d, v in scores)
    base = Point(x(start), y(baseline), f"baseline {fmt_number(baseline)} on {start.isoformat()}") if baseline is not None else None
    line = " ".join(f"{p.x},{p.y}" for p in ((base,) if base else ()) + points)

    target_y = band = None
    if target is not None:
        target_y = y(target[1])
        if target[0] in ("<=", "<"):
            band = (target_y, round(bottom - target_y, 1))
        elif target[0] in (">=", ">"):
            band = (top, round(target_y - top, 1))

    x_dates = sorted({d0, d1, *(d for d, _ in scores)})
    x_ticks = _spread([Tick(x(d), d.isoformat()) for d in x_dates])
    y_ticks = tuple(Tick(y(v), fmt_number(v)) for v in nice_ticks(lo, hi))
    mcid_band = None
    if mcid is not None and baseline is not None:  # the change that is too small to matter, around the baseline
        upper, lower = y(baseline + mcid), y(baseline - mcid)
        mcid_band = (upper, round(lower - upper, 1))
    return Chart(
        WIDTH, HEIGHT, left, right, top, bottom, points, base, line, target_y, band,
        x(deadline) if deadline else None, y_ticks, x_ticks, mcid_band,
    )


def _spread(ticks: list[Tick], label_width: float = 66, pad: float = 8) -> tuple[Tick, ...]:
    """Drop date labels that would overlap, always keeping the first and the last. The first label
    is drawn to the right of its tick, the last to the left, the others centred."""
    if len(ticks) <= 2:
        return tuple(ticks)
    edge, middle = 1.5 * label_width + pad, label_width + pad
    kept = [ticks[0]]
    for tick in ticks[1:-1]:
        after = edge if len(kept) == 1 else middle
        if tick.pos - kept[-1].pos >= after and ticks[-1].pos - tick.pos >= edge:
            kept.append(tick)
    kept.append(ticks[-1])
    return tuple(kept)
