"""Writing a JSON document whose long lists are made as they are written.

`json.dumps(document, indent=2, ensure_ascii=False)` needs the whole document, and for a 10,000-plan
run its findings list is 30,000 dictionaries and the text 17 MB. `pieces` gives the very same text
in pieces: the document is dumped with a marker where each long list goes, and each list is then
written item by item at the marker's indentation, each item dumped alone, as json.dumps would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

_ENCODER = json.JSONEncoder(indent=2, ensure_ascii=False)  # what json.dumps(..., indent=2, ensure_ascii=False) uses


def marker(name: str) -> str:
    """A value to put where the list `name` goes. It starts with NUL, which JSON escapes and no
    file name, path or message written in a document can hold, so it is found only where it was put."""
    return f"\0tplan-list-{name}"


def dumps(value: Any) -> str:
    """json.dumps(value, indent=2, ensure_ascii=False)."""
    return _ENCODER.encode(value)


def pieces(document: dict[str, Any], lists: dict[str, Iterable[Any]]) -> Iterator[str]:
    """dumps(document) with the list lists[name] where document holds marker(name), in pieces:
    byte for byte what dumps would give for the document holding the lists themselves. The markers
    must come in `lists`' order in the document."""
    rest = dumps(document)
    for name, items in lists.items():
        head, found, rest = rest.partition(dumps(marker(name)))
        if not found:
            raise ValueError(f"no marker for the list {name!r} in the document")
        yield head
        yield from _items(items, _indent_of(head))
    yield rest


def _indent_of(head: str) -> str:
    """The indentation of the line the marker is on (that of the list's key)."""
    line = head[head.rfind("\n") + 1 :]
    return line[: len(line) - len(line.lstrip(" "))]


def _items(items: Iterable[Any], indent: str) -> Iterator[str]:
    """A list as json.dumps writes it at this indentation: `[]` when empty."""
    inner = indent + "  "
    first = True
    for item in items:
        yield ("[\n" if first else ",\n") + inner + dumps(item).replace("\n", "\n" + inner)
        first = False
    yield "[]" if first else "\n" + indent + "]"
