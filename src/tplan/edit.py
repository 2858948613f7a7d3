"""Editing a plan so that the git diff shows only the lines tplan inserted or changed.

Why not load, change and dump with ruamel's round-trip mode: dumping rewrites lines nobody
touched. A flow mapping spread over two lines is joined into one, the blank line before the next
section moves below an appended entry, one indentation is imposed on the whole file and CRLF
becomes LF. So the node tree that `tplan lint` composes anyway (one parse, tplan.linter.check_text)
gives only the positions of the nodes, and the new text is inserted at those positions in the
file's own style: its indentation, flow (`- {date: …}`) or block entries, quoting and line endings
(tplan.yamltext writes the values). Every other character stays.

Each edit is then proved: the new text must load to exactly the old data plus the intended change
and pass the schema, or nothing is written. Edits run under the plan's edit lock and files are
written atomically, never over a change another program made meanwhile (tplan.fsio).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tplan.diagnostics import Path, Severity
from tplan.errors import TplanError
from tplan.fsio import UNCHANGED as _UNCHANGED
from tplan.fsio import atomic_write, check_writable, edit_lock
from tplan.loader import LoadError, decode, load_text
from tplan.measures import Catalogue, load_catalogue
from tplan.schema.plan import Plan
from tplan.yamltext import quoted, yaml_value

BOM = "\ufeff"


@dataclass(frozen=True)
class Style:
    """How this file indents, measured from its own block collections (most common wins)."""

    newline: str = "\n"
    seq_offset: int = 2  # dash column minus the column of the key that holds the list
    item_gap: int = 2  # key column minus dash column for a mapping inside a list item
    map_indent: int = 2  # key column of a nested block mapping minus its parent key's column
    flow_gap: int = 2  # `{` column minus dash column for a `- {…}` item


@dataclass
class PlanFile:
    """A plan read for editing: its exact text, its data, the validated Plan and its node tree."""

    path: FsPath
    raw: bytes
    text: str  # without a byte-order mark (kept in `bom` and written back)
    bom: str
    data: dict[str, Any]
    plan: Plan
    root: MappingNode
    style: Style
    cr_only: bool = False  # `text` has LF where the file has CR; written back with CR


@contextlib.contextmanager
def editing(path: str, catalogue: Catalogue | None = None) -> Iterator[PlanFile]:
    """The plan, read for editing while this process holds the plan's edit lock: a second tplan
    edit of the same file waits, then reads the first one's result (never a lost update). A plan
    the user marked read-only or cannot write is refused before anything else is done."""
    with edit_lock(path):
        check_writable(path)
        yield open_plan(path, catalogue)


def open_plan(path: str, catalogue: Catalogue | None = None) -> PlanFile:
    """Read and validate a plan for editing. A plan that cannot be read, does not parse or fails
    the schema raises TplanError (exit 2): tplan never edits a file it cannot fully understand.
    One parse: the node tree that `check_text` composed gives the positions the edit needs."""
    from tplan.linter import LintSettings, check_text

    raw = _read_bytes(path)
    try:
        text = decode(raw)
        checked = check_text(text, path, LintSettings(select=("E",)), catalogue or load_catalogue())
    except LoadError as exc:
        raise TplanError(f"{_where(path, exc.line, exc.column)}{exc.code} {exc.message}; {_UNCHANGED}") from None
    errors = [d for d in checked.result.diagnostics if d.severity is Severity.ERROR]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise TplanError(
            f"{_where(path, first.line, first.column)}{first.code} {first.message}{more}; tplan edits only "
            f"plans that pass the schema: fix this first (`tplan lint {path}` lists every problem); {_UNCHANGED}"
        )
    if checked.plan is None:
        raise TplanError(f"{path}: fill in the template placeholders first (`tplan lint {path}` lists them); {_UNCHANGED}")
    # A file with CR-only line endings is edited as if it had LF ones (one character for one, so
    # every position stays valid) and written back with CRs.
    cr_only = "\r" in text and "\n" not in text
    work = text.replace("\r", "\n") if cr_only else text
    bom = BOM if raw.startswith(BOM.encode("utf-8")) else ""
    root = checked.doc.root
    assert isinstance(root, MappingNode)  # the plan passed the schema, so its top level is a mapping
    return PlanFile(FsPath(path), raw, work, bom, checked.doc.data, checked.plan, root, _measure_style(work, root), cr_only)


def check_not_before_created(plan: Plan, when: _dt.date, what: str) -> None:
    """Refuse a date before the plan existed: a year typo (2025 for 2026) must not pass."""
    if when < plan.created:
        raise TplanError(f"--date {when} is before the plan was created ({plan.created}); {what}; {_UNCHANGED}")


def check_option_text(option: str, value: str | None) -> None:
    """Refuse text from the command line that is not valid UTF-8: Python hands such argv bytes over
    as lone surrogates, which cannot be written to a UTF-8 plan (and guessing would change them)."""
    if value is None:
        return
    bad = next((c for c in value if "\udc80" <= c <= "\udcff"), None)
    if bad is not None:
        raise TplanError(
            f"{option} is not valid UTF-8 text (byte 0x{ord(bad) - 0xDC00:02x}); check your terminal's encoding; {_UNCHANGED}"
        )


def shown(path: str) -> str:
    """A path as it can be printed: a file name that is not valid UTF-8 gets U+FFFD, not a crash."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# Larger than any plan (a busy two-year plan is ~60 KB); a bigger file is not read into memory.
