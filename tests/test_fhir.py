"""`tplan export --fhir`: the Bundle is valid FHIR R4 (fhir.resources' R4B models, plus the
required code bindings and reference integrity those models do not check), stable, and mapped as
docs/fhir.md says.

Golden files: tests/golden/<example>.fhir.json are the examples exported with --today 2026-12-01.
After an intended change, regenerate them and review the diff:

    TPLAN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_fhir.py -k golden
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL, ROOT, LazyModule, fresh_lint_of_the_examples, imported_modules, run_tplan
from template_fill import filled_once, scaffolded

from tplan.export.fhir import build_bundle, bundle_json
from tplan.linter import LintSettings, check_text
from tplan.loader import load_text
from tplan.measures import builtin_catalogue
from tplan.templates import BUILTIN_DIR

fhir_bundle = LazyModule("fhir.resources.R4B.bundle")  # imported by the worker that runs these tests only

GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("TPLAN_UPDATE_GOLDEN") == "1"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
TEMPLATES = sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))
CATALOGUE = builtin_catalogue()
TODAY = "2026-12-01"

# Required bindings (FHIR R4) that the fhir.resources models accept any code for.
GOAL_LIFECYCLE = {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error", "rejected"}
GOAL_ACHIEVEMENT = {"in-progress", "improving", "worsening", "no-change", "achieved", "sustaining", "not-achieved", "no-progress", "not-attainable"}
CAREPLAN_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
CAREPLAN_INTENT = {"proposal", "plan", "order", "option"}
REQUEST_STATUS = CAREPLAN_STATUS
REQUEST_INTENT = {"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"}
OBSERVATION_STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}
HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"}
QUANTITY_COMPARATORS = {"<", "<=", ">=", ">"}
GAS_CODES = {"LA34484-8", "LA34483-0", "LA34481-4", "LA34480-6", "LA34479-8"}


# ---- helpers ---------------------------------------------------------------------------------


def export(text: str, today: str = TODAY) -> dict:
    checked = check_text(text, "plan.yaml", LintSettings(today=dt.date.fromisoformat(today)), CATALOGUE)
    assert checked.plan is not None
    return build_bundle(checked.plan, CATALOGUE)


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_url(bundle: dict) -> dict[str, dict]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def references(node) -> list[str]:
    """Every Reference.reference in the Bundle, however deep (extensions included)."""
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in references(v)]
    if isinstance(node, list):
        return [r for v in node for r in references(v)]
    return []


def codes(concept: dict, system: str | None = None) -> set[str]:
    return {c["code"] for c in concept.get("coding", []) if system is None or c.get("system") == system}


def problems(bundle: dict) -> list[str]:
    """Everything a FHIR server or validator would reject in this Bundle; [] when it is valid."""
    out = []
    try:
        fhir_bundle.Bundle.model_validate(bundle)
    except Exception as exc:  # pydantic's ValidationError: the models' paths, types, cardinalities
        out.append(f"fhir.resources R4B: {exc}")
    if bundle.get("type") != "transaction":
        out.append("Bundle.type is not transaction")
    urls = [e.get("fullUrl") for e in bundle.get("entry", [])]
    if len(set(urls)) != len(urls):
        out.append("duplicate fullUrl")
    for url in urls:
        if not re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", url or ""):
            out.append(f"fullUrl {url} is not a urn:uuid of a uuid5")
    for entry in bundle.get("entry", []):
        resource, request = entry["resource"], entry.get("request", {})
        kind = resource["resourceType"]
        if request.get("method") not in HTTP_METHODS or request.get("url") != kind:
            out.append(f"{kind}: request {request}")
        out += [f"{kind}: {p}" for p in _binding_problems(kind, resource)]
    known = set(urls)
    out += [f"reference {r} resolves to no entry" for r in references(bundle) if r not in known]
    return out


def _binding_problems(kind: str, r: dict) -> list[str]:
    out = []

    def check(value, allowed, what):
        if value not in allowed:
            out.append(f"{what} {value!r} is not one of the required codes")

    if kind == "Goal":
        check(r.get("lifecycleStatus"), GOAL_LIFECYCLE, "lifecycleStatus")
        if "achievementStatus" in r:
            found = codes(r["achievementStatus"], "http://terminology.hl7.org/CodeSystem/goal-achievement")
            check(next(iter(found), None), GOAL_ACHIEVEMENT, "achievementStatus")
        for target in r.get("target", []):
            if "detailQuantity" in target and "comparator" in target["detailQuantity"]:
                check(target["detailQuantity"]["comparator"], QUANTITY_COMPARATORS, "comparator")
    elif kind == "CarePlan":
        check(r.get("status"), CAREPLAN_STATUS, "status")
        check(r.get("intent"), CAREPLAN_INTENT, "intent")
        out += _narrative_problems(r.get("text", {}))
    elif kind == "ServiceRequest":
        check(r.get("status"), REQUEST_STATUS, "status")
        check(r.get("intent"), REQUEST_INTENT, "intent")
    elif kind == "Observation":
        check(r.get("status"), OBSERVATION_STATUS, "status")
    return out


def _narrative_problems(text: dict) -> list[str]:
    if text.get("status") not in {"generated", "extensions", "additional", "empty"}:
        return [f"text.status {text.get('status')!r}"]
    try:
        root = ET.fromstring(text.get("div", ""))
    except ET.ParseError as exc:
        return [f"text.div is not well-formed XHTML: {exc}"]
    if root.tag != "{http://www.w3.org/1999/xhtml}div":
        return ["text.div is not an XHTML <div>"]
    banned = {"script", "style", "head", "body", "form", "input", "iframe", "object", "embed"}
    return [f"text.div has a <{el.tag.split('}')[1]}>" for el in root.iter() if el.tag.split("}")[1] in banned]


def example_bundle(name: str) -> dict:
    return export((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def minimal(**changes: str) -> str:
    """The minimal plan with some lines replaced: {old line text: new line text}."""
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


# ---- the validator above catches what it should (so a pass means something) ------------------


def test_the_checks_reject_broken_bundles():
    good = example_bundle("burnout")
    assert problems(good) == []

    bad_code = json.loads(json.dumps(good))
    resources(bad_code, "Goal")[0]["lifecycleStatus"] = "ongoing"
    assert any("lifecycleStatus 'ongoing'" in p for p in problems(bad_code))

    dangling = json.loads(json.dumps(good))
    resources(dangling, "CarePlan")[0]["goal"].append({"reference": "urn:uuid:00000000-0000-5000-8000-000000000000"})
    assert any("resolves to no entry" in p for p in problems(dangling))

    wrong_shape = json.loads(json.dumps(good))
    resources(wrong_shape, "Observation")[0]["valueQuantity"] = "fourteen"
    assert any(p.startswith("fhir.resources R4B") for p in problems(wrong_shape))

    bad_xhtml = json.loads(json.dumps(good))
    resources(bad_xhtml, "CarePlan")[0]["text"]["div"] = '<div xmlns="http://www.w3.org/1999/xhtml"><p>a & b</p></div>'
    assert any("not well-formed" in p for p in problems(bad_xhtml))

    bad_method = json.loads(json.dumps(good))
    bad_method["entry"][0]["request"]["method"] = "CREATE"
    assert any("request" in p for p in problems(bad_method))


# ---- every example and every template's filled plan validates ---------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_exports_a_valid_bundle(name):
    assert problems(example_bundle(name)) == []


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_filled_exports_a_valid_bundle(name):
    text = filled_once(scaffolded(name))
    bundle = export(text, today="2026-03-02")
    assert problems(bundle) == []
    assert len(resources(bundle, "CarePlan")) == 1 and resources(bundle, "CarePlan")[0]["status"] == "draft"
    assert {g["lifecycleStatus"] for g in resources(bundle, "Goal")} == {"proposed"}


# ---- the "done when" on the burnout example -------------------------------------------


def test_burnout_has_one_resource_per_goal_objective_intervention_and_score():
    from tplan.loader import load_text

    data = load_text((EXAMPLES / "burnout.yaml").read_text(encoding="utf-8")).data
    bundle = example_bundle("burnout")
    n_items = sum(1 + len(g.get("objectives", [])) for g in data["goals"])
    assert len(resources(bundle, "Goal")) == n_items == 10
    assert len(resources(bundle, "ServiceRequest")) == len(data["interventions"]) == 6
    # One Observation per score: each assessment, each progress score and each baseline that no
    # assessment records (G1's PHQ-9 14, G2's CBI 78 and G4's WHO-5 6 are the intake assessments).
    baselines = [x for g in data["goals"] for x in (g, *g.get("objectives", [])) if "baseline" in x]
    assert len(resources(bundle, "Observation")) == len(data["assessments"]) + len(data["progress"]) + len(baselines) - 3
    assert len(resources(bundle, "Condition")) == len(data["diagnoses"]) + len(data["presenting_problems"])
    careplan = resources(bundle, "CarePlan")[0]
    urls = by_url(bundle)
    assert [urls[a["reference"]["reference"]]["resourceType"] for a in careplan["activity"]] == ["ServiceRequest"] * 6
    assert {urls[g["reference"]]["resourceType"] for g in careplan["goal"]} == {"Goal"} and len(careplan["goal"]) == 10


def test_cli_writes_the_bundle_and_two_runs_are_byte_identical(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        result = run_tplan("export", str(EXAMPLES / "burnout.yaml"), "--fhir", "-o", str(out), "--today", TODAY)
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(f"Wrote {out} (FHIR R4 Bundle, ")
    assert first.read_bytes() == second.read_bytes()
    assert problems(json.loads(first.read_text(encoding="utf-8"))) == []
    # and a later day gives the same Bundle: nothing in it depends on today
    later = run_tplan("export", str(EXAMPLES / "burnout.yaml"), "--fhir", "--today", "2027-01-20")
    assert later.returncode == 0 and later.stdout == first.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_golden(name):
    golden = GOLDEN / f"{name}.fhir.json"
    result = run_tplan("export", str(EXAMPLES / f"{name}.yaml"), "--fhir", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    if UPDATE:
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; create it with TPLAN_UPDATE_GOLDEN=1"
    assert result.stdout == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, regenerate with TPLAN_UPDATE_GOLDEN=1 and review the diff"
    )


def test_ids_come_from_the_plan_and_element_ids():
    one, other = example_bundle("burnout"), example_bundle("attachment")
    assert not {e["fullUrl"] for e in one["entry"]} & {e["fullUrl"] for e in other["entry"]}
    # an edit to one goal's target changes that Goal and the CarePlan's narrative, nothing else
    text = (EXAMPLES / "burnout.yaml").read_text(encoding="utf-8")
    edited = export(text.replace("target: \"<= 60\"", "target: \"<= 55\""))
    changed = [a["fullUrl"] for a, b in zip(one["entry"], edited["entry"], strict=True) if a != b]
    assert sorted(by_url(one)[url]["resourceType"] for url in changed) == ["CarePlan", "Goal"]
    assert [e["fullUrl"] for e in one["entry"]] == [e["fullUrl"] for e in edited["entry"]]


# ---- US Core must-support elements (CarePlan, Goal) for the examples --------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_us_core_careplan_and_goal_must_support_elements(name):
    bundle = example_bundle(name)
    careplan = resources(bundle, "CarePlan")[0]
    for key in ("text", "status", "intent", "category", "subject", "period", "created", "author", "addresses", "goal", "activity"):
        assert careplan.get(key), f"CarePlan.{key} missing"
    # an active plan is an active CarePlan, a closed one (examples/minor-episode.yaml) a completed one
    status = load_text((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")).data["status"]
    expected = {"active": "active", "closed": "completed", "draft": "draft"}[status]
    assert careplan["intent"] == "plan" and careplan["status"] == expected
    assert any("assess-plan" in codes(c, "http://hl7.org/fhir/us/core/CodeSystem/careplan-category") for c in careplan["category"])
    assert careplan["text"]["status"] == "generated" and careplan["text"]["div"].startswith("<div xmlns=")
    patient_url = bundle["entry"][0]["fullUrl"]
    assert careplan["subject"]["reference"] == patient_url
    for goal in resources(bundle, "Goal"):
        assert goal["lifecycleStatus"] and goal["description"]["text"]
        assert goal["subject"]["reference"] == patient_url
        assert goal["startDate"] and goal["expressedBy"]["reference"]
        assert goal["target"] and all(t.get("dueDate") and t.get("measure") for t in goal["target"])
        assert goal["achievementStatus"]


# ---- the mapping, element by element ----------------------------------------------------------


def test_patient_practitioner_and_emergency_contact():
    bundle = example_bundle("burnout")
    patient = resources(bundle, "Patient")[0]
    assert patient["name"] == [{"use": "official", "text": "Renata Szabo"}]
    assert patient["birthDate"] == "1989-02-23"
    assert {t["system"] for t in patient["telecom"]} == {"phone", "email"}
    assert patient["address"] == [{"text": "9 Harbour View Court, Millbrook"}]
    practitioner = resources(bundle, "Practitioner")[0]
    assert practitioner["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}]
    contact = resources(bundle, "RelatedPerson")[0]
    assert contact["patient"]["reference"] == bundle["entry"][0]["fullUrl"]
    assert contact["relationship"][0]["coding"][0]["code"] == "C" and contact["relationship"][1] == {"text": "sister"}


def test_conditions_for_diagnoses_and_presenting_problems():
    bundle = example_bundle("burnout")
    diagnoses = [c for c in resources(bundle, "Condition") if "encounter-diagnosis" in codes(c["category"][0])]
    concerns = [c for c in resources(bundle, "Condition") if "health-concern" in codes(c["category"][0])]
    assert [codes(d["code"], "http://hl7.org/fhir/sid/icd-10-cm") for d in diagnoses] == [{"F32.1"}, {"Z73.0"}, {"Z56.3"}]
    assert len(concerns) == 3 and concerns[0]["code"]["text"].startswith("Exhaustion, emotional numbing")
    assert codes(concerns[0]["severity"], "http://snomed.info/sct") == {"24484000"}  # severe
    assert concerns[0]["onsetDateTime"] == "2025-06"


def test_goal_targets_measures_and_links():
    bundle = example_bundle("burnout")
    urls = by_url(bundle)
    goals = {g["description"]["text"][:20]: g for g in resources(bundle, "Goal")}
    g1 = goals["Reduce depressive sy"]
    assert codes(g1["target"][0]["measure"], "http://loinc.org") == {"44261-6"}  # PHQ-9
    assert g1["target"][0]["detailRange"] == {"high": {"value": 9, "unit": "score", "system": "http://unitsofmeasure.org", "code": "{score}"}}
    assert g1["target"][0]["dueDate"] == "2026-11-09"
    assert g1["expressedBy"]["reference"] == bundle["entry"][0]["fullUrl"]
    assert g1["note"][0]["text"] == 'In the client\'s words: "I want to get out of bed on my days off and actually do something."'
    assert [urls[a["reference"]]["code"]["text"][:12] for a in g1["addresses"]] == ["Low mood, lo"]
    # objectives: milestones of their goal, the goal's problems, custom measures in their unit
    milestones = [e for e in g1["extension"] if e["url"] == "http://hl7.org/fhir/StructureDefinition/goal-relationship"]
    targets = [urls[e["extension"][1]["valueReference"]["reference"]] for e in milestones]
    assert [t["description"]["text"][:8] for t in targets] == ["Schedule", "Track pa"]
    assert all(e["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "milestone" for e in milestones)
    g12 = targets[1]
    assert g12["target"][0]["detailQuantity"] == {"value": 0, "unit": "days/week"}  # "== 0": exact
    assert g12["target"][0]["measure"] == {"text": "days with passive death wishes"}
    assert g12["addresses"] == g1["addresses"]
    assert g12["expressedBy"]["reference"] == resources_url(bundle, "Practitioner")  # no client words


def resources_url(bundle: dict, kind: str) -> str:
    return next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind)


@pytest.mark.parametrize("target, baseline, expected", [
    ('"< 10"', 14, {"detailQuantity": {"value": 10, "comparator": "<"}}),
    ('"> 3"', 14, {"detailQuantity": {"value": 3, "comparator": ">"}}),
    ('"-50%"', 14, {"detailRange": {"high": {"value": 7}}}),
    ("9", 14, {"detailRange": {"high": {"value": 9}}}),  # a bare number: reach it in the better direction
])
def test_target_shapes(target, baseline, expected):
    bundle = export(minimal(**{'target: "<= 9"': f"target: {target}", "baseline: 14": f"baseline: {baseline}"}))
    goal = resources(bundle, "Goal")[0]
    detail = {k: v for k, v in goal["target"][0].items() if k.startswith("detail")}
    unit = {"unit": "score", "system": "http://unitsofmeasure.org", "code": "{score}"}
    for shape in expected.values():
        for part in [shape] + [v for v in shape.values() if isinstance(v, dict)]:
            if "value" in part:
                part.update(unit)
    assert detail == expected


def _achievement(score: int, measure: str = "GAD-7", baseline: int = 14, target: str = "<= 9") -> set[str]:
    """The achievementStatus of the minimal plan's goal, on `measure` from `baseline`, after `score`."""
    text = minimal(**{
        "    measure: GAD-7\n    baseline: 14\n    target: \"<= 9\"": f"    measure: {measure}\n    baseline: {baseline}\n    target: \"{target}\"",
        "{date: 2026-03-20, measure: GAD-7, score: 12, goals: [G1]}": f"{{date: 2026-03-20, measure: {measure}, score: {score}, goals: [G1]}}",
    })
    goal = resources(export(text), "Goal")[0]
    assert goal["lifecycleStatus"] == "active"
    return codes(goal["achievementStatus"])


