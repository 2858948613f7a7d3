"""`tplan lsp` through a real LSP client over stdio (pygls's LanguageClient starting
`python -m tplan lsp`), plus the pure helpers behind it (positions, cursor context).

Every plan here is examples/burnout.yaml (invented) or an edit of it.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, LazyModule, fresh_tplan, imported_modules, run_tplan

types = LazyModule("lsprotocol.types")  # imported by the worker that runs these tests only
pygls_client = LazyModule("pygls.lsp.client")
pygls_uris = LazyModule("pygls.uris")

BURNOUT = (EXAMPLES / "burnout.yaml").read_text(encoding="utf-8")
TIMEOUT = 30


# ---- a small test client ----------------------------------------------------------------------


class Session:
    """One `tplan lsp` process and a client talking to it; collects what the server pushes."""

    def __init__(self, root: Path, pull: bool = False, encodings: list[str] | None = None):
        self.root = root
        self.pull = pull
        self.encodings = encodings
        self.client = pygls_client.LanguageClient("tplan-tests", "1")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.messages: list[str] = []
        self.changed = asyncio.Event()
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self.changed.set()

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def _log(params: types.LogMessageParams) -> None:
            self.messages.append(params.message)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def _show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)
            self.changed.set()

        @self.client.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
        def _refresh(params: None) -> None:
            return None

    async def start(self) -> types.InitializeResult:
        await self.client.start_io(sys.executable, "-m", "tplan", "lsp", cwd=str(self.root))
        text_caps = types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities(related_document_support=False) if self.pull else None,
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        )
        result = await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(
                    text_document=text_caps,
                    general=types.GeneralClientCapabilities(position_encodings=self.encodings) if self.encodings else None,
                ),
                root_uri=pygls_uris.from_fs_path(str(self.root)),
                workspace_folders=[types.WorkspaceFolder(uri=pygls_uris.from_fs_path(str(self.root)), name="plans")],
            )
        )
        self.client.initialized(types.InitializedParams())
        return result

    async def stop(self) -> tuple[int, str]:
        """Shut down and exit as an editor does; the server's exit code and its stderr."""
        await self.client.shutdown_async(None)
        self.client.exit(None)
        server = self.client._server
        code = await asyncio.wait_for(server.wait(), TIMEOUT)
        stderr = (await server.stderr.read()).decode("utf-8", "replace")
        await self.client.stop()
        return code, stderr

    def open(self, path: Path, text: str) -> str:
        uri = pygls_uris.from_fs_path(str(path))
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
        )
        return uri

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))

    async def diagnostics(self, uri: str, version: int | None = None, after: int = 0) -> list[types.Diagnostic]:
        """The first diagnostics pushed for `version` (default: the latest sent) after the
        `after`-th publication for this document."""
        version = self.versions[uri] if version is None else version

        async def wait() -> list[types.Diagnostic]:
            while True:
                for params in self.published.get(uri, [])[after:]:
                    if params.version == version:
                        return list(params.diagnostics)
                self.changed.clear()
                await self.changed.wait()

        return await asyncio.wait_for(wait(), TIMEOUT)

    def count(self, uri: str) -> int:
        return len(self.published.get(uri, []))


def scenario(root: Path, body, pull: bool = False, encodings: list[str] | None = None):
    """Run `body(session)` against a fresh server; return its result, the exit code and stderr."""

    async def main():
        session = Session(root, pull=pull, encodings=encodings)
        await session.start()
        try:
            result = await body(session)
        except BaseException:
            session.client._server.kill()
            raise
        code, stderr = await session.stop()
        return result, code, stderr, session

    return asyncio.run(asyncio.wait_for(main(), 3 * TIMEOUT))


# ---- what `tplan lint` says about the same text -------------------------------------------------


def utf16(line: str, column: int) -> int:
    """A 1-based code-point column → 0-based UTF-16 units (written out again here, on purpose)."""
    return len(line[: column - 1].encode("utf-16-le")) // 2


