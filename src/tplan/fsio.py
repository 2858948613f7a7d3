"""Writing user files safely: never half a file, never over an existing file without --force,
never over an edit that another process made meanwhile.

Every failure is a TplanError (one line, exit 2) that names the file and the cause; a full disk
or a read-only folder never shows as a Python error and never leaves a partial file behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tplan.errors import TplanError

UNCHANGED = "the file was not changed"
NOTHING_WRITTEN = "no file was written"
CHANGED_MEANWHILE = "the plan changed while tplan was editing it; run the command again"
# How long an edit waits for another tplan editing the same plan (a normal edit takes well under
# a second, so this only runs out when something is stuck).
LOCK_TIMEOUT = 15.0


def check_output(path: str | os.PathLike[str], force: bool, source: str | os.PathLike[str] | None = None, example: str = "plan.md") -> None:
    """Refuse an output file before any work is done, so a refused run changes nothing: a folder,
    an existing file without --force, or the input file itself (--force must not replace a plan
    with its own rendering). `example` is the file name suggested inside a folder."""
    target = Path(path)
    if target.is_dir():
        raise TplanError(f"{path} is a folder; give a file name, e.g. {target / example}")
    if source is not None and target.exists() and os.path.samefile(target, source):
        raise TplanError(f"{path} is the input file itself; choose another output file")
    if target.exists() and not force:
        raise TplanError(f"{path} already exists; use --force to overwrite it")


def atomic_write(path: str | os.PathLike[str], text: str | bytes, *, overwrite: bool = True, expected: bytes | None = None) -> None:
    """Write text (or bytes, for a PDF) to path via a temp file in the same folder and an atomic rename.

    With overwrite=False an existing file is refused (the caller's --force turns it on). A crash
    or a full disk mid-write leaves the original file as it was, and no temp file. Missing folders
    are created. A symlink is followed: the file it points to is replaced, and the link stays a
    link. A replaced file keeps its mode and, where the user may set it, its owner and group; a
    new file gets the mode the umask gives (not the temp file's 0600).

    With `expected`, the file must still hold exactly these bytes just before the rename (checked
    after the new text is safely on disk): an edit made meanwhile by anything else is never lost.
    """
    target = Path(os.path.realpath(path))
    existed = target.exists()
    if not overwrite and existed:
        raise TplanError(f"{path} already exists; use --force to overwrite it")
    left = UNCHANGED if existed else NOTHING_WRITTEN
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        try:  # `-o plans/TP-0042.yaml` in a new repository: make `plans/`, as the user expects
            folder.mkdir(parents=True)
        except OSError as exc:
            raise TplanError(f"{path}: cannot create the folder {folder} ({os_reason(exc)}); {left}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TplanError(f"{path}: cannot write the file ({os_reason(exc)}, in the folder {folder}); {left}") from None
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8")  # as written: no newline translation
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if existed:
            _copy_ownership(tmp, target)
        else:
            os.chmod(tmp, new_file_mode())
        if expected is not None and _current_bytes(target) != expected:
            raise TplanError(f"{path}: {CHANGED_MEANWHILE}")
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise TplanError(f"{path}: cannot write the file ({os_reason(exc)}); {left}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def os_reason(exc: OSError) -> str:
    """The reason in words: 'No space left on device', 'Read-only file system', …"""
    if exc.errno is not None:
        return os.strerror(exc.errno)
    return exc.strerror or str(exc) or type(exc).__name__


def new_file_mode() -> int:
    """The mode a new file gets (0666 less the process's umask; reading the umask means setting
    it), rather than a temp file's 0600."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _copy_ownership(tmp: str, target: Path) -> None:
    """Give the temp file the target's mode and owner, so the rename changes neither. Only root
    may give a file to another user; a member of the file's group can still keep the group."""
    st = target.stat()
    os.chmod(tmp, stat.S_IMODE(st.st_mode))
    if st.st_uid == os.geteuid() and st.st_gid == os.getegid():
        return
    for uid in (st.st_uid, -1):
        try:
            os.chown(tmp, uid, st.st_gid)
            return
        except PermissionError:
            continue


def _current_bytes(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except OSError:
        return None


# ---- serialising edits of one file ------------------------------------------------------------------


@contextlib.contextmanager
def edit_lock(path: str | os.PathLike[str], timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file at path while it is read, checked and rewritten,
    so two tplan edits of one plan run one after the other instead of one losing the other.

    The lock is on the file itself (no lock file is left beside the plan to show in `git status`).
    Since the atomic rename puts a new file at the path, a lock won on a file that has meanwhile
    been replaced is dropped and taken again on the new one. Editors and other tools do not take
    the lock: atomic_write's `expected` check covers them.
    """
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    while True:
        fd = _open_regular(path)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP):
                        break  # a file system without locks: the byte re-check before the rename still holds
                    if not isinstance(exc, BlockingIOError):
                        raise TplanError(f"{path}: cannot lock the file for editing ({os_reason(exc)}); {UNCHANGED}") from None
                    if time.monotonic() > deadline:
                        raise TplanError(
                            f"{path}: another tplan command has been editing this plan for {timeout:.0f} s; "
                            f"try again when it has finished; {UNCHANGED}"
                        ) from None
                    time.sleep(0.02)
            if _same_file(fd, path):
                yield
                return
            if time.monotonic() > deadline:  # replaced again and again: something else is writing it
                raise TplanError(f"{path}: {CHANGED_MEANWHILE}")
        finally:
            os.close(fd)  # closing releases the lock


def _open_regular(path: str | os.PathLike[str]) -> int:
    """A descriptor of the plan, refusing anything but a regular file without waiting on it (a
    named pipe would block an ordinary open until something writes to it)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise TplanError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TplanError(f"{path} is a folder; give the plan's file") from None
    except OSError as exc:
        raise TplanError(f"{path}: cannot read the file ({os_reason(exc)}); {UNCHANGED}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        kind = "a folder" if os.path.isdir(path) else "not a regular file"
        raise TplanError(f"{path} is {kind}; tplan edits plan files only")
    return fd


def _same_file(fd: int, path: str | os.PathLike[str]) -> bool:
    try:
        now = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise TplanError(f"{path}: the file was removed while tplan was about to edit it") from None
        raise
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def check_writable(path: str | os.PathLike[str]) -> None:
    """Refuse a plan the user has marked read-only or cannot write, before any work is done.

    A file with no write permission for anyone (mode 0444) is refused even for root, who could
    write it: someone made it read-only on purpose. The folder must be writable too, since the
    atomic save creates a temp file beside the plan."""
    st = os.stat(path)
    mode = stat.S_IMODE(st.st_mode)
    if not mode & 0o222:
        raise TplanError(f"{path} is read-only (mode {mode:04o}); make it writable to edit it (chmod u+w); {UNCHANGED}")
    if not os.access(path, os.W_OK):
        raise TplanError(f"{path}: you do not have permission to change this file; {UNCHANGED}")
    folder = os.path.dirname(os.path.realpath(path)) or "."
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TplanError(
            f"{path}: tplan cannot create files in its folder {folder}, which saving an edit "
            f"safely needs (a temp file beside the plan); {UNCHANGED}"
        )
