"""`tplan lint` through the real entry point: exit codes, output shape, bad inputs."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, MINIMAL


def no_traceback(result) -> bool:
    return "Traceback" not in result.stdout + result.stderr


def test_examples_lint_clean(tplan):
    result = tplan("lint", "--today", "2026-12-01", str(EXAMPLES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 files checked, no findings" in result.stdout


def test_goal_without_deadline_gives_s103_at_the_goal(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("    deadline: 2026-05-25\n", ""))
    result = tplan("lint", "--today", "2026-04-01", str(plan))
    assert result.returncode == 1
    assert f"{plan}:19:5: S103 error goal G1 has no deadline" in result.stdout
    assert "Found 1 error in 1 of 1 file checked." in result.stdout


def test_missing_file_is_one_clear_line_and_exit_2(tplan):
    result = tplan("lint", "nope.yaml")
    assert result.returncode == 2
    assert "nope.yaml: E000 error no such file or folder" in result.stdout
    assert no_traceback(result)


def test_bad_inputs_each_get_a_message_and_the_others_are_still_linted(tplan, tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    (tmp_path / "latin1.yaml").write_bytes("name: Jos\xe9\n".encode("latin-1"))
    (tmp_path / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "broken.yaml").write_text("goals: [\n")
    (tmp_path / "version.yaml").write_text("tplan: 2\nid: X\n")
    good = tmp_path / "good.yaml"
    good.write_text(MINIMAL.read_text())
    result = tplan("lint", "--today", "2026-04-01", str(tmp_path))
    out = result.stdout
    assert result.returncode == 2
    assert no_traceback(result)
    assert "empty.yaml:1:1: E005 error the file is empty" in out
    assert "list.yaml:1:1: E005 error the top level is a list" in out
    assert "latin1.yaml:1:10: E000 error the file is not valid UTF-8" in out
    assert "binary.yaml: E000 error this is a binary file" in out
    assert "broken.yaml:2:1: E001 error invalid YAML" in out
    assert "version.yaml:1:8: E005 error unsupported format version" in out
    assert "good.yaml" not in out  # linted, and clean
    assert "7 files checked" in out


def test_folder_without_plans_exits_2(tplan, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = tplan("lint", str(tmp_path))
    assert result.returncode == 2
    assert "this folder contains no plans" in result.stdout


def test_hidden_folders_are_skipped(tplan, tmp_path):
    hidden = tmp_path / ".git"
    hidden.mkdir()
    (hidden / "junk.yaml").write_text("- not a plan\n")
    (tmp_path / "plan.yml").write_text(MINIMAL.read_text())
    result = tplan("lint", "--today", "2026-04-01", str(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "1 file checked" in result.stdout


def test_fail_on_error_lets_warnings_pass(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("unit: days/week, ", ""))  # S112 is a warning
    assert tplan("lint", "--today", "2026-04-01", str(plan)).returncode == 1
    assert tplan("lint", "--today", "2026-04-01", "--fail-on", "error", str(plan)).returncode == 0


def test_select_and_ignore(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("unit: days/week, ", "").replace("    deadline: 2026-05-25\n", ""))
    out = tplan("lint", "--today", "2026-04-01", "--select", "S103", str(plan)).stdout
    assert "S103" in out and "S112" not in out
    out = tplan("lint", "--today", "2026-04-01", "--ignore", "S1", str(plan)).stdout
    assert "S103" not in out and "S112" not in out


def test_usage_errors_exit_2_without_traceback(tplan):
    for args in (["lint", "--today", "tomorrow", "x.yaml"], ["lint", "--select", "Z999", "x.yaml"], ["lint", "--fail-on", "loud", "x"]):
        result = tplan(*args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("tplan: error:"), result.stderr
        assert no_traceback(result)


@pytest.mark.process
def test_python_dash_m_works(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "tplan", "lint", "--today", "2026-12-01", str(EXAMPLES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_measures_lists_the_catalogue(tplan):
    result = tplan("measures")
    assert result.returncode == 0
    for ident in ("PHQ-9", "GAD-7", "PSS-10", "CBI", "ECR-R", "CSI-16"):
        assert ident in result.stdout



@pytest.mark.parametrize(
    "text, position, hint",
    [
        ("tplan: 1\nsummary: Stress at work: deadlines\n", "2:24", "a ': ' inside a value starts a new key; put the whole value in quotes"),
        ("tplan: 1\nclient:\n\tname: x\n", "3:1", "a tab is used for indentation; indent with spaces only"),
        ('tplan: 1\nid: "abc\nx: 1\n', "4:1", "a quote opened here is never closed"),
        ("goals: [1, 2\n", "2:1", "a [ … ] list is not closed"),
        ("tplan: 1\nid: x\n---\ntplan: 1\n", "3:1", "a second '---' document; keep one plan per file"),
    ],
)
def test_yaml_errors_say_what_to_do(tplan, tmp_path, text, position, hint):
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    result = tplan("lint", str(plan))
    assert result.returncode == 2
    assert f"{plan}:{position}: E001 error invalid YAML: {hint}" in result.stdout, result.stdout
