"""`progress add` and `review` edit plans so that the diff is exactly the inserted/changed lines."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from pathlib import Path

import pytest

from tplan.commands.progress import run_progress_add
from tplan.commands.review import run_review
from tplan.errors import TplanError
from tplan.yamltext import yaml_value

HERE = Path(__file__).parent
MINIMAL = (HERE / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
ODD = (HERE / "fixtures" / "odd-format.yaml").read_text(encoding="utf-8")
TODAY = dt.date(2026, 4, 1)
PROGRESS_LINE = "  - {date: 2026-03-20, measure: GAD-7, score: 12, goals: [G1]}\n"


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write(tmp_path: Path, text: str, name: str = "plan.yaml", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines), line endings included."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def add(path: Path, measure: str = "GAD-7", score: str = "11", date: str = "2026-03-30", **kw) -> int:
    return run_progress_add(str(path), measure, score, date=dt.date.fromisoformat(date), today=TODAY, **kw)


def review(path: Path, summary: str = "G1 on track", date: str = "2026-04-01", **kw) -> int:
    return run_review(str(path), summary, date=dt.date.fromisoformat(date), today=TODAY, **kw)


# ---- the diff is exactly the inserted lines ------------------------------------------------------


def test_progress_on_a_file_full_of_comments_and_odd_indentation(tmp_path, capsys):
    path = write(tmp_path, ODD)
    assert add(path, "gad-7", "11", goals=["G1"], note="Used worry time #2: better") == 0
    removed, added = changes(ODD, path.read_text(encoding="utf-8"))
    assert removed == ['updated: "2026-03-10"   # last touched by hand\n']
    assert added == [
        'updated: "2026-03-30"   # last touched by hand\n',
        "-   date: 2026-03-30\n",
        "    measure: GAD-7\n",
        "    score: 11\n",
        "    goals: [G1]\n",
        '    note: "Used worry time #2: better"\n',
    ]
    # the entry lands right after the last entry, above the blank line and the trailing comment
    assert "        the relaxation practice.\n-   date: 2026-03-30\n" in path.read_text(encoding="utf-8")
    assert "G1: on track" in capsys.readouterr().out


def test_a_backdated_score_goes_in_date_order_and_leaves_updated_alone(tmp_path):
    path = write(tmp_path, ODD)
    add(path, "GAD-7", "12.5", date="2026-03-09")  # `updated` is already 2026-03-10
    new = path.read_text(encoding="utf-8")
    assert changes(ODD, new) == ([], ["-   date: 2026-03-09\n", "    measure: GAD-7\n", "    score: 12.5\n"])
    # after the other 2026-03-09 entry, before the comment that belongs to the 2026-03-16 one
    assert "    - G1\n-   date: 2026-03-09\n    measure: GAD-7\n    score: 12.5\n# session 3" in new


def test_a_score_older_than_every_entry_goes_first(tmp_path):
    path = write(tmp_path, MINIMAL)
    add(path, date="2026-03-05", score="13")
    assert "progress:\n  - {date: 2026-03-05, measure: GAD-7, score: 13}\n" + PROGRESS_LINE in path.read_text(encoding="utf-8")


def test_review_on_the_odd_file_mimics_its_flow_history_and_keeps_comments(tmp_path):
    path = write(tmp_path, ODD)
    assert review(path, "Early check: worry down", changes="Added sleep objective") == 0
    removed, added = changes(ODD, path.read_text(encoding="utf-8"))
    assert removed == ['updated: "2026-03-10"   # last touched by hand\n', "    next: 2026-05-30      # booked with the client\n"]
    assert added == [
        'updated: "2026-04-01"   # last touched by hand\n',
        "    next: 2026-06-30      # booked with the client\n",
        '    - {date: 2026-04-01, summary: "Early check: worry down", changes: Added sleep objective}\n',
    ]


def test_minimal_plan_gets_updated_after_created_and_a_flow_entry(tmp_path):
    path = write(tmp_path, MINIMAL)
    add(path, "relaxation practice", "4", goals=["G1.1"])
    assert changes(MINIMAL, path.read_text(encoding="utf-8")) == (
        [],
        ["updated: 2026-03-30\n", "  - {date: 2026-03-30, measure: relaxation practice, score: 4, goals: [G1.1]}\n"],
    )
    assert "created: 2026-03-02\nupdated: 2026-03-30\n" in path.read_text(encoding="utf-8")


def test_flow_progress_list_on_one_line(tmp_path):
    old = edited(MINIMAL, ("progress:\n" + PROGRESS_LINE, "progress: [{date: 2026-03-20, measure: GAD-7, score: 12}]   # GAD-7 only\n"))
    path = write(tmp_path, old)
    add(path)
    removed, added = changes(old, path.read_text(encoding="utf-8"))
    assert removed == ["progress: [{date: 2026-03-20, measure: GAD-7, score: 12}]   # GAD-7 only\n"]
    assert added[-1] == "progress: [{date: 2026-03-20, measure: GAD-7, score: 12}, {date: 2026-03-30, measure: GAD-7, score: 11}]   # GAD-7 only\n"


def test_flow_progress_list_one_entry_per_line(tmp_path):
    entries = "progress: [\n    {date: 2026-03-13, measure: GAD-7, score: 13},\n    {date: 2026-03-20, measure: GAD-7, score: 12}\n  ]\n"
    old = edited(MINIMAL, ("progress:\n" + PROGRESS_LINE, entries))
    path = write(tmp_path, old)
    add(path)
    removed, added = changes(old, path.read_text(encoding="utf-8"))
    assert removed == ["    {date: 2026-03-20, measure: GAD-7, score: 12}\n"]
    assert added[-2:] == ["    {date: 2026-03-20, measure: GAD-7, score: 12},\n", "    {date: 2026-03-30, measure: GAD-7, score: 11}\n"]


def test_crlf_line_endings_are_kept(tmp_path):
    path = write(tmp_path, MINIMAL, newline="\r\n")
    old = path.read_bytes().decode("utf-8")
    add(path)
    review(path)
    new = path.read_bytes().decode("utf-8")
    removed, added = changes(old, new)
    assert removed == ["  next: 2026-05-30\r\n"]
    assert added == [
        "updated: 2026-04-01\r\n",
        "  - {date: 2026-03-30, measure: GAD-7, score: 11}\r\n",
        "  next: 2026-06-30\r\n",
        "  history:\r\n",
        "    - date: 2026-04-01\r\n",
        "      summary: G1 on track\r\n",
    ]
    assert "\n" not in new.replace("\r\n", "")


def test_missing_progress_key_is_created_above_the_reviews_comments(tmp_path):
    old = edited(MINIMAL, ("progress:\n" + PROGRESS_LINE, "\n"), ("reviews:\n", "# reviewed every quarter\nreviews:\n"))
    path = write(tmp_path, old)
    add(path)
    new = path.read_text(encoding="utf-8")
    assert changes(old, new)[0] == []
    assert (
        "schedule: {frequency: weekly, session_minutes: 50, setting: in-person}\n\n"
        "progress:\n  - {date: 2026-03-30, measure: GAD-7, score: 11}\n\n"
        "# reviewed every quarter\nreviews:\n"
    ) in new


def test_an_indented_comment_above_reviews_stays_with_the_section_it_belongs_to(tmp_path):
    old = edited(MINIMAL, ("progress:\n" + PROGRESS_LINE, "  # telehealth from May\n# review cycle\n"))
    path = write(tmp_path, old)
    add(path)
    assert (
        "  # telehealth from May\nprogress:\n  - {date: 2026-03-30, measure: GAD-7, score: 11}\n# review cycle\nreviews:\n"
        in path.read_text(encoding="utf-8")
    )


def test_empty_flow_list_becomes_a_block_list_keeping_its_comment(tmp_path):
    old = edited(MINIMAL, ("progress:\n" + PROGRESS_LINE, "progress: []   # none yet\n"))
    path = write(tmp_path, old)
    add(path)
    assert changes(old, path.read_text(encoding="utf-8")) == (
        ["progress: []   # none yet\n"],
        ["updated: 2026-03-30\n", "progress:   # none yet\n", "  - {date: 2026-03-30, measure: GAD-7, score: 11}\n"],
    )


def test_empty_review_history_becomes_block_entries(tmp_path):
    old = edited(MINIMAL, ("  next: 2026-05-30\n", "  next: 2026-05-30\n  history: []\n"))
    path = write(tmp_path, old)
    review(path, "Intake review", date="2026-03-02", next_review=dt.date(2026, 5, 31))
    assert changes(old, path.read_text(encoding="utf-8")) == (
        ["  next: 2026-05-30\n", "  history: []\n"],
        ["updated: 2026-03-02\n", "  next: 2026-05-31\n", "  history:\n", "    - date: 2026-03-02\n", "      summary: Intake review\n"],
    )


def test_review_adds_next_and_history_when_absent(tmp_path):
    old = edited(MINIMAL, ("  next: 2026-05-30\n", ""))
    path = write(tmp_path, old)
    review(path, "First review", changes="None yet")
    new = path.read_text(encoding="utf-8")
    assert changes(old, new)[0] == []
    assert "  interval_days: 90\n  next: 2026-06-30\n  history:\n    - date: 2026-04-01\n      summary: First review\n      changes: None yet\ndischarge" in new


def test_review_in_a_flow_reviews_mapping(tmp_path):
    old = edited(MINIMAL, ("reviews:\n  interval_days: 90\n  next: 2026-05-30\n", "reviews: {interval_days: 90, next: 2026-05-30}\n"))
    path = write(tmp_path, old)
    review(path, "Check")
    assert changes(old, path.read_text(encoding="utf-8"))[1][-1] == (
        "reviews: {interval_days: 90, next: 2026-06-30, history: [{date: 2026-04-01, summary: Check}]}\n"
    )


def test_byte_order_mark_and_missing_final_newline_are_kept(tmp_path):
    old = edited(MINIMAL, ("progress:\n" + PROGRESS_LINE, ""))
    old = old.rstrip("\n") + "\nprogress:\n" + PROGRESS_LINE.rstrip("\n")
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + old.encode("utf-8"))
    add(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8")[1:] == edited(old, ("created: 2026-03-02\n", "created: 2026-03-02\nupdated: 2026-03-30\n")) + (
        "\n  - {date: 2026-03-30, measure: GAD-7, score: 11}"
    )


def test_a_second_edit_is_still_minimal(tmp_path):
    path = write(tmp_path, ODD)
    add(path)
    middle = path.read_text(encoding="utf-8")
    add(path, score="10", date="2026-03-31")
    removed, added = changes(middle, path.read_text(encoding="utf-8"))
    assert removed == ['updated: "2026-03-30"   # last touched by hand\n']
    assert added == ['updated: "2026-03-31"   # last touched by hand\n', "-   date: 2026-03-31\n", "    measure: GAD-7\n", "    score: 10\n"]


@pytest.mark.parametrize(
    "value, flow, expected",
    [
        ("Practised breathing daily.", True, "Practised breathing daily."),
        ("Stress at work: deadlines", False, '"Stress at work: deadlines"'),
        ("a, b", True, '"a, b"'),
        ("a, b", False, "a, b"),
        ("12", True, '"12"'),
        ("true", False, '"true"'),
        ("Slept #2 nights", False, '"Slept #2 nights"'),  # " #" would start a comment
        ("Item#2 done", True, "Item#2 done"),
        ("line one\nline two", False, '"line one\\nline two"'),
        ("- dash first", False, '"- dash first"'),
        ("Café ☕", False, "Café ☕"),
        ("Slept\x85better", False, '"Slept\\Nbetter"'),  # NEL: a line break to YAML 1.1 readers
        ("Line\u2028break", True, '"Line\\Lbreak"'),
        ("Deleted\x7f", False, '"Deleted\\x7F"'),
        ("Bell\x07 and \x1b", False, '"Bell\\a and \\e"'),
        ('Say "no"', False, 'Say "no"'),
        ('"quoted" start', False, '"\\"quoted\\" start"'),
        (dt.date(2026, 4, 1), True, "2026-04-01"),
        (4.5, True, "4.5"),
        (7.0, True, "7"),
        (["G1", "G1.1"], True, "[G1, G1.1]"),
    ],
)
def test_values_are_quoted_only_when_needed(value, flow, expected):
    assert yaml_value(value, flow) == expected


# ---- refusals leave the file byte-identical --------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"score": "22"}, "score 22 is outside GAD-7's range 0–21"),
        ({"score": "-1"}, "outside GAD-7's range"),
        ({"score": "twelve"}, "--score must be a number"),
        ({"score": "nan"}, "--score must be a number"),
        ({"measure": "relaxation practice", "score": "8"}, "outside relaxation practice's range 0–7"),
        ({"measure": "GAD7x"}, "unknown measure 'GAD7x'"),
        ({"measure": "PHQ-9"}, "PHQ-9 is not the measure of any goal or objective in this plan (they use: GAD-7, relaxation practice)"),
        ({"goals": ["G9"]}, "there is no goal or objective G9"),
        ({"goals": ["G1.1"]}, "--goal G1.1 is measured by relaxation practice, not GAD-7"),
        ({"measure": "relaxation practice", "score": "4", "goals": ["G1"]}, "--goal G1 is measured by GAD-7, not relaxation practice"),
        ({"date": "2026-04-02"}, "is in the future"),
        ({"note": "  "}, "--note is empty"),
    ],
)
def test_progress_refusals_leave_the_file_byte_identical(tmp_path, kwargs, message):
    path = write(tmp_path, MINIMAL)
    before = path.read_bytes()
    with pytest.raises(TplanError) as err:
        add(path, **kwargs)
    assert message in str(err.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


@pytest.mark.parametrize(
    "edits, message",
    [
        ((("status: active", "status: actve"),), "plan.yaml:4:9: E003"),
        ((("  name: Test Person\n", ""),), "plan.yaml:7:3: E002 'name' is required in client"),
        ((("    term: short\n", "    term: short\n    term: long\n"),), "plan.yaml:22:5: E006"),
        ((("summary: Worry most days", "summary: Worry: most days"),), "plan.yaml:16:19: E001 invalid YAML"),
        ((("tplan: 1", "tplan: 2"),), "E005 unsupported format version"),
        ((("progress:\n" + PROGRESS_LINE, "progress:\n"),), "E003"),
    ],
)
def test_plans_that_fail_the_schema_are_never_written(tmp_path, edits, message):
    path = write(tmp_path, edited(MINIMAL, *edits))
    before = path.read_bytes()
    for attempt in (lambda: add(path), lambda: review(path)):
        with pytest.raises(TplanError) as err:
            attempt()
        assert message in str(err.value)
        assert "the file was not changed" in str(err.value)
        assert path.read_bytes() == before


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"summary": " "}, "--summary is empty"),
        ({"date": "2026-04-05"}, "is in the future"),
        ({"next_review": dt.date(2026, 3, 31)}, "--next 2026-03-31 must be after the review date 2026-04-01"),
        ({"changes": ""}, "--changes is empty"),
    ],
)
def test_review_refusals_leave_the_file_byte_identical(tmp_path, kwargs, message):
    path = write(tmp_path, MINIMAL)
    before = path.read_bytes()
    with pytest.raises(TplanError) as err:
        review(path, **kwargs)
    assert message in str(err.value)
    assert path.read_bytes() == before


def test_missing_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(TplanError, match="no such file"):
        add(tmp_path / "nope.yaml")
    with pytest.raises(TplanError, match="is a folder"):
        add(tmp_path)


# ---- atomic writes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fails", ["replace", "fsync"])
def test_a_failure_mid_write_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch, fails):
    path = write(tmp_path, ODD)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, fails, boom)
    with pytest.raises(TplanError, match="cannot write the file \\(No space left on device\\); the file was not changed"):
        add(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_a_file_changed_by_someone_else_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    import tplan.edit as edit

    path = write(tmp_path, MINIMAL)
    real_verify = edit.PlanEdit._verify

    def verify_then_someone_saves(self, text):
        plan = real_verify(self, text)
        path.write_text(MINIMAL.replace("Test Person", "Test Persona"), encoding="utf-8")
        return plan

    monkeypatch.setattr(edit.PlanEdit, "_verify", verify_then_someone_saves)
    with pytest.raises(TplanError, match="changed while tplan was editing it"):
        add(path)
    assert "Test Persona" in path.read_text(encoding="utf-8")
