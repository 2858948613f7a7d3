"""Glob patterns for `exclude` and `per-file-ignores`, matched against paths relative to the config.

The semantics are .gitignore's, which clinics' CI engineers already know, through `pathspec`
(the library yamllint uses for the same job) rather than a hand-written copy:

- `*` and `?` stay inside one folder name; `**` spans folders only as a whole path part
  (`archive/**`, `**/drafts/*.yaml`); inside a name (`a**b`) it is a plain `*`;
- a pattern without a `/` (other than a trailing one) matches a name anywhere (`*.draft.yaml`,
  `old`); one with a `/` is anchored at the config's folder (`plans/old`, `/old`);
- a trailing `/` matches folders only (`old/`: the folder and everything in it, not a file `old`);
- a pattern that matches a folder matches everything inside it;
- `!pattern` re-includes what an earlier pattern of the same list excluded (the last match
  wins); as in git, a file inside an excluded folder cannot be re-included (the folder is not
  entered);
- `\\` escapes the next character (`\\#notes.yaml`, `\\!x.yaml`); it is not a folder separator.

One addition: a leading `./` is dropped, since people write `./plans/old` meaning `plans/old`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


@lru_cache(maxsize=512)
def _spec(patterns: tuple[str, ...]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # only runs with `exclude` or `per-file-ignores` set

    return GitIgnoreSpec.from_lines([_tidy(p) for p in patterns])


def _tidy(pattern: str) -> str:
    pattern = pattern.strip()
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    while body.startswith("./"):
        body = body[2:]
    return ("!" if negated else "") + body


def relative(file: str, root: str | None) -> str:
    """`file` as a forward-slash path relative to `root` (default: the current folder)."""
    path = os.path.relpath(os.path.abspath(file), os.path.abspath(root or os.curdir))
    return path.replace(os.sep, "/")


def matches_any(relpath: str, patterns: tuple[str, ...], is_dir: bool = False) -> bool:
    """Whether the list of patterns, read as one .gitignore, selects `relpath` (a folder when
    is_dir: only then can a pattern ending in `/` match the path itself)."""
    return _spec(patterns).match_file(relpath + "/" if is_dir else relpath)


def matches(relpath: str, pattern: str, is_dir: bool = False) -> bool:
    """One pattern on its own. `!pattern` on its own selects the paths the pattern does not match
    (as a per-file-ignores key: the rules are switched off everywhere else)."""
    if pattern.strip().startswith("!"):
        return not matches_any(relpath, (pattern.strip()[1:],), is_dir)
    return matches_any(relpath, (pattern,), is_dir)
