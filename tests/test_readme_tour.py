"""The README's quick tour works verbatim in an empty folder and prints what the README shows."""

from __future__ import annotations

import re
import shlex

from conftest import ROOT, run_tplan

README = (ROOT / "README.md").read_text(encoding="utf-8")


def tour() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ tplan …` in the tour's first code block."""
    section = README.split("## A quick tour", 1)[1]
    block = re.search(r"^```\n(.*?)^```", section, re.S | re.M).group(1)
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:].split("  #")[0].strip(), []))
        elif line.strip():
            steps[-1][1].append(line)
    return steps


def test_the_tour_runs_verbatim_in_an_empty_folder(tmp_path):
    steps = tour()
    assert [c.split()[1] for c, _ in steps] == ["new", "lint", "explain", "render", "measures", "templates"]
    for command, expected in steps:
        args = shlex.split(command)
        assert args[0] == "tplan"
        result = run_tplan(*args[1:], cwd=tmp_path)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert "Traceback" not in result.stderr
        got = (result.stdout + result.stderr).splitlines()
        if "..." in expected:  # the README shows the first and last lines
            cut = expected.index("...")
            head, tail = expected[:cut], expected[cut + 1 :]
            assert got[: len(head)] == head and got[len(got) - len(tail) :] == tail, command
        elif expected:
            assert got == expected, command
        else:
            assert result.returncode == 0 and got, command
    assert (tmp_path / "plans" / "TP-2026-0042.yaml").is_file()
    assert (tmp_path / "TP-2026-0042.html").is_file()
