"""What the plan schema allows at a YAML path: the keys of a mapping, the values of a field.

Read from the pydantic models themselves, so completion and quick fixes follow every schema
change without a second list of keys to keep in step. The models are built on the first question,
not when the server starts: diagnostics (the fast route, tplan.schema.core) never need them, so an
editor gets its first diagnostics ~0.2 s sooner.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tplan.diagnostics import Path

if TYPE_CHECKING:
    from pydantic import BaseModel


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its name, whether it must be there, and its annotation."""

    name: str
    required: bool
    annotation: Any


def _unwrap(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, with Optional, Annotated and unions opened up."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return [alt for arg in typing.get_args(annotation) for alt in _unwrap(arg)]
    return [annotation]


def _plan() -> type[BaseModel]:
    from tplan.schema.plan import Plan

    return Plan


def _model(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    for alt in _unwrap(annotation):
        if isinstance(alt, type) and issubclass(alt, BaseModel):
            return alt
    return None


def _item(annotation: Any) -> Any | None:
    """The item annotation of a list field, if the field is a list."""
    for alt in _unwrap(annotation):
        if typing.get_origin(alt) is list:
            return typing.get_args(alt)[0]
    return None


def annotation_at(path: Path) -> Any | None:
    """The annotation of the value at `path` (list indexes step into the items), or None for a
    path the schema does not know (an unknown key, an `x-` extension)."""
    current: Any = _plan()
    for part in path:
        if isinstance(part, int):
            current = _item(current)
        else:
            model = _model(current)
            field = model.model_fields.get(part) if model is not None else None
            current = field.annotation if field is not None else None
        if current is None:
            return None
    return current


def fields_at(path: Path) -> list[Field]:
    """The keys a mapping at `path` may hold, in the schema's order; [] when it is no mapping."""
    model = _model(annotation_at(path)) if path else _plan()
    if model is None:
        return []
    return [Field(name, f.is_required(), f.annotation) for name, f in model.model_fields.items()]


def allowed_values(path: Path) -> tuple[str, ...]:
    """The fixed values a field accepts (a Literal such as status), for itself or its list items."""
    annotation = annotation_at(path)
    if annotation is None:
        return ()
    alternatives = _unwrap(annotation)
    item = _item(annotation)
    if item is not None:
        alternatives += _unwrap(item)
    values: list[str] = []
    for alt in alternatives:
        if typing.get_origin(alt) is Literal:
            values += [v for v in typing.get_args(alt) if isinstance(v, str)]
        elif alt is bool:
            values += ["true", "false"]
    return tuple(dict.fromkeys(values))


def is_measure(path: Path) -> bool:
    """Whether the field at `path` names a measure (a catalogue id or a custom measure)."""
    return bool(path) and path[-1] in ("measure", "instrument")


def is_list_of_scalars(path: Path) -> bool:
    annotation = annotation_at(path)
    item = _item(annotation) if annotation is not None else None
    return item is not None and _model(item) is None