def lint_as_lsp(path: Path, text: str) -> list[tuple]:
    """`tplan lint --format json` on `text` saved at `path`, as (code, severity, start, end, message)."""
    path.write_text(text, encoding="utf-8")
    result = run_tplan("lint", "--format", "json", str(path), cwd=path.parent)
    assert result.returncode in (0, 1, 2), result.stderr
    lines = text.split("\n")
    out = []
    for f in json.loads(result.stdout)["findings"]:
        line, col = f["line"], f["column"]
        start = (line - 1, utf16(lines[line - 1], col)) if line else (0, 0)
        end = (f["end_line"] - 1, utf16(lines[f["end_line"] - 1], f["end_column"])) if line and f["end_line"] else start
        out.append((f["code"], f["severity"], start, end, f["message"]))
    return sorted(out)


_SEVERITY = {1: "error", 2: "warning", 3: "info"}


def as_tuples(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return sorted(
        (d.code, _SEVERITY[d.severity], (d.range.start.line, d.range.start.character), (d.range.end.line, d.range.end.character), d.message)
        for d in diagnostics
    )


def apply_edit(text: str, edit: types.TextEdit) -> str:
    """Apply one TextEdit (UTF-16 positions) to text, as an editor would."""
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: p.line])
        line, units, i = lines[p.line] if p.line < len(lines) else "", 0, 0
        while i < len(line) and units < p.character:
            units += len(line[i].encode("utf-16-le")) // 2
            i += 1
        return before + i

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


def the_edit(action: types.CodeAction) -> types.TextEdit:
    [edits] = action.edit.changes.values()
    [edit] = edits
    return edit


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    return tmp_path


class SharedServer:
    """One server for the tests that only open their own document (starting a server costs
    seconds on a busy machine): its event loop runs in a thread, `run` waits for a coroutine."""

    def __init__(self, root: Path):
        import threading

        self.root = root
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.session = Session(root)
        self.run(self.session.start())

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, 3 * TIMEOUT), self.loop).result()

    def plan(self, name: str) -> Path:
        """A path of its own for each test, in the served workspace (never written to)."""
        return self.root / "plans" / f"{name}.yaml"

    def close(self) -> tuple[int, str]:
        try:
            return self.run(self.session.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> SharedServer:
    root = tmp_path_factory.mktemp("served")
    (root / "plans").mkdir()
    server = SharedServer(root)
    yield server
    code, stderr = server.close()
    assert code == 0 and "Traceback" not in stderr, stderr


# Edits of the example, each a single value changed.
OUT_OF_RANGE = BURNOUT.replace("    baseline: 14\n", "    baseline: 40\n", 1)  # PHQ-9 runs 0–27: S104
BAD_STATUS = BURNOUT.replace("status: active\n", "status: actve\n", 1)  # E003
assert OUT_OF_RANGE != BURNOUT and BAD_STATUS != BURNOUT


# ---- the tests --------------------------------------------------------------------------------


@pytest.mark.process
def test_published_diagnostics_equal_tplan_lint_as_values_break(shared: SharedServer, tmp_path: Path):
    plan = shared.plan("published_diagnostics_equal_tplan_lint_as_values_break")

    async def body(s: Session):
        uri = s.open(plan, BURNOUT)
        clean = await s.diagnostics(uri, 1)
        s.change(uri, OUT_OF_RANGE)
        broken_score = await s.diagnostics(uri)
        s.change(uri, BAD_STATUS)
        broken_status = await s.diagnostics(uri)
        return clean, broken_score, broken_status

    (clean, broken_score, broken_status) = shared.run(body(shared.session))
    other = tmp_path / "other" / "TP-2026-0127.yaml"  # outside the server's view: nothing on disk changes for it
    other.parent.mkdir()
    assert as_tuples(clean) == lint_as_lsp(other, BURNOUT) == []
    assert as_tuples(broken_score) == lint_as_lsp(other, OUT_OF_RANGE)
    assert as_tuples(broken_status) == lint_as_lsp(other, BAD_STATUS)
    assert "S104" in {d.code for d in broken_score}
    assert "E003" in {d.code for d in broken_status}
    s104 = next(d for d in broken_score if d.code == "S104")
    line = OUT_OF_RANGE.split("\n").index("    baseline: 40")
    assert (s104.range.start.line, s104.range.start.character, s104.range.end.character) == (line, 14, 16)
    assert all(d.source == "tplan" for d in broken_score + broken_status)


@pytest.mark.process
def test_columns_are_utf16_units_after_an_emoji_and_an_accent(shared: SharedServer, tmp_path: Path):
    """The C403 value comes after 'É' (1 unit) and '🔥' (2 units, one code point)."""
    before = "  - {code: Z73.0, description: Burn-out}"
    after = '  - {description: "Épuisement 🔥 burn-out", code: Z730}'
    assert before in BURNOUT
    text = BURNOUT.replace(before, after, 1)
    plan = shared.plan("columns_are_utf16_units_after_an_emoji_and_an_accent")

    async def body(s: Session):
        uri = s.open(plan, text)
        found = await s.diagnostics(uri, 1)
        c403 = next(d for d in found if d.code == "C403")
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(types.TextDocumentIdentifier(uri), c403.range, types.CodeActionContext([c403]))
        )
        return found, c403, actions

    (found, c403, actions) = shared.run(body(shared.session))
    line = text.split("\n").index(after)
    code_points = after.index("Z730")
    assert c403.range.start == types.Position(line, code_points + 1)  # the emoji counts twice in UTF-16
    assert c403.range.end == types.Position(line, code_points + 5)
    assert as_tuples(found) == lint_as_lsp(tmp_path / "copy.yaml", text)
    fix = next(a for a in actions if a.title == "Change value to 'Z73.0'")
    assert apply_edit(text, the_edit(fix)).split("\n")[line] == '  - {description: "Épuisement 🔥 burn-out", code: Z73.0}'


