"""Plan text made inert in Markdown: it may show any character, but can never become a link,
an image, HTML, a heading or a table cell break.

Every ASCII character that starts inline Markdown or HTML is backslash-escaped (CommonMark lets
any ASCII punctuation be escaped), line breaks are folded to spaces so text cannot start a new
block, and what could open a block at the start of a line (#, -, +, >, "1.") is escaped too.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>&|~!])")
_BLOCK_START = re.compile(r"^( ?)(?:([#+=>-])|(\d+)([.)]))")
_SPACE = re.compile(r"\s+")
# Anything the three patterns above would change: most values (ids, dates, numbers, plain words)
# have none, and are returned as they are without three substitutions.
_NEEDS_ESCAPING = re.compile(r"[\\`*_\[\]<>&|~!]|[^\S ]|  |^ ?(?:[#+=>-]|\d+[.)])")


def md_escape(value: object) -> str:
    """One line of Markdown that displays `value` exactly (each whitespace run becomes one space,
    so text can neither end a line nor indent one into a code block)."""
    text = value if type(value) is str else str(value)
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    text = _SPACE.sub(" ", text)
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)
