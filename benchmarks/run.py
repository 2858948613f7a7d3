#!/usr/bin/env python3
"""tplan's performance targets (issue 8), measured side by side in one run.

    python benchmarks/run.py                # 1,000- and 10,000-plan corpora, single-file timings
    python benchmarks/run.py --quick        # 1,000 plans only, fewer repeats (a smoke test)
    python benchmarks/run.py --quick --repeat 3 --single-repeat 21 --no-yamllint-corpus
                                            # issue 19's targets 1-3 on a busy machine

Run it with the project's virtualenv Python (`.venv/bin/python benchmarks/run.py`): tplan, the
ruamel.yaml baseline, yamllint and check-jsonschema (`pip install -e '.[bench]'`) are all taken
from the interpreter running this script. Each command runs in its own process; wall time, CPU
time (user + system, workers included, from wait4) and peak RSS (the largest single process, via GNU time) are
recorded, and the median over the repeats is reported. Timings are only comparable within a run:
on a busy machine every number grows, so compare the ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
TODAY = "2026-12-01"  # the corpus is generated to lint clean on this day
EXAMPLE = ROOT / "examples" / "burnout.yaml"

SAFE_LOAD = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
assert yaml.Parser.__name__ == "CParser", "ruamel.yaml.clib is not installed"
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"))
"""

# Issue 19's floor: ruamel's C parser producing the event stream, no composing, no objects.
SAFE_PARSE = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe")
assert yaml.Parser.__name__ == "CParser", "ruamel.yaml.clib is not installed"
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    for _ in yaml.parse(path.read_text(encoding="utf-8")):
        pass
