"""Measurement-based care (issue 17): the reliable change index, the MCID, the outcome classes, the
cited psychometrics in the catalogue and `tplan measures --details`.

Every RC here is worked by hand from Jacobson & Truax's formula, RC = (x2 - x1) / S_diff with
S_diff = sqrt(2) * SD * sqrt(1 - r), signed so that + is an improvement.
"""

from __future__ import annotations

import pytest

from tplan.errors import TplanError
from tplan.measures import Instrument, Psychometrics, _parse, builtin_catalogue
from tplan.outcomes import Change, classify, reliable_change_points, s_diff


def instrument(better: str = "lower", cutoff: str | None = None, **cited) -> Instrument:
    """An invented instrument, 0–60, with the given psychometrics (each with a made-up source)."""
    data = {name: {"value": value, "source": "Invented 2026, test "
        "data", **({"kind": "test-retest"} if name == "reliability" else {})} for name, value in cited.items()}
    if cutoff:
        data["cutoff"] = {"recovered": cutoff, "source": "Invented 2026, test data"}
    entry = {"id": "TEST", "name": "Test scale", "min": 0, "max": 60, "better": better, "psychometrics": data}
    return _parse({"measures": [entry]}, "test").instruments[0]


# SD 5 and r 0.5: S_diff = sqrt(2) * 5 * sqrt(0.5) = 5 exactly, so RC = change / 5.
FIVE = dict(sd=5, reliability=0.5)


def test_s_diff_from_sd_and_reliability_by_hand():
    assert s_diff(instrument(**FIVE).psychometrics) == pytest.approx(5.0)
    # SD 7.5, r 0.88: sqrt(2) * 7.5 * sqrt(0.12) = 10.6066 * 0.34641 = 3.6742
    assert s_diff(instrument(sd=7.5, reliability=0.88).psychometrics) == pytest.approx(3.6742, abs=1e-4)


def test_worked_example_sd_7_5_r_0_88():
    # 30 → 22 on a lower-is-better scale: RC = -(22 - 30) / 3.6742 = 8 / 3.6742 = 2.177
    result = classify(30, 22, instrument(sd=7.5, reliability=0.88))
    assert result.rc == pytest.approx(2.177, abs=1e-3)
    assert result.change == -8
    assert result.change_class is Change.IMPROVED


@pytest.mark.parametrize(
    "first, last, rc, expected",
    [
        (20, 10.2, 1.96, Change.IMPROVED),  # 9.8 / 5 = 1.96 exactly: reliable
        (20, 10.3, 1.94, Change.NO_CHANGE),  # 9.7 / 5 = 1.94
        (20, 29.8, -1.96, Change.DETERIORATED),  # exactly -1.96: reliable deterioration
        (20, 29.7, -1.94, Change.NO_CHANGE),
        (20, 20, 0.0, Change.NO_CHANGE),
    ],
)
def test_boundary_at_plus_minus_1_96(first, last, rc, expected):
    result = classify(first, last, instrument(**FIVE))
    assert result.rc == pytest.approx(rc)
    assert result.change_class is expected


def test_higher_is_better_flips_the_sign():
    inst = instrument(better="higher", **FIVE)
    assert classify(10, 20, inst).rc == pytest.approx(2.0)
    assert classify(10, 20, inst).change_class is Change.IMPROVED
    assert classify(20, 10, inst).change_class is Change.DETERIORATED


def test_recovered_needs_reliable_improvement_and_the_cutoff():
    inst = instrument(cutoff="< 10", **FIVE)
    assert classify(20, 9, inst).change_class is Change.RECOVERED  # RC 2.2, 9 < 10
    assert classify(20, 10, inst).change_class is Change.IMPROVED  # RC 2.0 but 10 is not < 10
    assert classify(12, 9, inst).change_class is Change.NO_CHANGE  # below the cut-off, RC only 0.6
    assert classify(20, 9, instrument(**FIVE)).change_class is Change.IMPROVED  # no cut-off: never "recovered"


def test_recovered_on_a_higher_is_better_scale():
    inst = instrument(better="higher", cutoff=">= 40", **FIVE)
    assert classify(25, 40, inst).change_class is Change.RECOVERED
    assert classify(25, 39, inst).change_class is Change.IMPROVED


def test_sem_basis():
    # SEM 2.5: S_diff = sqrt(2) * 2.5 = 3.5355; smallest reliable change 1.96 * 3.5355 = 6.93
    p = instrument(sem=2.5).psychometrics
    assert s_diff(p) == pytest.approx(3.5355, abs=1e-4)
    assert reliable_change_points(p) == pytest.approx(6.93, abs=1e-2)


