"""The one guarded reader: a path → the plan's text, or a LoadError (E000) a person can act on.

Every command reads plans through `read_plan_text` (lint, render, status, and the editing
commands), so every command refuses the same things the same way:

- only regular files: a named pipe, a device or a folder is refused before a byte is read
  (opened with O_NONBLOCK and checked with fstat, so even opening a pipe cannot wait forever);
- at most `max-file-bytes` (Limits.max_file_bytes, 5 MiB by default): `/dev/zero` or a log
  renamed to .yaml costs nothing; checked on the size the file reports *and* on what is read;
- UTF-8 text, with or without a byte-order mark. A file saved as UTF-16 or UTF-32 (Windows
  editors offer it as "Unicode") is refused with that name, not called "binary": decoding it
  would let `render` work while the editing commands would have to choose an encoding to write
  back, so tplan asks for UTF-8 once instead (docs/reliability.md).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from typing import Protocol

from tplan.loader import LoadError

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
_CHUNK = 1 << 20


class HasMaxFileBytes(Protocol):
    @property
    def max_file_bytes(self) -> int: ...  # read-only: frozen settings dataclasses satisfy it


def read_plan_text(path: str | os.PathLike[str], limits: HasMaxFileBytes | None = None) -> str:
    """The text of the plan at `path`. Raises LoadError (code E000) when it is not a regular file,
    is larger than `limits.max_file_bytes`, cannot be read, or is not UTF-8 text."""
    return decode(read_plan_bytes(path, limits))


def read_plan_bytes(path: str | os.PathLike[str], limits: HasMaxFileBytes | None = None) -> bytes:
    """The bytes of the plan at `path`, with the same guards as `read_plan_text` except decoding
    (the editing commands keep the raw bytes to detect a change underneath them)."""
    limit = limits.max_file_bytes if limits is not None else DEFAULT_MAX_FILE_BYTES
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise LoadError("E000", _os_problem(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LoadError("E000", f"not a regular file ({_kind(info.st_mode)}); tplan reads plan files only")
        if info.st_size > limit:
            raise LoadError("E000", too_big(info.st_size, limit))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # the size fstat reports can be wrong (a file still being written)
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise LoadError("E000", too_big(total, limit, at_least=True))
        return b"".join(chunks)
    except OSError as exc:
        raise LoadError("E000", _os_problem(exc)) from None
    finally:
        os.close(fd)


def too_big(size: int, limit: int, at_least: bool = False) -> str:
    """The E000 message for a plan over the limit (a file, or standard input). `at_least`: reading
    stopped one byte past the limit, so the true size is unknown, only that it is over."""
    size_text = f"more than {limit:,}" if at_least else f"{size:,}"
    return (
        f"the file is {size_text} bytes, over the max-file-bytes limit of {limit:,}; a plan is a "
        "few kilobytes, so check this is the right file (or raise max-file-bytes in the config)"
    )


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR:
        return "not a regular file (a folder); tplan reads plan files only"
    return f"cannot read the file ({exc.strerror or type(exc).__name__})"


_UTF16_32 = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16 LE: its BOM starts with FF FE too
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _wide_encoding(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes look saved in one of them (with or without a BOM)."""
    for bom, name in _UTF16_32:
        if raw.startswith(bom):
            return name
    head = raw[:4096]
    if len(head) >= 4 and head.count(0) * 4 >= len(head):  # ASCII text as UTF-16: every other byte 0
        even, odd = head[0::2], head[1::2]
        if even.count(0) == 0 and odd.count(0) * 4 >= len(odd) * 3 or odd.count(0) == 0 and even.count(0) * 4 >= len(even) * 3:
            return "UTF-16"
    return None


def decode(raw: bytes) -> str:
    """Bytes → text (a UTF-8 byte-order mark is dropped), or a LoadError (E000) saying what to do."""
    wide = _wide_encoding(raw) if raw[:1] in (b"\xff", b"\xfe") or b"\x00" in raw else None
    if wide:
        raise LoadError("E000", f"the file is saved as {wide}; save it as UTF-8 in your editor")
    if b"\x00" in raw:
        raise LoadError("E000", "this is a binary file, not a text plan; plans are UTF-8 YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        raise LoadError(
            "E000",
            f"the file is not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8 in your editor",
            line,
            col,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text
