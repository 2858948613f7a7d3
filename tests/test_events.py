"""The events route (tplan.events) reads exactly what the composing route reads.

`load_text` builds data and positions straight from the C parser's events and leaves everything
unusual to the composing route (`_load_composed`: ruamel's node tree, then `_Builder`), which is
what tplan read with before. These tests hold the two together on every input at hand: data
(types included, aliases still shared), duplicate keys, placeholders, every path's position (key
and value, and paths that do not exist), errors, and the lazily composed `root`.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, synthetic_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode
from test_properties import mutated_plans

import tplan.loader as loader
from tplan.loader import LoadError, Positions, load_text

CASES = YAML(typ="safe").load((ROOT / "tests" / "cases.yaml").read_text(encoding="utf-8"))
BASE = MINIMAL.read_text(encoding="utf-8")


def case_text(case: dict[str, Any]) -> str:
    text = BASE
    for old, new in case.get("replace", []):
        text = text.replace(old, new)
    return text


def typed(value: Any) -> Any:
    """The data with every scalar's type beside it (1 and True and 1.0 differ), NaN comparable."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def sharing(value: Any, seen: dict[int, int] | None = None, out: list[int] | None = None) -> list[int]:
    """Which lists and mappings are one shared object (an alias), in walk order."""
    seen = {} if seen is None else seen
    out = [] if out is None else out
    if isinstance(value, dict | list):
        first = id(value) not in seen
        out.append(seen.setdefault(id(value), len(seen)))
        if first:
            for child in value.values() if isinstance(value, dict) else value:
                sharing(child, seen, out)
    return out


def paths(value: Any, here: tuple = ()) -> list[tuple]:
    """Every path in the data, and a missing key or index under each list and mapping."""
    out = [here]
    if isinstance(value, dict):
        out.append(here + ("no-such-key",))
        for k, v in value.items():
            out += paths(v, here + (k,))
    elif isinstance(value, list):
        out += [here + (len(value),), here + (-1,)]
        for i, v in enumerate(value):
            out += paths(v, here + (i,))
    return out


def read(text: str, composed: bool, spots: bool = True, located: int = 3000) -> Any:
    """What a loader route makes of a text: its data and findings, or its error, and the positions
    of its first `located` paths. `spots=False`: read without the position tree, which is then
    made when the first position is asked for."""
    try:
        doc = loader._load_composed(text, Positions(text)) if composed else load_text(text, spots=spots)
    except LoadError as exc:
        return ("error", exc.code, exc.message, exc.line, exc.column)
    where = [(p, doc.locate(p), doc.locate(p, key=True)) for p in paths(doc.data)[:located]]
    return (typed(doc.data), sharing(doc.data), doc.duplicates, doc.placeholders, where)


def same_both_ways(text: str, located_without_spots: int = 3000) -> None:
    """The events route, with and without its position tree, reads the text as the composing route
    does. Without the tree only the first `located_without_spots` paths are located: the tree it
    makes on the first one is the events route's own, located in full just above."""
    if text.count("[") + text.count("{") > loader.MAX_NESTING:
        return  # both routes share the nesting guards before either reads
    composed = read(text, composed=True)
    assert read(text, composed=False) == composed
    located = min(located_without_spots, 3000)
    without = read(text, composed=False, spots=False, located=located)
    assert without == (composed if isinstance(composed[0], str) else (*composed[:4], composed[4][:located]))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    return synthetic_corpus(tmp_path_factory.mktemp("corpus"), 120)


def test_same_on_every_example_fixture_template_and_the_corpus(corpus):
    files = [
        *sorted(EXAMPLES.glob("*.yaml")),
        *sorted((ROOT / "tests" / "fixtures").rglob("*.yaml")),
        *sorted((ROOT / "src" / "tplan" / "templates").rglob("*.yaml")),
        *corpus,
    ]
    assert len(files) > 130
    for path in files:
        same_both_ways(path.read_text(encoding="utf-8"))


