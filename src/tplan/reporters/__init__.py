"""Report → text. One module per format; the CLI's --format choices come from REPORTERS.

Each reporter is a pure function of the whole Report (JSON and SARIF need the totals and the rule
list, not a stream of lines). Modules are imported only when their format is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from importlib import import_module

from tplan.diagnostics import Report

Reporter = Callable[[Report], str]


def _lazy(module: str) -> Reporter:
    def render(report: Report) -> str:
        rendered: str = import_module(f"tplan.reporters.{module}").render(report)
        return rendered

    render.__doc__ = f"tplan.reporters.{module}.render"
    return render


REPORTERS: dict[str, Reporter] = {
    "text": _lazy("text"),
    "json": _lazy("json"),
    "sarif": _lazy("sarif"),
    "github": _lazy("github"),
}

# The --format choices, made from the dict so that a new reporter is one new entry above.
# mypy cannot see members built at import time; the class is only typer's choice list.
Format = Enum("Format", {name: name for name in REPORTERS}, type=str)  # type: ignore[misc]