@pytest.mark.process
def test_a_client_that_counts_in_utf8_gets_byte_columns(workspace: Path):
    after = '  - {description: "Épuisement 🔥 burn-out", code: Z730}'
    text = BURNOUT.replace("  - {code: Z73.0, description: Burn-out}", after, 1)

    async def body(s: Session):
        uri = s.open(workspace / "plans" / "TP-2026-0127.yaml", text)
        return next(d for d in await s.diagnostics(uri, 1) if d.code == "C403")

    c403, code, _, _ = scenario(workspace, body, encodings=["utf-8"])
    start = len(after[: after.index("Z730")].encode("utf-8"))  # É is 2 bytes, 🔥 is 4
    assert (c403.range.start.character, c403.range.end.character) == (start, start + 4)
    assert code == 0


@pytest.mark.process
def test_disable_action_silences_the_finding_and_file_wide_too(shared: SharedServer, tmp_path: Path):
    plan = shared.plan("disable_action_silences_the_finding_and_file_wide_too")

    async def body(s: Session):
        uri = s.open(plan, OUT_OF_RANGE)
        [s104] = [d for d in await s.diagnostics(uri, 1) if d.code == "S104"]
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(types.TextDocumentIdentifier(uri), s104.range, types.CodeActionContext([s104]))
        )
        titles = [a.title for a in actions]
        line_fix = next(a for a in actions if a.title == "Disable S104 for this line")
        fixed = apply_edit(OUT_OF_RANGE, the_edit(line_fix))
        s.change(uri, fixed)
        after_line = await s.diagnostics(uri)
        file_fix = next(a for a in actions if a.title == "Disable S104 in this file")
        fixed_file = apply_edit(OUT_OF_RANGE, the_edit(file_fix))
        s.change(uri, fixed_file)
        after_file = await s.diagnostics(uri)
        return titles, fixed, after_line, fixed_file, after_file

    (titles, fixed, after_line, fixed_file, after_file) = shared.run(body(shared.session))
    assert "Disable S104 for this line" in titles and "Disable S104 in this file" in titles
    assert "    baseline: 40  # tplan: disable=S104\n" in fixed
    assert after_line == []  # no S104, and no X901: the comment is used
    assert "\n# tplan: disable-file=S104\ntplan: 1\n" in fixed_file
    assert after_file == []


