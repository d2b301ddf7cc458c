"""`carepath lsp` end to end: pytest-lsp drives the server over stdio as an editor would."""
from __future__ import annotations

import asyncio
import re
import shutil
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="the lsp tests need pytest-lsp (./setup.sh installs it)")
pytest.importorskip("pygls", reason="the language server needs pygls (./setup.sh installs the lsp extra)")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

import carepath  # noqa: E402
from carepath.errors import PathwayError  # noqa: E402
from carepath.fmt import format_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
WAIT_SECONDS = 20
POLL_SECONDS = 0.02
CHECK_SECONDS = 3
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A folder with copies of the pathway, its scenarios and a defective pathway."""
    folder = tmp_path_factory.mktemp("workspace")
    shutil.copy(ROOT / "pathway.dsl", folder / "pathway.dsl")
    shutil.copy(ROOT / "pathway.scenarios.yaml", folder / "pathway.scenarios.yaml")
    shutil.copy(ROOT / "tests/fixtures/defects/overlap_ages.dsl", folder / "overlap.dsl")
    return folder


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "carepath.cli",
                                                                               "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient, workspace: Path):
    """A client that has initialised the server, shut down after the module."""
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")]))
    lsp_client.carepath_record = record_diagnostics(lsp_client)
    yield
    await lsp_client.shutdown_session()


def record_diagnostics(client: LanguageClient) -> list[types.PublishDiagnosticsParams]:
    """Keep every publishDiagnostics the client receives, in order (the client keeps only the last)."""
    record: list[types.PublishDiagnosticsParams] = []
    features = client.protocol.fm.features
    keep = features[PUBLISH]

    def recording(params):
        record.append(params)
        return keep(params)

    features[PUBLISH] = recording
    return record


async def published(client: LanguageClient, uri: str, version: int | None = None, since: int = 0,
                    seconds: float = WAIT_SECONDS) -> types.PublishDiagnosticsParams:
    """The first diagnostics published for `uri` (at `version`, when given) after the first `since`."""
    record = client.carepath_record
    for _ in range(int(seconds / POLL_SECONDS)):
        found = [p for p in record[since:] if p.uri == uri and (version is None or p.version == version)]
        if found:
            return found[0]
        await asyncio.sleep(POLL_SECONDS)
    raise AssertionError(f"no diagnostics for {uri} at version {version}; got {record[since:]}")


async def open_document(client: LanguageClient, path: Path, text: str | None = None) -> types.PublishDiagnosticsParams:
    """Open a file in the server (with its text on disk unless given) and wait for its diagnostics."""
    uri = path.as_uri()
    since = len(client.carepath_record)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="carepath", version=1, text=path.read_text() if text is None else text)))
    return await published(client, uri, 1, since)


def close_document(client: LanguageClient, path: Path) -> None:
    """Close a file in the server."""
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri())))


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> types.Position:
    """The position of the `occurrence`-th `needle` in text (plus `offset` characters)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply non-overlapping text edits (ASCII text: code points are UTF-16 units)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans = sorted(((starts[e.range.start.line] + e.range.start.character,
                     starts[e.range.end.line] + e.range.end.character, e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def doc(path: Path) -> types.TextDocumentIdentifier:
    """The identifier of a file's document."""
    return types.TextDocumentIdentifier(uri=path.as_uri())


async def test_a_good_pathway_has_no_diagnostics(client: LanguageClient, workspace: Path):
    """The pathway as shipped loads cleanly."""
    params = await open_document(client, workspace / "pathway.dsl")
    assert list(params.diagnostics) == []


async def test_errors_have_the_clis_messages_and_spans(client: LanguageClient, workspace: Path):
    """A resolution error and a syntax error, each as `carepath` reports it."""
    text = (workspace / "pathway.dsl").read_text().replace("-> pt_programme", "-> pt_programe", 1)
    path = workspace / "typo.dsl"
    path.write_text(text)
    with pytest.raises(PathwayError) as cli:
        carepath.load(path)
    expected = cli.value.diagnostics[0]
    params = await open_document(client, path)
    assert [d.message.split("\nhint: ")[0] for d in params.diagnostics] == [d.message for d in cli.value.diagnostics]
    first = params.diagnostics[0]
    assert (first.range.start.line, first.range.start.character) == (expected.span.line - 1, expected.span.column - 1)
    assert (first.range.end.line, first.range.end.character) == (expected.span.end_line - 1,
                                                                 expected.span.end_column - 1)
    assert "did you mean `pt_programme`?" in first.message
    close_document(client, path)


def type_text(client: LanguageClient, uri: str, version: int, at: types.Position, typed: str) -> int:
    """Send one change per character typed at `at`, as an editor does; the last version."""
    line, column = at.line, at.character
    for char in typed:
        version += 1
        here = types.Position(line=line, character=column)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=here, end=here),
                                                                    text=char)]))
        line, column = (line + 1, 0) if char == "\n" else (line, column + 1)
    return version


