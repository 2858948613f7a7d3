"""What lint output may quote (docs/privacy.md): tplan's own words, the plan's ids, and a user's
key or value only when it is a typo of a known one. Invented people only."""

from __future__ import annotations

import json
import os

import pytest
from conftest import MINIMAL, run_tplan
from timing import LINEAR_LIMIT_FOR_10X, cpu_seconds

from tplan.linter import LintSettings, lint_text
from tplan.measures import load_catalogue

FORMATS = ("text", "json", "sarif", "github")
# What the stuffed plans hide in every wrong place; none of it may appear in any output.
SECRETS = ("Renata", "renata", "Szabo", "szabo", "5550147", "0147", "uncle", "abused", "sleeps", "asked")

# Schema-level leaks (they stop the other rules, hence a second plan below).
SCHEMA_PLAN = """\
tplan: 1
id: TP-TEST-0001
status: Renata Szabo
created: 2026-03-02
Renata: sleeps better
client:
  name: Renata Szabo
  date_of_birth: 1989-02-23
  Renata: sleeps better
  phone: 555-0147
clinician:
  name: Dana Example
diagnoses:
  - {code: F41.1, description: Generalized anxiety disorder}
history:
  Renata said she was abused by her uncle: yes
presenting_problems:
  - id: P1
    summary: Worry most days about work and health.
    severity: Szabo
goals:
  - id: G1
    addresses: [P1]
    term: Renata 555-0147
    statement: Reduce worry to the mild range on GAD-7.
    measure: GAD-7
    baseline: 14
    target: "<= 9"
    deadline: 2026-05-25
    Renata Szabo 555-0147: x
    Renata Szabo 555-0147: y
interventions:
  - {id: I1, name: CBT, goals: [G1], frequency: weekly}
reviews:
  interval_days: 90
  next: 2026-05-30  # tplan: disable=Renata-Szabo because Renata asked
"""


