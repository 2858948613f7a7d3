"""Packaging: one version source, the licence file, metadata, shell completion, docgen out of the package."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shlex
import subprocess
import tomllib

import pytest
from conftest import ROOT, run_tplan, tplan_command

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_version_is_written_in_pyproject_only_and_read_from_the_metadata():
    import tplan

    assert tplan.__version__ == importlib.metadata.version("tplan") == PYPROJECT["version"]
    assert run_tplan("--version").stdout.startswith(f"tplan {PYPROJECT['version']} (")
    written = re.compile(r"""__version__\s*=\s*["']|version\s*=\s*["']\d""")
    sources = [p for p in (ROOT / "src").rglob("*.py") if written.search(p.read_text(encoding="utf-8"))]
    assert sources == []


def test_the_licence_file_matches_the_declared_licence():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "Permission is hereby granted, free of charge" in text
    assert PYPROJECT["license"] == {"text": "MIT"}
    assert "License :: OSI Approved :: MIT License" in PYPROJECT["classifiers"]


def test_metadata_has_classifiers_urls_and_the_typed_marker():
    assert {"Programming Language :: Python :: 3.11", "Typing :: Typed"} <= set(PYPROJECT["classifiers"])
    assert {"Homepage", "Changelog", "Issues"} <= set(PYPROJECT["urls"])
    assert (ROOT / "src" / "tplan" / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    assert "py.typed" in package_data["tplan"]  # shipped in wheels, not only present in the checkout


def test_the_changelog_keeps_an_unreleased_section():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "keepachangelog.com" in text and "## [Unreleased]" in text
    assert re.search(r"## \[Unreleased\]\n\n### (Added|Changed|Fixed)", text)


def test_docgen_is_a_script_not_part_of_the_package():
    """Its output is checked in test_rule_docs.py; here only where it lives."""
    assert importlib.util.find_spec("tplan.docgen") is None
    assert (ROOT / "scripts" / "docgen.py").is_file()


@pytest.mark.process
def test_shell_completion_installs_and_completes(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    # From a bash prompt, as a user would: typer finds the shell among the program's parents (the
    # `; exit` keeps bash from replacing itself with the program).
    command = " ".join(shlex.quote(part) for part in (*tplan_command(), "--install-completion"))
    installed = subprocess.run(["bash", "-c", f"{command}; exit $?"], env=env, capture_output=True, text=True, timeout=60)
    assert installed.returncode == 0, installed.stderr
    assert (tmp_path / ".bash_completions" / "tplan.sh").is_file() and "tplan.sh" in (tmp_path / ".bashrc").read_text()
    complete = {**env, "_TPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "tplan li", "COMP_CWORD": "1"}
    words = subprocess.run(tplan_command(), env=complete, capture_output=True, text=True, timeout=60)
    assert words.stdout.split() == ["lint"]
