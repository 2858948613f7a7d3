"""Commands that write a plan never lose an edit, never change a plan the user cannot write, edit
whatever `tplan lint` accepts, and a failed write is one clear line with no partial file left
(issue 20, "Data loss and integrity" and the internal errors on -o)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import MINIMAL, run_tplan, tplan_command

from tplan.commands.new import run_new
from tplan.commands.progress import run_progress_add
from tplan.commands.render import run_render
from tplan.commands.review import run_review
from tplan.errors import TplanError
from tplan.linter import LintSettings, lint_text
from tplan.loader import load_text
from tplan.measures import builtin_catalogue

TEXT = MINIMAL.read_text(encoding="utf-8")
TODAY = dt.date(2026, 4, 1)
ADD = ("--measure", "GAD-7", "--score", "11", "--date", "2026-03-30", "--today", "2026-04-01")
REVIEW = ("--summary", "Race check", "--date", "2026-04-01", "--today", "2026-04-01")


def write(folder: Path, text: str = TEXT, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def add(path: Path, **kw) -> int:
    kw.setdefault("date", dt.date(2026, 3, 30))
    return run_progress_add(str(path), kw.pop("measure", "GAD-7"), kw.pop("score", "11"), today=TODAY, **kw)


def review(path: Path, summary: str = "Check", **kw) -> int:
    return run_review(str(path), summary, date=TODAY, today=TODAY, **kw)


def lint_codes(text: str) -> list[str]:
    result = lint_text(text, "plan.yaml", LintSettings(today=TODAY), builtin_catalogue())
    return [f"{d.line}:{d.column} {d.code}" for d in result.diagnostics]


# ---- 1. lost updates: two edits at once ---------------------------------------------------------------

RACES = 60
# A real tplan process that imports tplan once, then runs one command line per line of its input
# and answers with the exit code and standard error: two of them race each other RACES times
# without paying the start-up of 2 × RACES processes. Typer builds the app's click command on every
# call of main() (~20 ms, before the command touches the plan); a program calls main() once, so the
# worker builds it once too (conftest._click_command does the same for run_tplan).
WORKER = """
import contextlib, functools, io, json, sys
import typer.main
from tplan.cli import main
typer.main.get_command = functools.cache(typer.main.get_command)
for line in sys.stdin:
    sys.argv = ["tplan", *json.loads(line)]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code
    print(json.dumps([code, err.getvalue()]), flush=True)
