"""`tplan lsp`: start the language server, or say how to install it when the extra is missing."""

from __future__ import annotations

from tplan.errors import TplanError

EXTRA_PACKAGES = ("pygls", "lsprotocol", "cattrs", "attrs")
INSTALL_HINT = "install it with: pip install 'tplan[lsp]'"


def run_lsp() -> int:
    try:
        from tplan.lsp.server import serve
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if missing not in EXTRA_PACKAGES:
            raise  # a bug in tplan, not a missing extra
        raise TplanError(f"tplan lsp needs the language-server extra ({missing} is not installed); {INSTALL_HINT}") from None
    return serve()
