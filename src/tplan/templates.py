"""Condition templates: find them, check them, and turn one into a new plan.

A template is one YAML file with two documents: metadata (what `tplan templates` lists) and a plan
skeleton that `tplan new` copies with its comments and key order (docs/template-format.md).
Built-in templates live in the `templates/` folder beside this module; a clinic adds its own with
`--template-dir` (and, later, the config's `template-dirs`). A template in a later folder replaces
one of the same name from an earlier folder, and every user folder comes after the built-ins.

Templates are checked when they are used: a broken file gives one error that names it, with
file:line:col positions, instead of producing a broken plan.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tplan.errors import TplanError
from tplan.suggest import closest, did_you_mean, hint

if TYPE_CHECKING:
    from ruamel.yaml import YAML

BUILTIN_DIR = Path(__file__).with_name("templates")
TEMPLATE_SUFFIXES = (".yaml", ".yml")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PLAN_ID = re.compile(r"^[A-Za-z0-9._-]+$")
DAY_OFFSET = re.compile(r"^\+(\d+)d$")  # "+84d": 84 days after the start date
_DOC_MARKER = re.compile(r"^---[ \t]*(#.*)?$", re.M)  # at column 0 this is always a document start

METADATA_KEYS = {
    "name": "the template's name, the file name without .yaml",
    "title": "a short title for the list",
    "description": "one paragraph: who the template is for and what to adapt",
    "measures": "the typical instruments, as a list of catalogue ids",
    "sources": "what the clinical content draws on, as a list of short citations",
    "aliases": "other names people may type, e.g. [ptsd] (used for suggestions)",
}
REQUIRED_METADATA = ("name", "title", "description", "measures")
WIDTH = 100  # flow collections longer than this are written in block style


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    description: str
    measures: tuple[str, ...]
    sources: tuple[str, ...]
    aliases: tuple[str, ...]
    path: Path
    skeleton: str  # the second YAML document, as text (comments kept)
    skeleton_line: int  # 1-based line of the file where the skeleton starts
    builtin: bool

    @property
    def origin(self) -> str:
        return "built-in" if self.builtin else str(self.path.parent)


# --------------------------------------------------------------------------- discovery


def template_dirs(extra_dirs: Iterable[str | Path] = ()) -> list[Path]:
    """The built-in folder, then each extra folder in the order given (later ones win)."""
    out = [BUILTIN_DIR]
    for given in extra_dirs:
        folder = Path(given)
        if not folder.is_dir():
            raise TplanError(f"template folder {given}: no such folder")
        out.append(folder)
    return out


def template_files(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Path]:
    """Template name → file, without reading the files. User folders override built-ins by name."""
    found: dict[str, Path] = {}
    for folder in template_dirs(extra_dirs):
        in_folder: dict[str, Path] = {}
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                continue
            if path.stem in in_folder:
                raise TplanError(f"{in_folder[path.stem]} and {path} are both templates named '{path.stem}'; keep one")
            in_folder[path.stem] = path
        found.update(in_folder)
    return dict(sorted(found.items()))


def available_templates(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Template]:
    """Every template by name, each read and checked; a broken file raises TplanError naming it."""
    return {name: load_template(path) for name, path in template_files(extra_dirs).items()}


def find_template(name: str, extra_dirs: Iterable[str | Path] = ()) -> Template:
    """The template called `name`, checked. Unknown names get the list and the closest match."""
    files = template_files(extra_dirs)
    key = name.strip().lower()
    if key.endswith(TEMPLATE_SUFFIXES):
        key = key.rsplit(".", 1)[0]
    if key in files:
        return load_template(files[key])
    suggestion = did_you_mean(closest_template(key, files))
    raise TplanError(
        f"there is no template called '{name}'{suggestion or '.'} Available templates: {', '.join(files)} "
        "(`tplan templates` describes each)"
    )


def closest_template(name: str, files: dict[str, Path]) -> str | None:
    """The template a mistyped or alternative name most likely means: an alias first, then spelling."""
    for template_name, path in files.items():
        aliases = _read_aliases(path)
        if name in aliases or any(name == a.replace(" ", "-") for a in aliases):
            return template_name
    candidates = {n: n for n in files}
    for template_name, path in files.items():
        for alias in _read_aliases(path):
            candidates.setdefault(alias, template_name)
    match = closest(name, candidates)
    if match:
        return candidates[match]
    within = [n for n in files if name and (name in n or n in name)]
    return within[0] if within else None


def _read_aliases(path: Path) -> list[str]:
    """Aliases from a template's metadata, or none if the file cannot be read (suggestions only)."""
    try:
        meta, _, _ = _split(path.read_text(encoding="utf-8"), path)
        data = _yaml_safe().load(meta)
    except Exception:  # a broken file is reported when it is used, not while suggesting
        return []
    aliases = data.get("aliases") if isinstance(data, dict) else None
    return [str(a).lower() for a in aliases] if isinstance(aliases, list) else []


