"""Positions: tplan's 1-based code-point line/column ↔ LSP's 0-based line/character.

LSP counts characters in UTF-16 code units unless the client negotiated another encoding, so an
emoji before a value moves LSP's character by two where tplan's column moves by one. Lines are
split on "\\n", "\\r\\n" and "\\r" only (LSP's and YAML's line breaks; str.splitlines would also
split on form feeds and U+2028, and the positions would drift).
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\r|\n")

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def split_lines(text: str) -> list[str]:
    """The text's lines without their line breaks (a final break gives a last, empty line)."""
    return _BREAK.split(text)


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units `text` takes in the client's encoding."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def to_client(lines: list[str], line: int, column: int, encoding: str = UTF16) -> tuple[int, int]:
    """tplan's (line, column), 1-based in code points → LSP's (line, character), 0-based.
    Line 0 (a finding about the whole file) is the start of the file."""
    if line <= 0:
        return 0, 0
    index = line - 1
    text = lines[index] if index < len(lines) else ""
    return index, units(text[: max(column - 1, 0)], encoding)


def from_client(lines: list[str], line: int, character: int, encoding: str = UTF16) -> int:
    """LSP's character on `line` (0-based) → the 0-based code-point index in that line."""
    text = lines[line] if 0 <= line < len(lines) else ""
    if encoding == UTF32:
        return min(character, len(text))
    count = 0
    for i, c in enumerate(text):
        if count >= character:
            return i
        count += units(c, encoding)
    return len(text)
