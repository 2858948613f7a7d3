"""`tplan report` on a fixed caseload (tests/fixtures/caseload/), checked by hand.

PHQ-9 (S_diff = sqrt(2) x 2.5 = 3.5355, so a reliable change is 6.93 points; recovered below 10):
  case-0001 20 → 9   change -11  RC +3.11  recovered
  case-0002 20 → 12  change  -8  RC +2.26  reliable improvement (12 is still clinical)
  case-0003 12 → 20  change  +8  RC -2.26  reliable deterioration
  case-0004 16 → 15  change  -1  RC +0.28  no reliable change
  case-0006 18, no score yet: a plan on PHQ-9, not a client with two scores
  → plans 5, clients 4, mean (-11 - 8 + 8 - 1) / 4 = -3, median of -11 -8 -1 8 = -4.5,
    improvement 2/4 = 50%, recovered 1/4 = 25%, deterioration 25%, no change 25%.
GAD-7 (no published reliability basis): case-0005 14 → 12, change -2; no percentages.
Goals: case-0001 met (2026-05-20), case-0003 revised (2026-04-10), case-0004 discontinued (2026-06-20).
Reviews (interval 90 days from 2026-03-02, due 2026-05-31): case-0001 on 2026-05-20 (on time),
case-0002 on 2026-06-15 (late); on 2026-07-01 four active plans are still at reviews.next 2026-05-30.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tplan.loader import load_text

CASELOAD = Path(__file__).parent / "fixtures" / "caseload"
TODAY = "2026-07-01"

MEASURES = """\
| measure | plans | clients with ≥ 2 scores | mean change | median change | reliable improvement | recovered | reliable deterioration | no reliable change |
|---|--:|--:|--:|--:|--:|--:|--:|--:|
| PHQ-9 | 5 | 4 | -3 | -4.5 | 50% | 25% | 25% | 25% |
| GAD-7 | 1 | 1 | -2 | -2 | — | — | — | — |
"""

TOTALS = """\
| count | number |
|---|--:|
| goals met | 1 |
| goals revised | 1 |
| goals discontinued | 1 |
| reviews held on time | 1 |
| reviews held late | 1 |
| active plans with a review overdue now | 4 |
"""


def report(tplan, *args: str, path: Path = CASELOAD):
    result = tplan("report", "--today", TODAY, *args, str(path))
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_markdown_table_is_the_hand_checked_one(tplan):
    out = report(tplan)
    assert out.startswith("# Caseload outcomes\n\n6 plans; period: all dates; report date 2026-07-01.\n")
    assert MEASURES in out
    assert TOTALS in out


def test_json_has_the_same_figures(tplan):
    data = json.loads(report(tplan, "--format", "json"))
    phq9, gad7 = data["measures"]
    assert (phq9["measure"], phq9["plans"], phq9["clients"], phq9["assessable"]) == ("PHQ-9", 5, 4, 4)
    assert (phq9["mean_change"], phq9["median_change"]) == (-3, -4.5)
    assert (phq9["improved"], phq9["recovered"], phq9["deteriorated"], phq9["no_change"]) == (2, 1, 1, 1)
    assert phq9["percent"] == {"reliable_improvement": 50.0, "recovered": 25.0, "reliable_deterioration": 25.0, "no_reliable_change": 25.0}
    assert (gad7["measure"], gad7["clients"], gad7["assessable"], gad7["percent"]["recovered"]) == ("GAD-7", 1, 0, None)
    assert data["goals"] == {"met": 1, "revised": 1, "discontinued": 1}
    assert (data["reviews_on_time"], data["reviews_late"], data["reviews_overdue_now"]) == (1, 1, 4)
    assert data["plans"] == 6 and data["not_counted"] == {}
    assert "by_plan" not in data


def test_html_is_self_contained_with_an_inline_svg_per_assessable_measure(tplan):
    html = report(tplan, "--format", "html")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower() and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert html.count("<svg") == 1  # PHQ-9 only: GAD-7 has no classes to chart
    # four classes of one client each out of four: four 150-pixel segments of the 600-pixel bar
    for n, cls in enumerate(("recovered", "improved", "nochange", "deteriorated")):
        assert f'<rect class="{cls}" x="{n * 150}.0" y="0" width="150.0" height="28" transform="translate(90.0 0)">' in html
    assert "PHQ-9 outcomes: recovered 1 of 4; reliable improvement, not recovered 1 of 4; no reliable change 1 of 4; reliable deterioration 1 of 4" in html
    assert (
        "<td>PHQ-9</td><td class=\"num\">5</td><td class=\"num\">4</td><td class=\"num\">-3</td><td class=\"num\">-4.5</td>"
        "<td class=\"num\">50%</td>"
    ) in html


def identifiers(folder: Path) -> set[str]:
    """Every name in the inputs (clients, clinicians) and each part of it, dates of birth, file names and paths."""
    found: set[str] = set()
    for path in folder.glob("*.yaml"):
        data = load_text(path.read_text(encoding="utf-8")).data
        for name in (data["client"]["name"], data["clinician"]["name"]):
            found.add(name)
            found.update(part for part in name.split() if len(part) > 2)
        found.add(str(data["client"]["date_of_birth"]))
        found.add(path.name)
        found.add(str(path))
    return found


def leaked(names: set[str], out: str) -> list[str]:
    """The names that occur in the output as words ("Hart" in "chart" is not a leak)."""
    return sorted(n for n in names if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", out, re.IGNORECASE))


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_no_client_identifiers_and_no_plan_ids_without_by_plan(tplan, fmt):
    out = report(tplan, "--format", fmt)
    names = identifiers(CASELOAD)
    assert len(names) > 20
    assert leaked(names, out) == []
    assert not re.search(r"TP-CASE-\d+", out)
    initials = ["R.Q.", "I.V.", "T.W.", "E.H.", "C.M.", "W.O."]
    assert not any(i in out for i in initials)


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_by_plan_is_the_only_way_plan_ids_appear(tplan, fmt):
    out = report(tplan, "--by-plan", "--format", fmt)
    assert sorted(set(re.findall(r"TP-CASE-\d+", out))) == ["TP-CASE-0001", "TP-CASE-0002", "TP-CASE-0003", "TP-CASE-0004", "TP-CASE-0005"]
    assert leaked(identifiers(CASELOAD), out) == []


def test_by_plan_rows(tplan):
    out = report(tplan, "--by-plan")
    assert "| TP-CASE-0001 | PHQ-9 | 20 | 9 | -11 | recovered |" in out
    assert "| TP-CASE-0002 | PHQ-9 | 20 | 12 | -8 | reliable improvement |" in out
    assert "| TP-CASE-0003 | PHQ-9 | 12 | 20 | 8 | reliable deterioration |" in out
    assert "| TP-CASE-0004 | PHQ-9 | 16 | 15 | -1 | no reliable change |" in out
    assert "| TP-CASE-0005 | GAD-7 | 14 | 12 | -2 | — |" in out


def test_period_limits_scores_and_reviews(tplan):
    # From 2026-03-10 the baselines (dated at `created`, 2026-03-02) are outside: one score each.
    data = json.loads(report(tplan, "--from", "2026-03-10", "--format", "json"))
    assert [(m["measure"], m["plans"], m["clients"]) for m in data["measures"]] == [("PHQ-9", 5, 0), ("GAD-7", 1, 0)]
    assert data["period"] == {"from": "2026-03-10", "to": None}
    # Up to 2026-06-01 the late review of 2026-06-15 is not counted.
    data = json.loads(report(tplan, "--to", "2026-06-01", "--format", "json"))
    assert (data["reviews_on_time"], data["reviews_late"]) == (1, 0)
    assert data["goals"] == {"met": 1, "revised": 1, "discontinued": 0}  # discontinued on 2026-06-20
    assert data["measures"][0]["clients"] == 4


def test_bad_options_are_usage_errors(tplan):
    for args, message in (
        (["--format", "pdf"], "--format must be md, html or json (got 'pdf')"),
        (["--from", "2026-07-01", "--to", "2026-03-01"], "--from 2026-07-01 is after --to 2026-03-01"),
        (["--from", "July"], "--from must be a date written as YYYY-MM-DD"),
    ):
        result = tplan("report", *args, str(CASELOAD))
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_unreadable_and_invalid_plans_are_counted_not_named(tplan, tmp_path):
    for path in CASELOAD.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken-Rowan.yaml").write_text("tplan: 1\nid: [unclosed\n", encoding="utf-8")
    text = (CASELOAD / "case-0004.yaml").read_text(encoding="utf-8").replace("status: active", "status: actve")
    (tmp_path / "case-0004.yaml").write_text(text, encoding="utf-8")
    result = tplan("report", "--today", TODAY, str(tmp_path))
    assert result.returncode == 2  # a plan could not be read, as in `tplan status`
    assert "5 plans;" in result.stdout
    assert "Not counted: 1 invalid, 1 unreadable (run `tplan lint` on the folder)." in result.stdout
    assert "broken" not in result.stdout and "Rowan" not in result.stdout


def test_output_file_is_not_overwritten_without_force(tplan, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    result = tplan("report", "--today", TODAY, "--format", "html", "-o", str(target), str(CASELOAD))
    assert result.returncode == 2 and "already exists; use --force" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    result = tplan("report", "--today", TODAY, "--format", "html", "-o", str(target), "--force", str(CASELOAD))
    assert result.returncode == 0 and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_reads_each_plan_once(monkeypatch):
    """One load and one validation per plan: the report shares the linter's check_text."""
    import datetime as dt

    import tplan.linter as linter
    from tplan.caseload import Period, collect_facts
    from tplan.linter import LintSettings
    from tplan.measures import load_catalogue

    loads = []
    real = linter.load_text
    monkeypatch.setattr(linter, "load_text", lambda text, **kw: loads.append(1) or real(text, **kw))
    files = sorted(str(p) for p in CASELOAD.glob("*.yaml"))
    results = collect_facts(files, LintSettings(today=dt.date(2026, 7, 1), select=("E",)), load_catalogue(), Period(), jobs=1)
    assert len(loads) == len(files) == len(results)
    assert all(not isinstance(r, str) for r in results)


def test_examples_report_prints_the_caseload_table(tplan):
    """Issue 17's "done when": `tplan report examples/` prints the caseload table."""
    out = report(tplan, path=Path(__file__).parent.parent / "examples")
    assert "4 plans;" in out
    assert "| PHQ-9 | 1 | 1 | -6 | -6 | 0% | 0% | 0% | 100% |" in out  # 14 → 8: RC 1.70, not reliable
