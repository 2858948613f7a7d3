"""One plan file in, for the commands that take exactly one (render, export): the guarded reader
(no pipes, devices or oversized files: tplan.reading) and one check, each problem a single line."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tplan.errors import TplanError
from tplan.linter import CROSS_FILE_CODES, Checked, LintSettings, check_text
from tplan.loader import LoadError
from tplan.measures import Catalogue
from tplan.reading import HasMaxFileBytes, read_plan_text


def read_one_plan(path: str, limits: HasMaxFileBytes, command: str) -> str:
    """The plan's text, or a TplanError naming the file (and line:col for a decoding problem). A
    folder is refused by the reader too (not a regular file); only then is it looked at again, for
    this message (a folder's render reads a thousand plans: one look each less)."""
    try:
        return read_plan_text(path, limits)
    except LoadError as exc:
        if Path(path).is_dir():
            raise TplanError(f"{path} is a folder; {command} takes one plan file") from None
        if exc.message == "no such file":
            raise TplanError(f"{path}: no such file") from None
        raise TplanError(f"{_where(path, exc)}: {exc.code} {exc.message}") from None


def check_one_plan(
    text: str, path: str, settings: LintSettings, catalogue: Catalogue, refusal: str, *, fast: bool = False,
    errors_first: bool = False,
) -> Checked:
    """check_text, with YAML that cannot be read refused in one line ending in `refusal`
    (e.g. "the plan cannot be rendered"). `fast`: the plan comes from the generated core schema
    (tplan.schema.core: the same fields and behaviour, no pydantic model classes built), for a
    command that only reads the plan's values, as render and status do. `errors_first`: warnings
    are looked for only in a plan with errors (check_text), for render's banner."""
    try:
        return check_text(text, path, settings, catalogue, fast=fast, errors_first=errors_first)
    except LoadError as exc:
        raise TplanError(f"{_where(path, exc)}: {exc.code} {exc.message}; {refusal}") from None


def per_plan(settings: LintSettings) -> LintSettings:
    """The settings without the cross-file rules' fact collection (D701, D702), for a command that
    judges each plan on its own (render, status): their findings come only from `tplan lint`'s pass
    over every file's facts, so collecting the facts here would be work thrown away. The plan's own
    findings are unchanged."""
    missing = tuple(code for code in sorted(CROSS_FILE_CODES) if code not in settings.ignore)
    return dataclasses.replace(settings, ignore=settings.ignore + missing) if missing else settings


def _where(path: str, exc: LoadError) -> str:
    return f"{path}:{exc.line}:{exc.column}" if exc.line else path


def count(n: int, noun: str) -> str:
    """'1 lint error', '3 lint errors'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