def test_achievement_status_follows_the_direction_without_published_psychometrics():
    # GAD-7 has an MCID but no published reliable change in the catalogue: the direction decides
    assert _achievement(12) == {"improving"}  # 14 → 12 on the way to <= 9
    assert _achievement(8) == {"achieved"}
    assert _achievement(16) == {"worsening"}


def test_achievement_status_follows_the_outcome_class_where_it_is_published():
    """PHQ-9's reliable change is published (tplan measures --details PHQ-9): a change smaller than
    it is no-change, as `tplan status` says "no reliable change"; past it, improving or worsening."""
    from tplan.outcomes import reliable_change_points

    points = reliable_change_points(CATALOGUE.get("PHQ-9").psychometrics)
    assert points is not None and 6 < points < 7, points  # 1.96 x S_diff: a change of 7 points is reliable
    phq9 = {"measure": "PHQ-9", "baseline": 15, "target": "<= 5"}
    assert _achievement(13, **phq9) == {"no-change"}  # 2 points better: within measurement noise
    assert _achievement(9, **phq9) == {"no-change"}  # 6 points: still not reliable
    assert _achievement(8, **phq9) == {"improving"}  # 7 points: reliable improvement
    assert _achievement(5, **phq9) == {"achieved"}
    assert _achievement(21, **phq9) == {"no-change"}
    assert _achievement(22, **phq9) == {"worsening"}  # reliable deterioration