def test_disable_extends_an_existing_comment():
    from tplan.lsp.actions import code_actions

    text = OUT_OF_RANGE.replace("    baseline: 40\n", "    baseline: 40  # tplan: disable=S105 reason\n", 1)
    line = text.split("\n").index("    baseline: 40  # tplan: disable=S105 reason")
    diag = types.Diagnostic(types.Range(types.Position(line, 14), types.Position(line, 16)), "out of range", code="S104", source="tplan")
    [action] = [a for a in code_actions("file:///p.yaml", text, diag.range, [diag]) if a.title.startswith("Disable S104 for")]
    assert apply_edit(text, the_edit(action)).split("\n")[line] == "    baseline: 40  # tplan: disable=S105,S104 reason"


def test_no_disable_comment_where_it_would_change_the_plan():
    """A comment at the end of the first line of a multi-line plain value would cut the value."""
    from tplan.lsp.actions import code_actions

    text = "tplan: 1\nsummary: first part\n  second part\n"
    diag = types.Diagnostic(types.Range(types.Position(1, 9), types.Position(2, 13)), "x", code="S109", source="tplan")
    titles = [a.title for a in code_actions("file:///p.yaml", text, diag.range, [diag])]
    assert "Disable S109 for this line" not in titles and "Disable S109 in this file" in titles


@pytest.mark.process
def test_quick_fix_for_a_misspelt_key_and_value(shared: SharedServer, tmp_path: Path):
    typo_key = BURNOUT.replace("    deadline: 2026-11-09\n", "    deadine: 2026-11-09\n", 1)
    plan = shared.plan("quick_fix_for_a_misspelt_key_and_value")

    async def body(s: Session):
        results = []
        uri = s.open(plan, typo_key)
        for text in (typo_key, BAD_STATUS):
            version = s.change(uri, text)
            found = await s.diagnostics(uri, version)
            target = next(d for d in found if d.code in ("E003", "E004"))
            actions = await s.client.text_document_code_action_async(
                types.CodeActionParams(types.TextDocumentIdentifier(uri), target.range, types.CodeActionContext([target]))
            )
            fix = next(a for a in actions if a.title.startswith("Change"))
            fixed = apply_edit(text, the_edit(fix))
            s.change(uri, fixed)
            results.append((target.code, fix.title, fix.is_preferred, fixed, await s.diagnostics(uri)))
        return results

    results = shared.run(body(shared.session))
    (k_code, k_title, k_pref, k_fixed, k_after), (v_code, v_title, _, v_fixed, v_after) = results
    assert (k_code, k_title, k_pref) == ("E004", "Change key to 'deadline'", True)
    assert k_fixed == BURNOUT and k_after == []
    assert (v_code, v_title) == ("E003", "Change value to 'active'")
    assert v_fixed == BURNOUT and v_after == []


def test_quick_fix_adds_a_missing_updated_date():
    import datetime as _dt

    from tplan.lsp.actions import code_actions

    text = BURNOUT.replace("updated: 2026-11-10\n", "", 1)
    line = text.split("\n").index("created: 2026-08-17")
    span = types.Range(types.Position(line, 0), types.Position(line, 0))
    [action] = [a for a in code_actions("file:///p.yaml", text, span, []) if a.title.startswith("Add 'updated")]
    today = _dt.date.today().isoformat()
    assert apply_edit(text, the_edit(action)).split("\n")[line : line + 2] == ["created: 2026-08-17", f"updated: {today}"]
    assert not [a for a in code_actions("file:///p.yaml", BURNOUT, span, []) if a.title.startswith("Add 'updated")]


