"""One function over many plan files, in worker processes when there are enough of them, results
in file order: for `tplan status` and `tplan report`, which read a caseload the way `tplan lint`
does (lint has its own pool in tplan.workers, which also survives a worker that crashes)."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")

MIN_FILES_PER_WORKER = 16  # below this, starting a process costs more than it saves


def checked_jobs(jobs: int | None) -> int | None:
    """A command's --jobs as given (None: one worker per core), or one clear error for 0 or less;
    lint, render, status and report take the same option."""
    if jobs is not None and jobs < 1:
        from tplan.errors import TplanError

        raise TplanError(f"--jobs must be 1 or more (got {jobs}); leave it out to use one worker per CPU core")
    return jobs


def collector_paused(func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` (one plan's work) with the cycle collector paused: a plan makes tens of thousands
    of short-lived objects and hardly any cycles. The linter's check is paused so; a command that
    goes on with the plan (render, status) pauses its whole work too, else the collector's first
    pass after the check walks every object the check made that is still in use (~0.1-0.2 ms a
    plan). When the plan is done its objects are freed by reference counting; what cycles it made
    are collected by the next pass."""

    @functools.wraps(func)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return paused


_job: tuple[Callable[..., Any], tuple[Any, ...]] | None = None


def map_files(func: Callable[..., R], files: Sequence[T], args: tuple[Any, ...], jobs: int | None = None) -> list[R]:
    """[func(file, *args) for file in files] (a file is a path, or whatever `func` takes, e.g. (path,
    output) for a folder's render); with `jobs` None (one worker per core) or above 1,
    in that many worker processes when each gets MIN_FILES_PER_WORKER files or more. `func` must
    be a module-level function (workers find it by name)."""
    if jobs != 1 and len(files) >= 2 * MIN_FILES_PER_WORKER:
        from tplan.workers import default_jobs

        count = min(jobs or default_jobs(), len(files) // MIN_FILES_PER_WORKER)
        if count > 1:
            results = in_workers(func, files, args, count)
            if results is not None:
                return results
    return [func(f, *args) for f in files]


def in_workers(func: Callable[..., R], files: Sequence[T], args: tuple[Any, ...], count: int) -> list[R] | None:
    """The results from `count` forked workers, or None when no pool could run (the caller then
    reads the files itself, so a broken pool costs time, never a result)."""
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from tplan.workers import tasks

    chunks = tasks(files, count)
    try:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
        pool = ProcessPoolExecutor(count, mp_context=context, initializer=_start, initargs=((func, args),))
    except (OSError, ImportError, NotImplementedError):
        return None
    try:
        out: list[R] = []
        for chunk_result in pool.map(_chunk, chunks):
            out += chunk_result
        return out
    except BrokenProcessPool:
        return None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(job: tuple[Callable[..., Any], tuple[Any, ...]]) -> None:
    global _job
    _job = job


def _chunk(files: list[Any]) -> list[Any]:
    assert _job is not None
    func, args = _job
    return [func(f, *args) for f in files]
