"""pydantic_core's compiled validator, without pydantic_core's Python package (issue 19, target 1).

Why: `import pydantic_core` runs the package's `__init__`, which imports `core_schema`, a large
module of typed dictionaries that only code building schemas needs. It was a quarter of a one-file
lint's imports (~25 ms on the benchmark machine). The lint path only validates with a schema it
already has (tplan.schema.core), and the classes for that (`SchemaValidator`, `ValidationError`)
live in the extension module `pydantic_core._pydantic_core`. Loaded on its own it takes ~6 ms.

It is the same module object the package would load: it is registered in `sys.modules` under its
own name, so a later `import pydantic_core` (the models, an error message, an editing command)
binds the very same classes, and `except ValidationError` catches what either raises. When
pydantic_core is already imported, or the extension cannot be found this way, the package is
imported as usual: always correct, only slower. Reading the error details' documentation links
(`errors()` with `include_url=True`) imports pydantic itself; tplan asks without them.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

NAME = "pydantic_core._pydantic_core"


@cache
def extension() -> ModuleType:
    """The `pydantic_core._pydantic_core` extension module, loaded once."""
    loaded = sys.modules.get(NAME)
    if loaded is not None:
        return loaded
    module = _load_alone()
    if module is not None:
        return module
    import pydantic_core._pydantic_core as imported  # the usual way: runs the package's __init__

    return imported


def _load_alone() -> ModuleType | None:
    """The extension loaded from its file without running the package's __init__, or None."""
    try:
        package = importlib.util.find_spec("pydantic_core")  # finds the folder, runs nothing
        if package is None or not package.submodule_search_locations:
            return None
        folder = Path(next(iter(package.submodule_search_locations)))
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"_pydantic_core{suffix}"
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader(NAME, str(path))
                spec = importlib.util.spec_from_file_location(NAME, path, loader=loader)
                if spec is None:
                    return None
                module = importlib.util.module_from_spec(spec)
                sys.modules[NAME] = module
                try:
                    loader.exec_module(module)
                except BaseException:
                    del sys.modules[NAME]
                    raise
                return module
    except (ImportError, OSError, ValueError):
        sys.modules.pop(NAME, None)
    return None


def validation_error() -> type[Exception]:
    """pydantic_core's ValidationError class (what `SchemaValidator.validate_python` raises)."""
    error: type[Exception] = extension().ValidationError
    return error


def version() -> str:
    """pydantic_core's version, as the package's `__version__` gives it."""
    found: str = extension().__version__
    return found
