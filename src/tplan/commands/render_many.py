"""`tplan render PLANS... -o FOLDER`: every plan found under the paths, one document each.

Plans are found as `tplan lint` finds them (folders searched recursively for *.yaml and *.yml,
hidden entries and the config's `exclude` left out). A plan found in a folder given on the command
line is written at its path relative to that folder, a plan file named directly under its own
name, both with the format's suffix: `plans/adults/TP-1.yaml` → `out/adults/TP-1.md`.

Every output path is checked before anything is written: two plans that would be written to one
file, an existing file without --force, or a folder where a file goes stop the run (exit 2, naming
the first such file) with nothing written. Then each plan is read, checked and rendered once,
in worker processes for a big folder (tplan.fanout, as status and report use), and written
atomically. A plan that cannot be rendered costs one line on standard error and never the other
plans' documents; a summary line ends the run. Exit code: 2 when a plan could not be read or
matched to the plan format, else 1 when --strict refused a plan with lint errors, else 0.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tplan.commands.one_plan import check_one_plan, count, per_plan, read_one_plan
from tplan.commands.render import NotRendered, RenderOptions, render_checked
from tplan.config import project_settings
from tplan.diagnostics import FileResult
from tplan.errors import TplanError
from tplan.fanout import checked_jobs, collector_paused
from tplan.fsio import NOTHING_WRITTEN, atomic_write, new_file_mode, os_reason
from tplan.linter import STDIN, LintSettings, discover
from tplan.measures import Catalogue, load_catalogue

RENDERED, STRICT, FAILED = 0, 1, 2  # a plan's outcome; also the run's exit code (the worst wins)


@dataclass(frozen=True)
class Outcome:
    """What became of one plan: a worker sends back only this (never the document or the plan)."""

    status: int  # RENDERED, STRICT or FAILED
    line: str | None = None  # one line for standard error, or None for a clean render
    errors: int = 0  # lint errors counted by the document's warning banner


def many_plans(paths: list[str]) -> bool:
    """Whether the command line names several plans or a folder (a folder's render), rather than one plan."""
    return len(paths) > 1 or any(os.path.isdir(p) for p in paths)


def run_render_many(paths: list[str], output: str | None, options: RenderOptions, force: bool = False, jobs: int | None = None) -> int:
    if output is None:
        raise TplanError("rendering several plans or a folder needs -o FOLDER (e.g. -o out/); one plan without -o goes to standard output")
    if STDIN in paths:
        raise TplanError("'-' (standard input) renders one plan on its own; it cannot be rendered with other paths")
    checked_jobs(jobs)
    if os.path.exists(output) and not os.path.isdir(output):
        raise TplanError(f"{output} is a file; with several plans or a folder, -o names a folder (created if missing)")
    if options.fmt == "pdf":
        from tplan.render.pdf import ensure_available

        ensure_available()

    _new_run()
    settings = per_plan(project_settings(options.today))
    jobs = jobs if jobs is not None else settings.jobs
    pairs, problems = plan_outputs(paths, settings, Path(output), options.fmt)
    check_targets(pairs, force)
    catalogue = load_catalogue(settings.measures_file)
    from tplan.fanout import map_files
    from tplan.render.engine import prepare

    prepare(options.fmt)  # jinja2 and the compiled template, once, before worker processes are forked

    outcomes = [Outcome(FAILED, f"{r.file}: {r.diagnostics[0].code} {r.diagnostics[0].message}") for r in problems]
    outcomes += map_files(render_to_file, pairs, (settings, catalogue, options, force), jobs)
    return report(outcomes, output)


def plan_outputs(paths: list[str], settings: LintSettings, out: Path, fmt: str) -> tuple[list[tuple[str, str]], list[FileResult]]:
    """(plan file, output file) for each plan found under `paths`, in file order, and the paths
    that do not exist or hold no plans (lint's E000 results)."""
    pairs: dict[str, str] = {}
    problems: list[FileResult] = []
    for given in paths:
        files, missing = discover([given], settings)
        problems += missing
        inside = os.path.isdir(given)
        prefix = given.rstrip(os.sep) + os.sep  # found files are given + sep + path: no relpath (two abspaths) each
        for file in files:
            if not inside:
                relative = os.path.basename(file)
            else:
                relative = file[len(prefix) :] if file.startswith(prefix) and prefix != os.sep else os.path.relpath(file, given)
            pairs.setdefault(file, str(out / Path(relative).with_suffix(f".{fmt}")))
    return list(pairs.items()), problems


def check_targets(pairs: list[tuple[str, str]], force: bool) -> None:
    """Refuse the whole run, before a file is written, at the first output that two plans share,
    that is a folder, or that exists without --force."""
    claimed: dict[str, str] = {}
    for source, target in pairs:
        key = os.path.normcase(os.path.abspath(target))
        if key in claimed:
            raise TplanError(f"{target}: both {claimed[key]} and {source} would be written there; rename one (nothing was written)")
        claimed[key] = source
        there = _lstat(target)  # one look: nothing there (the usual case) ends it
        if there is None:
            continue
        if stat.S_ISDIR(there.st_mode) or (stat.S_ISLNK(there.st_mode) and os.path.isdir(target)):
            raise TplanError(f"{target} is a folder, where the document of {source} would go (nothing was written)")
        if not force:
            raise TplanError(f"{target} already exists; use --force to overwrite it (nothing was written)")


@collector_paused
def render_to_file(pair: tuple[str, str], settings: LintSettings, catalogue: Catalogue, options: RenderOptions, force: bool) -> Outcome:
    """Read, check, render and write one plan (in a worker process for a big folder)."""
    source, target = pair
    try:
        text = read_one_plan(source, settings.limits, "render")
        checked = check_one_plan(text, source, settings, catalogue, "not rendered", fast=options.fast, errors_first=True)
        rendered, errors = render_checked(checked, text, source, settings, catalogue, options)
        _write(target, rendered, force)
    except NotRendered as exc:
        return Outcome(exc.code, f"{source}: {exc.reason}")
    except TplanError as exc:
        return Outcome(FAILED, str(exc))
    except RecursionError:
        return Outcome(FAILED, f"{source}: tplan could not render this file: it is nested too deeply")
    except Exception as exc:  # a bug in tplan: report it on this plan and render the others
        from tplan.debug import show_traceback

        show_traceback(exc)
        return Outcome(FAILED, f"{source}: tplan failed while rendering this file ({type(exc).__name__}); please report it")
    if errors:
        return Outcome(RENDERED, f"{source}: rendered with a warning banner ({count(errors, 'lint error')})", errors)
    return Outcome(RENDERED)


def _write(target: str, rendered: str | bytes, force: bool) -> None:
    """Write one document atomically: a temp file in the target's folder, then a hard link to the
    target name (which fails if a file appeared there meanwhile: never overwritten without
    --force) or, with --force over an existing file, a rename keeping the file's mode. A document
    is output made from a plan, so it is not forced to disk one by one (fsync: ~3 ms a file here,
    a third of a folder's run); docs/render.md says what that means after a power cut.

    A file that already holds exactly this document is left as it is: after a broken worker pool
    the plans are rendered again, and a document this run's workers wrote is not someone else's.

    Without --force nothing is looked up before the link: check_targets found no file there, and
    the link itself is the check that cannot race. A folder is made once per process and run, and
    the temp name is the process id and a counter (a random name only if that one is taken), so
    a document costs six system calls: create, write, close, chmod, link, unlink; on Linux four,
    with one change to the folder (_unnamed_then_linked)."""
    data = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    folder = os.path.dirname(target) or "."
    try:
        _make_folder(folder)
        existing = _lstat(target) if force else None
        if existing is not None and not (stat.S_ISREG(existing.st_mode) and existing.st_uid == os.geteuid()):
            if not _holds(target, data):
                atomic_write(target, data, overwrite=True)  # a link or another owner's file: the careful writer
            return
        if existing is None and _unnamed_then_linked(folder, target, data):
            return
        fd, tmp = _temp_file(folder, target)
    except OSError as exc:
        raise TplanError(f"{target}: cannot write the file ({os_reason(exc)}); {NOTHING_WRITTEN}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if existing is None:
            os.chmod(tmp, _new_mode())
            try:
                os.link(tmp, target)
            except FileExistsError:
                _refuse_unless_it_holds(target, data)
        else:
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
            os.replace(tmp, target)
    except OSError as exc:
        raise TplanError(f"{target}: cannot write the file ({os_reason(exc)}); {NOTHING_WRITTEN}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):  # gone when renamed over the target
            os.unlink(tmp)


# What one process has learnt in this run (a forked worker starts with its parent's copy, and
# run_render_many starts each run afresh): the output folders that exist, the mode a new
# document gets (the umask's, read once: reading it means setting it) and the temp name counter.
_folders: set[str] = set()
_mode: list[int] = []
_counter = itertools.count()
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _new_run() -> None:
    _folders.clear()
    _mode.clear()


def _make_folder(folder: str) -> None:
    if folder not in _folders:
        os.makedirs(folder, exist_ok=True)
        _folders.add(folder)


def _new_mode() -> int:
    if not _mode:
        _mode.append(new_file_mode())
    return _mode[0]


def _lstat(path: str) -> os.stat_result | None:
    """The path's own status, or None when nothing is there (nor can be looked at, as lexists says)."""
    try:
        return os.lstat(path)
    except (OSError, ValueError):
        return None


def _temp_file(folder: str, target: str) -> tuple[int, str]:
    """A new, empty temp file (mode 0600) next to the target: (descriptor, path)."""
    prefix = f".{os.path.basename(target)}."
    tmp = os.path.join(folder, f"{prefix}{os.getpid()}-{next(_counter)}.tmp")
    try:
        return os.open(tmp, _TEMP_FLAGS, 0o600), tmp
    except FileExistsError:  # left behind by an earlier process with this id: a random name instead
        pass
    except FileNotFoundError:  # the folder was removed meanwhile: make it again
        _folders.discard(folder)
        _make_folder(folder)
    return tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)


def _unnamed_then_linked(folder: str, target: str, data: bytes) -> bool:
    """Write a new document as a file with no name yet (Linux's O_TMPFILE), then give it the target
    name (linkat through /proc/self/fd, which fails if a file appeared there meanwhile). Atomic as
    the temp file is, in four system calls and one change to the folder instead of three (create,
    link, unlink): folder changes are most of a folder render's time in the kernel. False where
    the system or file system has no such files (the named temp file is used then)."""
    if _NO_UNNAMED:
        return False
    try:
        fd = os.open(folder, _UNNAMED_FLAGS, _new_mode())
    except OSError as exc:
        if exc.errno in (errno.EISDIR, errno.EOPNOTSUPP, errno.EINVAL):  # no unnamed files on this system
            _NO_UNNAMED.append(True)
        return False  # else (the folder removed meanwhile, ...) the named temp file's way says what is wrong
    try:
        written = memoryview(data)
        while written:
            written = written[os.write(fd, written) :]
        try:
            os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=fd, follow_symlinks=True)  # absolute: src_dir_fd unused
        except FileExistsError:
            _refuse_unless_it_holds(target, data)
        except FileNotFoundError:  # no /proc: the named temp file instead
            _NO_UNNAMED.append(True)
            return False
    finally:
        os.close(fd)
    return True


_UNNAMED_FLAGS = getattr(os, "O_TMPFILE", 0) | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
_NO_UNNAMED: list[bool] = [] if hasattr(os, "O_TMPFILE") else [True]


def _refuse_unless_it_holds(target: str, data: bytes) -> None:
    """A file appeared at `target` after the run's check: refused, unless it is this very document
    (written by this run's workers before a broken pool made this process render it again)."""
    if not _holds(target, data):
        raise TplanError(f"{target} already exists; use --force to overwrite it") from None  # raised while handling the link's error


def _holds(target: str, data: bytes) -> bool:
    try:
        with open(target, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


def report(outcomes: list[Outcome], output: str) -> int:
    """One line per plan with a problem, then the summary; the exit code (the worst outcome)."""
    import sys

    for outcome in outcomes:
        if outcome.line:
            print(outcome.line, file=sys.stderr)
    written = [o for o in outcomes if o.status == RENDERED]
    banners = sum(1 for o in written if o.errors)
    missed = len(outcomes) - len(written)
    summary = f"Wrote {count(len(written), 'document')} in {output}"
    if banners:
        summary += f" ({banners} with a warning banner)"
    if missed:
        summary += f"; {missed} not rendered (listed above)"
    print(summary + ".", file=sys.stderr)
    return max((o.status for o in outcomes), default=RENDERED)