def test_achievement_status_in_progress_and_draft():
    objective = resources(export(minimal()), "Goal")[1]  # no scores yet
    assert codes(objective["achievementStatus"]) == {"in-progress"}
    draft = export(minimal(**{"status: active": "status: draft"}))
    assert {g["lifecycleStatus"] for g in resources(draft, "Goal")} == {"proposed"}
    assert resources(draft, "CarePlan")[0]["status"] == "draft"
    assert {s["status"] for s in resources(draft, "ServiceRequest")} == {"draft"}


def test_service_request_timing_and_reasons():
    bundle = example_bundle("burnout")
    urls = by_url(bundle)
    requests = resources(bundle, "ServiceRequest")
    weekly, assertive, every_other = requests[0], requests[1], requests[2]
    assert weekly["occurrenceTiming"] == {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}, "code": {"text": "weekly"}}
    assert every_other["occurrenceTiming"]["repeat"] == {"frequency": 1, "period": 2, "periodUnit": "wk"}
    # a frequency tplan cannot read is kept as text only
    assert assertive["occurrenceTiming"] == {"code": {"text": "weekly, 20 minutes of session from session 8"}}
    assert weekly["code"] == {"text": weekly["code"]["text"]} and weekly["code"]["text"].startswith("CBT for burnout")
    assert weekly["intent"] == "plan" and weekly["status"] == "active"
    # reasons: the Conditions that I1's goals (G1 → P2, G2 → P1) address
    assert [urls[r["reference"]]["code"]["text"][:8] for r in weekly["reasonReference"]] == ["Low mood", "Exhausti"]
    assert [urls[e["valueReference"]["reference"]]["resourceType"] for e in weekly["extension"]] == ["Goal", "Goal"]
    assert weekly["performer"][0]["reference"] == resources_url(bundle, "Practitioner")
    assert requests[4]["performer"] == [{"display": "Daniel Ferreira with the occupational health nurse"}]