def test_published_reliable_change_basis_is_reliable_at_exactly_that_change():
    inst = instrument(reliable_change=15)
    assert classify(40, 25, inst).rc == pytest.approx(1.96)
    assert classify(40, 25, inst).change_class is Change.IMPROVED
    assert classify(40, 26, inst).change_class is Change.NO_CHANGE
    assert classify(40, 55, inst).change_class is Change.DETERIORATED


def test_sd_and_reliability_win_over_a_published_threshold():
    inst = instrument(reliable_change=100, **FIVE)
    assert s_diff(inst.psychometrics) == pytest.approx(5.0)


def test_no_basis_means_no_classification():
    assert classify(20, 0, instrument(mcid=5)) is None
    assert classify(20, 0, instrument(reliability=0.9)) is None  # a reliability without an SD is not enough


def test_catalogue_phq9_worked_example():
    phq9 = builtin_catalogue().get("PHQ-9")
    # S_diff from Löwe et al.'s SEM of 2.5: 3.5355. 12 → 5: RC = 7 / 3.5355 = 1.98, and 5 < 10.
    assert classify(12, 5, phq9).rc == pytest.approx(1.980, abs=1e-3)
    assert classify(12, 5, phq9).change_class is Change.RECOVERED
    assert classify(16, 10, phq9).change_class is Change.NO_CHANGE  # 6 points: RC 1.70
    assert classify(17, 10, phq9).change_class is Change.IMPROVED  # 7 points but 10 is not < 10
    assert classify(5, 12, phq9).change_class is Change.DETERIORATED


# ---- the catalogue: no value without a source ------------------------------------------------


def test_every_catalogue_value_has_a_source():
    seen = 0
    for inst in builtin_catalogue().instruments:
        p = inst.psychometrics
        for value in (p.mcid, p.sd, p.reliability, p.sem, p.reliable_change, p.cutoff):
            if value is not None:
                seen += 1
                assert len(value.source) > 10 and any(ch.isdigit() for ch in value.source), (inst.id, value)
        if p.reliability is not None:
            assert p.reliability.kind, inst.id
    assert seen >= 10


def test_issue_values_are_in_the_catalogue():
    cat = builtin_catalogue()
    assert cat.get("PHQ-9").psychometrics.mcid.value == 5 and "Löwe" in cat.get("PHQ-9").psychometrics.mcid.source
    assert cat.get("GAD-7").psychometrics.mcid.value == 4 and "Toussaint" in cat.get("GAD-7").psychometrics.mcid.source
    assert cat.get("PSS-10").psychometrics.mcid.value == 11 and "Eskildsen" in cat.get("PSS-10").psychometrics.mcid.source
    assert cat.get("PCL-5").psychometrics.reliable_change.value == 15 and "Marx" in cat.get("PCL-5").psychometrics.reliable_change.source
    assert cat.get("BDI-II").psychometrics == Psychometrics()  # nothing verified: nothing claimed


@pytest.mark.parametrize(
    "psychometrics, message",
    [
        ({"mcid": {"value": 5}}, "psychometrics.mcid needs a value and its source"),
        ({"reliability": {"value": 0.8, "source": "X 2000"}}, "needs its kind"),
        ({"cutoff": {"recovered": "10", "source": "X 2000"}}, "cutoff needs `recovered`"),
        ({"mdic": {"value": 5, "source": "X 2000"}}, "unknown psychometrics field 'mdic'"),
    ],
)
def test_a_clinic_measures_file_is_checked(psychometrics, message):
    entry = {"id": "X", "name": "X", "min": 0, "max": 10, "psychometrics": psychometrics}
    with pytest.raises(TplanError, match="measure #1") as info:
        _parse({"measures": [entry]}, "clinic.yaml")
    assert message in str(info.value)


# ---- tplan measures --details -----------------------------------------------------------------


def test_measures_details_phq9_shows_values_with_citations(tplan):
    result = tplan("measures", "--details", "PHQ-9")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "MCID: 5 points" in out and "Löwe, Unützer, Callahan, Perkins & Kroenke 2004, Med Care" in out
    assert "reliability: 0.89 (internal consistency, Cronbach's alpha)" in out and "J Gen Intern Med" in out
    assert "clinical cut-off: non-clinical (recovered) at < 10" in out
    assert "reliable change: 6.93 points or more" in out and "Jacobson & Truax 1991" in out
    assert "GAD-7" not in out  # only the instrument asked for


