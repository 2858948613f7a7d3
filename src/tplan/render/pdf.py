"""`tplan render --pdf`: the print HTML turned into a PDF/A-3b archive copy with WeasyPrint.

WeasyPrint is an extra (`pip install 'tplan[pdf]'`) that needs the Pango system libraries, so it
is imported here only, when a PDF is asked for: linting and the other formats never load it.

PDF/A-3b because records are kept for years: fonts are embedded, the colour profile is declared,
and PDF/A-3 (unlike 1 and 2) lets the file carry other files. The plan's YAML is attached as an
associated file with AFRelationship Source, so the archived PDF carries the exact text it was made
from. The document metadata names the plan id and its dates only, never the client.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from typing import Any, NoReturn

from tplan.errors import TplanError
from tplan.render.engine import PAGE_SIZES as PAPER_SIZES

# WeasyPrint draws inline SVG with the SVG's own styles only, not the page's (measured: the charts'
# bands and lines came out solid black), so the chart rules are repeated inside each <svg>.
# Literal colours: the page's CSS variables do not reach the SVG either. Mirrors style.css.
CHART_CSS = (
    ".grid{stroke:#e2e6eb;stroke-width:1}.axis{stroke:#4a5360;stroke-width:1}"
    ".tick,.label{fill:#4a5360;font-size:11px}.target-band{fill:#e2f1e5}"
    ".mcid-band{fill:#e4ecf7;opacity:.7}.change-label{fill:#1d2330;font-weight:600}"
    ".target{stroke:#1d5a2c;stroke-width:1.5;stroke-dasharray:6 4}.target-label{fill:#1d5a2c;font-weight:600}"
    ".deadline{stroke:#4a5360;stroke-width:1;stroke-dasharray:2 3}.scores{fill:none;stroke:#1f3a5f;stroke-width:2}"
    ".score{fill:#1f3a5f;stroke:#fff;stroke-width:1.5}.baseline{fill:#fff;stroke:#1f3a5f;stroke-width:2}"
    "text{font-family:'DejaVu Sans',sans-serif}"
)
_SVG_OPEN = re.compile(r"(<svg\b[^>]*>)")


INSTALL_HINT = (
    "PDF output needs WeasyPrint and the Pango libraries: pip install 'tplan[pdf]', and on "
    "Debian or Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "(other systems: https://doc.courtbouillon.org/weasyprint/stable/first_steps.html)"
)


def _no_fetching(url: str, *args: object, **kwargs: object) -> NoReturn:
    """The HTML is self-contained: nothing is fetched, so a plan's text can never cause a network call."""
    raise ValueError(f"tplan does not fetch resources for a PDF ({url.split(':', 1)[0]}: URL refused)")


def ensure_available() -> None:
    """Stop with the install hint before any work is done when WeasyPrint cannot be loaded."""
    _weasyprint()


def _weasyprint() -> Any:  # WeasyPrint ships no type hints
    """The weasyprint module, or one line saying how to install it (exit 2, no traceback).

    OSError too: WeasyPrint raises it at import when the Pango libraries are missing."""
    try:
        import weasyprint
    except (ImportError, OSError):
        raise TplanError(INSTALL_HINT) from None
    # WeasyPrint's warnings go to Python's last-resort handler (stderr) and can quote the document:
    # tplan's output quotes no plan text, so they are dropped.
    quiet = logging.getLogger("weasyprint")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    return weasyprint


def render_pdf(
    html: str,
    *,
    plan_id: str,
    created: _dt.date,
    updated: _dt.date | None,
    paper: str = "letter",
    source: bytes | None = None,
    source_name: str = "plan.yaml",
    bundle: bytes | None = None,
    bundle_name: str = "plan.fhir.json",
) -> bytes:
    """The PDF/A-3b bytes for `html`, on Letter or A4, with `source` attached as its Source and the
    FHIR `bundle` as an Alternative representation (None: not attached)."""
    weasyprint = _weasyprint()
    size = PAPER_SIZES[paper]
    # A user stylesheet: !important makes it win over the template's `@page { size: auto }`.
    paper_css = weasyprint.CSS(string=f"@page {{ size: {size} !important; }}")
    # Plan text is HTML-escaped, so every `<svg` here is one of the template's charts.
    html = _SVG_OPEN.sub(lambda m: f"{m.group(1)}<style>{CHART_CSS}</style>", html)
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetching).render(stylesheets=[paper_css])

    meta = document.metadata
    meta.title = f"Treatment plan {plan_id}"
    meta.description = f"Treatment plan {plan_id}, created {created.isoformat()}" + (
        f", updated {updated.isoformat()}" if updated else ""
    )
    meta.keywords = ["treatment plan", plan_id]
    meta.authors = []  # the clinician's name stays in the pages, not in searchable metadata
    meta.generator = "tplan"
    meta.created = created.isoformat()
    meta.modified = (updated or created).isoformat()
    files = (
        (source, source_name, f"Source of treatment plan {plan_id} (tplan YAML)", "Source"),
        (bundle, bundle_name, f"Treatment plan {plan_id} as a FHIR R4 Bundle (tplan export --fhir)", "Alternative"),
    )
    attachments = [
        weasyprint.Attachment(string=text, name=name, description=description, relationship=relationship)
        for text, name, description, relationship in files
        if text is not None
    ]
    pdf: bytes = document.write_pdf(pdf_variant="pdf/a-3b", attachments=attachments, uncompressed_pdf=False)
    return pdf
