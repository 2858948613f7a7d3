"""`tplan schema`: the exported JSON Schema is valid and agrees with the linter on real plans."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
from conftest import EXAMPLES, MINIMAL

from tplan.loader import load_text


def as_json(value):
    """Plan data as a JSON/YAML editor sees it: dates are text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def printed_schema(tplan) -> dict:
    result = tplan("schema")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_schema_is_valid_json_schema_and_accepts_the_examples(tplan):
    schema = printed_schema(tplan)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(EXAMPLES.glob("*.yaml")) + [MINIMAL]:
        data = as_json(load_text(path.read_text()).data)
        assert not list(validator.iter_errors(data)), path


def test_schema_rejects_a_typo_and_allows_x_keys(tplan):
    validator = jsonschema.Draft202012Validator(printed_schema(tplan))
    data = as_json(load_text(MINIMAL.read_text()).data)
    assert validator.is_valid({**data, "x-clinic-room": 4})
    assert "extensions" not in validator.schema["properties"]
    goal = {**data["goals"][0], "deadine": "2026-09-01"}
    errors = list(validator.iter_errors({**data, "goals": [goal]}))
    assert any("deadine" in e.message for e in errors)


def test_schema_output_file_is_not_overwritten_without_force(tplan, tmp_path):
    out = tmp_path / "tplan.schema.json"
    assert tplan("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())["$id"].endswith("plan-v1.json")
    out.write_text("mine")
    refused = tplan("schema", "-o", str(out))
    assert refused.returncode == 2 and "already exists; use --force" in refused.stderr
    assert out.read_text() == "mine"
    assert tplan("schema", "-o", str(out), "--force").returncode == 0
    assert "$defs" in json.loads(out.read_text())
    nested = tmp_path / "no" / "such" / "dir.json"  # missing folders are created
    assert tplan("schema", "-o", str(nested)).returncode == 0 and "$defs" in json.loads(nested.read_text())
    blocked = tplan("schema", "-o", str(out / "x.json"))  # a file stands where the folder should be
    assert blocked.returncode == 2 and "Traceback" not in blocked.stderr
