"""`tplan render --redact`: every form of each structured identifier leaves free text, in both
Markdown and HTML (issue 20, "--redact misses"). The example client is invented."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from conftest import EXAMPLES, run_tplan

from tplan.render.redact import redact

# How each identifier of examples/burnout.yaml (Renata Szabo, born 1989-02-23, +1-555-0147,
# "9 Harbour View Court, Millbrook", member id CVH-88120457, sister Ilona Szabo +1-555-0148)
# may be typed in a note, and what must replace it.
VARIANTS = {
    "[date of birth removed]": ["23/02/1989", "02/23/1989", "23 February 1989", "Feb 23 1989", "19890223",
                                "1989-02-23", "February 23, 1989", "23.02.1989", "23rd of February 1989", "2/23/89"],
    "[phone removed]": ["5550147", "555 0147", "(555) 0147", "+1 555 0147", "1-555-0147", "555.0148"],
    "[address removed]": ["Harbour View Court", "Harbour View", "Millbrook", "9 Harbour View Court"],
    "[id removed]": ["88120457", "CVH88120457", "CVH 88120457"],
}
NAMES = {"Renáta": "R.", "RenataSzabo": "R.S.", "szabo.renata": "R.S.", "Szabo": "S.", "RENATA": "R.", "Ilona": "[sister]"}
# Look-alikes that are not the client's: they stay.
KEPT = ["2026-02-23", "23/02/2026", "born in 1989", "555-0199x", "Harbourside", "88120", "Renatalia"]


def _plan_with_notes(tmp_path):
    text = (EXAMPLES / "burnout.yaml").read_text()
    variants = [v for forms in VARIANTS.values() for v in forms] + list(NAMES)
    note = " | ".join(variants + KEPT)
    old = "  psychiatric: No previous treatment;"
    assert text.count(old) == 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace(old, f"  psychiatric: \"{note} | No previous treatment;", 1).replace(
        "certified by primary care.\n", "certified by primary care.\"\n", 1))
    return plan


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    plan = _plan_with_notes(tmp_path_factory.mktemp("redact"))
    out = {}
    for fmt in ("md", "html"):
        result = run_tplan("render", str(plan), f"--{fmt}", "--redact", "--today", "2026-12-01")
        assert result.returncode == 0, result.stderr
        out[fmt] = result.stdout
    plain = run_tplan("render", str(plan), "--today", "2026-12-01").stdout
    assert all(v in plain for forms in VARIANTS.values() for v in forms)  # the test would see a leak
    return out


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("variant", [v for forms in VARIANTS.values() for v in forms] + list(NAMES))
def test_every_form_of_an_identifier_is_removed(rendered, fmt, variant):
    note = _note(rendered[fmt])
    assert variant not in note.split(" | "), f"{variant!r} left in: {note}"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_each_form_becomes_its_marker_and_look_alikes_stay(rendered, fmt):
    parts = _note(rendered[fmt]).split(" | ")
    expected = [marker for marker, forms in VARIANTS.items() for _ in forms] + list(NAMES.values()) + KEPT
    assert parts[: len(expected)] == expected


def _note(document: str) -> str:
    """The scrubbed psychiatric history line, from its first variant to its last look-alike, as
    the reader sees it (Markdown's backslash escapes and HTML's entities undone)."""
    document = html.unescape(re.sub(r"\\([\[\]|()#*_.-])", r"\1", document))
    start = document.index("[date of birth removed]")
    end = document.index(KEPT[-1]) + len(KEPT[-1])
    return document[start:end]


def test_redact_unit_accents_in_the_plan_and_lists_of_contacts():
    data = {
        "client": {
            "name": "María José García-López", "preferred_name": "Majo", "date_of_birth": "2001-09-07",
            "emergency_contact": [{"name": "Ana Rivera", "relationship": "mother", "phone": "+34 600 123 456"}],
            "guardian": {"name": "Luis Rivera", "relationship": "father"},
        },
        "progress": [{"note": "Maria Jose (Majo) Garcia-Lopez, b. 7 Sept 2001, with Ana (600123456) and Luis; Lopez agreed."}],
    }
    reduced, year = redact(data)
    assert year == 2001 and reduced["client"] == {"name": "M.J.G."}
    # Each name part becomes its initial (the accents in the plan do not matter); contacts in a list
    # and the guardian become their relationship; "7 Sept 2001" is the date of birth.
    assert reduced["progress"][0]["note"] == (
        "M. J. (M.) G., b. [date of birth removed], with [mother] ([phone removed]) and [father]; L. agreed."
    )
    assert dt.date(2001, 9, 7).isoformat() not in str(reduced)


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_every_example_renders_redacted(example):
    """stress-management.yaml failed: its authorization number PA-2026-55819 made every "2026" an
    id, so the onset "2026-03" became "[id removed]-03" and the redacted plan broke the format."""
    result = run_tplan("render", str(EXAMPLES / f"{example}.yaml"), "--redact", "--today", "2026-12-01")
    assert result.returncode == 0, result.stderr
    assert "[id removed]-" not in result.stdout


def test_a_year_inside_an_id_is_not_an_identifier_on_its_own():
    plan = {
        "client": {"name": "Test Person", "insurance": {"member_id": "LMH-40219876", "authorization": {"number": "PA-2026-55819"}}},
        "problems": [{"id": "P1", "onset": "2026-03", "statement": "Since March 2026; ref PA 2026 55819, PA-2026-55819 and 55819."}],
    }
    out, _ = redact(plan)
    problem = out["problems"][0]
    assert problem["onset"] == "2026-03"
    assert "55819" not in problem["statement"] and "PA" not in problem["statement"]
    assert problem["statement"].startswith("Since March 2026; ref [id removed]")


def test_a_redaction_that_breaks_the_plan_is_reported_as_tplans_fault(monkeypatch):
    """Not "0 findings above": the plan is valid, only its reduced copy is not."""
    import tplan.render.redact as redaction

    monkeypatch.setattr(redaction, "redact", lambda data: ({**data, "status": "[id removed]"}, None))
    result = run_tplan("render", str(EXAMPLES / "burnout.yaml"), "--redact", "--today", "2026-12-01")
    assert result.returncode == 2
    assert "redacted copy does not match the plan format" in result.stderr and "please report it" in result.stderr
    assert "0 findings" not in result.stderr and result.stdout == ""
