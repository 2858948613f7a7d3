"""Code actions: silence a finding (this line, or the whole file), and quick fixes where the fix
is certain: a misspelt key or allowed value with one close match (E004/E003), an ICD-10-CM code
written without its dot (C403), and a missing `updated` date.

Every edit is tried on the text before it is offered: a comment appended to a line that ends
inside a multi-line value would change the plan, so such an action is left out, and a fix is
offered only when the fixed text still loads.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from collections.abc import Sequence

from lsprotocol import types

from tplan.loader import LoadError, is_yaml_mapping, load_text
from tplan.lsp.convert import SOURCE
from tplan.lsp.positions import UTF16, from_client, split_lines, units
from tplan.lsp.schemapaths import allowed_values
from tplan.rules.compliance import ICD10CM
from tplan.rules.loading import ALWAYS_REPORTED
from tplan.suppressions import find as find_suppressions

_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'\?")
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")


def code_actions(
    uri: str, text: str, span: types.Range, diagnostics: Sequence[types.Diagnostic], encoding: str = UTF16
) -> list[types.CodeAction]:
    lines = split_lines(text)
    out: list[types.CodeAction] = []
    for d in diagnostics:
        if d.source != SOURCE or not isinstance(d.code, str):
            continue
        fix = _quick_fix(lines, d, encoding)
        if fix is not None and is_yaml_mapping(_apply(text, lines, [fix[1]], encoding)):
            out.append(_action(fix[0], uri, [fix[1]], d, preferred=True))
        if d.code in ALWAYS_REPORTED:
            continue  # E0xx cannot be silenced: the plan must be fixed
        for title, edit in (_disable_line(lines, d.range.start.line, d.code, encoding), _disable_file(text, lines, d.code, encoding)):
            if _same_plan(text, _apply(text, lines, [edit], encoding)):
                out.append(_action(title, uri, [edit], d))
    updated = _add_updated(lines, span, encoding, "\r\n" if "\r\n" in text else "\n")
    if updated is not None and is_yaml_mapping(_apply(text, lines, [updated[1]], encoding)):
        out.append(_action(updated[0], uri, [updated[1]], None))
    return out


def _action(title: str, uri: str, edits: list[types.TextEdit], d: types.Diagnostic | None, preferred: bool = False) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[d] if d is not None else None,
        is_preferred=preferred or None,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _end_of_line(lines: list[str], line: int, encoding: str) -> types.Position:
    return types.Position(line, units(lines[line], encoding) if line < len(lines) else 0)


def _disable_line(lines: list[str], line: int, code: str, encoding: str) -> tuple[str, types.TextEdit]:
    """Extend the line's `# tplan: disable=` comment with the code, or append one."""
    title = f"Disable {code} for this line"
    text = lines[line] if line < len(lines) else ""
    existing = [s for s in find_suppressions(text) if not s.whole_file]
    if existing:
        at = types.Position(line, units(text[: existing[-1].end_column - 1], encoding))
        return title, types.TextEdit(types.Range(at, at), f",{code}")
    end = _end_of_line(lines, line, encoding)
    gap = "" if text.endswith((" ", "\t")) or not text else "  "
    return title, types.TextEdit(types.Range(end, end), f"{gap}# tplan: disable={code}")


def _disable_file(text: str, lines: list[str], code: str, encoding: str) -> tuple[str, types.TextEdit]:
    """Extend the file's `# tplan: disable-file=` comment, or add one above the first key."""
    title = f"Disable {code} in this file"
    for s in find_suppressions(text):
        if s.whole_file:
            at = types.Position(s.line - 1, units(lines[s.line - 1][: s.end_column - 1], encoding))
            return title, types.TextEdit(types.Range(at, at), f",{code}")
    first = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), 0)
    newline = "\r\n" if "\r\n" in text else "\n"
    at = types.Position(first, 0)
    return title, types.TextEdit(types.Range(at, at), f"# tplan: disable-file={code}{newline}")


def _quick_fix(lines: list[str], d: types.Diagnostic, encoding: str) -> tuple[str, types.TextEdit] | None:
    written = _text_in(lines, d.range, encoding)
    if written is None:
        return None
    replacement = None
    if d.code in ("E003", "E004"):
        replacement = _suggestion(d, written)
    elif d.code == "C403":
        replacement = _dotted_icd10(written)
    if replacement is None or replacement == written:
        return None
    what = "key" if d.code == "E004" else "value"
    return f"Change {what} to '{replacement}'", types.TextEdit(d.range, replacement)


def _suggestion(d: types.Diagnostic, written: str) -> str | None:
    """The one close match: the linter's own "did you mean", or for a fixed set of values (E003)
    the single allowed value close to what was written."""
    match = _DID_YOU_MEAN.search(d.message)
    if match:
        return match.group(1)
    if d.code != "E003" or not isinstance(d.data, dict) or not isinstance(d.data.get("path"), list):
        return None
    allowed = allowed_values(tuple(d.data["path"]))
    value = written.strip("'\"")
    by_case = [a for a in allowed if a.casefold() == value.casefold()]
    close = by_case or difflib.get_close_matches(value.lower(), allowed, n=2, cutoff=0.6)
    return close[0] if len(close) == 1 else None


def _dotted_icd10(written: str) -> str | None:
    """'F411' → 'F41.1' (and 'f41.1' → 'F41.1'), when that is a well-formed ICD-10-CM code."""
    value = written.strip("'\"").strip().upper()
    if "." not in value and len(value) > 3:
        value = f"{value[:3]}.{value[3:]}"
    if not ICD10CM.match(value):
        return None
    quote = written[0] if written[:1] in ("'", '"') and written.endswith(written[0]) else ""
    return f"{quote}{value}{quote}"


def _add_updated(lines: list[str], span: types.Range, encoding: str, newline: str) -> tuple[str, types.TextEdit] | None:
    """`updated: <today>` under `created:`, offered on the `created:` line of a plan without one."""
    keys = {m.group(1): i for i, line in enumerate(lines) if (m := _TOP_KEY.match(line))}
    created = keys.get("created")
    if created is None or "updated" in keys or not (span.start.line <= created <= span.end.line):
        return None
    today = _dt.date.today().isoformat()
    at = _end_of_line(lines, created, encoding)
    return f"Add 'updated: {today}'", types.TextEdit(types.Range(at, at), f"{newline}updated: {today}")


def _text_in(lines: list[str], span: types.Range, encoding: str) -> str | None:
    if span.start.line != span.end.line or span.start.line >= len(lines):
        return None
    line = lines[span.start.line]
    start = from_client(lines, span.start.line, span.start.character, encoding)
    end = from_client(lines, span.end.line, span.end.character, encoding)
    return line[start:end] if end > start else None


def _apply(text: str, lines: list[str], edits: list[types.TextEdit], encoding: str) -> str:
    """The text with the edits made (applied from the last to the first)."""
    offsets = _line_offsets(text)

    def offset(p: types.Position) -> int:
        if p.line >= len(lines):
            return len(text)
        return offsets[p.line] + from_client(lines, p.line, p.character, encoding)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        offsets.append(m.end())
    return offsets


def _same_plan(old: str, new: str) -> bool:
    """Whether `new` holds exactly the data of `old` (a comment added, nothing else)."""
    try:
        before = load_text(old).data
    except LoadError:
        return False
    try:
        return bool(load_text(new).data == before)
    except LoadError:
        return False