MAX_PLAN_BYTES = 5 * 1024 * 1024


def _read_bytes(path: str) -> bytes:
    """The plan's bytes through the shared guarded reader (tplan.reading): a regular file only (a
    named pipe would block, a device never end) and no larger than MAX_PLAN_BYTES."""
    from tplan.reading import read_plan_bytes

    try:
        return read_plan_bytes(path, _EditLimits(MAX_PLAN_BYTES))
    except LoadError as exc:
        raise TplanError(f"{path}: {exc.message}; {_UNCHANGED}") from None


@dataclass(frozen=True)
class _EditLimits:
    max_file_bytes: int


def _where(path: str, line: int, column: int) -> str:
    return f"{path}:{line}:{column}: " if line else f"{path}: "


# ---- reading the file's style ------------------------------------------------------------------


def _newline(text: str) -> str:
    cut = text.find("\n")
    if cut > 0 and text[cut - 1] == "\r":
        return "\r\n"
    return "\n"  # CR-only files are edited with LF (PlanFile.cr_only)


def _measure_style(text: str, root: Node) -> Style:
    offsets: Counter[int] = Counter()
    gaps: Counter[int] = Counter()
    flow_gaps: Counter[int] = Counter()
    indents: Counter[int] = Counter()
    stack = [root]  # a loop, not recursion: a deeply nested `x-` extension must not overflow
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(value, SequenceNode) and not value.flow_style and value.value:
                    dash = _dash_column(text, value.value[0])
                    if dash is not None:
                        offsets[dash - _column(text, key)] += 1
                elif isinstance(value, MappingNode) and not value.flow_style and value.value:
                    indents[_column(text, value.value[0][0]) - _column(text, key)] += 1
                stack.append(value)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                if isinstance(item, MappingNode) and not node.flow_style:
                    dash = _dash_column(text, item)
                    if dash is not None:
                        (flow_gaps if item.flow_style else gaps)[_column(text, item) - dash] += 1
                stack.append(item)

    offset = offsets.most_common(1)[0][0] if offsets else 2
    gap = gaps.most_common(1)[0][0] if gaps else 2
    indent = indents.most_common(1)[0][0] if indents else 2
    flow_gap = flow_gaps.most_common(1)[0][0] if flow_gaps else 2
    return Style(_newline(text), max(offset, 0), max(gap, 1), max(indent, 1), max(flow_gap, 1))