def test_measures_details_says_what_is_missing(tplan):
    out = tplan("measures", "--details", "bdi-ii").stdout
    assert "not published in a source tplan could verify: MCID, reliability, clinical cut-off, a basis for the reliable change index" in out


def test_measures_details_unknown_id_is_a_usage_error(tplan):
    result = tplan("measures", "--details", "PHQ-99")
    assert result.returncode == 2
    assert result.stderr.strip() == "tplan: error: unknown measure 'PHQ-99'; `tplan measures` lists the catalogue"


def test_mcid_rule_on_the_done_when_example(tplan, tmp_path):
    """Issue 17's "done when": a goal asking PHQ-9 to go from 12 to 10 is warned."""
    from tests.test_status import MINIMAL

    text = MINIMAL.replace("    measure: GAD-7\n    baseline: 14\n    target: \"<= 9\"", "    measure: PHQ-9\n    baseline: 12\n    target: \"<= 10\"")
    text = text.replace("measure: GAD-7, score: 12", "measure: PHQ-9, score: 11")
    path = tmp_path / "TP-TEST-0001.yaml"
    path.write_text(text, encoding="utf-8")
    result = tplan("lint", "--today", "2026-04-01", str(path))
    assert result.returncode == 1
    assert (
        f"{path}:26:13: M501 warning G1's target is 2 points from its baseline, less than PHQ-9's minimal clinically important difference of 5"
        in result.stdout
    )


# ---- the class wherever a goal's progress is shown: status (table, plain, JSON) and render ----

# PHQ-9 (S_diff 3.5355, smallest reliable change 6.93, recovered below 10): one plan per class.
PHQ9_CASES = [
    ("recovered", 20, 9, "recovered"),  # 11 points, RC 3.11, 9 < 10
    ("improved", 20, 12, "reliable improvement"),  # 8 points, RC 2.26, 12 is still clinical
    ("nochange", 20, 15, "no reliable change"),  # 5 points, RC 1.41
    ("worse", 12, 20, "reliable deterioration"),  # 8 points worse, RC -2.26
]


def phq9_plan(tmp_path, name: str, baseline: int, score: int):
    from tests.test_status import MINIMAL

    text = MINIMAL.replace("TP-TEST-0001", f"TP-{name}")
    text = text.replace("    measure: GAD-7\n    baseline: 14\n    target: \"<= 9\"", f"    measure: PHQ-9\n    baseline: {baseline}\n    target: \"<= 4\"")
    text = text.replace("measure: GAD-7, score: 12", f"measure: PHQ-9, score: {score}")
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, baseline, score, label", PHQ9_CASES)
def test_status_shows_each_class(tplan, tmp_path, name, baseline, score, label):
    import json

    path = phq9_plan(tmp_path, name, baseline, score)
    plain = tplan("status", "--today", "2026-04-01", str(path)).stdout
    assert f"G1 PHQ-9: {score} → <= 4 (" in plain and f", {label})" in plain
    (row,) = json.loads(tplan("status", "--today", "2026-04-01", "--format", "json", str(path)).stdout)["plans"]
    assert row["goals"][0]["change"] == label


@pytest.mark.parametrize("name, baseline, score, label", PHQ9_CASES)
def test_render_shows_each_class(tplan, tmp_path, name, baseline, score, label):
    path = phq9_plan(tmp_path, name, baseline, score)
    md = tplan("render", "--today", "2026-04-01", str(path)).stdout
    html = tplan("render", "--html", "--today", "2026-04-01", str(path)).stdout
    goal_row = next(line for line in md.splitlines() if line.startswith("| G1 goal |"))
    assert f", {label} | " in goal_row  # in the status cell, after status and trend (the review status follows)
    assert f'<span class="trend change">{label}</span>' in html
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert f">{label} (RC " in svg  # the chart labels the change with its RC
    assert 'class="mcid-band"' in svg  # PHQ-9 has a published MCID: the band around the baseline
    assert "<script" not in html
    assert f"; {label} (RC " in md  # the chart's text alternative says it too


def test_status_without_a_basis_shows_no_class(tplan, tmp_path):
    from tests.test_status import MINIMAL

    path = tmp_path / "gad.yaml"
    path.write_text(MINIMAL, encoding="utf-8")  # GAD-7: an MCID, but no published reliability basis
    assert "G1 GAD-7: 12 → <= 9 (on track, improving)\n" in tplan("status", "--today", "2026-04-01", str(path)).stdout
