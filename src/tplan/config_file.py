"""The keys a config file may hold, validated with pydantic: imported only when a config file is
read, so a lint with no config (the common case in a single clinician's repository) never imports
pydantic itself (pydantic_core validates the plan: tplan.schema.core)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError
from pydantic_core import ErrorDetails

from tplan.errors import TplanError
from tplan.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from tplan.config import Where


class ConfigFile(BaseModel):
    """The keys a config may hold; the aliases are the spellings used in the file."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)

    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list, alias="extend-select")
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    fail_on: Literal["error", "warning", "info"] | None = Field(default=None, alias="fail-on")
    exclude: list[str] = Field(default_factory=list)
    max_review_interval_days: PositiveInt | None = Field(default=None, alias="max-review-interval-days")
    short_term_months: PositiveInt | None = Field(default=None, alias="short-term-months")
    long_term_months: PositiveInt | None = Field(default=None, alias="long-term-months")
    short_term_days: PositiveInt | None = Field(default=None, alias="short-term-days")
    long_term_days: PositiveInt | None = Field(default=None, alias="long-term-days")
    minor_consent_age: PositiveInt | None = Field(default=None, alias="minor-consent-age")
    max_identical_goals: PositiveInt | None = Field(default=None, alias="max-identical-goals")
    max_file_bytes: PositiveInt | None = Field(default=None, alias="max-file-bytes")
    measures: str | None = None
    template_dirs: list[str] = Field(default_factory=list, alias="template-dirs")


KNOWN_KEYS = sorted(f.alias or name for name, f in ConfigFile.model_fields.items())

_WHAT = {
    "list_type": "must be a list in square brackets, e.g. [\"S107\", \"R3\"]",
    "string_type": "must be text in quotes",
    "int_type": "must be a whole number",
    "greater_than": "must be a whole number above 0",
    "literal_error": "must be \"error\", \"warning\" or \"info\"",
    "dict_type": "must be a table of glob = [rule codes], e.g. \"archive/**\" = [\"R301\"]",
}


def validate(data: dict[str, Any], where: Where) -> ConfigFile:
    """The file's table as a ConfigFile, or one TplanError listing every mistake as file:line: key."""
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as exc:
        raise TplanError("\n".join(_message(e, where) for e in exc.errors(include_url=False))) from None


def _message(error: ErrorDetails, where: Where) -> str:
    loc = [str(p) for p in error["loc"]]
    key = loc[0] if loc else ""
    if error["type"] == "extra_forbidden":
        hint = did_you_mean(closest(key, KNOWN_KEYS)) or f"; known keys: {', '.join(KNOWN_KEYS)}"
        return f"{where.at(key)}: unknown key{hint}"
    sub = "".join(f"[{p}]" if p.isdigit() else f"[{p!r}]" for p in loc[1:])
    what = _WHAT.get(error["type"], error["msg"].lower())
    return f"{where.at(key)}{sub}: {what}"
