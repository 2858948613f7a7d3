"""`tplan progress add`: record a score, or a narrative note, in a plan's `progress:` list.

Everything is checked before the file is touched: the plan passes the schema, the measure is one
the plan's goals use (or a catalogue instrument its `assessments` list, for monitoring), the goals
named exist and use it, the score is inside the instrument's range and the date lies between the
plan's `created` and today. Then the entry is inserted in date order and `updated` moves to the
entry's date (never backwards).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Iterator
from typing import Any

from tplan.attainment import attainment, measure_key
from tplan.config import project_settings
from tplan.edit import PlanEdit, check_not_before_created, check_option_text, editing, shown
from tplan.errors import TplanError
from tplan.measures import Catalogue, load_catalogue
from tplan.schema.base import CustomMeasure
from tplan.schema.goals import Goal, Objective
from tplan.schema.plan import Plan
from tplan.targets import MeasureInfo, measure_info


def parse_score(text: str) -> int | float:
    """'12' → 12, '4.5' → 4.5; anything else is a usage error."""
    value = text.strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value):
        raise TplanError(f"--score must be a number, e.g. 12 or 4.5 (got '{text}')")
    number = float(value)
    return int(number) if re.fullmatch(r"[+-]?\d+", value) else number


def _items(plan: Plan) -> Iterator[Goal | Objective]:
    """Every goal, each followed by its objectives."""
    for goal in plan.goals:
        yield goal
        yield from goal.objectives


def _label(measure: str | CustomMeasure) -> str:
    return measure.name if isinstance(measure, CustomMeasure) else measure


def resolve_measure(plan: Plan, given: str, catalogue: Catalogue) -> tuple[str, list[MeasureInfo], list[Goal | Objective]]:
    """The measure as it is written in the entry, its range(s), and the items it measures.

    A catalogue instrument is written by its id (`phq9` → `PHQ-9`); a custom measure by its name
    as the plan spells it."""
    key = measure_key(given, catalogue)
    using = [item for item in _items(plan) if item.measure is not None and measure_key(item.measure, catalogue) == key]
    if using:
        measure = using[0].measure
        assert measure is not None  # `using` holds measured items only
        inst = catalogue.get(measure) if isinstance(measure, str) else None
        name = inst.id if inst is not None else _label(measure)
        infos = [measure_info(item.measure, catalogue) for item in using]
        return name, [i for i in infos if i is not None], using
    used = sorted({_label(item.measure) for item in _items(plan) if item.measure is not None}, key=str.casefold)
    listed = ", ".join(used) if used else "none"
    inst = catalogue.get(given)
    if inst is not None:
        # Monitoring: a catalogue instrument the plan assesses (e.g. CORE-10 monthly) but no goal
        # targets. Its scores count for no goal, so no --goal can take them.
        if any(measure_key(a.instrument, catalogue) == key for a in plan.assessments):
            info = measure_info(inst.id, catalogue)
            assert info is not None  # a catalogue instrument always has its info
            return inst.id, [info], []
        raise TplanError(
            f"{inst.id} is not the measure of any goal or objective in this plan (they use: {listed}); "
            "add it to a goal, or list it under assessments to record monitoring scores"
        )
    close = difflib.get_close_matches(given.casefold(), [u.casefold() for u in used] + [i.casefold() for i in catalogue.ids()], n=1, cutoff=0.6)
    hint = f"; did you mean '{_original(close[0], used + catalogue.ids())}'?" if close else ""
    raise TplanError(
        f"unknown measure '{given}': it is not in the catalogue (`tplan measures`) and no goal in this plan "
        f"uses it (they use: {listed}){hint}"
    )


def _original(folded: str, names: list[str]) -> str:
    return next(n for n in names if n.casefold() == folded)


def check_goals(plan: Plan, ids: list[str], using: list[Goal | Objective] | None, name: str | None) -> list[str]:
    """The goal/objective ids given, each checked to exist and (for a score, `using` not None) to
    use this measure."""
    known = {item.id: item for item in _items(plan)}
    measured = {item.id for item in using} if using is not None else set(known)  # attainment counts an entry only for items on its measure
    out: list[str] = []
    for gid in ids:
        if gid not in known:
            listing = ", ".join(known)
            raise TplanError(f"--goal {gid}: there is no goal or objective {gid} in this plan (it has {listing})")
        if gid not in measured:
            theirs = known[gid].measure
            what = f"is measured by {_label(theirs)}" if theirs is not None else "has no measure"
            raise TplanError(f"--goal {gid} {what}, not {name}; record the score for a goal that uses {name}")
        if gid not in out:
            out.append(gid)
    return out


def run_progress_add(
    plan_path: str,
    measure: str | None = None,
    score: str | None = None,
    date: _dt.date | None = None,
    goals: list[str] | None = None,
    note: str | None = None,
    today: _dt.date | None = None,
) -> int:
    """A score (--measure with --score, optionally --note) or a narrative entry (--note alone)."""
    today = today or _dt.date.today()
    when = date or today
    if (measure is None) != (score is None):
        given, missing = ("--measure", "--score") if score is None else ("--score", "--measure")
        raise TplanError(f"{given} needs {missing} too; or leave both out and give --note for a narrative entry")
    if measure is None and note is None:
        raise TplanError("give --measure and --score to record a score, or --note TEXT to record a narrative entry")
    if when > today:
        what = "scores once they are taken" if measure is not None else "notes once the session has been held"
        raise TplanError(f"--date {when} is in the future (today is {today}); record {what}")
    value = parse_score(score) if score is not None else None
    ids = [g.strip() for part in (goals or []) for g in part.split(",") if g.strip()]
    if note is not None and not note.strip():
        raise TplanError("--note is empty; leave it out or write the note")
    for option, text in (("--measure", measure), ("--note", note), *(("--goal", g) for g in ids)):
        check_option_text(option, text)

    catalogue = load_catalogue(project_settings().measures_file)
    with editing(plan_path, catalogue) as pf:
        check_not_before_created(pf.plan, when, "check the year")
        if measure is None:
            name = None
            using: list[Any] = []
            ids = check_goals(pf.plan, ids, None, None)
            entry: dict[str, Any] = {"date": when}
        else:
            name, infos, using = resolve_measure(pf.plan, measure, catalogue)
            assert value is not None  # --measure comes with --score (checked above)
            for info in infos:
                if not info.in_range(value):
                    raise TplanError(f"score {value} is outside {info.label}'s range {info.range_text}; the file was not changed")
            ids = check_goals(pf.plan, ids, using, name)
            entry = {"date": when, "measure": name, "score": value}
        if ids:
            entry["goals"] = ids
        if note is not None:
            entry["note"] = note.strip()
        index = sum(1 for e in pf.plan.progress if e.date <= when)
        edit = PlanEdit(pf)
        edit.insert_item(("progress",), index, entry, new_style="flow", before="reviews")
        if pf.plan.updated is None or pf.plan.updated < when:
            edit.set_value(("updated",), when, after="created")
        plan = edit.save()

    if name is None:
        print(f"Recorded a note on {when} in {shown(plan_path)}.")
        return 0
    print(f"Recorded {name} {value} on {when} in {shown(plan_path)}.")
    for item in using:
        if ids and item.id not in ids:
            continue
        result = attainment(item, plan, catalogue, today)
        target = f", target {result.target}" if result.target else ""
        print(f"  {item.id}: {result.status.value}{target}, {result.trend.value}")
    return 0
