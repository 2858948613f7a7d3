"""`exclude` and `per-file-ignores` patterns follow .gitignore (through pathspec)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MINIMAL

from tplan.linter import LintSettings, discover
from tplan.pathmatch import matches, matches_any


@pytest.mark.parametrize(
    "pattern, path, is_dir, expected",
    [
        ("old/", "old", True, True),  # a trailing slash: the folder itself ...
        ("old/", "old/a.yaml", False, True),  # ... and everything in it
        ("old/", "old", False, False),  # ... but not a file called old
        ("old/", "plans/old/a.yaml", False, True),  # a name anywhere
        ("old", "old", False, True),  # without the slash: files and folders alike
        ("plans/old", "x/plans/old/a.yaml", False, False),  # a slash anchors at the config's folder
        ("/old", "plans/old", True, False),
        ("/old", "old/a.yaml", False, True),
        ("./plans/old", "plans/old/a.yaml", False, True),  # a leading ./ is dropped
        ("*.yaml", "plans/a.yaml", False, True),
        ("plans/*.yaml", "plans/sub/a.yaml", False, False),  # * stays inside one name
        ("a**b.yaml", "axxb.yaml", False, True),  # ** inside a name is a plain *
        ("a**b.yaml", "a/x/b.yaml", False, False),  # ... and does not cross folders
        ("plans/**/draft.yaml", "plans/a/b/draft.yaml", False, True),  # as a whole part it does
        ("archive/**", "archive/2024/a.yaml", False, True),
        ("plans\\old", "plans/old", True, False),  # \ escapes, it is not a folder separator
        ("plans\\old", "plansold", False, True),
        ("\\#notes.yaml", "#notes.yaml", False, True),
        ("\\!keep.yaml", "!keep.yaml", False, True),
    ],
)
def test_one_pattern(pattern, path, is_dir, expected):
    assert matches(path, pattern, is_dir) is expected


def test_negation_re_includes_what_an_earlier_pattern_excluded():
    patterns = ("*.yaml", "!keep.yaml")
    assert matches_any("drop.yaml", patterns) and not matches_any("plans/keep.yaml", patterns)
    assert matches_any("keep.yaml", ("!keep.yaml", "*.yaml"))  # the last matching pattern wins


def test_a_negated_per_file_ignores_key_means_every_other_file():
    assert matches("plans/a.yaml", "!drafts/**") and not matches("drafts/a.yaml", "!drafts/**")


def _tree(root):
    for rel in ("plans/a.yaml", "archive/x.yaml", "archive/keep.yaml", "old", "notes/old/b.yaml", "plans/c.yaml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(MINIMAL.read_text())
    (root / "old").rename(root / "old.yaml")  # a file whose name is "old.yaml", kept by "old/"
    (root / "old").write_text("")  # and a file called plain "old" (not a plan: never found anyway)


def test_exclude_in_discovery_folder_patterns_and_negation(tmp_path):
    _tree(tmp_path)
    settings = LintSettings(today=dt.date(2026, 4, 1), root=str(tmp_path), exclude=("old/", "plans/*", "!plans/c.yaml"))
    files, problems = discover([str(tmp_path)], settings)
    found = sorted(f.removeprefix(str(tmp_path) + "/") for f in files)
    assert found == ["archive/keep.yaml", "archive/x.yaml", "old.yaml", "plans/c.yaml"] and problems == []


def test_a_file_in_an_excluded_folder_cannot_be_re_included_as_in_git(tmp_path):
    _tree(tmp_path)
    settings = LintSettings(today=dt.date(2026, 4, 1), root=str(tmp_path), exclude=("archive/", "!archive/keep.yaml"))
    files, _ = discover([str(tmp_path)], settings)
    assert not any("archive" in f for f in files)


def test_keeping_some_files_of_an_archive_as_docs_patterns_shows(tmp_path):
    for name in ("2025-a.yaml", "2026-b.yaml"):
        (tmp_path / "archive").mkdir(exist_ok=True)
        (tmp_path / "archive" / name).write_text(MINIMAL.read_text())
    settings = LintSettings(today=dt.date(2026, 4, 1), root=str(tmp_path), exclude=("archive/*", "!archive/2026-*.yaml"))
    files, _ = discover([str(tmp_path)], settings)
    assert [f.removeprefix(str(tmp_path) + "/") for f in files] == ["archive/2026-b.yaml"]
