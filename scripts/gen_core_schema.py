#!/usr/bin/env python3
"""Regenerate src/tplan/schema/plan_core_schema.json from the pydantic models (issue 19).

    python scripts/gen_core_schema.py           # write it
    python scripts/gen_core_schema.py --check   # exit 1 if it differs from the models (CI, tests)

Run it after any change to the models in src/tplan/schema/ or after upgrading pydantic; the
lint path validates with this file and falls back to the models when it was generated with
another pydantic or pydantic_core version (tplan.schema.core; docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tplan.schema.core import SCHEMA_FILE, dumps, generate

TARGET = Path(__file__).resolve().parent.parent / "src" / "tplan" / "schema" / SCHEMA_FILE


def main(argv: list[str]) -> int:
    text = dumps(generate())
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python scripts/gen_core_schema.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
