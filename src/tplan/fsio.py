"""Writing user files safely: never half a file, never over an existing file without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tplan.errors import TplanError


def check_output(path: str | os.PathLike, force: bool, source: str | os.PathLike | None = None, example: str = "plan.md") -> None:
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


def atomic_write(path: str | os.PathLike, text: str, *, overwrite: bool = True) -> None:
    """Write text to path via a temp file in the same folder and an atomic rename.

    With overwrite=False an existing file is refused (the caller's --force turns it on). A crash
    or a full disk mid-write leaves the original file as it was. Missing folders are created.
    A symlink is followed: the file it points to is replaced, and the link stays a link.
    """
    target = Path(os.path.realpath(path))
    if not overwrite and target.exists():
        raise TplanError(f"{path} already exists; use --force to overwrite it")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        try:  # `-o plans/TP-0042.yaml` in a new repository: make `plans/`, as the user expects
            folder.mkdir(parents=True)
        except OSError as exc:
            raise TplanError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
