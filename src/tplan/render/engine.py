"""jinja2 environments for the two output formats. jinja2 is imported here only, when a document
is rendered, so linting never pays for it.

HTML: autoescape on, and no template marks plan text safe. Markdown: every printed value goes
through `md_escape` (jinja2's `finalize`), so escaping is the default there too and a template
cannot forget it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup  # jinja2's own dependency; this module is imported only to render

from tplan.render.markdown import md_escape
from tplan.render.view import Document

if TYPE_CHECKING:
    from collections.abc import Iterable

    from jinja2 import BytecodeCache, Environment

HERE = Path(__file__).parent
# `render --paper` → the CSS page size, for --html (a browser's print) and --pdf alike
PAGE_SIZES = {"letter": "letter", "a4": "A4"}


@lru_cache(maxsize=2)
def _environment(fmt: str) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    common: dict[str, Any] = dict(
        loader=FileSystemLoader(HERE), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, bytecode_cache=_bytecode_cache(), auto_reload=False,  # package files: no stat per render
    )
    if fmt == "html":
        return Environment(autoescape=True, **common)
    env = Environment(autoescape=False, finalize=_md_finalize, **common)
    env.filters["raw"] = Markup  # for the template's own Markdown built from escaped parts
    env.globals.update(facts=_md_facts, ids=_md_ids)
    return env


def _md_finalize(value: object) -> object:
    """Every printed value in Markdown: plan text escaped (md_escape), the template's own Markup as is."""
    if type(value) is str:  # most printed values: no isinstance walk, no None test
        return md_escape(value)
    return value if isinstance(value, Markup) else md_escape("" if value is None else value)


def _md_facts(pairs: Iterable[tuple[object, object]]) -> Markup:
    """`- **label:** value` lines, each part escaped as a printed value is (was a template macro)."""
    return Markup("".join(f"- **{_md_finalize(label)}:** {_md_finalize(value)}\n" for label, value in pairs))


def _md_ids(refs: Iterable[Any]) -> Markup:
    """The refs' ids, comma-separated and escaped (was a template macro)."""
    return Markup(_md_finalize(", ".join(str(ref.id) for ref in refs)))


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


TEMPLATES = {"html": "plan.html.j2", "md": "plan.md.j2", "pdf": "plan.html.j2"}


def prepare(fmt: str) -> None:
    """Import jinja2 and load the format's compiled template now: a folder's render calls it before
    forking its workers, which then share them instead of each building its own."""
    _environment("html" if fmt == "pdf" else fmt).get_template(TEMPLATES[fmt])
    if fmt != "md":
        _stylesheet()


def render_document(doc: Document, fmt: str, paper: str | None = None) -> str:
    """The document as "html" or "md" text. `paper` ("letter" or "a4", HTML only) fixes the print
    page size, for a browser's print; None leaves it to the printer (`@page { size: auto }`)."""
    env = _environment(fmt)
    if fmt == "html":
        css = Markup(_stylesheet())
        size = PAGE_SIZES.get(paper or "")
        html: str = env.get_template("plan.html.j2").render(doc=doc, css=css, paper_size=size)
        return html
    markdown: str = env.get_template("plan.md.j2").render(doc=doc)
    return markdown
