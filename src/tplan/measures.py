"""The measures catalogue (data in measures.yaml) and lookups by id or alias, case-insensitive."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

from tplan.errors import TplanError


@dataclass(frozen=True, slots=True)
class Band:
    max: float
    label: str


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str
    min: float
    max: float
    better: str  # "lower" | "higher"
    measures: str = ""
    aliases: tuple[str, ...] = ()
    bands: tuple[Band, ...] = ()
    loinc: str | None = None
    reference: str | None = None
    psychometrics: Psychometrics = field(default_factory=lambda: Psychometrics())

    def band(self, score: float) -> str | None:
        """The published severity band a score falls in, if the instrument has bands."""
        for band in self.bands:
            if score <= band.max:
                return band.label
        return None

    @property
    def range_text(self) -> str:
        return f"{fmt_number(self.min)}–{fmt_number(self.max)}"


@dataclass(frozen=True, slots=True)
class Cited:
    """A published psychometric value and where it was published (no value without a source)."""

    value: float
    source: str
    kind: str | None = None  # for a reliability coefficient: "test-retest", "internal consistency …"


@dataclass(frozen=True, slots=True)
class Cutoff:
    """The clinical cut-off as the non-clinical range: a score `comparator value` is "recovered"."""

    comparator: str  # <, <=, >, >=
    value: float
    source: str

    def non_clinical(self, score: float) -> bool:
        return {"<": score < self.value, "<=": score <= self.value, ">": score > self.value, ">=": score >= self.value}[self.comparator]

    def __str__(self) -> str:
        return f"{self.comparator} {fmt_number(self.value)}"


@dataclass(frozen=True, slots=True)
class Psychometrics:
    """What measurement-based care needs to know about an instrument, each value with its source.
    Every field is optional: absent means no published value was found (see docs/outcomes.md)."""

    mcid: Cited | None = None
    sd: Cited | None = None  # reference SD for the reliable change index
    reliability: Cited | None = None
    sem: Cited | None = None  # a published standard error of measurement
    reliable_change: Cited | None = None  # a published smallest reliable change, in points
    cutoff: Cutoff | None = None

    def __bool__(self) -> bool:
        return any((self.mcid, self.sd, self.reliability, self.sem, self.reliable_change, self.cutoff))


def fmt_number(value: float) -> str:
    """A score as people write it: 12 rather than 12.0, 4.8 rather than 4.800000001."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class Catalogue:
    instruments: tuple[Instrument, ...]
    _index: dict[str, Instrument] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for inst in self.instruments:
            for key in (inst.id, *inst.aliases):
                self._index[key.casefold()] = inst

    def get(self, name: str) -> Instrument | None:
        return self._index.get(name.strip().casefold())

    def ids(self) -> list[str]:
        return [i.id for i in self.instruments]

    def extended(self, extra: Catalogue) -> Catalogue:
        """This catalogue plus a clinic's own instruments; theirs win on the same id."""
        theirs = {i.id.casefold() for i in extra.instruments}
        return Catalogue(tuple(i for i in self.instruments if i.id.casefold() not in theirs) + extra.instruments)


def _parse(data: object, source: str) -> Catalogue:
    if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
        raise TplanError(f"{source}: a measures file needs a top-level 'measures:' list")
    out = []
    for n, entry in enumerate(data["measures"], 1):
        try:
            out.append(
                Instrument(
                    id=str(entry["id"]),
                    name=str(entry["name"]),
                    min=float(entry["min"]),
                    max=float(entry["max"]),
                    better=_better(entry.get("better", "lower")),
                    measures=str(entry.get("measures", "")),
                    aliases=tuple(str(a) for a in entry.get("aliases", ())),
                    bands=tuple(Band(float(b["max"]), str(b["label"])) for b in entry.get("bands", ())),
                    loinc=entry.get("loinc"),
                    reference=entry.get("reference"),
                    psychometrics=_psychometrics(entry.get("psychometrics")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise TplanError(
                f"{source}: measure #{n} is incomplete or malformed ({exc}); each needs id, name, min, max, better"
            ) from None
    return Catalogue(tuple(out))


_CITED = ("mcid", "sd", "reliability", "sem", "reliable_change")
_CUTOFF = re.compile(r"^\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$")


def _psychometrics(data: object) -> Psychometrics:
    """The `psychometrics:` mapping of one entry. A value without a `source` is refused: a number
    nobody can check must not decide whether a client's change is real."""
    if data is None:
        return Psychometrics()
    if not isinstance(data, dict):
        raise ValueError("'psychometrics' must be a mapping")
    unknown = set(data) - set(_CITED) - {"cutoff"}
    if unknown:
        raise ValueError(f"unknown psychometrics field '{sorted(unknown)[0]}' (known: {', '.join(_CITED)}, cutoff)")
    values: dict[str, Any] = {}  # Psychometrics keyword arguments: Cited, or Cutoff for "cutoff"
    for name in _CITED:
        if name in data:
            item = data[name]
            if not isinstance(item, dict) or not item.get("source"):
                raise ValueError(f"psychometrics.{name} needs a value and its source")
            values[name] = Cited(float(item["value"]), str(item["source"]), item.get("kind"))
    reliability = values.get("reliability")
    if isinstance(reliability, Cited) and not reliability.kind:
        raise ValueError("psychometrics.reliability needs its kind (test-retest, internal consistency…)")
    if "cutoff" in data:
        item = data["cutoff"]
        match = _CUTOFF.match(str(item.get("recovered", ""))) if isinstance(item, dict) else None
        if match is None or not item.get("source"):
            raise ValueError("psychometrics.cutoff needs `recovered` (e.g. \"< 10\") and its source")
        values["cutoff"] = Cutoff(match.group(1), float(match.group(2)), str(item["source"]))
    return Psychometrics(**values)


def _better(value: object) -> str:
    if value not in ("lower", "higher"):
        raise ValueError("'better' must be lower or higher")
    return str(value)


def _read_yaml(text: str, source: str) -> object:
    # The plan loader: the same YAML rules as plans, and about 5x faster than a plain safe load,
    # which matters because every lint run reads the built-in catalogue.
    from tplan.loader import LoadError, load_text

    try:
        return load_text(text).data
    except LoadError as exc:
        where = f"{source}:{exc.line}:{exc.column}" if exc.line else source
        raise TplanError(f"{where}: {exc.message}") from None


@lru_cache(maxsize=1)
def builtin_catalogue() -> Catalogue:
    from tplan.packagedata import read_text

    text = read_text("measures.yaml")
    return _parse(_read_yaml(text, "built-in measures.yaml"), "built-in measures.yaml")


def load_catalogue(extra_file: str | None = None) -> Catalogue:
    """The built-in catalogue, extended by a clinic's measures file when one is configured."""
    base = builtin_catalogue()
    if not extra_file:
        return base
    path = FsPath(extra_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TplanError(f"{extra_file}: cannot read the measures file ({exc.strerror})") from None
    return base.extended(_parse(_read_yaml(text, extra_file), extra_file))
