"""The pre-commit hook, end to end: `pre-commit try-repo` installs tplan from a snapshot of this
repository (offline, from the package index pip is configured with) and runs it in a clinic's
git repository with a bad plan (fails) and a good plan (passes)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT
from ruamel.yaml import YAML

GIT = ["git", "-c", "user.name=tplan tests", "-c", "user.email=tests@example.org", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def git(*args: str, cwd: Path) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True)


def good_plan_for_today() -> str:
    """The minimal plan (clean on 2026-04-01) with every date moved so it is clean today: a
    pre-commit hook runs with the real date."""
    shift = dt.date.today() - dt.date(2026, 4, 1)
    return re.sub(r"\b\d{4}-\d{2}-\d{2}\b", lambda m: str(dt.date.fromisoformat(m.group(0)) + shift), MINIMAL.read_text())


def test_hook_manifest_describes_the_lint_hook():
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "tplan-lint")
    assert hook["entry"] == "tplan lint" and hook["language"] == "python"
    assert re.search(hook["files"], "plans/a.yaml") and re.search(hook["files"], "b.yml")
    assert not re.search(hook["files"], "notes.md")
    assert re.search(hook["exclude"], ".pre-commit-config.yaml") and re.search(hook["exclude"], ".github/workflows/ci.yml")
    assert not re.search(hook["exclude"], "plans/a.yaml")
    assert hook["require_serial"] is True


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A committed snapshot of what a clinic's pre-commit clones: the package and the manifest."""
    repo = tmp_path_factory.mktemp("tplan-hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(ROOT / "src", repo / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "snapshot", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(hook_repo: Path, home: Path, clinic: Path, *files: str) -> subprocess.CompletedProcess:
    # Everything pre-commit and virtualenv cache goes to a temporary folder, not the user's home.
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "tplan-lint", "--files", *files],
        cwd=clinic, env=env, capture_output=True, text=True, timeout=900,
    )


def clinic_repo(path: Path, plans: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in plans.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git("init", "-q", cwd=path)
    git("add", "-A", cwd=path)
    return path


@pytest.mark.process
def test_pre_commit_fails_on_a_bad_plan_and_passes_a_good_one(hook_repo, pre_commit_home, tmp_path):
    good = good_plan_for_today()
    bad = good.replace("    measure: GAD-7\n", "").replace("id: TP-TEST-0001", "id: TP-TEST-0002")  # S101: the goal has no measure
    clinic = clinic_repo(
        tmp_path / "clinic",
        {"plans/good.yaml": good, "plans/bad.yaml": bad, ".pre-commit-config.yaml": "repos: []\n"},
    )

    failing = try_repo(hook_repo, pre_commit_home, clinic, "plans/bad.yaml", "plans/good.yaml", ".pre-commit-config.yaml")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "plans/bad.yaml:19:5: S101 error goal G1 has no measure" in output
    assert "plans/good.yaml:" not in output  # linted, and clean
    assert ".pre-commit-config.yaml:" not in output  # hidden files are not plans

    passing = try_repo(hook_repo, pre_commit_home, clinic, "plans/good.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert re.search(r"tplan lint\.+Passed", passing.stdout)
