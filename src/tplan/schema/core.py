"""The lint path's fast route: validate a plan with a generated pydantic_core schema (issue 19).

The pydantic models stay the single source of truth. `python scripts/gen_core_schema.py`
serialises `Plan.__pydantic_core_schema__` into `plan_core_schema.json` (package data), and
`tplan lint` validates with a `pydantic_core.SchemaValidator` built from that file instead of
building the 32 model classes at start-up (tests/test_fast_path.py checks that the file equals
what the live models produce, and that lint output is identical either way).

How the schema's Python objects are written down (JSON holds none):
- validator functions as {"$fn": "tplan.schema.values:name"}: every validator lives in
  tplan.schema.values, which imports no pydantic model (generation fails loudly otherwise);
  a classmethod validator as {"$fn": ..., "$bind": "Plan"}, bound again to the class on load;
- a model's class as {"$model": "Goal"}: on load, a plain class of that name (its `__dict__`
  holds the validated fields, like a model's) with the model's behaviour from
  tplan.schema.values' mixins (Plan.extensions, ProgressEntry.narrative, ...);
- a value class (the Target dataclass) as {"$fn": "tplan.schema.values:Target"} as well;
- tuples as {"$tuple": [...]}; serialisation schemas and metadata (JSON-schema hooks) are left
  out: lint never serialises a plan.

The file records the pydantic and pydantic_core versions that generated it; with any other
version installed, `validator()` returns None and the linter validates with the models as before.
"""

from __future__ import annotations

import importlib
import json
import types
from functools import cache
from typing import Any

SCHEMA_FILE = "plan_core_schema.json"
VALUES_MODULE = "tplan.schema.values"
_DROPPED = ("serialization", "metadata")


class SchemaExportError(Exception):
    """The live schema holds something the generated file cannot refer to (see the module doc)."""


def versions() -> dict[str, str]:
    """The versions a generated schema is valid for: pydantic_core's schema format can change with them."""
    from tplan.schema.compiled import version

    return {"pydantic": _pydantic_version(), "pydantic_core": version()}


def _pydantic_version() -> str:
    """pydantic's VERSION, read from its version.py without importing the package: importing
    pydantic costs ~40 ms that a lint with no config file otherwise never pays. Anything
    unexpected gives "unknown", which never matches, so lint falls back to the models."""
    import importlib.util
    import re
    from pathlib import Path

    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return "unknown"
    try:
        text = Path(spec.origin).with_name("version.py").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    found = re.search(r"^VERSION\s*=\s*['\"]([^'\"]+)['\"]", text, re.M)
    return found.group(1) if found else "unknown"


# ---- generating (maintainers: scripts/gen_core_schema.py) ----------------------------------------


def export(schema: Any, refs: dict[str, str] | None = None) -> Any:
    """The core schema as JSON-able data; raises SchemaExportError for an object it cannot name.
    Definition refs lose the class's id() that pydantic appends (see _ref_name)."""
    from pydantic import BaseModel

    refs = {} if refs is None else refs
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _DROPPED:
                continue
            if key == "cls" and isinstance(value, type) and issubclass(value, BaseModel):
                out[key] = {"$model": value.__name__}
            elif key in ("ref", "schema_ref") and isinstance(value, str):
                out[key] = _ref_name(value, refs)
            else:
                out[key] = export(value, refs)
        return out
    if isinstance(schema, list):
        return [export(v, refs) for v in schema]
    if isinstance(schema, tuple):
        return {"$tuple": [export(v, refs) for v in schema]}
    if schema is None or isinstance(schema, (str, int, float, bool)):
        return schema
    if isinstance(schema, types.MethodType) and isinstance(schema.__self__, type):
        return {"$fn": _function_path(schema.__func__), "$bind": schema.__self__.__name__}
    if isinstance(schema, (types.FunctionType, type)):  # a validator, or a value class (Target)
        return {"$fn": _function_path(schema)}
    raise SchemaExportError(f"the plan's core schema holds a {type(schema).__name__} the generated schema cannot refer to")


def _ref_name(ref: str, refs: dict[str, str]) -> str:
    """`tplan.schema.goals.Goal` for pydantic's `tplan.schema.goals.Goal:<id() of the class>`:
    the same models give the same file in every process (ids, and the order pydantic lists its
    definitions in, differ)."""
    name = ref.partition(":")[0]
    if refs.setdefault(name, ref) != ref:
        raise SchemaExportError(f"two classes are both named {name} in the plan's schema")
    return name


