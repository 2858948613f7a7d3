"""The pre-commit hook, end to end: `pre-commit run`, with a clinic's config naming a snapshot of
this repository at a commit, installs tplan into its own hook environment and runs it in a clinic's git repository with a bad plan
(fails) and a good plan (passes).

Why pip is told not to fetch tplan's dependencies: resolving them from a package index took 40 s
to 100 s of waiting on the network, and what it checks (that the declared dependencies install)
is what `.ci/run`'s own `pip install` checks on every run. Here the hook environment gets tplan
itself from the snapshot (built without an index, with the setuptools virtualenv seeds) and sees
the dependencies of the environment running the tests through PYTHONPATH; the hook's tplan must
be the snapshot's, which the test checks."""

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


def _requirements(name: str) -> set[str]:
    """The distributions `name` needs to run (no extras), itself included, by normalised name."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement  # pytest's own dependency

    seen: set[str] = set()
    todo = [name]
    while todo:
        dist = distribution(todo.pop())
        key = re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()
        if key in seen:
            continue
        seen.add(key)
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def dependencies_folder(folder: Path) -> Path:
    """A folder holding links to tplan's run-time dependencies as installed here, and nothing else
    (no tplan, no setuptools): the hook environment sees them through PYTHONPATH."""
    from importlib.metadata import distribution

    folder.mkdir()
    for name in sorted(_requirements("tplan") - {"tplan"}):
        dist = distribution(name)
        for top in {Path(str(f)).parts[0] for f in dist.files or []} - {"..", "__pycache__"}:
            source = Path(str(dist.locate_file(top)))
            if source.exists() and not (folder / top).exists() and not top.endswith(".pth"):
                (folder / top).symlink_to(source)
    return folder


def pre_commit_run(home: Path, clinic: Path, *files: str) -> subprocess.CompletedProcess:
    """`pre-commit run --files …` in the clinic's repository, as its git hook would run it."""
    dependencies = home / "dependencies"
    if not dependencies.exists():
        dependencies_folder(dependencies)
    # Everything pre-commit and virtualenv cache goes to a temporary folder, not the user's home.
    env = {
        **os.environ, "PRE_COMMIT_HOME": str(home), "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv"), "NO_COLOR": "1",
        # No package index (see the module's docstring): tplan from the snapshot, its dependencies from here.
        # pip reads PIP_NO_BUILD_ISOLATION backwards (pip's docs, "--no-*" options): "0" turns isolation off.
        "PIP_NO_DEPS": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_NO_INDEX": "1", "PYTHONPATH": str(dependencies),
        # The hook environment is seeded from virtualenv's own wheels. Without this, virtualenv finds
        # its (fresh, temporary) app data has never checked for newer pip and setuptools and starts
        # two detached `pip download` processes that outlive the test (~5 s of CPU, and a network call).
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        # Only the hook environment's own `tplan` (pre-commit puts its bin first) can run the hook.
        "PATH": os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep) if not shutil.which("tplan", path=d)),
    }
    assert shutil.which("tplan", path=env["PATH"]) is None
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--files", *files],
        cwd=clinic, env=env, capture_output=True, text=True, timeout=900,
    )


def hook_config(hook_repo: Path) -> str:
    """The clinic's .pre-commit-config.yaml, as README.md tells a clinic to write it: tplan's
    repository at a commit, its tplan-lint hook."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True, text=True).stdout.strip()
    return f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: tplan-lint\n"


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
        {"plans/good.yaml": good, "plans/bad.yaml": bad, ".pre-commit-config.yaml": hook_config(hook_repo)},
    )

    failing = pre_commit_run(pre_commit_home, clinic, "plans/bad.yaml", "plans/good.yaml", ".pre-commit-config.yaml")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "plans/bad.yaml:19:5: S101 error goal G1 has no measure" in output
    assert "plans/good.yaml:" not in output  # linted, and clean
    assert ".pre-commit-config.yaml:" not in output  # hidden files are not plans

    passing = pre_commit_run(pre_commit_home, clinic, "plans/good.yaml")  # the hook's environment is reused
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert re.search(r"tplan lint\.+Passed", passing.stdout)