@pytest.mark.parametrize("frequency, repeat", [
    ("twice a week", {"frequency": 2, "period": 1, "periodUnit": "wk"}),
    ("daily", {"frequency": 1, "period": 1, "periodUnit": "d"}),
    ("monthly", {"frequency": 1, "period": 1, "periodUnit": "mo"}),
    ("every 3 weeks", {"frequency": 1, "period": 3, "periodUnit": "wk"}),
])
def test_frequencies_as_timing(frequency, repeat):
    from tplan.export.services import occurrence_timing

    assert occurrence_timing(frequency) == {"repeat": repeat, "code": {"text": frequency}}


def test_observations_for_assessments_progress_and_baselines():
    bundle = example_bundle("burnout")
    urls = by_url(bundle)
    observations = resources(bundle, "Observation")
    assert {o["status"] for o in observations} == {"final"}
    assert all(codes(o["category"][0]) == {"survey"} for o in observations)
    phq9 = [o for o in observations if codes(o["code"], "http://loinc.org") == {"44261-6"}]
    assert [(o["effectiveDateTime"], o["valueQuantity"]["value"]) for o in phq9] == [
        ("2026-08-17", 14), ("2026-09-07", 13), ("2026-10-12", 11), ("2026-11-09", 8)]
    # the intake PHQ-9 is G1's baseline: it has G1 as focus, and there is no second copy of it
    assert all(urls[f["reference"]]["description"]["text"].startswith("Reduce depressive") for o in phq9 for f in o["focus"])
    sleep = [o for o in observations if o["code"] == {"text": "nights within sleep window"}]
    assert [(o["effectiveDateTime"], o["valueQuantity"]) for o in sleep] == [
        ("2026-08-17", {"value": 2, "unit": "nights/week"}), ("2026-09-21", {"value": 6, "unit": "nights/week"})]
    assert sleep[0]["note"] == [{"text": "Baseline at the start of the plan."}]
    cbi = next(o for o in observations if o["code"]["text"].startswith("Copenhagen") and o["effectiveDateTime"] == "2026-09-28")
    assert "coding" not in cbi["code"]  # no verified LOINC code in the catalogue: text only
    assert cbi["note"] == [{"text": "Sleep window kept on 6 of 7 nights."}]