def _function_path(fn: Any) -> str:
    """`module:name` of a validator or value class, which must be defined at the top of tplan.schema.values."""
    where = f"{fn.__module__}:{fn.__qualname__}"
    module = importlib.import_module(fn.__module__)
    if fn.__module__ != VALUES_MODULE or getattr(module, fn.__qualname__, None) is not fn:
        raise SchemaExportError(
            f"validator {where} is not a module-level function of {VALUES_MODULE}: move it there, "
            "so the generated schema can use it without building the models"
        )
    return where


def generate() -> dict[str, Any]:
    """What `plan_core_schema.json` must hold, from the live models."""
    from tplan.schema.plan import Plan

    return {"generated_by": "scripts/gen_core_schema.py", **versions(), "schema": export(Plan.__pydantic_core_schema__)}


def dumps(generated: dict[str, Any]) -> str:
    """The file's text: stable (sorted keys, one item a line) so a regenerated file diffs well."""
    return json.dumps(generated, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---- loading (the lint path) ---------------------------------------------------------------------


class FastModel:
    """What a model's instance is on the fast path: the validated fields in `__dict__` (as
    pydantic_core fills a model's), read as attributes; no pydantic machinery."""

    __slots__ = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")

    def model_post_init(self, context: Any, /) -> None:
        """Called by pydantic_core for a model with private attributes (Plan's `_extensions`,
        which split_extensions sets): nothing to set up here."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(fast path)"


def _revive(data: Any, classes: dict[str, type]) -> Any:
    if isinstance(data, list):
        return [_revive(v, classes) for v in data]
    if not isinstance(data, dict):
        return data
    if "$model" in data:
        name = data["$model"]
        if name not in classes:
            from tplan.schema.values import MIXINS

            classes[name] = type(name, (MIXINS[name], FastModel) if name in MIXINS else (FastModel,), {"__slots__": ()})
        return classes[name]
    if "$tuple" in data:
        return tuple(_revive(v, classes) for v in data["$tuple"])
    if "$fn" in data:
        module, _, name = data["$fn"].partition(":")
        fn = getattr(importlib.import_module(module), name)
        if "$bind" in data:
            return types.MethodType(fn, _revive({"$model": data["$bind"]}, classes))
        return fn
    revived = {key: _revive(value, classes) for key, value in data.items()}
    if revived.get("type") == "default" and revived.get("default") == [] and "default_factory" not in revived:
        # pydantic_core deep-copies an unhashable default through Python's copy.deepcopy each time
        # a field is missing (a dozen times a plan); `list` makes the same new empty list in C.
        del revived["default"]
        revived["default_factory"] = list
    return revived


def read() -> dict[str, Any] | None:
    """The shipped generated schema, or None when it is missing or unreadable."""
    try:
        from tplan.packagedata import read_text

        text = read_text(f"schema/{SCHEMA_FILE}")
        loaded: dict[str, Any] = json.loads(text)
        return loaded
    except (OSError, ValueError):
        return None


def _current() -> dict[str, Any] | None:
    """The shipped generated schema when it was generated with the installed pydantic and
    pydantic_core, else None (the callers then use the models)."""
    generated = read()
    if generated is None or any(generated.get(k) != v for k, v in versions().items()):
        return None
    return generated


@cache
def validator() -> Any:
    """A SchemaValidator for plans from the generated schema, or None (no file, or it was
    generated with other pydantic/pydantic_core versions: the caller uses the models)."""
    generated = _current()
    if generated is None:
        return None
    from tplan.schema.compiled import extension

    return extension().SchemaValidator(_revive(generated["schema"], {}))


@cache
def field_names() -> frozenset[str] | None:
    """Every field name and alias of the plan format's models, read from the generated schema
    (tplan.schema.keys), or None when it is not current."""
    generated = _current()
    if generated is None:
        return None
    names: set[str] = set()
    stack: list[Any] = [generated["schema"]]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "model-fields":
                for name, field in node["fields"].items():
                    names.add(name)
                    alias = field.get("validation_alias")
                    if isinstance(alias, str):
                        names.add(alias)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)
