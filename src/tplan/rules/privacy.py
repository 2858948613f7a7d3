"""P8xx: client data that leaks outside the plan's contents (file paths show up everywhere)."""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from collections.abc import Iterator

from tplan.diagnostics import Finding, Severity
from tplan.rules.base import RuleContext, collect, rule
from tplan.schema.values import as_date

# Words too common in plan repositories' paths to count as a match for one part of a name on its
# own (a client called "April Test" must not make `2026-april/` or `test/` a finding). The full
# name is still matched: `april-test.yaml` is reported.
_COMMON_WORDS = frozenset(
    # A word list reads best as prose; SIM905 would make it one 570-character list literal.
    """
    plan plans client clients patient patients case cases file files note notes draft drafts active
    closed archive archived old new test tests example examples sample samples data home user users
    tmp temp work clinic team review reviews intake yaml yml
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()  # noqa: SIM905
)
_MIN_PART = 3  # a single name part shorter than this ("Al", "Jo") matches too many path words
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
_CHUNK = re.compile(r"[^\W_]+")
_NAME_SPLIT = re.compile(r"[\s\-]+")
_NOT_WORD = re.compile(r"[\W_]")


def _unaccent(text: str) -> str:
    """Without accents, so "José" in the plan matches "jose" in a file name."""
    if text.isascii():  # nothing to take off (NFKD leaves ASCII as it is)
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _path_words(path: str) -> list[str]:
    """The words of a path, split at separators, digits and camelCase, in lower case:
    Rivera_Alex/planV2.yaml → rivera, alex, plan, v, 2, yaml."""
    words: list[str] = []
    for chunk in _CHUNK.findall(_unaccent(path)):
        words += [w.casefold() for w in (_CAMEL.findall(chunk) if chunk.isascii() else [chunk])]
    return words


def name_parts(name: str) -> list[str]:
    """The parts of a name, in order: "Mary-Jane O'Neil" → mary, jane, oneil."""
    return [p for p in (_NOT_WORD.sub("", w) for w in _NAME_SPLIT.split(_unaccent(name).casefold())) if p]


def _runs(words: list[str], target: str) -> bool:
    """True if consecutive path words, joined, spell `target` exactly (alex + rivera, or alexrivera)."""
    for start in range(len(words)):
        joined = ""
        for word in words[start:]:
            joined += word
            if joined == target:
                return True
            if not target.startswith(joined):
                break
    return False


def path_has_name(path: str, name: str) -> bool:
    """Whether a file path contains a person's name, however it is written.

    The whole name (all parts in order, first + last, or last + first) is matched anywhere in the
    path, with any separator or none: `alex-rivera.yaml`, `Rivera_Alex/plan.yaml`, `AlexRivera.yml`.
    One part alone (`rivera.yaml`, `alex/plan.yaml`) is matched as a whole word, only in the file
    name and its folder (higher folders are often the clinician's own home directory), only when
    it has at least three letters and is not a common path word. A one-word name is matched the
    same way. Words are never matched inside other words: "Sam" is not in `sample.yaml`.
    """
    parts = name_parts(name)
    if not parts:
        return False
    # Every match below spells at least one part inside the path's letters run together (the
    # words' casefold is the text's): most paths hold none, and are done without splitting words.
    letters = "".join(_CHUNK.findall(_unaccent(path))).casefold()
    if not any(p in letters for p in parts):
        return False
    words = _path_words(path)
    if len(parts) > 1:
        first, last = parts[0], parts[-1]
        for order in ("".join(parts), first + last, last + first, last + "".join(parts[:-1])):
            if _runs(words, order):
                return True
    near = _path_words(os.path.join(*_last_two(path)))
    return any(len(p) >= _MIN_PART and p not in _COMMON_WORDS and p in near for p in parts)


def _last_two(path: str) -> list[str]:
    parts = [p for p in re.split(r"[\\/]+", path) if p and p != "."]
    return parts[-2:] or [path]


# Every place a date could start (a lookahead, so overlapping candidates such as the 1988-04-12
# in 2026-1988-04-12 are all seen), with its year, month and day: compiled once, not per birthday.
_DATE_AT = re.compile(r"(?<![0-9])(?=([0-9]{4})[-_. ]?([0-9]{2})[-_. ]?([0-9]{2})(?![0-9]))")


def path_has_date(path: str, day: _dt.date) -> bool:
    """Whether a path contains a date as ISO 8601 (1988-04-12, also with _ . or space) or compact (19880412)."""
    year = f"{day.year:04d}"
    if year not in path:  # the common case, without a regex
        return False
    wanted = (year, f"{day.month:02d}", f"{day.day:02d}")
    return any(m.groups() == wanted for m in _DATE_AT.finditer(path))


@rule("P801", "client-data-in-path", Severity.WARNING, needs_plan=False)
def client_data_in_path(ctx: RuleContext) -> Iterator[Finding]:
    """The file's path contains the client's name or date of birth.

    ## Why it matters
    File paths are not private: they appear in CI logs, pull requests, commit messages, editor
    tabs and every lint message, where the plan's contents never should. A name or date of birth
    in the path discloses who is in treatment to everyone who can see the repository's history.
    Name plan files after the plan id. tplan matches the name however it is written (any order,
    any separator or none, any case) and the date of birth as 1988-04-12 or 19880412; it never
    prints either.
    ## Example
    plans/alex-rivera.yaml
    plans/Rivera_Alex/plan.yaml
    plans/1988-04-12.yaml
    ## Use instead
    plans/TP-2026-0042.yaml
    """
    client = ctx.data.get("client") if isinstance(ctx.data, dict) else None
    if not isinstance(client, dict):
        return
    holes = {path for path, _ in ctx.placeholders}
    name = client.get("name") if ("client", "name") not in holes else None
    name = name if isinstance(name, str) else None
    born = as_date(client.get("date_of_birth"))
    plan_id = ctx.data.get("id")
    rename = "rename it after the plan id"
    # The suggestion names the id, unless the id itself holds the client's name or birthday.
    if (
        isinstance(plan_id, str)
        and plan_id.strip()
        and not (name and path_has_name(plan_id, name))
        and not (born and path_has_date(plan_id, born))
    ):
        rename += f" ({plan_id}.yaml)"
    if name and path_has_name(ctx.file, name):
        yield Finding(("client", "name"), f"the file's path contains the client's name, which then shows in logs and git history; {rename}")
    if born is not None and path_has_date(ctx.file, born):
        yield Finding(("client", "date_of_birth"), f"the file's path contains the client's date of birth, which then shows in logs and git history; {rename}")


RULES = collect(globals())
