"""Stage lsp: the language server (pygls over stdio): the protocol's requests answered from analysis and answers.

Diagnostics follow typing: each change is analysed after a short pause in which no further change
came, and always for the document's latest version, so no stale diagnostic survives a burst of
edits. The checker's findings come on save, from a child process that the next edit cancels.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import ServerTextPosition, ServerTextRange

from .. import __version__
from ..fmt import format_text
from ..errors import CarepathError
from . import answers, checker
from .analysis import Analysis, Place, Symbol, analyse
from .scenario_names import scenario_occurrences

DEBOUNCE_SECONDS = 0.15
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}
SYMBOL_KIND = {"pathway": types.SymbolKind.Module, "section": types.SymbolKind.Namespace,
               "decision": types.SymbolKind.Enum, "step": types.SymbolKind.Function,
               "fact": types.SymbolKind.Field, "derived": types.SymbolKind.Variable,
               "source": types.SymbolKind.Constant}
COMPLETION_KIND = {"keyword": types.CompletionItemKind.Keyword, "value": types.CompletionItemKind.Variable,
                   "node": types.CompletionItemKind.Function, "source": types.CompletionItemKind.Reference,
                   "code": types.CompletionItemKind.Constant, "enum": types.CompletionItemKind.EnumMember,
                   "name": types.CompletionItemKind.Text}
SCENARIOS_SUFFIX = ".scenarios.yaml"


@dataclass
class Document:
    """What the server keeps per open pathway: the analysis of the latest version and pending work."""

    version: int | None = None
    analysis: Analysis | None = None
    parsed: Analysis | None = None            # the last analysis whose text parsed, for navigation
    findings: list[types.Diagnostic] = field(default_factory=list)
    debounce: asyncio.TimerHandle | None = None
    checking: asyncio.Task | None = None


class PathwayServer(LanguageServer):
    """The carepath language server: one Document per open pathway."""

    def __init__(self):
        super().__init__("carepath", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents: dict[str, Document] = {}

    def current(self, uri: str) -> Analysis:
        """The analysis of the document's latest text (made now when a change is still pending)."""
        text_document = self.workspace.get_text_document(uri)
        state = self.documents.setdefault(uri, Document())
        if state.analysis is None or state.version != text_document.version or \
                state.analysis.text != text_document.source:
            state.analysis = analyse(text_document.source, to_fs_path(uri) or uri)
            state.version = text_document.version
            if state.analysis.parsed:
                state.parsed = state.analysis
        return state.analysis

    def navigable(self, uri: str) -> Analysis | None:
        """The current analysis when the text parses, else the last one that did (for a half-typed file)."""
        analysis = self.current(uri)
        return analysis if analysis.parsed else self.documents[uri].parsed

    def publish(self, uri: str) -> None:
        """Send the diagnostics of the latest version: the front end's, then any checker findings."""
        analysis = self.current(uri)
        state = self.documents[uri]
        found = [lsp_diagnostic(d.to_json(), analysis.text, self, uri) for d in analysis.diagnostics]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=state.version, diagnostics=found + state.findings))

    def changed(self, uri: str) -> None:
        """A new version: drop findings about the old one, cancel its check, analyse after a pause."""
        state = self.documents.setdefault(uri, Document())
        state.findings = []
        if state.checking is not None:
            state.checking.cancel()
        if state.debounce is not None:
            state.debounce.cancel()
        state.debounce = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self._publish_if_open, uri)

    def _publish_if_open(self, uri: str) -> None:
        """Publish, unless the document was closed meanwhile."""
        if uri in self.documents:
            self.documents[uri].debounce = None
            self.publish(uri)

    def check_saved(self, uri: str) -> None:
        """Start the checker on the saved file, off the typing path; a later edit cancels it."""
        path = to_fs_path(uri)
        state = self.documents.setdefault(uri, Document())
        if state.checking is not None:
            state.checking.cancel()
        if path is None or self.current(uri).diagnostics or not Path(path).is_file():
            return
        state.checking = asyncio.get_running_loop().create_task(self._check(uri, path, state.version))

    async def _check(self, uri: str, path: str, version: int | None) -> None:
        """Run the checker; publish its findings if the document is still at the version checked."""
        found = await checker.findings(path)
        state = self.documents.get(uri)
        if found is None or state is None or state.version != version or \
                self.workspace.get_text_document(uri).version != version:
            return
        text = self.current(uri).text
        state.findings = [lsp_diagnostic(d, text, self, uri, source="carepath check") for d in found]
        self.publish(uri)

    def closed(self, uri: str) -> None:
        """Forget a document and clear its diagnostics."""
        state = self.documents.pop(uri, None)
        if state is not None:
            for pending in (state.debounce, state.checking):
                if pending is not None:
                    pending.cancel()
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


