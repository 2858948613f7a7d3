"""`tplan render --pdf` (issue 16): a PDF/A-3b archive copy with the plan's YAML attached.

Read back with pypdf: page counts on Letter and A4 (goal: at most 7 for examples/burnout.yaml),
the text shows every goal id and the signers, the XMP declares PDF/A-3B, the attachments are the
source file byte for byte (AFRelationship Source) and the FHIR Bundle `tplan export --fhir`
writes (Alternative), and a --redact PDF holds no identifier and no attachment. Needs WeasyPrint
and Debian's Pango libraries (`.ci/run` installs them); without them these tests fail rather than skip. The example client is invented.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLES, run_tplan
from pypdf import PdfReader
from ruamel.yaml import YAML

BURNOUT = EXAMPLES / "burnout.yaml"
TODAY = "2026-12-01"
# Issue 16 asks for at most 7 pages; the print CSS brought examples/burnout.yaml from 14 to 10
# (Letter) and 9 (A4) pages and that goal is still open. This bound keeps what was won: a
# change that makes the PDF longer again fails here.
MAX_PAGES = {"letter": 7, "a4": 7}
# Identifiers of the invented client in examples/burnout.yaml that --redact must remove.
IDENTIFIERS = ["Renata", "Szabo", "1989-02-23", "555-0147", "555-0148", "renata.szabo@example.org",
               "Harbour View", "Millbrook", "CVH-88120457", "Ilona"]


def _render(tmp_path, name, *args):
    out = tmp_path / name
    result = run_tplan("render", str(BURNOUT), "--pdf", "-o", str(out), "--today", TODAY, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    return {
        "letter": PdfReader(_render(tmp, "letter.pdf", "--paper", "letter")),
        "a4": PdfReader(_render(tmp, "a4.pdf", "--paper", "a4")),
        "redacted": PdfReader(_render(tmp, "redacted.pdf", "--redact")),
    }


def _text(reader: PdfReader) -> str:
    """All pages' text, runs of white space made one space (narrow cells break names over lines)."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


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
    first = run_tplan("render", str(BURNOUT), "--pdf", "--today", TODAY, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = tmp_path / "burnout.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    written.write_bytes(b"keep me")
    again = run_tplan("render", str(BURNOUT), "--pdf", "--today", TODAY, cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists; use --force" in again.stderr and "Traceback" not in again.stderr
    assert written.read_bytes() == b"keep me"
    forced = run_tplan("render", str(BURNOUT), "--pdf", "--force", "--today", TODAY, cwd=tmp_path)
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


def test_lint_never_imports_weasyprint():
    code = f"import sys; from tplan.cli import main; sys.argv = ['tplan', 'lint', '--today', '2026-12-01', {str(BURNOUT)!r}]\n" \
           "try:\n    main()\nexcept SystemExit:\n    pass\nprint('weasyprint' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr
