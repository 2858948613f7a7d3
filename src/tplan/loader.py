"""Bytes → plain Python data, keeping the YAML node tree so any path can be located later.

Why composing instead of `YAML(typ="safe").load`: the C composer gives every node a start mark at
about 0.6x the cost of a safe load (measured on the benchmark corpus), and walking the nodes into
plain data is cheap. So positions cost nothing until a diagnostic asks for one, and clean files
never pay for them. The round-trip loader (≈6.5x slower) is kept for the editing commands.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import BaseResolver, Resolver
from ruamel.yaml.tag import Tag

from tplan.diagnostics import Path
from tplan.events import EventBuilder, Spot, Unusual
from tplan.events import locate as spot_marks

_TAG = "tag:yaml.org,2002:"
_FLOATS = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}
_BOOLS = {"true": True, "false": False}

# What a template leaves for the clinician to fill: the word TODO or text in angle brackets.
# "<= 13" is a target, not a placeholder, hence the letter after "<"; "<alex@mail.org>" and
# "<https://example.org>" are an address and a link, hence no "@" and no "scheme://".
PLACEHOLDER = re.compile(r"\bTODO\b|<(?![A-Za-z][\w+.-]*://)[A-Za-z][^<>@\n]*>")

# One shared Tag object per core-schema tag: the resolver hands these out, and `_scalar` finds a
# scalar's type by looking its tag object up in _KIND_BY_TAG instead of decoding the tag text.
_TAGS: dict[str, Tag] = {}


def _shared_tag(name: str) -> Tag:
    return _TAGS.setdefault(name, Tag(suffix=name))


_STR, _SEQ, _MAP = _shared_tag(_TAG + "str"), _shared_tag(_TAG + "seq"), _shared_tag(_TAG + "map")
# ruamel's YAML 1.2 implicit resolvers ({first character: [(tag, regexp)]}), with shared tags and
# the patterns' bound `match` (ruamel wraps each pattern in a lazy proxy that costs a call per use).
_ANY_START = tuple((_shared_tag(t), rx.match) for t, rx in Resolver.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {
    start: tuple((_shared_tag(t), rx.match) for t, rx in pairs) + _ANY_START
    for start, pairs in Resolver.yaml_implicit_resolvers.items()
    if start is not None
}
_KIND_BY_TAG = {tag: name[len(_TAG):] for name, tag in _TAGS.items()}
# The same table for tplan.events, by type name: {first character: ((kind, match), ...)}.
_IMPLICIT_KINDS = {start: tuple((_KIND_BY_TAG[tag], match) for tag, match in pairs) for start, pairs in _IMPLICIT.items()}
# The events route reads a plain scalar whose first character is in no list as text; that holds
# while ruamel registers no resolver for any first character (true of every version tested).
_EVENTS = not _ANY_START


class _CoreSchemaResolver(BaseResolver):
    """Tags plain scalars by the YAML 1.2 core schema, with the shared tags above.

    Why not ruamel's default (VersionedResolver): it works out the YAML version again on each of
    the ~400 calls per plan and builds a new Tag for every scalar; that was 60% of composing a
    plan. Plans are YAML 1.2, so the table is fixed once at import.
    """

    processing_version = (1, 2)  # asked by the pure-Python scanner (no C parser installed)

    def __init__(self, version: Any = None, loader: Any = None, loadumper: Any = None) -> None:
        super().__init__(loadumper=loadumper or loader)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, match in _IMPLICIT.get(value[:1], _ANY_START):
                    if match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


_yaml: YAML | None = None


def _safe_yaml() -> YAML:
    global _yaml
    if _yaml is None:
        _yaml = YAML(typ="safe")
        _yaml.Resolver = _CoreSchemaResolver
    return _yaml


_pure: YAML | None = None


def _pure_yaml() -> YAML:
    """ruamel's pure-Python parser: it reads valid YAML 1.2 that the C parser (libyaml, YAML 1.1)
    rejects, such as a colon inside a flow list. Asked only when the C parser rejects a file."""
    global _pure
    if _pure is None:
        _pure = YAML(typ="safe", pure=True)
        _pure.Resolver = _CoreSchemaResolver
    return _pure


def using_c_parser() -> bool:
    """True when ruamel.yaml.clib's C parser is in use (the fast path)."""
    return _safe_yaml().Parser.__name__ == "CParser"


