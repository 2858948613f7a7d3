"""Property (issue 20): on the example plans, `progress add` with any valid score, date and note
changes the file by exactly the inserted entry line (and `updated:`, when it moves forward), and
the file then reads back, by ruamel's own loader, as the old data plus that entry."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import tempfile
from pathlib import Path

from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from test_edit import changes

from tplan.commands.progress import run_progress_add
from tplan.linter import validate
from tplan.loader import load_text
from tplan.measures import builtin_catalogue
from tplan.targets import measure_info

TODAY = dt.date(2026, 12, 1)
PLANS = {path.name: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.yaml"))}


def _measured(text: str) -> list[tuple[str, float, float]]:
    """(measure as given on the command line, min, max) for every goal and objective."""
    doc = load_text(text)
    plan, _ = validate(doc.data, doc)
    out = []
    for goal in plan.goals:
        for item in (goal, *goal.objectives):
            info = measure_info(item.measure, builtin_catalogue())
            if info is not None and info.min is not None and info.max is not None:
                out.append((info.label, info.min, info.max))
    return out


MEASURED = {name: _measured(text) for name, text in PLANS.items()}
CREATED = {name: load_text(text).data["created"] for name, text in PLANS.items()}
NOTE = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(lambda t: t.strip() != "")


@st.composite
def progress_entries(draw):
    name = draw(st.sampled_from(sorted(PLANS)))
    measure, low, high = draw(st.sampled_from(MEASURED[name]))
    whole = draw(st.booleans())
    score = draw(st.integers(int(low), int(high))) if whole else round(draw(st.floats(low, high)), 1)
    date = draw(st.dates(CREATED[name], TODAY))
    note = draw(st.none() | NOTE)
    return name, measure, score, date, note


@functools.cache
def _before(name: str) -> dict:
    """The example as ruamel's pure-Python safe load reads it: parsed once per example (~0.06 s
    each), not once per generated edit; the test deep-copies it and never changes it."""
    return YAML(typ="safe", pure=True).load(PLANS[name])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(progress_entries())
def test_an_edit_changes_exactly_the_inserted_lines(case):
    name, measure, score, date, note = case
    old = PLANS[name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(old, encoding="utf-8")
        assert run_progress_add(str(path), measure, str(score), date=date, note=note, today=TODAY) == 0
        new = path.read_text(encoding="utf-8")

    yaml = YAML(typ="safe", pure=True)
    before, after = _before(name), yaml.load(new)
    moves_updated = before["updated"] < date
    removed, added = changes(old, new)
    assert removed == ([f"updated: {before['updated']}\n"] if moves_updated else [])
    entry_lines = [line for line in added if not line.startswith("updated:")]
    assert len(entry_lines) == 1 and entry_lines[0].startswith("  - {")  # the examples' own flow style
    assert added == ([f"updated: {date}\n"] if moves_updated else []) + entry_lines

    entry = yaml.load(entry_lines[0])[0]
    assert entry["date"] == date and entry["score"] == score and entry["measure"] == measure
    assert entry.get("note") == (note.strip() if note is not None else None)
    expected = copy.deepcopy(before)
    index = sum(1 for e in before["progress"] if e["date"] <= date)
    expected["progress"].insert(index, entry)
    expected["updated"] = max(before["updated"], date)
    assert after == expected
