"""A run's results held compactly until they are reported (issue 19, target 4: the peak memory
of a 10,000-plan lint within 1.2× that of a 1,000-plan one).

`HeldResults` keeps, for each file, its name, its result only when there is something in it (own
findings, an unreadable file, inline suppressions of cross-file rules), and the cross-file rules'
facts. It is a sequence of FileResults all the same: reading it runs each cross-file check over the
facts and merges its findings into each file's result as that file is reached, so a file's
findings exist only while they are formatted. The checks are pure functions of the facts, so each
reading gives the same results: `finish` reads it once to count the totals (the summary lines,
exit code and JSON/SARIF heads need them first), then a reporter once (JSON twice: its files,
then its findings). A reading costs ~20 ms per 1,000 plans, ~1% of linting them.

This works when a check yields its findings in the order of its facts (file by file), as D701 and
D702 do. A check that does not is found out by the first (counting) pass, before anything is
written: its findings are then held by file, as every finding was before. Nothing here knows any
particular cross-file rule.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

from tplan.diagnostics import Diagnostic, FileResult, Totals
from tplan.diagnostics import Path as YamlPath

if TYPE_CHECKING:
    from tplan.linter import LintSettings
    from tplan.rules.base import FileFinding, Rule


class OutOfOrder(RuntimeError):
    """A cross-file check yielded a finding for a file it had already passed."""

    def __init__(self, code: str) -> None:
        super().__init__(f"the cross-file check {code} did not yield its findings in file order")
        self.code = code


class Column:
    """One cross-file rule's facts, one entry per file (None when the file has none).

    A fact that is `bytes` (of one type in the column: D701's and D702's are) is held packed in one
    buffer, with its end offset, and made again, of the same type, when read: 16 bytes of position
    and digest cost 16 bytes, not an object of 70-110 bytes a file. Any other fact is held as it
    is (the column turns into a plain list the first time one comes)."""

    def __init__(self) -> None:
        self._type: type[bytes] | None = None  # the packed facts' type, once one has come
        self._buffer = bytearray()
        self._ends = array("Q")  # where each file's fact ends in the buffer (= the next one's start)
        self._present = bytearray()  # 1 where the file has a fact
        self._objects: list[object | None] | None = None  # when the facts are not all bytes of one type

    def append(self, fact: object | None) -> None:
        if self._objects is not None:
            self._objects.append(fact)
        elif fact is None:
            self._ends.append(len(self._buffer))
            self._present.append(0)
        elif isinstance(fact, bytes) and type(fact) is (self._type or type(fact)):
            self._type = type(fact)
            self._buffer += fact
            self._ends.append(len(self._buffer))
            self._present.append(1)
        else:
            self._objects = [*self, fact]
            self._buffer, self._ends, self._present = bytearray(), array("Q"), bytearray()

    def __len__(self) -> int:
        return len(self._objects) if self._objects is not None else len(self._ends)

    def facts(self) -> int:
        """How many files have a fact."""
        if self._objects is not None:
            return sum(1 for fact in self._objects if fact is not None)
        return self._present.count(1)

    def __iter__(self) -> Iterator[object | None]:
        """Each file's fact, made from the buffer as it is read."""
        if self._objects is not None:
            yield from self._objects
            return
        kind = self._type or bytes
        make = bytes if kind is bytes else functools.partial(bytes.__new__, kind)
        with memoryview(self._buffer) as buffer:
            start = 0
            for end, present in zip(self._ends, self._present, strict=True):
                yield make(buffer[start:end]) if present else None
                start = end

    def reordered(self, order: list[int]) -> Column:
        """The facts in another order (when results did not come in path order)."""
        facts = list(self)
        column = Column()
        for k in order:
            column.append(facts[k])
        return column