def test_provenance_per_signature():
    bundle = example_bundle("burnout")
    urls = by_url(bundle)
    careplan_url = resources_url(bundle, "CarePlan")
    signed = resources(bundle, "Provenance")
    assert len(signed) == 2
    for p in signed:
        assert [t["reference"] for t in p["target"]] == [careplan_url]
        assert p["occurredDateTime"] == "2026-08-17" and p["recorded"] == "2026-08-17T00:00:00Z"
    client, clinician = signed
    assert urls[client["signature"][0]["who"]["reference"]]["resourceType"] == "Patient"
    assert client["signature"][0]["type"][0]["code"] == "1.2.840.10065.1.12.1.7"  # consent
    assert urls[clinician["signature"][0]["who"]["reference"]]["resourceType"] == "Practitioner"
    assert clinician["signature"][0]["type"][0]["code"] == "1.2.840.10065.1.12.1.1"  # author


def test_careplan_notes_period_and_narrative():
    bundle = example_bundle("burnout")
    careplan = resources(bundle, "CarePlan")[0]
    assert careplan["period"] == {"start": "2026-08-17"} and careplan["created"] == "2026-08-17"
    assert careplan["identifier"] == [{"value": "TP-2026-0127"}]
    notes = careplan["note"]
    assert notes[0]["time"] == "2026-11-10" and notes[0]["text"].startswith("Review: G1 met (PHQ-9 14 to 8)")
    assert notes[-1] == {"text": "Next review due 2027-02-05 (reviewed every 90 days)."}
    div = ET.fromstring(careplan["text"]["div"])
    text = "".join(div.itertext())
    assert "Treatment plan TP-2026-0127 (active)" in text
    assert "G1: Reduce depressive symptoms" in text and "PHQ-9 <= 9" in text and "I6: Collaborative safety planning" in text


