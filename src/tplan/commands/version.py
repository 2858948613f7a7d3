"""`tplan --version`: the version, and whether the fast C YAML parser is in use."""

from __future__ import annotations

from tplan import __version__


def version_text() -> str:
    import ruamel.yaml

    from tplan.loader import using_c_parser

    parser = "C parser" if using_c_parser() else "pure-Python parser (slow: pip install ruamel.yaml.clib)"
    return f"tplan {__version__} (ruamel.yaml {ruamel.yaml.__version__}, {parser})"
