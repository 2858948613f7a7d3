"""Pydantic models for the plan format, one module per part of the plan."""

from tplan.schema.base import CustomMeasure, Target, parse_target
from tplan.schema.plan import Plan

__all__ = ["CustomMeasure", "Plan", "Target", "parse_target"]
