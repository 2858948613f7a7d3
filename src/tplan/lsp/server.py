"""The language server: pygls wiring between the editor and tplan's linter.

Every parse of a plan runs on one worker thread (`_lint_pool`): the YAML loader keeps one shared
parser, and one thread keeps the event loop free for hover and completion while a workspace is
being linted. Diagnostics are pushed (`publishDiagnostics`) to clients that cannot pull them, and
pulled (`textDocument/diagnostic`) by those that can, never both, so no finding shows twice.
Cross-file findings (D701/D702) come from the saved files of the workspace folder and are
refreshed on save.

Privacy: the server logs no plan text. pygls's own log lines are reduced to their fixed wording
(no arguments, no tracebacks), and errors sent to the editor name only the exception's type.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from tplan import __version__
from tplan.diagnostics import Diagnostic
from tplan.lsp import actions, completion, hover
from tplan.lsp.analysis import FileSettings, SettingsCache, buffer_findings, cross_file
from tplan.lsp.convert import to_lsp_all
from tplan.lsp.positions import UTF16, from_client, split_lines

R = TypeVar("R")

# Pause after the last keystroke before re-linting: typing a word costs one lint, not one per key.
DEBOUNCE_SECONDS = 0.15


@dataclass
class DocState:
    """What the last lint of one open document found."""

    version: int | None
    text: str
    diagnostics: list[Diagnostic]
    fs: FileSettings
    data: Any = None  # the plan's data when the text loaded; else the last data that did
    lsp: list[types.Diagnostic] = field(default_factory=list)


class TplanServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("tplan", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings_cache = SettingsCache()
        self.docs: dict[str, DocState] = {}
        self.cross: dict[str, list[Diagnostic]] = {}  # absolute path → D7xx findings
        self.scanned: set[str] = set()  # workspace folders whose cross-file pass has run
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.push = True  # False when the client pulls diagnostics itself
        self.warned: set[str] = set()  # config errors already shown
        self._lint_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tplan-lint")

    # ---- helpers -------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client ("utf-16" unless it offered another)."""
        agreed = self.workspace.position_encoding
        return str(getattr(agreed, "value", agreed) or UTF16)

    def path_of(self, uri: str) -> str:
        """The file's path; an unsaved (untitled) buffer is linted as if in the current folder."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        return os.path.abspath(path) if path else os.path.abspath("untitled.yaml")

    def folder_of(self, path: str) -> str | None:
        """The workspace folder holding `path` (the deepest one), or None outside every folder."""
        roots = [to_fs_path(f.uri) for f in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [self.workspace.root_path]
        inside = [os.path.abspath(r) for r in roots if r and _inside(path, os.path.abspath(r))]
        return max(inside, key=len) if inside else None

    def skipped(self, path: str, fs: FileSettings) -> bool:
        """Files `tplan lint FOLDER` would not lint: hidden files or folders inside the workspace
        (`.github/`, `.pre-commit-config.yaml`) and the config's `exclude`."""
        folder = self.folder_of(path)
        parts = Path(os.path.relpath(path, folder)).parts if folder else (Path(path).name,)
        return any(p.startswith(".") for p in parts) or fs.settings.excluded(path)

    async def in_lint_thread(self, fn: Callable[..., R], *args: Any) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._lint_pool, fn, *args)

    def report_server_error(self, error: Exception, source: Any) -> None:
        """An error outside a request: its type only (a message could quote the plan)."""
        self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"tplan: internal error ({type(error).__name__})"))

    # ---- linting -------------------------------------------------------------------------

    def analyse(self, uri: str, text: str, version: int | None) -> DocState:
        """Lint one buffer (in the lint thread). Cross-file findings are added from the last scan."""
        path = self.path_of(uri)
        fs = self.settings_cache.settings_for(path)
        previous = self.docs.get(uri)
        if self.skipped(path, fs):
            return DocState(version, text, [], fs, previous.data if previous else None)
        diagnostics, checked = buffer_findings(text, path, fs, self.cross.get(path, ()))
        data = checked.doc.data if checked is not None else (previous.data if previous else None)
        state = DocState(version, text, diagnostics, fs, data)
        state.lsp = to_lsp_all(diagnostics, split_lines(text), self.encoding)
        return state

    async def relint(self, uri: str) -> DocState | None:
        """Lint the open document now and publish (push clients) what was found."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return None  # closed meanwhile
        doc = self.workspace.get_text_document(uri)
        try:
            state = await self.in_lint_thread(self.analyse, uri, doc.source, doc.version)
        except Exception as exc:  # a bug: keep serving, say what kind (a message could quote the plan)
            self.report_server_error(exc, None)
            return None
        current = self.docs.get(uri)
        if current is not None and current.version is not None and state.version is not None and state.version < current.version:
            return current  # a newer lint finished first
        self.docs[uri] = state
        self._warn_config(state.fs)
        if self.push:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=state.lsp, version=state.version))
        return state

    def schedule(self, uri: str, delay: float) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(delay, lambda: asyncio.ensure_future(self.relint(uri)))

    async def scan(self, folder: str, fs: FileSettings) -> None:
        """Re-run the cross-file rules over the folder's saved plans, then re-lint its open files."""
        found = await self.in_lint_thread(cross_file, folder, fs.settings)
        self.scanned.add(folder)
        for path in [p for p in self.cross if _inside(p, folder)]:
            del self.cross[path]
        self.cross.update(found)
        for uri in list(self.docs):
            if _inside(self.path_of(uri), folder):
                await self.relint(uri)
        if not self.push and self._can_refresh():
            self.workspace_diagnostic_refresh(None)

    def _can_refresh(self) -> bool:
        caps = self.client_capabilities.workspace
        return bool(caps and caps.diagnostics and caps.diagnostics.refresh_support)

    def _warn_config(self, fs: FileSettings) -> None:
        if fs.error and fs.error not in self.warned:
            self.warned.add(fs.error)
            message = f"tplan: {fs.error} (linting with the default settings until it is fixed)"
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))

    def position(self, uri: str, pos: types.Position) -> tuple[DocState | None, list[str], int, int]:
        """The document's state, its current lines and the cursor as (line, code-point column)."""
        text = self.workspace.get_text_document(uri).source
        lines = split_lines(text)
        return self.docs.get(uri), lines, pos.line, from_client(lines, pos.line, pos.character, self.encoding)


