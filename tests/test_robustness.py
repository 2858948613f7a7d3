"""Hostile or odd input must give one clear finding, never a hang, a crash or a false "All clear"."""

from __future__ import annotations

import datetime as dt

from conftest import MINIMAL

from tplan.linter import LintSettings, lint_text
from tplan.measures import builtin_catalogue

TEXT = MINIMAL.read_text(encoding="utf-8")


def lint(text: str, **settings) -> list[str]:
    result = lint_text(text, "plan.yaml", LintSettings(today=dt.date(2026, 4, 1), **settings), builtin_catalogue())
    return sorted(f"{d.line}:{d.column} {d.code}" for d in result.diagnostics)


# ---- 1. schema findings cannot be switched off ----------------------------------------------------


def test_schema_findings_survive_select_ignore_and_per_file_ignores():
    bad = TEXT.replace("status: active", "status: actve")
    assert lint(bad) == ["4:9 E003"]
    assert lint(bad, select=("S1",)) == ["4:9 E003"]
    assert lint(bad, ignore=("E003",)) == ["4:9 E003"]
    assert lint(bad, ignore=("E",)) == ["4:9 E003"]
    assert lint(bad, per_file_ignores=(("*.yaml", ("E003",)),)) == ["4:9 E003"]


def test_select_on_a_plan_failing_the_schema_is_not_all_clear(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT.replace("status: active", "status: actve"))
    for option in (("--select", "S1"), ("--ignore", "E003")):
        result = tplan("lint", *option, str(plan))
        assert result.returncode == 1, result.stdout
        assert "E003" in result.stdout and "All clear" not in result.stdout


# ---- 2. an email or a link in angle brackets is not a placeholder; redacted banners are scrubbed ---


def test_an_email_or_a_link_in_angle_brackets_is_not_a_placeholder():
    text = TEXT.replace(
        "summary: Worry most days about work and health.",
        "summary: 'Referred by Alex Rivera <alex.rivera@mail.org>, see <https://example.org/referral>'",
    )
    assert lint(text) == []
    assert lint(TEXT.replace("name: Test Person", "name: <client name>")) == ["7:9 T601"]


def test_redacted_render_scrubs_the_lint_banner(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    text = TEXT.replace("name: Test Person", "name: Alex Rivera")
    plan.write_text(text.replace("code: F41.1", "code: 'Rivera alex.rivera@mail.org'"))
    plain = tplan("render", str(plan), "--today", "2026-04-01")
    assert plain.returncode == 0, plain.stderr
    assert "alex.rivera@mail.org" in plain.stdout  # C403 quotes the code in the banner
    redacted = tplan("render", str(plan), "--redact", "--today", "2026-04-01")
    assert redacted.returncode == 0, redacted.stderr
    assert "C403" in redacted.stdout and "email removed" in redacted.stdout
    assert "alex.rivera" not in redacted.stdout and "Rivera" not in redacted.stdout


# ---- 3. a status that is a list or a mapping is an E003, not a crash ------------------------------


def test_a_list_as_status_is_reported_by_every_command(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT.replace("status: active", "status: [active]"))
    runs = {
        "lint": tplan("lint", "--today", "2026-04-01", str(plan)),
        "status": tplan("status", "--today", "2026-04-01", "--format", "json", str(plan)),
        "render": tplan("render", "--today", "2026-04-01", str(plan)),
        "progress": tplan("progress", "add", str(plan), "--measure", "GAD-7", "--score", "5", "--today", "2026-04-01"),
    }
    for name, result in runs.items():
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr, name
        assert "failed while checking" not in result.stdout, name
    assert runs["lint"].returncode == 1 and f"{plan}:4:9: E003" in runs["lint"].stdout
    assert runs["status"].returncode == 0 and '"invalid"' in runs["status"].stdout
    assert runs["render"].returncode == 2 and "4:9: E003" in runs["render"].stderr
    assert runs["progress"].returncode == 2 and "4:9: E003" in runs["progress"].stderr
