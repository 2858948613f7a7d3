"""The run's results held compactly (issue 19, target 4): `lint_paths` folds each result into
tplan.results.HeldResults as it arrives (its name, packed facts, and a result only when there is
more), and the cross-file findings are made when the report is read. Every format's output must
be exactly what the pure pass gives, in one process and in workers (see also test_lint_memory.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MINIMAL

from tplan.diagnostics import Report
from tplan.linter import CROSS_FILE_CODES, LintSettings, cross_file_pass, discover, lint_files, lint_paths
from tplan.measures import load_catalogue
from tplan.reporters import REPORTERS


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """40 plans sharing one goal statement (D702 in each) and, for four, one plan id (D701)."""
    root = tmp_path_factory.mktemp("plans")
    for i in range(40):
        plan_id = "TP-TEST-DUP" if i % 10 == 0 else f"TP-TEST-{i:04d}"
        (root / f"plan-{i:02d}.yaml").write_text(MINIMAL.read_text().replace("TP-TEST-0001", plan_id))
    (root / "broken.yaml").write_text("goals: [\n")
    return root


def pure_report(folder, settings: LintSettings) -> Report:
    files, problems = discover([str(folder)], settings)
    results = lint_files(files, settings, load_catalogue(None))
    return Report(cross_file_pass(sorted(problems + results, key=lambda r: r.file), settings), settings.fail_on)


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_format_is_identical_to_the_pure_pass(folder, jobs):
    settings = LintSettings(today=dt.date(2026, 4, 1), jobs=jobs)
    held = lint_paths([str(folder)], settings)
    pure = pure_report(folder, settings)
    codes = {d.code for d in held.diagnostics}
    assert {"D701", "D702", "E001"} <= codes
    for name, reporter in REPORTERS.items():
        assert reporter(held) == reporter(pure), name
    assert held.exit_code == pure.exit_code == 2


def test_the_report_holds_no_cross_file_facts_but_keeps_the_findings(folder):
    settings = LintSettings(today=dt.date(2026, 4, 1), jobs=1)
    report = lint_paths([str(folder)], settings)
    assert not any(code in r.facts for r in report.files for code in CROSS_FILE_CODES)
    assert sum(1 for d in report.diagnostics if d.code == "D702") == 40
    paths = {id(d.path) for d in report.diagnostics if d.code == "D702"}
    assert len(paths) == 1  # ("goals", 0, "statement"): one tuple for every plan
    # the pure pass leaves its input as it was
    files, _ = discover([str(folder)], settings)
    results = lint_files(files, settings, load_catalogue(None))
    before = [(r.file, list(r.diagnostics), dict(r.facts)) for r in results]
    cross_file_pass(results, settings)
    assert [(r.file, list(r.diagnostics), dict(r.facts)) for r in results] == before


def test_results_from_workers_share_the_discovered_path_strings(folder):
    settings = LintSettings(today=dt.date(2026, 4, 1), jobs=2)
    files, _ = discover([str(folder)], settings)
    results = lint_files(files, settings, load_catalogue(None))
    by_name = {f: f for f in files}
    assert all(r.file is by_name[r.file] for r in results)
    assert all(d.file is by_name[d.file] for r in results for d in r.diagnostics)
