"""Start-up and exit guards for `tplan lint` (issue 19): not timings, but the behaviour that makes
it fast (no plugin scan, a frozen heap) and the promise that the fast exit loses no output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, tplan_command

from tplan import cli

FINDINGS = 3000


@pytest.fixture(scope="module")
def noisy_plan(tmp_path_factory):
    """A valid plan with FINDINGS unused suppressions: one X901 warning each."""
    path = tmp_path_factory.mktemp("noisy") / "noisy.yaml"
    path.write_text(MINIMAL.read_text(encoding="utf-8") + "# tplan: disable=S103\n" * FINDINGS, encoding="utf-8")
    return path


def lint_cmd(*args: str) -> list[str]:
    return [*tplan_command(), "lint", "--today", "2026-04-01", *args]


ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}


@pytest.mark.process
def test_every_finding_reaches_a_file(noisy_plan, tmp_path):
    text, as_json = tmp_path / "out.txt", tmp_path / "out.json"
    with text.open("wb") as out:
        code = subprocess.run(lint_cmd(str(noisy_plan)), stdout=out, env=ENV, timeout=120).returncode
    with as_json.open("wb") as out:
        subprocess.run(lint_cmd("--format", "json", str(noisy_plan)), stdout=out, env=ENV, timeout=120)
    lines = text.read_text(encoding="utf-8").splitlines()
    assert code == 1
    assert len([line for line in lines if " X901 warning " in line]) == FINDINGS
    assert lines[-1] == f"Found {FINDINGS} warnings in 1 of 1 file checked."
    assert len(json.loads(as_json.read_text(encoding="utf-8"))["findings"]) == FINDINGS


@pytest.mark.process
def test_status_and_reports_output_reach_a_pipe_and_a_file_whole_through_the_fast_exit(tmp_path):
    """status and report leave through os._exit too: their output, printed to a pipe, and report's
    file, are whole (compared with the same commands run in this process)."""
    from conftest import run_tplan

    folder = tmp_path / "plans"
    folder.mkdir()
    for n in range(40):  # enough plans for two worker processes (16 each at least)
        (folder / f"TP-{n:03d}.yaml").write_text(MINIMAL.read_text(encoding="utf-8").replace("id: ", f"id: X{n}-", 1), encoding="utf-8")
    status = ["status", "--today", "2026-04-01", "--format", "json", "--jobs", "2", str(folder)]
    piped = subprocess.run([*tplan_command(), *status], capture_output=True, text=True, env=ENV, timeout=120)
    assert piped.returncode == 0 and piped.stdout == run_tplan(*status).stdout
    assert len(json.loads(piped.stdout)["plans"]) == 40
    report = ["report", "--today", "2026-04-01", "--format", "json", "--jobs", "2", str(folder)]
    written = subprocess.run([*tplan_command(), *report, "-o", str(tmp_path / "report.json")], capture_output=True, text=True, env=ENV, timeout=120)
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == run_tplan(*report).stdout


@pytest.mark.process
@pytest.mark.parametrize("closed", ["stdout", "stderr"])
def test_a_closed_standard_stream_costs_no_traceback_and_keeps_the_exit_code(tmp_path, closed):
    """Started with stdout or stderr closed (`>&-`), Python has no stream object (None) there: the
    fast exit must not fail on flushing it, nor turn a success into exit 1."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    command = " ".join(f"'{part}'" for part in tplan_command())
    fd = "" if closed == "stdout" else "2"
    for args, made in (
        (f"lint --today 2026-04-01 '{plan}'", None),
        (f"render --today 2026-04-01 '{plan}' -o '{tmp_path}/plan-{closed}.md'", tmp_path / f"plan-{closed}.md"),
        (f"status --today 2026-04-01 '{tmp_path}'", None),
    ):
        result = subprocess.run(f"{command} {args} {fd}>&- ; echo \"exit=$?\"", shell=True, capture_output=True, text=True, env=ENV, timeout=120)
        assert result.stdout.strip().splitlines()[-1] == "exit=0", (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "Error" not in result.stderr, (args, result.stderr)
        assert made is None or made.read_text(encoding="utf-8").startswith("# Treatment plan ")


@pytest.mark.process
def test_head_1_gets_the_first_finding_and_no_error(noisy_plan, tmp_path):
    everything = subprocess.run(lint_cmd(str(noisy_plan)), capture_output=True, text=True, env=ENV, timeout=120)
    piped = subprocess.run(
        " ".join(f"'{part}'" for part in lint_cmd(str(noisy_plan))) + " | head -1",
        shell=True, capture_output=True, text=True, env=ENV, timeout=120,
    )
    assert piped.stdout == everything.stdout.splitlines(keepends=True)[0]
    assert piped.stderr == ""  # no traceback, no "Exception ignored" from a flush at teardown


def test_the_fast_exit_flushes_first_and_keeps_the_code(monkeypatch, capsys):
    left = []

    def fake_exit(code):
        left.append((code, capsys.readouterr().out))  # what had reached stdout by then
        raise SystemExit(code)

    monkeypatch.setattr(cli, "_is_program_entry", lambda: True)
    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(sys, "argv", ["tplan", "lint", "--today", "2026-04-01", str(MINIMAL)])
    with pytest.raises(SystemExit):
        cli.main()
    assert left == [(0, "All clear: 1 file checked, no findings.\n")]


def test_a_folders_render_leaves_fast_once_its_documents_and_summary_are_out(monkeypatch, capsys, tmp_path):
    left = []
    out = tmp_path / "out"

    def fake_exit(code):
        left.append((code, capsys.readouterr().err, sorted(p.name for p in out.iterdir())))
        raise SystemExit(code)

    monkeypatch.setattr(cli, "_is_program_entry", lambda: True)
    monkeypatch.setattr(os, "_exit", fake_exit)
    monkeypatch.setattr(sys, "argv", ["tplan", "render", "--today", "2026-12-01", str(EXAMPLES), "--md", "-o", str(out)])
    with pytest.raises(SystemExit):
        cli.main()
    names = sorted(p.with_suffix(".md").name for p in EXAMPLES.glob("*.yaml"))
    assert left == [(0, f"Wrote {len(names)} documents in {out}.\n", names)]
    assert all((out / name).read_text(encoding="utf-8").startswith("# Treatment plan ") for name in names)


def test_a_command_that_does_not_only_read_plans_keeps_the_normal_exit(monkeypatch):
    monkeypatch.setattr(cli, "_is_program_entry", lambda: True)
    monkeypatch.setattr(os, "_exit", lambda code: pytest.fail("os._exit called"))
    monkeypatch.setattr(sys, "argv", ["tplan", "rules"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 0


def test_main_called_from_a_program_is_not_the_entry_point():
    assert not cli._is_program_entry()  # pytest is the program here: main() must raise SystemExit


START = """
import gc, json, os, sys
sys.argv = ["tplan", "lint", "--today", "2026-04-01", {plan!r}]
from tplan.cli import main
try:
    main()
except SystemExit:
    pass
loader = sys.modules.get("pydantic.plugin._loader")
print(json.dumps([gc.get_freeze_count(), os.environ.get("PYDANTIC_DISABLE_PLUGINS"),
                  "pydantic" in sys.modules, loader is None or loader._plugins is None, gc.get_threshold()[0]]))
"""


def start_up(env: dict[str, str], cwd=ROOT) -> list:
    code = START.format(plan=str(MINIMAL))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.process
def test_lint_freezes_the_start_up_heap_and_skips_pydantics_plugin_scan(tmp_path):
    """With a config file, pydantic validates it: its plugin scan must still be skipped."""
    (tmp_path / ".tplan.toml").write_text('ignore = ["S104"]\n', encoding="utf-8")
    env = {k: v for k, v in ENV.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    frozen, plugins, imported, never_scanned, threshold = start_up(env, cwd=tmp_path)
    assert imported  # the config file was read with pydantic
    assert frozen > 10_000  # the imported modules' objects are out of the collector's passes
    assert plugins == "__all__"
    assert never_scanned  # pydantic's plugin cache: filled by reading every installed package's metadata
    assert threshold == 700  # the import-time threshold is undone


@pytest.mark.process
def test_a_users_own_plugin_setting_is_kept():
    assert start_up({**ENV, "PYDANTIC_DISABLE_PLUGINS": "logfire"})[1] == "logfire"


def test_an_exit_with_a_message_keeps_the_normal_exit(monkeypatch):
    """sys.exit("text") prints the text at teardown: os._exit would drop it."""
    monkeypatch.setattr(cli, "_is_program_entry", lambda: True)
    monkeypatch.setattr(os, "_exit", lambda code: pytest.fail("os._exit called"))
    monkeypatch.setattr(sys, "argv", ["tplan", "lint", "x.yaml"])
    cli._leave_fast("tplan: a message")  # returns: the caller re-raises the SystemExit


@pytest.mark.process  # a fresh interpreter: which modules one lint imports
def test_a_lint_without_a_config_file_skips_tomllib_and_importlib_resources(tmp_path):
    """Package files are read beside the modules (tplan.packagedata), and TOML only when there is a
    config file: importlib.resources (with tempfile and random) and tomllib were ~30 ms of a lint."""
    from conftest import fresh_tplan, imported_modules

    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = fresh_tplan("lint", "--today", "2026-04-01", str(plan), cwd=tmp_path)
    assert "EXIT=0" in result.stdout, result.stdout[-500:] + result.stderr
    assert not imported_modules(result) & {"tomllib", "importlib.resources", "tempfile", "random"}

    (tmp_path / ".tplan.toml").write_text('ignore = ["S104"]\n', encoding="utf-8")
    with_config = fresh_tplan("lint", "--today", "2026-04-01", str(plan), cwd=tmp_path)
    assert "EXIT=0" in with_config.stdout and "tomllib" in imported_modules(with_config)


def test_package_files_read_from_the_folder_or_through_importlib_resources(monkeypatch, tmp_path):
    """A zip install has no files beside the modules: importlib.resources reads them instead."""
    from importlib import resources

    from tplan import packagedata

    beside = packagedata.read_text("measures.yaml")
    assert beside == resources.files("tplan").joinpath("measures.yaml").read_text(encoding="utf-8")
    names = sorted(e.name for e in packagedata.folder_entries("templates"))
    assert "burnout.yaml" in names

    monkeypatch.setattr(packagedata, "_HERE", tmp_path / "not-a-folder")
    assert packagedata.read_text("measures.yaml") == beside
    assert sorted(e.name for e in packagedata.folder_entries("templates")) == names