def test_same_on_every_rule_case():
    texts = [case_text(c) for c in CASES]
    assert len(texts) > 90
    for text in texts:
        same_both_ways(text)


# What the events route hands to the composing route, and the corners of the core schema.
CORNERS = {
    "aliases": "a: &x [1, {b: <name>}]\nc: *x\nd: &s TODO later\ne: *s\nf: {g: *x}\n",
    "alias-key": "&k name: 1\nother: {*k : 2}\n",
    "recursive-alias": "a: &x [1, *x]\n",
    "undefined-alias": "a: *nope\n",
    "duplicate-anchor": "a: &x 1\nb: &x 2\nc: *x\n",
    "complex-key": "? [a, b]\n: 1\nc: 2\n",
    "complex-key-anchor": "? &k [a, b]\n: 1\nc: *k\n",
    "duplicate-keys": "a: 1\nb: {c: 1, c: 2}\na: 3\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "empty": "",
    "comment-only": "# nothing\n",
    "a-list": "- a\n- b\n",
    "a-scalar": "just text\n",
    "explicit-tags": "a: !!int '12'\nb: !!float '1'\nc: !!str 3\nd: !custom x\ne: ! 12\nf: ! '12'\ng: !!timestamp 2026-01-02\nh: !!bool 'yes'\ni: !!null ''\n",
    "core-schema": (
        "a: 0x1F\nb: 0o17\nc: -1_000\nd: .inf\ne: -.Inf\nf: .NaN\ng: 1e3\nh: True\ni: FALSE\nj: ~\nk: null\nl:\n"
        "m: 2026-02-30\nn: 2026-01-02 10:00:00\no: 2026-01-02T10:00:00Z\np: <<\nq: =\nr: 012\ns: +12\n"
    ),
    "odd-breaks": "a: 'one\u2028two'\nb: x\x85y\nc:\r\n  - 1\r\n  - 2\r\n",
    "cr-only": "a: 1\rb: [2, 3]\r",
    "long-text-aliases": "a: &t " + "w" * 250 + "\nb: [*t, *t, *t]\n",
    "too-many-aliases": "a: &a [" + ", ".join(["x"] * 100) + "]\nb: [" + ", ".join(["*a"] * 120) + "]\n",
    "c-parser-rejects": "x: [Sessions after 10:00]\n",
    "syntax-error-after-alias": "a: &x [1, *x]\nb: [unclosed\n",
    "control-character": "a: b\x07c\n",
    "nested": "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(150)) + "  " * 151 + "v\n",
}


@pytest.mark.parametrize("name", sorted(CORNERS))
def test_same_on_the_corners(name):
    same_both_ways(CORNERS[name])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_plans())
def test_same_on_mutated_plans(text):
    same_both_ways(text, located_without_spots=50)


