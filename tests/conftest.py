"""Shared helpers: run `tplan` as a user would (in this process, or as the installed program)."""

from __future__ import annotations

import fcntl
import functools
import gc
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MINIMAL = Path(__file__).parent / "fixtures" / "minimal.yaml"


class LazyModule:
    """A module imported when one of its names is first used. Every test worker imports every test
    file to collect it; a library only some tests need (lsprotocol.types alone takes ~0.5 s to
    import) is then imported only by the worker that runs them."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):  # pytest's collector probes module-level objects (`_mock_name`, ...)
            raise AttributeError(attribute)
        import importlib

        return getattr(importlib.import_module(self._name), attribute)


def tplan_command() -> list[str]:
    """The installed `tplan` program (the console script next to this Python, else `python -m`)."""
    exe = shutil.which("tplan", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "tplan"]


TEST_ENV = {"NO_COLOR": "1", "COLUMNS": "200"}


def run_tplan_process(
    *args: str, cwd: str | os.PathLike | None = None, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Start the installed program, as a user's shell does. For the few tests marked `process`:
    the entry point itself, its exit path, pipes, signals and bytes that no in-process call can
    stand in for. A hang fails the test after `timeout` seconds, not the suite."""
    env = {**os.environ, **TEST_ENV}
    return subprocess.run(
        [*tplan_command(), *args], capture_output=True, text=True, cwd=cwd, input=input, env=env, timeout=timeout
    )


def synthetic_corpus(folder: Path, n: int) -> list[Path]:
    """The benchmark's own synthetic plans (benchmarks/gen_corpus.py), n of them written into
    folder, made in this process: a fixture that started a Python program for it escaped the
    process-mark guard, which sees only tests."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_corpus", ROOT / "benchmarks" / "gen_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    saved = sys.argv
    sys.argv = ["gen_corpus.py", str(folder), str(n)]
    try:
        module.main()
    finally:
        sys.argv = saved
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == n
    return files


def fresh_tplan(*args: str, before: str = "", cwd: str | os.PathLike = ROOT) -> subprocess.CompletedProcess:
    """`tplan ARGS` through main() in a fresh interpreter, after the Python code in `before`: for
    what a command imports, which no in-process run can tell (this process has imported everything).
    Its stdout ends with MODULES=[every module imported] (see imported_modules) and EXIT=code."""
    program = f"""
