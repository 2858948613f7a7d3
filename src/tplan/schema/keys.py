"""Which keys a lint path may show (docs/privacy.md): the plan format's own keys, from the
generated core schema when it is current, so that naming a finding's path in JSON or SARIF output
builds no pydantic model (that cost a folder's JSON lint ~0.1 s and 12 MB); from the models
otherwise. Imports no pydantic itself."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# A clinic's own top-level key (`x-clinic-room`) is its own vocabulary, not client text, when it is
# short and id-shaped; a longer or spaced one is treated like any other unknown key.
_EXTENSION_KEY = re.compile(r"x-[A-Za-z0-9._-]{1,40}")


def is_shown_key(key: str, top: bool = False) -> bool:
    """Whether a path may show this key: one of the plan format's keys, or (at the top level) a
    short `x-` extension key. Anything else may be a mis-indented line of client text."""
    return key in known_keys() or (top and _EXTENSION_KEY.fullmatch(key) is not None)


@cache
def known_keys() -> frozenset[str]:
    """Every key of the plan format, at any depth: field names and their aliases."""
    from tplan.schema.core import field_names

    names = field_names()
    return names if names is not None else keys_of_the_models()


def keys_of_the_models() -> frozenset[str]:
    """known_keys() read from the pydantic models (the source of truth; builds them)."""
    from pydantic import BaseModel

    from tplan.schema.plan import Plan

    names: set[str] = set()
    stack: list[type[BaseModel]] = [Plan]
    seen: set[type[BaseModel]] = set()
    while stack:
        model = stack.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            names.add(name)
            if field.alias:
                names.add(field.alias)
            stack.extend(_all_models(field.annotation, BaseModel))
    return frozenset(names)


def _all_models(annotation: Any, base: type) -> list[Any]:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, base):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _all_models(arg, base)]
