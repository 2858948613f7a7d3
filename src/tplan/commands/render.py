"""`tplan render`: one plan → a Markdown or self-contained HTML document, or a PDF/A-3b file.

The plan is read, linted and validated once (`check_text`, as `tplan lint` does): lint errors put a warning banner
at the top of the document, or stop the render with --strict. A file that cannot be read or
parsed, or that does not match the plan format, is not rendered (exit 2): a half-read plan would
silently drop goals or signatures from a document someone will rely on. Placeholders left by a
template are shown as written, so a draft shows what is still to be filled in.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tplan.commands.one_plan import check_one_plan, count, per_plan, read_one_plan
from tplan.config import project_settings
from tplan.diagnostics import Diagnostic, Severity
from tplan.errors import TplanError
from tplan.fsio import atomic_write, check_output
from tplan.linter import Checked, LintSettings, validate
from tplan.measures import Catalogue, load_catalogue
from tplan.reporters.text import line as diagnostic_line

if TYPE_CHECKING:
    from tplan.render.view import Document
    from tplan.schema.plan import Plan

FORMATS = ("md", "html", "pdf")
PAPERS = ("letter", "a4")


def output_format(html: bool, md: bool, output: str | None, pdf: bool = False) -> str:
    """--html, --md or --pdf; with none, the -o file's suffix decides (.html/.htm, .pdf), else Markdown."""
    chosen = [fmt for fmt, on in (("html", html), ("md", md), ("pdf", pdf)) if on]
    if len(chosen) > 1:
        raise TplanError("choose one of --html, --md and --pdf, not several")
    if chosen:
        return chosen[0]
    suffix = Path(output).suffix.lower() if output else ""
    return {".html": "html", ".htm": "html", ".pdf": "pdf"}.get(suffix, "md")


def default_pdf_output(path: str) -> str:
    """A PDF is not written to the terminal: without -o it goes to PLAN's name with .pdf, in the
    current folder (never next to the plan, so a plan repository does not collect PDFs)."""
    if path == "-":
        raise TplanError("--pdf with a plan read from standard input needs -o FILE")
    return Path(path).with_suffix(".pdf").name


@dataclass(frozen=True)
class RenderOptions:
    """How each plan is rendered: the same for one plan and for a folder (plain values, so worker
    processes get them as they are)."""

    fmt: str = "md"
    redact: bool = False
    strict: bool = False
    today: _dt.date = dataclasses.field(default_factory=_dt.date.today)
    paper: str | None = None

    @property
    def fast(self) -> bool:
        """The plan's values from the fast route (tplan.schema.core): Markdown and HTML read only
        values; a PDF's FHIR attachment is built from the models (tplan.export)."""
        return self.fmt != "pdf"


class NotRendered(Exception):
    """A checked plan that is not rendered: `code` 1 (--strict and lint errors) or 2 (it does not
    match the plan format), with the findings that say why and one line for a folder's run."""

    def __init__(self, code: int, findings: list[Diagnostic], reason: str) -> None:
        super().__init__(reason)
        self.code, self.findings, self.reason = code, findings, reason


def check_paper(fmt: str, paper: str | None) -> str | None:
    """--paper as letter or a4 (lower case), for --pdf (default letter) and --html only."""
    if paper is not None:
        paper = paper.lower()
        if paper not in PAPERS:
            raise TplanError(f"--paper must be letter or a4 (got '{paper}')")
        if fmt == "md":
            raise TplanError("--paper applies to --pdf and --html, not to Markdown")
    return paper or ("letter" if fmt == "pdf" else None)