import sys, json
{before}
sys.argv = ["tplan", *{list(args)!r}]
from tplan.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print("MODULES=" + json.dumps(sorted(sys.modules)))
print("EXIT=" + str(code))
"""
    env = {**os.environ, **TEST_ENV}
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def fresh_lint_of_the_examples(*args: str) -> subprocess.CompletedProcess:
    """fresh_tplan("lint", "--today", "2026-12-01", *args) on the examples (files no test changes),
    run once per test run and shared by the suites that each check other modules it must not import."""
    def run() -> str:
        result = fresh_tplan("lint", "--today", "2026-12-01", *args)
        return json.dumps([result.returncode, result.stdout, result.stderr])

    name = "fresh-lint-" + "-".join(Path(arg).name for arg in args) + ".json"
    code, stdout, stderr = json.loads(once_per_run(name, run))
    return subprocess.CompletedProcess(["tplan", "lint", "--today", "2026-12-01", *args], code, stdout, stderr)


def imported_modules(result: subprocess.CompletedProcess) -> set[str]:
    """The modules a fresh_tplan run had imported when the command returned."""
    line = next((line for line in result.stdout.splitlines() if line.startswith("MODULES=")), None)
    assert line is not None, result.stdout + result.stderr
    return set(json.loads(line[len("MODULES="):]))


@functools.cache
def _click_command(app: object, get_command: Callable[[object], object]) -> object:
    """The click command typer builds from a Typer app, built once per test process. Typer builds
    it again on every call of the app (the signatures and type hints of ~40 functions read: ~15 ms),
    which the program pays once and a test process paid on every run_tplan. Click's commands are
    made to be invoked again and again (click's own tests invoke one command object many times)."""
    return get_command(app)


def run_tplan(
    *args: str | os.PathLike, cwd: str | os.PathLike | None = None, input: str | None = None
) -> subprocess.CompletedProcess:
    """Run `tplan ARGS` in this process through the same `main()` the console script calls, with
    stdin, stdout, stderr, the environment, the working folder and argv swapped for the call (click's
    test isolation, through typer): the same exit codes and output as the program, without ~0.3 s of
    start-up. The click command typer makes of the app is made once (_click_command)."""
    import typer.main
    from typer.testing import CliRunner  # typer vendors click: no separate click package

    from tplan import cli

    build = typer.main.get_command
    argv = ["tplan", *map(str, args)]
    old_argv, old_cwd, old_threshold = sys.argv, os.getcwd(), gc.get_threshold()
    with CliRunner().isolation(input=input, env=TEST_ENV) as (out, err, _):
        sys.argv = argv
        typer.main.get_command = functools.partial(_click_command, get_command=build)  # what Typer.__call__ calls
        try:
            if cwd is not None:
                os.chdir(cwd)
            cli.main()
            code = 0
        except SystemExit as exc:
            code = _exit_status(exc.code)
        finally:
            typer.main.get_command = build
            sys.stdout.flush()
            sys.stderr.flush()
            sys.argv = old_argv
            os.chdir(old_cwd)
            gc.unfreeze()  # main() freezes the heap for a short-lived program; a test process is not one
            gc.set_threshold(*old_threshold)
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "backslashreplace")
    return subprocess.CompletedProcess(argv, code, _universal_newlines(stdout), _universal_newlines(stderr))


def _universal_newlines(text: str) -> str:
    """What a subprocess's text mode reads: every line end as a newline."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _exit_status(code: object) -> int:
    """The status a process leaving with sys.exit(code) reports: None is 0, a message is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


@pytest.fixture
def tplan():
    return run_tplan


_RUN_FOLDER: list[Path] = []  # the folder every test process of this run shares (set once per process)


@pytest.fixture(autouse=True, scope="session")
def _run_folder(tmp_path_factory):
    """The folder pytest-xdist's workers share (the parent of each worker's temporary folder), for once_per_run."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "once-per-run"
    folder.mkdir(exist_ok=True)
    _RUN_FOLDER[:] = [folder]


def once_per_run(name: str, make: Callable[[], str]) -> str:
    """The text make() returns, made once per test run by whichever test process asks first: a
    lock makes the other workers wait for it, and the file appears whole or not at all. For
    results that tests in both workers need and that cost a noticeable time to make."""
    if not _RUN_FOLDER:  # outside a test session (a helper imported by a script)
        return make()
    out = _RUN_FOLDER[0] / name
    with open(out.with_name(name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            part = out.with_name(name + ".part")
            part.write_text(make(), encoding="utf-8")
            part.rename(out)
    return out.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _starting_a_program_needs_the_process_mark(request, monkeypatch):
    """Keep the set of tests that start programs small and named: a test without the `process`
    mark that starts one fails with a line saying so (the CLI runs in-process through run_tplan)."""
    if request.node.get_closest_marker("process"):
        return

    real_init = subprocess.Popen.__init__

    def refuse(self, args, *rest, **options):
        program = os.fsdecode(args if isinstance(args, (str, bytes)) else args[0])
        if _is_a_test_program(program):
            raise AssertionError(f"this test starts {program!r}: use run_tplan, or mark it @pytest.mark.process")
        real_init(self, args, *rest, **options)  # a library's own helper (ctypes runs ldconfig to find Pango)

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)


def _is_a_test_program(program: str) -> bool:
    """The programs tests start: tplan itself, a Python interpreter (python -m tplan, pre-commit,
    a fresh interpreter to check imports), a browser, git."""
    name = Path(program).name
    return program == sys.executable or name.startswith("python") or name in {"tplan", "chromium", "git", "bash", "sh"}