@pytest.mark.process
def test_hover_rule_docs_measure_and_ids(shared: SharedServer, tmp_path: Path):
    text = OUT_OF_RANGE.replace("    baseline: 40\n", "    baseline: 40  # tplan: disable=S104,no-deadline\n", 1)
    lines = text.split("\n")
    comment_line = lines.index("    baseline: 40  # tplan: disable=S104,no-deadline")
    measure_line = lines.index("    measure: PHQ-9")
    id_line = lines.index("    addresses: [P2]")
    plan = shared.plan("hover_rule_docs_measure_and_ids")

    async def body(s: Session):
        uri = s.open(plan, text)
        await s.diagnostics(uri, 1)

        async def hover(line: int, character: int):
            result = await s.client.text_document_hover_async(
                types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
            )
            return result.contents.value if result else None

        return [
            await hover(comment_line, lines[comment_line].index("S104") + 1),
            await hover(comment_line, lines[comment_line].index("no-deadline") + 3),
            await hover(measure_line, 15),
            await hover(id_line, lines[id_line].index("P2")),
            await hover(0, 0),
        ]

    (code_docs, name_docs, measure, problem, nothing) = shared.run(body(shared.session))
    assert code_docs.startswith("**S104 `score-out-of-range`** (error)") and "**Why it matters**" in code_docs
    assert name_docs.startswith("**S103 `no-deadline`**")
    assert "Patient Health Questionnaire-9" in measure and "Range 0–27, lower is better." in measure
    assert "| 9 | mild |" in measure
    assert problem.startswith("**P2** (presenting problem): Low mood")
    assert nothing is None


def test_hover_over_a_finding_shows_its_rule():
    from tplan.diagnostics import Diagnostic, Severity
    from tplan.lsp.hover import hover_at
    from tplan.measures import load_catalogue

    d = Diagnostic("S104", Severity.ERROR, "m", "f", 3, 15, end_line=3, end_column=17)
    lines = ["a", "b", "    baseline: 40"]
    assert hover_at(lines, 2, 15, [d], None, load_catalogue()).startswith("**S104")
    assert hover_at(lines, 2, 4, [d], None, load_catalogue()) is None


@pytest.mark.process
def test_completion_measure_ids_keys_values_and_ids(shared: SharedServer, tmp_path: Path):
    text = BURNOUT.replace("    measure: PHQ-9\n", "    measure: \n", 1)
    lines = text.split("\n")
    measure_line = lines.index("    measure: ")
    status_line = lines.index("status: active")
    addresses_line = lines.index("    addresses: [P1, P3]")
    plan = shared.plan("completion_measure_ids_keys_values_and_ids")

    async def body(s: Session):
        uri = s.open(plan, text)
        await s.diagnostics(uri, 1)

        async def labels(line: int, character: int) -> list[str]:
            result = await s.client.text_document_completion_async(
                types.CompletionParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
            )
            return [i.label for i in result.items]

        at_measure = await labels(measure_line, len("    measure: "))
        at_status = await labels(status_line, len("status: "))
        at_addresses = await labels(addresses_line, len("    addresses: [P1, "))
        s.change(uri, text.replace("    term: short\n", "    ter\n", 1))
        await s.diagnostics(uri)
        key_line = lines.index("    term: short")
        at_key = await labels(key_line, len("    ter"))
        return at_measure, at_status, at_addresses, at_key

    (at_measure, at_status, at_addresses, at_key) = shared.run(body(shared.session))
    assert "PHQ-9" in at_measure and "GAD-7" in at_measure
    assert at_status == ["draft", "active", "closed"]
    assert at_addresses == ["P1", "P2", "P3"]
    assert "term" in at_key and "deadline" not in at_key and "statement" not in at_key  # present already


@pytest.mark.process
def test_half_typed_yaml_gives_e001_and_the_server_keeps_going(shared: SharedServer, tmp_path: Path):
    broken = BURNOUT.replace("    statement: Reduce depressive", '    statement: "Reduce depressive', 1)
    plan = shared.plan("half_typed_yaml_gives_e001_and_the_server_keeps_going")

    async def body(s: Session):
        uri = s.open(plan, BURNOUT)
        await s.diagnostics(uri, 1)
        s.change(uri, broken)
        during = await s.diagnostics(uri)
        s.change(uri, BURNOUT)
        after = await s.diagnostics(uri)
        return during, after

    (during, after) = shared.run(body(shared.session))
    assert [d.code for d in during] == ["E001"]
    assert as_tuples(during) == lint_as_lsp(tmp_path / "copy.yaml", broken)
    assert after == []