async def test_a_burst_of_edits_leaves_only_the_last_versions_diagnostics(client: LanguageClient, workspace: Path):
    """Typing new items a character at a time: every half-typed state is survived, and what is finally
    published is for the last version: first clean, then exactly the errors the last text has."""
    path = workspace / "burst.dsl"
    text = (workspace / "pathway.dsl").read_text()
    path.write_text(text)
    uri = path.as_uri()
    await open_document(client, path)
    typed = 'fact cough: boolean "a cough"\nrequire cough or not cough\n'
    at = position_of(text, "require weeks_of_pt")
    since = len(client.carepath_record)
    version = type_text(client, uri, 1, at, typed)
    final = await published(client, uri, version, since)
    assert list(final.diagnostics) == []
    # A second burst ends in an unknown name: exactly the CLI's errors for the final text.
    end = types.Position(line=at.line + 1, character=len("require cough or not cough"))
    since = len(client.carepath_record)
    version = type_text(client, uri, version, end, "ing")
    final_text = text.replace("require weeks_of_pt", typed.replace("not cough", "not coughing") + "require weeks_of_pt", 1)
    with pytest.raises(PathwayError) as cli:
        carepath.loads(final_text, str(path))
    final = await published(client, uri, version, since)
    assert [p.version for p in client.carepath_record[since:] if p.uri == uri] == [version]
    assert [(d.message.split("\nhint: ")[0], d.range.start.line, d.range.start.character) for d in final.diagnostics] \
        == [(d.message, d.span.line - 1, d.span.column - 1) for d in cli.value.diagnostics]
    assert [d.range.start for d in final.diagnostics] == [types.Position(line=at.line + 1, character=21)]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc(path), position=types.Position(line=at.line, character=6)))
    assert hover is not None and "a cough" in hover.contents.value
    close_document(client, path)


async def test_hover_tells_a_facts_type_range_unit_and_meaning(client: LanguageClient, workspace: Path):
    """Hovering a fact where a guard uses it."""
    text = (workspace / "pathway.dsl").read_text()
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc(workspace / "pathway.dsl"), position=position_of(text, "weeks_since_onset <", offset=2)))
    value = hover.contents.value
    assert "**fact** `weeks_since_onset`" in value and "number 0..520" in value and "unit: weeks" in value
    assert "weeks since this episode of back pain began" in value


async def test_hover_shows_a_steps_recommendations(client: LanguageClient, workspace: Path):
    """Hovering a branch target shows the step it leads to."""
    text = (workspace / "pathway.dsl").read_text()
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc(workspace / "pathway.dsl"), position=position_of(text, "-> neurological_emergency", offset=4)))
    assert "**step** `neurological_emergency`" in hover.contents.value and "`emergency_referral`" in hover.contents.value


async def test_definition_of_a_branch_target_is_its_step(client: LanguageClient, workspace: Path):
    """Go to definition from `-> neurological_emergency`."""
    text = (workspace / "pathway.dsl").read_text()
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=doc(workspace / "pathway.dsl"), position=position_of(text, "-> neurological_emergency", offset=5)))
    assert [(loc.range.start.line, loc.range.start.character) for loc in found] == \
        [(position_of(text, "step neurological_emergency").line, 5)]


async def test_references_reach_the_scenarios_file(client: LanguageClient, workspace: Path):
    """A fact's references: its declaration, its uses, and its keys in the scenarios file."""
    text = (workspace / "pathway.dsl").read_text()
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc(workspace / "pathway.dsl"), position=position_of(text, "fact fever", offset=6),
        context=types.ReferenceContext(include_declaration=True)))
    in_pathway = sorted(loc.range.start.line for loc in found if loc.uri.endswith("pathway.dsl"))
    in_scenarios = [loc for loc in found if loc.uri.endswith("pathway.scenarios.yaml")]
    code = [re.sub(r'"[^"]*"|#.*', "", line) for line in text.split("\n")]
    assert in_pathway == [n for n, line in enumerate(code) for _ in re.finditer(r"\bfever\b", line)]
    assert len(in_pathway) >= 2
    scenarios = (workspace / "pathway.scenarios.yaml").read_text()
    data = [re.sub(r'"[^"]*"|#.*|name:.*', "", line) for line in scenarios.split("\n")]
    assert sorted(loc.range.start.line for loc in in_scenarios) == \
        [n for n, line in enumerate(data) for _ in re.finditer(r"\bfever\b", line)]
    assert in_scenarios


async def test_rename_a_fact_across_the_pathway_and_its_scenarios(client: LanguageClient, workspace: Path):
    """The renamed pathway loads and its renamed scenarios still pass."""
    pathway, scenarios = workspace / "pathway.dsl", workspace / "pathway.scenarios.yaml"
    text = pathway.read_text()
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc(pathway), position=position_of(text, "fact fever", offset=6), new_name="pyrexia"))
    renamed = workspace / "renamed"
    renamed.mkdir()
    (renamed / "pathway.dsl").write_text(apply_edits(text, edit.changes[pathway.as_uri()]))
    (renamed / "pathway.scenarios.yaml").write_text(apply_edits(scenarios.read_text(),
                                                                edit.changes[scenarios.as_uri()]))
    loaded = carepath.load(renamed / "pathway.dsl")
    assert "pyrexia" in loaded.facts and "fever" not in loaded.facts
    report = carepath.test_scenarios(loaded, [renamed / "pathway.scenarios.yaml"])
    assert not report.failed


