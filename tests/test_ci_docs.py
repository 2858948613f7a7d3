"""The documented GitHub Actions workflow and pre-commit snippet are valid and their commands work."""

from __future__ import annotations

import json
import re
import shlex

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, run_tplan
from ruamel.yaml import YAML

DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")


def yaml_blocks(text: str) -> list:
    return [YAML(typ="safe").load(block) for block in re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)]


def workflow() -> dict:
    return next(b for b in yaml_blocks(DOC) if isinstance(b, dict) and "jobs" in b)


def test_workflow_lints_uploads_sarif_and_annotates():
    steps = workflow()["jobs"]["tplan"]["steps"]
    runs = [s.get("run", "") for s in steps]
    uses = [s.get("uses", "") for s in steps]
    assert any("--format sarif" in r and "> tplan.sarif" in r for r in runs)
    upload = steps[uses.index(next(u for u in uses if u.startswith("github/codeql-action/upload-sarif@")))]
    assert upload["with"]["sarif_file"] == "tplan.sarif"
    assert any("--format github" in r for r in runs)
    permissions = workflow()["permissions"]
    assert permissions["security-events"] == "write"
    assert permissions["actions"] == "read"  # upload-sarif reads the run's metadata in private repositories
    assert permissions["contents"] == "read"


def test_sarif_upload_runs_after_findings_but_not_for_fork_pull_requests():
    steps = workflow()["jobs"]["tplan"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    condition = re.sub(r"\s+", " ", upload["if"])
    # always(): upload even though the lint step found something; then only where the token can write.
    assert condition.startswith("always() && (")
    assert "github.event_name == 'push'" in condition
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition


def test_workflow_uses_current_action_versions_and_a_pinned_git_install():
    steps = workflow()["jobs"]["tplan"]["steps"]
    uses = {s["uses"].split("@")[0]: s["uses"].split("@")[1] for s in steps if "uses" in s}
    assert uses == {"actions/checkout": "v5", "actions/setup-python": "v6", "github/codeql-action/upload-sarif": "v4"}
    install = next(s["run"] for s in steps if s.get("name") == "Install tplan")
    # tplan is not on PyPI: install a release tag from the clinic's git repository.
    assert re.fullmatch(r'pip install "tplan @ git\+https://github\.com/EXAMPLE-ORG/tplan@v\d+\.\d+\.\d+"', install)
    assert "EXAMPLE-ORG" in DOC.split("```yaml", 1)[0]  # the text before the workflow says to replace it


def test_every_documented_lint_command_runs(tplan):
    """Each `tplan lint …` in the workflow, on the bundled examples (with a fixed date)."""
    commands = re.findall(r"tplan lint [^>|;}\n]*", "\n".join(s.get("run", "") for s in workflow()["jobs"]["tplan"]["steps"]))
    assert len(commands) >= 3
    for command in commands:
        args = [str(EXAMPLES) if a == "plans/" else a for a in shlex.split(command)[1:]]
        result = tplan(*args[:1], "--today", "2026-12-01", *args[1:])
        assert result.returncode == 0, (command, result.stdout, result.stderr)


def test_pre_commit_snippets_use_the_published_hook_id():
    hook_ids = {h["id"] for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (DOC, readme):
        configs = [b for b in yaml_blocks(text) if isinstance(b, dict) and "repos" in b]
        assert configs, "no .pre-commit-config.yaml snippet"
        assert {h["id"] for c in configs for r in c["repos"] for h in r["hooks"]} <= hook_ids


def example_plans(folder):
    """The two plans the examples in docs/ci.md were produced from (see "What the formats look like")."""
    text = MINIMAL.read_text(encoding="utf-8").split("\n", 1)[1]  # without the fixture's comment line
    plans = folder / "plans"
    plans.mkdir()
    bad = text.replace("id: TP-TEST-0001", "id: TP-2026-0042").replace("    deadline: 2026-05-25\n", "")
    (plans / "TP-2026-0042.yaml").write_text(bad.replace("deadline: 2026-04-20", "deadline: 2026-07-25"))
    (plans / "TP-2026-0043.yaml").write_text(text.replace("id: TP-TEST-0001", "id: TP-2026-0043"))


def documented_output(heading: str, fence: str) -> str:
    section = DOC.split(heading, 1)[1]
    return re.search(rf"^```{fence}\n(.*?)^```", section, re.S | re.M).group(1)


@pytest.mark.parametrize(
    "fmt, heading, fence",
    [
        ("text", "`--format text` (the default)", "text"),
        ("github", "`--format github`, for pull-request annotations", "text"),
        ("json", "## `--format json` (for scripts)", "json"),
    ],
)
def test_documented_outputs_are_what_tplan_prints(tmp_path, fmt, heading, fence):
    example_plans(tmp_path)
    result = run_tplan("lint", "--today", "2026-04-01", "--format", fmt, "plans/", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    documented = documented_output(heading, fence)
    if fmt == "json":
        assert json.loads(documented) == json.loads(result.stdout)
    else:
        assert documented == result.stdout