def test_narrative_escapes_the_plan_text():
    bundle = export(minimal(**{
        "statement: Reduce worry to the mild range on GAD-7.": 'statement: "Reduce worry <b>now</b> & keep a log \\x01 of it."'}))
    careplan = resources(bundle, "CarePlan")[0]
    assert problems(bundle) == []
    assert "&lt;b&gt;now&lt;/b&gt; &amp; keep" in careplan["text"]["div"]
    assert "<b>now</b>" not in careplan["text"]["div"] and "\x01" not in careplan["text"]["div"]
    assert "Reduce worry <b>now</b> & keep a log  of it." in "".join(ET.fromstring(careplan["text"]["div"]).itertext())


# ---- command line: refusal, --force, output files, redaction ----------------------------------


def test_lint_errors_refuse_the_export_unless_forced(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(minimal(**{'npi: "1234567893"': 'npi: "1234567890"'}), encoding="utf-8")  # C404
    out = tmp_path / "plan.json"
    refused = run_tplan("export", str(plan), "--fhir", "-o", str(out), "--today", "2026-04-01")
    assert refused.returncode == 2 and not out.exists()
    last = refused.stderr.strip().splitlines()[-1]
    assert last == f"tplan: error: {plan} not exported: 1 lint error (listed above); fix them, or export anyway with --force"
    assert " C404 error " in refused.stderr and "Traceback" not in refused.stderr
    forced = run_tplan("export", str(plan), "--fhir", "-o", str(out), "--force", "--today", "2026-04-01")
    assert forced.returncode == 0, forced.stderr
    assert problems(json.loads(out.read_text(encoding="utf-8"))) == []


def test_a_plan_that_does_not_match_the_format_is_never_exported(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(minimal(**{"interval_days: 90": "interval_days: often"}), encoding="utf-8")
    result = run_tplan("export", str(plan), "--fhir", "--force")
    assert result.returncode == 2 and result.stdout == ""
    assert "does not match the plan format, so it cannot be exported" in result.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("tplan: 1\nid: [unclosed\n", encoding="utf-8")
    result = run_tplan("export", str(broken), "--fhir")
    assert result.returncode == 2 and "E001" in result.stderr and "Traceback" not in result.stderr


def test_output_file_rules(tmp_path):
    out = tmp_path / "b.json"
    out.write_text("keep me")
    refused = run_tplan("export", str(MINIMAL), "--fhir", "-o", str(out), "--today", "2026-04-01")
    assert refused.returncode == 2 and "already exists; use --force" in refused.stderr and out.read_text() == "keep me"
    no_format = run_tplan("export", str(MINIMAL), "-o", str(tmp_path / "c.json"))
    assert no_format.returncode == 2 and "--fhir" in no_format.stderr and not (tmp_path / "c.json").exists()
    missing = run_tplan("export", str(tmp_path / "nope.yaml"), "--fhir")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    folder = run_tplan("export", str(tmp_path), "--fhir")
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    forced = run_tplan("export", str(MINIMAL), "--fhir", "-o", str(out), "--force", "--today", "2026-04-01")
    assert forced.returncode == 0 and json.loads(out.read_text())["resourceType"] == "Bundle"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]  # no temp file left behind


def test_redact_reduces_identifiers_in_the_same_bundle():
    plain = run_tplan("export", str(EXAMPLES / "burnout.yaml"), "--fhir", "--today", TODAY)
    redacted = run_tplan("export", str(EXAMPLES / "burnout.yaml"), "--fhir", "--redact", "--today", TODAY)
    assert redacted.returncode == 0, redacted.stderr
    bundle = json.loads(redacted.stdout)
    assert problems(bundle) == []
    for secret in ("Renata", "Szabo", "Ilona", "1989-02-23", "+1-555-0147", "+1-555-0148", "renata.szabo@example.org",
                   "Harbour View"):
        assert secret in plain.stdout and secret not in redacted.stdout, secret
    patient = resources(bundle, "Patient")[0]
    assert patient == {"resourceType": "Patient", "name": [{"use": "official", "text": "R.S."}], "birthDate": "1989"}
    assert resources(bundle, "RelatedPerson") == []
    # the rest of the plan is the same: goals, interventions and scores
    original = json.loads(plain.stdout)
    for kind in ("Goal", "ServiceRequest", "Observation"):
        assert len(resources(bundle, kind)) == len(resources(original, kind))


def test_export_help_names_the_options():
    result = run_tplan("export", "--help")
    assert result.returncode == 0
    for option in ("--fhir", "--output", "--force", "--redact", "--today"):
        assert option in result.stdout


@pytest.mark.process
def test_lint_never_imports_the_exporter():
    result = fresh_lint_of_the_examples(str(EXAMPLES))
    assert "EXIT=0" in result.stdout, result.stdout + result.stderr
    assert not [m for m in imported_modules(result) if m.startswith(("tplan.export", "fhir"))], "exporter loaded by lint"


def test_export_help_paragraphs_are_filled():
    from test_cli_help import description_paragraphs

    for paragraph in description_paragraphs(run_tplan("export", "--help").stdout):
        assert all(len(line) <= 100 for line in paragraph)
        assert all(len(line) > 60 for line in paragraph[:-1]), paragraph


def test_docs_list_every_extension_and_system_the_export_uses():
    """docs/fhir.md is the mapping: every URL in the code must be explained there."""
    from tplan.export import codes

    docs = (ROOT / "docs" / "fhir.md").read_text(encoding="utf-8")
    urls = [v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str) and v.startswith(("http", "urn"))]
    assert len(urls) > 15
    missing = [u for u in urls if u not in docs]
    assert missing == []


