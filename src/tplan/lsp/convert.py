"""tplan Diagnostics → LSP Diagnostics: same code, severity, message and range as `tplan lint`.

The range runs from the value's start to its end (tplan's end_line/end_column, 1-based and
exclusive), converted to the client's encoding; a finding without an end is an empty range at its
start. `data` carries the finding's YAML path (keys and indexes only, never values), which the
code actions use to look the field up in the schema.
"""

from __future__ import annotations

from lsprotocol import types

from tplan.diagnostics import Diagnostic, Severity
from tplan.lsp.positions import UTF16, to_client
from tplan.rules import BY_CODE

SOURCE = "tplan"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def lsp_range(lines: list[str], d: Diagnostic, encoding: str = UTF16) -> types.Range:
    start = to_client(lines, d.line, d.column, encoding)
    if d.line > 0 and d.end_line is not None and d.end_column is not None:
        end = to_client(lines, d.end_line, d.end_column, encoding)
    else:
        end = start
    return types.Range(types.Position(*start), types.Position(*end))


def to_lsp(d: Diagnostic, lines: list[str], encoding: str = UTF16) -> types.Diagnostic:
    rule = BY_CODE.get(d.code)
    return types.Diagnostic(
        range=lsp_range(lines, d, encoding),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        source=SOURCE,
        code_description=None,
        data={"path": list(d.path), "name": rule.name if rule else None},
    )


def to_lsp_all(diagnostics: list[Diagnostic], text_lines: list[str], encoding: str = UTF16) -> list[types.Diagnostic]:
    return [to_lsp(d, text_lines, encoding) for d in diagnostics]