def _dash_column(text: str, item: Node) -> int | None:
    """Column of the `-` that starts a block-sequence item, when it is on the item's first line."""
    start: int = item.start_mark.index
    line_start = text.rfind("\n", 0, start) + 1
    j = start - 1
    while j >= line_start and text[j] == " ":
        j -= 1
    if j >= line_start and text[j] == "-":
        return j - line_start
    return None


# ---- the edit --------------------------------------------------------------------------------------


@dataclass
class _TextEdit:
    offset: int
    end: int  # == offset for a pure insertion; > offset replaces text[offset:end]
    text: str
    order: int


@dataclass
class PlanEdit:
    """Changes to one plan, kept both as text edits and as the data they must produce."""

    pf: PlanFile
    expected: dict[str, Any] = field(init=False)
    _edits: list[_TextEdit] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.expected = copy.deepcopy(self.pf.data)

    # -- public operations --

    def set_value(self, path: Path, value: Any, *, after: str | tuple[str, ...] | None = None) -> None:
        """Set a scalar at path (its parent mapping must exist); a new key goes after `after`.
        A value the clinician quoted keeps its quotes."""
        parent_path, key = _split_key(path)
        parent = self._node(parent_path)
        found = _entry(parent, key)
        flow = not _is_block(parent)
        if found is not None:
            node = found[1]
            if not isinstance(node, ScalarNode):
                raise TplanError(f"{self.pf.path}: {key} is not a single value; {_UNCHANGED}")
            text = yaml_value(value, flow)
            if node.style in ("'", '"') and isinstance(value, (_dt.date, str)):  # keep the clinician's quotes
                plain = value.isoformat() if isinstance(value, _dt.date) else value
                text, value = quoted(plain, node.style), plain
            self._replace(node.start_mark.index, node.end_mark.index, text)
        else:
            self._add_key(parent, key, [yaml_value(value, flow)], after=after, before=None)
        _data_at(self.expected, parent_path)[key] = value

    def add_mapping(self, path: Path, value: dict[str, Any], *, after: tuple[str, ...] = ()) -> None:
        """Add a new key holding a mapping (e.g. `discharge:`), one key per line in a block file,
        after the first of `after` that the parent has (else after its last key). Lists of
        mappings inside it get one `- {…}` line per item."""
        parent_path, key = _split_key(path)
        parent = self._node(parent_path)
        if _entry(parent, key) is not None:
            raise TplanError(f"{self.pf.path}: the plan already has {key}; {_UNCHANGED}")
        if _is_block(parent):
            column = _key_column(self.pf.text, parent) + self.pf.style.map_indent
            self._add_key(parent, key, self._block_mapping(column, value), after=after, before=None, block_value=True)
        else:
            self._add_key(parent, key, [yaml_value(value, True)], after=after, before=None)
        _data_at(self.expected, parent_path)[key] = value

    def insert_item(
        self, path: Path, index: int, entry: dict[str, Any], *, new_style: str = "flow", before: str | None = None
    ) -> None:
        """Insert a mapping entry at `index` of the list at path, creating the list when absent.

        The entry copies the style of its neighbour in the list; a new or empty list gets
        `new_style` ("flow": one `- {…}` line per entry, "block": one key per line). A missing
        list key goes before the key `before` (or after the parent's last key)."""
        self.insert_items(path, index, [entry], new_style=new_style, before=before)

    def insert_items(
        self, path: Path, index: int, entries: list[dict[str, Any]], *, new_style: str = "flow", before: str | None = None
    ) -> None:
        """insert_item for several entries in a row (in the order given)."""
        parent_path, key = _split_key(path)
        parent = self._node(parent_path)
        found = _entry(parent, key)
        parent_data = _data_at(self.expected, parent_path)
        if found is None:
            if _is_block(parent):
                dash = _key_column(self.pf.text, parent) + self.pf.style.seq_offset
                lines = [line for e in entries for line in self._block_items(dash, None, e, new_style)]
                self._add_key(parent, key, lines, after=None, before=before, block_value=True)
            else:
                items = ", ".join(yaml_value(e, True) for e in entries)
                self._add_key(parent, key, ["[" + items + "]"], after=None, before=None)
            parent_data[key] = list(entries)
            return
        key_node, seq = found
        if not isinstance(seq, SequenceNode):
            raise TplanError(f"{self.pf.path}: {key} is not a list; {_UNCHANGED}")
        if seq.flow_style and not seq.value and _is_block(parent):
            self._empty_flow_to_block(key_node, seq, entries, new_style)
        elif seq.flow_style:
            self._insert_flow_items(seq, index, entries)
        else:
            self._insert_block_items(seq, index, entries, new_style)
        parent_data[key][index:index] = entries

    def new_text(self) -> str:
        """The edited text as it will be written (without the byte-order mark)."""
        text = self.pf.text
        for edit in sorted(self._edits, key=lambda e: (e.offset, e.order), reverse=True):
            text = text[: edit.offset] + edit.text + text[edit.end :]
        return text.replace("\n", "\r") if self.pf.cr_only else text

    def save(self) -> Plan:
        """Prove the edit (same data plus the change, schema passes) and write it atomically,
        unless the file no longer holds the bytes it was read from (another program saved it)."""
        text = self.new_text()
        plan = self._verify(text)
        atomic_write(self.pf.path, self.pf.bom + text, expected=self.pf.raw)
        return plan

    # -- checks --

    def _verify(self, text: str) -> Plan:
        from tplan.linter import validate

        problem = None
        try:
            doc = load_text(text)
        except LoadError as exc:
            problem = exc.message
        else:
            if doc.data != self.expected:
                problem = "the result would differ from the intended change"
            elif doc.duplicates:
                problem = "the result would have a duplicated key"
            else:
                plan, findings = validate(doc.data, doc)
                if plan is not None and not findings:
                    return plan
                problem = "the result would not pass the schema"
        raise TplanError(
            f"{self.pf.path}: tplan could not make this change without disturbing the rest of the file "
            f"({problem}); {_UNCHANGED}. Please report this with a copy of the plan's layout (no client data)."
        )

    # -- text operations --

    def _replace(self, start: int, end: int, text: str) -> None:
        self._edits.append(_TextEdit(start, end, text, len(self._edits)))

    def _insert_lines(self, offset: int, lines: list[str], *, at_line_start: bool = True) -> None:
        nl = self.pf.style.newline
        if at_line_start:
            self._replace(offset, offset, "".join(line + nl for line in lines))
        else:  # the file ends without a line break after the anchor
            self._replace(offset, offset, "".join(nl + line for line in lines))

    def _insert_after(self, node: Node, lines: list[str]) -> None:
        offset, line_start = _line_after(self.pf.text, node)
        self._insert_lines(offset, lines, at_line_start=line_start)

    def _node(self, path: Path) -> MappingNode:
        node: Node = self.pf.root
        for part in path:
            found: tuple[Node | None, Node] | None = _entry(node, part) if isinstance(node, MappingNode) else None
            if isinstance(node, SequenceNode) and isinstance(part, int):
                found = (None, node.value[part])
            if found is None:
                raise TplanError(f"{self.pf.path}: the plan has no {'.'.join(map(str, path))}; {_UNCHANGED}")
            node = found[1]
        if not isinstance(node, MappingNode):
            raise TplanError(f"{self.pf.path}: {'.'.join(map(str, path))} is not a group of keys; {_UNCHANGED}")
        return node

    def _add_key(
        self, mapping: MappingNode, key: str, value_lines: list[str], *, after: str | tuple[str, ...] | None,
        before: str | None, block_value: bool = False,
    ) -> None:
        """Add `key` to a mapping. Block: value_lines are the value (one line) or, with
        block_value, the lines below `key:`. Flow: value_lines[0] is the flow value. `after` may
        name several keys: the first the mapping has is the anchor (else its last key)."""
        if isinstance(after, tuple):
            after = next((a for a in after if _entry(mapping, a) is not None), None)
        if not _is_block(mapping):
            anchor = _entry(mapping, after) if after else None
            last = (anchor or mapping.value[-1])[1] if mapping.value else None
            if last is None:  # `{}`
                self._replace(mapping.end_mark.index - 1, mapping.end_mark.index - 1, f"{key}: {value_lines[0]}")
            else:
                self._replace(last.end_mark.index, last.end_mark.index, f", {key}: {value_lines[0]}")
            return
        pad = " " * _key_column(self.pf.text, mapping)
        lines = [f"{pad}{key}:", *value_lines] if block_value else [f"{pad}{key}: {value_lines[0]}"]
        target = _entry(mapping, before) if before else None
        if target is not None:
            offset, blank = _start_of_key_block(self.pf.text, target[0])
            self._insert_lines(offset, lines + ([""] if blank else []))
            return
        anchor = _entry(mapping, after) if after else None
        self._insert_after((anchor or mapping.value[-1])[1], lines)

    def _block_mapping(self, column: int, value: dict[str, Any]) -> list[str]:
        pad = " " * column
        lines = []
        for k, v in value.items():
            if isinstance(v, list) and v and all(isinstance(i, dict) for i in v):
                lines.append(f"{pad}{k}:")
                for item in v:
                    lines += self._block_items(column + self.pf.style.seq_offset, None, item, "flow")
            else:
                lines.append(f"{pad}{k}: {yaml_value(v, False)}")
        return lines

    def _block_items(self, dash: int, gap: int | None, entry: dict[str, Any], style: str) -> list[str]:
        if gap is None:
            gap = self.pf.style.flow_gap if style == "flow" else self.pf.style.item_gap
        prefix = " " * dash + "-" + " " * (gap - 1)
        if style == "flow":
            return [prefix + yaml_value(entry, True)]
        pad = " " * (dash + gap)
        items = list(entry.items())
        lines = [f"{prefix}{items[0][0]}: {yaml_value(items[0][1], False)}"]
        lines += [f"{pad}{k}: {yaml_value(v, False)}" for k, v in items[1:]]
        return lines

    def _insert_block_items(self, seq: SequenceNode, index: int, entries: list[dict[str, Any]], new_style: str) -> None:
        items = seq.value
        neighbour = items[index - 1] if index > 0 else items[0]
        dash = _dash_column(self.pf.text, neighbour)
        if dash is None:
            dash, gap = _dash_column(self.pf.text, items[0]) or 0, None
        else:
            gap = _column(self.pf.text, neighbour) - dash
        if isinstance(neighbour, MappingNode):
            style = "flow" if neighbour.flow_style else "block"
        else:
            style = new_style
        lines = [line for e in entries for line in self._block_items(dash, gap, e, style)]
        if index > 0:
            self._insert_after(neighbour, lines)
        else:
            self._insert_lines(_line_start(self.pf.text, items[0].start_mark.index), lines)

    def _empty_flow_to_block(self, key_node: Node, seq: SequenceNode, entries: list[dict[str, Any]], style: str) -> None:
        """`progress: []` becomes `progress:` with the entry on the lines below (one changed line)."""
        text = self.pf.text
        start = seq.start_mark.index
        while start > 0 and text[start - 1] == " ":
            start -= 1
        self._replace(start, seq.end_mark.index, "")
        dash = _column(text, key_node) + self.pf.style.seq_offset
        self._insert_after(seq, [line for e in entries for line in self._block_items(dash, None, e, style)])

    def _insert_flow_items(self, seq: SequenceNode, index: int, entries: list[dict[str, Any]]) -> None:
        text, items = self.pf.text, seq.value
        own_lines = len(items) > 1 and all(_first_on_line(text, i) for i in items[1:])
        nl = self.pf.style.newline
        if not items:
            self._replace(seq.end_mark.index - 1, seq.end_mark.index - 1, ", ".join(yaml_value(e, True) for e in entries))
        elif index >= len(items):
            last = items[-1]
            sep = "," + nl + " " * _column(text, last) if own_lines else ", "
            self._replace(last.end_mark.index, last.end_mark.index, "".join(sep + yaml_value(e, True) for e in entries))
        else:
            nxt = items[index]
            sep = "," + nl + " " * _column(text, nxt) if own_lines and _first_on_line(text, nxt) else ", "
            self._replace(nxt.start_mark.index, nxt.start_mark.index, "".join(yaml_value(e, True) + sep for e in entries))


