"""File paths as CI services want them: relative to the repository root (the current folder)."""

from __future__ import annotations

import os


def repo_relative(file: str) -> str | None:
    """`file` relative to the current folder with forward slashes, or None when it lies outside."""
    rel = os.path.relpath(os.path.abspath(file), os.getcwd())
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")
