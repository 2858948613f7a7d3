"""D701/D702 look across the files of one run: through the real CLI, on a folder of plans.

Every test runs once per entry of JOB_ARGS. When `tplan lint` has a `--jobs` option, the same
expectations are checked with one process and with two workers, so the output must be identical.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from conftest import MINIMAL
from timing import LINEAR_LIMIT_FOR_10X, cpu_seconds

import tplan.cli
from tplan.diagnostics import Severity
from tplan.linter import LintSettings, lint_paths
from tplan.rules import BY_CODE, CROSS_FILE_RULES, Limits

STATEMENT = "statement: Reduce worry to the mild range on GAD-7."
JOB_ARGS = [()]
if "jobs" in inspect.signature(tplan.cli.lint).parameters:
    JOB_ARGS += [("--jobs", "1"), ("--jobs", "2")]
jobs = pytest.mark.parametrize("job_args", JOB_ARGS, ids=lambda a: " ".join(a) or "default")


def plan(plan_id: str, statement: str | None = None) -> str:
    text = MINIMAL.read_text().replace("id: TP-TEST-0001", f"id: {plan_id}")
    return text.replace(STATEMENT, f"statement: {statement}") if statement else text


def write(root, files: dict[str, str]) -> None:
    (root / "plans").mkdir()
    for name, text in files.items():
        (root / "plans" / name).write_text(text)


@jobs
def test_duplicate_id_and_copied_goal_are_reported_in_each_file(tplan, tmp_path, job_args):
    write(tmp_path, {
        "TP-1.yaml": plan("TP-1"),
        "TP-2.yaml": plan("TP-2"),
        "TP-3.yaml": plan("TP-3"),
        "TP-4.yaml": plan("TP-4"),
        "copy-of-TP-4.yaml": plan("TP-4", "REDUCE worry  to the mild range on GAD-7."),  # case and spacing differ
        "TP-6.yaml": plan("TP-6", "Cut worry time to under 30 minutes a day, as logged in a worry diary."),
    })
    result = tplan("lint", "--today", "2026-04-01", *job_args, "plans", cwd=tmp_path)
    copied = (
        "D702 info this goal statement is word for word the same in 5 plans (also {}); goals copied across clients are not individualised: rewrite it for "
        "this client"
    )
    assert result.stdout.splitlines() == [
        "plans/TP-1.yaml:22:16: " + copied.format("plans/TP-2.yaml, plans/TP-3.yaml, plans/TP-4.yaml and 1 more"),
        "plans/TP-2.yaml:22:16: " + copied.format("plans/TP-1.yaml, plans/TP-3.yaml, plans/TP-4.yaml and 1 more"),
        "plans/TP-3.yaml:22:16: " + copied.format("plans/TP-1.yaml, plans/TP-2.yaml, plans/TP-4.yaml and 1 more"),
        "plans/TP-4.yaml:3:5: D701 error plan id TP-4 is also used in plans/copy-of-TP-4.yaml; each plan needs its own id",
        "plans/TP-4.yaml:22:16: " + copied.format("plans/TP-1.yaml, plans/TP-2.yaml, plans/TP-3.yaml and 1 more"),
        "plans/copy-of-TP-4.yaml:3:5: D701 error plan id TP-4 is also used in plans/TP-4.yaml; each plan needs its own id",
        "plans/copy-of-TP-4.yaml:22:16: " + copied.format("plans/TP-1.yaml, plans/TP-2.yaml, plans/TP-3.yaml and 1 more"),
        "Found 2 errors, 5 infos in 5 of 6 files checked.",
    ]
    assert result.returncode == 1  # D701 is an error; D702 alone would not fail the run


@jobs
def test_passing_folder_unique_ids_and_goals_below_the_limit(tplan, tmp_path, job_args):
    write(tmp_path, {f"TP-{i}.yaml": plan(f"TP-{i}") for i in range(1, 5)})  # 4 plans share the goal: below 5
    result = tplan("lint", "--today", "2026-04-01", *job_args, "plans", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "All clear: 4 files checked, no findings."


@jobs
def test_paths_are_named_as_given_and_three_ids_name_both_others(tplan, tmp_path, job_args):
    write(tmp_path, {"a.yaml": plan("TP-9"), "b.yaml": plan("TP-9", "Sleep 7 hours on 5 nights a week.")})
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "c.yml").write_text(plan("TP-9", "Walk 30 minutes on 4 days a week."))
    result = tplan("lint", "--today", "2026-04-01", *job_args, "plans/", "other/c.yml", cwd=tmp_path)
    assert result.stdout.splitlines() == [  # files in path order; the others named in the same order
        "other/c.yml:3:5: D701 error plan id TP-9 is also used in plans/a.yaml, plans/b.yaml; each plan needs its own id",
        "plans/a.yaml:3:5: D701 error plan id TP-9 is also used in other/c.yml, plans/b.yaml; each plan needs its own id",
        "plans/b.yaml:3:5: D701 error plan id TP-9 is also used in other/c.yml, plans/a.yaml; each plan needs its own id",
        "Found 3 errors in 3 of 3 files checked.",
    ]
    assert result.returncode == 1


@jobs
def test_one_file_given_twice_is_not_a_duplicate_of_itself(tplan, tmp_path, job_args):
    write(tmp_path, {"TP-1.yaml": plan("TP-1")})
    result = tplan("lint", "--today", "2026-04-01", *job_args, "plans/TP-1.yaml", "./plans/TP-1.yaml", cwd=tmp_path)
    assert "D701" not in result.stdout
    assert result.returncode == 0, result.stdout


def test_a_file_reached_through_a_link_is_not_a_duplicate_of_itself(tplan, tmp_path):
    """A linked folder and a linked file name the plan they point at; a real copy is still a duplicate."""
    write(tmp_path, {"TP-1.yaml": plan("TP-1")})
    (tmp_path / "linked-folder").symlink_to(tmp_path / "plans", target_is_directory=True)
    (tmp_path / "linked.yaml").symlink_to(tmp_path / "plans" / "TP-1.yaml")
    same = tplan("lint", "--today", "2026-04-01", "plans/TP-1.yaml", "linked-folder/TP-1.yaml", "linked.yaml", cwd=tmp_path)
    assert "D701" not in same.stdout and same.returncode == 0, same.stdout
    (tmp_path / "copy.yaml").write_text(plan("TP-1"))
    copied = tplan("lint", "--today", "2026-04-01", "plans/TP-1.yaml", "linked.yaml", "copy.yaml", cwd=tmp_path)
    assert copied.stdout.count("D701") == 3 and copied.returncode == 1, copied.stdout
    assert "copy.yaml:3:5: D701 error plan id TP-1 is also used in linked.yaml, plans/TP-1.yaml;" in copied.stdout  # two spellings of one plan


@jobs
def test_ignore_and_select_apply_to_cross_file_rules(tplan, tmp_path, job_args):
    write(tmp_path, {"a.yaml": plan("TP-1"), "b.yaml": plan("TP-1")})
    ignored = tplan("lint", "--today", "2026-04-01", *job_args, "--ignore", "D701", "plans", cwd=tmp_path)
    assert ignored.returncode == 0 and "D701" not in ignored.stdout
    selected = tplan("lint", "--today", "2026-04-01", *job_args, "--select", "D7", "plans", cwd=tmp_path)
    assert selected.stdout.count("D701") == 2 and selected.returncode == 1


@jobs
def test_unreadable_files_take_no_part(tplan, tmp_path, job_args):
    write(tmp_path, {"a.yaml": plan("TP-1"), "broken.yaml": "id: TP-1\ngoals: [\n"})
    result = tplan("lint", "--today", "2026-04-01", *job_args, "plans", cwd=tmp_path)
    assert "D701" not in result.stdout
    assert "plans/broken.yaml:3:1: E001" in result.stdout


@jobs
def test_unfilled_placeholder_ids_are_not_duplicates(tplan, tmp_path, job_args):
    draft = plan("<plan id>").replace("status: active", "status: draft")
    write(tmp_path, {"new-1.yaml": draft, "new-2.yaml": draft})
    result = tplan("lint", "--today", "2026-04-01", *job_args, "plans", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "plans/new-1.yaml:3:5: T601 warning fill in id: placeholder '<plan id>' is still there",
        "plans/new-2.yaml:3:5: T601 warning fill in id: placeholder '<plan id>' is still there",
        "Found 2 warnings in 2 of 2 files checked.",
    ]


def test_max_identical_goals_is_a_limit(tmp_path):
    write(tmp_path, {f"TP-{i}.yaml": plan(f"TP-{i}") for i in range(1, 4)})
    default = lint_paths([str(tmp_path / "plans")], LintSettings(today=dt.date(2026, 4, 1)))
    assert default.diagnostics == []
    strict = LintSettings(today=dt.date(2026, 4, 1), limits=Limits(max_identical_goals=3))
    found = [(d.code, d.line, d.column) for d in lint_paths([str(tmp_path / "plans")], strict).diagnostics]
    assert found == [("D702", 22, 16)] * 3


def test_cross_file_rules_are_documented_and_have_no_per_file_check():
    assert [r.code for r in CROSS_FILE_RULES] == ["D701", "D702"]
    for rule in CROSS_FILE_RULES:
        assert rule.check is None and rule.summary and rule.why and rule.example and rule.use_instead
    assert BY_CODE["D702"].references == ("Joint Commission CTS.03.01.03",)


def test_cross_file_findings_obey_inline_suppressions_and_per_file_ignores(tmp_path):
    """D7xx findings are made after each file's pass, yet `# tplan: disable=` and per-file-ignores still apply."""
    from conftest import MINIMAL, run_tplan

    text = MINIMAL.read_text()
    (tmp_path / "a.yaml").write_text(text.replace("id: TP-TEST-0001", "id: TP-TEST-0001  # tplan: disable=D701"))
    (tmp_path / "b.yaml").write_text(text.replace("tplan: 1\n", "tplan: 1\n# tplan: disable-file=duplicate-plan-id\n"))
    (tmp_path / "c.yaml").write_text(text)
    (tmp_path / ".tplan.toml").write_text('[per-file-ignores]\n"d.yaml" = ["D701"]\n')
    (tmp_path / "d.yaml").write_text(text)
    result = run_tplan("lint", "--today", "2026-04-01", ".", cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if "D701" in line]
    assert len(lines) == 1 and lines[0].startswith("./c.yaml:3:5: D701"), result.stdout
    assert "X901" not in result.stdout


