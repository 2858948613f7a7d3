"""Where the cursor is in a plan, read from the text's indentation alone.

A buffer being typed is often not valid YAML ("measure: " with nothing after it, a list item
half written), so completion cannot wait for a parse. Block-style YAML says enough through its
indentation: walking up from the cursor, the first line less indented than the current key holds
the parent key, and a "- " marks a list item. Flow mappings ({a: 1}) are read only on the cursor's
own line. List indexes in the paths are always 0: the schema is the same for every item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tplan.diagnostics import Path

# indentation, list markers ("- " possibly repeated), then a key with its colon, if any
_LINE = re.compile(r"^(?P<indent> *)(?P<dashes>(?:-[ ]+)*)(?:(?P<key>[A-Za-z_][\w.-]*)[ ]*:(?=[ ]|$))?")


def _prefix_end(text: str) -> int:
    """Where the indent, dashes and "key:" at the start of `text` end (_LINE matches any text)."""
    match = _LINE.match(text)
    assert match is not None  # every part of _LINE is optional
    return match.end()


@dataclass(frozen=True)
class Cursor:
    """What is being typed: a key of the mapping at `path`, or the value of the field at `path`."""

    kind: str  # "key" | "value"
    path: Path
    prefix: str  # the part of the word already typed
    start: int  # code-point column where that word starts
    in_list: bool = False  # a value inside [ … ] or after "- ": one item of a list field
    present: frozenset[str] | None = None  # keys already in a flow mapping ({a: 1, b|); None: block style


def _parse(line: str) -> tuple[int, list[int], int, str | None]:
    """(column of the first character, columns of the list markers, column of the content, key)."""
    m = _LINE.match(line)
    assert m is not None  # the pattern matches the empty string
    dashes, col = [], len(m.group("indent"))
    for part in re.finditer(r"-[ ]+", m.group("dashes")):
        dashes.append(col + part.start())
    content = m.end("dashes")
    return len(m.group("indent")), dashes, content, m.group("key")


def _blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#") or stripped in ("---", "...")


def parent_path(lines: list[str], line_no: int, column: int, dashes: list[int], seq: bool = False) -> Path | None:
    """The path of the mapping whose keys start at `column` on `line_no`, when `dashes` are the
    list markers before it on that line; with `seq`, of the list whose "- " is at `column`.
    None when the indentation does not add up."""
    path: list[str | int] = []
    kind, target = ("seq" if seq else "map"), column
    for d in reversed(dashes):
        path.append(0)
        kind, target = "seq", d
    for i in range(line_no - 1, -1, -1):
        line = lines[i]
        if _blank(line):
            continue
        first, line_dashes, content, key = _parse(line)
        if kind == "map":
            if content > target and not any(d < target for d in line_dashes):
                continue  # deeper: inside an earlier sibling's value
            if content == target and not line_dashes:
                continue  # a sibling key
            if content == target and line_dashes:
                # The list item our mapping belongs to starts on this line.
                for d in reversed(line_dashes):
                    path.append(0)
                    kind, target = "seq", d
                continue
            if first >= target:
                continue
        else:  # looking for the key that holds the list whose markers are at `target`
            if first > target or (first == target and line_dashes and line_dashes[0] == target):
                continue  # deeper, or a sibling item
        if key is None or content > target:
            return None  # a scalar or a broken line where a parent key should be
        path.append(key)
        kind, target = "map", content
        for d in reversed(line_dashes):
            path.append(0)
            kind, target = "seq", d
        if target == 0 and kind == "map":
            break
    if kind != "map" or target != 0:
        return None
    return tuple(reversed(path))


def cursor_at(lines: list[str], line_no: int, column: int) -> Cursor | None:
    """What the text before the cursor is in the middle of typing, or None (a comment, a free
    text value, an indentation tplan cannot follow)."""
    if not 0 <= line_no < len(lines):
        return None
    before = lines[line_no][:column]
    if "#" in before and re.search(r"(^|\s)#", before):
        return None
    flow = _in_flow_mapping(lines, line_no, before)
    if flow is not None:
        return flow
    first, dashes, content, key = _parse(before)
    if key is not None:  # "key: value-being-typed"
        parent = parent_path(lines, line_no, content, dashes)
        if parent is None:
            return None
        value = before[_prefix_end(before):]
        path = parent + (key,)
        if value.lstrip().startswith("["):  # a flow list: [P1, P
            inner = value.lstrip()[1:]
            word = re.split(r"[,\s]", inner)[-1]
            return Cursor("value", path, word, column - len(word), in_list=True)
        if value.lstrip().startswith(("{", "'", '"', ">", "|")):
            return None
        word = value.lstrip()
        if not re.fullmatch(r"[\w.<>=+ -]*", word):
            return None
        return Cursor("value", path, word, column - len(word))
    rest = before[content:]
    if not re.fullmatch(r"[\w.-]*", rest):
        return None
    if dashes:
        # "- P" under a list of scalars is a value; "- na" under a list of mappings is a key.
        holder = parent_path(lines, line_no, dashes[-1], dashes[:-1], seq=True)
        if holder is not None:
            from tplan.lsp.schemapaths import is_list_of_scalars

            if is_list_of_scalars(holder):
                return Cursor("value", holder, rest, content, in_list=True)
    parent = parent_path(lines, line_no, content, dashes)
    if parent is None:
        return None
    return Cursor("key", parent, rest, content)


def _in_flow_mapping(lines: list[str], line_no: int, before: str) -> Cursor | None:
    """A cursor inside a one-line flow mapping opened on this line: `- {instrument: PH` or
    `contact: {pho`. None when the cursor is not inside one."""
    brace = before.rfind("{")
    if brace < 0 or "}" in before[brace:]:
        return None
    head, inside = before[:brace], before[brace + 1 :]
    first, dashes, content, key = _parse(head)
    if head[content:].strip():
        if key is None or head[_prefix_end(head):].strip():
            return None  # text before the brace that is not just "key:" (or a nested flow)
        holder = parent_path(lines, line_no, content, dashes)
        holder = holder + (key,) if holder is not None else None
    elif dashes:
        holder = parent_path(lines, line_no, dashes[-1], dashes[:-1], seq=True)
        holder = holder + (0,) if holder is not None else None
    else:
        return None
    if holder is None:
        return None
    column = len(before)
    in_list = re.search(r"([A-Za-z_][\w-]*)[ ]*:[ ]*\[[^\[\]]*?([\w.-]*)$", inside)
    if in_list:  # {…, goals: [G1, G
        return Cursor("value", holder + (in_list.group(1),), in_list.group(2), column - len(in_list.group(2)), in_list=True)
    segment = inside.split(",")[-1]
    value = re.fullmatch(r"\s*([A-Za-z_][\w-]*)[ ]*:[ ]*([\w.-]*)", segment)
    if value:
        return Cursor("value", holder + (value.group(1),), value.group(2), column - len(value.group(2)))
    partial = re.fullmatch(r"\s*([\w-]*)", segment)
    if partial:
        present = frozenset(re.findall(r"(?:^|,)\s*([A-Za-z_][\w-]*)[ ]*:", inside))
        return Cursor("key", holder, partial.group(1), column - len(partial.group(1)), present=present)
    return None


def siblings(lines: list[str], line_no: int, column: int) -> set[str]:
    """Keys already written in the mapping whose keys start at `column` around `line_no`."""
    found: set[str] = set()
    for step in (-1, 1):
        i = line_no + step
        while 0 <= i < len(lines):
            line = lines[i]
            if not _blank(line):
                first, dashes, content, key = _parse(line)
                starts_item = bool(dashes) and content == column
                if content < column or (first < column and not starts_item) or (starts_item and step == 1):
                    break  # the end of this mapping, or the next list item
                if content == column and key:
                    found.add(key)
                if starts_item:
                    break  # the start of this list item
            i += step
    return found


def word_at(line: str, column: int) -> tuple[str, int, int]:
    """The word (letters, digits, '.', '-', '_') around `column`: (word, start, end)."""
    column = max(0, min(column, len(line)))
    start = column
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "._-"):
        start -= 1
    end = column
    while end < len(line) and (line[end].isalnum() or line[end] in "._-"):
        end += 1
    return line[start:end], start, end
