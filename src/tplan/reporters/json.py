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

import json
from collections import Counter
from typing import Any

from tplan import __version__
from tplan.diagnostics import Diagnostic, Report, Severity
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
    diagnostics = report.diagnostics
    return {
        "version": VERSION,
        "tool": {"name": "tplan", "version": __version__},
        "summary": {
            "files_checked": len(report.files),
            "files_with_findings": sum(1 for f in report.files if f.diagnostics),
            "files_unreadable": sum(1 for f in report.files if f.fatal),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "by_rule": dict(sorted(Counter(d.code for d in diagnostics).items())),
            "fail_on": report.fail_on.value,
            "exit_code": report.exit_code,
        },
        "files": [{"path": file_name(f.file), "unreadable": f.fatal, "findings": len(f.diagnostics)} for f in report.files],
        "findings": [finding(d) for d in diagnostics],
    }


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False)