def _sharing_one_id(root, n: int) -> list:
    """FileResults of n real files that all carry the plan id TP-1 (the per-file pass skipped)."""
    from tplan.diagnostics import FileResult
    from tplan.rules.repo import PlanId

    root.mkdir()
    results = []
    for i in range(n):
        (root / f"p{i:05}.yaml").touch()
        results.append(FileResult(str(root / f"p{i:05}.yaml"), facts={"D701": PlanId("TP-1", 3, 5)}))
    return results


def test_duplicate_ids_are_linear_in_a_group_sharing_one_id(tmp_path):
    """2,000 files sharing one id took 54 s when every file was compared with every other."""

    from tplan.linter import cross_file_pass

    settings = LintSettings(today=dt.date(2026, 4, 1), select=("D701",))
    small, large = _sharing_one_id(tmp_path / "small", 200), _sharing_one_id(tmp_path / "large", 2000)

    def seconds(results) -> float:
        out = cross_file_pass(results, settings)
        assert sum(len(r.diagnostics) for r in out) == len(results)
        return cpu_seconds(lambda: cross_file_pass(results, settings), repeat=5)

    t_small, t_large = seconds(small), seconds(large)
    assert t_large <= LINEAR_LIMIT_FOR_10X * t_small, f"200 files: {t_small:.4f}s, 2,000 files: {t_large:.4f}s"
    message = cross_file_pass(large, settings)[7].diagnostics[0].message
    assert message.startswith(f"plan id TP-1 is also used in {large[0].file}, {large[1].file}, {large[2].file} and 1996 more;")