"""

# Issue 19, target 3: the folder's render (`tplan render FOLDER --md -o OUT`), which finds plans as
# lint does and renders them in worker processes. Each run writes into a new, empty folder
# (FRESH in a command is replaced by one), as a first render of a repository does: nothing timed is
# spent on the previous run's files. The folders are removed when the benchmark ends, not after
# each run: on a file system mounted with online discard (this machine's ext4 is), removing 1,000
# files makes the next 1,000 files created wait for the discards, so a removal between runs was
# timed in whichever command created files next (1,000 new files: 50-110 ms of system time
# normally, 735 ms right after removing 1,000; docs/benchmarks.md, seventh round).
FRESH = "{fresh output folder}"
_outputs: list[Path] = []  # the folder holding every run's output, made at the first FRESH run


def fresh_folder() -> Path:
    if not _outputs:
        _outputs.append(Path(tempfile.mkdtemp(prefix="tplan-bench-out-")))
    return Path(tempfile.mkdtemp(dir=_outputs[0]))


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system, including waited-for child processes
    rss_mb: float  # peak resident set size of the largest process
    code: int
    out: str


# On Linux a child's ru_maxrss starts at its parent's resident size when it is forked, so a
# command started straight from this (large) Python process would report at least this process's
# memory. GNU time, a small process, starts the command instead and reports the command's own peak.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").is_file() and sys.platform.startswith("linux") else None


def run(cmd: list[str]) -> Run:
    """Run cmd to completion; CPU time from wait4 (so runs never mix), peak RSS via GNU time."""
    if FRESH in cmd:
        folder = fresh_folder()
        return run([str(folder / "out") if part == FRESH else part for part in cmd])
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as rss_file:
        wrapped = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd] if GNU_TIME else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        measured = rss_file.read().strip().splitlines()
    if GNU_TIME and measured and measured[-1].isdigit():
        rss_kb = float(measured[-1])
    else:
        rss_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS
    return Run(wall, usage.ru_utime + usage.ru_stime, rss_kb / 1024, proc.returncode, text)


@dataclass
class Result:
    name: str
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss(self) -> float:
        return max(r.rss_mb for r in self.runs)


def measure(commands: dict[str, list[str]], repeat: int) -> dict[str, Result]:
    """Run the commands in turn, `repeat` rounds, so that a busy spell hits all of them alike."""
    results = {name: Result(name, []) for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            results[name].runs.append(run(cmd))
    return results


def tool(name: str) -> str | None:
    exe = BIN / name
    return str(exe) if exe.exists() else None


def corpus(workdir: Path, n: int) -> Path:
    folder = workdir / f"corpus-{n}"
    if not folder.is_dir() or len(list(folder.glob("*.yaml"))) != n:
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), str(folder), str(n)], check=True)
    return folder


def tplan(*args: str) -> list[str]:
    return [sys.executable, "-m", "tplan", *args]


def has_command(name: str) -> bool:
    return run(tplan(name, "--help")).code == 0


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(
            line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    from importlib.metadata import version

    versions = ", ".join(f"{p} {version(p)}" for p in ("ruamel.yaml", "ruamel.yaml.clib", "pydantic", "typer"))
    return [
        f"- machine: {cpu}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {versions}",
        f"- load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def compiled() -> None:
    """Byte-compile tplan before timing it: with PYTHONDONTWRITEBYTECODE=1 (set in some shells and
    CI images) an editable install never writes its .pyc files and recompiles every module on
    every run (~20 ms of a one-file lint on a quiet core); the variable only stops writing them."""
    import compileall

    import tplan

    compileall.compile_dir(str(Path(tplan.__file__).parent), quiet=1)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("- PYTHONDONTWRITEBYTECODE is set: tplan's modules were byte-compiled first (compileall)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 plans only, fewer repeats")
    parser.add_argument("--repeat", type=int, help="rounds for corpus runs (default 3, quick 1)")
    parser.add_argument("--single-repeat", type=int, help="rounds for single-file runs (default 21, quick 7)")
    parser.add_argument("--no-yamllint-corpus", action="store_true", help="skip yamllint over the corpus (the slowest command; no target needs it)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tplan-bench")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    single_repeat = args.single_repeat or (7 if args.quick else 21)
    print("\n".join(machine()), flush=True)
    compiled()

    small = corpus(args.workdir, 1000)
    commands = {
        "tplan lint, 1k (default --jobs)": tplan("lint", "--today", TODAY, str(small)),
        "tplan lint, 1k, --jobs 1": tplan("lint", "--today", TODAY, "--jobs", "1", str(small)),
        "tplan lint, 1k, --ignore D702": tplan("lint", "--today", TODAY, "--ignore", "D702", str(small)),
        "ruamel safe load, 1k (1 process)": [sys.executable, "-c", SAFE_LOAD, str(small)],
        "ruamel C parse events, 1k (1 process)": [sys.executable, "-c", SAFE_PARSE, str(small)],
    }
    if has_command("status"):
        commands["tplan status, 1k"] = tplan("status", "--today", TODAY, str(small))
    if has_command("render"):
        commands["tplan render FOLDER --md -o OUT, 1k"] = tplan("render", "--today", TODAY, str(small), "--md", "-o", FRESH)
    if has_command("report"):  # issue 17: the caseload report reads each plan once, like lint
        commands["tplan report, 1k"] = tplan("report", "--today", TODAY, str(small))
    if tool("yamllint") and not args.no_yamllint_corpus:
        commands["yamllint, 1k"] = [tool("yamllint"), "-f", "parsable", str(small)]
    schema_file = args.workdir / "tplan.schema.json"
    if tool("check-jsonschema") and has_command("schema"):
        run(tplan("schema", "-o", str(schema_file), "--force"))
        files = [str(p) for p in sorted(small.glob("*.yaml"))]
        commands["check-jsonschema (tplan schema), 1k"] = [tool("check-jsonschema"), "--schemafile", str(schema_file), *files]
    results = measure(commands, repeat)
    if not args.quick:
        big = corpus(args.workdir, 10000)
        big_cmd = {
            "tplan lint, 10k (default --jobs)": tplan("lint", "--today", TODAY, str(big)),
            "tplan lint, 10k, --ignore D702": tplan("lint", "--today", TODAY, "--ignore", "D702", str(big)),
        }
        results.update(measure(big_cmd, repeat))

    single = {
        "tplan lint plan.yaml": tplan("lint", "--today", TODAY, str(EXAMPLE)),
        "yamllint plan.yaml": [tool("yamllint") or "yamllint", str(EXAMPLE)],
    }
    render_available = has_command("render")
    if render_available:  # the issue's command as written; the HTML goes to the captured stdout
        single["tplan render plan.yaml --html"] = tplan("render", str(EXAMPLE), "--html")
    if not tool("yamllint"):
        del single["yamllint plan.yaml"]
    results.update(measure(single, single_repeat))

    report(results, render_available, repeat, single_repeat)
    print(relint_line(single_repeat * 5))
    print(f"- load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if _outputs:  # every timed command has run: removing the rendered documents now times nothing
        shutil.rmtree(_outputs[0], ignore_errors=True)
    return 0


def relint_line(runs: int) -> str:
    """`tplan lsp`'s re-lint of an open buffer after a keystroke, in this process: the folder's
    cached settings, the server's own `buffer_findings` on the unsaved text and the conversion to
    LSP diagnostics (what it does once the debounce has passed; not the JSON-RPC round trip)."""
    try:
        from tplan.lsp.analysis import SettingsCache, buffer_findings
        from tplan.lsp.convert import to_lsp_all
        from tplan.lsp.positions import split_lines
    except ImportError:
        return "\n(in-server re-lint: not measured, the lsp extra is not installed: pip install -e '.[lsp]')"
    text, cache, wall, cpu = EXAMPLE.read_text(encoding="utf-8"), SettingsCache(), [], []
    for i in range(runs + 5):
        edited = text.replace("baseline: 14", f"baseline: {10 + i % 5}", 1)  # a new buffer each time
        start, start_cpu = time.perf_counter(), time.process_time()
        diagnostics, _ = buffer_findings(edited, str(EXAMPLE), cache.settings_for(EXAMPLE))
        to_lsp_all(diagnostics, split_lines(edited))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    ms, cpu_ms = (statistics.median(t[5:]) * 1000 for t in (wall, cpu))  # the first runs warm the caches
    met = "yes" if ms <= 20 else "NO"
    return f"\nIn-server re-lint of {EXAMPLE.name} (tplan lsp, after the debounce): median {ms:.1f} ms wall, {cpu_ms:.1f} ms CPU, of {runs} (target ≤ 20 ms: {met})."


def report(results: dict[str, Result], render_available: bool, repeat: int, single_repeat: int) -> None:
    print(f"\nCorpus runs: median of {repeat}; single-file runs: median of {single_repeat}.\n")
    print("| command | wall (s) | CPU (s) | peak RSS (MB) | exit |")
    print("|---|---:|---:|---:|---:|")
    for r in results.values():
        codes = sorted({run.code for run in r.runs})
        print(f"| {r.name} | {r.wall:.3f} | {r.cpu:.3f} | {r.rss:.0f} | {','.join(map(str, codes))} |")

    get = results.get
    lint1k, load1k = get("tplan lint, 1k (default --jobs)"), get("ruamel safe load, 1k (1 process)")
    lint10k = get("tplan lint, 10k (default --jobs)")
    one, yl, render = get("tplan lint plan.yaml"), get("yamllint plan.yaml"), get("tplan render plan.yaml --html")
    # The generated corpus repeats five goal statements across all its plans, so D702 (info: copied
    # goals) fires on every plan; clean means exit 0 with no error or warning.
    clean = all(r.code == 0 and not re.search(r"\d+ (error|warning)", r.out) for r in lint1k.runs)
    rows = [("0. the 1k corpus lints clean", "exit 0, no errors or warnings", "yes" if clean else "NO", clean)]
    ratio = lint1k.wall / load1k.wall
    cpu = f" (CPU {lint1k.cpu / load1k.cpu:.2f})"
    rows.append(("1. lint 1k ≤ 0.6× ruamel safe load", "≤ 0.60", f"{ratio:.2f}{cpu}", ratio <= 0.6))
    if lint10k:
        per_plan = (lint10k.wall / 10000) / (lint1k.wall / 1000)
        rows.append(("2a. 10k time per plan vs 1k", "≤ 1.10", f"{per_plan:.2f}", per_plan <= 1.10))
        rss = lint10k.rss / lint1k.rss
        rows.append(("2b. 10k peak RSS vs 1k", "≤ 1.20", f"{rss:.2f}", rss <= 1.20))
        quiet1k, quiet10k = get("tplan lint, 1k, --ignore D702"), get("tplan lint, 10k, --ignore D702")
        rss = quiet10k.rss / quiet1k.rss  # without the 30,000 D702 findings the corpus provokes
        rows.append(("2b'. the same without D702's findings", "≤ 1.20", f"{rss:.2f}", rss <= 1.20))
    if yl:
        ratio = one.wall / yl.wall
        cpu = f" (CPU {one.cpu / yl.cpu:.2f})"
        rows.append(("3. single file: tplan lint vs yamllint", "≤ 1.00", f"{ratio:.2f}{cpu}", ratio <= 1.0))
    if render:
        ratio = render.wall / one.wall
        ok = ratio <= 2.0 and all(r.code == 0 for r in render.runs)
        if not ok and render.runs[0].code:
            print(f"\n(render failed: {render.runs[0].out.strip()[:300]})")
        rows.append(("4. render --html vs single-file lint", "≤ 2.00", f"{ratio:.2f}", ok))
    else:
        rows.append(("4. render --html vs single-file lint", "≤ 2.00", "not available", None))
    caseload = get("tplan report, 1k")
    if caseload:
        ratio = caseload.wall / lint1k.wall
        cpu = f" (CPU {caseload.cpu / lint1k.cpu:.2f})"
        rows.append(("5. report 1k vs lint 1k", "≤ 1.50", f"{ratio:.2f}{cpu}", ratio <= 1.5 and all(r.code == 0 for r in caseload.runs)))
    rows.extend(issue19_rows(results))
    print("\nRatios are of median wall times (CPU-time ratios in brackets: less sensitive to a busy machine).")
    print("\n| target | goal | measured | met |")
    print("|---|---|---|---|")
    for name, goal, measured, met in rows:
        print(f"| {name} | {goal} | {measured} | {'—' if met is None else 'yes' if met else 'NO'} |")


def issue19_rows(results: dict[str, Result]) -> list[tuple[str, str, str, bool | None]]:
    """Issue 19's targets 2 and 3 (its target 1 is row 3 above, its target 4 rows 2a and 2b)."""
    get, rows = results.get, []
    lint1, parse = get("tplan lint, 1k, --jobs 1"), get("ruamel C parse events, 1k (1 process)")
    ratio = lint1.cpu / parse.cpu
    rows.append(("i19-2. lint --jobs 1 CPU vs C parser events, 1k", "≤ 2.00", f"{ratio:.2f}", ratio <= 2.0))
    lint = get("tplan lint, 1k (default --jobs)")
    for name in ("tplan status, 1k", "tplan render FOLDER --md -o OUT, 1k"):
        if get(name):
            ratio = get(name).wall / lint.wall
            rows.append((f"i19-3. {name.removesuffix(', 1k')} vs lint, 1k", "≤ 1.20", f"{ratio:.2f} (CPU {get(name).cpu / lint.cpu:.2f})", ratio <= 1.2))
    return rows


if __name__ == "__main__":
    sys.exit(main())