async def test_rename_a_code_reaches_present_and_absent(client: LanguageClient, workspace: Path):
    """A recommendation code, renamed where a step recommends it: every step and every scenario follow."""
    pathway, scenarios = workspace / "pathway.dsl", workspace / "pathway.scenarios.yaml"
    text, expected = pathway.read_text(), scenarios.read_text()
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc(pathway), position=position_of(text, "recommend urgent_mri", offset=12),
        new_name="urgent_mri_scan"))
    renamed_text = apply_edits(text, edit.changes[pathway.as_uri()])
    renamed_scenarios = apply_edits(expected, edit.changes[scenarios.as_uri()])
    assert re.findall(r"\burgent_mri\b", renamed_text + renamed_scenarios) == []
    assert len(edit.changes[pathway.as_uri()]) == len(re.findall(r"\burgent_mri\b", text))
    folder = workspace / "renamed_code"
    folder.mkdir()
    (folder / "pathway.dsl").write_text(renamed_text)
    (folder / "pathway.scenarios.yaml").write_text(renamed_scenarios)
    assert not carepath.test_scenarios(folder / "pathway.dsl", [folder / "pathway.scenarios.yaml"]).failed


async def test_rename_refuses_a_name_already_taken(client: LanguageClient, workspace: Path):
    """Renaming a fact to another fact's name is an error, not a broken pathway."""
    text = (workspace / "pathway.dsl").read_text()
    with pytest.raises(Exception, match="already"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=doc(workspace / "pathway.dsl"), position=position_of(text, "fact fever", offset=6),
            new_name="age"))


async def test_completion_offers_what_fits_the_place(client: LanguageClient, workspace: Path):
    """Nodes after `->`, a fact's values after `is`, keywords at the start of an item."""
    path = workspace / "complete.dsl"
    base = (workspace / "pathway.dsl").read_text()
    text = base + '\ndecide extra "Extra?"\n  when improvement is '
    path.write_text(text)
    await open_document(client, path, text)
    end = position_of(text, "improvement is ", occurrence=text.count("improvement is ") - 1,
                      offset=len("improvement is "))
    found = await client.text_document_completion_async(types.CompletionParams(text_document=doc(path),
                                                                               position=end))
    assert {i.label for i in found.items} == {"none", "partial", "significant", "missing", "present", "not"}
    close_document(client, path)
    arrow = base + '\ndecide extra "Extra?"\n  when fever -> work\n  otherwise -> '
    await open_document(client, path, arrow)
    found = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc(path), position=position_of(arrow, "otherwise -> ", occurrence=arrow.count("otherwise -> ") - 1,
                                                       offset=len("otherwise -> "))))
    labels = {i.label for i in found.items}
    assert {"red_flags", "neurological_emergency", "work"} <= labels and "age" not in labels
    close_document(client, path)


async def test_document_symbols_put_steps_in_their_sections(client: LanguageClient, workspace: Path):
    """The outline: sections hold their decisions and steps."""
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=doc(workspace / "pathway.dsl")))
    sections = {s.name: [c.name for c in s.children or ()] for s in symbols if s.kind == types.SymbolKind.Namespace}
    assert sections["Red flags"][:2] == ["red_flags", "neurological_emergency"]
    assert any(s.name == "age" and s.kind == types.SymbolKind.Field for s in symbols)


async def test_formatting_gives_the_formatters_text(client: LanguageClient, workspace: Path):
    """Format document = `carepath fmt`."""
    path = workspace / "messy.dsl"
    text = 'pathway p "P"\nfact x:boolean\ndecide d "D" when x->a otherwise->a\nstep a "A" stop\nstart d\n'
    await open_document(client, path, text)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=doc(path), options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert apply_edits(text, edits) == format_text(text)
    close_document(client, path)


async def test_checker_findings_arrive_on_save_and_go_with_the_next_edit(client: LanguageClient, workspace: Path):
    """Saving runs the checker off the typing path; an edit cancels it and drops its findings."""
    path = workspace / "overlap.dsl"
    uri = path.as_uri()
    params = await open_document(client, path)
    assert list(params.diagnostics) == []
    since = len(client.carepath_record)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc(path)))
    found = await published(client, uri, 1, since)
    assert [(d.source, d.code, d.range.start.line) for d in found.diagnostics] == [("carepath check", "overlap", 7)]
    # Save again and edit at once: the check in flight is cancelled and nothing stale comes back.
    since = len(client.carepath_record)
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=doc(path)))
    start = types.Position(line=0, character=0)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=start, end=start),
                                                                text="# edited\n")]))
    after = await published(client, uri, 2, since)
    assert list(after.diagnostics) == []
    await asyncio.sleep(CHECK_SECONDS)  # longer than the check takes: a stale result would have come
    assert [list(p.diagnostics) for p in client.carepath_record[since:] if p.uri == uri] == [[]]
    close_document(client, path)