class Facts(Sequence[tuple[str, object]]):
    """(file, fact) of each file that has one for a rule, in file order: what a cross-file check
    reads. Made as it is read, from the names and the rule's column."""

    def __init__(self, names: list[str], column: Column) -> None:
        self._names = names
        self._column = column

    def __iter__(self) -> Iterator[tuple[str, object]]:
        return ((name, fact) for name, fact in zip(self._names, self._column, strict=True) if fact is not None)

    def __len__(self) -> int:
        return self._column.facts()

    @overload
    def __getitem__(self, i: int) -> tuple[str, object]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[str, object]]: ...
    def __getitem__(self, i: int | slice) -> tuple[str, object] | list[tuple[str, object]]:
        """For a check that indexes its facts (D701 and D702 only iterate)."""
        pairs = list(self)
        return pairs[i]



class _InOrder:
    """One check's findings, taken file by file while the check runs."""

    def __init__(self, code: str, findings: Iterable[FileFinding], names: list[str]) -> None:
        self._code = code
        self._findings = iter(findings)
        self._next = next(self._findings, None)
        self._names = names

    def take(self, name: str) -> list[FileFinding]:
        """The findings for `name`, the next file of the run. One for a file that is not in the
        run is dropped (as it always was); one for a file already passed means the check is not
        in file order."""
        out: list[FileFinding] = []
        while (f := self._next) is not None:
            if f.file == name:
                out.append(f)
            elif f.file > name:
                break
            elif _known(self._names, f.file):
                raise OutOfOrder(self._code)
            self._next = next(self._findings, None)
        return out

    def close(self) -> None:
        """After the last file: what is left must be for files not in the run (a finding for
        one that is, left behind a later file's, means the check is not in file order)."""
        while (f := self._next) is not None:
            if _known(self._names, f.file):
                raise OutOfOrder(self._code)
            self._next = next(self._findings, None)


class _Held:
    """One check's findings held by file: for a check that is not in file order."""

    def __init__(self, findings: Iterable[FileFinding]) -> None:
        self._by_file: dict[str, list[FileFinding]] = {}
        for f in findings:
            self._by_file.setdefault(f.file, []).append(f)

    def take(self, name: str) -> list[FileFinding]:
        return self._by_file.get(name, [])

    def close(self) -> None:
        """Nothing to check: the findings were held whatever their order."""


def _known(names: list[str], name: str) -> bool:
    i = bisect.bisect_left(names, name)
    return i < len(names) and names[i] == name


