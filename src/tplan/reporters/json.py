"""Report → JSON: the contract for scripts. The shape is documented in docs/ci.md and versioned:
fields may be added within a version, never renamed or removed.

    {"version": 1, "tool": {"name", "version"},
     "summary": {"files_checked", "files_with_findings", "files_unreadable", "errors", "warnings",
                 "info", "by_rule": {code: count}, "fail_on", "exit_code"},
     "files": [{"path", "unreadable", "findings"}],
     "findings": [{"code", "name", "severity", "message", "path", "line", "column",
                   "end_line", "end_column", "yaml_path"}]}

Positions are 1-based; `line`/`column` are null for problems with the whole file, `end_*` when
unknown, `yaml_path` (`goals[0].target`) when the finding is about the whole document.
Control characters are escaped by JSON itself; a file name that is not valid UTF-8 shows its odd
bytes as `\\xNN` (reporters/escape.py), so the document can always be written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tplan import __version__
from tplan.diagnostics import Diagnostic, FileResult, Report, Severity
from tplan.reporters import stream
from tplan.reporters.escape import file_name

VERSION = 1


def finding(d: Diagnostic) -> dict[str, Any]:
    from tplan.rules import BY_CODE

    return {
        "code": d.code,
        "name": BY_CODE[d.code].name,
        "severity": d.severity.value,
        "message": d.message,
        "path": file_name(d.file),
        "line": d.line or None,
        "column": d.column if d.line else None,
        "end_line": d.end_line if d.line else None,
        "end_column": d.end_column if d.line else None,
        "yaml_path": d.yaml_path or None,
    }


def document(report: Report) -> dict[str, Any]:
    """The whole document (for tests and scripts); `pieces` writes the same text without it."""
    return _head(report, files=[_file(f) for f in report.files], findings=[finding(d) for f in report.files for d in f.diagnostics])


def _head(report: Report, files: Any, findings: Any) -> dict[str, Any]:
    totals = report.totals
    by_rule: dict[str, int] = {}
    for (code, _), n in totals.by_rule.items():
        by_rule[code] = by_rule.get(code, 0) + n
    return {
        "version": VERSION,
        "tool": {"name": "tplan", "version": __version__},
        "summary": {
            "files_checked": totals.files,
            "files_with_findings": totals.with_findings,
            "files_unreadable": totals.unreadable,
            "errors": totals.count(Severity.ERROR),
            "warnings": totals.count(Severity.WARNING),
            "info": totals.count(Severity.INFO),
            "by_rule": dict(sorted(by_rule.items())),
            "fail_on": report.fail_on.value,
            "exit_code": totals.exit_code(report.fail_on),
        },
        "files": files,
        "findings": findings,
    }


def _file(f: FileResult) -> dict[str, Any]:
    return {"path": file_name(f.file), "unreadable": f.fatal, "findings": len(f.diagnostics)}


def pieces(report: Report) -> Iterator[str]:
    """render(report) in pieces, each file's findings made and written in turn (stream.py): a
    10,000-plan run is not held as one document."""
    head = _head(report, files=stream.marker("files"), findings=stream.marker("findings"))
    files = (_file(f) for f in report.files)
    findings = (finding(d) for f in report.files for d in f.diagnostics)
    return stream.pieces(head, {"files": files, "findings": findings})


def render(report: Report) -> str:
    return "".join(pieces(report))