def run_render(
    path: str,
    fmt: str = "md",
    output: str | None = None,
    force: bool = False,
    redact: bool = False,
    strict: bool = False,
    today: _dt.date | None = None,
    paper: str | None = None,
) -> int:
    options = RenderOptions(fmt, redact, strict, today or _dt.date.today(), check_paper(fmt, paper))
    if fmt == "pdf":
        from tplan.render.pdf import ensure_available

        ensure_available()  # before any work: one line saying how to install it
        output = output or default_pdf_output(path)
    if output:
        check_output(output, force, source=path if Path(path).exists() else None, example=f"plan.{fmt}")

    settings = per_plan(project_settings(options.today))
    text = read_one_plan(path, settings.limits, "render")
    catalogue = load_catalogue(settings.measures_file)
    checked = check_one_plan(text, path, settings, catalogue, "the plan cannot be rendered", fast=options.fast, errors_first=True)
    try:
        rendered, errors = render_checked(checked, text, path, settings, catalogue, options)
    except NotRendered as exc:
        for d in exc.findings:
            print(diagnostic_line(d), file=sys.stderr)
        if exc.code == 1:
            print(f"tplan: {exc.reason}", file=sys.stderr)
            return 1
        if not exc.findings:
            raise TplanError(f"{path}: {exc.reason}") from None
        raise TplanError(
            f"{path} does not match the plan format ({count(len(exc.findings), 'finding')} above), so it cannot be "
            "rendered reliably; fix them (`tplan lint` shows the same list) and render again"
        ) from None
    if output:
        atomic_write(output, rendered, overwrite=force)
        banner = f" with a warning banner ({count(errors, 'lint error')})" if errors else ""
        print(f"Wrote {output}{banner}.", file=sys.stderr)
    else:
        assert isinstance(rendered, str)  # a PDF always goes to a file (PLAN.pdf without -o)
        sys.stdout.write(rendered)
    return 0


def render_checked(
    checked: Checked, text: str, path: str, settings: LintSettings, catalogue: Catalogue, options: RenderOptions
) -> tuple[str | bytes, int]:
    """(the document, how many lint errors its banner counts) for a plan read and checked once
    (`check_one_plan`), or NotRendered. The document is built from the checked plan: no second
    parse or validation, except of the reduced data with --redact."""
    doc, plan = checked.doc, checked.plan
    diagnostics = checked.result.diagnostics
    if options.redact:  # the banner and the messages below quote the plan: scrub them like its text
        from tplan.render.redact import scrubber

        scrub = scrubber(doc.data)
        diagnostics = [dataclasses.replace(d, message=scrub(d.message)) for d in diagnostics]
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if options.strict and errors:
        raise NotRendered(1, errors, f"not rendered: {count(len(errors), 'lint error')} (--strict renders clean plans only)")

    birth_year = None
    if options.redact:  # the document is built from the reduced data, so that is validated too
        from tplan.render.redact import redact as reduce_identifiers

        data, birth_year = reduce_identifiers(doc.data)
        plan, _ = validate(data, doc)  # placeholders in text stay, for the reader to see
    if plan is None and checked.plan is not None:  # valid as written: the reduction broke it
        raise NotRendered(
            2, [], "its redacted copy does not match the plan format, so it was not rendered; this is a fault in tplan's "
            "redaction, please report it (the plan renders without --redact)"
        )
    if plan is None:
        shown = errors or diagnostics
        raise NotRendered(
            2, shown, f"does not match the plan format ({count(len(shown), 'finding')}; `tplan lint` lists them), so it was not rendered"
        )

    from tplan.render.engine import render_document
    from tplan.render.view import build

    document = build(
        plan, catalogue, options.today, diagnostics, redacted=options.redact, birth_year=birth_year,
        minor_consent_age=settings.limits.minor_consent_age,
    )
    if options.fmt == "pdf":
        paper = options.paper or "letter"
        pdf = _pdf(document, plan, path, text, paper, embed_source=not options.redact, catalogue=catalogue, clean=not errors)
        return pdf, len(errors)
    return render_document(document, options.fmt, paper=options.paper), len(errors)


def _pdf(
    document: Document, plan: Plan, path: str, text: str, paper: str, embed_source: bool, catalogue: Catalogue, clean: bool
) -> bytes:
    """The print HTML as PDF/A-3b, with the plan file's bytes attached and, for a plan without lint
    errors, its FHIR Bundle (as `tplan export --fhir` writes it, which refuses such plans too). A
    redacted PDF attaches nothing: the source is the unredacted plan, and its comments cannot be
    scrubbed reliably."""
    from tplan.render.engine import render_document
    from tplan.render.pdf import render_pdf

    source = bundle = None
    if embed_source:
        source = text.encode("utf-8") if path == "-" else Path(path).read_bytes()
        if clean:
            from tplan.export.fhir import build_bundle, bundle_json

            bundle = bundle_json(build_bundle(plan, catalogue)).encode("utf-8")
    stem = plan.id if path == "-" else Path(path).stem
    return render_pdf(
        render_document(document, "html", paper=paper), plan_id=plan.id, created=plan.created, updated=plan.updated,
        paper=paper, source=source, source_name=f"{plan.id}.yaml" if path == "-" else Path(path).name,
        bundle=bundle, bundle_name=f"{stem}.fhir.json",
    )
