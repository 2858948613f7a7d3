"""`tplan render`: golden documents, escaping, redaction, lint banner, errors, and a real browser.

Golden files: tests/golden/<example>.md and .html are the examples rendered with --today
2026-12-01. After an intended change to the templates, regenerate them and review the diff:

    TPLAN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py -k golden

The browser test needs Debian's `chromium` (`.ci/run` installs it with apt-get); without it the
test fails rather than skips, so CI cannot pass without having looked at the page.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import os
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, fresh_lint_of_the_examples, imported_modules

GOLDEN = ROOT / "tests" / "golden"
TODAY = "2026-12-01"
UPDATE = os.environ.get("TPLAN_UPDATE_GOLDEN") == "1"


def no_traceback(result) -> bool:
    return "Traceback" not in result.stdout + result.stderr


# ---- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("example", ["burnout", "stress-management", "attachment", "minor-episode"])
def test_golden(tplan, example, fmt):
    result = tplan("render", str(EXAMPLES / f"{example}.yaml"), f"--{fmt}", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / f"{example}.{fmt}"
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; create it with TPLAN_UPDATE_GOLDEN=1"
    assert result.stdout == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, regenerate with TPLAN_UPDATE_GOLDEN=1 and review the diff"
    )


# ---- what the document shows -----------------------------------------------------------------


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def test_html_is_self_contained_and_accessible(tplan):
    result = tplan("render", str(EXAMPLES / "burnout.yaml"), "--html", "--today", TODAY)
    page = parse(result.stdout)
    names = [t for t, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    for tag, attrs in page.tags:
        for key in ("src", "href"):
            if attrs.get(key) is not None:
                assert attrs[key].startswith("#"), f"<{tag} {key}={attrs[key]}> leaves the document"
    assert "url(" not in result.stdout and "@import" not in result.stdout
    headings = [int(t[1]) for t in names if re.fullmatch(r"h[1-6]", t)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(headings)), "a heading level is skipped"
    assert names.count("th") > 20 and all(a.get("scope") for t, a in page.tags if t == "th")
    svgs = [a for t, a in page.tags if t == "svg"]
    # the goals and objectives with progress scores: PHQ-9 (G1), G1.1, CBI (G2), G2.1, WHO-5 (G4)
    assert len(svgs) == 5
    assert all(a.get("role") == "img" and a.get("aria-labelledby") and a.get("aria-describedby") for a in svgs)
    # print (issue 16): headings stay with what follows, table headers repeat, no forced page breaks
    assert "@media print" in result.stdout and "break-after: avoid" in result.stdout
    assert "thead { display: table-header-group; }" in result.stdout and "break-before: page" not in result.stdout


def test_every_section_in_reading_order(tplan):
    out = tplan("render", str(EXAMPLES / "burnout.yaml"), "--today", TODAY).stdout
    order = [
        "## Client", "## Clinician", "## Diagnoses", "## Presenting problems", "## History", "## Assessments",
        "## Strengths", "## How the plan fits together", "## Goals and objectives", "## Interventions",
        "## Schedule", "## Progress", "## Reviews", "## Follow-up", "## Discharge criteria",
        "## Accommodations", "## Risk and safety plan", "## Consent and signatures",
    ]
    positions = [out.index(heading + "\n") for heading in order]
    assert positions == sorted(positions)


def test_empty_sections_are_omitted(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("progress:\n  - {date: 2026-03-20, measure: GAD-7, score: 12, goals: [G1]}\n", ""))
    for fmt in ("md", "html"):
        out = tplan("render", str(plan), f"--{fmt}", "--today", "2026-04-01").stdout
        for absent in ("Progress", "Reviews", "Follow-up", "Accommodations", "Strengths", "History", "Assessments"):
            assert not re.search(rf"(## |<h2>){absent}\b", out), absent
        assert "<svg" not in out  # no scores, no chart


def test_golden_thread_links_problem_goals_and_interventions(tplan):
    out = tplan("render", str(EXAMPLES / "burnout.yaml"), "--today", TODAY).stdout
    thread = out.split("## How the plan fits together")[1].split("## Goals")[0]
    rows = [r for r in thread.splitlines() if r.startswith("| ") and not r.startswith("| Presenting")]
    assert rows[0].startswith("| P1: Exhaustion")
    assert "| G2: Reduce burnout" in rows[0] and "I1: CBT for burnout" in rows[0] and "I3: Time-management" in rows[0]
    assert any(r.startswith("| P2: Low mood") and "| G1: Reduce depressive" in r and "I6: Collaborative safety" in r for r in rows)


def test_status_agrees_with_attainment(tplan, tmp_path):
    """A goal whose score has not moved is 'behind' in the document, as attainment() says."""
    from tplan.attainment import attainment
    from tplan.linter import validate
    from tplan.loader import load_text
    from tplan.measures import load_catalogue

    text = MINIMAL.read_text().replace("score: 12, goals: [G1]}", "score: 14, goals: [G1]}").replace("2026-03-20", "2026-05-01")
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(text)
    doc = load_text(text)
    plan, _ = validate(doc.data, doc)
    expected = attainment(plan.goals[0], plan, load_catalogue(), _dt.date(2026, 5, 2)).status.value
    assert expected == "behind"
    md = tplan("render", str(plan_file), "--today", "2026-05-02").stdout
    assert "| G1 goal | GAD-7 | 14 | ≤ 9 | 2026-05-25 | 14 (2026-05-01) | behind, flat |" in md
    html = tplan("render", str(plan_file), "--html", "--today", "2026-05-02").stdout
    assert '<span class="status status-behind">behind</span>' in html


def test_attainment_finds_the_same_scores_as_scores_for_on_every_goal_and_objective(tmp_path):
    """attainment() matches progress entries by its measure's label, case-folded, instead of a
    second catalogue look-up: the same key as measure_key, on every measure the examples, the
    templates and a custom, an alias and an unknown measure use."""
    from tplan.attainment import attainment, measure_key, scores_for
    from tplan.linter import validate
    from tplan.loader import LoadError, load_text
    from tplan.measures import load_catalogue
    from tplan.targets import measure_info

    catalogue = load_catalogue()
    from conftest import synthetic_corpus

    files = [*sorted(EXAMPLES.glob("*.yaml")), *sorted((ROOT / "src" / "tplan" / "templates").glob("*.yaml")), *synthetic_corpus(tmp_path, 30)]
    checked = 0
    for path in files:
        try:
            doc = load_text(path.read_text(encoding="utf-8"))
        except LoadError:  # a template's catalogue entry, not a plan
            continue
        plan, _ = validate(doc.data, doc)
        if plan is None:
            continue
        for goal in plan.goals:
            for item in [goal, *goal.objectives]:
                assert attainment(item, plan, catalogue, _dt.date(2026, 12, 1)).scores == scores_for(item, plan, catalogue), path.name
                checked += 1
    assert checked > 250
    for measure in ["PHQ-9", "phq9", " gad-7 ", "Days Practiced", "no such scale"]:
        assert measure_key(measure, catalogue) == measure_info(measure, catalogue).label.casefold(), measure


def test_relative_target_is_shown_normalised(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace('target: "<= 9"', 'target: "-50%"'))
    out = tplan("render", str(plan), "--today", "2026-04-01").stdout
    assert "| G1 goal | GAD-7 | 14 | \\-50% (≤ 7) |" in out


# ---- a whole episode of care: status, changes, notes, guardian, supervisor, discharge ----------

EPISODE = EXAMPLES / "minor-episode.yaml"


def test_episode_markdown_shows_status_changes_and_notes(tplan):
    out = tplan("render", str(EPISODE), "--today", TODAY).stdout
    assert "| G1 goal | GAD-7 | 14 | ≤ 9 | 2026-06-01 | 6 (2026-11-16) | met, improving | met since 2026-06-08 |" in out
    assert "| G2 goal | GAS | \\-2 | ≥ 1 | 2026-11-30 | 1 (2026-11-16) | met, improving | revised since 2026-09-07 |" in out
    g2 = out.split("### G2:")[1].split("## Interventions")[0]
    assert "| 2026-09-07 | G2 | target | \\>= 0 | \\>= 1 | reached the expected level early; she wants to go every week |" in g2
    progress = out.split("## Progress")[1].split("## Reviews")[0]
    assert "| 2026-03-23 | session note | — |  | Made a worry-time plan with her mother; chose the first three exposure steps. |" in progress
    assert "| 2026-05-04 | CORE-10 | 13 |  |  |" in progress  # a monitoring score on a catalogue measure


def test_episode_markdown_shows_people_signatures_and_discharge(tplan):
    out = tplan("render", str(EPISODE), "--today", TODAY).stdout
    assert "- **Preferred name:** Mimi\n" in out and "- **Language:** en\n" in out
    assert "- **Emergency contacts:** Grace Okonkwo-Hale (mother), +1-555-0172; Tobias Hale (father), +1-555-0173\n" in out
    assert "- **Guardian:** Grace Okonkwo-Hale (mother), +1-555-0172; authority: parent\n" in out
    assert "- **Supervisor:** Jonah Whitcombe, LPC-S (license LPC-11205)\n" in out
    signatures = out.split("## Consent and signatures")[1]
    assert (
        "| Client (assent) | Mira Okonkwo-Hale | 2026-03-09 |\n"
        "| Guardian | Grace Okonkwo-Hale (mother) | 2026-03-09 |\n"
        "| Clinician | Priya Lindqvist, LPC-Associate | 2026-03-09 |\n"
        "| Supervisor | Jonah Whitcombe, LPC-S | 2026-03-10 |\n"
    ) in signatures
    discharge = out.split("## Discharge\n")[1].split("## Discharge criteria")[0]
    assert "- **Discharged:** 2026-11-23\n- **Reason:** Goals met\n" in discharge
    assert "GAD-7 at 6 and back at weekly swim club" in discharge and "| School counsellor | check-ins before exams |  |" in discharge
    assert "**Protective factors**\n\n- Close, supportive mother and grandmother\n" in out
    assert "**Resources given to the client**\n\n- 988 Suicide \\& Crisis Lifeline (call or text 988)\n" in out


def test_episode_gas_levels_mark_baseline_target_and_current(tplan):
    out = tplan("render", str(EPISODE), "--today", TODAY).stdout
    levels = out.split("**Goal Attainment Scaling levels for G2**")[1].split("**Changes")[0]
    rows = [r for r in levels.splitlines() if r.startswith("| ") and not r.startswith("| Level")]
    assert rows == [
        "| \\-2 (much less than expected) | Does not go to the pool at all. | baseline |",
        "| \\-1 (somewhat less than expected) | Goes to the pool with her mother outside club hours. |  |",
        "| 0 (the expected outcome) | Goes to two club sessions a month. |  |",
        "| \\+1 (somewhat more than expected) | Goes to club sessions every week. | target or better, current |",
        "| \\+2 (much more than expected) | Goes every week and swims in a club gala. |  |",
    ]
    assert "Goal Attainment Scaling levels" not in out.split("### G2:")[0]  # not on a scored goal


def test_episode_html_shows_the_same(tplan):
    html = tplan("render", str(EPISODE), "--html", "--today", TODAY).stdout
    text = " ".join("".join(parse(html).text).split())
    for shown in ("met since 2026-06-08", "revised since 2026-09-07", "Changes at reviews", "session note",
                  "Client (assent): Mira Okonkwo-Hale", "Guardian: Grace Okonkwo-Hale (mother)",
                  "Supervisor: Jonah Whitcombe, LPC-S", "Goals met", "Protective factors",
                  "Resources given to the client", "Goal Attainment Scaling levels for G2", "target or better, current"):
        assert shown in text, shown
    assert '<section id="discharge-record" class="major">' in html and '<tr class="gas-current">' in html
    assert html.count('<tr class="narrative">') == 2


def _episode_variant(tmp_path, change) -> str:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(EPISODE.read_text())
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(json.dumps(data, default=str, indent=1))
    return str(path)


def _signature_rows(tplan, path) -> list[str]:
    out = tplan("render", path, "--today", TODAY).stdout
    return [r for r in out.split("## Consent and signatures")[1].splitlines() if r.startswith("| ") and not r.startswith("| Signed")]


def test_signatures_follow_who_must_sign(tplan, tmp_path):
    def adult(d):
        d["client"]["date_of_birth"] = "1990-01-02"
        del d["client"]["guardian"], d["clinician"]["supervisor"], d["consent"]["guardian_signed"], d["consent"]["supervisor_signed"]

    assert _signature_rows(tplan, _episode_variant(tmp_path, adult)) == [
        "| Client | Mira Okonkwo-Hale | 2026-03-09 |", "| Clinician | Priya Lindqvist, LPC-Associate | 2026-03-09 |",
    ]

    def minor_without_guardian_record(d):  # a minor (counted at `created`, as C401 does) still needs a guardian's line
        del d["client"]["guardian"], d["consent"]["guardian_signed"], d["consent"]["client_signed"]

    rows = _signature_rows(tplan, _episode_variant(tmp_path, minor_without_guardian_record))
    assert rows[:2] == ["| Client (assent) | Mira Okonkwo-Hale | not signed |", "| Guardian | guardian not named | not signed |"]

    def turns_18_after_created(d):  # 17 on `created`, 18 by the render date: still a minor for the plan
        d["client"]["date_of_birth"] = "2008-06-01"
        del d["client"]["guardian"]

    assert _signature_rows(tplan, _episode_variant(tmp_path, turns_18_after_created))[0].startswith("| Client (assent) |")


def test_assessment_result_is_shown_instead_of_a_score(tplan, tmp_path):
    def classified(d):
        d["assessments"].append({"instrument": "AAI", "date": "2026-03-10", "result": "dismissing"})

    path = _episode_variant(tmp_path, classified)
    out = tplan("render", path, "--today", TODAY).stdout
    assert "| 2026-03-10 | AAI | dismissing |  |  |  |" in out
    html = tplan("render", path, "--html", "--today", TODAY).stdout
    assert '<td class="num">dismissing</td>' in html


def test_episode_fields_are_escaped(tplan, tmp_path):
    one = " ".join(PAYLOADS) + " line\nbreak | pipe"

    def hostile(d):
        d["client"]["preferred_name"] = d["client"]["guardian"]["name"] = one
        d["client"]["emergency_contact"][1]["name"] = d["clinician"]["supervisor"]["name"] = one
        d["goals"][1]["changes"][0]["reason"] = d["goals"][1]["changes"][0]["to"] = one
        d["goals"][1]["levels"]["+2"] = one
        d["progress"][0]["note"] = d["discharge"]["summary"] = d["discharge"]["referrals"][0]["to"] = one
        d["follow_up"]["resources"] = [one]
        d["risk"]["protective_factors"] = [one]

    path = _episode_variant(tmp_path, hostile)
    html = tplan("render", path, "--html", "--today", TODAY)
    assert html.returncode == 0, html.stderr
    assert_nothing_executable(html.stdout)
    assert "".join(parse(html.stdout).text).count('"><img src=x onerror=alert(1)>') >= 11
    from markdown_it import MarkdownIt

    md = tplan("render", path, "--md", "--today", TODAY)
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(md.stdout)
    assert_nothing_executable(rendered)
    assert "<a " not in rendered
    assert "".join(parse(rendered).text).count('"><img src=x onerror=alert(1)>') >= 11


# ---- escaping --------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert('x')</script>",
    "[click here](javascript:alert(1))",
    '"><img src=x onerror=alert(1)>',
    "<a href='javascript:alert(2)'>link</a>",
    "![pic](https://example.org/t.png)",
    "<https://example.org/autolink>",
]


def hostile_plan(tmp_path) -> str:
    """The minimal plan with every payload in the client's name and in most free-text fields.
    Written as JSON, which is YAML, so no payload can be mangled by YAML quoting."""
    from ruamel.yaml import YAML

    one = " ".join(PAYLOADS) + " line\nbreak | pipe"
    data = YAML(typ="safe").load(MINIMAL.read_text())
    data["client"]["name"] = one
    data["diagnoses"][0]["description"] = one
    data["presenting_problems"][0]["summary"] = one
    goal = data["goals"][0]
    goal["statement"] = goal["client_words"] = one
    goal["objectives"][0]["statement"] = one
    goal["objectives"][0]["measure"]["name"] = one
    data["interventions"][0]["name"] = data["interventions"][0]["modality"] = one
    data["progress"][0]["note"] = one
    data["strengths"] = [one]
    data["x-clinic"] = one
    path = tmp_path / "hostile.yaml"
    path.write_text(json.dumps(data, default=str, indent=1))
    return str(path)


def assert_nothing_executable(html: str) -> None:
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        for key, value in attrs.items():
            assert not key.startswith("on"), f"<{tag} {key}>"
            if key in ("href", "src", "xlink:href", "action"):
                assert value and value.startswith("#"), f"<{tag} {key}={value}>"


def test_xss_nothing_executable_reaches_html(tplan, tmp_path):
    result = tplan("render", hostile_plan(tmp_path), "--html", "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert_nothing_executable(result.stdout)
    text = "".join(parse(result.stdout).text)
    assert "<script>alert('x')</script>" in text  # shown to the reader as text
    assert text.count('"><img src=x onerror=alert(1)>') >= 6


def test_xss_nothing_executable_reaches_markdown(tplan, tmp_path):
    from markdown_it import MarkdownIt

    result = tplan("render", hostile_plan(tmp_path), "--md", "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    # html=True: raw HTML in the Markdown would come through, so its absence is tested for real.
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(result.stdout)
    assert_nothing_executable(html)
    assert "<a " not in html, "plan text became a link"
    text = "".join(parse(html).text)
    assert "[click here](javascript:alert(1))" in text and "<https://example.org/autolink>" in text
    assert text.count('"><img src=x onerror=alert(1)>') >= 6
    assert html.count("<table>") >= 4  # plan text with | and newlines does not break the tables


def test_markdown_escape_keeps_text_and_blocks_markup():
    from markdown_it import MarkdownIt

    from tplan.render.markdown import md_escape

    md = MarkdownIt("commonmark", {"html": True})
    for text in ["# not a heading", "- not a list", "1. not a list", "> not a quote", "a | b", "*x* _y_ `z`",
                 "line\nbreak", "    indented", "&amp; &lt;", "back\\slash", "~~no~~", "=== under"]:
        rendered = md.render(md_escape(text)).strip()  # at the start of a line, where blocks begin
        plain = "".join(parse(rendered).text).strip()
        assert plain == " ".join(text.split()), (text, rendered)
        assert rendered.startswith("<p>") and rendered.count("<") == 2, rendered


# ---- redaction -------------------------------------------------------------------------------

SECRETS = {
    "burnout": ["Renata", "Szabo", "1989-02-23", "+1-555-0147", "renata.szabo@example.org", "CVH-88120457",
                "AUTH-4471902", "Harbour View", "Ilona", "+1-555-0148"],
    "attachment": ["Wren", "Castellanos", "1996-10-30", "+1-555-0164", "wren.castellanos@example.org",
                   "Orchard Lane", "Lou Petrakis", "+1-555-0165"],
}


@pytest.mark.parametrize("example", sorted(SECRETS))
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_redacted_output_has_no_client_identifiers(tplan, example, fmt):
    source = (EXAMPLES / f"{example}.yaml").read_text()
    assert all(s in source for s in SECRETS[example])  # the test would catch a leak
    result = tplan("render", str(EXAMPLES / f"{example}.yaml"), f"--{fmt}", "--redact", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    for secret in SECRETS[example]:
        assert secret.lower() not in result.stdout.lower(), secret


def test_redacted_output_keeps_initials_birth_year_and_the_clinical_content(tplan):
    out = tplan("render", str(EXAMPLES / "burnout.yaml"), "--redact", "--today", TODAY).stdout
    assert "**R.S.**" in out and "- **Born:** 1989\n" in out and "redacted copy" in out
    assert "Reduce burnout on the Copenhagen Burnout Inventory" in out and "1. sister\n" in out
    assert "- **Payer:** Cedar Valley Health Plan" in out and "Member id" not in out


def test_redact_scrubs_names_and_numbers_in_free_text():
    from tplan.render.redact import redact

    data = {
        "client": {"name": "Mara Quill", "date_of_birth": _dt.date(1990, 1, 2), "contact": {"phone": "555-0199"},
                   "emergency_contact": {"name": "Jon Quill", "relationship": "brother"}},
        "progress": [{"note": "Mara called from 555-0199 (mara@example.org); Jon came too. Born 1990-01-02. Call 212-555-0100."}],
    }
    reduced, year = redact(data)
    assert year == 1990 and reduced["client"] == {"name": "M.Q."}
    assert reduced["progress"][0]["note"] == (
        "M. called from [phone removed] ([email removed]); [brother] came too. Born [date of birth removed]. Call [phone removed]."
    )


# ---- lint errors, strict, bad input ----------------------------------------------------------


def test_plan_with_lint_errors_renders_with_a_banner(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("    deadline: 2026-05-25\n", "").replace("addresses: [P1]", "addresses: [P9]"))
    md = tplan("render", str(plan), "--today", "2026-04-01")
    assert md.returncode == 0
    assert "**Not ready to share: 3 lint errors.**" in md.stdout and "S103 goal G1 has no deadline" in md.stdout
    html = tplan("render", str(plan), "--html", "--today", "2026-04-01").stdout
    assert '<aside class="banner"' in html and "Not ready to share: 3 lint errors" in html
    clean = tplan("render", str(MINIMAL), "--html", "--today", "2026-04-01").stdout
    assert "banner" not in clean.split("</style>")[1]


def test_strict_refuses_a_plan_with_lint_errors(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("    deadline: 2026-05-25\n", ""))
    out = tmp_path / "out.html"
    result = tplan("render", str(plan), "--strict", "-o", str(out), "--today", "2026-04-01")
    assert result.returncode == 1 and not out.exists()
    assert f"{plan}:19:5: S103 error goal G1 has no deadline" in result.stderr
    assert "not rendered: 1 lint error" in result.stderr
    assert tplan("render", str(MINIMAL), "--strict", "--today", "2026-04-01").returncode == 0


@pytest.mark.parametrize(
    "content, message",
    [
        ("goals: [\n", "broken.yaml:2:1: E001 invalid YAML"),
        ("- a\n", "broken.yaml:1:1: E005 the top level is a list"),
        ("tplan: 1\nid: X\nstatus: active\n", "does not match the plan format"),
    ],
)
def test_unrenderable_file_is_one_clear_error_and_exit_2(tplan, tmp_path, content, message):
    plan = tmp_path / "broken.yaml"
    plan.write_text(content)
    result = tplan("render", str(plan))
    assert result.returncode == 2 and result.stdout == ""
    assert message in result.stderr and no_traceback(result)


def test_missing_file_and_conflicting_options_exit_2(tplan, tmp_path):
    missing = tplan("render", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml: no such file" in missing.stderr
    both = tplan("render", str(MINIMAL), "--md", "--html")
    assert both.returncode == 2 and "choose one of --html, --md and --pdf" in both.stderr
    folder = tplan("render", str(tmp_path))  # a folder's render writes files: it needs -o (tests/test_render_many.py)
    assert folder.returncode == 2 and "a folder needs -o FOLDER" in folder.stderr and folder.stdout == ""


def test_output_file_is_never_overwritten_without_force(tplan, tmp_path):
    out = tmp_path / "plan.html"
    out.write_text("keep me")
    refused = tplan("render", str(MINIMAL), "-o", str(out), "--today", "2026-04-01")
    assert refused.returncode == 2 and "already exists; use --force" in refused.stderr
    assert out.read_text() == "keep me"
    forced = tplan("render", str(MINIMAL), "-o", str(out), "--force", "--today", "2026-04-01")
    assert forced.returncode == 0 and out.read_text().startswith("<!DOCTYPE html>")  # .html suffix → HTML
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]  # no temp file left behind
    plan = tmp_path / "p.yaml"
    plan.write_text(MINIMAL.read_text())
    itself = tplan("render", str(plan), "-o", str(plan), "--force")
    assert itself.returncode == 2 and "is the input file itself" in itself.stderr and plan.read_text() == MINIMAL.read_text()


@pytest.mark.process
def test_lint_never_imports_jinja2():
    result = fresh_lint_of_the_examples(str(EXAMPLES))
    assert "EXIT=0" in result.stdout, result.stdout + result.stderr
    imported = imported_modules(result)
    assert "jinja2" not in imported and "tplan.render.engine" not in imported, "jinja2 loaded by lint"


# ---- charts ----------------------------------------------------------------------------------


def test_chart_geometry():
    from tplan.render.chart import HEIGHT, progress_chart

    start = _dt.date(2026, 1, 1)
    chart = progress_chart([(_dt.date(2026, 2, 1), 27.0), (_dt.date(2026, 3, 1), 0.0)], start, 14, ("<=", 9.0),
                           _dt.date(2026, 4, 1), (0, 27))
    assert chart.baseline.x == chart.plot_left  # baseline at the plan's start
    assert chart.points[0].y == chart.plot_top and chart.points[1].y == chart.plot_bottom  # range ends
    assert chart.deadline_x == chart.plot_right  # the deadline is the last date
    assert chart.target_band == (chart.target_y, round(chart.plot_bottom - chart.target_y, 1))  # "<=": below the line
    assert chart.plot_top < chart.target_y < chart.plot_bottom < HEIGHT
    assert [t.label for t in chart.y_ticks] == ["0", "5", "10", "15", "20", "25"]


# ---- a real browser --------------------------------------------------------------------------


def chromium(page: str, tmp_path, name: str) -> tuple[bytes, str]:
    """Load a page in headless Chromium offline; (screenshot PNG bytes, browser log)."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed: `apt-get install -y chromium` (bash .ci/run does this); "
                    "the rendered HTML must be checked in a real browser")
    shot = tmp_path / f"{name}.png"
    result = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1200,3000", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert shot.exists(), f"chromium wrote no screenshot (exit {result.returncode}):\n{result.stderr[-2000:]}"
    return shot.read_bytes(), result.stderr


