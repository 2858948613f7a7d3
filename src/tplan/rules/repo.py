"""D7xx: rules that look across all the files of one run.

Each is a pair: a `collect` function runs in every file's own pass and returns a small fact (the
plan id and its position; a digest of each goal statement and its position), and the rule's check
runs once after all files, on those facts sorted by path. So no file is read twice, and the output
is the same whether files were linted in one process or in workers (facts are pickled back). Paths
are named as given on the command line.

The checks yield their findings in the order of the facts (file by file): the linter then formats
each file's findings as soon as they are known and holds no run-wide list of them. It copes with a
check that does not (it holds that check's findings), but these two keep to it.

A fact is held for every file until the report is written, so both are packed in one bytes object:
a 10,000-plan run holds 20,000 of them (docs/benchmarks.md, issue 19 target 4).
"""

from __future__ import annotations

import itertools
import os
import stat
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from tplan.diagnostics import Severity
from tplan.rules import standards
from tplan.rules.base import DataContext, FileFinding, Limits, collect, rule

try:  # hashlib's own BLAKE2, without hashlib loading OpenSSL (4 MB and 3 ms of every start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

NAMED = 3  # how many other files a D7xx message names before "and N more"

_Packed = TypeVar("_Packed", bound=bytes)


def _restore(cls: type[_Packed], data: bytes) -> _Packed:
    """Unpickle a packed fact as it was sent (its constructor takes the unpacked values)."""
    return bytes.__new__(cls, data)


def normalise_statement(text: str) -> str:
    """A goal statement compared word for word: case and spacing ignored, punctuation kept."""
    return " ".join(text.split()).casefold()


def _real(file: str, folders: dict[str, str]) -> str:
    """One file reached by two spellings (plans/a.yaml and ./plans/a.yaml) is not a duplicate.
    The file's folder is resolved once per folder (`folders` remembers it for one check): a full
    realpath looks up every folder on the way, for each of thousands of files in a few folders."""
    folder, name = os.path.split(file)
    try:
        linked = stat.S_ISLNK(os.lstat(file).st_mode)
    except (OSError, ValueError):
        linked = False
    if linked or name in ("", os.curdir, os.pardir):
        return os.path.normcase(os.path.realpath(file))
    real_folder = folders.get(folder)
    if real_folder is None:
        real_folder = folders[folder] = os.path.realpath(folder or os.curdir)
    return os.path.normcase(os.path.join(real_folder, name))


def _named(shown: Sequence[str], total: int) -> str:
    """The first few other files, then "and N more"."""
    return ", ".join(shown) + (f" and {total - len(shown)} more" if total > len(shown) else "")


_POSITION = struct.Struct("<II")  # line, column


class PlanId(bytes):
    """D701's fact: the plan id and the (line, column) of its value, packed (line, column, then
    the id's UTF-8): one small object a plan instead of an object and a string."""

    __slots__ = ()

    def __new__(cls, plan_id: str, line: int, column: int) -> PlanId:
        return super().__new__(cls, _POSITION.pack(line, column) + plan_id.encode("utf-8", "surrogatepass"))

    def __reduce__(self) -> tuple[object, tuple[type[PlanId], bytes]]:
        return (_restore, (type(self), bytes(self)))

    @property
    def id(self) -> str:
        return self[_POSITION.size :].decode("utf-8", "surrogatepass")

    @property
    def line(self) -> int:
        return int(_POSITION.unpack_from(self)[0])

    @property
    def column(self) -> int:
        return int(_POSITION.unpack_from(self)[1])


def _plan_id(ctx: DataContext) -> PlanId | None:
    """The plan id as written (the schema need not pass). "<plan id>" in unfilled drafts is T601's
    business, not a duplicate id."""
    plan_id = ctx.data.get("id") if isinstance(ctx.data, dict) else None
    if not isinstance(plan_id, str) or ctx.unfilled(("id",)):
        return None
    return PlanId(plan_id, *ctx.position(("id",)))


@rule("D701", "duplicate-plan-id", Severity.ERROR, collect=_plan_id)
def duplicate_plan_id(facts: Sequence[tuple[str, PlanId]], limits: Limits) -> Iterator[FileFinding]:
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
    groups = _duplicate_ids(facts)
    if not groups:
        return
    # Linear in a group: each file's real path is looked up once, and the "also used in" list
    # depends only on it, so it is built once per real file (a group of 2,000 copies would
    # otherwise compare every file with every other one).
    messages: dict[tuple[str, str], str] = {}
    for file, fact in facts:
        plan_id = fact.id
        group = groups.get(plan_id)
        if group is None:
            continue
        r = group.real[file]
        message = messages.get((plan_id, r))
        if message is None:
            message = messages[plan_id, r] = _duplicate_message(plan_id, r, group)
        if message:
            yield FileFinding(file, fact.line, fact.column, message, ("id",))


@dataclass(slots=True)
class _Group:
    """The files sharing one id, in order, each with its real path, and how many files each real
    path stands for (one file named twice is not a duplicate of itself)."""

    files: list[tuple[str, str]] = field(default_factory=list)
    real: dict[str, str] = field(default_factory=dict)
    copies: Counter[str] = field(default_factory=Counter)

    def add(self, file: str, folders: dict[str, str]) -> None:
        real = _real(file, folders)
        self.files.append((file, real))
        self.real[file] = real
        self.copies[real] += 1