# --------------------------------------------------------------------------- reading and checking


def load_template(path: Path) -> Template:
    """Read one template file and check it: metadata keys, then the skeleton against the schema."""
    path = Path(path)
    builtin = path.parent.resolve() == BUILTIN_DIR.resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TplanError(f"{path}: broken template: the file is not UTF-8 text") from None
    except OSError as exc:
        raise TplanError(f"{path}: cannot read the template ({exc.strerror or exc})") from None
    meta_text, skeleton, skeleton_line = _split(text, path)
    meta = _check_metadata(meta_text, path)
    template = Template(
        name=meta["name"],
        title=meta["title"],
        description=" ".join(meta["description"].split()),
        measures=tuple(meta["measures"]),
        sources=tuple(meta.get("sources") or ()),
        aliases=tuple(meta.get("aliases") or ()),
        path=path,
        skeleton=skeleton,
        skeleton_line=skeleton_line,
        builtin=builtin,
    )
    _check_skeleton(template)
    return template


def _split(text: str, path: Path) -> tuple[str, str, int]:
    """(metadata text, skeleton text, 1-based line where the skeleton starts)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    markers = list(_DOC_MARKER.finditer(text))
    if markers and not text[: markers[0].start()].strip(" \t\n"):  # an optional '---' before the metadata
        text_start = markers[0].end()
        markers = markers[1:]
    else:
        text_start = 0
    if len(markers) != 1:
        found = "no '---' line" if not markers else f"{len(markers)} '---' lines"
        raise TplanError(
            f"{path}: broken template: a template is two YAML documents, the metadata and the plan "
            f"skeleton, separated by one line '---' (found {found})"
        )
    marker = markers[0]
    skeleton_start = marker.end() + 1
    return text[text_start : marker.start()], text[skeleton_start:], text.count("\n", 0, skeleton_start) + 1


def _check_metadata(meta_text: str, path: Path) -> dict[str, Any]:
    from ruamel.yaml.error import YAMLError

    try:
        data = _yaml_safe().load(meta_text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise TplanError(f"{where}: broken template: the metadata is not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise TplanError(f"{path}: broken template: the metadata (before '---') must be keys such as 'name:' and 'title:'")
    problems = []
    for key in data:
        if key not in METADATA_KEYS:
            problems.append(f"unknown metadata key '{key}'{hint(str(key), METADATA_KEYS)}")
    for key in REQUIRED_METADATA:
        if key not in data:
            problems.append(f"metadata key '{key}' is missing ({METADATA_KEYS[key]})")
    for key in ("name", "title", "description"):
        if key in data and not (isinstance(data[key], str) and data[key].strip()):
            problems.append(f"'{key}' must be text ({METADATA_KEYS[key]})")
    for key in ("measures", "sources", "aliases"):
        value = data.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problems.append(f"'{key}' must be a list of text ({METADATA_KEYS[key]})")
    if not problems:
        if data["name"] != path.stem:
            problems.append(f"name '{data['name']}' does not match the file name '{path.name}'; they must be the same")
        elif not NAME.match(data["name"]):
            problems.append("the name must be lower-case letters, digits and hyphens, e.g. 'burnout' or 'social-anxiety'")
        problems += _unknown_measures(data["measures"])
    if problems:
        raise TplanError(f"{path}: broken template: " + "; ".join(problems))
    return data


def _unknown_measures(measures: list[str]) -> list[str]:
    from tplan.measures import builtin_catalogue

    catalogue = builtin_catalogue()
    return [
        f"measure '{m}' is not in the measures catalogue (`tplan measures` lists the ids)"
        for m in measures
        if catalogue.get(m) is None
    ]


def _check_skeleton(template: Template) -> None:
    """The skeleton, with dates filled, must be a valid plan apart from its placeholders (T601)."""
    from tplan.linter import validate
    from tplan.loader import LoadError, load_text

    offset = template.skeleton_line - 1
    try:
        doc = load_text(template.skeleton)
    except LoadError as exc:
        where = f"{template.path}:{exc.line + offset}:{exc.column}" if exc.line else str(template.path)
        raise TplanError(f"{where}: broken template: the plan skeleton (after '---'): {exc.message}") from None
    data = _fill_offsets(doc.data, _dt.date(2026, 1, 1))
    problems = [f"{template.path}:{d.line + offset}:{d.column}: E006 key '{d.path[-1]}' appears twice" for d in doc.duplicates]
    _, findings = validate(data, doc)
    for code, finding in findings:
        line, col, *_ = doc.locate(finding.path, key=finding.key)
        problems.append(f"{template.path}:{line + offset}:{col}: {code} {finding.message}")
    if data.get("tplan") != 1:
        line, col, *_ = doc.locate(("tplan",))
        problems.append(f"{template.path}:{line + offset}:{col}: the skeleton must start with 'tplan: 1'")
    if problems:
        shown = problems[:10] + ([f"... and {len(problems) - 10} more"] if len(problems) > 10 else [])
        raise TplanError(
            f"broken template '{template.name}' ({template.path}): its plan skeleton is not a valid plan once "
            f"the +Nd dates are filled in (placeholders aside):\n  " + "\n  ".join(shown)
        )


def _fill_offsets(data: Any, start: _dt.date) -> Any:
    """Plain data with every '+Nd' string replaced by the date N days after start."""
    if isinstance(data, dict):
        return {k: _fill_offsets(v, start) for k, v in data.items()}
    if isinstance(data, list):
        return [_fill_offsets(v, start) for v in data]
    if isinstance(data, str):
        match = DAY_OFFSET.match(data.strip())
        if match:
            return start + _dt.timedelta(days=int(match.group(1)))
    return data


_safe: YAML | None = None


def _yaml_safe() -> YAML:
    """One safe loader for template metadata, made on first use (ruamel is not imported before)."""
    global _safe
    if _safe is None:
        from ruamel.yaml import YAML

        _safe = YAML(typ="safe", pure=False)
    return _safe


# --------------------------------------------------------------------------- scaffolding a plan


def scaffold(
    template: Template,
    start: _dt.date,
    plan_id: str | None = None,
    client: str | None = None,
    clinician: str | None = None,
) -> str:
    """The text of a new draft plan from `template`: dates from `start`, the given names and id
    filled in, the template's comments and key order kept, a short header on top."""
    from ruamel.yaml import YAML

    if plan_id is not None and not PLAN_ID.match(plan_id):
        raise TplanError(f"--id '{plan_id}' may only use letters, digits, '.', '_' and '-' (e.g. TP-2026-0042)")
    yaml = YAML()  # round-trip: comments, key order and quoting survive
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap; long flow collections are switched to block style instead
    yaml.preserve_quotes = True
    plan = yaml.load(template.skeleton)
    _fill_offsets_rt(plan, start)
    if plan_id is not None:
        plan["id"] = plan_id
    _set_after(plan, "status", "draft", after="id")
    _set_after(plan, "template", template.name, after="status")
    if client is not None:
        _section(plan, "client", after="updated")["name"] = client.strip()
    if clinician is not None:
        _section(plan, "clinician", after="client")["name"] = clinician.strip()
    _block_style_when_long(plan, 0)
    out = io.StringIO()
    yaml.dump(plan, out)
    return _header(template, start) + out.getvalue().rstrip("\n") + "\n"