@pytest.mark.process
def test_changes_are_debounced_typing_costs_one_lint(shared: SharedServer):
    plan = shared.plan("debounced")

    async def body(s: Session):
        uri = s.open(plan, BURNOUT)
        await s.diagnostics(uri, 1)
        seen = s.count(uri)
        for score in range(10, 16):  # six keystrokes, faster than the pause the server waits for
            s.change(uri, BURNOUT.replace("    baseline: 14\n", f"    baseline: {score}\n", 1))
        last = await s.diagnostics(uri, after=seen)
        await asyncio.sleep(0.5)
        return [p.version for p in s.published[uri][seen:]], last

    versions, last = shared.run(body(shared.session))
    # Without the pause every change would be linted and published (six times); a busy machine
    # may stall between two messages, so allow a couple, but the last one is always published.
    assert versions[-1] == 7 and len(versions) <= 3 and last == []


@pytest.mark.process
def test_hidden_files_in_the_workspace_are_not_linted(shared: SharedServer):
    """A CI workflow is YAML too; `tplan lint FOLDER` skips hidden folders, and so does the server."""

    async def body(s: Session):
        uri = s.open(shared.root / ".github" / "workflows" / "ci.yaml", "on: push\njobs: {}\n")
        return await s.diagnostics(uri, 1)

    assert shared.run(body(shared.session)) == []


@pytest.mark.process
def test_pull_diagnostics_equal_tplan_lint_and_nothing_is_pushed(workspace: Path):
    plan = workspace / "plans" / "TP-2026-0127.yaml"

    async def body(s: Session):
        uri = s.open(plan, OUT_OF_RANGE)
        report = await s.client.text_document_diagnostic_async(types.DocumentDiagnosticParams(types.TextDocumentIdentifier(uri)))
        await asyncio.sleep(0.5)
        return report, s.count(uri)

    (report, pushed), code, _, _ = scenario(workspace, body, pull=True)
    assert report.kind == "full"
    assert as_tuples(report.items) == lint_as_lsp(workspace / "copy.yaml", OUT_OF_RANGE)
    assert pushed == 0
    assert code == 0


@pytest.mark.process
def test_cross_file_duplicate_id_refreshed_on_save(workspace: Path):
    a, b = workspace / "plans" / "a.yaml", workspace / "plans" / "b.yaml"
    a.write_text(BURNOUT, encoding="utf-8")
    b.write_text(BURNOUT, encoding="utf-8")

    async def body(s: Session):
        uri = s.open(a, BURNOUT)
        first = await s.diagnostics(uri, 1)
        while "D701" not in {d.code for d in first}:  # the workspace pass follows the first lint
            first = await s.diagnostics(uri, 1, after=s.count(uri))
        [d701] = [d for d in first if d.code == "D701"]
        actions = await s.client.text_document_code_action_async(
            types.CodeActionParams(types.TextDocumentIdentifier(uri), d701.range, types.CodeActionContext([d701]))
        )
        disable = next(a for a in actions if a.title == "Disable D701 for this line")
        s.change(uri, apply_edit(BURNOUT, the_edit(disable)))
        silenced = await s.diagnostics(uri)  # before any save
        s.change(uri, BURNOUT)
        await s.diagnostics(uri)
        b.write_text(BURNOUT.replace("id: TP-2026-0127", "id: TP-2026-0128", 1), encoding="utf-8")
        seen = s.count(uri)
        s.save(uri)
        after = await s.diagnostics(uri, after=seen)
        while "D701" in {d.code for d in after}:
            after = await s.diagnostics(uri, after=s.count(uri))
        return first, silenced, after

    (first, silenced, after), code, _, _ = scenario(workspace, body)
    assert silenced == []
    [d701] = [d for d in first if d.code == "D701"]
    assert "b.yaml" in d701.message and d701.range.start.line == BURNOUT.split("\n").index("id: TP-2026-0127")
    assert after == []
    assert code == 0


