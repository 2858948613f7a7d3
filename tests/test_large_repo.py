"""A clinic repository with many plans: deterministic order, one bad file never stops the others."""

from __future__ import annotations

import random

from conftest import MINIMAL

FAR = MINIMAL.read_text().replace("    deadline: 2026-05-25", "    deadline: 2026-09-25")  # S107


def test_output_order_is_sorted_and_stable(tplan, tmp_path):
    names = [f"team-{t}/TP-{n:03d}.yaml" for t in "cab" for n in range(8)]
    random.Random(7).shuffle(names)  # create them in a scrambled order
    for name in names:
        path = tmp_path / "plans" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FAR.replace("id: TP-TEST-0001", f"id: {path.parent.name}-{path.stem}"))  # unique ids
    first = tplan("lint", "--today", "2026-04-01", "-q", "--select", "S107", str(tmp_path / "plans" / "team-b"), str(tmp_path / "plans"))
    second = tplan("lint", "--today", "2026-04-01", "-q", "--select", "S107", str(tmp_path / "plans"))
    files = [line.split(":")[0] for line in first.stdout.splitlines()]
    assert len(files) == 24 and files == sorted(files)  # each file once, in path order
    assert first.stdout == second.stdout


def test_one_bad_file_never_stops_the_others(tplan, tmp_path):
    (tmp_path / "a-deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "b-broken.yaml").write_text("goals: [\n")
    (tmp_path / "c-far.yaml").write_text(FAR)
    result = tplan("lint", "--today", "2026-04-01", str(tmp_path))
    assert result.returncode == 2
    assert "a-deep.yaml:1:1004: E001 error invalid YAML: nested too deeply" in result.stdout
    assert "b-broken.yaml:2:1: E001" in result.stdout
    assert "c-far.yaml:27:15: S107" in result.stdout
    assert "3 files checked" in result.stdout and "Traceback" not in result.stdout + result.stderr
