"""Glob patterns for `exclude` and `per-file-ignores`, matched against paths relative to the config.

The semantics are gitignore's, which clinics' CI engineers already know:

- `*` and `?` stay inside one folder name, `**` spans folders (`archive/**`, `**/drafts/*.yaml`);
- a pattern without a `/` matches a file or folder name anywhere (`*.draft.yaml`, `old`);
  one with a `/` is anchored at the config's folder (`plans/old`, `/old`);
- a pattern that matches a folder matches everything inside it (`archive` = `archive/**`).

Python 3.11's fnmatch lets `*` cross folders and PurePath.match has no `**`, hence this module.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    if "/" not in pattern:
        pattern = "**/" + pattern
    pattern = pattern.lstrip("/")  # a leading "/" anchors the pattern at the config's folder
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
            i = end + 1
        else:
            out += re.escape(pattern[i])
            i += 1
    # The pattern may name a folder: then everything below it matches too.
    return re.compile(out + "(?:/.*)?")


def relative(file: str, root: str | None) -> str:
    """`file` as a forward-slash path relative to `root` (default: the current folder)."""
    path = os.path.relpath(os.path.abspath(file), os.path.abspath(root or os.curdir))
    return path.replace(os.sep, "/")


def matches(relpath: str, pattern: str) -> bool:
    return _regex(pattern).fullmatch(relpath) is not None


def matches_any(relpath: str, patterns: tuple[str, ...]) -> bool:
    return any(matches(relpath, p) for p in patterns)
