"""The lint path's fast route (issue 19): validation with the generated pydantic_core schema.

Guards, not timings: the shipped schema equals what the models produce, lint builds no model
classes when it is current, findings are identical with and without it, and another pydantic
version falls back to the models.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import fresh_tplan, imported_modules, synthetic_corpus
from ruamel.yaml import YAML

from tplan.linter import LintSettings, check_text, lint_text
from tplan.loader import LoadError
from tplan.measures import builtin_catalogue
from tplan.schema import core

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).parent
MINIMAL = (HERE / "fixtures" / "minimal.yaml").read_text(encoding="utf-8")
CASES = YAML(typ="safe").load((HERE / "cases.yaml").read_text(encoding="utf-8"))
MODEL_MODULES = ("tplan.schema.base", "tplan.schema.plan", "tplan.schema.goals", "tplan.schema.care", "tplan.schema.client", "tplan.schema.clinical")


def both_ways(text: str, file: str, settings: LintSettings) -> tuple[list[tuple], list[tuple]]:
    """Every finding as (code, severity, message, position, path), on the fast route and with the models."""

    def rows(result) -> list[tuple]:
        found = [(d.code, d.severity, d.message, d.line, d.column, d.end_line, d.end_column, d.path) for d in result.diagnostics]
        return found + [("facts", result.facts, result.silenced)]

    def lint(fast: bool) -> list[tuple]:
        try:
            return rows(lint_text(text, file, settings, catalogue) if fast else check_text(text, file, settings, catalogue, fast=False).result)
        except LoadError as exc:  # not a plan at all: the same error either way
            return [("LoadError", exc.code, exc.message, exc.line, exc.column)]

    catalogue = builtin_catalogue()
    return lint(True), lint(False)


def test_the_fast_route_is_in_use():
    assert core.validator() is not None, "the shipped schema is not current: run python scripts/gen_core_schema.py"


def test_the_shipped_schema_equals_what_the_models_produce():
    shipped = core.read()
    assert shipped is not None
    assert core.dumps(shipped) == core.dumps(core.generate())


@pytest.mark.process  # the maintainer's command itself
def test_regenerating_is_one_command_and_check_passes():
    # The lead may fold fields of the models together later: this is the command to run then.
    check = subprocess.run([sys.executable, "scripts/gen_core_schema.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "gen_core_schema.py" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_check_fails_on_a_stale_schema(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_core_schema
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    stale = tmp_path / core.SCHEMA_FILE
    stale.write_text(core.dumps({**core.generate(), "schema": {"type": "any"}}), encoding="utf-8")
    monkeypatch.setattr(gen_core_schema, "TARGET", stale)
    assert gen_core_schema.main(["--check"]) == 1
    assert gen_core_schema.main([]) == 0
    assert gen_core_schema.main(["--check"]) == 0


def test_a_validator_outside_the_values_module_cannot_be_exported():
    def local(value):
        return value

    with pytest.raises(core.SchemaExportError, match="tplan.schema.values"):
        core.export({"type": "function-plain", "function": {"type": "no-info", "function": local}})
    with pytest.raises(core.SchemaExportError):
        core.export({"type": "any", "default": object()})


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case_findings_are_identical_either_way(case):
    text = MINIMAL
    for old, new in case["replace"]:
        text = text.replace(old, new)
    today = dt.date.fromisoformat(str(case.get("today", "2026-04-01")))
    fast, models = both_ways(text, case.get("file", "plan.yaml"), LintSettings(today=today))
    assert fast == models
    assert len(fast) > 1 or case["expect"] == []  # the comparison saw the case's findings


def _corpus_and_drafts(tmp_path: Path) -> list[Path]:
    templates = sorted((ROOT / "src" / "tplan" / "templates").glob("*.yaml"))  # placeholders: the partial validation
    return synthetic_corpus(tmp_path / "corpus", 300) + sorted((ROOT / "examples").glob("*.yaml")) + templates


def test_corpus_findings_are_identical_either_way(tmp_path):
    settings = LintSettings(today=dt.date(2026, 12, 1))
    compared = 0
    for path in _corpus_and_drafts(tmp_path):
        fast, models = both_ways(path.read_text(encoding="utf-8"), str(path), settings)
        assert fast == models, path.name
        compared += len(fast) - 1
    assert compared > 0  # the corpus has findings (M501, D702's facts), so the comparison is not empty


def test_fast_plans_keep_the_models_behaviour():
    text = MINIMAL.replace("tplan: 1\n", "tplan: 1\nx-clinic-room: B2\n", 1)
    assert "x-clinic-room" in text
    catalogue, settings = builtin_catalogue(), LintSettings(today=dt.date(2026, 4, 1))
    fast = check_text(text, "plan.yaml", settings, catalogue, fast=True).plan
    model = check_text(text, "plan.yaml", settings, catalogue, fast=False).plan
    assert type(model).__module__ == "tplan.schema.plan" and type(fast).__module__ == "tplan.schema.core"
    assert fast.extensions == model.extensions == {"x-clinic-room": "B2"}
    assert len(fast.client.emergency_contacts) == len(model.client.emergency_contacts)
    assert [e.narrative for e in fast.progress] == [e.narrative for e in model.progress]
    assert [g.statement for g in fast.goals] == [g.statement for g in model.goals]
    assert fast.created == model.created and fast.status == model.status


def _same_tree(fast, model, where="plan"):
    """The fast plan and the model hold the same values, class by class, with the same mixins
    (isinstance(item, GoalMixin) and the like: what attainment and the rules test)."""
    from pydantic import BaseModel

    if isinstance(model, BaseModel):
        assert type(fast).__name__ == type(model).__name__, where
        behaviour = [c for c in type(model).__mro__ if c.__module__ == "tplan.schema.values"]
        assert [c for c in type(fast).__mro__ if c.__module__ == "tplan.schema.values"] == behaviour, where
        for name in type(model).model_fields:
            _same_tree(getattr(fast, name), getattr(model, name), f"{where}.{name}")
    elif isinstance(model, (list, tuple)):
        assert type(fast) is type(model) and len(fast) == len(model), where
        for i, (f, m) in enumerate(zip(fast, model, strict=True)):
            _same_tree(f, m, f"{where}[{i}]")
    elif isinstance(model, dict):
        assert fast.keys() == model.keys(), where
        for key in model:
            _same_tree(fast[key], model[key], f"{where}[{key!r}]")
    else:
        assert type(fast) is type(model) and fast == model, where


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.yaml")) + ["minimal.yaml"])
def test_fast_plans_hold_what_the_models_hold(example):
    path = ROOT / "examples" / example if example != "minimal.yaml" else HERE / "fixtures" / example
    text, catalogue, settings = path.read_text(encoding="utf-8"), builtin_catalogue(), LintSettings(today=dt.date(2026, 12, 1))
    fast = check_text(text, str(path), settings, catalogue, fast=True).plan
    model = check_text(text, str(path), settings, catalogue, fast=False).plan
    assert fast is not None and model is not None
    _same_tree(fast, model)


def test_another_pydantic_version_falls_back_to_the_models(monkeypatch):
    monkeypatch.setattr(core, "versions", lambda: {"pydantic": "0.0", "pydantic_core": "0.0"})
    core.validator.cache_clear()
    try:
        assert core.validator() is None
        text = MINIMAL.replace("tplan: 1\n", "tplan: 1\nstatuss: active\n", 1)
        result = lint_text(text, "plan.yaml", LintSettings(today=dt.date(2026, 4, 1)), builtin_catalogue())
        plan = check_text(MINIMAL, "plan.yaml", LintSettings(today=dt.date(2026, 4, 1)), builtin_catalogue(), fast=True).plan
        assert type(plan).__module__ == "tplan.schema.plan"  # the model itself
        assert [d.code for d in result.diagnostics] == ["E004"]  # the unknown key is still reported
    finally:
        core.validator.cache_clear()


def _modules_after_lint(*args: str) -> dict:
    """The exit code and the tplan.schema and pydantic modules imported by `tplan lint ARGS` in a fresh process."""
    result = fresh_tplan("lint", *args)
    code = next(line for line in result.stdout.splitlines() if line.startswith("EXIT="))[len("EXIT="):]
    return {"code": int(code), "modules": sorted(m for m in imported_modules(result) if m.startswith(("tplan.schema", "pydantic")))}


@pytest.mark.process  # a fresh interpreter: which modules one lint imports
def test_lint_of_a_clean_plan_builds_no_model_classes():
    seen = _modules_after_lint("--today", "2026-12-01", "examples/burnout.yaml")
    assert seen["code"] == 0
    assert "tplan.schema.core" in seen["modules"]  # the fast route ran
    assert not set(seen["modules"]) & set(MODEL_MODULES), seen["modules"]


@pytest.mark.process  # a fresh interpreter: which modules one lint imports
def test_lint_without_a_config_file_imports_no_pydantic(tmp_path):
    """pydantic_core validates the plan; pydantic itself (~40 ms to import) is needed only to read a
    config file, and only when there is one."""
    plan = tmp_path / "plan.yaml"
    plan.write_text((ROOT / "examples" / "burnout.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    seen = _modules_after_lint("--today", "2026-12-01", str(plan))
    assert seen["code"] == 0
    assert [m for m in seen["modules"] if m == "pydantic" or m.startswith("pydantic.")] == [], seen["modules"]
    # Nor pydantic_core's Python package (its core_schema module alone was ~25 ms): only the
    # compiled validator (tplan.schema.compiled).
    assert [m for m in seen["modules"] if m.startswith("pydantic_core")] == ["pydantic_core._pydantic_core"], seen["modules"]


def test_the_keys_a_path_may_show_are_the_models_keys():
    """tplan.schema.keys reads the plan format's keys from the generated schema; the models are
    the source of truth."""
    from tplan.schema.keys import keys_of_the_models

    names = core.field_names()
    assert names is not None and "goals" in names and "from" in names  # `from`: an alias (changes[].from)
    assert names == keys_of_the_models()


@pytest.mark.process  # a fresh interpreter: which modules one lint imports
def test_json_output_names_paths_without_importing_pydantic(tmp_path):
    """A finding's path in JSON (and SARIF) output is checked against the plan format's keys: read
    from the generated schema, not from models built for it."""
    plan = tmp_path / "plan.yaml"
    text = (ROOT / "examples" / "burnout.yaml").read_text(encoding="utf-8")
    out_of_range = text.replace("    baseline: 14\n", "    baseline: 40\n", 1)  # PHQ-9 runs 0-27: S104
    assert out_of_range != text
    plan.write_text(out_of_range, encoding="utf-8")
    result = fresh_tplan("lint", "--today", "2026-12-01", "--format", "json", str(plan))
    assert "EXIT=1" in result.stdout, result.stdout + result.stderr
    assert '"yaml_path": "goals[0].baseline"' in result.stdout, result.stdout[:2000]
    modules = imported_modules(result)
    assert not [m for m in modules if m == "pydantic" or m.startswith("pydantic.")]


@pytest.mark.process  # a fresh interpreter: the extension loaded alone, then the package imported
def test_the_extension_loaded_alone_is_the_one_pydantic_core_uses():
    program = """