"""


@pytest.mark.process
def test_two_edits_of_one_plan_at_once_never_lose_an_entry(tmp_path):
    """progress add and review race on the same file: each either lands or exits 2 saying the plan
    changed underneath it; a command that reported success always has its entry in the file."""
    import json

    env = {**os.environ, "NO_COLOR": "1"}
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    outcomes: Counter[str] = Counter()
    try:
        for i in range(RACES):
            path = write(tmp_path, name=f"race-{i}.yaml")
            commands = [["progress", "add", str(path), *ADD], ["review", str(path), *REVIEW]]
            for worker, args in zip(workers, commands, strict=True):  # both start at once
                worker.stdin.write(json.dumps(args) + "\n")
            for worker in workers:
                worker.stdin.flush()
            results = [json.loads(worker.stdout.readline()) for worker in workers]
            text = path.read_text(encoding="utf-8")
            landed = ["measure: GAD-7, score: 11}" in text, "summary: Race check" in text]
            for (code, err), there in zip(results, landed, strict=True):
                assert code in (0, 2), err
                assert (code == 0) == there, f"exit {code} but the entry is {'there' if there else 'lost'}: {err}"
                if code == 2:
                    assert "the plan changed while tplan was editing it; run the command again" in err
            outcomes["+".join("ok" if code == 0 else "refused" for code, _ in results)] += 1
    finally:
        for worker in workers:
            worker.stdin.close()
            worker.wait(timeout=60)
    print(f"\n{RACES} races: {dict(outcomes)}")
    assert sum(outcomes.values()) == RACES


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen:
    """Another process holding tplan's edit lock on path for a while (as a slow edit would)."""
    code = (
        "import sys, time\nfrom tplan.fsio import edit_lock\n"
        "with edit_lock(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(float(sys.argv[2]))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.mark.process
def test_an_edit_waits_for_another_edit_of_the_same_plan_then_lands(tmp_path):
    path = write(tmp_path)
    holder = _hold_lock(path, 1.0)
    started = time.monotonic()
    assert add(path) == 0
    assert time.monotonic() - started >= 0.5  # it waited for the lock instead of racing
    holder.wait(timeout=30)
    assert "measure: GAD-7, score: 11}" in path.read_text(encoding="utf-8")


@pytest.mark.process
def test_an_edit_gives_up_with_a_clear_line_when_the_lock_is_held_too_long(tmp_path, monkeypatch):
    import tplan.fsio as fsio

    monkeypatch.setattr(fsio, "LOCK_TIMEOUT", 0.3)
    path = write(tmp_path)
    before = path.read_bytes()
    holder = _hold_lock(path, 3.0)
    try:
        with pytest.raises(TplanError, match="another tplan command has been editing this plan"):
            add(path)
    finally:
        holder.kill()
        holder.wait()
    assert path.read_bytes() == before


@pytest.mark.process
def test_a_lock_won_on_a_replaced_file_is_taken_again_on_the_new_one(tmp_path):
    """The first edit replaces the file while the second waits on the old one's lock: the second
    must end up holding the lock of the file now at the path, not of the unlinked one."""
    import fcntl
    import threading

    from tplan.fsio import edit_lock

    path = write(tmp_path)
    holder = _hold_lock(path, 1.0)
    replacement = write(tmp_path, TEXT.replace("Test Person", "Test Persona"), "other.yaml")
    threading.Timer(0.3, os.replace, (replacement, path)).start()  # what the holder's atomic save does
    with edit_lock(path):  # opened the old file, waited for its lock, then saw the file replaced
        fd = os.open(path, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    holder.wait(timeout=30)
    assert "Test Persona" in path.read_text(encoding="utf-8")


def test_on_a_file_system_without_locks_the_edit_still_lands(tmp_path, monkeypatch):
    import fcntl

    def no_locks(fd, operation):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    path = write(tmp_path)
    assert add(path) == 0
    assert "measure: GAD-7, score: 11}" in path.read_text(encoding="utf-8")


# ---- 2. read-only plans, owner and mode -------------------------------------------------------------


@pytest.mark.parametrize("command", [add, review])
def test_a_read_only_plan_is_refused_and_untouched(tmp_path, command):
    path = write(tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(TplanError) as err:
        command(path)
    assert str(err.value) == f"{path} is read-only (mode 0444); make it writable to edit it (chmod u+w); the file was not changed"
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_a_plan_the_user_may_not_write_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path)
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(path) else real_access(p, mode, **kw))
    with pytest.raises(TplanError, match="you do not have permission to change this file; the file was not changed"):
        add(path)
    assert path.read_bytes() == before


def test_a_plan_in_a_folder_where_no_file_can_be_created_is_refused(tmp_path, monkeypatch):
    path = write(tmp_path)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(tmp_path) else real_access(p, mode, **kw))
    with pytest.raises(TplanError, match="tplan cannot create files in its folder"):
        review(path)
    assert path.read_bytes() == TEXT.encode("utf-8")


def test_an_edit_keeps_the_mode_and_the_owner(tmp_path):
    path = write(tmp_path)
    path.chmod(0o640)
    if os.geteuid() != 0:
        print("not root: only the mode can be checked (giving a file to another user needs root)")
        add(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        return
    os.chown(path, 65534, 65534)  # another user's plan, edited by root (e.g. a clinic's admin)
    add(path)
    review(path)
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)
    assert "summary: Check" in path.read_text(encoding="utf-8")


def test_a_new_file_gets_the_umask_mode_not_the_temp_files(tmp_path):
    out = tmp_path / "plan.md"
    old = os.umask(0o027)
    try:
        assert run_render(str(MINIMAL), "md", str(out), today=TODAY) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# ---- 3. whatever lint accepts, the editing commands edit ---------------------------------------------


