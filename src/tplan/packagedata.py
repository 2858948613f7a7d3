"""Files shipped inside the tplan package (the measures catalogue, templates, the generated schema).

Why not `importlib.resources` directly: importing it pulls in `tempfile` and `random`, about 15 ms
of a one-file lint that only reads a file lying next to this module (issue 19, target 1). An
install that is not a folder of files (a zip) has no such file, and then importlib.resources
reads it as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

_HERE = Path(__file__).parent


class Entry(Protocol):
    """What a Path and an importlib.resources Traversable both offer."""

    @property
    def name(self) -> str: ...

    def read_text(self, encoding: str | None = None) -> str: ...


def read_text(relative: str) -> str:
    """The text of package file `relative` ("measures.yaml", "schema/plan_core_schema.json")."""
    try:
        return (_HERE / relative).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        from importlib import resources

        return resources.files("tplan").joinpath(relative).read_text(encoding="utf-8")


def folder_entries(relative: str) -> list[Entry]:
    """The entries of package folder `relative` ("templates"), each with .name and .read_text."""
    folder = _HERE / relative
    if folder.is_dir():
        return list(folder.iterdir())
    from importlib import resources

    return list(resources.files("tplan").joinpath(relative).iterdir())
