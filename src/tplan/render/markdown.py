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
# have none, and are returned as they are without three substitutions. It is the union of three
# cheap tests (one character class, a substring, an anchored match); one alternation of them cost
# twice as much per value, and a document prints ~250 values.
_NEEDS_ESCAPING = re.compile(r"[\\`*_\[\]<>&|~!]|[^\S ]|  |^ ?(?:[#+=>-]|\d+[.)])")  # the definition
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # \s but " "
_SPECIAL_OR_BREAK = re.compile(r"[\\`*_\[\]<>&|~!" + _WHITESPACE + "]")
_AT_START = re.compile(r" ?(?:[#+=>-]|\d+[.)])")


def md_escape(value: object) -> str:
    """One line of Markdown that displays `value` exactly (each whitespace run becomes one space,
    so text can neither end a line nor indent one into a code block)."""
    text = value if type(value) is str else str(value)
    if _SPECIAL_OR_BREAK.search(text) is None and "  " not in text and _AT_START.match(text) is None:
        return text  # what _NEEDS_ESCAPING.search(text) is None says, faster
    text = _SPACE.sub(" ", text)
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)