# ---- the episode-of-care additions and GAS goals ----------------------------------------------

EPISODE = Path(__file__).parent / "fixtures" / "fhir-episode.yaml"


def episode_bundle() -> dict:
    return export(EPISODE.read_text(encoding="utf-8"), today="2026-06-01")


def test_episode_exports_a_valid_bundle_and_its_golden_file():
    bundle = episode_bundle()
    assert problems(bundle) == []
    golden = GOLDEN / "fhir-episode.fhir.json"
    if UPDATE:
        golden.write_text(bundle_json(bundle), encoding="utf-8")
    assert bundle_json(bundle) == golden.read_text(encoding="utf-8"), "regenerate with TPLAN_UPDATE_GOLDEN=1 and review the diff"


def test_gas_goal_has_its_five_levels_the_gas_measure_and_target():
    goal = next(g for g in resources(episode_bundle(), "Goal") if g["description"]["text"].startswith("Take part"))
    levels = [e for e in goal["extension"] if e["url"] == "http://hl7.org/fhir/us/pco/StructureDefinition/pco-goal-attainment-scaling"]
    assert [e["extension"][0]["url"] for e in levels] == ["level"] * 5
    assert [e["extension"][0]["valueCoding"]["code"] for e in levels] == ["LA34484-8", "LA34483-0", "LA34481-4", "LA34480-6", "LA34479-8"]
    assert {e["extension"][0]["valueCoding"]["system"] for e in levels} == {"http://loinc.org"}
    assert [e["extension"][1] for e in levels][2] == {"url": "progressText", "valueString": "Went back to choir rehearsal twice in a month."}
    target = goal["target"][0]
    assert codes(target["measure"], "http://loinc.org") == {"107332-9"}
    assert codes(target["detailCodeableConcept"], "http://loinc.org") == {"LA34481-4"}  # ">= 0": the expected outcome
    # closed plan, goal still 'active' in the file, latest level +1 meets ">= 0"
    assert goal["lifecycleStatus"] == "completed" and codes(goal["achievementStatus"]) == {"achieved"}


def test_gas_baseline_and_scores_are_observations_valued_with_the_answer_code():
    bundle = episode_bundle()
    urls = by_url(bundle)
    gas = [o for o in resources(bundle, "Observation") if codes(o["code"], "http://loinc.org") == {"107332-9"}]
    assert [(o["effectiveDateTime"], next(iter(codes(o["valueCodeableConcept"])))) for o in gas] == [
        ("2026-03-02", "LA34484-8"), ("2026-04-10", "LA34483-0"), ("2026-05-15", "LA34480-6")]
    assert all("valueQuantity" not in o for o in gas)
    assert {urls[f["reference"]]["description"]["text"][:9] for o in gas for f in o["focus"]} == {"Take part"}


def test_gas_goal_by_its_alias_and_without_levels_exports_too():
    text = EPISODE.read_text(encoding="utf-8").replace("    measure: GAS\n", "    measure: Goal Attainment Scaling\n", 1)
    goal = next(g for g in resources(export(text, today="2026-06-01"), "Goal") if g["description"]["text"].startswith("Take part"))
    assert codes(goal["target"][0]["measure"], "http://loinc.org") == {"107332-9"} and len(goal["extension"]) == 5


def test_goal_status_date_and_changes():
    goal = resources(episode_bundle(), "Goal")[0]
    assert goal["lifecycleStatus"] == "completed" and codes(goal["achievementStatus"]) == {"achieved"}
    assert goal["statusDate"] == "2026-05-20"
    assert goal["note"][1] == {"time": "2026-04-20", "text": "Changed target from <= 10 to <= 9: aim for the mild range."}


