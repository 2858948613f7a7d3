"""Report → GitHub Actions workflow commands, which GitHub shows as annotations on the pull request:

    ::error file=plans/a.yaml,line=19,col=5,endLine=19,endColumn=12,title=S103::S103 goal G1 has no deadline

Severity maps to error / warning / notice. The message repeats the code because the log shows the
message, not the title. Escaping follows GitHub's runner (toolkit `command.ts`): in the message
`%`, CR and LF are encoded (a raw newline in a crafted file name would start a new workflow
command); in property values `:` and `,` are too. Any other control character is shown escaped, as
in the text format (escape.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from tplan.diagnostics import Diagnostic, Report, Severity
from tplan.reporters.escape import one_line
from tplan.reporters.paths import repo_relative

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(d: Diagnostic) -> str:
    props: dict[str, str | int] = {"file": repo_relative(d.file) or d.file}
    if d.line:
        props |= {"line": d.line, "col": d.column}
        if d.end_line is not None and d.end_column is not None:
            props |= {"endLine": d.end_line, "endColumn": d.end_column}
    props["title"] = d.code
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    return f"::{LEVEL[d.severity]} {joined}::{escape_data(f'{d.code} {d.message}')}"


def lines(report: Report) -> Iterator[str]:
    """One workflow command per finding, file by file as the report makes them."""
    return (command(d) for f in report.files for d in f.diagnostics)


def pieces(report: Report) -> Iterator[str]:
    """render(report) in pieces, a line at a time."""
    for i, line in enumerate(lines(report)):
        yield line if i == 0 else "\n" + line


def render(report: Report) -> str:
    return "".join(pieces(report))
