"""The human default: one line per finding, `path:line:col: CODE severity message`, then a summary."""

from __future__ import annotations

from tplan.diagnostics import Diagnostic, Report, Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def location(d: Diagnostic) -> str:
    return f"{d.file}:{d.line}:{d.column}" if d.line else d.file


def line(d: Diagnostic) -> str:
    return f"{location(d)}: {d.code} {d.severity.value} {d.message}"


def summary(report: Report) -> str:
    n_files = len(report.files)
    counts = [(report.count(s), s.value) for s in Severity]
    found = ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for n, name in counts if n)
    checked = f"{n_files} file{'' if n_files == 1 else 's'} checked"
    if not found:
        return f"All clear: {checked}, no findings."
    bad = sum(1 for f in report.files if f.diagnostics)
    return f"Found {found} in {bad} of {checked}."


def render(report: Report) -> str:
    """Plain text; colour is added by the CLI's console when writing to a terminal."""
    lines = [line(d) for d in report.diagnostics]
    lines.append(summary(report))
    return "\n".join(lines)