# --- positions -------------------------------------------------------------------------------

def to_range(server: LanguageServer, text: str, place: Place) -> types.Range:
    """A place (code points) as a protocol range (the client's units)."""
    lines = text.split("\n")
    return server.workspace.position_codec.range_to_client_units(lines, ServerTextRange(
        ServerTextPosition(place.line, place.column), ServerTextPosition(place.end_line, place.end_column)))


def from_position(server: LanguageServer, text: str, position: types.Position) -> tuple[int, int]:
    """A protocol position as (line, code-point column)."""
    lines = text.split("\n")
    if position.line >= len(lines):
        return len(lines) - 1, len(lines[-1])
    found = server.workspace.position_codec.position_from_client_units(lines, position)
    return found.line, found.character


def lsp_diagnostic(found: dict[str, Any], text: str, server: LanguageServer, uri: str,
                   source: str = "carepath") -> types.Diagnostic:
    """A diagnostic in the JSON shape of `carepath check --format json` as a protocol diagnostic."""
    message = found["message"] + (f"\nhint: {found['hint']}" if found.get("hint") else "")
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri=uri, range=to_range(server, text, _span_place(r["span"]))),
        message=r["message"]) for r in found.get("related") or () if r.get("span")]
    return types.Diagnostic(range=to_range(server, text, _span_place(found.get("span"))), message=message,
                            severity=SEVERITY.get(found["severity"], types.DiagnosticSeverity.Error),
                            code=found.get("kind"), source=source, related_information=related or None)


def _span_place(span: dict[str, int] | None) -> Place:
    """A JSON span (1-based) as a place; the file's start when there is none."""
    if not span:
        return Place(0, 0, 0, 0)
    return Place(span["line"] - 1, span["column"] - 1, span["end_line"] - 1, span["end_column"] - 1)


# --- the server and its features ------------------------------------------------------------

