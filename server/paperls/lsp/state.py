"""The server's state: one typed owner of everything the handlers read and change.

Invariant: the model is changed only on the event loop. Work off the loop (the initial scan,
workspace-wide queries, topic extraction in the worker process) reads a model and hands its
result back to the loop, which checks the model's revision before using it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..core.workspace import Workspace
from ..host.paths import display_name
from ..host.settings import Settings
from .protocol import PaperProtocol

log = logging.getLogger("paperls")


@dataclass(frozen=True, slots=True)
class ClientCaps:
    """What the client said it can do, decoded once at ``initialize``."""

    pull: bool = False
    """It pulls diagnostics (textDocument/diagnostic) and can be told to pull again; a client
    that pulls without refresh is pushed to, or it would keep stale cross-list findings."""
    diagnostic_refresh: bool = False
    """It accepts workspace/diagnostic/refresh."""
    progress: bool = False
    """It shows work-done progress."""
    configuration: bool = False
    """It answers workspace/configuration (settings are pulled, not pushed)."""
    watch_files: bool = False
    """It registers file watchers dynamically."""
    config_changes: bool = False
    """It registers didChangeConfiguration dynamically (vscode-languageclient then sends one
    for a changed ``paperls`` section, with no deprecated configurationSection)."""
    code_lens_refresh: bool = False
    inlay_hint_refresh: bool = False
    semantic_tokens_refresh: bool = False

    @classmethod
    def decode(cls, caps: types.ClientCapabilities) -> ClientCaps:
        ws, td = caps.workspace, caps.text_document
        refresh = bool(ws and ws.diagnostics and ws.diagnostics.refresh_support)
        return cls(
            pull=bool(td and td.diagnostic) and refresh,
            diagnostic_refresh=refresh,
            progress=bool(caps.window and caps.window.work_done_progress),
            configuration=bool(ws and ws.configuration),
            watch_files=bool(ws and ws.did_change_watched_files
                             and ws.did_change_watched_files.dynamic_registration),
            config_changes=bool(ws and ws.did_change_configuration
                                and ws.did_change_configuration.dynamic_registration),
            code_lens_refresh=bool(ws and ws.code_lens and ws.code_lens.refresh_support),
            inlay_hint_refresh=bool(ws and ws.inlay_hint and ws.inlay_hint.refresh_support),
            semantic_tokens_refresh=bool(ws and ws.semantic_tokens
                                         and ws.semantic_tokens.refresh_support),
        )


class PaperServer(LanguageServer):
    """The paperls language server and its state."""

    def __init__(self) -> None:
        super().__init__("paperls", __version__, protocol_cls=PaperProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        """The settings in force: the client's, with each root's paperls.toml on top."""
        self.settings_problems: list[str] = []
        """What is wrong in those settings, as last said (each problem is said once)."""
        self.client_settings: Any = None
        """The client's raw settings, kept to re-apply when a paperls.toml changes."""
        self.caps = ClientCaps()
        """The client's capabilities, decoded once."""
        self.roots: list[Path] = []
        """Workspace folders as the client named them (shown to users; links kept)."""
        self.real_roots: list[Path] = []
        """The same folders resolved: what containment checks compare against."""
        self.model = Workspace(self.settings.near_threshold, namer=self.display_name)
        """The workspace model (index, topics); replaced whole when a scan lands. Lists read
        before the first scan lands (opened, or asked for diagnostics) are named as after."""
        self.client_uris: dict[str, str] = {}
        """Canonical URI -> the URI under which the client opened the document."""
        self.published: set[str] = set()
        """Documents (canonical URIs) with diagnostics on the client, so cleared ones get []."""
        self.scans = 0
        """Scans running; more than one when a re-index starts before the last one lands."""
        self.scan_generation = 0
        """Bumped by each scan; only the newest scan's model is swapped in."""
        self.during_scan: set[str] = set()
        """Documents changed on disk, deleted or closed while a scan ran: replayed onto its
        model when it lands (it read the disk before they changed)."""
        self.last_message = 0.0
        """``time.monotonic()`` when the client last sent something (background work yields)."""
        self.debounce: dict[str, asyncio.Task] = {}
        """Pending re-index of an edited document, by canonical URI."""
        self.topic_pool: asyncio.Future[concurrent.futures.Executor] | None = None
        """The topic worker (a process), started once, off the loop."""
        self.in_worker: tuple[object, set[int], set[int]] = (None, set(), set())
        """(model, text ids, text ids): the texts of that model that some call has claimed
        for the topic worker, for their topics and for their hovers, and not yet recorded
        (``indexing.claim``)."""
        self.refresh_pending = False
        """A diagnostic refresh is queued for this turn of the loop."""
        self.landed: asyncio.Event | None = None
        """Set when a scan has landed (made on the loop when first needed)."""
        self._tasks: set[asyncio.Task] = set()
        self._names: dict[str, str] = {}
        self._names_for: list[Path] | None = None  # the roots ``_names`` were made for

    def display_name(self, uri: str) -> str:
        """A list's path relative to its workspace folder (what messages and labels show).
        Kept per URI while the roots are the same: working it out stats and resolves the
        roots (0.2 ms), and a keystroke's completion names up to eight lists."""
        roots = self.real_roots or self.roots
        if self._names_for is not roots:
            self._names, self._names_for = {}, roots
        got = self._names.get(uri)
        if got is None:
            got = self._names[uri] = self._display_name(uri, roots)
        return got

    @staticmethod
    def _display_name(uri: str, roots: list[Path]) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            return uri.rsplit("/", 1)[-1]
        return display_name(Path(path), roots)

    def scan_landed(self) -> asyncio.Event:
        if self.landed is None:
            self.landed = asyncio.Event()
            if self.model.ready:
                self.landed.set()
        return self.landed

    @property
    def indexing(self) -> bool:
        """Whether a scan is under way (shown in the status bar and in hovers)."""
        return self.scans > 0

    def run_task(self, coro, name: str) -> asyncio.Task:
        """Start a background task that is kept referenced and whose failure is logged."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("%s failed", name, exc_info=t.exception())
                self.log(f"{name} failed: {t.exception()!r}", types.MessageType.Error)

        task.add_done_callback(done)
        return task

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        """To stderr and to the client's log (never stdout: it is the protocol channel)."""
        log.info(message)
        try:
            self.window_log_message(types.LogMessageParams(kind, message))
        except Exception:  # no transport yet (unit tests) or the client is gone
            pass

    def warn(self, message: str) -> None:
        self.log(message, types.MessageType.Warning)
