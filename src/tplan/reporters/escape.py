"""Making every field of a finding safe to print on one line of a log.

A file name or a key can hold a newline, an escape sequence or a bidirectional override. Printed
raw, `x\n::error file=x::injected` becomes a second line that GitHub Actions runs as a workflow
command, an ANSI sequence recolours or hides a CI log, and U+202E reverses what a reviewer reads.
So the line-based formats (text, github) show such characters as `\\n`, `\\x1b`, `\\u202e`; JSON and
SARIF escape them by JSON's own rules. A file name that is not valid UTF-8 (Linux allows any
bytes) is shown with its odd bytes as `\\xe9`, so it can always be written out.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional
# marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def one_line(text: str) -> str:
    """`text` with every character that could break or disguise a log line escaped."""
    return _UNSAFE.sub(_escape, file_name(text))


def file_name(name: str) -> str:
    """A file name as valid text: bytes that were not UTF-8 (kept by Python as the surrogates
    U+DC80-U+DCFF) become `\\xNN`, any other lone surrogate `\\uNNNN`, so any output can encode it."""
    return _SURROGATE.sub(_escape_surrogate, name)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
