"""tplan: treatment plans as code."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`tplan.__version__`, read from the installed package's metadata (pyproject.toml is the one
    place the version is written). Looked up on first use, so `import tplan` stays cheap."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("tplan")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module 'tplan' has no attribute {name!r}")
