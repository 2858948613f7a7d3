"""`tplan status`: urgency order, JSON shape, initials only, attainment shared with the rules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import EXAMPLES

from tplan.commands.status import collect_rows, initials, review_text, urgency

HERE = Path(__file__).parent
MINIMAL = (HERE / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
TODAY = "2026-04-01"


def plan(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = MINIMAL.replace("TP-TEST-0001", f"TP-{name}")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def caseload(tmp_path: Path) -> None:
    plan(tmp_path, "later", ("next: 2026-05-30", "next: 2026-05-30"))
    plan(tmp_path, "soon", ("next: 2026-05-30", "next: 2026-04-10"))
    plan(tmp_path, "overdue", ("next: 2026-05-30", "next: 2026-03-25"))
    plan(tmp_path, "unscheduled", ("  next: 2026-05-30\n", ""))
    plan(tmp_path, "draft", ("status: active", "status: draft"), ("next: 2026-05-30", "next: 2026-03-01"))
    plan(tmp_path, "closed", ("status: active", "status: closed"), ("next: 2026-05-30", "next: 2026-02-01"))
    plan(tmp_path, "invalid", ("status: active", "status: actve"))
    (tmp_path / "broken.yaml").write_text("tplan: 1\nid: [unclosed\n", encoding="utf-8")


def test_json_is_sorted_by_urgency(tplan, tmp_path):
    caseload(tmp_path)
    result = tplan("status", "--today", TODAY, "--format", "json", str(tmp_path))
    assert result.returncode == 2, result.stderr  # broken.yaml cannot be read
    payload = json.loads(result.stdout)
    order = [p["id"] or Path(p["file"]).name for p in payload["plans"]]
    # unreadable/invalid first, then unscheduled and overdue reviews, then by days to review
    assert order == ["broken.yaml", "TP-invalid", "TP-unscheduled", "TP-overdue", "TP-soon", "TP-later", "TP-draft", "TP-closed"]
    reviews = {p["id"]: p["review"] for p in payload["plans"] if p["id"]}
    assert reviews["TP-overdue"] == "overdue by 7 days"
    assert reviews["TP-soon"] == "due in 9 days"
    assert reviews["TP-unscheduled"] == "no date set"
    assert reviews["TP-closed"] == "closed"


def test_json_shape(tplan, tmp_path):
    plan(tmp_path, "one")
    result = tplan("status", "--today", TODAY, "--format", "json", str(tmp_path / "one.yaml"))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["today"] == TODAY
    (row,) = payload["plans"]
    assert set(row) == {
        "file", "id", "client", "status", "next_review", "days_until_review", "review", "goals", "findings", "problem",
        "notes", "last_note", "discharge",
    }
    assert row["client"] == "T.P."
    assert row["next_review"] == "2026-05-30" and row["days_until_review"] == 59
    assert row["findings"] == {"error": 0, "warning": 0, "info": 0}
    assert row["problem"] is None
    assert row["goals"] == [
        {
            "id": "G1", "measure": "GAD-7", "latest": 12, "latest_date": "2026-03-20",
            "target": "<= 9", "status": "on track", "trend": "improving", "change": None,
            "review_status": "active", "status_date": None, "level": None, "level_name": None,
            "objectives": [{"id": "G1.1", "review_status": "active", "status_date": None}], "changes": [],
        }
    ]
    assert (row["notes"], row["last_note"], row["discharge"]) == (0, None, None)


def test_findings_come_from_the_linter_and_goal_status_from_attainment(tmp_path):
    plan(
        tmp_path, "late",
        ("deadline: 2026-05-25", "deadline: 2026-03-25"), ("deadline: 2026-04-20", "deadline: 2026-03-20"),
        ("score: 12, goals: [G1]}", "score: 15, goals: [G1]}"),
    )
    (row,) = collect_rows([str(tmp_path)], dt.date(2026, 4, 1))
    goal = row.goals[0]
    assert (goal.status, goal.trend, goal.latest) == ("overdue", "worsening", 15)
    # R306: G1's deadline passed without a review, the same verdict the rule reaches; an info
    # (not an error) until the review planned for 2026-05-30 is due
    assert (row.findings["error"], row.findings["info"]) == (0, 1)


def test_table_shows_initials_never_full_names(tplan, tmp_path):
    caseload(tmp_path)
    result = tplan("status", "--today", TODAY, str(tmp_path))
    assert "Test Person" not in result.stdout and "Test" not in result.stdout.replace("TP-TEST", "")
    assert "T.P." in result.stdout
    assert "overdue by 7 days" in result.stdout
    assert "G1 GAD-7: 12 → <= 9 (on track, improving)" in result.stdout
    json_out = tplan("status", "--today", TODAY, "--format", "json", str(tmp_path)).stdout
    assert "Test Person" not in json_out and "1990-05-06" not in json_out


def test_examples_status_is_clean(tplan):
    result = tplan("status", "--today", "2026-12-01", "--format", "json", str(HERE.parent / "examples"))
    assert result.returncode == 0, result.stderr
    plans = json.loads(result.stdout)["plans"]
    assert len(plans) == 4
    assert all(p["findings"] == {"error": 0, "warning": 0, "info": 0} for p in plans)
    active = [p["days_until_review"] for p in plans if p["status"] == "active"]
    assert len(active) == 3 and active == sorted(active)
    assert plans[-1]["id"] == "TP-2026-0311" and plans[-1]["review"] == "closed"  # closed plans last


def test_sort_by_id_and_bad_options(tplan, tmp_path):
    plan(tmp_path, "b", ("next: 2026-05-30", "next: 2026-03-25"))
    plan(tmp_path, "a")
    by_id = json.loads(tplan("status", "--today", TODAY, "--format", "json", "--sort", "id", str(tmp_path)).stdout)
    assert [p["id"] for p in by_id["plans"]] == ["TP-a", "TP-b"]
    for args, message in ((["--format", "xml"], "--format must be table or json"), (["--sort", "name"], "--sort must be urgency or id")):
        result = tplan("status", *args, str(tmp_path))
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_helpers():
    assert initials("Alex Rivera") == "A.R."
    assert initials("  mary-jane  o'neil ") == "M.O."
    assert initials("<client name>") == "?"
    assert initials(None) == "?"
    assert review_text(-1) == "overdue by 1 day"
    assert review_text(0) == "due today"
    assert review_text(1) == "due in 1 day"


def test_urgency_puts_weak_goals_first_on_the_same_day(tmp_path):
    plan(tmp_path, "fine")
    plan(tmp_path, "worse", ("score: 12, goals: [G1]}", "score: 19, goals: [G1]}"), ("baseline: 14\n", "baseline: 20\n"))
    rows = sorted(collect_rows([str(tmp_path)], dt.date(2026, 4, 25)), key=urgency)
    assert [r.id for r in rows] == ["TP-worse", "TP-fine"]
    assert rows[0].goals[0].status == "behind"


def test_piped_status_is_plain_lines(tplan):
    """Piped or redirected, the caseload is one line per plan and one indented line per goal."""
    from conftest import EXAMPLES

    result = tplan("status", "--today", "2026-12-01", str(EXAMPLES))
    lines = result.stdout.splitlines()
    assert lines[0] == "Caseload on 2026-12-01: 4 plans"
    assert "TP-2026-0127  R.S.  active  due in 66 days (2027-02-05)  findings: none" in lines
    assert "    G1 PHQ-9: 8 → <= 9 (met, improving, no reliable change)" in lines  # 14 → 8: RC 1.70
    assert not any(ch in result.stdout for ch in "┃│┏")  # no table borders


EPISODE = HERE.parent / "examples" / "minor-episode.yaml"


def test_episode_status_json_gives_review_status_changes_level_and_discharge(tplan):
    result = tplan("status", "--today", "2026-12-01", "--format", "json", str(EPISODE))
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)["plans"]
    g1, g2 = row["goals"]
    assert (g1["review_status"], g1["status_date"], g1["level"]) == ("met", "2026-06-08", None)
    assert g1["objectives"] == [{"id": "G1.1", "review_status": "met", "status_date": "2026-06-08"}]
    assert g1["changes"] == [{"date": "2026-06-08", "item": "G1", "field": "status", "from": "active", "to": "met"}]
    assert (g2["review_status"], g2["status_date"]) == ("revised", "2026-09-07")
    assert (g2["level"], g2["level_name"], g2["target"]) == ("+1", "somewhat more than expected", ">= 1")
    assert g2["changes"] == [{"date": "2026-09-07", "item": "G2", "field": "target", "from": ">= 0", "to": ">= 1"}]
    assert (row["notes"], row["last_note"]) == (2, "2026-10-12")
    assert row["discharge"] == {"date": "2026-11-23", "reason": "goals-met"}
    # initials only; the plan's free text (reasons, notes, summary) stays out of the caseload view
    for private in ("Mira", "Okonkwo", "Mimi", "Grace", "every week", "worry-time", "swim club"):
        assert private not in result.stdout, private


def test_episode_status_plain_lines(tplan):
    lines = tplan("status", "--today", "2026-12-01", str(EPISODE)).stdout.splitlines()
    assert lines[1:] == [
        "TP-2026-0311  M.O.  closed  closed  findings: none",
        "    G1 GAD-7: 6 → <= 9 (met, improving) · met since 2026-06-08",
        "      G1.1 met since 2026-06-08",
        "      2026-06-08 G1 status: active → met",
        "    G2 GAS: level +1 → >= 1 (met, improving) · revised since 2026-09-07",
        "      2026-09-07 G2 target: >= 0 → >= 1",
        "    2 session notes, latest 2026-10-12",
        "    discharged 2026-11-23 (goals-met)",
    ]


def test_episode_status_table_on_a_terminal(monkeypatch, capsys):
    import sys

    from tplan.commands.status import print_table

    rows = collect_rows([str(EPISODE)], dt.date(2026, 12, 1))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    print_table(rows, dt.date(2026, 12, 1))
    out = capsys.readouterr().out
    for shown in ("G2 GAS: level +1 → >= 1 (met, improving) · revised since 2026-09-07", "2026-09-07 G2 target: >= 0 → >= 1",
                  "2 session notes, latest 2026-10-12", "discharged 2026-11-23 (goals-met)"):
        assert shown in out, shown
    assert "│" in out  # the rich table, not the plain lines


def test_many_plans_are_read_in_workers_with_the_same_rows(tmp_path, monkeypatch):
    """A big folder is read by worker processes (issue 19: status within 1.2x of lint, which uses
    them), and the rows are exactly those of reading it in one process."""
    import tplan.fanout as fanout

    for i in range(40):
        text = MINIMAL.replace("TP-TEST-0001", f"TP-TEST-{i:04d}")
        if i % 7 == 0:
            text = text.replace("score: 12, goals: [G1]", "score: 8, goals: [G1]")
        (tmp_path / f"plan-{i:02d}.yaml").write_text(text)
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    monkeypatch.chdir(tmp_path)
    used = []
    real = fanout.in_workers
    monkeypatch.setattr(fanout, "in_workers", lambda *a: used.append(a[-1]) or real(*a))
    in_workers = collect_rows([str(tmp_path)], dt.date(2026, 4, 1), jobs=2)
    assert used == [2]  # two worker processes
    one_process = collect_rows([str(tmp_path)], dt.date(2026, 4, 1), jobs=1)
    assert used == [2]
    assert in_workers == one_process and len(one_process) == 41


def test_rows_on_the_fast_route_equal_the_models(monkeypatch):
    """Status reads plans on the fast route (no pydantic model classes, as lint): every row of the
    fixture caseload is what the models give."""
    import tplan.commands.status as status

    caseload = str(Path(__file__).parent / "fixtures" / "caseload")
    fast = collect_rows([caseload], dt.date(2026, 4, 1), jobs=1)
    real = status.check_text
    seen = []
    monkeypatch.setattr(status, "check_text", lambda *a, fast: seen.append(fast) or real(*a, fast=False))
    models = collect_rows([caseload], dt.date(2026, 4, 1), jobs=1)
    assert seen and set(seen) == {True} and len(models) >= 6
    assert fast == models


def test_jobs_option_gives_the_same_rows_and_refuses_zero(tplan):
    """`--jobs` as lint and render take it: 1 reads in this process, the rows are the same."""
    default = tplan("status", "--today", "2026-12-01", "--format", "json", str(EXAMPLES))
    one = tplan("status", "--today", "2026-12-01", "--format", "json", "--jobs", "1", str(EXAMPLES))
    assert default.returncode == one.returncode == 0, default.stderr + one.stderr
    assert json.loads(one.stdout) == json.loads(default.stdout)
    zero = tplan("status", "--jobs", "0", str(EXAMPLES))
    assert zero.returncode == 2 and "--jobs must be 1 or more (got 0)" in zero.stderr and zero.stdout == ""
    report_zero = tplan("report", "--jobs", "0", str(EXAMPLES))
    assert report_zero.returncode == 2 and "--jobs must be 1 or more (got 0)" in report_zero.stderr
    report_one = tplan("report", "--today", "2026-12-01", "--format", "json", "--jobs", "1", str(EXAMPLES))
    report_default = tplan("report", "--today", "2026-12-01", "--format", "json", str(EXAMPLES))
    assert report_one.returncode == 0 and json.loads(report_one.stdout) == json.loads(report_default.stdout)
