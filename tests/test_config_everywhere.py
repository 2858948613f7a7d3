"""Every command reads the repository's config, not only `lint`: a clinic's own measures and
templates work the same in new, templates, status, render and progress add."""

from __future__ import annotations

import json

from conftest import MINIMAL

CLINIC_MEASURES = """measures:
  - id: CLINIC-WB
    name: Clinic wellbeing scale
    min: 0
    max: 10
    better: higher
"""


def clinic(tmp_path):
    (tmp_path / "measures.yaml").write_text(CLINIC_MEASURES)
    (tmp_path / ".tplan.toml").write_text('measures = "measures.yaml"\ntemplate-dirs = ["my-templates"]\n')
    (tmp_path / "my-templates").mkdir()
    plan = MINIMAL.read_text().replace(
        "schedule:", "  - id: I2\n    name: Wellbeing check-in\n    goals: [G2]\n    frequency: weekly\nschedule:"
    ).replace(
        "interventions:\n",
        "  - id: G2\n    addresses: [P1]\n    term: short\n    statement: Raise wellbeing to 7 or more on the clinic scale.\n"
        "    client_words: I want good days again.\n    measure: CLINIC-WB\n    baseline: 3\n    target: \">= 7\"\n"
        "    deadline: 2026-05-25\ninterventions:\n",
    )
    (tmp_path / "plan.yaml").write_text(plan)
    return tmp_path


def test_lint_knows_the_clinic_measure(tplan, tmp_path):
    repo = clinic(tmp_path)
    result = tplan("lint", "--today", "2026-04-01", "plan.yaml", cwd=repo)
    assert result.returncode == 0, result.stdout


def test_progress_add_accepts_the_clinic_measure_and_checks_its_range(tplan, tmp_path):
    repo = clinic(tmp_path)
    before = (repo / "plan.yaml").read_text()
    bad = tplan("progress", "add", "plan.yaml", "--measure", "CLINIC-WB", "--score", "12", "--date", "2026-03-25", "--today", "2026-04-01", cwd=repo)
    assert bad.returncode == 2 and "outside" in bad.stderr
    assert (repo / "plan.yaml").read_text() == before
    good = tplan("progress", "add", "plan.yaml", "--measure", "CLINIC-WB", "--score", "5", "--date", "2026-03-25", "--goal", "G2",
                 "--today", "2026-04-01", cwd=repo)
    assert good.returncode == 0, good.stderr
    assert "measure: CLINIC-WB" in (repo / "plan.yaml").read_text()


def test_status_and_render_use_the_clinic_measure(tplan, tmp_path):
    repo = clinic(tmp_path)
    status = tplan("status", "--today", "2026-04-01", "--format", "json", "plan.yaml", cwd=repo)
    assert status.returncode == 0, status.stderr
    row = json.loads(status.stdout)["plans"][0]
    assert row["findings"] == {"error": 0, "warning": 0, "info": 0}  # S111 would warn without the config
    assert [g["measure"] for g in row["goals"]] == ["GAD-7", "CLINIC-WB"]
    # A CLINIC-WB score: whether it is an improvement depends on the catalogue's `better: higher`.
    plan = repo / "plan.yaml"
    entry = "  - {date: 2026-03-25, measure: CLINIC-WB, score: 8, goals: [G2]}\n"
    plan.write_text(plan.read_text().replace("goals: [G1]}\n", "goals: [G1]}\n" + entry, 1))
    g2_row = "| G2 goal | CLINIC-WB | 3 | ≥ 7 | 2026-05-25 | 8 (2026-03-25) |"
    render = tplan("render", "--today", "2026-04-01", "plan.yaml", cwd=repo)
    assert render.returncode == 0, render.stderr
    assert f"{g2_row} met, improving |" in render.stdout
    assert "lint error" not in render.stdout.lower()
    (repo / ".tplan.toml").unlink()  # without the clinic's catalogue the direction is unknown
    unaware = tplan("render", "--today", "2026-04-01", "plan.yaml", cwd=repo)
    assert f"{g2_row} met |" in unaware.stdout


def test_new_and_templates_find_the_configured_template_folder(tplan, tmp_path):
    repo = clinic(tmp_path)
    from tplan.templates import find_template

    builtin = find_template("generic", ()).path.read_text()
    (repo / "my-templates" / "clinic-intake.yaml").write_text(builtin.replace("name: generic", "name: clinic-intake", 1))
    listed = tplan("templates", cwd=repo)
    assert listed.returncode == 0 and "clinic-intake" in listed.stdout
    new = tplan("new", "--template", "clinic-intake", "--start", "2026-04-01", cwd=repo)
    assert new.returncode == 0, new.stderr
    assert "template: clinic-intake" in new.stdout
