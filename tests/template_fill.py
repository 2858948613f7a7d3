"""Test helper: fill a scaffolded plan's placeholders the way a clinician would.

Each placeholder gets a realistic value of the right type: dates for dates, enum values for
enums, and for baselines a number within the measure's range that is clearly worse than the
goal's target (so S104/S105 have something real to check). Every person is invented.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re

from ruamel.yaml import YAML

from tplan.loader import PLACEHOLDER
from tplan.measures import Catalogue

_TARGET = re.compile(r"^\s*(<=|<|>=|>|==)\s*(-?\d+(?:\.\d+)?)\s*$")

# Whole-value placeholders in typed or enum fields: (last key, parent key) → value.
_BY_KEY = {
    ("id", None): "TP-TEST-0001",
    ("date_of_birth", "client"): dt.date(1990, 5, 6),
    ("level", "risk"): "low",
    ("code", None): "F43.23",
    ("severity", None): "moderate",
    ("modality", None): "CBT",
}
_PHRASES = (
    ("how long", "eight months"),
    ("how many", "three"),
    ("own words", "I want my evenings back"),
    ("credentials", "LMHC"),
    ("phone", "+1-555-0100"),
    ("email", "client@example.org"),
    ("relationship", "sister"),
    ("client name", "Test Person"),
    ("clinician name", "Dana Example"),
    ("intervention name", "Behavioural activation"),
    ("diagnosis name", "Adjustment disorder with mixed anxiety and depressed mood"),
    ("name", "Sam Example"),
    ("stressor", "work"),
    ("behaviour to track", "days with a 30-minute walk"),
)
_STATEMENT = "Walks for 30 minutes on at least 5 days a week, as recorded in a weekly log"


def fill_placeholders(text: str, catalogue: Catalogue) -> str:
    """The plan text with every placeholder replaced; comments and key order kept."""
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    plan = yaml.load(text)
    _walk(plan, None, None, catalogue)
    out = io.StringIO()
    yaml.dump(plan, out)
    return out.getvalue()


@functools.cache
def filled_once(text: str) -> str:
    """fill_placeholders(text) with the built-in catalogue, worked out once per test run for each
    text (conftest.once_per_run): tests in both workers fill the same templates' drafts (a round
    trip through ruamel's pure-Python parser, ~50 ms a plan). Strings are immutable: sharing is safe."""
    import hashlib

    from conftest import once_per_run

    from tplan.measures import builtin_catalogue

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    return once_per_run(f"filled-{digest}.yaml", lambda: fill_placeholders(text, builtin_catalogue()))


@functools.cache
def scaffolded(name: str, start: dt.date = dt.date(2026, 3, 2)) -> str:
    """The built-in template `name` scaffolded on `start` (tplan.templates.scaffold), made once per
    test run (conftest.once_per_run): tests that only read a template's draft share it (~50 ms each)."""
    from conftest import once_per_run

    from tplan.templates import find_template, scaffold

    return once_per_run(f"scaffolded-{name}-{start}.yaml", lambda: scaffold(find_template(name), start))


def _walk(node, parent_key, owner, catalogue: Catalogue) -> None:
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, str) and PLACEHOLDER.search(value):
                node[key] = _value_for(key, parent_key, value, node, catalogue)
            else:
                _walk(value, key, node, catalogue)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str) and PLACEHOLDER.search(value):
                node[i] = "work" if parent_key == "stressors" else _text(value)
            else:
                _walk(value, parent_key, node, catalogue)


def _value_for(key, parent_key, value: str, mapping: dict, catalogue: Catalogue):
    if key == "baseline":
        return baseline_worse_than_target(mapping, catalogue)
    if key == "score" and parent_key == "assessments":
        return intake_score(mapping["instrument"], catalogue)
    for (k, parent), filled in _BY_KEY.items():
        if key == k and (parent is None or parent == parent_key):
            return filled
    if key == "statement":
        return _STATEMENT
    return _text(value)


def _text(value: str) -> str:
    def phrase(match: re.Match) -> str:
        inner = match.group(0).lower()
        for cue, filled in _PHRASES:
            if cue in inner:
                return filled
        return "an invented example detail"

    return PLACEHOLDER.sub(phrase, value)


def intake_score(instrument: str, catalogue: Catalogue) -> int | float:
    """An intake score in the middle of the instrument's range."""
    inst = catalogue.get(instrument)
    assert inst is not None, f"assessment instrument {instrument} is not in the catalogue"
    middle = (inst.min + inst.max) / 2
    return int(middle) if float(inst.min).is_integer() and float(inst.max).is_integer() else round(middle, 1)


def baseline_worse_than_target(goal: dict, catalogue: Catalogue) -> float | int:
    """A baseline inside the measure's range, about a third of the range worse than the target."""
    measure = goal["measure"]
    if isinstance(measure, dict):
        low, high, direction = measure.get("min"), measure.get("max"), measure.get("direction")
    else:
        inst = catalogue.get(measure)
        assert inst is not None, f"measure {measure} is not in the catalogue"
        low, high, direction = inst.min, inst.max, inst.better
    match = _TARGET.match(str(goal["target"]))
    assert match, f"template targets must be absolute comparisons, got {goal['target']!r}"
    comparator, number = match.group(1), float(match.group(2))
    lower_is_better = comparator in ("<", "<=") or (comparator == "==" and direction == "lower")
    span = (high - low) if high is not None and low is not None else max(number, 4.0)
    step = max(1.0, round(span * 0.3, 1))
    if lower_is_better:
        baseline = number + step if high is None else min(high, number + step)
    else:
        baseline = number - step if low is None else max(low, number - step)
    whole = all(float(v).is_integer() for v in (number, low or 0, high or 0))
    return int(round(baseline)) if whole else round(baseline, 1)