server = TplanServer()


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@server.feature(types.INITIALIZE)
def _initialize(ls: TplanServer, params: types.InitializeParams) -> None:
    text = params.capabilities.text_document
    ls.push = not (text is not None and text.diagnostic is not None)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def _did_open(ls: TplanServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    state = await ls.relint(uri)
    path = ls.path_of(uri)
    folder = ls.folder_of(path)
    if state is not None and folder and folder not in ls.scanned and not ls.skipped(path, state.fs):
        await ls.scan(folder, state.fs)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: TplanServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def _did_save(ls: TplanServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = ls.path_of(uri)
    state = ls.docs.get(uri) or await ls.relint(uri)
    folder = ls.folder_of(path)
    if state is not None and folder and not ls.skipped(path, state.fs):
        await ls.scan(folder, state.fs)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: TplanServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    handle = ls.pending.pop(uri, None)
    if handle is not None:
        handle.cancel()
    ls.docs.pop(uri, None)
    if ls.push:
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(identifier="tplan", inter_file_dependencies=True, workspace_diagnostics=False))
async def _pull(ls: TplanServer, params: types.DocumentDiagnosticParams) -> types.RelatedFullDocumentDiagnosticReport:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    state = ls.docs.get(uri)
    if state is None or state.version != doc.version or state.text != doc.source:
        state = await ls.relint(uri)
    return types.RelatedFullDocumentDiagnosticReport(items=state.lsp if state else [])


@server.feature(types.TEXT_DOCUMENT_HOVER)
def _hover(ls: TplanServer, params: types.HoverParams) -> types.Hover | None:
    state, lines, line, column = ls.position(params.text_document.uri, params.position)
    if state is None:  # not linted yet: no settings or catalogue to answer from
        return None
    found = hover.hover_at(lines, line, column, state.diagnostics, state.data, state.fs.catalogue)
    if found is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=found))


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
async def _code_action(ls: TplanServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    return await ls.in_lint_thread(actions.code_actions, uri, text, params.range, params.context.diagnostics, ls.encoding)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "[", ","]))
def _completion(ls: TplanServer, params: types.CompletionParams) -> types.CompletionList:
    state, lines, line, column = ls.position(params.text_document.uri, params.position)
    if state is None:  # not linted yet: no settings or catalogue to answer from
        return types.CompletionList(is_incomplete=False, items=[])
    items = completion.complete(lines, line, column, state.data, state.fs.catalogue, ls.encoding)
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.SHUTDOWN)
def _shutdown(ls: TplanServer, *args: object) -> None:
    for handle in ls.pending.values():
        handle.cancel()
    ls.pending.clear()


class _NoArguments(logging.Formatter):
    """Log lines (pygls's, asyncio's) without their arguments or tracebacks, which can hold plan text."""

    def format(self, record: logging.LogRecord) -> str:
        return f"tplan lsp: {record.levelname.lower()}: {record.msg}"


def quiet_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_NoArguments())
    for name in ("pygls", "lsprotocol", "asyncio"):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(logging.WARNING)
        log.propagate = False


def serve() -> int:
    """Talk LSP over stdin/stdout until the editor says exit."""
    quiet_logging()
    server.start_io()
    return 0
