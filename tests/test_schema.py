"""Schema details: targets, custom measures, dates, extensions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from tplan.schema import CustomMeasure, parse_target
from tplan.schema.base import Target
from tplan.targets import absolute_target, is_improvement


@pytest.mark.parametrize(
    "raw, comparator, value, relative",
    [
        ("<= 13", "<=", 13, None),
        ("<10", "<", 10, None),
        (">= 5", ">=", 5, None),
        ("> 20", ">", 20, None),
        ("== 0", "==", 0, None),
        ("-50%", None, -50, "percent"),
        ("+3", None, 3, "points"),
        (12, None, 12, None),
        (7.5, None, 7.5, None),
    ],
)
def test_targets_parse(raw, comparator, value, relative):
    target = parse_target(raw)
    assert (target.comparator, target.value, target.relative) == (comparator, value, relative)


@pytest.mark.parametrize("raw", ["less than 10", "<= ", "50%%", True, ">= -50%", None])
def test_bad_targets_are_rejected(raw):
    with pytest.raises(ValueError):
        parse_target(raw)


@pytest.mark.parametrize(
    "raw, baseline, direction, expected",
    [
        ("-50%", 20, "lower", ("<=", 10)),
        ("+3", 4, "higher", (">=", 7)),
        (9, 14, "lower", ("<=", 9)),
        (25, 10, "higher", (">=", 25)),
        ("<= 9", None, None, ("<=", 9)),
    ],
)
def test_targets_normalise_to_comparator_and_absolute_value(raw, baseline, direction, expected):
    absolute = absolute_target(parse_target(raw), baseline, direction)
    assert (absolute.comparator, absolute.value) == expected


def test_relative_target_without_baseline_cannot_be_made_absolute():
    assert absolute_target(parse_target("-50%"), None, "lower") is None


def test_improvement_depends_on_direction():
    assert is_improvement(absolute_target(parse_target("<= 9"), 14, "lower"), 14, "lower")
    assert not is_improvement(absolute_target(parse_target("<= 15"), 14, "lower"), 14, "lower")
    assert is_improvement(absolute_target(parse_target(">= 5"), 1, "higher"), 1, "higher")


def test_custom_measure_requires_direction_and_rejects_unknown_keys():
    measure = CustomMeasure.model_validate({"name": "nights", "unit": "nights/week", "min": 0, "max": 7, "direction": "higher"})
    assert measure.direction == "higher" and measure.max == 7
    with pytest.raises(ValidationError):
        CustomMeasure.model_validate({"name": "nights"})
    with pytest.raises(ValidationError):
        CustomMeasure.model_validate({"name": "nights", "direction": "up"})
    with pytest.raises(ValidationError):
        CustomMeasure.model_validate({"name": "nights", "direction": "higher", "units": "x"})


def test_target_survives_a_round_trip_through_the_model():
    from tplan.schema.goals import Objective

    objective = Objective.model_validate({"id": "G1.1", "statement": "s", "target": ">= 5", "deadline": "2026-04-01"})
    assert isinstance(objective.target, Target) and str(objective.target) == ">= 5"
    assert objective.deadline == dt.date(2026, 4, 1)


def _plan(progress, **goal):
    from tplan.schema import Plan

    base_goal = {"id": "G1", "statement": "Reduce worry on GAD-7.", "measure": "GAD-7", "baseline": 14, "target": "<= 9", "deadline": "2026-05-31"}
    return Plan.model_validate({
        "tplan": 1, "id": "T", "status": "active", "created": "2026-03-01",
        "client": {"name": "Test Person"}, "clinician": {"name": "Dana Example"},
        "presenting_problems": [{"id": "P1", "summary": "s"}],
        "goals": [{**base_goal, **goal}],
        "interventions": [{"id": "I1", "name": "CBT", "goals": ["G1"]}],
        "progress": progress, "reviews": {"interval_days": 90},
    })


@pytest.mark.parametrize(
    "scores, today, status, trend",
    [
        ([], "2026-04-01", "no data", "unknown"),
        ([("2026-04-15", 8)], "2026-04-20", "met", "improving"),
        ([("2026-04-15", 11)], "2026-04-20", "on track", "improving"),  # the straight line expects ≈11.5 by then
        ([("2026-05-15", 13)], "2026-05-20", "behind", "improving"),
        ([("2026-04-01", 12), ("2026-04-15", 13)], "2026-04-20", "behind", "worsening"),
        ([("2026-04-15", 12)], "2026-06-02", "overdue", "improving"),
    ],
)
def test_attainment(scores, today, status, trend):
    from tplan.attainment import attainment
    from tplan.measures import builtin_catalogue

    plan = _plan([{"date": d, "measure": "GAD-7", "score": s, "goals": ["G1"]} for d, s in scores])
    result = attainment(plan.goals[0], plan, builtin_catalogue(), dt.date.fromisoformat(today))
    assert (result.status.value, result.trend.value) == (status, trend)


@pytest.mark.parametrize(
    "old, new, hinted",
    [
        # `- Hobbies: running, cooking` is a mapping, not text: the message says why and what to do.
        ("discharge_criteria: [GAD-7 below 10 at two reviews in a row]", "discharge_criteria:\n  - Hobbies: running, cooking", True),
        # A number where text is expected is accepted; a list is wrong for another reason.
        ("discharge_criteria: [GAD-7 below 10 at two reviews in a row]", "discharge_criteria:\n  - [a, b]", False),
    ],
)
def test_text_that_became_a_mapping_gets_a_quoting_hint(old, new, hinted):
    from conftest import MINIMAL

    from tplan.linter import LintSettings, lint_text
    from tplan.measures import builtin_catalogue

    text = MINIMAL.read_text(encoding="utf-8").replace(old, new)
    result = lint_text(text, "plan.yaml", LintSettings(today=dt.date(2026, 4, 1)), builtin_catalogue())
    [finding] = result.diagnostics
    assert finding.code == "E003" and finding.message.startswith("discharge_criteria[0] must be text")
    assert ("a ': ' inside the text made it a key; put the text in quotes" in finding.message) is hinted
    assert "Hobbies" not in finding.message and "running" not in finding.message  # never the plan's text


def test_an_unsigned_percentage_shows_both_readings_and_how_to_write_each():
    from tplan.linter import LintSettings, lint_text
    from tplan.measures import builtin_catalogue

    text = (Path(__file__).parent / "fixtures" / "minimal.yaml").read_text(encoding="utf-8").replace('target: "<= 9"', 'target: "80%"')
    (finding,) = lint_text(text, "plan.yaml", LintSettings(), builtin_catalogue()).diagnostics
    assert finding.code == "E003" and (finding.line, finding.column) == (26, 13)
    assert "a score of 80" in finding.message and '">= 80"' in finding.message and '"+80%"' in finding.message
