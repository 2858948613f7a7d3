"""The README's episode (after the quick tour) runs verbatim on the tour's plan, once it is filled
in and active, and prints what the README shows; at no step does lint report a false alarm."""

from __future__ import annotations

import difflib
import re
import shlex

from conftest import ROOT, run_tplan
from template_fill import fill_placeholders

from tplan.measures import builtin_catalogue

README = (ROOT / "README.md").read_text(encoding="utf-8")
PLAN = "plans/TP-2026-0042.yaml"


def episode() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ tplan …` in the tour's second code block."""
    section = README.split("## A quick tour", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"^```\n(.*?)^```", section, re.S | re.M)[1]
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.strip():
            steps[-1][1].append(line)
    return steps


def filled_plan(tmp_path) -> str:
    """The tour's `tplan new`, then what the clinician fills in: placeholders, active, consent."""
    new = run_tplan("new", "--template", "burnout", "--id", "TP-2026-0042", "--client", "Alex Example",
                    "--start", "2026-03-02", "-o", PLAN, cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    path = tmp_path / PLAN
    text = fill_placeholders(path.read_text(encoding="utf-8"), builtin_catalogue()).replace("status: draft", "status: active")
    assert text.count("  client_agreed: false\n") == 1
    text = text.replace("  client_agreed: false\n", "  client_agreed: true\n  client_signed: 2026-03-02\n  clinician_signed: 2026-03-02\n")
    path.write_text(text, encoding="utf-8")
    return text


def test_the_episode_runs_verbatim_with_no_false_alarm(tmp_path):
    before = filled_plan(tmp_path)
    assert run_tplan("lint", "--today", "2026-03-02", PLAN, cwd=tmp_path).stdout == "All clear: 1 file checked, no findings.\n"
    steps = episode()
    assert [shlex.split(c)[1] for c, _ in steps] == ["progress", "progress", "lint", "review", "review", "close"]
    for command, expected in steps:
        args = shlex.split(command)[1:]
        if "--date" in args:  # each command ran on the day it records
            args += ["--today", args[args.index("--date") + 1]]
        result = run_tplan(*args, cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
        assert (result.stdout + result.stderr).splitlines() == expected, command
        day = args[args.index("--today") + 1]
        findings = run_tplan("lint", "--today", day, PLAN, cwd=tmp_path)
        assert " error " not in findings.stdout and " warning " not in findings.stdout, (command, findings.stdout)
    assert run_tplan("lint", "--today", "2026-12-01", PLAN, cwd=tmp_path).stdout == "All clear: 1 file checked, no findings.\n"
    after = (tmp_path / PLAN).read_text(encoding="utf-8")
    removed = [line[1:] for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line.startswith("-") and not line.startswith("---")]
    # only what the episode changed: status, updated, G1's target and deadline, the next review
    assert removed == ["status: active", "updated: 2026-03-02", '    target: ">= 5"', "    deadline: 2026-05-25", "  next: 2026-05-31"]
    assert "discharge:\n  date: 2026-09-01\n  reason: goals-met\n" in after