class HeldResults(Sequence[FileResult]):
    """The results of a run, one per file in path order: see the module docstring.

    `add` each result (in any order), then `finish`. With `keep_facts` every result is kept as it
    came, facts included, and a file without cross-file findings is given back as that very
    object (the pure `cross_file_pass`); without, only what the report needs is kept. A result
    read from it may be one it keeps for the next reading: do not change it."""

    def __init__(self, rules: tuple[Rule, ...], settings: LintSettings, *, keep_facts: bool = False, drop: Iterable[str] = ()) -> None:
        self._settings = settings
        self._keep_facts = keep_facts
        self._rules = tuple(r for r in rules if r.cross_check is not None and settings.enabled(r))
        self._drop = frozenset(drop) | {r.code for r in rules}  # cross-file facts: read here, not reported
        self._names: list[str] = []
        self._kept: dict[int, FileResult] = {}  # by position in _names: the files with more than a name
        self._columns = [Column() for _ in self._rules]
        self._held: dict[str, _Held] = {}
        self.totals: Totals | None = None

    def add(self, result: FileResult) -> None:
        """Keep what the report and the cross-file checks need of one file's result."""
        facts = result.facts
        for rule, column in zip(self._rules, self._columns, strict=True):
            column.append(None if result.fatal else facts.get(rule.code))
        kept = result if self._keep_facts else self._compact(result)
        if kept is not None:
            self._kept[len(self._names)] = kept
        self._names.append(result.file)

    def _compact(self, result: FileResult) -> FileResult | None:
        """None for a file with nothing but its name and facts (a clean plan: most of a large
        run); otherwise the result without its cross-file facts."""
        facts = result.facts
        if facts and any(code in facts for code in self._drop):
            facts = {code: fact for code, fact in facts.items() if code not in self._drop}
        if not (result.diagnostics or result.fatal or result.silenced or facts):
            return None
        return result if facts is result.facts else dataclasses.replace(result, facts=facts)

    def finish(self) -> HeldResults:
        """Sort by path (stably: results with one name keep the order they were added in) and
        count the totals, which also finds any check that is not in file order."""
        names = self._names
        if any(a > b for a, b in itertools.pairwise(names)):
            order = sorted(range(len(names)), key=names.__getitem__)
            self._names = [names[k] for k in order]
            self._kept = {i: self._kept[k] for i, k in enumerate(order) if k in self._kept}
            self._columns = [column.reordered(order) for column in self._columns]
        while True:
            try:
                self.totals = Totals.of(self)
                return self
            except OutOfOrder as exc:
                rule = next(r for r in self._rules if r.code == exc.code)
                self._held[rule.code] = _Held(self._findings(rule))

    def __len__(self) -> int:
        return len(self._names)

    def __eq__(self, other: object) -> bool:
        """Equal to the same results in a list, as the report's files were."""
        if isinstance(other, HeldResults | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable until finished, and compared by content

    @overload
    def __getitem__(self, i: int) -> FileResult: ...
    @overload
    def __getitem__(self, i: slice) -> list[FileResult]: ...
    def __getitem__(self, i: int | slice) -> FileResult | list[FileResult]:
        """By reading up to it: a report is read in order, this is for the odd look-up."""
        if isinstance(i, slice):
            return list(self)[i]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return next(r for k, r in enumerate(self) if k == i)

    def __iter__(self) -> Iterator[FileResult]:
        """Each file's result with its cross-file findings, made as the file is reached."""
        sources = [(rule, self._held.get(rule.code) or _InOrder(rule.code, self._findings(rule), self._names)) for rule in self._rules]
        paths: dict[YamlPath, YamlPath] = {}  # one tuple per distinct path in a pass
        names = self._names
        for i, name in enumerate(names):
            kept = self._kept.get(i)
            added: list[Diagnostic] = []
            if sources and not (i and names[i - 1] == name):  # a name's findings go to its first result
                added = self._cross_file(i, name, sources, paths)
            if not added:
                yield kept if kept is not None else FileResult(name)
            elif kept is None:
                yield FileResult(name, sorted(added, key=_sort_key))
            else:
                yield dataclasses.replace(kept, diagnostics=sorted(kept.diagnostics + added, key=_sort_key))
        for _, source in sources:
            source.close()

    def _cross_file(self, i: int, name: str, sources: list[tuple[Rule, _InOrder | _Held]], paths: dict[YamlPath, YamlPath]) -> list[Diagnostic]:
        """The cross-file findings for file `i`, less those its inline comments or the config's
        per-file-ignores switch off."""
        added: list[Diagnostic] = []
        off: tuple[tuple[int, str], ...] | None = None
        ignores: tuple[str, ...] | None = None
        for rule, source in sources:
            found = source.take(name)
            if not found:
                continue
            if off is None:
                off, ignores = self._silenced(i), self._settings.ignored_in(name)
            if ignores and not self._settings.enabled(rule, ignores):
                continue
            code = rule.code
            for f in found:
                if (f.line, code) in off or (0, code) in off:
                    continue
                path = paths.setdefault(f.path, f.path)
                added.append(Diagnostic(code, rule.severity, f.message, name, f.line, f.column, path=path))
        return added

    def _silenced(self, i: int) -> tuple[tuple[int, str], ...]:
        """The cross-file codes silenced in file `i`: of its last result when one name has several
        (standard input named as a file of the run), as the findings were always matched."""
        names = self._names
        while i + 1 < len(names) and names[i + 1] == names[i]:
            i += 1
        kept = self._kept.get(i)
        return kept.silenced if kept is not None else ()

    def _findings(self, rule: Rule) -> Iterable[FileFinding]:
        assert rule.cross_check is not None  # only such rules are kept in _rules
        column = self._columns[self._rules.index(rule)]
        return rule.cross_check(Facts(self._names, column), self._settings.limits)


def _sort_key(d: Diagnostic) -> tuple[int, int, str, str]:
    return d.sort_key