YAMLISH = st.lists(st.sampled_from(list("ab1.-:[]{},&*!#'\"|>? \n") + ["&a ", "*a", "&b ", "*b", "TODO", "<x>"]), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_same_on_random_text(text):
    same_both_ways("k: 1\n" + text)


def test_a_clean_plan_is_read_from_events_and_composes_its_tree_only_when_asked(monkeypatch):
    composed = []
    real = loader._compose_with
    monkeypatch.setattr(loader, "_compose_with", lambda yaml, text: composed.append(1) or real(yaml, text))
    doc = load_text(BASE)
    assert doc.locate(("client", "name")) == (7, 9, 7, 20)  # "  name: Test Person"
    assert doc.data["created"] == dt.date(2026, 3, 2)
    assert composed == []  # no node tree for a plan nobody edits
    root = doc.root
    assert isinstance(root, MappingNode) and composed == [1]
    assert doc.root is root and composed == [1]
    assert [k.value for k, _ in root.value][:2] == ["tplan", "id"]


def test_a_plan_read_without_spots_reads_its_text_again_once_when_a_position_is_asked(monkeypatch):
    built = []
    real = loader.EventBuilder
    monkeypatch.setattr(loader, "EventBuilder", lambda *args, **kw: built.append(kw["spots"]) or real(*args, **kw))
    doc = load_text(BASE, spots=False)
    assert built == [False] and doc.data == load_text(BASE).data
    built.clear()
    assert doc.locate(("client", "name")) == (7, 9, 7, 20)  # "  name: Test Person"
    assert doc.locate(("created",)) == load_text(BASE).locate(("created",))
    assert built == [True, True]  # one read again for this document's tree, one for the comparison
    assert doc.spot is not None and built == [True, True]


def test_an_unusual_text_takes_the_composing_route(monkeypatch):
    routes = []
    real = loader._load_composed
    monkeypatch.setattr(loader, "_load_composed", lambda text, positions: routes.append(text) or real(text, positions))
    load_text(BASE)
    assert routes == []
    with pytest.raises(LoadError) as caught:
        load_text("a: &x [1, *x]\n")
    assert caught.value.code == "E001" and "recursive alias" in caught.value.message
    assert load_text("x: [Sessions after 10:00]\n").data == {"x": ["Sessions after 10:00"]}
    assert len(routes) == 2


RUN_CHARS = st.sampled_from([" ", "\t", "?", ":", "-", "x", "\n", "\r", "\x85", "\u2028", "\x0c"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(RUN_CHARS, st.integers(1, 300)), max_size=8))
def test_the_line_length_shortcut_of_the_deep_nesting_guard_changes_no_verdict(runs):
    text = "".join(char * n for char, n in runs)
    by_regex = bool(loader._LONG_RUN_AFTER_BREAK.search(text) or loader._LONG_RUN_AT_START.match(text))
    assert loader._may_nest_deeply(text) == by_regex


def free_text(pairs) -> list[tuple]:
    return [(path, node.style, node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column) for path, node in pairs]


def test_s115_walks_the_spot_tree_as_it_walked_the_node_tree(corpus):
    from tplan.rules.comments import _free_text, _free_text_spots

    files = [*sorted(EXAMPLES.glob("*.yaml")), *sorted((ROOT / "src" / "tplan" / "templates").rglob("*.yaml")), *corpus[:20]]
    texts = [p.read_text(encoding="utf-8") for p in files] + [case_text(c) for c in CASES]
    texts.append(BASE.replace("status: active\n", "status: active\nstrengths:\n  - Kind # to others\n  - note: a # b\nx-more:\n  summary: Lives in flat # 4\n"))
    walked = 0
    for text in texts:
        try:
            doc = load_text(text)
        except LoadError:
            continue
        if doc.spot is None or doc.duplicates:
            continue
        spots = free_text(_free_text_spots(doc.spot, ()))
        assert spots == free_text(_free_text(loader._load_composed(text, Positions(text)).root, ())), text[:80]
        walked += len(spots)
    assert walked > 100


def test_linting_a_plan_with_comments_composes_no_node_tree(monkeypatch):
    from tplan.linter import LintSettings, lint_text
    from tplan.measures import builtin_catalogue

    composed = []
    real = loader._compose_with
    monkeypatch.setattr(loader, "_compose_with", lambda yaml, text: composed.append(1) or real(yaml, text))
    text = BASE.replace("  name: Test Person\n", "  name: Test Person  # as on the referral\n")
    cut = text.replace("status: active\n", "status: active\nstrengths:\n  - Kind # to others\n")
    settings = LintSettings(today=dt.date(2026, 4, 1))
    assert [d.code for d in lint_text(text, "plan.yaml", settings, builtin_catalogue()).diagnostics] == []
    assert [d.code for d in lint_text(cut, "plan.yaml", settings, builtin_catalogue()).diagnostics] == ["S115"]
    assert composed == []