@pytest.mark.process
def test_config_from_the_files_folder_applies(shared: SharedServer):
    """A folder of the served workspace with its own config and the plan in a folder below it, as
    in a workspace whose root holds the config: the config is found from the file's folder up. The
    same text in the workspace's plans folder (no config) still has its finding. The shared
    server's clean exit is checked when the module's tests end."""
    folder = shared.root / "with-config"
    (folder / "plans").mkdir(parents=True)
    (folder / ".tplan.toml").write_text('ignore = ["S104"]\n', encoding="utf-8")

    async def body(s: Session):
        uri = s.open(folder / "plans" / "TP-2026-0127.yaml", OUT_OF_RANGE)
        control = s.open(shared.plan("config_from_the_files_folder_applies"), OUT_OF_RANGE)
        return await s.diagnostics(uri, 1), await s.diagnostics(control, 1)

    found, without_config = shared.run(body(shared.session))
    assert found == []
    assert "S104" in {d.code for d in without_config}


@pytest.mark.process
def test_a_broken_config_is_reported_once_and_defaults_apply(workspace: Path):
    (workspace / ".tplan.toml").write_text('selct = ["S1"]\n', encoding="utf-8")
    plan = workspace / "plans" / "TP-2026-0127.yaml"

    async def body(s: Session):
        uri = s.open(plan, OUT_OF_RANGE)
        found = await s.diagnostics(uri, 1)
        return found, list(s.messages)

    (found, messages), code, _, _ = scenario(workspace, body)
    assert "S104" in {d.code for d in found}
    assert len([m for m in messages if "selct" in m]) == 1
    assert "did you mean 'select'?" in messages[0]
    assert code == 0


@pytest.mark.process
def test_no_plan_text_in_logs_or_stderr(workspace: Path):
    """Everything the server writes besides LSP results: codes and positions, never plan text."""
    plan = workspace / "plans" / "TP-2026-0127.yaml"
    broken = BURNOUT.replace("  name: Renata Szabo\n", "  name: Renata Szabo\n  name: [\n", 1)

    async def body(s: Session):
        uri = s.open(plan, OUT_OF_RANGE)
        await s.diagnostics(uri, 1)
        s.change(uri, broken)
        await s.diagnostics(uri)
        return None

    _, code, stderr, session = scenario(workspace, body)
    for secret in ("Renata", "Szabo", "CVH-88120457", "sertraline"):
        assert secret not in stderr and not any(secret in m for m in session.messages)
    assert code == 0


@pytest.mark.process
def test_shutdown_then_exit_is_clean(workspace: Path):
    async def body(s: Session):
        return None

    _, code, stderr, _ = scenario(workspace, body)
    assert code == 0
    assert stderr == ""


@pytest.mark.process
def test_without_the_extra_tplan_lsp_says_how_to_install_it():
    program = "import sys; sys.modules['pygls'] = None; sys.argv = ['tplan', 'lsp']; from tplan.cli import main; main()"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tplan: error: tplan lsp needs the language-server extra (pygls is not installed); install it with: pip install 'tplan[lsp]'"
    ]


@pytest.mark.process
def test_the_lint_path_never_imports_the_language_server():
    result = fresh_tplan("lint", str(EXAMPLES / "burnout.yaml"))
    assert "EXIT=" in result.stdout, result.stdout + result.stderr
    server = sorted(m for m in imported_modules(result) if m.split(".")[0] in ("pygls", "lsprotocol", "cattrs") or m.startswith("tplan.lsp"))
    assert server == []


# ---- pure helpers -------------------------------------------------------------------------------


