"""The edits of a whole episode of care (issue 13): `review --goal` changes a goal's status, target
or deadline and records it under the goal's `changes`; `progress add --note` alone is a narrative
entry; monitoring scores for measures listed in `assessments`; `close` writes the discharge. Each
step's diff is exactly the expected lines, and every refusal leaves the file byte-identical."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINIMAL, run_tplan
from test_edit import changes, edited

from tplan.commands.close import run_close
from tplan.commands.progress import run_progress_add
from tplan.commands.review import GoalChange, run_review
from tplan.errors import TplanError
from tplan.linter import LintSettings, lint_text
from tplan.loader import load_text
from tplan.measures import builtin_catalogue

TEXT = MINIMAL.read_text(encoding="utf-8")
ODD = (Path(__file__).parent / "fixtures" / "odd-format.yaml").read_text(encoding="utf-8")
TODAY = dt.date(2026, 6, 1)


def write(tmp_path: Path, text: str = TEXT) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(text.encode("utf-8"))
    return path


def goal_review(path: Path, goal: str, summary: str | None = None, date: dt.date = TODAY, **change) -> int:
    return run_review(str(path), summary, date=date, today=TODAY, goal=GoalChange(goal, **change))


def lint_errors(text: str, today: dt.date = TODAY) -> list[str]:
    result = lint_text(text, "plan.yaml", LintSettings(today=today), builtin_catalogue())
    return [f"{d.line}:{d.column} {d.code}" for d in result.diagnostics if d.severity.value == "error"]


# ---- review --goal ------------------------------------------------------------------------------------


def test_review_marks_a_goal_met_with_exactly_these_lines(tmp_path, capsys):
    path = write(tmp_path)
    assert goal_review(path, "G1", "GAD-7 14 to 8; G1 met", status="met", reason="GAD-7 under 10 at two sessions") == 0
    assert changes(TEXT, path.read_text(encoding="utf-8")) == (
        ["  next: 2026-05-30\n"],
        [
            "updated: 2026-06-01\n",
            "    status: met\n",
            "    status_date: 2026-06-01\n",
            "    changes:\n",
            "      - {date: 2026-06-01, field: status, from: active, to: met, reason: GAD-7 under 10 at two sessions}\n",
            "  next: 2026-08-30\n",
            "  history:\n",
            "    - date: 2026-06-01\n",
            "      summary: GAD-7 14 to 8; G1 met\n",
        ],
    )
    new = path.read_text(encoding="utf-8")
    assert "  - id: G1\n    status: met\n    status_date: 2026-06-01\n    addresses: [P1]\n" in new
    assert "    deadline: 2026-05-25\n    changes:\n      - {date" in new and "reason: GAD-7 under 10 at two sessions}\n    objectives:\n" in new
    assert "G1 met." in capsys.readouterr().out


def test_revising_a_target_keeps_its_quotes_and_records_from_and_to(tmp_path):
    path = write(tmp_path)
    goal_review(path, "G1", "Aim higher", status="revised", target="<= 7", reason="met early")
    removed, added = changes(TEXT, path.read_text(encoding="utf-8"))
    assert '    target: "<= 9"\n' in removed and '    target: "<= 7"\n' in added
    assert (
        "      - {date: 2026-06-01, field: status, from: active, to: revised, reason: met early}\n"
        "      - {date: 2026-06-01, field: target, from: <= 9, to: <= 7, reason: met early}\n"
    ) in path.read_text(encoding="utf-8")
    goal = load_text(path.read_text(encoding="utf-8")).data["goals"][0]
    assert goal["changes"][1] == {"date": TODAY, "field": "target", "from": "<= 9", "to": "<= 7", "reason": "met early"}


def test_an_objective_gets_a_new_deadline_and_a_second_goal_at_the_same_review_adds_no_second_entry(tmp_path):
    path = write(tmp_path)
    goal_review(path, "G1", "First review", status="met", reason="GAD-7 8")
    middle = path.read_text(encoding="utf-8")
    goal_review(path, "G1.1", deadline=dt.date(2026, 7, 31), reason="practice slipped in May")
    removed, added = changes(middle, path.read_text(encoding="utf-8"))
    assert removed == ["        deadline: 2026-04-20\n"]
    assert added == [
        "        deadline: 2026-07-31\n",
        "        changes:\n",
        "          - {date: 2026-06-01, field: deadline, from: 2026-04-20, to: 2026-07-31, reason: practice slipped in May}\n",
    ]


def test_a_goal_change_alone_writes_a_review_entry_that_names_only_ids(tmp_path):
    path = write(tmp_path)
    goal_review(path, "G1.1", status="discontinued", reason="Client prefers exercise to relaxation")
    history = load_text(path.read_text(encoding="utf-8")).data["reviews"]["history"]
    assert history == [{"date": TODAY, "summary": "G1.1 discontinued"}]


def test_a_goal_change_in_the_odd_format_file_copies_its_style(tmp_path):
    path = write(tmp_path, ODD)
    run_review(str(path), "Check", date=dt.date(2026, 4, 1), today=dt.date(2026, 4, 1), goal=GoalChange("G1", status="deferred", reason="Client away"))
    removed, added = changes(ODD, path.read_text(encoding="utf-8"))
    assert "    status: deferred\n" in added and "    status_date: 2026-04-01\n" in added
    assert "    changes:\n" in added
    assert "    - {date: 2026-04-01, field: status, from: active, to: deferred, reason: Client away}\n" in added
    assert all(not line.startswith(("  goals", "-   id")) for line in removed)
    assert "-   id: G1\n    status: deferred\n    status_date: 2026-04-01\n    addresses: [P1]\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "goal, change, message",
    [
        ("G9", {"status": "met"}, "--goal G9: there is no goal or objective G9 in this plan (it has G1, G1.1)"),
        ("G1", {"status": "done"}, "--status must be one of active, met, partially-met, revised, discontinued, deferred"),
        ("G1", {"status": "mett"}, "did you mean 'met'?"),
        ("G1", {}, "--goal G1: say what changes, with --status, --target or --deadline"),
        ("G1", {"status": "active"}, "--goal G1 is already active"),
        ("G1", {"target": "eighty"}, "--target:"),
        ("G1", {"target": '"<= 9"'.strip('"')}, "the target is already <= 9"),
        ("G1", {"deadline": dt.date(2026, 5, 25)}, "the deadline is already 2026-05-25"),
        ("G1", {"deadline": dt.date(2026, 3, 1)}, "--deadline 2026-03-01 is not after the plan was created (2026-03-02)"),
    ],
)
def test_goal_change_refusals_leave_the_file_byte_identical(tmp_path, goal, change, message):
    path = write(tmp_path)
    with pytest.raises(TplanError) as err:
        goal_review(path, goal, "Check", reason="because", **change)
    assert message in str(err.value)
    assert path.read_bytes() == TEXT.encode("utf-8")


def test_a_goal_change_needs_a_reason_and_a_goal(tmp_path):
    path = write(tmp_path)
    with pytest.raises(TplanError, match="give --reason"):
        goal_review(path, "G1", "Check", status="met")
    with pytest.raises(TplanError, match="name it with --goal"):
        run_review(str(path), "Check", date=TODAY, today=TODAY, goal=GoalChange(None, status="met", reason="x"))
    with pytest.raises(TplanError, match="--summary is required"):
        run_review(str(path), None, date=TODAY, today=TODAY)
    assert path.read_bytes() == TEXT.encode("utf-8")


# ---- dates before the plan existed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        lambda p: run_progress_add(str(p), "GAD-7", "11", date=dt.date(2025, 3, 30), today=TODAY),
        lambda p: run_review(str(p), "Check", date=dt.date(2025, 6, 1), today=TODAY),
        lambda p: run_close(str(p), "goals-met", "Done", date=dt.date(2025, 6, 1), today=TODAY),
    ],
    ids=["progress", "review", "close"],
)
def test_a_date_before_the_plan_was_created_is_refused(tmp_path, attempt):
    path = write(tmp_path)
    with pytest.raises(TplanError, match=r"--date 2025-0\d-\d\d is before the plan was created \(2026-03-02\)"):
        attempt(path)
    assert path.read_bytes() == TEXT.encode("utf-8")


# ---- progress: narrative notes and monitoring scores ---------------------------------------------------


def test_a_note_alone_is_a_narrative_entry(tmp_path, capsys):
    path = write(tmp_path)
    assert run_progress_add(str(path), note="Reports sleeping better; practised breathing daily.", date=dt.date(2026, 3, 30), today=TODAY) == 0
    assert changes(TEXT, path.read_text(encoding="utf-8")) == (
        [],
        ["updated: 2026-03-30\n", "  - {date: 2026-03-30, note: Reports sleeping better; practised breathing daily.}\n"],
    )
    assert capsys.readouterr().out == f"Recorded a note on 2026-03-30 in {path}.\n"
    assert lint_errors(path.read_text(encoding="utf-8"), dt.date(2026, 4, 1)) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"measure": "GAD-7"}, "--measure needs --score too"),
        ({"score": "11"}, "--score needs --measure too"),
        ({}, "give --measure and --score to record a score, or --note TEXT"),
    ],
)
def test_a_score_needs_both_options(tmp_path, kwargs, message):
    path = write(tmp_path)
    with pytest.raises(TplanError, match=message):
        run_progress_add(str(path), today=TODAY, **kwargs)
    assert path.read_bytes() == TEXT.encode("utf-8")


def test_a_monitoring_score_for_a_measure_listed_in_assessments_is_accepted(tmp_path):
    old = edited(TEXT, ("goals:\n", "assessments:\n  - {instrument: PHQ-9, date: 2026-03-02, score: 9}\ngoals:\n"))
    path = write(tmp_path, old)
    assert run_progress_add(str(path), "phq-9", "7", date=dt.date(2026, 4, 1), today=TODAY) == 0
    assert changes(old, path.read_text(encoding="utf-8"))[1] == [
        "updated: 2026-04-01\n",
        "  - {date: 2026-04-01, measure: PHQ-9, score: 7}\n",
    ]
    with pytest.raises(TplanError, match="outside PHQ-9's range 0–27"):
        run_progress_add(str(path), "PHQ-9", "28", date=dt.date(2026, 4, 2), today=TODAY)
    with pytest.raises(TplanError, match="--goal G1 is measured by GAD-7, not PHQ-9"):
        run_progress_add(str(path), "PHQ-9", "6", goals=["G1"], date=dt.date(2026, 4, 2), today=TODAY)


def test_a_catalogue_measure_neither_used_nor_assessed_is_still_refused(tmp_path):
    path = write(tmp_path)
    with pytest.raises(TplanError, match="PHQ-9 is not the measure of any goal or objective in this plan.*list it under assessments"):
        run_progress_add(str(path), "PHQ-9", "7", date=dt.date(2026, 4, 1), today=TODAY)


# ---- close ----------------------------------------------------------------------------------------------


def test_close_writes_status_and_the_discharge_record_with_exactly_these_lines(tmp_path, capsys):
    path = write(tmp_path)
    goal_review(path, "G1", "G1 met", status="met", reason="GAD-7 8")
    goal_review(path, "G1.1", status="met", reason="5 days a week")
    middle = path.read_text(encoding="utf-8")
    assert run_close(
        str(path), "goals-met", "GAD-7 at 8 and 7 at the last two sessions.", date=TODAY, today=TODAY,
        referrals=["Peer support group: maintenance", "Dr Example, GP"],
    ) == 0
    assert changes(middle, path.read_text(encoding="utf-8")) == (
        ["status: active\n"],
        [
            "status: closed\n",
            "discharge:\n",
            "  date: 2026-06-01\n",
            "  reason: goals-met\n",
            "  summary: GAD-7 at 8 and 7 at the last two sessions.\n",
            "  referrals:\n",
            "    - {to: Peer support group, reason: maintenance}\n",
            "    - {to: \"Dr Example, GP\"}\n",
        ],
    )
    assert "discharge_criteria: [GAD-7 below 10 at two reviews in a row]\ndischarge:\n" in path.read_text(encoding="utf-8")
    assert capsys.readouterr().out.endswith(f"Closed {path} on 2026-06-01 (goals-met).\n")
    assert lint_errors(path.read_text(encoding="utf-8")) == []


def test_close_through_the_cli_clears_what_only_an_open_plan_must_have(tmp_path):
    assert "27:15 R306" in lint_errors(TEXT)  # a goal past its deadline with no review: not once closed
    path = write(tmp_path)
    result = run_tplan("close", str(path), "--reason", "client-withdrew", "--summary", "Stopped attending after "
        "May.", "--date", "2026-06-01", "--today", "2026-06-01")
    assert result.returncode == 0, result.stderr
    assert load_text(path.read_text(encoding="utf-8")).data["discharge"] == {
        "date": TODAY, "reason": "client-withdrew", "summary": "Stopped attending after May.",
    }


def test_close_is_refused_while_the_closed_plan_would_have_lint_errors(tmp_path):
    old = edited(TEXT, ('npi: "1234567893"', 'npi: "1234567890"'))  # a wrong NPI stays wrong when closed
    assert "11:8 C404" in lint_errors(old)
    path = write(tmp_path, old)
    with pytest.raises(TplanError) as err:
        run_close(str(path), "goals-met", "Done.", date=TODAY, today=TODAY)
    message = str(err.value)
    assert message.startswith(f"{path}:") and "a plan is closed only when it has no lint errors as a closed plan" in message
    assert message.endswith("the file was not changed")
    line = int(message.split(":")[1])
    assert message.split(": ")[1].startswith("C404")
    assert old.splitlines()[line - 1] == '  npi: "1234567890"'  # the current file's line, not the edited text's
    assert path.read_bytes() == old.encode("utf-8")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"reason": "done"}, "--reason must be one of goals-met, client-withdrew, referred, moved, administrative, other"),
        ({"reason": "goal-met"}, "did you mean 'goals-met'?"),
        ({"summary": "  "}, "--summary is empty"),
        ({"date": dt.date(2026, 6, 2)}, "is in the future"),
        ({"date": dt.date(2026, 3, 10)}, "before the last recorded progress or review (2026-03-20)"),
        ({"referrals": [": nobody"]}, "--referral needs who the client is referred to"),
    ],
)
def test_close_refusals_leave_the_file_byte_identical(tmp_path, kwargs, message):
    path = write(tmp_path)
    args = {"reason": "goals-met", "summary": "Done.", "date": TODAY, **kwargs}
    with pytest.raises(TplanError) as err:
        run_close(str(path), args.pop("reason"), args.pop("summary"), today=TODAY, **args)
    assert message in str(err.value)
    assert path.read_bytes() == TEXT.encode("utf-8")


def test_a_closed_plan_is_not_closed_again(tmp_path):
    path = write(tmp_path)
    run_close(str(path), "moved", "Moved away.", date=TODAY, today=TODAY)
    closed = path.read_bytes()
    with pytest.raises(TplanError, match="is already closed"):
        run_close(str(path), "moved", "Moved away.", date=TODAY, today=TODAY)
    assert path.read_bytes() == closed


def test_help_names_the_new_options():
    review = run_tplan("review", "--help").stdout
    for option in ("--goal ID", "--status STATUS", "--target TARGET", "--deadline YYYY-MM-DD", "--reason TEXT"):
        assert option in review
    assert "met, partially-met, revised," in review
    close = run_tplan("close", "--help")
    assert close.returncode == 0
    for option in ("--reason REASON", "--summary TEXT", "--date YYYY-MM-DD", '--referral "TO: REASON"'):
        assert option in close.stdout
    assert "goals-met, client-withdrew," in " ".join(close.stdout.split())
    assert "narrative entry" in " ".join(run_tplan("progress", "add", "--help").stdout.split())
