"""The Markdown writer (tplan.render.plan_md) against the jinja2 template it replaced.

tests/data/plan.md.j2 is that template as it was (issue 19, target 3), rendered here with the
environment tplan used for it (finalize = md_escape, facts() and ids() helpers). Every plan the
test suite has at hand, as written and redacted, on two days, must come out byte for byte the same
from both. When the Markdown document changes on purpose, change the template here alike.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, synthetic_corpus
from ruamel.yaml import YAML

from tplan.commands.one_plan import per_plan
from tplan.config import project_settings
from tplan.linter import LintSettings, check_text, validate
from tplan.measures import Catalogue, load_catalogue
from tplan.render.markdown import md_escape
from tplan.render.plan_md import Raw, escaped, render_markdown
from tplan.render.redact import redact
from tplan.render.view import Banner, Document, build

DAYS = (_dt.date(2026, 4, 1), _dt.date(2026, 12, 1))


def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    def finalize(value: object) -> object:
        if type(value) is str:
            return md_escape(value)
        return value if isinstance(value, Markup) else md_escape("" if value is None else value)

    env = Environment(
        loader=FileSystemLoader(ROOT / "tests" / "data"), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False, finalize=finalize,
    )
    env.filters["raw"] = Markup
    env.globals["facts"] = lambda pairs: Markup("".join(f"- **{finalize(k)}:** {finalize(v)}\n" for k, v in pairs))
    env.globals["ids"] = lambda refs: Markup(finalize(", ".join(str(r.id) for r in refs)))
    return env.get_template("plan.md.j2")


def _rule_case_plans() -> list[tuple[str, str]]:
    """tests/cases.yaml's edits of the minimal plan: many shapes of plan, some with lint errors."""
    minimal = (ROOT / "tests" / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
    plans = []
    for case in YAML(typ="safe").load((ROOT / "tests" / "cases.yaml").read_text(encoding="utf-8")):
        text = minimal
        for old, new in case.get("replace", []):
            if text.count(old) != 1:
                break
            text = text.replace(old, new)
        else:
            plans.append((case["name"], text))
    return plans


def _documents(name: str, text: str, settings: LintSettings, catalogue: Catalogue, today: _dt.date) -> list[Document]:
    try:
        checked = check_text(text, name, settings, catalogue, fast=True)
    except Exception:  # unreadable YAML: not rendered at all
        return []
    if checked.plan is None:
        return []
    docs = [build(checked.plan, catalogue, today, checked.result.diagnostics)]
    data, birth_year = redact(checked.doc.data)
    reduced, _ = validate(data, checked.doc)
    if reduced is not None:
        docs.append(build(reduced, catalogue, today, checked.result.diagnostics, redacted=True, birth_year=birth_year))
    return docs


def _assert_same(template: Any, doc: Document, name: str) -> None:
    expected = template.render(doc=doc)
    assert render_markdown(doc) == expected, f"{name}: the writer and the template differ"


@pytest.fixture(scope="module")
def template() -> Any:
    return _template()


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_writer_matches_the_template(template: Any, tmp_path: Path, today: _dt.date) -> None:
    """Examples, fixtures, the built-in plan templates, every rule case and a small generated
    corpus: the same Markdown, byte for byte."""
    settings = per_plan(project_settings(today))
    catalogue = load_catalogue(settings.measures_file)
    files = [*sorted((ROOT / "examples").glob("*.yaml")), *sorted((ROOT / "tests" / "fixtures").rglob("*.yaml")),
             *sorted((ROOT / "src" / "tplan" / "templates").glob("*.yaml")), *synthetic_corpus(tmp_path, 20)]
    plans = [(str(f), f.read_text(encoding="utf-8")) for f in files] + _rule_case_plans()
    rendered = 0
    for name, text in plans:
        for doc in _documents(name, text, settings, catalogue, today):
            _assert_same(template, doc, name)
            rendered += 1
    assert rendered > 250  # most rule cases are valid plans


def test_banner_counts_and_long_lists_match_the_template(template: Any) -> None:
    """The warning banner's wording for one and many errors and warnings, and its cut at 12 findings."""
    today = DAYS[1]
    settings = per_plan(project_settings(today))
    catalogue = load_catalogue(settings.measures_file)
    [doc, _] = _documents("burnout", (ROOT / "examples" / "burnout.yaml").read_text(encoding="utf-8"), settings, catalogue, today)
    for errors, warnings in ((1, 0), (1, 1), (2, 3), (12, 0), (13, 1), (20, 2)):
        doc.banner = Banner(errors, warnings, [f"line {i}: E00{i % 10} <b>*x*</b> | #y" for i in range(errors)])
        _assert_same(template, doc, f"{errors} errors, {warnings} warnings")


def test_every_value_is_escaped_unless_built_here() -> None:
    """The writer's one way to print a value escapes it; only its own Raw pieces pass as they are."""
    text = "# [link](javascript:x) <img src=x> | *a*  b\nc"
    assert escaped(text) == md_escape(text) != text
    assert escaped(None) == "" and escaped(3) == "3" and escaped(1.5) == md_escape(1.5)
    assert escaped(Raw("**kept**")) == "**kept**"


def test_the_escape_shortcut_says_what_its_definition_says() -> None:
    """md_escape's quick test (a character class, a substring and an anchored match) finds exactly
    what _NEEDS_ESCAPING finds: its whitespace list is every \\s character but the space."""
    import random
    import re
    import sys

    from tplan.render import markdown

    every = "".join(map(chr, range(sys.maxunicode + 1)))
    spaces = set(re.findall(r"[^\S ]", every))
    assert set(markdown._SPECIAL_OR_BREAK.findall(every)) == spaces | set("\\`*_[]<>&|~!")
    alphabet = "ab 1.)#+=>-\\`*_[]<>&|~!é9" + "".join(sorted(spaces))
    rng = random.Random(3)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        quick = markdown._SPECIAL_OR_BREAK.search(text) is None and "  " not in text and markdown._AT_START.match(text) is None
        assert quick == (markdown._NEEDS_ESCAPING.search(text) is None), repr(text)