def _duplicate_ids(facts: Sequence[tuple[str, PlanId]]) -> dict[str, _Group]:
    """Each id used by two or more files, with its files (see _Group).

    Without a set of every id (in a run every plan has its own, and this runs each time the report
    is read): a bitmap of the ids' hashes, two bytes a plan, finds the few ids that may repeat (an
    id seen twice always does), and only those are counted."""
    size = max(1 << 16, 16 * len(facts))
    seen = bytearray(size // 8 + 1)
    maybe: set[str] = set()
    for _, fact in facts:
        plan_id = fact.id
        byte, bit = divmod(hash(plan_id) % size, 8)
        if seen[byte] >> bit & 1:
            maybe.add(plan_id)
        else:
            seen[byte] |= 1 << bit
    del seen
    if not maybe:
        return {}
    groups: dict[str, _Group] = {}
    folders: dict[str, str] = {}  # each folder's real path, for _real
    for file, fact in facts:
        plan_id = fact.id
        if plan_id in maybe:
            groups.setdefault(plan_id, _Group()).add(file, folders)
    return {plan_id: group for plan_id, group in groups.items() if len(group.files) > 1}


def _duplicate_message(plan_id: str, real: str, group: _Group) -> str:
    """The message for the file(s) at `real` path in a group sharing one id; empty when one file
    was named twice (it is not a duplicate of itself). Constant time in the group's size but for
    the few files it names."""
    total = len(group.files) - group.copies[real]
    if total == 0:
        return ""
    shown = list(itertools.islice((f for f, other in group.files if other != real), NAMED))
    return f"plan id {plan_id} is also used in {_named(shown, total)}; each plan needs its own id"


_STATEMENT = struct.Struct("<QII")  # digest of the normalised statement, line, column


def statement_digest(text: str) -> int:
    """A goal statement (normalised) as a 64-bit number: two plans' statements are compared,
    never shown, so D702 keeps no text (and its facts cost 16 bytes a goal)."""
    return int.from_bytes(blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class Statements(bytes):
    """D702's fact: (digest of the normalised statement, line, column) of each goal, packed. Plans
    started from one template share statements; the cross-file pass holds every plan's until the
    report is written."""

    __slots__ = ()

    def __new__(cls, items: Iterable[tuple[str, int, int]] = ()) -> Statements:
        """From (normalised statement, line, column) of each goal."""
        return super().__new__(cls, b"".join(_STATEMENT.pack(statement_digest(s), line, column) for s, line, column in items))

    def __reduce__(self) -> tuple[object, tuple[type[Statements], bytes]]:
        return (_restore, (type(self), bytes(self)))

    def entries(self) -> Iterator[tuple[int, int, int]]:
        """(digest, line, column) of each goal."""
        return _STATEMENT.iter_unpack(self)

    def digests(self) -> set[int]:
        """The distinct statements of this plan."""
        return {digest for digest, _, _ in _STATEMENT.iter_unpack(self)}


def _goal_statements(ctx: DataContext) -> Statements | None:
    """The goals' statements, from the raw data. Placeholders are left out: an unfilled template
    is T601's business."""
    goals = ctx.data.get("goals") if isinstance(ctx.data, dict) else None
    if not isinstance(goals, list):
        return None
    out: list[tuple[str, int, int]] = []
    for i, goal in enumerate(goals):
        statement = goal.get("statement") if isinstance(goal, dict) else None
        path = ("goals", i, "statement")
        if isinstance(statement, str) and statement.strip() and not ctx.unfilled(path):
            out.append((normalise_statement(statement), *ctx.position(path)))
    return Statements(out) if out else None


@rule("D702", "copied-goal", Severity.INFO, collect=_goal_statements, requirement=standards.INDIVIDUALISED)
def copied_goal(facts: Sequence[tuple[str, Statements]], limits: Limits) -> Iterator[FileFinding]:
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
    # Three passes over the facts instead of an index of every statement's files and positions (at
    # 10,000 plans that index was half the run's peak memory): count the plans each statement is
    # in, keep the first few plans of those copied often enough (the message names them), then
    # report each copy where it stands, file by file.
    plans = _plans_per_statement(facts, threshold)
    if not plans:
        return
    first: dict[int, list[str]] = {digest: [] for digest in plans}
    for file, statements in facts:
        for digest in statements.digests():
            head = first.get(digest)
            if head is not None and len(head) <= NAMED:
                head.append(file)
    # Only the first few other files are named, so every file of a large group but those few gets
    # the very same message: build it once per statement (a 10,000-plan run would otherwise make
    # 30,000 copies), and one for each of the few.
    common: dict[int, str] = {}
    own: dict[tuple[int, str], str] = {}
    for file, statements in facts:
        for digest, line, column in statements.entries():
            total = plans.get(digest)
            if total is None:
                continue
            head = first[digest]
            if file in head:
                message = own.get((digest, file)) or own.setdefault((digest, file), _copied_message(total, [f for f in head if f != file]))
            else:
                message = common.get(digest) or common.setdefault(digest, _copied_message(total, head))
            yield FileFinding(file, line, column, message)


def _copied_message(total: int, others: list[str]) -> str:
    """D702's message for a statement in `total` plans, naming the first of the `others`."""
    return (
        f"this goal statement is word for word the same in {total} plans (also {_named(others[:NAMED], total - 1)}); "
        "goals copied across clients are not individualised: rewrite it for this client"
    )


def _plans_per_statement(facts: Iterable[tuple[str, Statements]], threshold: int) -> dict[int, int]:
    """How many plans each statement is in, for those in `threshold` plans or more."""
    plans: dict[int, int] = {}
    for _, statements in facts:
        for digest in statements.digests():
            plans[digest] = plans.get(digest, 0) + 1
    return {digest: n for digest, n in plans.items() if n >= threshold}


RULES = collect(globals())
