"""How the scaling tests time work: the CPU cost of a step, and the limit that tells linear from
quadratic growth without tripping on a busy machine's noise."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

# For 10x the input a linear step costs ~10x (measured 10-14x here: allocation and cache effects),
# a quadratic one ~100x. 30 sits between them on a log scale (sqrt(10 * 100) ~ 32), so noise on a
# shared machine does not fail a linear step and a quadratic one cannot pass.
LINEAR_LIMIT_FOR_10X = 30


def cpu_seconds(func: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of `repeat` runs of this process, the cyclic collector paused: its passes grow
    with everything alive in the test process, and the ratio is about tplan's algorithms. CPU time,
    not wall time: other processes on the machine do not count; the best run, since noise only adds."""
    best = float("inf")
    # One full collection, then what is alive is frozen: the collections between runs find the
    # runs' own garbage without scanning the whole test process again each time (0.05-0.2 s a
    # pass in a worker, growing with what it has loaded). The runs themselves are timed as before.
    gc.collect()
    gc.freeze()
    try:
        for _ in range(repeat):
            gc.collect()
            gc.disable()
            try:
                start = time.process_time()
                func()
                best = min(best, time.process_time() - start)
            finally:
                gc.enable()
    finally:
        gc.unfreeze()
    return best


def growth_for_10x(make: Callable[[int], str], small: int, func: Callable[[str], object], repeat: int = 3) -> float:
    """Cost on a 10x input over the cost on the small one."""
    a, b = make(small), make(small * 10)
    func(a)  # warm up (imports, caches)
    return cpu_seconds(lambda: func(b), repeat) / cpu_seconds(lambda: func(a), repeat)
