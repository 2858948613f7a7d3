"""`tplan render --pdf` (issue 16): a PDF/A-3b archive copy with the plan's YAML attached.

Read back with pypdf: page counts on Letter and A4 (at most 7 for every example), every page but
a section's last at least two-thirds full, the text shows every goal id and every signer's block, the XMP declares PDF/A-3B, the attachments are the
source file byte for byte (AFRelationship Source) and the FHIR Bundle `tplan export --fhir`
writes (Alternative), and a --redact PDF holds no identifier and no attachment. Needs WeasyPrint
and Debian's Pango libraries (`.ci/run` installs them); without them these tests fail rather than skip. The example client is invented.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import EXAMPLES, MINIMAL, LazyModule, fresh_lint_of_the_examples, imported_modules, run_tplan
from ruamel.yaml import YAML

if TYPE_CHECKING:
    from pypdf import PdfReader

pypdf = LazyModule("pypdf")  # imported by the worker that runs these tests only

BURNOUT = EXAMPLES / "burnout.yaml"
TODAY = "2026-12-01"
# Issue 16's goal for examples/burnout.yaml, held for every example: measured 6 Letter / 6 A4 pages
# for burnout.yaml (14 before the print stylesheet, then 10 / 9).
MAX_PAGES = {"letter": 7, "a4": 7}
EXAMPLE_NAMES = ["burnout", "attachment", "minor-episode", "stress-management"]
EPISODE = EXAMPLES / "minor-episode.yaml"
STYLE = Path(__file__).resolve().parent.parent / "src" / "tplan" / "render" / "style.css"
MM = 72 / 25.4
# Identifiers of the invented client in examples/burnout.yaml that --redact must remove.
IDENTIFIERS = ["Renata", "Szabo", "1989-02-23", "555-0147", "555-0148", "renata.szabo@example.org",
               "Harbour View", "Millbrook", "CVH-88120457", "Ilona"]


def _shared_folder(tmp_path_factory) -> Path:
    """The folder pytest-xdist's workers share (the parent of each worker's temporary folder)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "rendered-pdfs"
    shared.mkdir(exist_ok=True)
    return shared


