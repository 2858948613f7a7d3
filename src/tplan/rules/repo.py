"""D7xx: rules that look across all the files of one run.

They run once, after every file has been linted, on the files' results sorted by path. Each file's
own pass records what they need (the plan id and its position, the goal statements and theirs), so
no file is read twice, and the output is the same whether files were linted in one process or in
workers. Paths are named as given on the command line.
"""

from __future__ import annotations

import os
import itertools
from collections import defaultdict
from typing import Iterator, Sequence

from tplan.diagnostics import FileResult, Severity
from tplan.rules import standards
from tplan.rules.base import FileFinding, Limits, collect, rule

NAMED = 3  # how many other files a D702 message names before "and N more"


def normalise_statement(text: str) -> str:
    """A goal statement compared word for word: case and spacing ignored, punctuation kept."""
    return " ".join(text.split()).casefold()


def _same_file(a: str, b: str) -> bool:
    """One file reached by two spellings (plans/a.yaml and ./plans/a.yaml) is not a duplicate."""
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _others(files: list[str]) -> str:
    shown = ", ".join(files[:NAMED])
    return shown if len(files) <= NAMED else f"{shown} and {len(files) - NAMED} more"


@rule("D701", "duplicate-plan-id", Severity.ERROR, cross_file=True)
def duplicate_plan_id(results: Sequence[FileResult], limits: Limits) -> Iterator[FileFinding]:
    """The same plan `id` is used in two or more files of one run.

    ## Why it matters
    The plan id is how a plan is referred to in reviews, claims, renders and the repository: two
    files with one id usually mean a plan was copied for a new client and the id was not changed,
    so notes or progress can end up in the wrong person's record. The finding is reported in each
    file, naming the other(s).
    ## Example
    plans/TP-2026-0042.yaml:   id: TP-2026-0042
    plans/TP-2026-0043.yaml:   id: TP-2026-0042      # copied, not renumbered
    ## Use instead
    plans/TP-2026-0043.yaml:   id: TP-2026-0043
    """
    by_id: dict[str, list[FileResult]] = defaultdict(list)
    for result in results:
        if result.plan_id is not None and not result.fatal:
            by_id[result.plan_id].append(result)
    for plan_id, group in by_id.items():
        if len(group) < 2:
            continue
        for result in group:
            others = [o.file for o in group if o is not result and not _same_file(o.file, result.file)]
            if others:
                line, column = result.plan_id_position or (0, 0)
                yield FileFinding(
                    result.file, line, column,
                    f"plan id {plan_id} is also used in {_others(others)}; each plan needs its own id",
                    ("id",),
                )


@rule("D702", "copied-goal", Severity.INFO, cross_file=True, requirement=standards.INDIVIDUALISED)
def copied_goal(results: Sequence[FileResult], limits: Limits) -> Iterator[FileFinding]:
    """A goal statement is repeated word for word in many plans of one run (5 or more by default).

    ## Why it matters
    Surveyors cite plans that are not individualised, where goals in the plans of different clients
    are the same scripted wording picked from a list (Joint Commission CTS.03.01.03). A template is
    a starting point: rewrite its goal statements for each client. Case and spacing are ignored
    when comparing. The number of plans is configurable (`max-identical-goals`, at least 2).
    ## Example
    statement: Reduce stress symptoms as measured by PSS-10     # in 40 plans
    ## Use instead
    statement: Bring perceived stress (PSS-10) from 29 to the low range, so that weekends are for rest again
    """
    threshold = max(2, limits.max_identical_goals)
    where: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(dict)  # statement → file → positions
    for result in results:
        if result.fatal:
            continue
        for statement, line, column in result.goal_statements:
            where[statement].setdefault(result.file, []).append((line, column))
    for files in where.values():
        if len(files) < threshold:
            continue
        # Only the first few other files are named, so most files of a large group get the very same
        # message: build each distinct one once (a 10,000-plan run would otherwise hold 30,000 copies).
        head = list(itertools.islice(files, NAMED + 1))
        messages: dict[tuple[str, ...], str] = {}
        for file, positions in files.items():
            shown = tuple(f for f in head if f != file)[:NAMED]
            message = messages.get(shown)
            if message is None:
                others = ", ".join(shown) + (f" and {len(files) - 1 - NAMED} more" if len(files) - 1 > NAMED else "")
                message = messages[shown] = (
                    f"this goal statement is word for word the same in {len(files)} plans (also {others}); "
                    "goals copied across clients are not individualised: rewrite it for this client"
                )
            for line, column in positions:
                yield FileFinding(file, line, column, message)


RULES = collect(globals())
CROSS_FILE_RULES = tuple(r for r in RULES if r.cross_check is not None)
