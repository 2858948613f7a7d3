"""`--help` re-wraps docstring paragraphs to the terminal instead of keeping their line breaks."""

from __future__ import annotations

import re

import pytest


def description_paragraphs(help_text: str) -> list[list[str]]:
    """The paragraphs between the usage line and the first section (Arguments/Options/Commands)."""
    body = help_text.split("\n\n", 1)[1]
    body = re.split(r"^(?:Arguments|Options|Commands):$", body, maxsplit=1, flags=re.M)[0]
    return [p.splitlines() for p in body.strip("\n").split("\n\n") if p.strip()]


@pytest.mark.parametrize("command", [["lint"], ["new"], ["render"], ["progress", "add"], ["status"]])
def test_help_paragraphs_are_filled_not_broken_mid_sentence(tplan, command):
    result = tplan(*command, "--help")
    assert result.returncode == 0
    assert "╭" not in result.stdout  # plain help, no boxes
    for paragraph in description_paragraphs(result.stdout):
        for line in paragraph:
            assert len(line) <= 100, line
        # Every line but the last of a paragraph is filled: no stray short line like "  from".
        for line in paragraph[:-1]:
            assert len(line) > 60, (line, paragraph)


def test_lint_help_keeps_the_config_sentence_together(tplan):
    text = " ".join(tplan("lint", "--help").stdout.split())
    assert "(the nearest found from the current folder upwards)" in text


def test_options_name_what_they_take(tplan):
    """Clinicians read `--today YYYY-MM-DD`, not a Python type such as `<str>`."""
    lint = tplan("lint", "--help").stdout
    assert "--today YYYY-MM-DD" in lint and "--select CODES" in lint and "--fail-on LEVEL" in lint
    add = tplan("progress", "add", "--help").stdout
    assert "--date YYYY-MM-DD" in add and "--measure MEASURE" in add and "--score SCORE" in add
    assert "<str>" not in lint.split("Options:")[1] and "<str>" not in add.split("Options:")[1]