def test_a_new_cross_file_rule_needs_no_engine_change(tmp_path, monkeypatch):
    """A rule module defines the pair (collect, check); the linter runs it like D701 and D702,
    in one process and in workers."""
    from tplan import linter
    from tplan.rules.base import FileFinding, rule

    def clinician(ctx):
        name = ctx.data.get("clinician", {}).get("name") if isinstance(ctx.data.get("clinician"), dict) else None
        return (name, *ctx.position(("clinician", "name"))) if name else None

    @rule("D799", "one-clinician-only", Severity.WARNING, collect=clinician)
    def one_clinician(facts, limits):
        """Every plan of the run has the same clinician.

        ## Why it matters
        A test rule.
        ## Example
        two plans
        ## Use instead
        one plan
        """
        counts: dict = {}
        for _, (name, _, _) in facts:
            counts[name] = counts.get(name, 0) + 1
        for file, (name, line, column) in facts:
            if counts[name] > 1:
                yield FileFinding(file, line, column, f"clinician shared by {counts[name]} plans")

    monkeypatch.setattr(linter, "CROSS_FILE_RULES", (*linter.CROSS_FILE_RULES, one_clinician))
    write(tmp_path, {f"TP-{i}.yaml": plan(f"TP-{i}") for i in range(40)})
    for jobs in (1, 2):
        report = lint_paths([str(tmp_path / "plans")], LintSettings(today=dt.date(2026, 4, 1), jobs=jobs))
        found = [d for d in report.diagnostics if d.code == "D799"]
        assert len(found) == 40 and {d.message for d in found} == {"clinician shared by 40 plans"}
        assert {(d.line, d.column) for d in found} == {(10, 9)}