@pytest.mark.parametrize("status, lifecycle, achievement, reason", [
    ("partially-met", "completed", "not-achieved", "partially met"),
    ("discontinued", "cancelled", None, "discontinued"),
    ("deferred", "on-hold", None, "deferred"),
    ("revised", "active", "improving", "revised at a review"),
])
def test_goal_status_mapping(status, lifecycle, achievement, reason):
    text = minimal(**{'    target: "<= 9"\n': f'    target: "<= 9"\n    status: {status}\n    status_date: 2026-03-25\n'})
    goal = resources(export(text, today="2026-04-01"), "Goal")[0]
    assert goal["lifecycleStatus"] == lifecycle and goal["statusReason"] == reason
    assert (codes(goal["achievementStatus"]) if "achievementStatus" in goal else {None}) == {achievement}


def test_guardian_supervisor_emergency_contacts_and_signatures():
    bundle = episode_bundle()
    urls = by_url(bundle)
    related = resources(bundle, "RelatedPerson")
    assert [(r["name"][0]["text"], sorted(codes(r["relationship"][0]))) for r in related] == [
        ("Ana Example", ["C"]), ("Luis Example", ["C"]), ("Ana Example", ["GUARD"])]
    assert related[2]["relationship"][0]["text"] == "guardian (legal-guardian)"
    supervisor = resources(bundle, "Practitioner")[1]
    assert supervisor["name"] == [{"text": "Lee Example"}] and "identifier" not in supervisor
    careplan = resources(bundle, "CarePlan")[0]
    assert [urls[c["reference"]]["name"][0]["text"] for c in careplan["contributor"]] == ["Dana Example", "Lee Example"]
    signers = [(urls[p["signature"][0]["who"]["reference"]]["resourceType"], p["signature"][0]["type"][0]["code"], p["occurredDateTime"])
               for p in resources(bundle, "Provenance")]
    assert signers == [
        ("Patient", "1.2.840.10065.1.12.1.7", "2026-03-02"), ("RelatedPerson", "1.2.840.10065.1.12.1.7", "2026-03-02"),
        ("Practitioner", "1.2.840.10065.1.12.1.1", "2026-03-02"), ("Practitioner", "1.2.840.10065.1.12.1.5", "2026-03-03")]
    assert urls[resources(bundle, "Provenance")[1]["signature"][0]["who"]["reference"]] is related[2]


def test_patient_preferred_name_and_language():
    patient = resources(episode_bundle(), "Patient")[0]
    assert patient["name"] == [{"use": "official", "text": "Test Person"}, {"use": "usual", "text": "Tess"}]
    assert patient["communication"] == [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "es"}], "text": "es"}, "preferred": True}]


def test_closed_plan_discharge_and_narrative_progress_notes():
    bundle = episode_bundle()
    careplan = resources(bundle, "CarePlan")[0]
    assert careplan["status"] == "completed" and careplan["period"] == {"start": "2026-03-02", "end": "2026-05-28"}
    assert careplan["note"] == [
        {"time": "2026-03-27", "text": "Talked about what choir meant to her."},
        {"time": "2026-05-20", "text": "Review: G1 and G2 met."},
        {"time": "2026-05-28", "text": "Discharged (goals-met). GAD-7 at 8; back at choir weekly. Referred to: Peer support group (maintenance)."},
    ]  # no "next review due" on a closed plan
    assert {s["status"] for s in resources(bundle, "ServiceRequest")} == {"completed"}
    conditions = resources(bundle, "Condition")
    assert all("clinicalStatus" not in c for c in conditions)  # closed: resolved or not is unknown
    assert conditions[1]["onsetDateTime"] == "2025"
    # the narrative progress entry is a note, not an Observation: the assessment (also G1's
    # baseline), the four scores and G2's GAS baseline
    assert len(resources(bundle, "Observation")) == 1 + 4 + 1


def test_redacted_episode_drops_the_guardian_and_contacts():
    result = run_tplan("export", str(EPISODE), "--fhir", "--redact", "--today", "2026-06-01")
    assert result.returncode == 0, result.stderr
    bundle = json.loads(result.stdout)
    assert problems(bundle) == []
    for secret in ("Test Person", "Tess", "Ana Example", "Luis", "+1-555-019", "test.person@example.org", "1990-05-06"):
        assert secret not in result.stdout, secret
    assert resources(bundle, "RelatedPerson") == []
    # the guardian's signature has no signer left in the Bundle: it is left out, not left dangling
    assert len(resources(bundle, "Provenance")) == 3


def test_careplan_narrative_lists_a_gas_goals_levels():
    careplan = resources(episode_bundle(), "CarePlan")[0]
    div = ET.fromstring(careplan["text"]["div"])
    items = ["".join(li.itertext()) for li in div.iter("{http://www.w3.org/1999/xhtml}li")]
    assert "-2: Has not left the house for a social reason." in items and "+1: Goes to choir weekly." in items
    assert "0: Went back to choir rehearsal twice in a month." in items
