"""Pydantic models for the plan format, one module per part of the plan.

The names below are loaded on first use (PEP 562), so that importing a model-free module of
this package (tplan.schema.values, tplan.schema.core: the lint path's fast route) does not build
the model classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tplan.schema.base import CustomMeasure, Target, parse_target
    from tplan.schema.plan import Plan

__all__ = ["CustomMeasure", "Plan", "Target", "parse_target"]


def __getattr__(name: str) -> Any:
    if name == "Plan":
        from tplan.schema.plan import Plan

        return Plan
    if name in ("CustomMeasure", "Target", "parse_target"):
        from tplan.schema import base

        return getattr(base, name)
    raise AttributeError(f"module 'tplan.schema' has no attribute {name!r}")