def test_the_linter_names_no_cross_file_rule():
    from tplan import linter

    source = inspect.getsource(linter)
    assert "D70" not in source and "normalise_statement" not in source and "goal_statements" not in source


def test_facts_survive_pickling_equal_packed_and_without_the_statements_text():
    """The facts are held for every plan until the report is written (issue 19, target 4): each
    is one small bytes object, and D702's keeps a digest of each statement, never its words."""
    import pickle
    import sys

    from tplan.rules.repo import PlanId, Statements, statement_digest

    statement = "reduce worry to the mild range"
    facts = {"D701": PlanId("TP-1", 3, 5), "D702": Statements([(statement, 22, 16), (statement, 40, 16)])}
    copy = pickle.loads(pickle.dumps(facts))
    assert copy == facts and type(copy["D701"]) is PlanId and type(copy["D702"]) is Statements
    assert (copy["D701"].id, copy["D701"].line, copy["D701"].column) == ("TP-1", 3, 5)
    assert list(copy["D702"].entries()) == [(statement_digest(statement), 22, 16), (statement_digest(statement), 40, 16)]
    assert b"worry" not in pickle.dumps(facts) and len(copy["D702"]) == 2 * 16
    assert sys.getsizeof(copy["D702"]) < 120 and sys.getsizeof(copy["D701"]) < 80


def test_a_crash_in_a_collect_names_the_error_type_only(tmp_path, monkeypatch):
    from tplan import linter
    from tplan.rules.base import rule

    def leaky(ctx):
        raise ValueError(f"bad value {ctx.data['client']['name']}")

    @rule("D798", "leaky", Severity.WARNING, collect=leaky)
    def leaky_check(facts, limits):
        """A test rule that crashes.

        ## Why it matters
        test
        ## Example
        test
        ## Use instead
        test
        """
        return iter(())

    monkeypatch.setattr(linter, "CROSS_FILE_RULES", (leaky_check,))
    write(tmp_path, {"a.yaml": plan("TP-1")})
    report = lint_paths([str(tmp_path / "plans")], LintSettings(today=dt.date(2026, 4, 1)))
    messages = [d.message for d in report.diagnostics if d.code == "D798"]
    assert messages == ["tplan could not run this cross-file check (ValueError); please report it"]
