"""`tplan schema`: the plan format as JSON Schema, for editors (YAML language server) and other tools."""

from __future__ import annotations

import json
import sys
from typing import Any

SCHEMA_ID = "https://tplan.invalid/schema/plan-v1.json"  # an identifier only; nothing is fetched


def plan_json_schema() -> dict[str, Any]:
    """Plan.model_json_schema(), adjusted to the file as written: top-level `x-` keys are allowed
    (the model keeps them aside, outside its fields)."""
    from tplan.schema import Plan

    schema = Plan.model_json_schema()
    schema["patternProperties"] = {"^x-": {}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def run_schema(output: str | None = None, force: bool = False) -> int:
    text = json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return 0
    from tplan.errors import TplanError
    from tplan.fsio import atomic_write, check_output

    check_output(output, force, example="tplan.schema.json")
    try:
        atomic_write(output, text, overwrite=force)
    except OSError as exc:
        raise TplanError(f"{output}: cannot write the schema ({exc.strerror or exc})") from None
    return 0