import sys
from tplan.schema.compiled import extension, validation_error
alone = extension()
assert "pydantic_core" not in sys.modules and "pydantic_core.core_schema" not in sys.modules
import pydantic_core
from tplan.schema.plan import Plan  # the models, built on the same classes
assert pydantic_core.SchemaValidator is alone.SchemaValidator
assert pydantic_core.ValidationError is validation_error()
assert pydantic_core.__version__ == alone.__version__
try:
    Plan.model_validate({"tplan": 1})
except validation_error() as exc:  # what the models raise is what the lint path catches
    print("CAUGHT", exc.error_count() > 0)
"""
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "CAUGHT True"


def test_the_extension_is_the_package_one_once_pydantic_core_is_imported():
    import pydantic_core

    from tplan.schema.compiled import extension, validation_error, version

    assert extension().SchemaValidator is pydantic_core.SchemaValidator
    assert validation_error() is pydantic_core.ValidationError
    assert version() == pydantic_core.__version__


def test_lint_with_findings_gives_the_same_output_as_the_models(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.replace("tplan: 1\n", "tplan: 1\nstatuss: active\n", 1), encoding="utf-8")
    fast, models = both_ways(plan.read_text(encoding="utf-8"), str(plan), LintSettings(today=dt.date(2026, 4, 1)))
    assert fast == models
    assert any(row[0] == "E004" for row in fast)  # the unknown key, with its "did you mean" from the models


def test_the_typer_app_returns_normally_in_process(monkeypatch):
    """Only the console-script function (tplan.cli.main) may leave through os._exit: the app run
    in-process (typer's CliRunner, as the test suite does) returns with its output and code."""
    from typer.testing import CliRunner

    from tplan import cli

    monkeypatch.setattr(cli, "_is_program_entry", lambda: True)  # even as if it were the program
    monkeypatch.setattr("os._exit", lambda code: pytest.fail("os._exit called inside the app"))
    result = CliRunner().invoke(cli.app, ["lint", "--today", "2026-04-01", str(HERE / "fixtures" / "minimal.yaml")])
    assert result.exit_code == 0
    assert result.output == "All clear: 1 file checked, no findings.\n"


def test_the_generated_schema_is_package_data():
    import tomllib

    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]["tplan"]
    assert f"schema/{core.SCHEMA_FILE}" in package_data  # installed with the wheel, not only in the checkout


def test_pydantics_version_is_read_without_importing_it():
    """Read from pydantic's version.py: were it "unknown", every lint would fall back to the models."""
    from pydantic.version import VERSION

    assert core._pydantic_version() == VERSION
