"""Shared helpers: run the installed `tplan` entry point as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


def tplan_command() -> list[str]:
    exe = shutil.which("tplan", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "tplan"]


def run_tplan(*args: str, cwd: str | os.PathLike | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [*tplan_command(), *args], capture_output=True, text=True, cwd=cwd, input=input, env=env, timeout=120
    )


@pytest.fixture
def tplan():
    return run_tplan