def test_a_plan_with_cr_only_line_endings_is_edited_keeping_them(tmp_path):
    old = TEXT.replace("\n", "\r")
    assert lint_codes(old) == []
    path = tmp_path / "plan.yaml"
    path.write_bytes(old.encode("utf-8"))
    add(path)
    review(path)
    new = path.read_bytes().decode("utf-8")
    assert "\n" not in new
    assert new == old.replace("created: 2026-03-02\r", "created: 2026-03-02\rupdated: 2026-04-01\r").replace(
        "goals: [G1]}\r", "goals: [G1]}\r  - {date: 2026-03-30, measure: GAD-7, score: 11}\r"
    ).replace("  next: 2026-05-30\r", "  next: 2026-06-30\r  history:\r    - date: 2026-04-01\r      summary: Check\r")
    assert lint_codes(new) == []


def test_a_plan_with_a_tab_before_a_comment_is_edited(tmp_path):
    old = TEXT.replace("status: active\n", "status: active\t# since intake\n")
    assert lint_codes(old) == []
    path = write(tmp_path, old)
    add(path)
    new = path.read_text(encoding="utf-8")
    assert "status: active\t# since intake\n" in new
    assert "measure: GAD-7, score: 11}\n" in new


@pytest.mark.parametrize(
    "note",
    [
        "Slept\x85better",  # NEL: a line break to YAML 1.1 readers
        "Deleted\x7f text",  # DEL: not allowed raw in YAML
        "Line\u2028separator and\u2029paragraph",
        "Escape \x1b[31m and bell \x07 and nul \x00",
        "Byte-order mark \ufeff inside",
        'Back\\slash and "quotes" and tab\there',
        "Two\nlines",
    ],
)
def test_any_note_text_is_written_so_it_reads_back_exactly(tmp_path, note):
    path = write(tmp_path)
    add(path, note=note)
    new = path.read_text(encoding="utf-8")
    assert load_text(new).data["progress"][-1]["note"] == note
    assert lint_codes(new) == []
    assert len(new.splitlines()) == len(TEXT.splitlines()) + 2  # the entry and `updated`: one line each


@pytest.mark.process
def test_invalid_utf8_in_a_note_is_a_clear_error_not_an_internal_one(tmp_path):
    path = write(tmp_path)
    argv = [os.fsencode(a) for a in (*tplan_command(), "progress", "add", str(path), *ADD)]
    result = subprocess.run([*argv, b"--note", b"Slept \xff better"], capture_output=True)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2
    assert err == "tplan: error: --note is not valid UTF-8 text (byte 0xff); check your terminal's encoding; the file was not changed\n"
    assert path.read_bytes() == TEXT.encode("utf-8")


@pytest.mark.process
def test_a_plan_whose_file_name_is_not_utf8_is_edited_and_named_readably(tmp_path):
    path = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/plan-\xff.yaml"))
    path.write_bytes(TEXT.encode("utf-8"))
    result = subprocess.run([os.fsencode(a) for a in (*tplan_command(), "progress", "add", str(path), *ADD)], capture_output=True)
    assert result.returncode == 0, result.stderr
    assert b"Recorded GAD-7 11 on 2026-03-30 in " in result.stdout and b"internal error" not in result.stderr
    assert b"score: 11}" in path.read_bytes()


@pytest.mark.parametrize("where", ["fifo", "folder"])
def test_a_named_pipe_or_a_folder_is_refused_without_waiting(tmp_path, where):
    path = tmp_path / "plan.yaml"
    os.mkfifo(path) if where == "fifo" else path.mkdir()
    result = run_tplan("progress", "add", str(path), *ADD)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "plan files only" in result.stderr


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import tplan.edit as edit

    monkeypatch.setattr(edit, "MAX_PLAN_BYTES", 1000)
    path = write(tmp_path)
    before = path.read_bytes()
    with pytest.raises(TplanError, match=rf"the file is {len(before):,} bytes, over the max-file-bytes limit of 1,000"):
        add(path)
    assert path.read_bytes() == before


def test_opening_a_plan_for_editing_parses_it_once(tmp_path, monkeypatch):
    from ruamel.yaml import YAML

    import tplan.edit as edit

    calls = []
    real = YAML.compose
    monkeypatch.setattr(YAML, "compose", lambda self, text: calls.append(1) or real(self, text))
    edit.open_plan(str(write(tmp_path)), builtin_catalogue())
    assert len(calls) == 1


# ---- 4. render -o / new -o on a read-only folder or a full disk ---------------------------------------


def _as_root() -> list[str]:
    """What runs a command as root here: nothing when root (as in .ci/run), else sudo without a prompt."""
    return [] if os.geteuid() == 0 else ["sudo", "-n"]


