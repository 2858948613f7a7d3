"""The documents' renderers: HTML through jinja2 (imported here only, when a document is rendered,
so linting never pays for it), Markdown through tplan.render.plan_md (plain Python, no jinja2).

HTML: autoescape on, and no template marks plan text safe. Markdown: every printed value goes
through `md_escape` (plan_md's line writer), so escaping is the default there too.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment

    from tplan.render.view import Document

HERE = Path(__file__).parent
# `render --paper` → the CSS page size, for --html (a browser's print) and --pdf alike
PAGE_SIZES = {"letter": "letter", "a4": "A4"}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The HTML environment: autoescape on (Markdown is written by tplan.render.plan_md)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(HERE), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, bytecode_cache=_bytecode_cache(), auto_reload=False,  # package files: no stat per render
        autoescape=True,
    )


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates cached in jinja2's private per-user temp folder: compiling them is most of
    a render's cost. Only template code is cached, never plan data; no cache if none can be made."""
    from jinja2 import FileSystemBytecodeCache

    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=1)
def _stylesheet() -> str:
    """style.css, read once per process (a folder's render prints it into every document)."""
    return (HERE / "style.css").read_text(encoding="utf-8")


def prepare(fmt: str) -> None:
    """Load what the format's documents are made with now: a folder's render calls it before
    forking its workers, which then share it instead of each loading its own. HTML and PDF:
    jinja2, the compiled template, the stylesheet and the chart geometry; Markdown: the writer (no
    jinja2, no charts)."""
    if fmt == "md":
        import tplan.render.plan_md  # noqa: F401
        import tplan.render.view  # noqa: F401

        return
    _environment().get_template("plan.html.j2")
    _stylesheet()
    import tplan.render.chart  # noqa: F401  (the HTML draws charts; Markdown does not load it)


def render_document(doc: Document, fmt: str, paper: str | None = None) -> str:
    """The document as "html" or "md" text. `paper` ("letter" or "a4", HTML only) fixes the print
    page size, for a browser's print; None leaves it to the printer (`@page { size: auto }`)."""
    if fmt == "md":
        from tplan.render.plan_md import render_markdown

        return render_markdown(doc)
    from markupsafe import Markup  # jinja2's own dependency

    css = Markup(_stylesheet())
    size = PAGE_SIZES.get(paper or "")
    html: str = _environment().get_template("plan.html.j2").render(doc=doc, css=css, paper_size=size)
    return html
