"""`tplan lint -` reads a plan from standard input; --stdin-filename names it for config and messages."""

from __future__ import annotations

import subprocess

import pytest
from conftest import MINIMAL, run_tplan, tplan_command

NO_DEADLINE = MINIMAL.read_text().replace("    deadline: 2026-05-25\n", "", 1)


def test_a_clean_plan_on_stdin(tmp_path):
    result = run_tplan("lint", "--today", "2026-04-01", "-", cwd=tmp_path, input=MINIMAL.read_text())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "All clear: 1 file checked, no findings.\n"


def test_findings_on_stdin_are_named_dash_or_the_stdin_filename(tmp_path):
    plain = run_tplan("lint", "--today", "2026-04-01", "-", cwd=tmp_path, input=NO_DEADLINE)
    assert plain.returncode == 1 and plain.stdout.startswith("-:") and " S103 " in plain.stdout
    named = run_tplan("lint", "--today", "2026-04-01", "--stdin-filename", "plans/TP-1.yaml", "-", cwd=tmp_path, input=NO_DEADLINE)
    assert named.stdout.startswith("plans/TP-1.yaml:") and " S103 " in named.stdout
    assert named.stdout.split(" S103")[0].removeprefix("plans/TP-1.yaml") == plain.stdout.split(" S103")[0].removeprefix("-")


def test_the_config_applies_to_the_stdin_filename(tmp_path):
    (tmp_path / ".tplan.toml").write_text('exclude = ["archive/"]\n[per-file-ignores]\n"plans/*" = ["S103"]\n')
    ignored = run_tplan("lint", "--today", "2026-04-01", "--stdin-filename", "plans/a.yaml", "-", cwd=tmp_path, input=NO_DEADLINE)
    assert ignored.returncode == 0 and ignored.stdout == "All clear: 1 file checked, no findings.\n"
    other = run_tplan("lint", "--today", "2026-04-01", "--stdin-filename", "intake/a.yaml", "-", cwd=tmp_path, input=NO_DEADLINE)
    assert other.returncode == 1 and other.stdout.startswith("intake/a.yaml:")
    excluded = run_tplan("lint", "--today", "2026-04-01", "--stdin-filename", "archive/a.yaml", "-", cwd=tmp_path, input=NO_DEADLINE)
    assert excluded.returncode == 0 and "0 files checked" in excluded.stdout  # as a named file that is excluded


def test_stdin_takes_part_in_cross_file_rules(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.yaml").write_text(MINIMAL.read_text())
    both = run_tplan("lint", "--today", "2026-04-01", "plans", "-", cwd=tmp_path, input=MINIMAL.read_text())
    assert "-:3:5: D701 error plan id TP-TEST-0001 is also used in plans/a.yaml" in both.stdout
    # the buffer of a file that is also linted from disk is that file, not a copy of it
    same = run_tplan("lint", "--today", "2026-04-01", "--stdin-filename", "plans/a.yaml", "plans", "-", cwd=tmp_path, input=MINIMAL.read_text())
    assert "D701" not in same.stdout and same.returncode == 0


@pytest.mark.process
def test_unreadable_stdin_is_e000_and_exit_2(tmp_path):
    result = subprocess.run([*tplan_command(), "lint", "-"], input=b"\x89PNG\r\n\x1a\n\x00\x00", capture_output=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stdout.decode().startswith("-: E000 error this is a binary file")


def test_stdin_usage_errors(tmp_path):
    twice = run_tplan("lint", "-", "-", cwd=tmp_path, input="")
    assert twice.returncode == 2 and twice.stderr == "tplan: error: '-' (standard input) can be given once only\n"
    no_dash = run_tplan("lint", "--stdin-filename", "a.yaml", str(MINIMAL), cwd=tmp_path)
    assert no_dash.returncode == 2
    assert no_dash.stderr == "tplan: error: --stdin-filename names the plan read from standard input: give '-' as a path too\n"


def test_stdin_over_the_size_limit_is_e000_without_reading_it_all(tmp_path):
    """A plan is a few kilobytes: `cat /dev/zero | tplan lint -` must not grow without bound, and
    the limit is the same max-file-bytes a file on disk has."""
    (tmp_path / ".tplan.toml").write_text("max-file-bytes = 1000\n")
    result = run_tplan("lint", "--today", "2026-04-01", "-", cwd=tmp_path, input=MINIMAL.read_text() + "#" * 2000)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout.startswith("-: E000 error the file is more than 1,000 bytes, over the max-file-bytes limit of 1,000;")
    small = run_tplan("lint", "--today", "2026-04-01", "-", cwd=tmp_path, input=MINIMAL.read_text()[:900])
    assert "max-file-bytes" not in small.stdout


def test_stdin_is_read_only_up_to_the_limit():
    import io

    from tplan.commands.lint import _stdin
    from tplan.linter import LintSettings
    from tplan.rules import Limits

    class Endless(io.RawIOBase):
        """/dev/zero as a stream: reading it all would never end."""

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[:] = b"0" * len(buffer)
            return len(buffer)

    import sys

    settings = LintSettings(limits=Limits(max_file_bytes=4096))
    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BufferedReader(Endless()))
    try:
        _, (name, raw) = _stdin(["-"], None, settings)
    finally:
        sys.stdin = old
    assert name == "-" and len(raw) == 4097  # one byte more than the limit tells "too big"
