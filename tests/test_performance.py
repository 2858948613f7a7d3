"""Performance guards that are not timings: what linting imports, which YAML loader it uses, and
that worker processes (--jobs) change nothing but the speed."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os

import pytest
from conftest import EXAMPLES, MINIMAL, fresh_lint_of_the_examples, fresh_tplan, imported_modules, run_tplan

from tplan import linter, loader
from tplan.linter import LintSettings, lint_paths

TODAY = dt.date(2026, 4, 1)



@pytest.mark.process
def test_linting_one_file_imports_no_jinja2_rich_or_worker_pool():
    result = fresh_lint_of_the_examples(str(EXAMPLES / "burnout.yaml"))
    assert "All clear: 1 file checked" in result.stdout, result.stdout + result.stderr
    imported = imported_modules(result)
    assert not {m for m in imported if m == "jinja2" or m.startswith("jinja2.")}
    assert "rich.table" not in imported and "rich.console" not in imported
    # one file never pays for a process pool
    assert "concurrent.futures.process" not in imported and "tplan.workers" not in imported
    # no config globs, no pattern library
    assert "pathspec" not in imported and "tplan.debug" not in imported


@pytest.mark.process
def test_a_markdown_render_imports_no_jinja2_and_no_chart_geometry(tmp_path):
    """Markdown is written by plain Python and shows scores as tables: the HTML's template engine
    and the chart's geometry are not loaded for it (each process of a folder's render pays them)."""
    result = fresh_tplan("render", "--today", "2026-12-01", str(EXAMPLES), "--md", "-o", str(tmp_path / "out"))
    assert "EXIT=0" in result.stdout and "Wrote 4 documents" in result.stderr, result.stdout + result.stderr
    imported = imported_modules(result)
    assert "tplan.render.plan_md" in imported and "tplan.render.view" in imported
    assert "tplan.render.chart" not in imported and "jinja2" not in imported


@pytest.mark.process
def test_linting_uses_only_the_safe_loader_never_round_trip():
    spy = """
import ruamel.yaml
made = []
_init = ruamel.yaml.YAML.__init__
def spying_init(self, *args, **kwargs):
    made.append(kwargs.get("typ", args[0] if args else None))
    _init(self, *args, **kwargs)
ruamel.yaml.YAML.__init__ = spying_init
import ruamel.yaml.constructor as c
def no_round_trip(*a, **k):
    raise AssertionError("round-trip constructor used while linting")
