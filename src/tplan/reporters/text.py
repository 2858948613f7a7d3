"""The human default: one line per finding, `path:line:col: CODE severity message`, then a summary.

`quiet` leaves out the summary line (a clean run prints nothing); `statistics` prints one line per
rule with its count instead of each finding. Colour is added by the command, on a terminal only.
"""

from __future__ import annotations

from collections.abc import Iterator

from tplan.diagnostics import Diagnostic, Report, Severity
from tplan.reporters.escape import one_line

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def location(d: Diagnostic) -> str:
    file = one_line(d.file)
    return f"{file}:{d.line}:{d.column}" if d.line else file


def message(d: Diagnostic) -> str:
    return one_line(d.message)


def line(d: Diagnostic) -> str:
    """One finding on exactly one line: control characters in any field are escaped (escape.py)."""
    return f"{location(d)}: {d.code} {d.severity.value} {message(d)}"


def summary(report: Report) -> str:
    totals = report.totals
    n_files = totals.files
    counts = [(totals.count(s), s.value) for s in Severity]
    found = ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for n, name in counts if n)
    checked = f"{n_files} file{'' if n_files == 1 else 's'} checked"
    if not found:
        return f"All clear: {checked}, no findings."
    return f"Found {found} in {totals.with_findings} of {checked}."


def rule_counts(report: Report) -> list[str]:
    """`count  CODE  name  severity`, most frequent first (then by code)."""
    from tplan.rules import BY_CODE

    counts: dict[tuple[str, str], int] = {}
    for (code, severity), n in report.totals.by_rule.items():
        counts[code, severity.value] = counts.get((code, severity.value), 0) + n
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = max((len(str(n)) for n in counts.values()), default=1)
    name_width = max((len(BY_CODE[code].name) for (code, _), _ in rows), default=0)
    return [f"{n:>{width}}  {code}  {BY_CODE[code].name:<{name_width}}  {sev}" for (code, sev), n in rows]


def lines(report: Report, *, quiet: bool = False, statistics: bool = False) -> Iterator[str]:
    """The output line by line, so a run with tens of thousands of findings is written as it goes."""
    if statistics:
        yield from rule_counts(report)
    else:
        yield from (line(d) for f in report.files for d in f.diagnostics)
    if not quiet:
        yield summary(report)


def render(report: Report, *, quiet: bool = False, statistics: bool = False) -> str:
    """Plain text; colour is added by the CLI's console when writing to a terminal."""
    return "\n".join(lines(report, quiet=quiet, statistics=statistics))
