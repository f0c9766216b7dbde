"""pytest-lsp plumbing: a real ``paperls serve`` subprocess, driven with the capabilities of
VS Code and Neovim."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "paperls", "serve"]
CLIENTS = ["visual-studio-code", "neovim"]


def uri(path: Path) -> str:
    return from_fs_path(str(path))


def pulls(client: LanguageClient) -> bool:
    """Whether the server has this client pull diagnostics (it then never pushes to it): the
    client must pull and accept refresh requests, as the server requires."""
    caps = client.capabilities
    return bool(caps and caps.text_document and caps.text_document.diagnostic
                and caps.workspace and caps.workspace.diagnostics
                and caps.workspace.diagnostics.refresh_support)


async def wait_for_diagnostics(client: LanguageClient, uris: list[str], timeout: float = 30,
                               check=None) -> None:
    """Wait until every uri has diagnostics (and ``check()`` holds, if given).

    Push clients wait for publishDiagnostics; pull clients (the Neovim 0.11 preset) pull each
    uri, and wait for the server's workspace/diagnostic/refresh before pulling again."""

    async def push() -> None:
        while not (all(u in client.diagnostics for u in uris) and (check is None or check())):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    async def pull() -> None:
        refreshed: asyncio.Event = client.refreshed  # type: ignore[attr-defined]
        while True:
            refreshed.clear()
            for u in uris:
                report = await client.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(u)))
                client.diagnostics[u] = report.items
            # Without a check, wait as push does for a first publication: for findings.
            if check() if check is not None else all(client.diagnostics[u] for u in uris):
                return
            await refreshed.wait()

    await asyncio.wait_for(pull() if pulls(client) else push(), timeout)


def accept_view_refreshes(client: LanguageClient) -> None:
    """Answer code-lens, inlay-hint and semantic-token refresh requests as editors do, and
    keep them in ``client.view_refreshes`` for the tests to see."""
    client.view_refreshes = []
    for method in (types.WORKSPACE_CODE_LENS_REFRESH, types.WORKSPACE_INLAY_HINT_REFRESH,
                   types.WORKSPACE_SEMANTIC_TOKENS_REFRESH):
        def view_refresh(params, method=method) -> None:
            client.view_refreshes.append(method)

        client.feature(method)(view_refresh)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(lsp_client: LanguageClient, request, workspace: Path):
    lsp_client.refreshed = asyncio.Event()
    counted = lsp_client.protocol.fm.features[types.WORKSPACE_DIAGNOSTIC_REFRESH]

    def refresh(*args) -> None:  # the server says: pull again (pytest-lsp's handler counts)
        lsp_client.refreshed.set()
        return counted(*args)

    # pytest-lsp already registers a handler for this request: wrap it rather than add one.
    lsp_client.protocol.fm.features[types.WORKSPACE_DIAGNOSTIC_REFRESH] = refresh

    accept_view_refreshes(lsp_client)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:  # editors accept watcher sign-ups
        lsp_client.registrations = [*getattr(lsp_client, "registrations", []), *params.registrations]

    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        workspace_folders=[types.WorkspaceFolder(uri=uri(workspace), name="lists")],
        root_uri=uri(workspace),
    )
    lsp_client.init_result = await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


def units(client: LanguageClient, text: str) -> int:
    """Length of ``text`` in the position encoding the server chose for this client."""
    enc = client.init_result.capabilities.position_encoding or "utf-16"
    if enc == "utf-8":
        return len(text.encode("utf-8"))
    if enc == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


@pytest.fixture
def ws_uri(workspace: Path):
    return lambda name: uri(workspace / name)
