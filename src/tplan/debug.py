"""--debug and TPLAN_DEBUG=1: the traceback of an internal error, for whoever reports the bug.

Without it a bug is one line naming the exception's type only: its message, and a traceback's
local lines, can quote the plan, which must not end up in CI logs. `--debug` sets TPLAN_DEBUG in
the environment, so worker processes (which inherit it) print their tracebacks too.
"""

from __future__ import annotations

import os
import sys
import traceback

ENV = "TPLAN_DEBUG"


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() not in ("", "0", "false", "no", "off")


def enable() -> None:
    os.environ[ENV] = "1"


def show_traceback(exc: BaseException) -> None:
    """Print the traceback on stderr when debugging is on; nothing otherwise."""
    if enabled():
        traceback.print_exception(exc, file=sys.stderr)
