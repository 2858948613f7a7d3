#!/usr/bin/env python3
"""Render (or status) against lint, timed as back-to-back pairs: the ratio a noisy machine cannot fake.

    python benchmarks/pairs.py CORPUS                 # 21 pairs: lint, then render FOLDER --md
    python benchmarks/pairs.py CORPUS --pairs 31 --command status

`benchmarks/run.py` compares medians taken minutes apart; on a machine whose speed swings by a
fifth from one minute to the next (docs/benchmarks.md, eighth round) that can flatter or wrong a
ratio near its target. Here each pair runs lint and then the other command straight after, and
the median of the pairs' own ratios is reported with its quartiles. Every render writes into a
new folder under a temporary folder that is removed only at the end (removing 1,000 files slows
the next file creations on some file systems: seventh round).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TODAY = "2026-12-01"  # the corpus lints clean (but for M501) on this day


def timed(args: list[str]) -> tuple[float, float]:
    """(wall, CPU of the process and its workers) of one tplan run, in seconds."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "tplan", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # lint exits 1 on the corpus's M501 warnings
        sys.exit(f"tplan {' '.join(args)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def spread(ratios: list[float]) -> str:
    quartiles = statistics.quantiles(ratios, n=4)
    return f"{statistics.median(ratios):.3f} (quartiles {quartiles[0]:.3f}-{quartiles[2]:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a folder of plans (benchmarks/gen_corpus.py makes one)")
    parser.add_argument("--pairs", type=int, default=21)
    parser.add_argument("--command", choices=("render", "status"), default="render")
    options = parser.parse_args()
    if options.pairs < 2:
        parser.error("--pairs must be 2 or more")
    if not os.path.isdir(options.corpus):
        parser.error(f"{options.corpus} is not a folder")
    outputs = tempfile.mkdtemp(prefix="tplan-pairs-")
    try:
        lint, other = [], []
        for n in range(options.pairs):
            lint.append(timed(["lint", "--today", TODAY, options.corpus]))
            if options.command == "render":
                other.append(timed(["render", "--today", TODAY, options.corpus, "--md", "-o", os.path.join(outputs, str(n))]))
            else:
                other.append(timed(["status", "--today", TODAY, options.corpus]))
    finally:
        shutil.rmtree(outputs, ignore_errors=True)
    print(f"{options.pairs} pairs, load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, runs in (("lint", lint), (options.command, other)):
        print(f"{name:7s} wall {statistics.median(w for w, _ in runs):.3f} s, CPU {statistics.median(c for _, c in runs):.3f} s (medians)")
    pairs = list(zip(lint, other, strict=True))
    print(f"{options.command} / lint, wall: {spread([theirs[0] / ours[0] for ours, theirs in pairs])}")
    print(f"{options.command} / lint, CPU:  {spread([theirs[1] / ours[1] for ours, theirs in pairs])}")


if __name__ == "__main__":
    main()
