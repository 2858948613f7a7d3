"""Every --format: SARIF against the official schema, the JSON contract, GitHub's escaping, text."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

import jsonschema
import pytest
from conftest import MINIMAL, run_tplan, tplan_command

from tplan.diagnostics import Diagnostic, FileResult, Report, Severity
from tplan.reporters import REPORTERS, Format
from tplan.reporters.github import escape_data, escape_property
from tplan.rules import ALL_RULES

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

# Messages with every character GitHub's workflow commands must escape.
TRICKY = "100% sure: a, b\r\nand c"


def fixed_report() -> Report:
    return Report(
        files=[
            FileResult(
                "plans/a.yaml",
                [
                    Diagnostic("S103", Severity.ERROR, "goal G1 has no deadline", "plans/a.yaml", 19, 5, ("goals", 0), 34, 1),
                    Diagnostic("S107", Severity.WARNING, TRICKY, "plans/a.yaml", 27, 15, ("goals", 0, "deadline"), 27, 25),
                ],
            ),
            FileResult("plans/b,1:x.yaml", [Diagnostic("E000", Severity.ERROR, "the file is not valid UTF-8 text", "plans/b,1:x.yaml", 0, 0)], fatal=True),
            FileResult("plans/c.yaml", []),
        ]
    )


def plans(tmp_path: Path) -> Path:
    """A folder with a plan with findings (error, warning), a clean plan and an unreadable file."""
    folder = tmp_path / "plans"
    folder.mkdir()
    text = MINIMAL.read_text()
    bad = text.replace("    deadline: 2026-05-25\n", "").replace("unit: days/week, ", "")
    (folder / "a.yaml").write_text(bad.replace("id: TP-TEST-0001", "id: TP-TEST-000A"))
    (folder / "clean.yaml").write_text(text)
    (folder / "latin1.yaml").write_bytes("name: Jos\xe9\n".encode("latin-1"))
    return folder


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    return run_tplan(*args, cwd=cwd)


def test_format_choices_come_from_the_reporters_dict():
    assert [f.value for f in Format] == list(REPORTERS) == ["text", "json", "sarif", "github"]


# ---- SARIF ---------------------------------------------------------------------------------------
def test_the_vendored_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    # The validator really checks: a result with a made-up level is rejected.
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "loud"}]}]}
    assert not validator.is_valid(bad)


def validate_sarif(document: dict) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_sarif_from_a_real_run_is_valid_and_points_into_the_repository(tmp_path):
    plans(tmp_path)
    result = run("lint", "--today", "2026-04-01", "--format", "sarif", "plans", cwd=tmp_path)
    assert result.returncode == 2, result.stderr  # the unreadable file
    document = json.loads(result.stdout)
    validate_sarif(document)
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in ALL_RULES]
    results = run_["results"]
    assert {r["ruleId"] for r in results} == {"S103", "S112", "E000"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        location = r["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("plans/")
        assert location["region"]["startLine"] >= 1
    s103 = next(r for r in results if r["ruleId"] == "S103")
    assert s103["level"] == "error"
    # The missing deadline is reported at the goal's mapping, where it has to be added.
    assert s103["locations"][0]["physicalLocation"]["region"] == {"startLine": 19, "startColumn": 5, "endLine": 34, "endColumn": 1}
    assert s103["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "goals[0].deadline"}]
    assert next(r for r in results if r["ruleId"] == "S112")["level"] == "warning"
    # The whole-file problem is placed at line 1: GitHub needs a start line.
    e000 = next(r for r in results if r["ruleId"] == "E000")
    assert e000["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    # A file could not be read (exit 2): the run did not complete, and SARIF says so.
    assert run_["invocations"] == [{"executionSuccessful": False, "exitCode": 2}]


def test_sarif_run_with_findings_only_is_a_successful_execution(tmp_path):
    folder = plans(tmp_path)
    (folder / "latin1.yaml").unlink()
    result = run("lint", "--today", "2026-04-01", "--format", "sarif", "plans", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    validate_sarif(document)
    assert document["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]


def test_sarif_rules_carry_the_rule_documentation():
    from tplan.reporters.sarif import document

    rules = {r["id"]: r for r in document(fixed_report())["runs"][0]["tool"]["driver"]["rules"]}
    s107 = rules["S107"]
    assert s107["name"] == "deadline-too-far"
    assert s107["defaultConfiguration"] == {"level": "warning"}
    assert s107["shortDescription"]["text"].startswith("A deadline is too far away")
    assert "Goals that run past the review cycle" in s107["fullDescription"]["text"]
    for part in ("Why it matters", "Example (reported)", "Use instead", "References: CARF Section 2.C"):
        assert part in s107["help"]["text"]
    assert "**Use instead**" in s107["help"]["markdown"]
    assert rules["C401"]["help"]["text"].count("References:") == 1
    assert "References" not in rules["E000"]["help"]["text"]  # no references, no empty section


def test_sarif_of_the_fixed_report_is_valid_and_uses_unicode_columns():
    from tplan.reporters.sarif import document

    doc = document(fixed_report())
    validate_sarif(doc)
    run_ = doc["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]]
    assert uris == ["plans/a.yaml", "plans/a.yaml", "plans/b%2C1%3Ax.yaml"]


def test_sarif_for_a_file_outside_the_current_folder_uses_an_absolute_uri(tmp_path, monkeypatch):
    from tplan.reporters.sarif import location

    inside = tmp_path / "repo"
    inside.mkdir()
    monkeypatch.chdir(inside)
    outside = tmp_path / "elsewhere.yaml"
    loc = location(Diagnostic("S103", Severity.ERROR, "m", str(outside), 3, 1))
    assert loc["physicalLocation"]["artifactLocation"] == {"uri": outside.resolve().as_uri()}


# ---- JSON ----------------------------------------------------------------------------------------
FINDING_KEYS = ["code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column", "yaml_path"]


def test_json_shape_is_the_documented_contract(tmp_path):
    plans(tmp_path)
    result = run("lint", "--today", "2026-04-01", "--format", "json", "plans", cwd=tmp_path)
    doc = json.loads(result.stdout)
    assert list(doc) == ["version", "tool", "summary", "files", "findings"]
    assert doc["version"] == 1
    assert doc["tool"]["name"] == "tplan"
    assert doc["summary"] == {
        "files_checked": 3,
        "files_with_findings": 2,
        "files_unreadable": 1,
        "errors": 2,
        "warnings": 1,
        "info": 0,
        "by_rule": {"E000": 1, "S103": 1, "S112": 1},
        "fail_on": "warning",
        "exit_code": 2,
    }
    assert doc["files"] == [
        {"path": "plans/a.yaml", "unreadable": False, "findings": 2},
        {"path": "plans/clean.yaml", "unreadable": False, "findings": 0},
        {"path": "plans/latin1.yaml", "unreadable": True, "findings": 1},
    ]
    for finding in doc["findings"]:
        assert list(finding) == FINDING_KEYS
    s103 = next(f for f in doc["findings"] if f["code"] == "S103")
    assert s103 == {
        "code": "S103",
        "name": "no-deadline",
        "severity": "error",
        "message": "goal G1 has no deadline",
        "path": "plans/a.yaml",
        "line": 19,
        "column": 5,
        "end_line": 34,
        "end_column": 1,
        "yaml_path": "goals[0].deadline",
    }
    latin = next(f for f in doc["findings"] if f["code"] == "E000")
    assert (latin["line"], latin["column"], latin["yaml_path"]) == (1, 10, None)


def test_json_whole_file_problem_has_null_position():
    from tplan.reporters.json import document

    e000 = next(f for f in document(fixed_report())["findings"] if f["code"] == "E000")
    assert (e000["line"], e000["column"], e000["end_line"], e000["end_column"], e000["yaml_path"]) == (None,) * 5


def test_json_of_a_clean_run(tmp_path):
    (tmp_path / "plan.yaml").write_text(MINIMAL.read_text())
    doc = json.loads(run("lint", "--today", "2026-04-01", "--format", "json", "plan.yaml", cwd=tmp_path).stdout)
    assert doc["findings"] == [] and doc["summary"]["exit_code"] == 0 and doc["summary"]["files_checked"] == 1


# ---- GitHub --------------------------------------------------------------------------------------
def test_github_escaping_of_data_and_properties():
    assert escape_data("100% a:b,c\r\nd") == "100%25 a:b,c%0D%0Ad"
    assert escape_property("100% a:b,c\r\nd") == "100%25 a%3Ab%2Cc%0D%0Ad"
    assert escape_data("%0A") == "%250A"  # % first, so an existing escape is not decoded later


def test_github_commands_for_the_fixed_report():
    lines = REPORTERS["github"](fixed_report()).splitlines()
    assert lines == [
        "::error file=plans/a.yaml,line=19,col=5,endLine=34,endColumn=1,title=S103::S103 goal G1 has no deadline",
        "::warning file=plans/a.yaml,line=27,col=15,endLine=27,endColumn=25,title=S107::S107 100%25 sure: a, b%0D%0Aand c",
        "::error file=plans/b%2C1%3Ax.yaml,title=E000::E000 the file is not valid UTF-8 text",
    ]


def test_github_format_from_a_real_run(tmp_path):
    plans(tmp_path)
    result = run("lint", "--today", "2026-04-01", "--format", "github", "plans", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert "::error file=plans/a.yaml,line=19,col=5,endLine=34,endColumn=1,title=S103::S103 goal G1 has no deadline" in lines
    assert any(line.startswith("::warning file=plans/a.yaml,") and "title=S112::" in line for line in lines)
    assert all(line.startswith("::") for line in lines)  # commands only, no summary chatter
    assert result.returncode == 2


def test_info_findings_are_notices():
    report = Report([FileResult("a.yaml", [Diagnostic("S109", Severity.INFO, "m", "a.yaml", 1, 1)])])
    assert REPORTERS["github"](report).startswith("::notice file=a.yaml,line=1,col=1,title=S109::")


# ---- text ----------------------------------------------------------------------------------------
def test_quiet_prints_findings_only_and_nothing_when_clean(tmp_path):
    plans(tmp_path)
    (tmp_path / "plans" / "latin1.yaml").unlink()
    result = run("lint", "--today", "2026-04-01", "-q", "plans", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "plans/a.yaml:19:5: S103 error goal G1 has no deadline",
        "plans/a.yaml:30:18: S112 warning the custom measure of objective G1.1 has no unit",
    ]
    assert "Found" not in result.stdout and result.returncode == 1
    clean = run("lint", "--today", "2026-04-01", "--quiet", "plans/clean.yaml", cwd=tmp_path)
    assert clean.stdout == "" and clean.returncode == 0


def test_statistics_counts_findings_per_rule(tmp_path):
    folder = plans(tmp_path)
    (folder / "latin1.yaml").unlink()
    (folder / "b.yaml").write_text((folder / "a.yaml").read_text().replace("TP-TEST-000A", "TP-TEST-000B"))
    result = run("lint", "--today", "2026-04-01", "--statistics", "plans", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "2  S103  no-deadline             error",
        "2  S112  custom-measure-no-unit  warning",
        "Found 2 errors, 2 warnings in 2 of 3 files checked.",
    ]
    assert result.returncode == 1


def test_statistics_with_a_machine_format_is_a_usage_error(tmp_path):
    result = run("lint", "--format", "json", "--statistics", "x.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "--statistics works with --format text only" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path):
    result = run("lint", "--format", "xml", "x.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "xml" in result.stderr and "Traceback" not in result.stderr


def _on_a_terminal(args: list[str], cwd: Path, no_color: bool, columns: str = "200") -> str:
    """Run tplan with its stdout on a pseudo-terminal, as in an interactive shell."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    env |= {"TERM": "xterm-256color", "COLUMNS": columns} | ({"NO_COLOR": "1"} if no_color else {})
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*tplan_command(), *args], stdout=follower, stderr=follower, cwd=cwd, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


@pytest.mark.process
@pytest.mark.parametrize("no_color", [False, True])
def test_colour_on_a_terminal_only_unless_no_color(tmp_path, no_color):
    plans(tmp_path)
    args = ["lint", "--today", "2026-04-01", "plans/a.yaml"]
    shown = _on_a_terminal(args, tmp_path, no_color)
    assert "S103" in shown and "no deadline" in shown
    assert ("\x1b[" in shown) is not no_color
    piped = run(*args, cwd=tmp_path).stdout  # not a terminal: never colour
    assert "\x1b[" not in piped and "S103" in piped
