"""render and status read each plan once: one parse and one validation (linter.check_text)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import MINIMAL

from tplan import linter, loader


@pytest.fixture
def counts(monkeypatch):
    """How often a plan's YAML is loaded (the measures catalogue is YAML too: not counted) and
    the Plan validated, wherever it is called from."""
    seen = {"load": 0, "validate": 0}
    real_load, real_validate = loader.load_text, linter.validate

    def load(text, *args, **kwargs):
        seen["load"] += "\ntplan: 1\n" in text
        return real_load(text, *args, **kwargs)

    def validate(*args, **kwargs):
        seen["validate"] += 1
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(loader, "load_text", load)
    monkeypatch.setattr(linter, "load_text", load)
    monkeypatch.setattr(linter, "validate", validate)
    import tplan.commands.render as render

    monkeypatch.setattr(render, "validate", validate)
    return seen


def test_render_parses_and_validates_once(counts, capsys):
    from tplan.commands.render import run_render

    assert run_render(str(MINIMAL), "md", today=dt.date(2026, 4, 1)) == 0
    assert "# " in capsys.readouterr().out
    assert counts == {"load": 1, "validate": 1}


def test_render_redacted_validates_the_reduced_data_too(counts, capsys):
    from tplan.commands.render import run_render

    assert run_render(str(MINIMAL), "md", redact=True, today=dt.date(2026, 4, 1)) == 0
    assert "Test Person" not in capsys.readouterr().out
    assert counts == {"load": 1, "validate": 2}


def test_status_parses_and_validates_each_plan_once(counts, tmp_path):
    from tplan.commands.status import collect_rows

    for i in range(3):
        (tmp_path / f"TP-{i}.yaml").write_text(MINIMAL.read_text().replace("TP-TEST-0001", f"TP-{i}"))
    rows = collect_rows([str(tmp_path)], dt.date(2026, 4, 1))
    assert [r.id for r in rows] == ["TP-0", "TP-1", "TP-2"] and {r.status for r in rows} == {"active"}
    assert counts == {"load": 3, "validate": 3}
