"""E0xx: problems found while reading the file and checking it against the schema.

These are emitted by the loader and the schema adapter, not by checks; they live here so that
`tplan explain`, `tplan rules` and SARIF document them like every other rule. They cannot be
switched off (like a compiler's syntax errors): while a plan does not pass the schema the other
rules cannot run on it, so dropping an E0xx finding would turn a broken plan into "All clear".
"""

from tplan.diagnostics import Severity
from tplan.rules.base import collect, rule

ERR = Severity.ERROR


@rule("E000", "unreadable-file", ERR, emitted=True, needs_plan=False)
def unreadable_file() -> None:
    """The file cannot be read: it is missing, unreadable, binary, or not UTF-8 text.

    ## Why it matters
    tplan cannot check a plan it cannot read, and neither can a colleague's editor. The run exits
    with code 2 so CI shows the problem instead of silently skipping the file.
    ## Example
    A plan saved from a word processor as .docx and renamed to .yaml, or saved in Latin-1.
    ## Use instead
    Save plans as plain UTF-8 text with a .yaml extension.
    """


@rule("E001", "invalid-yaml", ERR, emitted=True, needs_plan=False)
def invalid_yaml() -> None:
    """The file is not valid YAML.

    ## Why it matters
    Nothing in the plan can be checked until the file parses. The message gives the parser's
    reason and the position where it gave up; the real mistake is often on the line above.
    ## Example
    summary: Stress at work: deadlines      # a second colon inside an unquoted value
    ## Use instead
    summary: "Stress at work: deadlines"
    """


@rule("E002", "missing-key", ERR, emitted=True)
def missing_key() -> None:
    """A required key is missing.

    ## Why it matters
    Required keys (tplan, id, status, created, client.name, clinician.name, presenting_problems,
    goals, interventions, reviews.interval_days, and the ids and statements inside lists) are what
    every later check and every reader of the plan depends on.

    The E0xx findings (E000-E006) cannot be switched off: `--select`, `--ignore`,
    `per-file-ignores` and `# tplan: disable=` leave them in, because the other rules cannot check
    a plan that does not pass the schema.
    ## Example
    client:
      date_of_birth: 1990-01-01
    ## Use instead
    client:
      name: Alex Example
      date_of_birth: 1990-01-01
    """


@rule("E003", "invalid-value", ERR, emitted=True)
def invalid_value() -> None:
    """A value has the wrong type or is not one of the allowed values.

    ## Why it matters
    A date that is not a date, a score that is text, or a status tplan does not know would make
    reviews, deadlines and billing checks silently wrong.
    ## Example
    status: actve
    created: 03/02/2026
    ## Use instead
    status: active
    created: 2026-03-02
    """


@rule("E004", "unknown-key", ERR, emitted=True)
def unknown_key() -> None:
    """A key that the plan format does not know (usually a typo).

    ## Why it matters
    A misspelt key such as `deadine` would otherwise be ignored, and the goal would look as if it
    had no deadline. The message suggests the closest known key. Put clinic-specific data under a
    top-level key starting with `x-` (for example `x-clinic-room: 4`).
    ## Example
    goals:
      - id: G1
        deadine: 2026-09-01
    ## Use instead
    goals:
      - id: G1
        deadline: 2026-09-01
    """


@rule("E005", "not-a-plan", ERR, emitted=True, needs_plan=False)
def not_a_plan() -> None:
    """The file is empty, is not a mapping of keys, or has an unsupported `tplan` format version.

    ## Why it matters
    tplan checks one plan per file against format version 1. A list, a single value or another
    version cannot be interpreted safely, so the run exits with code 2.
    ## Example
    tplan: 2
    ## Use instead
    tplan: 1
    """


@rule("E006", "duplicate-key", ERR, emitted=True, needs_plan=False)
def duplicate_key() -> None:
    """The same key appears twice in one mapping.

    ## Why it matters
    Only one of the two values can count, and a reader cannot tell which one the clinician meant:
    for example two `deadline:` lines on one goal after a merge.
    ## Example
    deadline: 2026-06-01
    deadline: 2026-09-01
    ## Use instead
    deadline: 2026-09-01
    """


RULES = collect(globals())

# Reported whatever the selection, config or inline suppressions say (see the module docstring).
ALWAYS_REPORTED = frozenset(r.code for r in RULES)
