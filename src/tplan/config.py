"""The clinic's configuration: `[tool.tplan]` in pyproject.toml, or a `.tplan.toml` file.

Found by walking up from the current folder; in each folder `.tplan.toml` is looked for first,
then a pyproject.toml that has a `[tool.tplan]` table; the first one found is the only one used
(no merging). `--config FILE` names one; `--isolated` ignores them all. Options given on the
command line override the file. Every mistake (unknown key, unknown rule code, wrong type) is a
TplanError naming the file, the line where it can be found and the key, so CI fails loudly instead
of quietly linting with defaults.

Paths in the file (`measures`, `template-dirs`) and the globs (`exclude`, `per-file-ignores`) are
relative to the folder of the config file.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tplan.diagnostics import Severity
from tplan.errors import TplanError

if TYPE_CHECKING:
    from tplan.config_file import ConfigFile
    from tplan.linter import LintSettings

CONFIG_NAMES = (".tplan.toml", "pyproject.toml")


LIMIT_KEYS = (
    "max_review_interval_days",
    "short_term_months",
    "long_term_months",
    "short_term_days",
    "long_term_days",
    "max_identical_goals",
    "minor_consent_age",
    "max_file_bytes",
)


@dataclass(frozen=True)
class Config:
    """A validated config and where it came from (path None: no config file, all defaults)."""

    values: ConfigFile | None = None  # None: no config file, so pydantic is never imported
    path: Path | None = None

    @property
    def root(self) -> Path | None:
        """The folder globs and relative paths are resolved against."""
        return self.path.parent if self.path else None

    @property
    def template_dirs(self) -> tuple[str, ...]:
        return tuple(str(self._resolve(d)) for d in (self.values.template_dirs if self.values else ()))

    @property
    def measures_file(self) -> str | None:
        return str(self._resolve(self.values.measures)) if self.values and self.values.measures else None

    def _resolve(self, relative: str) -> Path:
        path = Path(relative).expanduser()
        return path if path.is_absolute() or self.root is None else self.root / path


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        dot = folder / ".tplan.toml"
        if dot.is_file():
            return dot
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_tplan(pyproject):
            return pyproject
    return None


def _has_tool_tplan(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "tool.tplan" in text and "tplan" in _parse(pyproject, text).get("tool", {})


def load_config(config_file: str | None = None, isolated: bool = False, cwd: Path | None = None) -> Config:
    """The config to use: the named file, the one found upward from `cwd`, or none."""
    if config_file and isolated:
        raise TplanError("use either --config FILE or --isolated, not both")
    if isolated:
        return Config()
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise TplanError(f"{config_file}: no such config file")
    else:
        found = find_config(cwd or Path.cwd())
        if found is None:
            return Config()
        path = found
    return read_config(path)


def read_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TplanError(f"{path}: cannot read the config file ({getattr(exc, 'strerror', None) or exc})") from None
    data = _parse(path, text)
    in_pyproject = path.name == "pyproject.toml"
    if in_pyproject:
        table = data.get("tool", {}).get("tplan")
        if table is None:
            raise TplanError(f"{path}: has no [tool.tplan] table")
        if not isinstance(table, dict):
            raise TplanError(f"{path}: tool.tplan must be a table ([tool.tplan] followed by keys)")
        data = table
    where = Where(path, text, "tool.tplan." if in_pyproject else "")
    from tplan.config_file import validate

    values = validate(data, where)
    config = Config(values, path.resolve())
    _check_rules(values, where)
    _check_paths(config, where)
    return config


def _parse(path: Path, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)  # imported here: most lints have no config file to read
    except tomllib.TOMLDecodeError as exc:
        raise TplanError(f"{_display(path)}: invalid TOML: {exc}") from None


@dataclass(frozen=True)
class Where:
    """Turns a key of the config into 'file:line: key' for messages."""

    path: Path
    text: str
    prefix: str  # "tool.tplan." in a pyproject.toml

    def at(self, key: str) -> str:
        pattern = re.compile(rf'^[ \t]*["\']?{re.escape(key)}["\']?[ \t]*=', re.M)
        start = self.text.find("[tool.tplan]") if self.prefix else 0
        match = pattern.search(self.text, max(start, 0))
        if match is None:  # e.g. written as its own table, [tool.tplan.per-file-ignores]
            match = re.compile(rf"^\[[^\]\n]*{re.escape(key)}[^\]\n]*\]", re.M).search(self.text)
        line = f":{self.text.count(chr(10), 0, match.start()) + 1}" if match else ""
        return f"{_display(self.path)}{line}: {self.prefix}{key}"


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when that is shorter."""
    relative = os.path.relpath(path)
    return relative if len(relative) < len(str(path)) else str(path)


def _check_rules(values: ConfigFile, where: Where) -> None:
    from tplan.ruleselect import check_selectors

    for key in ("select", "extend-select", "ignore"):
        check_selectors(getattr(values, key.replace("-", "_")) or [], where.at(key))
    for pattern, selectors in values.per_file_ignores.items():
        check_selectors(selectors, f"{where.at('per-file-ignores')}[{pattern!r}]")


def _check_paths(config: Config, where: Where) -> None:
    if config.measures_file and not Path(config.measures_file).is_file():
        raise TplanError(f"{where.at('measures')}: no such file: {config.measures_file}")
    for folder in config.template_dirs:
        if not Path(folder).is_dir():
            raise TplanError(f"{where.at('template-dirs')}: no such folder: {folder}")


def lint_settings(
    config: Config,
    *,
    today: _dt.date | None = None,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] | None = None,
    fail_on: Severity | None = None,
    jobs: int | None = None,
) -> LintSettings:
    """LintSettings from the config, with what the command line gave (not None) taking precedence."""
    from tplan.linter import LintSettings
    from tplan.rules import Limits

    def get(name: str) -> Any:
        return getattr(config.values, name, None)  # None for every key without a config file

    limits = dataclasses.replace(Limits(), **{k: get(k) for k in LIMIT_KEYS if get(k) is not None})
    file_fail_on = get("fail_on")
    return LintSettings(
        today=today or _dt.date.today(),
        limits=limits,
        select=select if select is not None else tuple(get("select") or ()),
        extend_select=tuple(get("extend_select") or ()) if select is None else (),
        ignore=ignore if ignore is not None else tuple(get("ignore") or ()),
        fail_on=fail_on or (Severity(file_fail_on) if file_fail_on else Severity.WARNING),
        measures_file=config.measures_file,
        per_file_ignores=tuple((pattern, tuple(codes)) for pattern, codes in (get("per_file_ignores") or {}).items()),
        exclude=tuple(get("exclude") or ()),
        root=str(config.root) if config.root else None,
        jobs=jobs,
    )


def project_settings(today: _dt.date | None = None) -> LintSettings:
    """The settings every command other than `lint` uses: the config found from the current
    folder (limits, measures file, rule choices), so render, status and the editing commands
    judge a plan exactly as `tplan lint` does in the same repository."""
    return lint_settings(load_config(), today=today)


def project_template_dirs(extra: list[str] | tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The config's `template-dirs` followed by those given with --template-dir (later ones win)."""
    return load_config().template_dirs + tuple(extra or ())
