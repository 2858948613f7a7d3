"""The documented GitHub Actions workflow and pre-commit snippet are valid and their commands work."""

from __future__ import annotations

import re
import shlex

from ruamel.yaml import YAML

from conftest import EXAMPLES, ROOT

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
    assert upload["with"]["sarif_file"] == "tplan.sarif" and upload["if"] == "always()"
    assert any("--format github" in r for r in runs)
    assert workflow()["permissions"]["security-events"] == "write"


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
