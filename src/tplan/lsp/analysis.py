"""The buffer's findings, exactly as `tplan lint` would report them for the same text.

`settings_for(path)` finds the configuration that applies to a file (`.tplan.toml` or
`[tool.tplan]`, searched upwards from the file's folder, as `tplan lint` searches from the
current folder), and caches it: re-linting on every keystroke must not re-read TOML files.
`cross_file(folder, settings)` is the one place the workspace-wide D7xx rules are run.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from tplan.diagnostics import Diagnostic
from tplan.errors import TplanError
from tplan.linter import CROSS_FILE_CODES, Checked, LintSettings, check_text, lint_paths
from tplan.loader import LoadError
from tplan.measures import Catalogue, load_catalogue
from tplan.rules import BY_CODE

# How long a folder's configuration is trusted before its config file is looked for again.
RECHECK_SECONDS = 2.0


@dataclass(frozen=True)
class FileSettings:
    """What linting one file needs from its configuration. `error` is the config's own problem
    (one line naming file, line and key); the file is then linted with the defaults."""

    settings: LintSettings
    catalogue: Catalogue
    config_path: Path | None = None
    error: str | None = None


@dataclass
class _Cached:
    value: FileSettings
    signature: tuple[object, ...]
    checked_at: float


class SettingsCache:
    """FileSettings per folder, re-read when the config file (or the measures file it names)
    appears, disappears or changes, checked at most every RECHECK_SECONDS."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, _Cached] = {}

    def settings_for(self, file: str | Path) -> FileSettings:
        folder = Path(file).resolve().parent
        now = time.monotonic()
        cached = self._by_folder.get(folder)
        if cached is not None and now - cached.checked_at < RECHECK_SECONDS:
            return self._today(cached)
        if cached is None or cached.signature != _signature(folder, cached.value.settings.measures_file):
            value = _read(folder)
            cached = _Cached(value, _signature(folder, value.settings.measures_file), now)
            self._by_folder[folder] = cached
        cached.checked_at = now
        return self._today(cached)

    def clear(self) -> None:
        self._by_folder.clear()

    @staticmethod
    def _today(cached: _Cached) -> FileSettings:
        """The settings with today's date: a server left running overnight judges by the new day."""
        value = cached.value
        today = _dt.date.today()
        if value.settings.today != today:
            value = replace(value, settings=replace(value.settings, today=today))
            cached.value = value
        return value


def _signature(folder: Path, measures_file: str | None) -> tuple[object, ...]:
    """What, when it changes, means the folder's settings must be read again."""
    from tplan.config import find_config

    config = find_config(folder)
    return (config, _mtime(config), _mtime(measures_file))


def _mtime(path: Path | str | None) -> int | None:
    try:
        return os.stat(path).st_mtime_ns if path else None
    except OSError:
        return None


def _read(folder: Path) -> FileSettings:
    from tplan.config import Config, lint_settings, load_config

    try:
        config = load_config(cwd=folder)
        settings = lint_settings(config)
        return FileSettings(settings, load_catalogue(settings.measures_file), config.path)
    except TplanError as exc:
        settings = lint_settings(Config())
        return FileSettings(settings, load_catalogue(None), None, str(exc).splitlines()[0])


def lint_buffer(text: str, file: str, fs: FileSettings) -> tuple[list[Diagnostic], Checked | None]:
    """The findings for an unsaved buffer, and the parsed plan when the text loads. Mirrors
    `tplan.linter.lint_file`: a text that does not load is one E00x finding, never an exception."""
    try:
        checked = check_text(text, file, fs.settings, fs.catalogue)
    except LoadError as exc:
        return [_fatal(exc.code, exc.message, file, exc.line, exc.column)], None
    except RecursionError:
        return [_fatal("E000", "tplan could not check this file: it is nested too deeply", file)], None
    except Exception as exc:  # a bug in tplan: say so on the file, keep the server running
        return [_fatal("E000", f"tplan failed while checking this file ({type(exc).__name__}); please report it", file)], None
    return list(checked.result.diagnostics), checked


def buffer_findings(
    text: str, file: str, fs: FileSettings, cross: Iterable[Diagnostic] = ()
) -> tuple[list[Diagnostic], Checked | None]:
    """What the server shows for a buffer: its own findings and the file's D7xx findings from
    the last workspace scan, less those the buffer now silences (a `disable=` just added takes
    effect before the file is saved), in `tplan lint`'s order."""
    diagnostics, checked = lint_buffer(text, file, fs)
    silenced = set(checked.result.silenced) if checked is not None else set()
    diagnostics += [d for d in cross if (d.line, d.code) not in silenced and (0, d.code) not in silenced]
    return sorted(diagnostics, key=lambda d: d.sort_key), checked


def _fatal(code: str, message: str, file: str, line: int = 0, column: int = 0) -> Diagnostic:
    return Diagnostic(code, BY_CODE[code].severity, message, file, line, column)


def cross_file(folder: str, settings: LintSettings) -> dict[str, list[Diagnostic]]:
    """The D7xx findings of every plan in `folder` (as saved on disk), by absolute file path.

    The one function to adapt when the cross-file rules change shape: it lints the folder the
    way `tplan lint FOLDER` does and keeps only the cross-file findings."""
    here = os.getcwd()
    given = os.path.relpath(folder) if folder == here or folder.startswith(here.rstrip(os.sep) + os.sep) else folder
    report = lint_paths([given], replace(settings, jobs=None))  # relative: D701 names the others as `tplan lint` would
    out: dict[str, list[Diagnostic]] = {}
    for result in report.files:
        found = [d for d in result.diagnostics if d.code in CROSS_FILE_CODES]
        if found:
            out[os.path.abspath(result.file)] = found
    return out