C_PARSER_MISSING = (
    "ruamel.yaml's C parser (package ruamel.yaml.clib) is not installed, so plans are read more "
    "than 10x more slowly; install it with: pip install ruamel.yaml.clib"
)


class LoadError(Exception):
    """A file that cannot be turned into data: carries a rule code and a position (1-based)."""

    def __init__(self, code: str, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.code, self.message, self.line, self.column = code, message, line, column


# ruamel counts U+0085, U+2028 and U+2029 as line breaks in its marks; editors, LSP clients and
# GitHub count only \n, \r\n and \r. Only a text holding one of them needs its own line table.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")
_EDITOR_BREAK = re.compile(r"\r\n|\r|\n")


class Positions:
    """(line, column), 1-based, of a character offset or a ruamel mark, as an editor counts them."""

    __slots__ = ("text", "_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        if any(ch in text for ch in _ODD_BREAKS):
            self._starts = [0] + [m.end() for m in _EDITOR_BREAK.finditer(text)]

    def of_mark(self, mark: Any) -> tuple[int, int]:
        if self._starts is None:
            return mark.line + 1, mark.column + 1
        return self.of_index(mark.index)

    def of_index(self, index: int) -> tuple[int, int]:
        starts = self._starts
        if starts is None:
            starts = self._starts = [0] + [m.end() for m in _EDITOR_BREAK.finditer(self.text)]
        line = bisect.bisect_right(starts, index) - 1
        return line + 1, index - starts[line] + 1


@dataclass(slots=True)
class Duplicate:
    path: Path  # path of the duplicated key (its second occurrence)
    line: int
    column: int


class LoadedDoc:
    """One plan file as data, plus what is needed to point back into its text.

    Read from the C parser's events (tplan.events), a document keeps a Spot tree for `locate`
    and composes ruamel's node tree (`root`) only when something asks for it: the editing
    commands, S115 and inline suppressions. Read by the composing route, `root` is that tree.
    """

    __slots__ = ("text", "data", "_root", "duplicates", "placeholders", "positions", "_spot", "_spot_later", "_keys")

    def __init__(
        self,
        text: str,
        data: Any,
        root: Node | None,
        duplicates: list[Duplicate] | None = None,
        placeholders: list[tuple[Path, str]] | None = None,
        positions: Positions | None = None,
        spot: Spot | None = None,
        spot_later: bool = False,
    ) -> None:
        self.text = text
        self.data = data
        self._root = root
        self.duplicates = duplicates if duplicates is not None else []
        self.placeholders = placeholders if placeholders is not None else []
        self.positions = positions
        self._spot = spot
        self._spot_later = spot_later  # read from events without the Spot tree: made on first use
        # id(mapping node) → {key: (key node, value node)}, built the first time a large mapping
        # is searched: 20,000 duplicate keys made locating each one a scan of all of them.
        self._keys: dict[int, dict[Any, tuple[Node, Node]]] = {}

    @property
    def root(self) -> Node:
        """ruamel's node tree of the text (composed on first use for a document read from events)."""
        if self._root is None:
            root = _compose(self.text, self.positions or Positions(self.text))
            assert root is not None  # the events gave a mapping, so composing the same text does
            self._root = root
        return self._root

    @property
    def spot(self) -> Spot | None:
        """The position tree of a document read from events (tplan.events.Spot), else None."""
        if self._spot_later:  # the same text read the same way again, this time keeping the tree
            self._spot_later = False
            self._spot = _event_builder(self.text).document()[1]
        return self._spot

    def locate(self, path: Path, key: bool = False) -> tuple[int, int, int | None, int | None]:
        """(line, col, end_line, end_col), 1-based, of the value at `path`.

        A path that does not exist (a missing key) resolves to the deepest node that does: the
        parent mapping, which is where the clinician has to add the key. With `key=True` the
        position is that of the key itself (unknown or duplicated keys).
        """
        if self.positions is None:
            self.positions = Positions(self.text)
        spot = self.spot
        if spot is not None and not key:
            start, end = spot_marks(spot, path)
        else:
            start, end = self._node_marks(path, key)
        line, col = self.positions.of_mark(start)
        if end is None:
            return line, col, None, None
        return (line, col, *self.positions.of_mark(end))

    def _node_marks(self, path: Path, key: bool) -> tuple[Any, Any]:
        node: Node = self.root
        key_node: Node | None = None
        for part in path:
            child = self._child(node, part)
            if child is None:
                break
            key_node, node = child
        target = key_node if key and key_node is not None else node
        return target.start_mark, target.end_mark

    def _child(self, node: Node, part: str | int) -> tuple[Node | None, Node] | None:
        if isinstance(node, MappingNode) and isinstance(part, str):
            if len(node.value) <= 16:
                found = None
                for k, v in node.value:
                    if k.value == part:
                        found = (k, v)  # the last occurrence wins, as in the data
                return found
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
            return keys.get(part)
        if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return (None, node.value[part])
        return None


def decode(raw: bytes) -> str:
    """Bytes → text, or a LoadError (E000): kept for callers that read files themselves; new code
    reads through tplan.reading.read_plan_text, which also refuses pipes and oversized files."""
    from tplan.reading import decode as _decode

    return _decode(raw)


# Parser wording → what a clinician should do, matched as a substring of the parser's problem or
# context (the C and pure-Python parsers word things slightly differently). First match wins. The
# parser's own words are shown only when no hint matches; they name tokens, never the plan's text.
TAB_HINT = "a tab is used for indentation; indent with spaces only"
_PARSER_HINTS = (
    ("mapping values are not allowed", "a ': ' inside a value starts a new key; put the whole value in quotes, or fix this line's indentation"),
    ("found a tab character", TAB_HINT),
    ("found unexpected end of stream", "a quote opened here is never closed; add the closing quote"),
    ("could not find expected ':'", "a line has no ': ' after its key, or a quote is not closed"),
    ("did not find expected key", "this line does not line up with the keys around it, or a quoted value has text after its closing quote"),
    ("did not find expected '-' indicator", "list items and keys are mixed at one indentation; start every item with '- ' in the same column"),
    ("expected ',' or ']'", "a [ … ] list is not closed; add ']' (and ',' between items)"),
    ("expected ',' or '}'", "a { … } group is not closed; add '}' (and ',' between entries)"),
    ("found undefined alias", "a value starting with '*' is read as a reference; put it in quotes"),
    ("while scanning an alias", "a value starting with '*' is read as a reference; put it in quotes"),
    ("that cannot start any token", "a value cannot start with '@', '`' or '%'; put it in quotes"),
    ("found unknown escape character", "a backslash inside \"double quotes\" starts an escape; use 'single quotes' or write \\\\"),
    ("did not find expected comment or line break", "text right after '|' or '>'; start the text on the next line, indented"),
    ("expected a comment or a line break", "text right after '|' or '>'; start the text on the next line, indented"),
    ("expected a single document", "a second '---' document; keep one plan per file"),
    ("but found another document", "a second '---' document; keep one plan per file"),
    ("found duplicate anchor", "the same '&name' anchor is defined twice; rename one"),
    # The pure-Python parser (asked when the C parser rejects a file) words these two by context.
    ("while parsing a block collection", "list items and keys are mixed at one indentation; start every item with '- ' in the same column"),
    ("while parsing a block mapping", "this line does not line up with the keys around it, or a quoted value has text after its closing quote"),
)


def _hint(problem: str, context: str) -> str | None:
    return next((hint for words, hint in _PARSER_HINTS if words in problem or words in context), None)


def _yaml_error(exc: YAMLError, positions: Positions) -> LoadError:
    text = positions.text
    if isinstance(exc, ReaderError):  # a character YAML does not allow, such as a control character
        line, col = positions.of_index(exc.position) if 0 <= exc.position <= len(text) else (0, 0)
        char = text[exc.position] if 0 <= exc.position < len(text) else ""
        code = f"U+{ord(char):04X}" if char else "a character"
        return LoadError("E001", f"invalid YAML: {code} (a control character) is not allowed in a plan; delete it", line, col)
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or str(exc)).strip()
        at = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
        hint = TAB_HINT if at == "\t" else _hint(problem, exc.context or "")
        context = f" ({exc.context})" if exc.context else ""
        message = f"invalid YAML: {hint}" if hint else f"invalid YAML: {problem}{context}"
        if mark is not None:
            return LoadError("E001", message, *positions.of_mark(mark))
        return LoadError("E001", message)
    return LoadError("E001", f"invalid YAML: {str(exc).strip()}")


# Deeper nesting than any plan needs. Tens of thousands of levels crash ruamel's C composer (a
# segmentation fault that would end the whole run), so it is refused before composing. Flow nesting
# ([[[…]]]) and block nesting (indentation, `- - - x`, `? ? x`) are each limited to MAX_NESTING;
# the C composer was measured to survive 20,000 levels, so the sum of both stays well clear.
MAX_NESTING = 1000
# Quoted text and comments, where brackets do not count, and the brackets themselves. A quote
# opens a quoted value only at the start of one (so the apostrophe in "client's" is just a letter).
_NESTING_TOKENS = re.compile(
    r"""(?:^|(?<=[\s\[{,:]))(?:'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")|(?:^|(?<=\s))#[^\n]*|[\[\]{}]""",
    re.M,
)


# Every token above starts with one of these characters (the anchors before it take no text).
_NESTING_TOKEN_START = re.compile(r"""['"#\[\]{}]""")


def _nesting_tokens(text: str) -> Iterator[re.Match[str]]:
    """_NESTING_TOKENS.finditer(text): the same matches, found by jumping from one character that
    can start a token to the next and trying the pattern there (its `^` and lookbehinds see the
    text before, as in a scan). finditer tried the pattern's anchors at every character of the
    text: ~1 s for a 10 MB plan, against ~0.15 s."""
    search, match = _NESTING_TOKEN_START.search, _NESTING_TOKENS.match
    position = 0
    while (candidate := search(text, position)) is not None:
        found = match(text, candidate.start())
        if found is None:  # a quote or '#' inside a word: not a token, as in the scan
            position = candidate.start() + 1
        else:
            yield found
            position = found.end()


def _check_nesting(text: str) -> None:
    """A LoadError (E001) at the first bracket nested more than MAX_NESTING deep."""
    depth = 0
    for match in _nesting_tokens(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise LoadError(
                    "E001",
                    f"invalid YAML: nested too deeply (more than {MAX_NESTING} levels of [ ] or {{ }})",
                    *Positions(text).of_index(match.start()),
                )
        elif token in "]}":
            depth = max(depth - 1, 0)


# A line's leading run of spaces, tabs and indicators (`- `, `? `, `: `): every level of block
# nesting needs a column of it, at most two levels per column (a list at its mapping's indentation),
# so only a file with a run at least MAX_NESTING // 2 long can nest too deeply. The patterns start
# with a line break (or match at the start) so the regex engine can skip ahead: ~50 µs per plan.
_RUN = f"[ \t?:-]{{{MAX_NESTING // 2 - 1}}}"
_LONG_RUN_AT_START = re.compile(_RUN)
_LONG_RUN_AFTER_BREAK = re.compile("[\r\n\x85\u2028\u2029]" + _RUN)  # ruamel's line breaks
_ANY_BREAK = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")


def _may_nest_deeply(text: str) -> bool:
    # The run lies inside one line, however lines are split (str.splitlines splits at ruamel's
    # breaks and a few more): with every line shorter than the run, the regexes need not look
    # (they cost ~40 µs a plan, measured; the line lengths ~5 µs).
    if max(map(len, text.splitlines()), default=0) < MAX_NESTING // 2 - 1:
        return False
    return bool(_LONG_RUN_AFTER_BREAK.search(text) or _LONG_RUN_AT_START.match(text))


def _check_block_nesting(text: str) -> None:
    """A LoadError (E001) at the first line whose block nesting is deeper than MAX_NESTING.

    The depth is worked out the way YAML's block structure works: a stack of open collections
    (column, is a list); a line closes those indented deeper than it, and each `- `, `? ` or `: `
    it starts with opens one more. Text inside block scalars and multi-line strings is counted as
    if it were keys, which can only overestimate: plans never come near the limit.
    """
    stack: list[tuple[int, bool]] = []
    parts = _ANY_BREAK.split(text)  # lines as ruamel sees them: its breaks include U+2028 and co.
    offset = 0
    for i in range(0, len(parts), 2):
        body, start = parts[i], offset
        offset += len(body) + (len(parts[i + 1]) if i + 1 < len(parts) else 0)
        col = len(body) - len(body.lstrip(" "))
        if col == len(body) or body[col] == "#":
            continue
        while stack and stack[-1][0] > col:
            stack.pop()
        while col < len(body):
            ch = body[col]
            is_list = ch == "-"
            indicator = ch in "-?:" and (col + 1 == len(body) or body[col + 1] in " \t")
            if stack and stack[-1][0] == col:
                if is_list and indicator and not stack[-1][1]:
                    stack.append((col, True))  # a list at the indentation of its mapping's keys
                elif not is_list and stack[-1][1] and len(stack) > 1 and stack[-2][0] == col:
                    stack.pop()  # that list has ended: back to the mapping's keys
            else:
                stack.append((col, is_list and indicator))
            if len(stack) > MAX_NESTING:
                raise LoadError(
                    "E001",
                    f"invalid YAML: nested too deeply (more than {MAX_NESTING} levels of indentation or '- ')",
                    *Positions(text).of_index(start + col),
                )
            if not indicator:
                break
            col += 1
            while col < len(body) and body[col] in " \t":
                col += 1


def load_text(text: str, *, spots: bool = True) -> LoadedDoc:
    """Text → LoadedDoc. Raises LoadError for anything that is not a YAML mapping.

    `spots=False`: no position tree is kept while reading (~8% of reading from events), for a caller
    that will most likely ask for no position (render's errors-first check of a clean plan); the
    document reads the text again for the tree the first time a position is asked for."""
    if text.count("[") + text.count("{") > MAX_NESTING:  # only then can it be nested that deep
        _check_nesting(text)
    if _may_nest_deeply(text):
        _check_block_nesting(text)
    positions = Positions(text)
    if _EVENTS:
        try:
            reader = _event_builder(text, spots)
            data, spot = reader.document()
        except Unusual:
            pass  # the composing route below words what is wrong, or reads what the C parser cannot
        else:
            duplicates = [Duplicate(path, *positions.of_mark(mark)) for path, mark in reader.duplicates]
            return LoadedDoc(text, data, None, duplicates, reader.placeholders, positions, spot, spot_later=not spots)
    return _load_composed(text, positions)


def is_yaml_mapping(text: str) -> bool:
    """Whether load_text reads the text (a YAML mapping within the limits) without a LoadError:
    for a caller that only needs to know, e.g. whether a quick fix leaves the plan readable."""
    try:
        load_text(text)
    except LoadError:
        return False
    return True


def _event_builder(text: str, spots: bool = True) -> EventBuilder:
    return EventBuilder(text, _convert, _IMPLICIT_KINDS, PLACEHOLDER, CHARS_PER_VALUE, MAX_ALIAS_VALUES, spots=spots)


def _load_composed(text: str, positions: Positions) -> LoadedDoc:
    """The composing route: ruamel's node tree, then _Builder. For what tplan.events leaves to it
    (errors, the pure-Python parser's files, complex keys, aliases over the limits)."""
    root = _compose(text, positions)
    if root is None:
        raise LoadError("E005", "the file is empty; a plan starts with 'tplan: 1' and an 'id'", 1, 1)
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raise LoadError(
            "E005",
            f"the top level is {kind}, not a plan; a plan is a mapping of keys such as 'tplan:', 'id:', 'client:'",
            *positions.of_mark(root.start_mark),
        )
    builder = _Builder(positions)
    try:
        data = builder.build(root, ())
    except RecursionError:
        raise LoadError("E001", f"invalid YAML: nested too deeply (more than {MAX_NESTING} levels)") from None
    return LoadedDoc(text, data, root, builder.duplicates, builder.placeholders, positions)


def _compose(text: str, positions: Positions) -> Node | None:
    """The node tree from the C parser, or from the pure-Python parser when the C parser rejects
    the text: E001 only when both reject it, with the pure parser's position and hint."""
    try:
        return _compose_with(_safe_yaml(), text)
    except (YAMLError, ValueError, TypeError) as exc:
        c_error = exc
    try:
        with warnings.catch_warnings():  # e.g. a redefined anchor: valid YAML 1.2, not worth a word
            warnings.simplefilter("ignore")
            return _compose_with(_pure_yaml(), text)
    except YAMLError as exc:
        raise _yaml_error(exc, positions) from None
    except RecursionError:
        raise LoadError("E001", f"invalid YAML: nested too deeply (more than {MAX_NESTING} levels)") from None
    except Exception:  # the pure parser failing in its own way (an AssertionError on %YAML 1.3)
        if isinstance(c_error, YAMLError):
            raise _yaml_error(c_error, positions) from None
        raise LoadError("E001", f"invalid YAML: {c_error}") from None


def _compose_with(yaml: YAML, text: str) -> Node | None:
    try:
        node: Node | None = yaml.compose(text)
        return node
    finally:
        yaml.doc_infos.clear()  # ruamel keeps one entry per document composed: memory would grow per file


# Values an alias (*name) may add by repeating its anchor's content. Plans repeat a list or a
# mapping now and then; a "billion laughs" file (aliases of aliases) would expand to billions.
MAX_ALIAS_VALUES = 10_000
# Aliases are counted by size, not only by node count: a text weighs one value per this many
# characters, so 20,000 aliases of a 1 MB text are refused as soon as they repeat ~1 MB.
CHARS_PER_VALUE = 100


class _Builder:
    """One walk over the node tree: plain data out, duplicate keys noted (E006).

    An alias is the very node its anchor names: it is built once and the value shared, so a file
    of nested aliases costs no more to build than its text. Each repeat still counts the values it
    stands for (long texts by their size), and too many is an E001, because every later step
    would walk them all.
    """

    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.duplicates: list[Duplicate] = []
        self.placeholders: list[tuple[Path, str]] = []
        self._building: set[int] = set()
        # id(node) → (value, values in it, where it was first built, its slice of self.placeholders)
        self._built: dict[int, tuple[Any, int, Path, int, int]] = {}
        self._repeated = 0
        self._long_scalars: set[int] = set()  # id(node) of texts long enough to weigh more than 1

    def build(self, node: Node, path: Path) -> Any:
        return self._build(node, path)[0]

    def _build(self, node: Node, path: Path) -> tuple[Any, int]:
        if isinstance(node, ScalarNode):
            scalar = _scalar(node)
            if isinstance(scalar, str) and ("TODO" in scalar or "<" in scalar):
                match = PLACEHOLDER.search(scalar)
                if match:
                    self.placeholders.append((path, match.group(0)))
            weight = 1
            if isinstance(scalar, str) and len(scalar) >= CHARS_PER_VALUE:
                weight += len(scalar) // CHARS_PER_VALUE
                if id(node) in self._long_scalars:  # an alias of a long text: counted by its size
                    self._count_repeat(weight, node)
                else:
                    self._long_scalars.add(id(node))
            return scalar, weight
        ident = id(node)
        if ident in self._built:
            return self._repeat(node, path)
        if ident in self._building:  # an alias that refers to itself
            raise LoadError("E001", "invalid YAML: a recursive alias (*) refers to itself", *self.positions.of_mark(node.start_mark))
        self._building.add(ident)
        first_placeholder = len(self.placeholders)
        size = 1
        try:
            if isinstance(node, MappingNode):
                out: dict[str, Any] = {}
                for key_node, value_node in node.value:
                    key = key_node.value if isinstance(key_node, ScalarNode) else str(_scalar_or_text(key_node))
                    if key in out:
                        self.duplicates.append(Duplicate(path + (key,), *self.positions.of_mark(key_node.start_mark)))
                    out[key], n = self._build(value_node, path + (key,))
                    size += n
                value: Any = out
            else:
                value = []
                for i, child in enumerate(node.value):
                    item, n = self._build(child, path + (i,))
                    value.append(item)
                    size += n
        finally:
            self._building.discard(ident)
        self._built[ident] = (value, size, path, first_placeholder, len(self.placeholders))
        return value, size

    def _repeat(self, node: Node, path: Path) -> tuple[Any, int]:
        """An alias of a list or mapping already built: the same value, its placeholders again
        under this path (T601 and the schema check look them up by path)."""
        value, size, first_path, start, end = self._built[id(node)]
        self._count_repeat(size, node)
        cut = len(first_path)
        self.placeholders += [(path + p[cut:], text) for p, text in self.placeholders[start:end]]
        return value, size


    def _count_repeat(self, size: int, node: Node) -> None:
        self._repeated += size
        if self._repeated > MAX_ALIAS_VALUES:
            raise LoadError(
                "E001",
                f"invalid YAML: too many aliases (*): they repeat more than {MAX_ALIAS_VALUES:,} values "
                f"(a text counts one per {CHARS_PER_VALUE} characters); write the repeated parts out instead",
                *self.positions.of_mark(node.start_mark),
            )


def _scalar_or_text(node: Node) -> Any:
    return node.value if isinstance(node, ScalarNode) else "<complex key>"


def _scalar(node: ScalarNode) -> Any:
    """YAML 1.2 core schema scalars, plus dates; anything else stays text."""
    kind = _KIND_BY_TAG.get(node.ctag)  # our resolver's tags: a lookup by identity
    if kind is None:  # an explicit tag written in the file, such as !!int or !custom
        tag = str(node.ctag)
        kind = tag[len(_TAG):] if tag.startswith(_TAG) else "str"
    return _convert(node.value, kind)


def _convert(value: str, kind: str) -> Any:
    """A scalar's text as the core schema type `kind` ("int", "float", …); text when it is not one."""
    if kind == "str":
        return value
    try:
        if kind == "int":
            return int(value.replace("_", ""), 0) if value[:2].lower() in ("0x", "0o", "0b") else int(value.replace("_", ""))
        if kind == "float":
            lowered = value.lower()
            return _FLOATS[lowered] if lowered in _FLOATS else float(value.replace("_", ""))
        if kind == "bool":
            return _BOOLS.get(value.lower(), value)
        if kind == "null":
            return None
        if kind == "timestamp":
            if len(value) == 10:
                return _dt.date.fromisoformat(value)
            return _dt.datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        return value
    return value
