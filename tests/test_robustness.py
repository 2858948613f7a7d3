"""Hostile or odd input must give one clear finding, never a hang, a crash or a false "All clear"."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MINIMAL

from tplan.linter import LintSettings, lint_text
from tplan.loader import LoadError, load_text
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


# ---- 4. editing a plan through a symlink updates the real plan and keeps the link -----------------


def test_progress_add_through_a_symlink_edits_the_real_plan(tplan, tmp_path):
    real = tmp_path / "plans" / "plan.yaml"
    real.parent.mkdir()
    real.write_text(TEXT)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    result = tplan("progress", "add", str(link), "--measure", "GAD-7", "--score", "11", "--date", "2026-03-30", "--today", "2026-04-01")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "score: 11" in real.read_text()
    assert sorted(p.name for p in real.parent.iterdir()) == ["plan.yaml"]  # no temp file left


# ---- 5. aliases: shared once built, and a "billion laughs" file is a quick E001 -------------------


def billion_laughs() -> str:
    lines = ["tplan: 1", "a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines + ["strengths: *i"]) + "\n"


def test_an_alias_bomb_is_an_e001_in_well_under_a_second(tplan, tmp_path):
    import time

    text = billion_laughs()
    assert len(text) < 500
    start = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_text(text)
    assert time.perf_counter() - start < 0.5
    assert caught.value.code == "E001" and "too many aliases" in caught.value.message
    (tmp_path / "bomb.yaml").write_text(text)
    result = tplan("lint", str(tmp_path / "bomb.yaml"))
    assert result.returncode == 2 and "E001" in result.stdout and "too many aliases" in result.stdout


def test_aliases_in_a_plan_keep_placeholders_duplicates_and_positions():
    text = TEXT.replace("tplan: 1\n", "tplan: 1\nx-shared: &shared {room: <room>, floor: 2, floor: 3}\nx-again: *shared\n")
    doc = load_text(text)
    assert doc.data["x-again"] == {"room": "<room>", "floor": 3}
    assert [d.path for d in doc.duplicates] == [("x-shared", "floor")]  # one text position, one finding
    assert [p for p, _ in doc.placeholders] == [("x-shared", "room"), ("x-again", "room")]
    assert doc.locate(("x-again", "room")) == doc.locate(("x-shared", "room"))
    assert lint(text) == ["3:26 T601", "3:26 T601", "3:44 E006"]  # T601 once per path, E006 once


# ---- 6. very deep flow nesting is refused before ruamel's C composer crashes on it ----------------


def test_very_deep_nesting_is_an_e001_not_a_crash(tplan, tmp_path):
    plan = tmp_path / "deep.yaml"
    plan.write_text("tplan: 1\nx: " + "[" * 50000 + "]" * 50000 + "\n")
    result = tplan("lint", str(plan))
    assert result.returncode == 2, result  # 139 (segmentation fault) before
    assert f"{plan}:2:1004: E001 error invalid YAML: nested too deeply" in result.stdout


def test_brackets_in_quotes_comments_and_balanced_lists_do_not_count_as_nesting():
    many = "[" * 1500
    text = f"tplan: 1\nquoted: \"{many}\"\nsingle: '{many}'\n# {many}\n"
    text += "".join(f"- {{note: client's mood {i}, n: [[1]]}}\n" for i in range(400)).replace("- ", "  - ").join(["items:\n", ""])
    doc = load_text(text)
    assert doc.data["quoted"] == many and len(doc.data["items"]) == 400
    with pytest.raises(LoadError, match="nested too deeply"):
        load_text("tplan: 1\nx: " + "{a: " * 1001 + "1" + "}" * 1001 + "\n")


# ---- 7. a named pipe called *.yaml is skipped in a folder and refused by name -------------------


def test_a_named_pipe_never_hangs_the_run(tplan, tmp_path):
    import os

    (tmp_path / "plan.yaml").write_text(TEXT)
    os.mkfifo(tmp_path / "pipe.yaml")
    folder = tplan("lint", "--today", "2026-04-01", str(tmp_path))
    assert folder.returncode == 0 and "1 file checked" in folder.stdout, folder.stdout
    named = tplan("lint", "--today", "2026-04-01", str(tmp_path / "pipe.yaml"), str(tmp_path / "plan.yaml"))
    assert named.returncode == 2
    assert f"{tmp_path / 'pipe.yaml'}: E000 error not a regular file" in named.stdout


# ---- 8. `extensions:` is an ordinary unknown key; x- keys are still kept aside ---------------------


def test_x_keys_are_kept_aside_and_extensions_is_not_a_field():
    from tplan.schema.plan import Plan

    plan = Plan.model_validate(load_text(TEXT.replace("tplan: 1\n", "tplan: 1\nx-room: 4\n")).data)
    assert plan.extensions == {"x-room": 4}
    assert "extensions" not in Plan.model_fields


# ---- 9. the format version is the integer 1, not `true` or `1.0` ---------------------------------


@pytest.mark.parametrize("version", ["true", "1.0", "'1'"])
def test_only_the_integer_1_is_format_version_1(version):
    with pytest.raises(LoadError) as caught:
        lint(TEXT.replace("tplan: 1\n", f"tplan: {version}\n"))
    assert (caught.value.code, caught.value.line, caught.value.column) == ("E005", 2, 8)


# ---- 11. dates on the command line and in plans are YYYY-MM-DD only ------------------------------


@pytest.mark.parametrize("value", ["2026W051", "2026-W05-1", "20261201"])
def test_date_options_take_yyyy_mm_dd_only(tplan, tmp_path, value):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT)
    runs = [
        tplan("lint", "--today", value, str(plan)),
        tplan("progress", "add", str(plan), "--measure", "GAD-7", "--score", "5", "--date", value),
        tplan("new", "--template", "burnout", "--start", value),
    ]
    for result in runs:
        assert result.returncode == 2, result.args
        assert f"must be a date written as YYYY-MM-DD, e.g. 2026-12-01 (got '{value}')" in result.stderr
    assert plan.read_text() == TEXT


# ---- 12. one output check for new, render and schema ---------------------------------------------


def test_a_command_taking_one_plan_refuses_a_folder_in_one_line(tplan, tmp_path):
    (tmp_path / "plan.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = tplan("export", str(tmp_path), "--fhir")
    assert result.returncode == 2
    assert result.stderr == f"tplan: error: {tmp_path} is a folder; export takes one plan file\n"
    missing = tplan("export", str(tmp_path / "nope.yaml"), "--fhir")
    assert missing.returncode == 2 and missing.stderr == f"tplan: error: {tmp_path / 'nope.yaml'}: no such file\n"


def test_output_checks_refuse_folders_even_with_force_and_never_replace_the_plan(tplan, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(TEXT)
    folder = tmp_path / "out"
    folder.mkdir()
    for args in (
        ("render", str(plan), "--force", "-o", str(folder)),
        ("schema", "--force", "-o", str(folder)),
        ("new", "-t", "burnout", "--force", "-o", str(folder)),
    ):
        result = tplan(*args)
        assert result.returncode == 2, args
        assert f"{folder} is a folder; give a file name" in result.stderr and "internal error" not in result.stderr, args
    link = tmp_path / "link.yaml"
    link.symlink_to(plan)
    itself = tplan("render", str(plan), "--force", "-o", str(link))
    assert itself.returncode == 2 and "is the input file itself" in itself.stderr
    assert plan.read_text() == TEXT and link.is_symlink() and list(folder.iterdir()) == []