def _mount_tmpfs(folder: Path, options: str) -> None:
    """A real small file system: these tests check what a full or read-only disk does, which the
    patched tests below only imitate. Mounting needs root (or sudo): without it the test fails
    saying so, never skips."""
    folder.mkdir()
    done = subprocess.run([*_as_root(), "mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a small tmpfs ({done.stderr.strip() or 'mount failed'}): run the tests as root or with sudo, as .ci/run does")


def _fill(path: Path, size: int) -> None:
    """Write up to size bytes; a full disk just stops it."""
    try:
        with open(path, "wb") as handle:
            handle.write(b"x" * size)
    except OSError:
        pass


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KiB file system with about 1 KiB left."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=64k")
    try:
        _fill(disk / "filler", 64 * 1024 - 1024)
        yield disk
    finally:
        subprocess.run([*_as_root(), "umount", "-l", str(disk)], capture_output=True)


@pytest.fixture
def read_only_folder(tmp_path):
    disk = tmp_path / "ro"
    _mount_tmpfs(disk, "size=64k,ro")
    try:
        yield disk
    finally:
        subprocess.run([*_as_root(), "umount", "-l", str(disk)], capture_output=True)


def _writes(out: Path) -> list[tuple[str, ...]]:
    return [
        ("render", str(MINIMAL), "--html", "-o", str(out.with_suffix(".html")), "--today", "2026-04-01"),
        ("new", "--template", "stress", "--start", "2026-04-01", "-o", str(out.with_suffix(".yaml"))),
    ]


@pytest.mark.process
def test_writing_to_a_full_disk_is_one_line_and_leaves_no_partial_file(full_disk):
    for args in _writes(full_disk / "plan"):
        result = run_tplan(*args)
        assert result.returncode == 2, args
        assert result.stderr == f"tplan: error: {args[args.index('-o') + 1]}: cannot write the file (No space left on device); no file was written\n"
        assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


@pytest.mark.process
def test_writing_into_a_read_only_folder_is_one_line_and_leaves_nothing(read_only_folder):
    for args in _writes(read_only_folder / "plan"):
        result = run_tplan(*args)
        assert result.returncode == 2, args
        out = args[args.index("-o") + 1]
        assert result.stderr == f"tplan: error: {out}: cannot write the file (Read-only file system, in the folder {read_only_folder}); no file was written\n"
        assert list(read_only_folder.iterdir()) == []


@pytest.mark.parametrize("fails, cause", [("mkstemp", errno.EACCES), ("fsync", errno.ENOSPC), ("write", errno.ENOSPC)])
@pytest.mark.parametrize("command", ["render", "new"])
def test_a_failed_write_simulated_is_a_clear_error_with_no_file_left(tmp_path, monkeypatch, fails, cause, command):
    def boom(*args, **kwargs):
        raise OSError(cause, os.strerror(cause))

    if fails == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", boom)
    elif fails == "fsync":
        monkeypatch.setattr(os, "fsync", boom)
    else:  # the disk fills up while the text is written
        real_fdopen = os.fdopen

        class FullDisk:
            def __init__(self, *args, **kwargs):
                self.handle = real_fdopen(*args, **kwargs)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.handle.close()

            write = boom

        monkeypatch.setattr(os, "fdopen", FullDisk)
    out = tmp_path / ("plan.html" if command == "render" else "plan.yaml")
    with pytest.raises(TplanError) as err:
        if command == "render":
            run_render(str(MINIMAL), "html", str(out), today=TODAY)
        else:
            run_new("stress", output=str(out), start=TODAY)
    assert str(err.value).startswith(f"{out}: cannot write the file ({os.strerror(cause)}")
    assert str(err.value).endswith("; no file was written")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.process
def test_progress_add_on_a_full_disk_leaves_the_plan_as_it_was(full_disk):
    subprocess.run(["rm", str(full_disk / "filler")])
    path = write(full_disk)
    _fill(full_disk / "filler", 64 * 1024)  # now fill it up
    result = run_tplan("progress", "add", str(path), *ADD)
    assert result.returncode == 2
    assert result.stderr == f"tplan: error: {path}: cannot write the file (No space left on device); the file was not changed\n"
    assert path.read_bytes() == TEXT.encode("utf-8")
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "plan.yaml"]