def test_positions_count_utf16_units_and_split_lines_like_lsp():
    from tplan.lsp.positions import UTF8, UTF32, from_client, split_lines, to_client

    lines = split_lines('a: "é🔥"\r\nb: 1\rc: 2\u2028x\n')
    assert lines == ['a: "é🔥"', "b: 1", "c: 2\u2028x", ""]
    assert to_client(lines, 1, 7) == (0, 7)  # after 'é' (1 unit) and '🔥' (2 units)
    assert to_client(lines, 1, 7, UTF8) == (0, 10)  # é is 2 bytes, 🔥 is 4
    assert to_client(lines, 1, 7, UTF32) == (0, 6)
    assert to_client(lines, 0, 0) == (0, 0)
    assert from_client(lines, 0, 7) == 6
    assert from_client(lines, 0, 99) == len(lines[0])


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["goals:", "  - id: G1", "    objectives:", "      - id: G1.1", "        me"], ("key", ("goals", 0, "objectives", 0), "me")),
        (["goals:", "- id: G1", "  addresses:", "  - P"], ("value", ("goals", 0, "addresses"), "P")),
        (["interventions:", "  - id: I1", "    goals: [G1, G"], ("value", ("interventions", 0, "goals"), "G")),
        (["client:", "  name: A", "  insurance:", "    authorization:", "      num"], ("key", ("client", "insurance", "authorization"), "num")),
        (["tplan: 1", "sta"], ("key", (), "sta")),
        (["risk:", "  level: mod"], ("value", ("risk", "level"), "mod")),
        (["assessments:", "  - {instrument: PH"], ("value", ("assessments", 0, "instrument"), "PH")),
        (["client:", "  contact: {phone: x, em"], ("key", ("client", "contact"), "em")),
        (["schedule: {frequency: weekly, setting: "], ("value", ("schedule", "setting"), "")),
        (["progress:", "  - {date: 2026-09-07, goals: [G1, G"], ("value", ("progress", 0, "goals"), "G")),
    ],
)
def test_cursor_context_from_indentation(lines, expected):
    from tplan.lsp.context import cursor_at

    cursor = cursor_at(lines, len(lines) - 1, len(lines[-1]))
    assert (cursor.kind, cursor.path, cursor.prefix) == expected


def test_settings_cache_sees_a_new_config(tmp_path: Path, monkeypatch):
    from tplan.lsp import analysis

    monkeypatch.setattr(analysis, "RECHECK_SECONDS", 0.0)
    cache = analysis.SettingsCache()
    plan = tmp_path / "p.yaml"
    assert cache.settings_for(plan).settings.ignore == ()
    (tmp_path / ".tplan.toml").write_text('ignore = ["S104"]\n', encoding="utf-8")
    assert cache.settings_for(plan).settings.ignore == ("S104",)
    os.remove(tmp_path / ".tplan.toml")
    assert cache.settings_for(plan).settings.ignore == ()


def test_completion_in_a_flow_mapping_leaves_out_the_keys_written():
    from tplan.lsp.completion import complete
    from tplan.measures import load_catalogue

    lines = ["client:", "  contact: {phone: x, em"]
    assert [i.label for i in complete(lines, 1, len(lines[1]), None, load_catalogue())] == ["email", "address"]


@pytest.mark.parametrize("text", [BURNOUT, BURNOUT[: len(BURNOUT) // 2] + "  - {instrument: PH", "goals:\n\t- id: G1\n  - : x\n- - - \n"])
def test_hover_and_completion_answer_everywhere_without_failing(text):
    """At the start, middle and end of every line (and past it): an answer or nothing, never an error."""
    from tplan.lsp.completion import complete
    from tplan.lsp.hover import hover_at
    from tplan.lsp.positions import split_lines
    from tplan.measures import load_catalogue

    lines, catalogue = split_lines(text), load_catalogue()
    answered = 0
    for n, line in enumerate(lines):
        for column in sorted({0, len(line) // 2, len(line), len(line) + 3}):
            answered += bool(complete(lines, n, column, None, catalogue))
            hover_at(lines, n, column, [], None, catalogue)
    assert answered > 0 or text.startswith("goals:\n\t")
