"""Lint many files in worker processes, with the same results as one process.

Why processes: linting is CPU-bound Python (YAML glue, pydantic, rules), so threads would wait on
each other; files are independent, so each worker lints whole files. Workers read their own files
(the corpus is never held in memory) and send back FileResults, which are small. The caller sorts
them, so the order never depends on which worker finished first.

Imported only when a run is big enough for a pool: one-file runs never load multiprocessing.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, TypeVar

from tplan.diagnostics import FileResult
from tplan.measures import Catalogue

if TYPE_CHECKING:  # the linter is imported in the worker, not when this module loads
    from tplan.linter import LintSettings

T = TypeVar("T")

CHUNK_MAX = 64  # files per task: enough to make the cost of a task negligible
CHUNK_MIN = 4  # the last tasks' size: the workers finish within a few files of each other

_settings: LintSettings | None = None
_catalogue: Catalogue | None = None


def default_jobs() -> int:
    """The cores this process may use (a CI container often gets fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def tasks(items: Sequence[T], workers: int) -> list[list[T]]:
    """`items` cut into the tasks of a pool of `workers`, largest first ("guided" scheduling): each
    task takes a share of what is left (1 / (2 × workers)), between CHUNK_MIN and CHUNK_MAX items.
    Big tasks early keep the cost of a task negligible; small ones at the end leave no worker
    alone with a long last task (equal tasks of 64 plans left one worker busy for up to a task's
    time, ~0.1-0.2 s, while the other waited)."""
    out: list[list[T]] = []
    start, total = 0, len(items)
    while start < total:
        size = max(CHUNK_MIN, min(CHUNK_MAX, (total - start) // (2 * workers)))
        out.append(list(items[start : start + size]))
        start += size
    return out


def lint_in_workers(
    files: list[str], settings: LintSettings, catalogue: Catalogue, jobs: int
) -> Iterator[tuple[list[FileResult], list[str]]] | None:
    """(FileResults, the files they are for) of each task of `files` linted by `jobs` worker
    processes, as the tasks finish, in the order of `files`: the caller folds each task's results
    in as they come instead of holding every file's full result to the end.

    None when no pool can be started here (some sandboxes forbid the semaphores it needs): the
    caller then lints in its own process. If a worker dies (a crash, not an exception: those are
    findings), the files it had not finished are re-checked (last) so that only the file that
    kills a worker is reported as such.
    """
    chunks = tasks(files, jobs)
    try:
        pool = _pool(jobs, settings, catalogue)
    except (OSError, ImportError, NotImplementedError):
        return None
    return _collect(pool, chunks, settings, catalogue, jobs)


def _collect(
    pool: ProcessPoolExecutor, chunks: list[list[str]], settings: LintSettings, catalogue: Catalogue, jobs: int
) -> Iterator[tuple[list[FileResult], list[str]]]:
    unfinished: list[str] = []
    try:
        pending = deque((pool.submit(_lint_chunk, chunk), chunk) for chunk in chunks)
        while pending:
            future, chunk = pending.popleft()  # a task's results are let go once handed over
            try:
                results = future.result()
            except BrokenProcessPool:
                unfinished += chunk
                continue
            yield results, chunk
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if unfinished:
        for result in _isolate(unfinished, settings, catalogue, jobs):
            yield [result], [result.file]


def _pool(jobs: int, settings: LintSettings, catalogue: Catalogue) -> ProcessPoolExecutor:
    # fork on Linux: workers start with tplan already imported, in a few milliseconds. Elsewhere
    # the platform's default (spawn), which imports tplan once per worker.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    return ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(settings, catalogue))


def _start_worker(settings: LintSettings, catalogue: Catalogue) -> None:
    global _settings, _catalogue
    _settings, _catalogue = settings, catalogue


def _lint_chunk(files: list[str]) -> list[FileResult]:
    from tplan.linter import lint_file

    assert _settings is not None and _catalogue is not None, "the worker initialiser sets them first"
    return [lint_file(file, _settings, _catalogue) for file in files]


def _isolate(files: list[str], settings: LintSettings, catalogue: Catalogue, jobs: int) -> list[FileResult]:
    """After a worker died: lint the unfinished files in waves of `jobs` single-file tasks, so a
    crash takes down at most one wave; each file of a broken wave is then run on its own."""
    results: list[FileResult] = []
    pool = None
    try:
        for start in range(0, len(files), jobs):
            wave = files[start : start + jobs]
            pool = pool or _pool(jobs, settings, catalogue)
            broken = []
            for file, future in [(file, pool.submit(_lint_chunk, [file])) for file in wave]:
                try:
                    results += future.result()
                except BrokenProcessPool:
                    broken.append(file)
            if broken:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                results += [_alone(file, settings, catalogue) for file in broken]
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return results


def _alone(file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult:
    result = lint_isolated(file, settings, catalogue)
    if result is None:  # a pool started a moment ago; if none can start now, say so for this file
        from tplan.linter import crashed

        return crashed(file)
    return result


def lint_isolated(file: str, settings: LintSettings, catalogue: Catalogue) -> FileResult | None:
    """One file linted in a process of its own: a crash there is reported as this file's E000.
    None when no process can be started here (the caller then lints it itself)."""
    try:
        pool = _pool(1, settings, catalogue)
    except (OSError, ImportError, NotImplementedError):
        return None
    try:
        return pool.submit(_lint_chunk, [file]).result()[0]
    except BrokenProcessPool:
        from tplan.linter import crashed

        return crashed(file)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
