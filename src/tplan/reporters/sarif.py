"""Report → SARIF 2.1.0, for GitHub code scanning (findings shown inline on the pull request).

- `tool.driver.rules` lists every rule, documented from its docstring (summary, why it matters,
  example, use instead, references), so the alert page explains itself.
- Locations are relative to the repository root (the current folder, as in a CI checkout), with
  `uriBaseId` %SRCROOT%; a file outside it gets an absolute `file://` URI.
- A file name that is not valid UTF-8 (a surrogate from `os.fsdecode`) has its bytes
  percent-encoded in the URI (`bad-%FF.yaml`) and shown as U+FFFD in message text, so the log is
  valid UTF-8 JSON and every other file's results are still written.
- Columns count Unicode code points (`columnKind`), as tplan's positions do. A problem with the
  whole file (unreadable, not UTF-8) is placed at line 1: GitHub needs a start line to show it.
- No `snippet` or `contextRegion`, although SARIF suggests them: they would copy lines of the plan,
  that is client data, into an upload. Rule names stay tplan's kebab-case names (SARIF suggests
  PascalCase) so they match `tplan explain` and the config.

Checked with Microsoft's SARIF Multitool (`validate --rule-kind "Gh;Sarif"`): no errors; only the
notes above and a missing `informationUri` (tplan has no public home page yet).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from tplan import __version__
from tplan.diagnostics import Diagnostic, Report, Severity
from tplan.reporters import stream
from tplan.reporters.paths import repo_relative

if TYPE_CHECKING:  # the rules load only where rule_descriptor is used
    from tplan.rules.base import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
SRCROOT = "%SRCROOT%"
FAMILY = {"E": "reading", "S": "smart", "G": "golden-thread", "R": "review", "C": "compliance",
          "D": "repository", "P": "privacy", "T": "template", "X": "suppression"}  # SARIF tags


def help_text(rule: Rule) -> tuple[str, str]:
    """(plain text, Markdown) help for one rule."""
    text = [rule.summary]
    md = [rule.summary]
    if rule.why:
        text += ["", "Why it matters:", rule.why]
        md += ["", "**Why it matters**", "", rule.why]
    if rule.example:
        text += ["", "Example (reported):", rule.example]
        md += ["", "**Example** (reported)", "", "```", rule.example, "```"]
    if rule.use_instead:
        text += ["", "Use instead:", rule.use_instead]
        md += ["", "**Use instead**", "", "```", rule.use_instead, "```"]
    if rule.references:
        text += ["", "References: " + "; ".join(rule.references)]
        md += ["", "**References**: " + "; ".join(rule.references)]
    return "\n".join(text), "\n".join(md)


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    text, markdown = help_text(rule)
    family = FAMILY.get(rule.code[0], "other")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {' '.join(rule.why.split())}".strip()},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["tplan", family], "problem.severity": GITHUB_SEVERITY[rule.severity]},
    }


def location(d: Diagnostic) -> dict[str, Any]:
    rel = repo_relative(d.file)
    if rel is not None:
        artifact = {"uri": quote(os.fsencode(rel)), "uriBaseId": SRCROOT}  # bytes: any name escapes
    else:
        artifact = {"uri": Path(d.file).resolve().as_uri()}
    region: dict[str, Any] = {"startLine": d.line or 1}
    if d.line:
        region["startColumn"] = d.column
        if d.end_line is not None and d.end_column is not None and (d.end_line, d.end_column) > (d.line, d.column):
            region |= {"endLine": d.end_line, "endColumn": d.end_column}
    out: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    if d.yaml_path:
        out["logicalLocations"] = [{"fullyQualifiedName": d.yaml_path}]
    return out


def _text(value: str) -> str:
    """Text that can be written as UTF-8: a file name's undecodable bytes become U+FFFD."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


def _folder_uri(folder: Path) -> str:
    uri = folder.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def document(report: Report) -> dict[str, Any]:
    """The whole document (for tests); `pieces` writes the same text without holding it."""
    return _document(report, list(_results(report)))


def _document(report: Report, results: Any) -> dict[str, Any]:
    from tplan.rules import ALL_RULES

    exit_code = report.exit_code
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "tplan",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in ALL_RULES],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _folder_uri(Path.cwd())}},
                # Exit 2 means a file or the command could not be processed: the run is incomplete.
                "invocations": [{"executionSuccessful": exit_code != 2, "exitCode": exit_code}],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _results(report: Report) -> Iterator[dict[str, Any]]:
    """One SARIF result per finding, file by file as the report makes them."""
    from tplan.rules import ALL_RULES

    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    for f in report.files:
        for d in f.diagnostics:
            yield {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": LEVEL[d.severity],
                "message": {"text": _text(d.message)},
                "locations": [location(d)],
            }


def pieces(report: Report) -> Iterator[str]:
    """render(report) in pieces, the results made and written file by file (stream.py)."""
    return stream.pieces(_document(report, stream.marker("results")), {"results": _results(report)})


def render(report: Report) -> str:
    return "".join(pieces(report))