def _once(out: Path, render) -> None:
    """Run `render(part)` to make `out` unless a test (in any worker) has made it already: a lock
    makes the other workers wait for the one rendering, and `out` appears whole or not at all."""
    with open(out.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            part = out.with_name(out.name + ".part")
            render(part)
            part.rename(out)


# The A4 PDFs of these plans come from one folder render (`tplan render PLANS... --pdf -o FOLDER`),
# which test_a_folder_renders_each_plan_as_a_pdf_with_its_own_source checks, instead of being
# rendered again one by one: every test reading them checks the folder command's output.
FOLDER_PLANS = ("burnout", "attachment")


def folder_rendered(tmp_path_factory) -> Path:
    """The folder holding FOLDER_PLANS rendered on A4 by one `tplan render ... --pdf -o FOLDER`."""
    out = _shared_folder(tmp_path_factory) / "folder-a4"

    def render(part: Path) -> None:
        plans = [str(EXAMPLES / f"{name}.yaml") for name in FOLDER_PLANS]
        result = run_tplan("render", *plans, "--pdf", "--paper", "a4", "-o", str(part), "--today", TODAY)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr

    _once(out, render)
    return out


def rendered_pdf(tmp_path_factory, name: str, *args: str) -> PdfReader:
    """examples/NAME.yaml rendered with these arguments once per test run, whichever test and
    test worker asks first (a WeasyPrint render costs seconds; a dozen tests read the same PDFs)."""
    if args == ("--paper", "a4") and name in FOLDER_PLANS:
        return read_pdf(folder_rendered(tmp_path_factory) / f"{name}.pdf")
    out = _shared_folder(tmp_path_factory) / ("-".join((name, *args)).replace("--", "") + ".pdf")

    def render(part: Path) -> None:
        result = run_tplan("render", str(EXAMPLES / f"{name}.yaml"), "--pdf", "-o", str(part), "--force", "--today", TODAY, *args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr

    _once(out, render)
    return read_pdf(out)


_READERS: dict[Path, PdfReader] = {}


def read_pdf(path: Path) -> PdfReader:
    """One reader per shared PDF in this process, so the text read from it (pages_read) is read once."""
    if path not in _READERS:
        _READERS[path] = pypdf.PdfReader(path)
    return _READERS[path]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    return {
        "letter": rendered_pdf(tmp_path_factory, "burnout", "--paper", "letter"),
        "a4": rendered_pdf(tmp_path_factory, "burnout", "--paper", "a4"),
        "redacted": rendered_pdf(tmp_path_factory, "burnout", "--redact"),
    }


def pages_read(reader: PdfReader) -> list[tuple[str, list[tuple[float, float, str]]]]:
    """Each page's text as pypdf extracts it, and its text runs (see text_runs), read once per reader:
    one extraction gives both (pypdf returns the same text with a visitor as without), and it costs
    ~0.1 s a page, which several tests reading the same PDF paid again and again."""
    cached = getattr(reader, "_pages_read", None)
    if cached is None:
        cached = []
        for page in reader.pages:
            runs: list[tuple[float, float, str]] = []

            def visit(text, cm, tm, font, size, runs=runs):
                if text.strip():
                    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                    runs.append((x, tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text.strip()))

            cached.append((page.extract_text(visitor_text=visit) or "", runs))
        reader._pages_read = cached
    return cached


def _text(reader: PdfReader) -> str:
    """All pages' text, runs of white space made one space (narrow cells break names over lines)."""
    return " ".join(" ".join(text for text, _ in pages_read(reader)).split())


def _xmp(reader: PdfReader) -> str:
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    return stream.get_data().decode("utf-8")


def _embedded(reader: PdfReader) -> dict:
    """name → (bytes, /AFRelationship) of every embedded file in the name tree."""
    root = reader.trailer["/Root"]
    names = root.get("/Names", {}).get("/EmbeddedFiles", {}).get("/Names", [])
    found = {}
    for i in range(0, len(names), 2):
        spec = names[i + 1].get_object()
        data = spec["/EF"]["/F"].get_object().get_data()
        found[str(names[i])] = (data, str(spec.get("/AFRelationship")))
    return found


@pytest.mark.parametrize("paper, width_pt", [("letter", 612), ("a4", 595)])
def test_page_count_and_paper_size(pdfs, paper, width_pt):
    reader = pdfs[paper]
    pages = len(reader.pages)
    print(f"burnout.yaml on {paper}: {pages} pages")
    assert 1 <= pages <= MAX_PAGES[paper], f"{pages} pages on {paper}"
    assert round(float(reader.pages[0].mediabox.width)) == width_pt


def test_text_shows_every_goal_id_and_the_signers(pdfs):
    plan = YAML(typ="safe").load(BURNOUT.read_text(encoding="utf-8"))
    text = _text(pdfs["letter"])
    goal_ids = [g["id"] for g in plan["goals"]] + [o["id"] for g in plan["goals"] for o in g.get("objectives", [])]
    assert goal_ids and all(ident in text for ident in goal_ids), [i for i in goal_ids if i not in text]
    signatures = text[text.upper().rindex("CONSENT AND SIGNATURES"):]  # the heading is upper-cased by CSS
    assert plan["clinician"]["name"] in signatures
    assert plan["client"]["name"] in text


def test_xmp_declares_pdf_a_3b_with_the_plan_id_and_dates(pdfs):
    xmp = _xmp(pdfs["letter"])
    assert "pdfaid:part" in xmp and ("pdfaid:part>3<" in xmp or 'pdfaid:part="3"' in xmp), xmp
    assert "pdfaid:conformance>B<" in xmp or 'pdfaid:conformance="B"' in xmp, xmp
    info = pdfs["letter"].metadata
    assert info.title == "Treatment plan TP-2026-0127"
    assert _iso(info.get("/CreationDate")) == "2026-08-17"
    assert _iso(info.get("/ModDate")) == "2026-11-10"
    assert "Renata" not in xmp and "Szabo" not in xmp  # metadata names the plan, never the client


def _iso(pdf_date) -> str:
    """'D:20260817000000Z' → '2026-08-17'."""
    digits = str(pdf_date or "").removeprefix("D:")
    return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"


def test_the_source_yaml_is_embedded_byte_for_byte_as_source(pdfs):
    embedded = _embedded(pdfs["letter"])
    assert sorted(embedded) == ["burnout.fhir.json", "burnout.yaml"]
    data, relationship = embedded["burnout.yaml"]
    assert data == BURNOUT.read_bytes()
    assert relationship == "/Source"
    # every embedded file is an associated file of the document (WeasyPrint may list one twice)
    af = pdfs["letter"].trailer["/Root"].get("/AF")
    assert af is not None and {ref.idnum for ref in af.get_object()} == set(_embedded_refs(pdfs["letter"]))


def test_the_fhir_bundle_is_embedded_as_export_writes_it(pdfs):
    data, relationship = _embedded(pdfs["letter"])["burnout.fhir.json"]
    exported = run_tplan("export", str(BURNOUT), "--fhir", "--today", TODAY)
    assert exported.returncode == 0, exported.stderr
    assert data.decode("utf-8") == exported.stdout
    assert relationship == "/Alternative"


def _embedded_refs(reader: PdfReader) -> list[int]:
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    return [names[i + 1].idnum for i in range(0, len(names), 2)]


def test_redacted_pdf_has_no_identifiers_and_no_source(pdfs):
    reader = pdfs["redacted"]
    text = _text(reader)
    assert "TP-2026-0127" in text  # the text is really there to search
    leaked = [i for i in IDENTIFIERS if i in text or i in _xmp(reader)]
    assert not leaked, leaked
    assert _embedded(reader) == {}
    assert all(b"Szabo" not in page.get_contents().get_data() for page in reader.pages)


def test_default_output_is_named_after_the_plan_and_never_overwritten(tmp_path):
    plan = tmp_path / "plans" / "TP-TEST-0001.yaml"  # a one-page plan: the naming does not need a long one
    plan.parent.mkdir()
    shutil.copy(MINIMAL, plan)
    first = run_tplan("render", str(plan), "--pdf", "--today", TODAY, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = tmp_path / "TP-TEST-0001.pdf"  # in the current folder, not beside the plan
    assert not (plan.parent / "TP-TEST-0001.pdf").exists()
    assert written.read_bytes().startswith(b"%PDF-")
    written.write_bytes(b"keep me")
    again = run_tplan("render", str(plan), "--pdf", "--today", TODAY, cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists; use --force" in again.stderr and "Traceback" not in again.stderr
    assert written.read_bytes() == b"keep me"
    forced = run_tplan("render", str(plan), "--pdf", "--force", "--today", TODAY, cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert written.read_bytes().startswith(b"%PDF-")


def test_pdf_suffix_chooses_pdf_and_a_bad_paper_is_a_usage_error(tmp_path):
    bad = run_tplan("render", str(BURNOUT), "--pdf", "--paper", "legal", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "--paper must be letter or a4" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
    two = run_tplan("render", str(BURNOUT), "--pdf", "--html")
    assert two.returncode == 2 and "choose one of --html, --md and --pdf" in two.stderr
    from tplan.commands.render import output_format

    assert output_format(False, False, "plan.PDF") == "pdf"


@pytest.mark.process
def test_without_weasyprint_one_line_says_how_to_install_it(tmp_path):
    """Simulated: `sys.modules['weasyprint'] = None` makes the import raise ImportError."""
    code = (
        "import sys; sys.modules['weasyprint'] = None; from tplan.cli import main; "
        f"sys.argv = ['tplan', 'render', {str(BURNOUT)!r}, '--pdf', '-o', {str(tmp_path / 'b.pdf')!r}]; main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "pip install 'tplan[pdf]'" in lines[0] and "libpango" in lines[0]
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.process
def test_lint_never_imports_weasyprint():
    result = fresh_lint_of_the_examples(str(BURNOUT))
    assert "EXIT=0" in result.stdout, result.stdout + result.stderr
    assert "weasyprint" not in imported_modules(result)


# ---- layout: page counts and page fill for every example, WeasyPrint and Chromium -------------
#
# A "section" is what an h2 heading opens (Diagnoses, Presenting problems, Goals and objectives, ...;
# the header's Client/Clinician/Plan labels are not sections). A page is "the last of its section"
# when the next page begins with a section heading, or when it is the document's last page: such a
# page may be short, because the next heading is kept with what follows it. Every other page must
# be at least two-thirds full: its lowest line of text lies in the bottom third of the page's
# content area (between the margins; the footer sits in the bottom margin and is not counted).


def _print_margins_mm() -> tuple[float, float]:
    """(top, bottom) of the print @page margin in style.css, so the measure follows the stylesheet."""
    top, _, bottom = re.findall(r"@page \{\s*size: auto;\s*margin: (\d+)mm (\d+)mm (\d+)mm", STYLE.read_text())[-1]
    return float(top), float(bottom)


def section_headings(html: str) -> list[str]:
    """The h2 headings' text as printed (the stylesheet upper-cases them)."""
    import html as html_lib

    return [html_lib.unescape(re.sub(r"<[^>]+>", "", h)).upper() for h in re.findall(r'<h2(?: id="[^"]*")?>(.*?)</h2>', html)]


def text_runs(reader: PdfReader, number: int) -> list[tuple[float, float, str]]:
    """(x, baseline height above the page's bottom edge, text) in pt of each text run on page `number` (0-based)."""
    return pages_read(reader)[number][1]


def text_lines(reader: PdfReader, number: int) -> list[tuple[float, str]]:
    return [(y, t) for _, y, t in text_runs(reader, number)]


def page_fill(reader: PdfReader, headings: list[str]) -> list[tuple[int, float, bool]]:
    """(page number, share of the content area filled, is the last page of a section) for each page."""
    top_mm, bottom_mm = _print_margins_mm()
    pages = []
    for number, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        body = [(y, t) for y, t in text_lines(reader, number) if y > bottom_mm * MM]  # the footer is in the margin
        pages.append((height, body))
    filled = []
    for number, (height, body) in enumerate(pages, start=1):
        area_top, area_bottom = height - top_mm * MM, bottom_mm * MM
        lowest = min((y for y, _ in body), default=area_top)
        share = (area_top - lowest) / (area_top - area_bottom)
        if number == len(pages):
            last_of_section = True
        else:
            following = pages[number][1]
            first_y = max(y for y, _ in following)
            first_line = " ".join(t for y, t in sorted(following, key=lambda r: -r[0]) if abs(y - first_y) < 2)
            last_of_section = any(first_line.startswith(h) for h in headings)
        filled.append((number, round(share, 2), last_of_section))
    return filled


def underfilled(fill: list[tuple[int, float, bool]]) -> list[tuple[int, float]]:
    """The pages of page_fill's measure less than two-thirds full that do not end a section."""
    return [(n, share) for n, share, last in fill if not last and share < 2 / 3]


def example_pdf(tmp_path_factory, name: str, paper: str) -> PdfReader:
    return rendered_pdf(tmp_path_factory, name, "--paper", paper)


def example_html(name: str, *args: str) -> str:
    result = run_tplan("render", str(EXAMPLES / f"{name}.yaml"), "--html", "--today", TODAY, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_example_fits_seven_pages_and_fills_them(tmp_path_factory, name, paper):
    reader = example_pdf(tmp_path_factory, name, paper)
    fill = page_fill(reader, section_headings(example_html(name)))
    print(f"{name}.yaml on {paper}: {len(reader.pages)} pages, fill {fill}")
    assert len(reader.pages) <= MAX_PAGES[paper]
    assert underfilled(fill) == [], fill


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_the_header_columns_stand_side_by_side(tmp_path_factory, paper):
    """WeasyPrint's grid stacked the header's columns on top of each other; the print CSS floats them:
    the Client, Clinician and Plan labels share one line, left to right, and their facts start under them."""
    runs = text_runs(example_pdf(tmp_path_factory, "burnout", paper), 0)
    labels = {t: (x, y) for x, y, t in runs if t in ("CLIENT", "CLINICIAN", "PLAN")}
    assert sorted(labels) == ["CLIENT", "CLINICIAN", "PLAN"], labels
    (cx, cy), (kx, ky), (px, py) = labels["CLIENT"], labels["CLINICIAN"], labels["PLAN"]
    assert abs(cy - ky) < 1 and abs(ky - py) < 1, labels
    width = float(example_pdf(tmp_path_factory, "burnout", paper).pages[0].mediabox.width)
    assert cx < kx - width / 5 and kx < px - width / 5, labels  # each column at least a fifth of the page wide
    starts = {t: x for x, y, t in runs if y < cy}
    assert abs(starts["Renata Szabo"] - cx) < 1 and abs(starts["Daniel Ferreira, LPC"] - kx) < 1, starts


def test_the_fill_measure_finds_a_page_left_short(tmp_path):
    """Control: a forced break before the second presenting problem leaves page 1 short of a section's end."""
    from tplan.render.pdf import render_pdf

    html = example_html("burnout").replace("</style>", "@media print { #problem-P2 { break-before: page; } }</style>", 1)
    out = tmp_path / "short.pdf"
    out.write_bytes(render_pdf(html, plan_id="TP-2026-0127", created=__import__("datetime").date(2026, 8, 17), updated=None))
    short = underfilled(page_fill(pypdf.PdfReader(out), section_headings(html)))
    assert [n for n, _ in short] == [1], short


def _signatures_text(reader: PdfReader) -> str:
    text = _text(reader)
    return text[text.upper().rindex("CONSENT AND SIGNATURES"):]


SIGNERS = {
    # role and name, then what identifies the signer: credentials, licence and NPI, the guardian's relationship
    "burnout": ["Client: Renata Szabo", "Clinician: Daniel Ferreira, LPC", "license LPC-21977", "NPI 1234567893"],
    "minor-episode": [
        "Client (assent): Mira Okonkwo-Hale", "assent to the plan",
        "Guardian: Grace Okonkwo-Hale (mother)", "authority: parent",
        "Clinician: Priya Lindqvist, LPC-Associate", "license LPCA-30418",
        "Supervisor: Jonah Whitcombe, LPC-S", "license LPC-11205",
    ],
}


@pytest.mark.parametrize("name", sorted(SIGNERS))
def test_signature_blocks_name_every_signer_with_a_date_line(tmp_path_factory, name):
    """minor-episode.yaml: a 14-year-old client (assent line), her mother as guardian, a supervised clinician."""
    from html.parser import HTMLParser

    signed = _signatures_text(example_pdf(tmp_path_factory, name, "letter"))
    missing = [s for s in SIGNERS[name] if s not in signed]
    assert not missing, (missing, signed)

    class Blocks(HTMLParser):
        """The text of each `.signature` block, and how many date lines it has."""

        def __init__(self):
            super().__init__()
            self.blocks: list[dict] = []
            self.depth = 0

        def handle_starttag(self, tag, attrs):
            classes = (dict(attrs).get("class") or "").split()
            if "signature" in classes:
                self.blocks.append({"text": "", "date_lines": 0})
                self.depth = 0
            if self.blocks and tag == "div":
                self.depth += 1
            if self.blocks and "sig-when" in classes:
                self.blocks[-1]["date_lines"] += 1

        def handle_endtag(self, tag):
            if self.blocks and tag == "div":
                self.depth -= 1

        def handle_data(self, data):
            if self.blocks and self.depth > 0:
                self.blocks[-1]["text"] += data

    parser = Blocks()
    parser.feed(example_html(name))
    html_text = " ".join(b["text"] for b in parser.blocks)
    assert [s for s in SIGNERS[name] if s not in html_text] == []
    roles = 4 if name == "minor-episode" else 2
    assert len(parser.blocks) == roles and all(b["date_lines"] == 1 and "Date" in b["text"] for b in parser.blocks)


# ---- Chromium's print of the HTML ----------------------------------------------------------------


def chromium_print(html_file: Path, out: Path, tmp_path: Path) -> PdfReader:
    """Print a page to PDF with headless Chromium, offline, without the browser's own header and footer."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("chromium is not installed: `apt-get install -y chromium` (bash .ci/run does this)")
    result = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
         f"--print-to-pdf={out}", html_file.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert out.exists(), f"chromium wrote no PDF (exit {result.returncode}):\n{result.stderr[-2000:]}"
    return pypdf.PdfReader(out)


@pytest.mark.process
@pytest.mark.browser
@pytest.mark.parametrize("paper, width_pt", [("letter", 612), ("a4", 595)])
def test_chromium_print_of_the_html_meets_the_same_goals(tmp_path, paper, width_pt):
    """`render --html --paper` sets the print page size, so Chromium prints on that paper."""
    html = example_html("burnout", "--paper", paper)
    page = tmp_path / "burnout.html"
    page.write_text(html, encoding="utf-8")
    reader = chromium_print(page, tmp_path / "burnout.pdf", tmp_path)
    assert round(float(reader.pages[0].mediabox.width)) == width_pt
    fill = page_fill(reader, section_headings(html))
    print(f"burnout.yaml printed by Chromium on {paper}: {len(reader.pages)} pages, fill {fill}")
    assert len(reader.pages) <= MAX_PAGES[paper]
    assert underfilled(fill) == [], fill
    text = unicodedata.normalize("NFKC", _text(reader))  # Chromium's text has ligatures ("ﬁ")
    assert "Page 1 of" in text and "TP-2026-0127 · Confidential" in text  # the footer's margin boxes print
    assert "Clinician: Daniel Ferreira, LPC" in text[text.upper().rindex("CONSENT AND SIGNATURES"):]


def test_a_folder_renders_each_plan_as_a_pdf_with_its_own_source(tmp_path_factory):
    """`tplan render PLANS... --pdf -o FOLDER` (docs/render.md): one PDF/A-3b per plan, each
    carrying its own plan's bytes, as the one-plan --pdf does."""
    out = folder_rendered(tmp_path_factory)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.pdf" for name in FOLDER_PLANS)
    for name in FOLDER_PLANS:
        plan = EXAMPLES / f"{name}.yaml"
        reader = pypdf.PdfReader(out / f"{name}.pdf")
        assert _embedded(reader)[plan.name][0] == plan.read_bytes()
        assert round(float(reader.pages[0].mediabox.width)) == 595