def console_messages(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


@pytest.mark.process
@pytest.mark.browser
def test_html_loads_in_chromium_without_console_errors(tplan, tmp_path):
    page = tmp_path / "burnout.html"
    result = tplan("render", str(EXAMPLES / "burnout.yaml"), "--html", "-o", str(page), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    png, log = chromium(page, tmp_path, "burnout")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1200, 3000)
    assert len(png) > 50_000  # a rendered document, not a blank page
    assert console_messages(log) == []

    # The check above can fail: the same detection sees a page that does log an error.
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><html lang="en"><title>c</title><script>console.error("control-marker")</script></html>')
    _, control_log = chromium(control, tmp_path, "control")
    assert any("control-marker" in line for line in console_messages(control_log))


def test_draft_with_placeholders_renders_them_as_written(tplan, tmp_path):
    plan = tmp_path / "draft.yaml"
    plan.write_text(
        MINIMAL.read_text()
        .replace("status: active", "status: draft")
        .replace("name: Test Person", "name: <client name>")
        .replace("baseline: 14", "baseline: <baseline GAD-7 score>")
    )
    result = tplan("render", str(plan), "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert "**\\<client name\\>**" in result.stdout  # text placeholders stay visible
    assert "| G1 goal | GAD-7 |  | ≤ 9 |" in result.stdout  # a number placeholder is left blank


def test_redaction_leaves_fixed_values_alone_when_a_surname_is_also_a_word(tmp_path):
    """A client called 'Test Person' must not turn `setting: in-person` into `in-P.`."""
    from conftest import MINIMAL, run_tplan

    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text())  # client Test Person; schedule setting: in-person
    result = run_tplan("render", "--redact", "--today", "2026-04-01", str(plan))
    assert result.returncode == 0, result.stderr
    assert "Test Person" not in result.stdout and "**Setting:** In person" in result.stdout


# ---- the cheaper templating (issue 19, target 3) ----------------------------------------------


def test_markdown_escape_shortcut_changes_nothing_it_should_not():
    """md_escape returns text with nothing to escape as it is; it must equal the full escape on
    every string, including whitespace, block starts and every special character."""
    import random

    from tplan.render.markdown import _BLOCK_START, _INLINE, _SPACE, md_escape

    def full(text: str) -> str:
        text = _INLINE.sub(r"\\\1", _SPACE.sub(" ", text))
        return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else m.group(3) + "\\" + m.group(4)), text)

    alphabet = "ab 1.)#+=>-\\`*_[]<>&|~!\t\n\u00a0\u2003é9"
    rng = random.Random(19)
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(20000)]
    samples += ["plain words", "G1", "2026-12-01", " 12. item", "12)", "a  b", "x\u00a0y", ""]
    for text in samples:
        assert md_escape(text) == full(text), repr(text)
    assert md_escape(12) == "12" and md_escape(1.5) == "1\\.5"


def test_render_on_the_fast_route_equals_the_models(tmp_path):
    """Markdown and HTML are built from the fast route's plan (no model classes): the documents
    are the ones the pydantic models give, for every example and fixture plan."""
    from tplan.commands.one_plan import check_one_plan
    from tplan.commands.render import RenderOptions, render_checked
    from tplan.config import project_settings
    from tplan.measures import load_catalogue

    today = _dt.date(2026, 12, 1)
    settings = project_settings(today)
    catalogue = load_catalogue(None)
    plans = sorted(EXAMPLES.glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
    assert len(plans) >= 8
    for plan in plans:
        text = plan.read_text(encoding="utf-8")
        for fmt in ("md", "html"):
            options = RenderOptions(fmt, today=today)
            documents = []
            for fast in (True, False):
                checked = check_one_plan(text, str(plan), settings, catalogue, "x", fast=fast)
                assert checked.plan is not None, plan
                assert (type(checked.plan).__module__ == "tplan.schema.plan") is not fast
                documents.append(render_checked(checked, text, str(plan), settings, catalogue, options))
            assert documents[0] == documents[1], (plan.name, fmt)
