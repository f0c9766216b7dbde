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


async def wait_for_diagnostics(client: LanguageClient, uris: list[str], timeout: float = 30,
                               check=None) -> None:
    """Wait until every uri has diagnostics (and ``check()`` holds, if given)."""

    async def loop() -> None:
        while not (all(u in client.diagnostics for u in uris) and (check is None or check())):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(loop(), timeout)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(lsp_client: LanguageClient, request, workspace: Path):
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
