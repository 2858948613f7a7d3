"""A quarter of care through the installed `tplan` entry point, and its error paths."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

HERE = Path(__file__).parent
MINIMAL = (HERE / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
FIRST_SCORE = "  - {date: 2026-03-20, measure: GAD-7, score: 12, goals: [G1]}\n"


def start_plan(tmp_path: Path) -> Path:
    path = tmp_path / "plans" / "TP-2026-0042.yaml"
    path.parent.mkdir()
    path.write_text(MINIMAL.replace("progress:\n" + FIRST_SCORE, "progress: []\n"), encoding="utf-8")
    return path


def diff_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    out = [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)]
    body = [line for line in out if not line.startswith(("---", "+++", "@@"))]
    return [line[1:] for line in body if line[0] == "-"], [line[1:] for line in body if line[0] == "+"]


def test_a_quarter_of_care(tplan, tmp_path):
    path = start_plan(tmp_path)
    original = path.read_text(encoding="utf-8")

    steps = [
        ("progress", "add", str(path), "--measure", "GAD-7", "--score", "12", "--goal", "G1", "--date", "2026-03-20", "--today", "2026-03-20"),
        ("progress", "add", str(path), "--measure", "relaxation practice", "--score", "4", "--goal", "G1.1",
         "--note", "Practised most evenings", "--date", "2026-04-10", "--today", "2026-04-10"),
        ("progress", "add", str(path), "--measure", "gad-7", "--score", "8", "--goal", "G1", "--date", "2026-05-22", "--today", "2026-05-22"),
    ]
    for step in steps:
        result = tplan(*step)
        assert result.returncode == 0, result.stderr
    assert "Recorded GAD-7 8 on 2026-05-22" in result.stdout and "G1: met, target <= 9, improving" in result.stdout

    # the goal's deadline (2026-05-25) has passed without a review: lint and status both say so,
    # as an info naming the review due on 2026-05-30 (not yet a failure: the review is not due)
    lint = tplan("lint", "--today", "2026-05-26", str(path))
    assert lint.returncode == 0 and "R306 info" in lint.stdout and "review due 2026-05-30" in lint.stdout
    status = json.loads(tplan("status", "--today", "2026-05-26", "--format", "json", str(path.parent)).stdout)
    assert status["plans"][0]["review"] == "due in 4 days"
    assert (status["plans"][0]["findings"]["error"], status["plans"][0]["findings"]["info"]) == (0, 1)
    # once the review is due and still not recorded, it is an error
    late = tplan("lint", "--today", "2026-05-31", str(path))
    assert late.returncode == 1 and "R306 error" in late.stdout

    result = tplan(
        "review", str(path), "--summary", "G1 met: GAD-7 14 to 8.", "--changes", "Sleep goal to be added",
        "--date", "2026-05-26", "--today", "2026-05-26",
    )
    assert result.returncode == 0, result.stderr
    assert "next review 2026-08-24 (in 90 days)" in result.stdout
    assert tplan("lint", "--today", "2026-05-26", str(path)).returncode == 0

    removed, added = diff_lines(original, path.read_text(encoding="utf-8"))
    assert removed == ["progress: []", "  next: 2026-05-30"]
    assert added == [
        "updated: 2026-05-26",
        "progress:",
        "  - {date: 2026-03-20, measure: GAD-7, score: 12, goals: [G1]}",
        "  - {date: 2026-04-10, measure: relaxation practice, score: 4, goals: [G1.1], note: Practised most evenings}",
        "  - {date: 2026-05-22, measure: GAD-7, score: 8, goals: [G1]}",
        "  next: 2026-08-24",
        "  history:",
        "    - date: 2026-05-26",
        '      summary: "G1 met: GAD-7 14 to 8."',
        "      changes: Sleep goal to be added",
    ]


def test_refusals_are_one_clear_line_with_exit_2_and_the_file_untouched(tplan, tmp_path):
    path = start_plan(tmp_path)
    before = path.read_bytes()
    cases = [
        (("progress", "add", str(path), "--measure", "GAD-7", "--score", "30"), "score 30 is outside GAD-7's range 0–21"),
        (("progress", "add", str(path), "--measure", "GAD-8", "--score", "3"), "did you mean 'GAD-7'?"),
        (("progress", "add", str(path), "--measure", "GAD-7", "--score", "3", "--date", "03/20/2026"), "--date must be a date written as YYYY-MM-DD"),
        (("progress", "add", str(path), "--measure", "GAD-7", "--score", "3", "--goal", "G1.1"), "--goal G1.1 is measured by relaxation practice"),
        (("review", str(path), "--summary", "ok", "--next", "2020-01-01"), "must be after the review date"),
        (("progress", "add", str(tmp_path / "nope.yaml"), "--measure", "GAD-7", "--score", "3"), "no such file"),
    ]
    for args, message in cases:
        result = tplan(*args)
        assert result.returncode == 2, (args, result.stdout)
        assert message in result.stderr, result.stderr
        assert result.stderr.startswith("tplan: error: ") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr
        assert path.read_bytes() == before


def test_an_invalid_plan_is_refused_with_its_position(tplan, tmp_path):
    path = start_plan(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("created: 2026-03-02", "created: 2 March"), encoding="utf-8")
    before = path.read_bytes()
    result = tplan("review", str(path), "--summary", "Check")
    assert result.returncode == 2
    assert f"{path}:5:10: E003 created must be a date" in result.stderr
    assert "the file was not changed" in result.stderr
    assert path.read_bytes() == before


def test_help_documents_the_commands(tplan):
    progress = tplan("progress", "add", "--help")
    assert progress.returncode == 0
    for option in ("--measure", "--score", "--date", "--goal", "--note"):
        assert option in progress.stdout
    review = tplan("review", "--help")
    for option in ("--summary", "--changes", "--date", "--next"):
        assert option in review.stdout
    status = tplan("status", "--help")
    for option in ("--format", "--today", "--sort"):
        assert option in status.stdout
