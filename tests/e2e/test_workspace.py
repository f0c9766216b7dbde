"""Indexing behaviour through the server: files on disk, watched-file events, closing a
document, single-file mode, settings from the client."""

from __future__ import annotations

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import TONY_A, TONY_B, example_text
from e2e.conftest import SERVER, accept_view_refreshes, uri, wait_for_diagnostics


async def test_new_file_on_disk_is_picked_up_through_watched_files(client, ws_uri, workspace):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    codex = example_text(TONY_A).splitlines()[7]
    new = workspace / "new-list.txt"
    new.write_text(f"Someone\n{codex}\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri(new), type=types.FileChangeType.Created)]))
    await wait_for_diagnostics(client, [uri(new)])
    (d,) = client.diagnostics[uri(new)]
    assert d.code == "duplicate-across-lists" and TONY_A in d.message and TONY_B in d.message
    # Deleting it clears its diagnostics and restores list A's message.
    new.unlink()
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri(new), type=types.FileChangeType.Deleted)]))
    await wait_for_diagnostics(client, [uri(new)],
                               check=lambda: not client.diagnostics[uri(new)])
    codex_a = [d for d in client.diagnostics[a] if d.range.start.line == 7]
    assert "new-list.txt" not in codex_a[0].message


async def test_closing_an_edited_document_goes_back_to_the_disk(client, ws_uri):
    a, b = ws_uri(TONY_A), ws_uri(TONY_B)
    await wait_for_diagnostics(client, [a, b])
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=b, language_id="plaintext", version=1, text="Tony\nAbstract:nothing shared here at all")))
    await wait_for_diagnostics(client, [a], check=lambda: not client.diagnostics[a])
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        types.TextDocumentIdentifier(uri=b)))
    await wait_for_diagnostics(client, [a], check=lambda: len(client.diagnostics[a]) == 3)


async def test_a_plain_text_file_is_left_alone(client, ws_uri, workspace):
    notes = workspace / "notes.txt"
    notes.write_text("Shopping list\neggs\nmilk\n", encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri(notes), language_id="plaintext", version=1, text=notes.read_text())))
    h = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri(notes)),
        position=types.Position(line=1, character=1)))
    assert h is None
    assert uri(notes) not in client.diagnostics


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def lone_client(lsp_client: LanguageClient):
    """A client with no workspace folder at all (a file opened on its own)."""
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("neovim"),
        initialization_options={"paperls": {"severity": {"duplicateInList": "error"},
                                            "nearDuplicate": {"threshold": "high"}}}))
    yield
    await lsp_client.shutdown_session()


async def test_single_file_mode_and_settings_from_the_client(lone_client, tmp_path):
    path = tmp_path / "alone.txt"
    gpt = example_text(TONY_A).splitlines()[1]
    text = f"Me\n{gpt}\nAbstract:Something else entirely, about birds.\n{gpt}\nabstract:lower"
    path.write_text(text, encoding="utf-8")
    u = uri(path)
    lone_client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=u, language_id="plaintext", version=1, text=text)))
    await wait_for_diagnostics(lone_client, [u])
    by_line = {d.range.start.line: d for d in lone_client.diagnostics[u]}
    assert by_line[1].code == by_line[3].code == "duplicate-in-list"
    assert by_line[1].severity == types.DiagnosticSeverity.Error  # from the client's settings
    assert "line 4" in by_line[1].message
    assert by_line[4].code == "miscased-prefix"
    # The bad threshold was reported and replaced by the default, not a crash.
    assert any("nearDuplicate.threshold" in m.message for m in lone_client.log_messages)


async def test_settings_change_applies_without_restart(client, ws_uri):
    """The client announces a change; the server pulls `paperls` again and republishes."""
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    assert {d.severity for d in client.diagnostics[a]} == {types.DiagnosticSeverity.Information}
    client.set_configuration({"severity": {"duplicateAcrossLists": "warning"}}, section="paperls")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for_diagnostics(client, [a], check=lambda: {
        d.severity for d in client.diagnostics[a]} == {types.DiagnosticSeverity.Warning})