# ---- node and text helpers ------------------------------------------------------------------------


def _split_key(path: Path) -> tuple[Path, str]:
    """The parent's path and the key an edit adds or changes (the last part names a key)."""
    key = path[-1]
    if not isinstance(key, str):
        raise TypeError(f"an edit's path must end with a key, not the list index {key}")
    return path[:-1], key


def _entry(mapping: Node, key: Any) -> tuple[Node, Node] | None:
    if not isinstance(mapping, MappingNode):
        return None
    found = None
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == key:
            found = (k, v)
    return found


def _is_block(node: Node) -> bool:
    return not getattr(node, "flow_style", False)


def _key_column(text: str, mapping: MappingNode) -> int:
    return _column(text, mapping.value[0][0] if mapping.value else mapping)


def _column(text: str, node: Node) -> int:
    """0-based column of the node's start, counted from the last LF (the parser's own column also
    restarts after NEL, LS and PS, which editors and this module do not treat as line breaks)."""
    start: int = node.start_mark.index
    return start - _line_start(text, start)


def _data_at(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _first_on_line(text: str, node: Node) -> bool:
    start = node.start_mark.index
    return text[_line_start(text, start) : start].strip() == ""


def _content_end(text: str, node: Node) -> tuple[int, bool]:
    """Where the node's text really ends, and whether that is already a line start (a block scalar
    that keeps its trailing line breaks). Block collections end at the next token, past any
    comments and blank lines, so their end is that of their last child."""
    while True:
        if isinstance(node, MappingNode) and not node.flow_style and node.value:
            node = node.value[-1][1]
        elif isinstance(node, SequenceNode) and not node.flow_style and node.value:
            node = node.value[-1]
        else:
            break
    end = node.end_mark.index
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        header = text[node.start_mark.index : text.find("\n", node.start_mark.index)]
        if "+" in header.split("#")[0]:
            return _line_start(text, end) if end < len(text) else end, True
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end, False


def _line_after(text: str, node: Node) -> tuple[int, bool]:
    """Offset of the line after the node's last line, and False when the file ends before it."""
    end, at_line_start = _content_end(text, node)
    if at_line_start:
        return end, True
    cut = text.find("\n", end)
    if cut < 0:
        return len(text), False
    return cut + 1, True


def _start_of_key_block(text: str, key: Node) -> tuple[int, bool]:
    """Start of the comment lines right above a key at its indentation (they belong to it), and
    whether a blank line separates that block from what comes before (so an inserted section gets
    one too). Comments indented deeper belong to the section above and stay with it."""
    start = _line_start(text, key.start_mark.index)
    indent = " " * _column(text, key)
    while start > 0:
        prev = _line_start(text, start - 1)
        line = text[prev:start]
        if line.startswith(indent + "#"):
            start = prev
        else:
            break
    blank = start > 0 and text[_line_start(text, start - 1) : start].strip() == ""
    return start, blank
