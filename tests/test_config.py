"""Configuration: discovery upward from the current folder, precedence, every kind of bad config."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL, run_tplan

from tplan.config import Config, find_config, lint_settings, load_config
from tplan.errors import TplanError

# S107 (warning): the short-term goal's deadline is 207 days after `created`.
FAR = MINIMAL.read_text().replace("    deadline: 2026-05-25", "    deadline: 2026-09-25")


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    return run_tplan(*args, cwd=cwd)


def lint(cwd, *args: str) -> subprocess.CompletedProcess:
    return run("lint", "--today", "2026-04-01", *args, cwd=cwd)


@pytest.fixture
def repo(tmp_path):
    """A clinic repository: plans/far.yaml has one S107 warning; work happens in plans/sub/."""
    (tmp_path / "plans" / "sub").mkdir(parents=True)
    (tmp_path / "plans" / "far.yaml").write_text(FAR)
    return tmp_path


# ---- discovery -----------------------------------------------------------------------------------
def test_config_is_found_by_walking_up_from_the_current_folder(repo):
    (repo / "pyproject.toml").write_text('[project]\nname = "clinic"\n\n[tool.tplan]\nignore = ["S107"]\n')
    result = lint(repo / "plans" / "sub", "../far.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert find_config(repo / "plans" / "sub") == (repo / "pyproject.toml").resolve()


def test_pyproject_without_a_tool_tplan_table_is_passed_over(repo):
    (repo / "pyproject.toml").write_text('[tool.tplan]\nignore = ["S107"]\n')
    (repo / "plans" / "pyproject.toml").write_text('[project]\nname = "not-tplan"\n# tool.tplan is only mentioned\n')
    assert find_config(repo / "plans" / "sub") == (repo / "pyproject.toml").resolve()


def test_dot_tplan_toml_wins_in_its_folder_and_the_nearest_folder_wins(repo):
    (repo / "pyproject.toml").write_text('[tool.tplan]\nfail-on = "info"\n')
    (repo / ".tplan.toml").write_text('ignore = ["S107"]\n')
    assert find_config(repo / "plans") == (repo / ".tplan.toml").resolve()
    (repo / "plans" / ".tplan.toml").write_text('fail-on = "error"\n')
    assert find_config(repo / "plans" / "sub") == (repo / "plans" / ".tplan.toml").resolve()
    # only the nearest file counts (no merging): S107 is reported, but does not fail the run
    result = lint(repo / "plans" / "sub", "../far.yaml")
    assert "S107" in result.stdout and result.returncode == 0


def test_no_config_anywhere_means_defaults(repo):
    assert load_config(cwd=repo / "plans") == Config()
    result = lint(repo, "plans")
    assert "S107" in result.stdout and result.returncode == 1


def test_config_option_and_isolated(repo):
    (repo / ".tplan.toml").write_text('ignore = ["S107"]\n')
    (repo / "strict.toml").write_text('fail-on = "info"\nselect = ["S1"]\n')
    assert lint(repo, "plans").returncode == 0
    assert lint(repo, "--isolated", "plans").returncode == 1
    result = lint(repo, "--config", "strict.toml", "plans")
    assert "S107" in result.stdout and result.returncode == 1
    (repo / "other").mkdir()
    (repo / "other" / "pyproject.toml").write_text('[tool.tplan]\nignore = ["S1"]\n')
    assert lint(repo, "--config", "other/pyproject.toml", "plans").returncode == 0


# ---- precedence ----------------------------------------------------------------------------------
def test_command_line_overrides_the_file(repo):
    (repo / ".tplan.toml").write_text('ignore = ["S107"]\nfail-on = "error"\nselect = ["G"]\n')
    assert "S107" not in lint(repo, "plans").stdout
    # --select replaces the file's select (but the file's ignore still applies)
    assert "S107" not in lint(repo, "--select", "S1", "plans").stdout
    # --ignore replaces the file's ignore
    result = lint(repo, "--select", "S1", "--ignore", "S101", "plans")
    assert "S107" in result.stdout and result.returncode == 0  # fail-on error from the file
    assert lint(repo, "--select", "S1", "--ignore", "S101", "--fail-on", "warning", "plans").returncode == 1


def test_lint_settings_merge():
    from tplan.config_file import ConfigFile
    from tplan.diagnostics import Severity

    values = ConfigFile.model_validate({"select": ["S"], "extend-select": ["G201"], "ignore": ["S109"], "fail-on": "error", "short-term-days": 120})
    settings = lint_settings(Config(values, Path("/clinic/pyproject.toml")))
    assert settings.select == ("S",) and settings.extend_select == ("G201",) and settings.ignore == ("S109",)
    assert settings.fail_on is Severity.ERROR and settings.limits.short_term_days == 120
    assert settings.limits.long_term_days is None and settings.limits.long_term_months == 12
    assert settings.root == "/clinic"
    cli = lint_settings(Config(values), select=("C",), ignore=(), fail_on=Severity.INFO)
    assert cli.select == ("C",) and cli.extend_select == () and cli.ignore == () and cli.fail_on is Severity.INFO


def test_settings_still_pickle_for_worker_processes(repo):
    import pickle

    (repo / ".tplan.toml").write_text('exclude = ["old"]\n[per-file-ignores]\n"plans/*" = ["S107"]\n')
    settings = lint_settings(load_config(cwd=repo))
    assert pickle.loads(pickle.dumps(settings)) == settings


# ---- what the keys do ----------------------------------------------------------------------------
def test_limits_from_the_config(repo):
    (repo / ".tplan.toml").write_text("short-term-days = 240\n")
    assert lint(repo, "plans").returncode == 0


def test_extend_select_adds_to_select(repo):
    text = FAR.replace("unit: days/week, ", "")  # and S112
    (repo / "plans" / "far.yaml").write_text(text)
    (repo / ".tplan.toml").write_text('select = ["S107"]\nextend-select = ["custom-measure-no-unit"]\n')
    out = lint(repo, "plans").stdout
    assert "S107" in out and "S112" in out
    (repo / ".tplan.toml").write_text('select = ["S107"]\n')
    assert "S112" not in lint(repo, "plans").stdout


def test_per_file_ignores_are_relative_to_the_config_folder(repo):
    (repo / "plans" / "sub" / "far2.yaml").write_text(FAR.replace("id: TP-TEST-0001", "id: TP-TEST-0002"))
    (repo / ".tplan.toml").write_text('[per-file-ignores]\n"plans/sub/**" = ["S107"]\n')
    result = lint(repo / "plans", ".")  # run from below the config: globs still anchor at its folder
    assert "far.yaml:27:15: S107" in result.stdout
    assert "far2.yaml" not in result.stdout


def test_exclude_skips_folders_and_named_files(repo):
    (repo / "plans" / "archive").mkdir()
    (repo / "plans" / "archive" / "old.yaml").write_text("- not a plan\n")
    (repo / "plans" / "draft.wip.yaml").write_text("- not a plan either\n")
    (repo / ".tplan.toml").write_text('exclude = ["archive", "*.wip.yaml"]\n')
    result = lint(repo, "plans")
    assert "old.yaml" not in result.stdout and "wip" not in result.stdout
    assert "1 file checked" in result.stdout
    named = lint(repo, "plans/draft.wip.yaml", "plans/far.yaml")  # as pre-commit names files
    assert "wip" not in named.stdout and "1 file checked" in named.stdout
    # a folder whose plans are all excluded is not an error
    (repo / ".tplan.toml").write_text('exclude = ["plans"]\n')
    everything = lint(repo, "plans")
    assert everything.returncode == 0 and "0 files checked" in everything.stdout


def test_measures_file_is_relative_to_the_config(repo):
    (repo / "cfg").mkdir()
    (repo / "cfg" / "clinic-measures.yaml").write_text(
        "measures:\n  - {id: CLINIC-1, name: Clinic scale, min: 0, max: 10, better: lower}\n"
    )
    (repo / "cfg" / "tplan.toml").write_text('measures = "clinic-measures.yaml"\n')
    text = MINIMAL.read_text().replace("measure: GAD-7\n", "measure: CLINIC-1\n").replace("baseline: 14", "baseline: 8").replace('target: "<= '
        '9"', 'target: "<= 4"')
    (repo / "plans" / "far.yaml").write_text(text)
    assert "S111" in lint(repo, "plans").stdout  # not in the built-in catalogue
    result = lint(repo, "--config", "cfg/tplan.toml", "plans")
    assert result.returncode == 0, result.stdout + result.stderr


# ---- bad configs: one clear message, exit 2 ------------------------------------------------------
@pytest.mark.parametrize(
    "content, expected",
    [
        ('[tool.tplan]\nselct = ["S1"]\n', "pyproject.toml:2: tool.tplan.selct: unknown key; did you mean 'select'?"),
        ('[tool.tplan]\nmax_review_interval_days = 60\n', "did you mean 'max-review-interval-days'?"),
        ('[tool.tplan]\nignore = ["S1O7"]\n', "pyproject.toml:2: tool.tplan.ignore: unknown rule 'S1O7'; did you mean 'S107' (deadline-too-far)?"),
        ('[tool.tplan]\nselect = ["no-deadlin"]\n', "unknown rule 'no-deadlin'; did you mean 'S103' (no-deadline)?"),
        ('[tool.tplan.per-file-ignores]\n"a/*" = ["Z999"]\n', "tool.tplan.per-file-ignores['a/*']: unknown rule 'Z999'"),
        ('[tool.tplan]\nshort-term-days = "ninety"\n', "pyproject.toml:2: tool.tplan.short-term-days: must be a whole number"),
        ('[tool.tplan]\nlong-term-days = 0\n', "tool.tplan.long-term-days: must be a whole number above 0"),
        ('[tool.tplan]\nselect = "S1"\n', "tool.tplan.select: must be a list in square brackets"),
        ('[tool.tplan]\nfail-on = "loud"\n', 'tool.tplan.fail-on: must be "error", "warning" or "info"'),
        ('[tool.tplan]\nexclude = [1]\n', "tool.tplan.exclude[0]: must be text in quotes"),
        ('[tool.tplan]\nmeasures = "missing.yaml"\n', "tool.tplan.measures: no such file"),
        ('[tool.tplan]\ntemplate-dirs = ["nowhere"]\n', "tool.tplan.template-dirs: no such folder"),
        ('[tool.tplan\nselect = []\n', "pyproject.toml: invalid TOML"),
        ('tool = 1\n[tool.tplan]\n', "invalid TOML"),
    ],
)
def test_bad_config_is_one_clear_error_and_exit_2(repo, content, expected):
    (repo / "pyproject.toml").write_text(content)
    result = lint(repo, "plans")
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert result.stderr.startswith("tplan: error: ") and "Traceback" not in result.stderr
    assert result.stdout == ""  # nothing was linted with a config the clinic did not mean


def test_all_errors_of_a_config_are_reported_at_once(repo):
    (repo / ".tplan.toml").write_text('selct = []\nfail-on = "loud"\n')
    err = lint(repo, "plans").stderr
    assert ".tplan.toml:1: selct: unknown key" in err and ".tplan.toml:2: fail-on: must be" in err


def test_config_and_isolated_together_and_missing_config_file(repo):
    assert "either --config FILE or --isolated" in lint(repo, "--config", "x.toml", "--isolated", "plans").stderr
    result = lint(repo, "--config", "x.toml", "plans")
    assert result.returncode == 2 and "x.toml: no such config file" in result.stderr
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(TplanError, match="has no \\[tool.tplan\\] table"):
        load_config(str(repo / "pyproject.toml"))