def _header(template: Template, start: _dt.date) -> str:
    return (
        f"# Treatment plan: {template.title}\n"
        f"# Started {start.isoformat()} from the tplan template '{template.name}'.\n"
        "# Fill in every <...> and TODO, then run `tplan lint` on this file: it lists what is left.\n"
    )


def _fill_offsets_rt(node: Any, start: _dt.date) -> None:
    """Replace '+Nd' values in a round-trip tree in place (end-of-line comments stay put)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, str):
            match = DAY_OFFSET.match(value.strip())
            if match:
                node[key] = start + _dt.timedelta(days=int(match.group(1)))
        else:
            _fill_offsets_rt(value, start)


def _set_after(plan: Any, key: str, value: Any, after: str) -> None:
    """Set a top-level key, inserting it after `after` (spec key order) when it is missing."""
    if key in plan:
        plan[key] = value
        return
    keys = list(plan)
    position = keys.index(after) + 1 if after in keys else len(keys)
    plan.insert(position, key, value)


def _section(plan: Any, key: str, after: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(plan.get(key), dict):
        _set_after(plan, key, CommentedMap(), after=after)
    return plan[key]


def _block_style_when_long(node: Any, column: int) -> None:
    """Flow collections that would not fit on one line become block style (readable, no re-wrap)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                flow = getattr(value, "fa", None)
                if flow is not None and flow.flow_style() and column + len(str(key)) + 2 + _flow_length(value) > WIDTH:
                    flow.set_block_style()
                _block_style_when_long(value, column + 2)
    elif isinstance(node, list):
        for value in node:
            if isinstance(value, (dict, list)):
                flow = getattr(value, "fa", None)
                if flow is not None and flow.flow_style() and column + 4 + _flow_length(value) > WIDTH:
                    flow.set_block_style()
                _block_style_when_long(value, column + 4)


def _flow_length(value: Any) -> int:
    """Length of `value` written on one line in flow style: {a: 1, b: 2} or [a, b]."""
    if isinstance(value, dict):
        parts = [len(str(k)) + 2 + _flow_length(v) for k, v in value.items()]
    elif isinstance(value, list):
        parts = [_flow_length(v) for v in value]
    else:
        return len(str(value))
    return 2 + sum(parts) + 2 * max(len(parts) - 1, 0)