def build() -> PathwayServer:
    """A server with every feature registered."""
    server = PathwayServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PathwayServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PathwayServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: PathwayServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.check_saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PathwayServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: PathwayServer, params: types.HoverParams) -> types.Hover | None:
        analysis = ls.navigable(params.text_document.uri)
        if analysis is None:
            return None
        found = answers.hover(analysis, *from_position(ls, analysis.text, params.position))
        if found is None:
            return None
        markdown, place = found
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
                           range=to_range(ls, analysis.text, place))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: PathwayServer, params: types.DefinitionParams) -> list[types.Location]:
        return _locations(ls, params, answers.definitions)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: PathwayServer, params: types.ReferenceParams) -> list[types.Location]:
        return _locations(ls, params, answers.references, params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: PathwayServer, params: types.PrepareRenameParams):
        analysis = ls.navigable(params.text_document.uri)
        found = analysis and answers.rename_target(analysis, *from_position(ls, analysis.text, params.position))
        return to_range(ls, analysis.text, found.place) if found else None

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: PathwayServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
        return _rename(ls, params)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[">", "{", ","]))
    def completion(ls: PathwayServer, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        text = ls.current(uri).text
        line, column = from_position(ls, text, params.position)
        offset = sum(len(part) + 1 for part in text.split("\n")[:line]) + column
        found = answers.completions_at(ls.current(uri), offset, ls.navigable(uri))
        items = [types.CompletionItem(label=label, kind=COMPLETION_KIND.get(kind), detail=kind)
                 for label, kind in dict.fromkeys(found)]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: PathwayServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        analysis = ls.navigable(params.text_document.uri)
        return [_symbol(ls, analysis.text, s) for s in analysis.outline] if analysis else []

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: PathwayServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        text = ls.workspace.get_text_document(params.text_document.uri).source
        try:
            formatted = format_text(text)
        except (CarepathError, RecursionError):
            return None  # the diagnostics already show why the file cannot be formatted
        if formatted == text:
            return []
        lines = text.split("\n")
        whole = Place(0, 0, len(lines) - 1, len(lines[-1]))
        return [types.TextEdit(range=to_range(ls, text, whole), new_text=formatted)]

    return server


def _locations(ls: PathwayServer, params, answer, *extra) -> list[types.Location]:
    """The places an answer gives for the name under the cursor, as locations in the document."""
    uri = params.text_document.uri
    analysis = ls.navigable(uri)
    if analysis is None:
        return []
    places = answer(analysis, *from_position(ls, analysis.text, params.position), *extra)
    found = [types.Location(uri=uri, range=to_range(ls, analysis.text, p)) for p in places]
    if answer is answers.references:
        found += _scenario_locations(ls, uri, analysis, params)
    return found


def _scenario_locations(ls: PathwayServer, uri: str, analysis: Analysis, params) -> list[types.Location]:
    """The name's places in the pathway's scenarios file."""
    target = answers.rename_target(analysis, *from_position(ls, analysis.text, params.position))
    scenarios = _scenarios_of(ls, uri)
    if target is None or scenarios is None:
        return []
    scenario_uri, text = scenarios
    return [types.Location(uri=scenario_uri, range=to_range(ls, text, place))
            for key, place in scenario_occurrences(text) if key == target.key]


def _scenarios_of(ls: PathwayServer, uri: str) -> tuple[str, str] | None:
    """The uri and text (as open in the editor, else on disk) of the pathway's scenarios file."""
    path = to_fs_path(uri)
    if path is None:
        return None
    scenarios = Path(path).with_name(Path(path).stem + SCENARIOS_SUFFIX)
    scenario_uri = from_fs_path(str(scenarios))
    if scenario_uri in ls.workspace.text_documents:
        return scenario_uri, ls.workspace.get_text_document(scenario_uri).source
    try:
        return scenario_uri, scenarios.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _rename(ls: PathwayServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    """Rename a fact, derived value, node, code, source or value in the pathway and its scenarios file."""
    uri = params.text_document.uri
    analysis = ls.current(uri)
    if not analysis.parsed:
        raise JsonRpcInvalidParams("the pathway has a syntax error; fix it before renaming")
    target = answers.rename_target(analysis, *from_position(ls, analysis.text, params.position))
    if target is None:
        return None
    try:
        answers.check_new_name(analysis, target.key, params.new_name)
    except answers.RenameRefused as refused:
        raise JsonRpcInvalidParams(str(refused)) from None
    changes = {uri: [types.TextEdit(range=to_range(ls, analysis.text, o.place), new_text=params.new_name)
                     for o in analysis.all_of(target.key)]}
    scenarios = _scenarios_of(ls, uri)
    if scenarios is not None:
        scenario_uri, text = scenarios
        edits = [types.TextEdit(range=to_range(ls, text, place), new_text=params.new_name)
                 for key, place in scenario_occurrences(text) if key == target.key]
        if edits:
            changes[scenario_uri] = edits
    return types.WorkspaceEdit(changes=changes)


def _symbol(ls: PathwayServer, text: str, symbol: Symbol) -> types.DocumentSymbol:
    """An outline entry as a protocol document symbol."""
    return types.DocumentSymbol(name=symbol.name, kind=SYMBOL_KIND[symbol.kind], detail=symbol.kind,
                                range=to_range(ls, text, symbol.place),
                                selection_range=to_range(ls, text, symbol.selection),
                                children=[_symbol(ls, text, c) for c in symbol.children] or None)


def serve() -> None:
    """Run the server over stdin and stdout until the client says exit."""
    build().start_io()
