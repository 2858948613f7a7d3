"""--debug / TPLAN_DEBUG=1: an internal error prints its traceback; without it, one line that
names the exception's type and never its message (which can quote the plan)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys

import pytest
from conftest import MINIMAL

from tplan import linter
from tplan.linter import LintSettings, lint_paths
from tplan.rules import BY_CODE

SECRET = "Test Person"  # the client's name in the fixture: it must never reach the output


def boom(*args, **kwargs):
    raise ValueError(f"unexpected value for {SECRET}")


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    from tplan.cli import main

    monkeypatch.setattr(sys, "argv", ["tplan", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return exit_info.value.code, capsys.readouterr().err


@pytest.fixture
def no_debug(monkeypatch):
    """Start with debugging off; monkeypatch restores the variable --debug sets."""
    monkeypatch.setenv("TPLAN_DEBUG", "0")


def test_an_internal_error_is_one_line_with_the_type_only(monkeypatch, capsys, no_debug):
    monkeypatch.setattr("tplan.commands.lint.run_lint", boom)
    code, err = run_main(monkeypatch, capsys, "lint", str(MINIMAL))
    assert code == 2
    assert err == "tplan: internal error (ValueError); please report this; run with --debug for the traceback\n"


@pytest.mark.parametrize("how", ["--debug", "TPLAN_DEBUG=1"])
def test_debug_prints_the_traceback(monkeypatch, capsys, no_debug, how):
    monkeypatch.setattr("tplan.commands.lint.run_lint", boom)
    if how == "--debug":
        code, err = run_main(monkeypatch, capsys, "--debug", "lint", str(MINIMAL))
    else:
        monkeypatch.setenv("TPLAN_DEBUG", "1")
        code, err = run_main(monkeypatch, capsys, "lint", str(MINIMAL))
    assert code == 2
    assert err.startswith("Traceback (most recent call last):") and "in boom" in err
    assert err.splitlines()[-1] == "tplan: internal error (ValueError); please report this"


def _broken_s103(monkeypatch):
    broken = dataclasses.replace(BY_CODE["S103"], check=boom)
    monkeypatch.setattr(linter, "ALL_RULES", tuple(broken if r.code == "S103" else r for r in linter.ALL_RULES))


def test_a_crashing_check_is_a_finding_without_the_exception_text(monkeypatch, capsys, no_debug):
    _broken_s103(monkeypatch)
    report = lint_paths([str(MINIMAL)], LintSettings(today=dt.date(2026, 4, 1)))
    assert [(d.code, d.message) for d in report.diagnostics] == [
        ("S103", "tplan could not run this check (ValueError); please report it")
    ]
    assert capsys.readouterr().err == ""


def test_a_crashing_check_prints_its_traceback_under_debug(monkeypatch, capsys):
    monkeypatch.setenv("TPLAN_DEBUG", "1")
    _broken_s103(monkeypatch)
    report = lint_paths([str(MINIMAL)], LintSettings(today=dt.date(2026, 4, 1)))
    assert [d.code for d in report.diagnostics] == ["S103"] and SECRET not in report.diagnostics[0].message
    err = capsys.readouterr().err
    assert "Traceback (most recent call last):" in err and "ValueError" in err


def test_a_crash_while_checking_a_file_is_type_only_and_traced_under_debug(monkeypatch, capsys):
    monkeypatch.setattr(linter, "validate", boom)
    monkeypatch.setenv("TPLAN_DEBUG", "0")
    quiet = lint_paths([str(MINIMAL)], LintSettings(today=dt.date(2026, 4, 1)))
    assert [d.message for d in quiet.diagnostics] == ["tplan failed while checking this file (ValueError); please report it"]
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("TPLAN_DEBUG", "1")
    lint_paths([str(MINIMAL)], LintSettings(today=dt.date(2026, 4, 1)))
    assert "Traceback (most recent call last):" in capsys.readouterr().err


def test_debug_is_in_the_help():
    from typer.testing import CliRunner

    from tplan.cli import app

    assert "--debug" in CliRunner().invoke(app, ["--help"]).output
