"""The currency of the linter: findings from rules, diagnostics with positions, per-file results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

Path = tuple[str | int, ...]  # a YAML path such as ("goals", 0, "target")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


def format_path(path: Path) -> str:
    """Render a path the way clinicians read it in messages: goals[0].target. A key the plan
    format does not know is shown as `<unknown key>`: it may be a mis-indented line of client text,
    and paths end up in CI logs and SARIF uploads (docs/privacy.md)."""
    from tplan.schema.keys import is_shown_key

    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if is_shown_key(str(part), top=not out) else "<unknown key>"
            out += f".{name}" if out else name
    return out


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: where (a YAML path) and what (a message). The linter adds the rest."""

    path: Path
    message: str
    key: bool = False  # point at the key itself rather than its value (unknown keys, duplicates)
    severity: Severity | None = None  # overrides the rule's default (e.g. T601 on drafts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based
    path: Path = ()
    end_line: int | None = None
    end_column: int | None = None

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.code, self.message)

    @property
    def yaml_path(self) -> str:
        return format_path(self.path)


@dataclass(slots=True)
class FileResult:
    """Everything linting one file produced. `fatal` is set when the file could not be read or parsed."""

    file: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fatal: bool = False
    # What each cross-file rule's `collect` found in this file, by rule code: small, picklable and
    # comparable values, so results from worker processes equal those made in this one.
    facts: dict[str, object] = field(default_factory=dict)
    # Cross-file codes silenced by inline comments, as (line, code); line 0 = the whole file.
    # Kept because the D7xx findings are made after the file's text is gone.
    silenced: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Totals:
    """What a report's summary lines, exit code and JSON/SARIF heads need: counted in one pass over
    the files, so that a reporter need not hold every finding to know them."""

    files: int = 0
    with_findings: int = 0  # files with at least one finding
    unreadable: int = 0  # fatal results
    by_rule: dict[tuple[str, Severity], int] = field(default_factory=dict)  # (code, severity) -> findings

    @classmethod
    def of(cls, files: Iterable[FileResult]) -> Totals:
        n = with_findings = unreadable = 0
        by_rule: dict[tuple[str, Severity], int] = {}
        for f in files:
            n += 1
            unreadable += f.fatal
            if f.diagnostics:
                with_findings += 1
                for d in f.diagnostics:
                    key = (d.code, d.severity)
                    by_rule[key] = by_rule.get(key, 0) + 1
        return cls(n, with_findings, unreadable, by_rule)

    def count(self, severity: Severity) -> int:
        return sum(n for (_, s), n in self.by_rule.items() if s is severity)

    def exit_code(self, fail_on: Severity) -> int:
        if self.unreadable:
            return 2
        return 1 if any(s.rank >= fail_on.rank for _, s in self.by_rule) else 0


@dataclass(slots=True)
class Report:
    """The results of a run. `files` is a list, or what `tplan.linter.lint_paths` gives: a
    sequence that makes each file's result (with its cross-file findings) when it is read, and
    knows its totals (tplan.results), so a 10,000-plan run is written out without being held."""

    files: Sequence[FileResult]
    fail_on: Severity = Severity.WARNING

    @property
    def totals(self) -> Totals:
        """Counted once by a sequence that keeps them; from the files each time for a list."""
        held = getattr(self.files, "totals", None)
        return held if isinstance(held, Totals) else Totals.of(self.files)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]

    def count(self, severity: Severity) -> int:
        return self.totals.count(severity)

    @property
    def exit_code(self) -> int:
        return self.totals.exit_code(self.fail_on)
