"""Plan text → plain data and positions, straight from the C parser's event stream.

Why not ruamel's composer: composing a node tree (a ScalarNode, a Tag and two fresh Marks per
value, a resolver call each) and then walking it into data cost ~1.6x the parse itself on the
benchmark corpus. The events already carry every mark a diagnostic needs, so one pass over them
builds the data and keeps, beside it, a small position tree (`Spot`) whose leaves are the scalar
events themselves. Nothing else is built; `LoadedDoc.root` composes ruamel's node tree only when
asked (the editing commands, inline suppressions, the position of an unknown key).

This module reads only the plain case: a single document whose top level is a mapping, with
scalar keys and defined, unique anchors. Anything else (a parse error, a second document, an
undefined or duplicate anchor, a complex key, a top level that is not a mapping, any LoadError of
the alias or nesting limits) raises `Unusual`, and the loader takes its composing route, which
gives exactly the messages and positions it always gave. Here the data, duplicate keys (E006),
placeholders, alias sharing and counting are the same as `tplan.loader._Builder` makes from the
composed tree: tests/test_events.py compares the two on every example, fixture, rule case, the
corpus and generated input.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from tplan.diagnostics import Path

try:  # ruamel.yaml.clib; without it the loader composes with the pure-Python parser
    from _ruamel_yaml import CParser  # type: ignore[import-not-found]  # a compiled module without stubs
except ImportError:  # pragma: no cover - the package is a dependency
    CParser = None


# Plain scalars that can be other than text, by their text → their (immutable) value: plans repeat
# their dates, scores and booleans, and the core schema's patterns are the slow part of reading one.
_VALUES: dict[str, Any] = {}
_UNKNOWN = object()


class Unusual(Exception):
    """The text needs the composing route (see the module docstring)."""


class Spot:
    """Where a list or mapping is: its marks and, per key or index, where its children are.

    `children` is {key: entry} for a mapping, [entry, ...] for a list; an entry is a Spot or, for a
    scalar, its ScalarEvent (which has `start_mark` and `end_mark` too). An alias's entry is its
    anchor's, as the composed tree shares the anchor's node. Keys' own positions are not kept:
    only unknown keys (E004) ask for one, and LoadedDoc finds those in the composed tree.
    """

    __slots__ = ("start_mark", "end_mark", "children")

    def __init__(self, start_mark: Any, children: Any) -> None:
        self.start_mark = start_mark
        self.end_mark: Any = None
        self.children = children


class _Scalar:
    """An anchored scalar: its event and whether it was built as a value yet (a long text's
    repeats count by size only from its second build, as `_Builder._long_scalars` does)."""

    __slots__ = ("event", "built")

    def __init__(self, event: Any) -> None:
        self.event = event
        self.built = False


class _Collection:
    """An anchored list or mapping: None until built (so an alias inside it is recursive), then
    (value, spot, size, path first built at, its slice of the placeholders)."""

    __slots__ = ("built",)

    def __init__(self) -> None:
        self.built: tuple[Any, Spot | None, int, Path, int, int] | None = None


class EventBuilder:
    """One pass over the events: data, Spot tree, duplicates, placeholders. Raises Unusual."""

    def __init__(
        self, text: str, convert: Any, implicit: Any, placeholder: Any, chars_per_value: int, max_alias_values: int, spots: bool = True
    ) -> None:
        if CParser is None:
            raise Unusual
        self._spots = spots  # False: no Spot tree (LoadedDoc builds it again if a position is asked for)
        self._next = CParser(text).get_event
        self._convert = convert  # (text, core-schema kind) → Python value: loader._convert
        self._implicit = implicit  # first character → ((kind, match), ...), loader._IMPLICIT_KINDS
        self._placeholder = placeholder.search
        self._chars = chars_per_value
        self._max_repeat = max_alias_values
        self._repeated = 0
        self._anchors: dict[str, _Scalar | _Collection] = {}
        self.duplicates: list[tuple[Path, Any]] = []  # (path, mark of the repeated key)
        self.placeholders: list[tuple[Path, str]] = []

    def document(self) -> tuple[dict[str, Any], Spot | None]:
        get = self._next
        try:
            get()  # StreamStartEvent
            if get().__class__ is StreamEndEvent:  # empty: the loader words E005
                raise Unusual
            start = get()
            if start.__class__ is not MappingStartEvent:
                raise Unusual
            data, spot, _ = self._mapping(start, ())
            get()  # DocumentEndEvent
            if get().__class__ is not StreamEndEvent:  # a second document: the loader words E001
                raise Unusual
        except Unusual:
            raise
        except Exception as exc:  # the parser's errors (and RecursionError): the loader decides
            raise Unusual from exc
        return data, spot

    # The two collection readers handle scalars (most events) inline, without a call each.

    def _mapping(self, start: Any, path: Path) -> tuple[dict[str, Any], Spot | None, int]:
        record = None if start.anchor is None else self._open(start.anchor)
        out: dict[str, Any] = {}
        children: dict[str, Any] | None = ({}) if self._spots else None
        spot = None if children is None else Spot(start.start_mark, children)
        size = 1
        first_placeholder = len(self.placeholders)
        get = self._next
        implicit = self._implicit
        chars = self._chars
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                key = event.value
                if event.anchor is not None:
                    self._scalar_anchor(event)
                key_entry = event
            elif cls is MappingEndEvent:
                break
            elif cls is AliasEvent:
                target = self._anchors.get(event.anchor)
                if not isinstance(target, _Scalar):
                    raise Unusual  # undefined, or a list or mapping used as a key
                key_entry = target.event
                key = key_entry.value
            else:
                raise Unusual  # a complex key
            if key in out:
                self.duplicates.append((path + (key,), key_entry.start_mark))
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                value = event.value
                if event.ctag is not None:
                    value = self._tagged(event)
                elif event.implicit[0] and value[:1] in implicit:
                    known = _VALUES.get(value, _UNKNOWN)
                    value = self._plain(value) if known is _UNKNOWN else known
                if value.__class__ is str:
                    if "TODO" in value or "<" in value:
                        self._note_placeholder(value, path + (key,))
                    if len(value) >= chars:  # a long text weighs one value per CHARS_PER_VALUE
                        size += len(value) // chars
                if event.anchor is not None:
                    self._scalar_anchor(event).built = True
                entry: Any = event
                size += 1
            elif cls is MappingStartEvent:
                value, entry, n = self._mapping(event, path + (key,))
                size += n
            elif cls is SequenceStartEvent:
                value, entry, n = self._sequence(event, path + (key,))
                size += n
            else:
                value, entry, n = self._alias(event, path + (key,))
                size += n
            out[key] = value
            if children is not None:
                children[key] = entry
        if spot is not None:
            spot.end_mark = event.end_mark
        if record is not None:
            record.built = (out, spot, size, path, first_placeholder, len(self.placeholders))
        return out, spot, size

    def _sequence(self, start: Any, path: Path) -> tuple[list[Any], Spot | None, int]:
        record = None if start.anchor is None else self._open(start.anchor)
        out: list[Any] = []
        children: list[Any] | None = ([]) if self._spots else None
        spot = None if children is None else Spot(start.start_mark, children)
        size = 1
        first_placeholder = len(self.placeholders)
        get = self._next
        implicit = self._implicit
        chars = self._chars
        while True:
            event = get()
            cls = event.__class__
            if cls is ScalarEvent:
                value = event.value
                if event.ctag is not None:
                    value = self._tagged(event)
                elif event.implicit[0] and value[:1] in implicit:
                    known = _VALUES.get(value, _UNKNOWN)
                    value = self._plain(value) if known is _UNKNOWN else known
                if value.__class__ is str:
                    if "TODO" in value or "<" in value:
                        self._note_placeholder(value, path + (len(out),))
                    if len(value) >= chars:  # a long text weighs one value per CHARS_PER_VALUE
                        size += len(value) // chars
                if event.anchor is not None:
                    self._scalar_anchor(event).built = True
                entry: Any = event
                size += 1
            elif cls is SequenceEndEvent:
                break
            elif cls is MappingStartEvent:
                value, entry, n = self._mapping(event, path + (len(out),))
                size += n
            elif cls is SequenceStartEvent:
                value, entry, n = self._sequence(event, path + (len(out),))
                size += n
            else:
                value, entry, n = self._alias(event, path + (len(out),))
                size += n
            out.append(value)
            if children is not None:
                children.append(entry)
        if spot is not None:
            spot.end_mark = event.end_mark
        if record is not None:
            record.built = (out, spot, size, path, first_placeholder, len(self.placeholders))
        return out, spot, size

    def _plain(self, value: str) -> Any:
        """A plain scalar whose first character can start a non-text value: by the core schema.
        Its value is kept for the next plan that writes the same text, unless it is a float (NaN
        is not equal to itself, so sharing one would change how lists holding it compare)."""
        kind = next((kind for kind, match in self._implicit.get(value[:1], ()) if match(value)), "str")
        converted = value if kind == "str" else self._convert(value, kind)
        if converted.__class__ is not float:
            if len(_VALUES) >= 8192:
                _VALUES.clear()
            _VALUES[value] = converted
        return converted

    def _tagged(self, event: Any) -> Any:
        tag = str(event.ctag)
        if tag == "!":  # the non-specific tag: resolved by the flags libyaml gives it, as the composer does
            if not event.implicit[0]:
                return event.value
            return self._plain(event.value)
        return self._convert(event.value, tag[18:] if tag.startswith("tag:yaml.org,2002:") else "str")

    def _note_placeholder(self, value: str, path: Path) -> None:
        match = self._placeholder(value)
        if match:
            self.placeholders.append((path, match.group(0)))

    def _scalar_anchor(self, event: Any) -> _Scalar:
        if event.anchor in self._anchors:
            raise Unusual  # the C composer refuses a redefined anchor; the loader asks the pure parser
        record = self._anchors[event.anchor] = _Scalar(event)
        return record

    def _open(self, anchor: str) -> _Collection:
        if anchor in self._anchors:
            raise Unusual
        record = self._anchors[anchor] = _Collection()
        return record

    def _alias(self, event: Any, path: Path) -> tuple[Any, Any, int]:
        """An alias: its anchor's value and entry, counted against MAX_ALIAS_VALUES."""
        target = self._anchors.get(event.anchor)
        if target is None:
            raise Unusual  # undefined: the loader words E001
        if isinstance(target, _Scalar):
            scalar = target.event
            value = scalar.value
            if scalar.ctag is not None:
                value = self._tagged(scalar)
            elif scalar.implicit[0] and value[:1] in self._implicit:
                value = self._plain(value)
            weight = 1
            if value.__class__ is str:
                if "TODO" in value or "<" in value:
                    self._note_placeholder(value, path)
                if len(value) >= self._chars:
                    weight += len(value) // self._chars
                    if target.built:
                        self._count_repeat(weight)
            target.built = True
            return value, scalar, weight
        if target.built is None:
            raise Unusual  # recursive: the loader words E001
        value, spot, size, first_path, start, end = target.built
        self._count_repeat(size)
        cut = len(first_path)
        self.placeholders += [(path + p[cut:], text) for p, text in self.placeholders[start:end]]
        return value, spot, size

    def _count_repeat(self, size: int) -> None:
        self._repeated += size
        if self._repeated > self._max_repeat:
            raise Unusual  # too many aliases: the loader words E001 at the same place


def locate(spot: Spot, path: Path) -> tuple[Any, Any]:
    """(start mark, end mark) of the value at `path`, as LoadedDoc.locate walks the composed tree:
    a missing part stops at the deepest entry that exists."""
    entry: Any = spot
    for part in path:
        children = entry.children if entry.__class__ is Spot else None
        if isinstance(children, dict) and isinstance(part, str):
            child = children.get(part, _UNKNOWN)
            if child is _UNKNOWN:
                break
            entry = child
        elif isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
            entry = children[part]
        else:
            break
    return entry.start_mark, entry.end_mark
