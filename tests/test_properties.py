"""Properties of reading and linting, checked on many inputs (Hypothesis) and on every example.

- A mutated plan (lines deleted, duplicated or re-indented; characters inserted) never makes
  lint_text raise anything but LoadError, and every position it reports lies within the file.
- On valid input, the loader's data equals ruamel's own safe load with its pure-Python parser:
  the loader composes with the C parser and builds data itself (tplan.loader), and relies on
  ruamel internals to do so, so this pins the two together (pyproject bounds ruamel.yaml too).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, synthetic_corpus
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from tplan.linter import LintSettings, lint_text
from tplan.loader import LoadError, load_text
from tplan.measures import builtin_catalogue

PLANS = [MINIMAL.read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
SETTINGS = LintSettings(today=dt.date(2026, 12, 1))
CATALOGUE = builtin_catalogue()
# Characters that change YAML structure, plus line separators, a control character and a tab.
NOISE = st.sampled_from(list(":-[]{},#&*!|>'\"%@`?\t\n\r ") + ["\u2028", "\x85", "\x07", "é", "x", "1"])


def pure_load(text: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return YAML(typ="safe", pure=True).load(text)


def editor_lines(text: str) -> list[str]:
    """The file's lines as an editor shows them: only \\n, \\r\\n and \\r end a line."""
    return re.split(r"\r\n|\r|\n", text)


def same(a, b) -> bool:
    """Equal data, with NaN equal to itself (`.nan` is valid YAML)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def only_text_keys(data) -> bool:
    """tplan keeps every key as the text written (plan keys are names); ruamel makes `1:` an int."""
    if isinstance(data, dict):
        return all(isinstance(k, str) and only_text_keys(v) for k, v in data.items())
    if isinstance(data, list):
        return all(only_text_keys(v) for v in data)
    return True


@st.composite
def mutated_plans(draw) -> str:
    lines = draw(st.sampled_from(PLANS)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "insert"]))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i][draw(st.integers(1, 3)):]
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + "".join(draw(st.lists(NOISE, min_size=1, max_size=3))) + lines[i][at:]
    return "\n".join(lines)


def check_positions(text: str, line: int, column: int, what: str) -> None:
    lines = editor_lines(text)
    assert 1 <= line <= len(lines), (what, line, len(lines))
    assert 1 <= column <= len(lines[line - 1]) + 1, (what, line, column, lines[line - 1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_plans())
def test_mutated_plans_never_raise_and_positions_lie_within_the_file(text):
    try:
        result = lint_text(text, "plan.yaml", SETTINGS, CATALOGUE)
    except LoadError as exc:
        if exc.line:
            check_positions(text, exc.line, exc.column, exc.code)
        return
    for d in result.diagnostics:
        check_positions(text, d.line, d.column, d.code)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated_plans())
def test_the_loaders_data_equals_ruamels_safe_load_on_valid_input(text):
    try:
        expected = pure_load(text)
    except Exception:
        assume(False)  # not valid YAML for ruamel (a duplicate key counts as invalid there)
    assume(isinstance(expected, dict) and only_text_keys(expected))
    assert same(load_text(text).data, expected)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    return synthetic_corpus(tmp_path_factory.mktemp("corpus"), 50)


def test_the_loaders_data_equals_ruamels_safe_load_on_every_example_and_the_corpus(corpus):
    files = [MINIMAL, *sorted(EXAMPLES.glob("*.yaml")), *corpus]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert same(load_text(text).data, pure_load(text)), path
    assert len(files) >= 53


def test_the_installed_ruamel_yaml_is_within_the_bound_the_loader_was_tested_with():
    import tomllib
    from importlib.metadata import version

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    bound = next(d for d in dependencies if d.startswith("ruamel.yaml>="))
    low, high = re.fullmatch(r"ruamel\.yaml>=([\d.]+),<([\d.]+)", bound).groups()
    installed = tuple(int(p) for p in version("ruamel.yaml").split(".")[:3])
    assert tuple(int(p) for p in low.split(".")) <= installed < tuple(int(p) for p in high.split("."))