def _rules_plan() -> str:
    """A plan that passes the schema, with client text where rules look: as a diagnosis code, a
    measure, a custom measure's name, reference ids and a suppression."""
    text = MINIMAL.read_text()
    for old, new in [
        ("Test Person", "Renata Szabo"),
        ("code: F41.1", "code: Renata 555-0147"),
        ("    measure: GAD-7\n", "    measure: Renata5550147\n"),
        ("addresses: [P1]", "addresses: [Renata]"),
        ("goals: [G1]\n    frequency", "goals: [Szabo]\n    frequency"),
        ("measure: {name: relaxation practice, unit: days/week,", "measure: {name: Renata Szabo diary,"),
        ('npi: "1234567893"', 'npi: "Renata 5550147"'),
        ("score: 12, goals: [G1]", "score: 12, goals: [Renata]"),
        ("  next: 2026-05-30", "  next: 2026-05-30  # tplan: disable=Renata,S103 Renata asked"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def stuffed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stuffed")
    (folder / "schema.yaml").write_text(SCHEMA_PLAN)
    (folder / "rules.yaml").write_text(_rules_plan().replace("TP-TEST-0001", "TP-TEST-0002"))
    return folder


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_client_text_in_any_format(stuffed, fmt):
    result = run_tplan("lint", "--today", "2026-04-01", "--format", fmt, ".", cwd=stuffed)
    assert result.returncode == 1, result.stderr
    out = result.stdout + result.stderr
    leaked = [s for s in SECRETS if s in out]
    assert leaked == [], f"{leaked} in:\n{out}"
    # The findings are all still there, named by code and position.
    for code in ("E003", "E004", "E006", "X901", "C403", "G203", "S111", "S112"):
        assert code in out, code


def test_messages_name_the_place_instead(stuffed):
    out = run_tplan("lint", "--today", "2026-04-01", ".", cwd=stuffed).stdout
    expected = [f"./{line}" for line in [
        "schema.yaml:3:9: E003 error status is not one of 'draft', 'active', 'closed'",
        "schema.yaml:5:1: E004 error an unknown key in the top level of the plan; did you mean 'created'? Or, for a clinic's own data, start the key with 'x-'",
        "schema.yaml:16:3: E004 error an unknown key in history (if this line is text, indent it under the key it belongs to, or put it in quotes)",
        "schema.yaml:20:15: E003 error presenting_problems[0].severity is not one of 'mild', 'moderate', 'severe'",
        "schema.yaml:24:11: E003 error goals[0].term is not one of 'short', 'long'",
        "schema.yaml:31:5: E006 error a key in goals[0] appears twice; only the last value counts",
        "schema.yaml:36:21: X901 warning unused suppression '# tplan: disable=…': a name that is not a rule code",
        "rules.yaml:13:12: C403 error diagnosis code is not a well-formed ICD-10-CM code",
        "rules.yaml:20:17: G203 error goal G1 addresses an id that no presenting problem has",
        "rules.yaml:24:14: S111 warning the measure is a name that is not in the catalogue; see `tplan measures`, or use a custom measure with a unit",
        "rules.yaml:31:18: S112 warning the custom measure of objective G1.1 has no unit",
        "rules.yaml:39:13: G203 error intervention I1 serves an id that no goal or objective has",
    ]]
    for line in expected:
        assert line in out.splitlines(), f"{line!r} not in:\n{out}"


def test_json_and_sarif_paths_mask_unknown_keys(stuffed):
    data = json.loads(run_tplan("lint", "--today", "2026-04-01", "--format", "json", "schema.yaml", cwd=stuffed).stdout)
    paths = {f["yaml_path"] for f in data["findings"] if f["code"] in ("E004", "E006")}
    # `phone` is a key of the format (under client.contact), so naming it says nothing about the client.
    assert paths == {"<unknown key>", "client.<unknown key>", "client.phone", "history.<unknown key>", "goals[0].<unknown key>"}


def _lint(text: str) -> list[str]:
    result = lint_text(text, "plan.yaml", LintSettings(today=__import__("datetime").date(2026, 4, 1)), load_catalogue(None))
    return [f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics]


@pytest.mark.parametrize("old, new, expected", [
    ("    deadline: 2026-05-25\n", "    deadlin: 2026-05-25\n",
     "27:5 E004 unknown key 'deadlin' in goals[0]; did you mean 'deadline'?"),
    ("status: active", "status: actve", "4:9 E003 status 'actve' is not one of 'draft', 'active', 'closed'; did you mean 'active'?"),
    ("status: active", "status: Active", "4:9 E003 status 'Active' is not one of 'draft', 'active', 'closed'; did you mean 'active'?"),
    ("    deadline: 2026-05-25\n", "    deadline: 2026-02-30\n",
     "27:15 E003 goals[0].deadline 2026-02-30 is not a real date (February 2026 has 28 days)"),
    ("    deadline: 2026-05-25\n", "    deadline: 2028-02-30\n",
     "27:15 E003 goals[0].deadline 2028-02-30 is not a real date (February 2028 has 29 days)"),
    ("    deadline: 2026-05-25\n", "    deadline: 2026-13-01\n",
     "27:15 E003 goals[0].deadline 2026-13-01 is not a real date (there is no month 13; write YYYY-MM-DD)"),
    ("    severity: moderate\n", "    severity: moderate\n    Renata: x\n",
     "18:5 E004 an unknown key in presenting_problems[0] (if this line is text, indent it under the key it belongs to, or put it in quotes)"),
    ("addresses: [P1]", "addresses: [P2]", "20:17 G203 goal G1 addresses P2, but there is no presenting problem P2; did you mean 'P1'?"),
    ("    measure: GAD-7\n", "    measure: GAD-8\n", "24:14 S111 measure 'GAD-8' is not in the catalogue; did you mean 'GAD-7'?"),
    ("    measure: GAD-7\n", "    measure: GAD-7 Renata\n",
     "24:14 S111 the measure is a name that is not in the catalogue; see `tplan measures`, or use a custom measure with a unit"),
    ("      - id: G1.1\n", "      - id: G1\n", "29:13 G204 id G1 is used twice (first at goals[0])"),
    ("  next: 2026-05-30", "  next: 2026-05-30  # tplan: "
        "disable=S1O7", "46:21 X901 unused suppression '# tplan: disable=S1O7': 'S1O7' is not a rule code; did you mean 'S107' (deadline-too-far)?"),
])
def test_near_misses_are_quoted_with_one_hint_format(old, new, expected):
    text = MINIMAL.read_text()
    assert text.count(old) == 1
    assert expected in _lint(text.replace(old, new))


def test_a_near_miss_value_that_is_a_name_is_still_not_quoted():
    """'Renate' is one letter from a declared id 'Renata'? No: ids without a digit are never
    quoted back, since a name fits the id pattern too."""
    text = MINIMAL.read_text().replace("id: P1\n", "id: Renate\n").replace("addresses: [P1]", "addresses: [Renata]")
    lines = _lint(text)
    assert "20:17 G203 goal G1 addresses an id that no presenting problem has; did you mean 'Renate'?" in lines
    assert not any("Renata" in line for line in lines)


def _crafted_file(folder) -> str:
    name = "x\n::error file=evil::injected\x1b[2K\u202e.yaml"
    (folder / name).write_text(MINIMAL.read_text().replace("    deadline: 2026-05-25\n", ""))
    return name


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_in_file_names_cannot_start_a_line(tmp_path, fmt):
    _crafted_file(tmp_path)
    out = run_tplan("lint", "--today", "2026-04-01", "--format", fmt, ".", cwd=tmp_path).stdout
    lines = out.splitlines()
    assert len(lines) == (2 if fmt == "text" else 1), out  # one finding (S103), plus the text summary
    assert not any(line.startswith("::error file=evil") for line in lines)
    assert "\x1b" not in out and "\u202e" not in out
    shown = "x\\n::error file=evil::injected\\x1b[2K\\u202e.yaml"
    assert (shown if fmt == "text" else shown.replace(":", "%3A").replace("\\n", "%0A")) in out


def test_escaping_unit():
    from tplan.reporters.escape import file_name, one_line
    from tplan.reporters.github import escape_data

    assert one_line("a\r\nb\tc\x00\x7f\x85\u2028\u2066") == "a\\r\\nb\\tc\\x00\\x7f\\x85\\u2028\\u2066"
    assert one_line("Früh-Plan 1.yaml") == "Früh-Plan 1.yaml"
    assert file_name(os.fsdecode(b"caf\xe9.yaml")) == "caf\\xe9.yaml"
    assert escape_data("50%\n::error::x\x1b") == "50%25%0A::error::x\\x1b"


def test_json_writes_a_file_name_that_is_not_utf8(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.yaml")
    with open(raw, "w") as f:
        f.write(MINIMAL.read_text().replace("    deadline: 2026-05-25\n", ""))
    result = run_tplan("lint", "--today", "2026-04-01", "--format", "json", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == ["./caf\\xe9.yaml"]


def _unknown_keys_plan(n: int) -> str:
    extra = "".join(f"  unknown_key_{i}: {i}\n" for i in range(n))
    return MINIMAL.read_text().replace("  name: Test Person\n", "  name: Test Person\n" + extra)


def test_unknown_key_messages_are_linear():
    """20,000 unknown keys: the whole lint (messages and positions) costs about 10x for 10x the
    keys, not 100x (6.6 s before)."""
    from tplan.linter import LintSettings, lint_text
    from tplan.measures import builtin_catalogue

    def lint(n: int) -> None:
        result = lint_text(_unknown_keys_plan(n), "plan.yaml", LintSettings(), builtin_catalogue())
        assert sum(d.code == "E004" for d in result.diagnostics) == n

    small, large = cpu_seconds(lambda: lint(2000)), cpu_seconds(lambda: lint(20000), repeat=2)
    assert large <= LINEAR_LIMIT_FOR_10X * small, f"2,000 keys {small:.3f}s, 20,000 keys {large:.3f}s"