async def test_the_same_settings_again_republish_nothing(client, ws_uri):
    """Clients announce settings changes of any section (VS Code: every edit of settings.json);
    when the paperls settings come back unchanged, nothing is republished or re-pulled."""
    import asyncio

    a, b = ws_uri(TONY_A), ws_uri(TONY_B)
    await wait_for_diagnostics(client, [a, b])
    features = client.protocol.fm.features
    said, pulled = [], asyncio.Event()
    for method in (types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, types.WORKSPACE_DIAGNOSTIC_REFRESH):
        def counting(*args, _was=features[method], _method=method):
            said.append(_method)
            return _was(*args)
        features[method] = counting
    answer = features[types.WORKSPACE_CONFIGURATION]

    def configuration(*args):
        pulled.set()
        return answer(*args)

    features[types.WORKSPACE_CONFIGURATION] = configuration
    client.set_configuration({"severity": {"duplicateAcrossLists": "warning"}}, section="paperls")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await wait_for_diagnostics(client, [a, b], check=lambda: {
        d.severity for u in (a, b) for d in client.diagnostics[u]} == {
        types.DiagnosticSeverity.Warning})
    assert said, "the changed severity was never republished"
    said.clear()
    pulled.clear()
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await asyncio.wait_for(pulled.wait(), 10)  # the server asked for the settings again
    # A request answered after the server had the settings: anything published came before.
    await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=a), position=types.Position(1, 1)))
    assert said == []


async def test_project_file_overrides_the_editor(client, ws_uri, workspace):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    (workspace / "paperls.toml").write_text('[severity]\nduplicateAcrossLists = "hint"\n')
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(workspace / "paperls.toml"), type=types.FileChangeType.Created)]))
    await wait_for_diagnostics(client, [a], check=lambda: {
        d.severity for d in client.diagnostics[a]} == {types.DiagnosticSeverity.Hint})


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def pull_client(lsp_client: LanguageClient, workspace):
    """VS Code's capabilities plus pull diagnostics with refresh (as newer VS Code has)."""
    import asyncio

    accept_view_refreshes(lsp_client)
    caps = client_capabilities("visual-studio-code")
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities(
        related_document_support=True)
    caps.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    lsp_client.refreshed = asyncio.Event()
    counted = lsp_client.protocol.fm.features[types.WORKSPACE_DIAGNOSTIC_REFRESH]

    def refresh(*args):
        lsp_client.refreshed.set()
        return counted(*args)

    lsp_client.protocol.fm.features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = refresh

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=caps, root_uri=uri(workspace),
        workspace_folders=[types.WorkspaceFolder(uri=uri(workspace), name="lists")]))
    yield
    await lsp_client.shutdown_session()


async def test_pull_diagnostics_give_the_same_findings(pull_client, workspace):
    a, b = uri(workspace / TONY_A), uri(workspace / TONY_B)
    await wait_for_diagnostics(pull_client, [a, b])
    assert sorted(d.range.start.line for d in pull_client.diagnostics[a]) == [1, 7, 10]
    assert not pull_client.messages and pull_client.diagnostic_refresh_count >= 1
    first = await pull_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(a)))
    again = await pull_client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(a), previous_result_id=first.result_id))
    assert again.kind == "unchanged" and again.result_id == first.result_id
    report = await pull_client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[]))
    by_uri = {r.uri: len(r.items) for r in report.items}
    assert by_uri[a] == 3 and by_uri[b] == 3
    # A change in list B is announced with a refresh; A's findings then shrink.
    text = example_text(TONY_B)
    pull_client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=b, language_id="plaintext", version=1, text="Tony\nAbstract:nothing shared")))
    await wait_for_diagnostics(pull_client, [a], check=lambda: not pull_client.diagnostics[a])
    assert text  # the disk copy is untouched