c.RoundTripConstructor.construct_document = no_round_trip
import atexit
atexit.register(lambda: print("TYPES=" + json.dumps(made)))
"""
    result = fresh_tplan("lint", "--today", "2026-12-01", str(EXAMPLES), before=spy)
    assert "EXIT=0" in result.stdout, result.stdout + result.stderr
    types = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("TYPES="))[6:])
    assert types and set(types) == {"safe"}


def test_c_parser_is_used_when_installed(tplan):
    # ruamel.yaml.clib is a dependency on CPython, so here it must be found and used
    assert importlib.util.find_spec("_ruamel_yaml") is not None
    assert loader.using_c_parser()
    result = tplan("--version")
    assert result.returncode == 0
    assert "C parser" in result.stdout and "pure-Python" not in result.stdout


@pytest.mark.process
def test_pure_python_fallback_gives_the_same_report_and_a_notice(tmp_path):
    (tmp_path / "good.yaml").write_text(MINIMAL.read_text())
    (tmp_path / "bad.yaml").write_text(MINIMAL.read_text().replace("    deadline: 2026-05-25\n", ""))
    (tmp_path / "broken.yaml").write_text("goals: [\n")
    args = ("lint", "--today", "2026-04-01", str(tmp_path))
    with_c = fresh_tplan(*args)
    without_c = fresh_tplan(*args, before="sys.modules['_ruamel_yaml'] = None")

    def report(result):  # the parsers word YAML errors differently; the position is the same
        lines = [line for line in result.stdout.splitlines() if not line.startswith("MODULES=")]
        return [line.split(" invalid YAML")[0] for line in lines]

    assert report(with_c) == report(without_c)
    assert "S103" in with_c.stdout and "E001" in with_c.stdout and "EXIT=2" in with_c.stdout
    assert "C parser" not in with_c.stderr  # silent in a normal install
    assert without_c.stderr.count("\n") == 1 and "pip install ruamel.yaml.clib" in without_c.stderr
    version = fresh_tplan("--version", before="sys.modules['_ruamel_yaml'] = None")
    assert "pure-Python parser" in version.stdout


# ---- --jobs -------------------------------------------------------------------------------------


def plan_text(n: int) -> str:
    """The minimal plan with its own id and goal statements (plans of one clinic differ)."""
    return (
        MINIMAL.read_text()
        .replace("id: TP-TEST-0001", f"id: TP-TEST-{n:04d}")
        .replace("GAD-7.", f"GAD-7 (plan {n}).")
        .replace("days a week.", f"days a week (plan {n}).")
    )


def mixed_folder(root) -> None:
    """40 clean plans, 6 with findings and 5 that cannot be read or parsed, in nested folders."""
    for i in range(40):
        folder = root / f"team-{i % 3}"
        folder.mkdir(exist_ok=True)
        (folder / f"clean-{i:02d}.yaml").write_text(plan_text(i))
    for i in range(6):
        (root / f"late-{i}.yaml").write_text(plan_text(100 + i).replace("    deadline: 2026-05-25\n", ""))
    (root / "broken.yaml").write_text("goals: [\n")
    (root / "empty.yml").write_text("")
    (root / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / "latin1.yaml").write_bytes("name: Jos\xe9\n".encode("latin-1"))
    (root / "list.yaml").write_text("- a\n- b\n")


def test_jobs_2_prints_exactly_what_jobs_1_prints(tmp_path):
    mixed_folder(tmp_path)
    one = run_tplan("lint", "--today", "2026-04-01", "--jobs", "1", str(tmp_path), "nope.yaml")
    two = run_tplan("lint", "--today", "2026-04-01", "--jobs", "2", str(tmp_path), "nope.yaml")
    default = run_tplan("lint", "--today", "2026-04-01", str(tmp_path), "nope.yaml")
    assert one.returncode == two.returncode == default.returncode == 2
    assert one.stdout == two.stdout == default.stdout
    assert "Found 12 errors in 12 of 52 files checked." in one.stdout  # 6 S103, 5 unreadable, nope
    lines = one.stdout.splitlines()[:-1]
    assert [line.split(":")[0] for line in lines] == sorted(line.split(":")[0] for line in lines)


@pytest.mark.parametrize("total", [0, 1, 5, 33, 100, 1000, 10_000])
@pytest.mark.parametrize("workers", [1, 2, 8])
def test_a_pools_tasks_hold_every_file_once_in_order_the_largest_first(total, workers):
    from tplan.workers import CHUNK_MAX, CHUNK_MIN, tasks

    files = [f"plan-{n}.yaml" for n in range(total)]
    cut = tasks(files, workers)
    assert [f for task in cut for f in task] == files
    sizes = [len(task) for task in cut]
    assert sizes == sorted(sizes, reverse=True)  # big tasks first, the small ones at the end
    assert all(size <= CHUNK_MAX for size in sizes) and all(size >= CHUNK_MIN for size in sizes[:-1])
    if total >= 1000:  # the tail: the last tasks are small, so no worker is left with a long one
        assert sizes[0] == min(CHUNK_MAX, total // (2 * workers)) and sizes[-2] == CHUNK_MIN
        assert len(cut) < total / CHUNK_MAX + 8 * workers  # and not many more tasks than 64-file ones


def test_jobs_really_lints_in_other_processes(tmp_path, monkeypatch):
    mixed_folder(tmp_path)
    real = linter.lint_text

    def tagging(text, file, settings, catalogue):  # runs in the worker (inherited by fork)
        result = real(text, file, settings, catalogue)
        result.facts["test-pid"] = os.getpid()  # facts travel back from workers with the result
        return result

    monkeypatch.setattr(linter, "lint_text", tagging)
    report = lint_paths([str(tmp_path)], LintSettings(today=TODAY, jobs=2))
    pids = {f.facts["test-pid"] for f in report.files if "test-pid" in f.facts}
    assert len([f for f in report.files if "test-pid" in f.facts]) == 46
    assert pids and os.getpid() not in pids


def test_results_from_workers_keep_every_field(tmp_path):
    mixed_folder(tmp_path)
    one = lint_paths([str(tmp_path)], LintSettings(today=TODAY, jobs=1))
    two = lint_paths([str(tmp_path)], LintSettings(today=TODAY, jobs=2))
    assert one.files == two.files  # FileResult equality: diagnostics, fatal, facts, silenced
    assert [f.file for f in two.files] == sorted(f.file for f in two.files)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_bug_on_one_file_is_reported_there_and_the_others_are_linted(tmp_path, monkeypatch, jobs):
    mixed_folder(tmp_path)
    real = linter.lint_text

    def buggy(text, file, settings, catalogue):
        if file.endswith("clean-07.yaml"):
            raise KeyError("a bug")
        return real(text, file, settings, catalogue)

    monkeypatch.setattr(linter, "lint_text", buggy)
    report = lint_paths([str(tmp_path)], LintSettings(today=TODAY, jobs=jobs))
    assert len(report.files) == 51
    (bad,) = [f for f in report.files if f.file.endswith("clean-07.yaml")]
    assert bad.fatal and bad.diagnostics[0].code == "E000"
    assert "tplan failed while checking this file (KeyError)" in bad.diagnostics[0].message
    assert sum(1 for f in report.files if f.diagnostics) == 12


def test_a_worker_that_dies_loses_only_its_file(tmp_path, monkeypatch):
    mixed_folder(tmp_path)
    real, parent = linter.lint_text, os.getpid()

    def crashing(text, file, settings, catalogue):
        if file.endswith("clean-11.yaml") and os.getpid() != parent:
            os._exit(3)  # a hard crash, as from a fault in a C extension
        return real(text, file, settings, catalogue)

    monkeypatch.setattr(linter, "lint_text", crashing)
    report = lint_paths([str(tmp_path)], LintSettings(today=TODAY, jobs=2))
    assert len(report.files) == 51
    (dead,) = [f for f in report.files if f.file.endswith("clean-11.yaml")]
    assert dead.fatal and "worker process stopped while checking this file" in dead.diagnostics[0].message
    others = [f for f in report.files if "clean-" in f.file and f is not dead]
    assert len(others) == 39 and not any(f.diagnostics for f in others)
    assert report.exit_code == 2


def test_jobs_must_be_positive(tplan):
    result = tplan("lint", "--jobs", "0", str(EXAMPLES))
    assert result.returncode == 2
    assert "--jobs must be 1 or more" in result.stderr
    assert "Traceback" not in result.stderr
