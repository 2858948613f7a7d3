"""One value as YAML text for a line of a plan: plain where YAML reads it back unchanged,
otherwise double-quoted with escapes, so any text a clinician gives (control characters, DEL,
NEL and the Unicode line separators included) reads back exactly, in any YAML reader."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

_probe_yaml: YAML | None = None


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether text can be written unquoted and read back as the same string."""
    global _probe_yaml
    if not text or text != text.strip() or not all(_printable(c) for c in text):
        return False
    if _probe_yaml is None:
        _probe_yaml = YAML(typ="safe")
    try:
        got = _probe_yaml.load(f"[{text}]" if flow else f"k: {text}")
    except YAMLError:
        return False
    return bool(got == ([text] if flow else {"k": text}))


def yaml_value(value: Any, flow: bool) -> str:
    """One value as YAML text on one line: plain where safe, double-quoted otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.date, int)):
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(yaml_value(v, True) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_value(v, True)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if _plain_ok(text, flow) else double_quoted(text)


# Escapes YAML's double-quoted style defines; any other character that is not printable, or that
# some YAML reader takes as a line break (NEL, LS, PS) or as a byte-order mark, is written as \xXX
# or \uXXXX, so a note reads back exactly whatever a clinician's clipboard held.
_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0", "\a": "\\a", "\b": "\\b",
    "\v": "\\v", "\f": "\\f", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P",
}


def _printable(ch: str) -> bool:
    """Safe to write as itself in any YAML 1.1 or 1.2 reader, inside or outside quotes."""
    code = ord(ch)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    ) and code not in (0x2028, 0x2029)


def quoted(text: str, style: str) -> str:
    """text in the given quote style, or double-quoted when single quotes cannot hold it."""
    if style == "'" and all(_printable(c) for c in text):
        return "'" + text.replace("'", "''") + "'"
    return double_quoted(text)


def double_quoted(text: str) -> str:
    """text as a YAML double-quoted scalar on one line."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    return '"' + "".join(out) + '"'
