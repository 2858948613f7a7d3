"""Report → text. One module per format; the CLI's --format choices come from REPORTERS.

Each reporter is a pure function of the whole Report (JSON and SARIF need the totals and the rule
list, not a stream of lines). Modules are imported only when their format is asked for. Each also
gives its output in `pieces`, made as they are written: the report makes each file's findings when
it is read (tplan.results), so a large run is written without being held whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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

def pieces(name: str, report: Report) -> Iterator[str]:
    """REPORTERS[name](report) in pieces: the module's own `pieces` when it has one."""
    module = import_module(f"tplan.reporters.{name}")
    if hasattr(module, "pieces"):
        made: Iterator[str] = module.pieces(report)
        return made
    return iter((REPORTERS[name](report),))


# The --format choices, made from the dict so that a new reporter is one new entry above.
# mypy cannot see members built at import time; the class is only typer's choice list.
Format = Enum("Format", {name: name for name in REPORTERS}, type=str)  # type: ignore[misc]
