"""P801: the client's name or date of birth in a plan's file path, and never in tplan's output."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MINIMAL

from tplan.rules.privacy import path_has_date, path_has_name

ALEX = "Alex Rivera"


@pytest.mark.parametrize("path", [
    "plans/alex-rivera.yaml",
    "plans/Rivera_Alex/plan.yaml",
    "alexrivera.yml",
    "plans/AlexRivera.yaml",
    "plans/RIVERA.ALEX.yaml",
    "clients/rivera, alex/TP-1.yaml",
    "plans/rivera.yaml",             # the surname alone, as the file name
    "plans/alex/TP-0042.yaml",        # the first name alone, as the plan's folder
    "plans/2026/alex-rivera/intake.yaml",
    r"plans\Rivera-Alex.yaml",        # Windows separators
])
def test_name_found_however_it_is_written(path):
    assert path_has_name(path, ALEX)


@pytest.mark.parametrize("path", [
    "plans/TP-2026-0042.yaml",
    "plans/alexander-riverside.yaml",  # name parts inside longer words
    "plans/alexis.yaml",
    "/home/alex/clinic/plans/TP-0042.yaml",  # one part far up the path: the clinician's home folder
    "plans/alexa-riveras.yaml",
])
def test_no_false_positive(path):
    assert not path_has_name(path, ALEX)


def test_middle_names_hyphens_apostrophes_and_accents():
    assert path_has_name("plans/garcia-lopez-maria.yaml", "María José García-López")
    assert path_has_name("plans/maria-lopez.yaml", "María José García-López")
    assert path_has_name("plans/oneil.yaml", "Siobhán O'Neil")
    assert path_has_name("plans/Łukasz.yaml", "Łukasz")


def test_single_word_names_match_whole_words_only():
    assert path_has_name("plans/Sam.yaml", "Sam")
    assert not path_has_name("plans/sample.yaml", "Sam")
    assert not path_has_name("plans/TP-1.yaml", "Jo")      # too short to tell from other words
    assert not path_has_name("plans/2026-may/TP-1.yaml", "May")  # a month, not evidence of a name


def test_short_or_common_parts_still_count_in_the_full_name():
    assert path_has_name("plans/jo-li.yaml", "Jo Li")
    assert not path_has_name("plans/li.yaml", "Jo Li")
    assert path_has_name("plans/april-test.yaml", "April Test")
    assert not path_has_name("plans/2026-april/TP-1.yaml", "April Test")
    assert not path_has_name("test/TP-1.yaml", "April Test")


@pytest.mark.parametrize("path,found", [
    ("plans/1988-04-12.yaml", True),
    ("plans/19880412-rivera.yaml", True),
    ("plans/x_1988_04_12.yaml", True),
    ("plans/1988-04-13.yaml", False),
    ("plans/219880412.yaml", False),  # part of a longer number
])
def test_date_of_birth(path, found):
    assert path_has_date(path, dt.date(1988, 4, 12)) is found


def test_message_never_shows_the_name_or_date_of_birth(tplan, tmp_path):
    text = MINIMAL.read_text().replace("Test Person", "Alex Rivera").replace("1990-05-06", "1988-04-12")
    folder = tmp_path / "Rivera_Alex"
    folder.mkdir()
    (folder / "1988-04-12.yaml").write_text(text)
    result = tplan("lint", "--today", "2026-04-01", "Rivera_Alex/1988-04-12.yaml", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Rivera_Alex/1988-04-12.yaml:7:9: P801 warning the file's path contains the client's name, which then shows in logs and git history; rename it after "
            "the plan id (TP-TEST-0001.yaml)",
        "Rivera_Alex/1988-04-12.yaml:8:18: P801 warning the file's path contains the client's date of birth, which then shows in logs and git history; rename "
            "it after the plan id (TP-TEST-0001.yaml)",
    ]
    messages = " ".join(line.split(" warning ", 1)[1] for line in lines[:2])
    for secret in ("Alex", "alex", "Rivera", "rivera", "1988", "19880412"):
        assert secret not in messages
    assert result.returncode == 1


def test_the_suggested_name_is_left_out_when_the_id_holds_the_name(tplan, tmp_path):
    text = MINIMAL.read_text().replace("id: TP-TEST-0001", "id: test-person-1")
    (tmp_path / "test-person.yaml").write_text(text)
    result = tplan("lint", "--today", "2026-04-01", "test-person.yaml", cwd=tmp_path)
    assert "P801 warning the file's path contains the client's name, which then shows in logs and git history; rename it after the plan id\n" in result.stdout
    assert "test-person-1" not in result.stdout.split("P801", 1)[1]


def test_t601_repeats_only_tplans_own_placeholders(tmp_path):
    """A clinician's own note in angle brackets may be about the client: it is not echoed."""
    from conftest import MINIMAL, run_tplan

    plan = tmp_path / "plan.yaml"
    plan.write_text(
        MINIMAL.read_text()
        .replace("client_words: I want to stop lying awake worrying.", "client_words: <Maria, about husband Peter>")
        .replace("    baseline: 14\n", "    baseline: <baseline score>\n")
    )
    out = run_tplan("lint", "--today", "2026-04-01", str(plan)).stdout
    assert "Maria" not in out and "Peter" not in out
    assert "fill in goals[0].client_words: placeholder '<…>' is still there" in out
    assert "fill in goals[0].baseline: placeholder '<baseline score>' is still there" in out
