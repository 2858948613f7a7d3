"""Report → text. One module per format; the CLI's --format choices come from REPORTERS."""

from __future__ import annotations

from typing import Callable

from tplan.diagnostics import Report

Reporter = Callable[[Report], str]


def _text(report: Report) -> str:
    from tplan.reporters.text import render

    return render(report)


REPORTERS: dict[str, Reporter] = {"text": _text}
