"""The paperls language server: state, lifecycle, and thin handlers.

Handlers convert positions in, call one feature function, convert the result out. The workspace
model is changed only on the event loop; the initial index is built in a worker thread into a
fresh model that replaces the current one when done (open documents are applied on top).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import gc
import logging
import multiprocessing
import os
import time
import uuid
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..core import marks, sketch, topics
from ..core.parse import ParsedList, parse
from ..core.workspace import Workspace, extract_many
from ..features import completion, diagnostics, edits, hover, lens, matching, outline, related
from ..features import tokens as semantic
from . import convert, loader, scan
from .cache import default_directory
from .settings import PROJECT_FILE, Settings, from_client, read_project, with_project

log = logging.getLogger("paperls")

DEBOUNCE_S = 0.15
TOPIC_CHUNK = 25  # texts per round trip to the worker: applying one blocks the loop ~2 ms
SMALL_WORKSPACE = 2000  # abstracts whose topics are extracted before the first diagnostics
INLINE_TOPICS = 20  # texts whose topics an edit extracts at once (typing adds one or two)


class PaperProtocol(LanguageServerProtocol):
    """pygls's protocol, answering requests whose parameters do not fit the schema.

    pygls 2.1 drops such a request without a response, and the client waits forever; the LSP
    says to answer InvalidParams (-32602).
    """

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=types.ResponseError(
                    code=types.ErrorCodes.InvalidParams,
                    message=f"invalid parameters for {data.get('method')}"))
            return _Dropped()


    def handle_message(self, message):
        """After ``shutdown`` pygls drops every request unanswered; the LSP says to answer
        InvalidRequest, so that a careless client does not wait forever."""
        if self._shutdown and getattr(message, "method", "exit") != "exit" \
                and getattr(message, "id", None) is not None:
            self._send_response(message.id, error=types.ResponseError(
                code=types.ErrorCodes.InvalidRequest, message="the server is shutting down"))
            return None
        return super().handle_message(message)


class _Dropped:
    """A message already answered; ``handle_message`` ignores it (its jsonrpc is not 2.0)."""

    jsonrpc = "dropped"


class PaperServer(LanguageServer):
    """paperls state.

    Attributes:
        model: the workspace model (index, topics); replaced whole after the initial scan.
        settings: the current settings.
        roots: workspace folders as paths; nothing outside them is read from disk.
        published: documents with diagnostics on the client, so cleared ones get an empty list.
        indexing: whether the initial scan is running.
    """

    def __init__(self) -> None:
        super().__init__("paperls", __version__, protocol_cls=PaperProtocol,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.roots: list[Path] = []
        self.model = Workspace(self.settings.near_threshold, namer=self.display_name)
        self.published: set[str] = set()
        self.indexing = False
        self._tasks: set[asyncio.Task] = set()
        self._debounce: dict[str, asyncio.Task] = {}
        self._index_generation = 0
        self._topic_pool: asyncio.Future | None = None
        self._client_settings: Any = None
        self.pull = False  # the client pulls diagnostics (textDocument/diagnostic)
        self.refresh_support = False  # ... and accepts workspace/diagnostic/refresh
        self._refresh_pending = False  # of the topic worker's executor

    # ----- helpers -------------------------------------------------------------------------

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
        log.info(message)
        try:
            self.window_log_message(types.LogMessageParams(kind, message))
        except Exception:  # no transport yet (unit tests) or the client is gone
            pass

    def display_name(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:
            return uri.rsplit("/", 1)[-1]
        p = Path(path)
        for root in self.roots:
            try:
                return p.relative_to(root).as_posix()
            except ValueError:
                continue
        return p.name

    @staticmethod
    def canonical(uri: str) -> str:
        if uri.startswith("file:"):
            path = to_fs_path(uri)
            if path:
                return from_fs_path(os.path.normpath(path)) or uri
        return uri

    def lines_of(self, uri: str):
        d = self.model.index.document(uri)
        return d.parsed.lines if d else None

    def ensure_document(self, uri: str) -> ParsedList | None:
        """The parse of ``uri``, indexing the editor's text if it is not indexed yet."""
        d = self.model.index.document(uri)
        if d is not None:
            return d.parsed
        try:
            doc = self.workspace.get_text_document(uri)
            text = doc.source
        except Exception:
            return None
        parsed = parse(text)
        if not parsed.is_abstract_list:
            return None
        self.model.set_document(uri, parsed)
        return parsed

    # ----- indexing ------------------------------------------------------------------------

    def apply_settings(self, raw: Any) -> None:
        """Settings from the client, with each root's ``paperls.toml`` on top."""
        self._client_settings = raw
        project, problems = read_project(self.roots)
        settings, more = from_client(with_project(raw, project))
        problems += more
        for p in problems:
            self.log(p, types.MessageType.Warning)
        self.settings = settings
        self.model.set_threshold(settings.near_threshold)
        self.publish_all()  # severities or the threshold may have changed

    def update_open(self, uri: str, opened: bool = False) -> None:
        """Re-index an open document from the editor's text and publish what changed
        (on opening, always: the client then knows the document's state at once)."""
        try:
            text = self.workspace.get_text_document(uri).source
        except Exception:
            return
        parsed = parse(text)
        if not parsed.is_abstract_list and self.model.index.document(uri) is None:
            return  # a plain .txt that is not an abstract list: leave it alone
        affected = self.model.set_document(uri, parsed)
        if opened:
            self.published.add(uri)
        self.publish(affected | {uri})
        self.fill_topics_for(uri)

    def fill_topics_for(self, uri: str) -> None:
        """Extract the topics of a document's new texts: a few at once, many in the worker."""
        missing = self.model.missing_topics([uri])
        if len(missing) <= INLINE_TOPICS:
            self.model.fill_topics(missing)
        else:
            self.run_task(self.extract_topics(missing), f"topics of {uri}")

    def topic_worker(self) -> asyncio.Future:
        """The worker process for topic extraction, started once, from a thread.

        A process, so that extraction never competes with requests for the interpreter lock (a
        thread did: hover p99 went from 8 to 81 ms). Started from a thread and awaited, because
        spawning blocks whoever submits first, and every later submit waits on that lock too.
        """
        if self._topic_pool is None:
            def start() -> concurrent.futures.Executor:
                try:
                    pool: concurrent.futures.Executor = concurrent.futures.ProcessPoolExecutor(
                        max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                    pool.submit(sketch.warm_up).result()
                except (OSError, ValueError, concurrent.futures.process.BrokenProcessPool) as err:
                    log.warning("no worker process for topics (%s); using a thread", err)
                    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
                sketch.warm_up()  # this process's own tables, off the event loop
                topics.warm_up()
                return pool

            self._topic_pool = asyncio.ensure_future(
                asyncio.get_running_loop().run_in_executor(None, start))
        return self._topic_pool

    async def extract_topics(self, items: list) -> None:
        model = self.model
        loop = asyncio.get_running_loop()
        pool = await self.topic_worker()
        for i in range(0, len(items), TOPIC_CHUNK):
            chunk = items[i:i + TOPIC_CHUNK]
            topics = await loop.run_in_executor(pool, extract_many, [a.text for _, a in chunk])
            if model is not self.model:
                return  # a re-index replaced the model
            model.add_topics(chunk, topics)

    def reload_from_disk(self, uri: str) -> set[str]:
        path = to_fs_path(uri)
        if path is None or not scan.within(Path(path), [r.resolve() for r in self.roots]):
            return self.model.remove_document(uri) | {uri}
        r = scan.read_file(Path(path), int(self.settings.max_file_size_mb * 1e6), self.warn)
        if r is None:
            return self.model.remove_document(uri) | {uri}
        affected = self.model.set_document(uri, loader.with_problem(r))
        self.fill_topics_for(uri)
        return affected

    def marks_uri(self) -> str | None:
        return from_fs_path(str(self.roots[0] / marks.FILE_NAME)) if self.roots else None

    def reload_marks(self, editor_text: str | None = None) -> None:
        """Read the "not a duplicate" marks (from the editor's text when the file is open)."""
        pairs: set[tuple[int, int]] = set()
        for i, root in enumerate(self.roots):
            path = root / marks.FILE_NAME
            if i == 0 and editor_text is not None:
                pairs |= marks.parse_marks(editor_text)
                continue
            try:
                pairs |= marks.parse_marks(path.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
        self.publish(self.model.index.set_marks(pairs))

    def warn(self, message: str) -> None:
        self.log(message, types.MessageType.Warning)

    async def index_workspace(self) -> None:
        """Scan every root in a worker, then swap the fresh model in and publish."""
        self._index_generation += 1
        generation = self._index_generation
        self.indexing = True
        token = None
        caps = self.client_capabilities
        if caps.window and caps.window.work_done_progress:
            token = str(uuid.uuid4())
            try:
                await asyncio.wait_for(self.work_done_progress.create_async(token), 5)
                self.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                    title="paperls: indexing abstract lists", cancellable=False, percentage=0))
            except Exception:
                token = None
        started = time.perf_counter()
        settings = self.settings
        loop = asyncio.get_running_loop()
        warnings: list[str] = []

        def report(files: int, abstracts: int) -> None:
            if token is not None:
                loop.call_soon_threadsafe(self.work_done_progress.report, token,
                                          types.WorkDoneProgressReport(
                                              message=f"{files} files, {abstracts} abstracts"))

        def build() -> Workspace:
            cache_dir = None
            if settings.cache_enabled:
                cache_dir = Path(settings.cache_directory) if settings.cache_directory \
                    else default_directory()
            fresh, stats = loader.load(
                self.roots, settings.include, settings.exclude,
                int(settings.max_file_size_mb * 1e6), settings.near_threshold, warnings.append,
                cache_dir=cache_dir, key=lambda p: self.canonical(from_fs_path(str(p)) or str(p)),
                namer=self.display_name, progress=report)
            if stats.cached_files:
                warnings.append(f"{stats.cached_files} of {stats.files} lists from the index cache")
            if fresh.index.abstract_count <= SMALL_WORKSPACE:
                fresh.fill_topics()  # small: have completion complete from the first keystroke
            return fresh

        try:
            fresh = await loop.run_in_executor(None, build)
        finally:
            self.indexing = False
        for w in warnings:
            self.log(w, types.MessageType.Warning if "skipped" in w or "cannot" in w
                     else types.MessageType.Info)
        if generation != self._index_generation:
            return  # a newer re-index superseded this one
        for doc in self.workspace.text_documents.values():
            parsed = parse(doc.source)
            uri = self.canonical(doc.uri)
            if parsed.is_abstract_list or fresh.index.document(uri) is not None:
                fresh.set_document(uri, parsed)
        old = self.model
        self.model = fresh
        self.reload_marks()
        elapsed = time.perf_counter() - started
        msg = (f"indexed {len(fresh.index.docs)} lists, {fresh.index.abstract_count} abstracts "
               f"in {elapsed:.2f} s")
        self.publish(set(fresh.index.docs) | set(old.index.docs) | self.published)
        self.log(msg)
        del old
        # Hundreds of thousands of long-lived index objects: keep them out of every later
        # collection, whose full passes would otherwise stall requests now and then. (No
        # gc.collect() first: at 100k abstracts it blocks the loop for a few hundred ms.)
        gc.freeze()
        if token is not None:
            self.work_done_progress.end(token, types.WorkDoneProgressEnd(message=msg))
        self.run_task(self.fill_topics_background(), "topic extraction")

    async def fill_topics_background(self) -> None:
        """Extract topics of every indexed text in the worker process, open documents first."""
        opened = [self.canonical(u) for u in self.workspace.text_documents]
        todo = self.model.missing_topics(opened)
        todo += [x for x in self.model.missing_topics() if x[0] not in set(opened)]
        started = time.perf_counter()
        await self.extract_topics(todo)
        if todo:
            self.log(f"topics of {len(todo)} abstracts in {time.perf_counter() - started:.1f} s")

    # ----- diagnostics ---------------------------------------------------------------------

    def diagnostics_for(self, uri: str) -> list[types.Diagnostic]:
        """The document's diagnostics in protocol form: the same for push and pull."""
        lines = self.lines_of(uri)
        if lines is None:
            return []
        codec = self.workspace.position_codec
        found = diagnostics.document_diagnostics(self.model, uri, self.settings.severities())
        return [convert.diagnostic(d, lines, codec, lambda u: u, self.lines_of) for d in found]

    def publish(self, uris: set[str]) -> None:
        """Push the diagnostics of these documents, or, to a client that pulls them, ask it to
        pull again (workspace/diagnostic/refresh): one way per client, never both."""
        if self.pull:
            self.request_refresh()
            return
        for uri in sorted(uris):
            diags = self.diagnostics_for(uri)
            if not diags and uri not in self.published:
                continue
            version = None
            try:
                if uri in self.workspace.text_documents:
                    version = self.workspace.get_text_document(uri).version
            except Exception:
                version = None
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=version))
            if diags:
                self.published.add(uri)
            else:
                self.published.discard(uri)

    def request_refresh(self) -> None:
        """Ask the client to pull diagnostics again, at most once per turn of the loop."""
        if not self.refresh_support or self._refresh_pending:
            return
        self._refresh_pending = True

        def send() -> None:
            self._refresh_pending = False
            try:
                self.workspace_diagnostic_refresh(None)
            except Exception as err:  # the client is gone, or refuses: nothing to do
                log.info("diagnostic refresh not sent: %s", err)

        asyncio.get_event_loop().call_soon(send)

    def publish_all(self) -> None:
        self.publish(set(self.model.index.docs) | self.published)

    def flush(self, uri: str) -> None:
        """Apply a pending debounced edit now: a request must see the text the user sees."""
        pending = self._debounce.pop(uri, None)
        if pending is not None:
            pending.cancel()
            self.update_open(uri)

    def schedule(self, uri: str, delay: float) -> None:
        """Debounced re-index of an open document, keyed by URI."""
        prev = self._debounce.pop(uri, None)
        if prev is not None:
            prev.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            self._debounce.pop(uri, None)
            if uri in self.workspace.text_documents:
                self.update_open(uri)

        self._debounce[uri] = self.run_task(later(), f"re-index {uri}")


server = PaperServer()


def checked(params_type: type):
    """Answer InvalidParams for parameters pygls let through unstructured or out of range."""

    def wrap(fn):
        @functools.wraps(fn)
        def handler(ls: PaperServer, params):
            if not isinstance(params, params_type):
                raise JsonRpcInvalidParams(f"expected {params_type.__name__}")
            p = getattr(params, "position", None)
            if p is not None and (not isinstance(p.line, int) or not isinstance(p.character, int)
                                  or p.line < 0 or p.character < 0):
                raise JsonRpcInvalidParams("a position has negative or non-integer numbers")
            return fn(ls, params)

        return handler

    return wrap


def _doc(ls: PaperServer, uri: str) -> ParsedList | None:
    """The document as the user sees it now: pending edits applied, indexed if it was not."""
    ls.flush(uri)
    return ls.ensure_document(uri)


def _pos(ls: PaperServer, uri: str, pos: types.Position) -> tuple[ParsedList, int, int] | None:
    parsed = _doc(ls, uri)
    if parsed is None:
        return None
    line, col = convert.from_client(parsed.lines, pos, ls.workspace.position_codec)
    return parsed, line, col


@server.feature(types.INITIALIZE)
def initialize(ls: PaperServer, params: types.InitializeParams) -> None:
    roots = []
    for f in params.workspace_folders or []:
        p = to_fs_path(f.uri)
        if p:
            roots.append(Path(p))
    if not roots and params.root_uri:
        p = to_fs_path(params.root_uri)
        if p:
            roots.append(Path(p))
    elif not roots and params.root_path:
        roots.append(Path(params.root_path))
    ls.roots = [r for r in roots if r.is_dir()]
    caps = params.capabilities
    ls.refresh_support = bool(caps.workspace and caps.workspace.diagnostics
                              and caps.workspace.diagnostics.refresh_support)
    # Pull only where the client can be told to pull again: a change in one list changes
    # others' findings, and a client without refresh would keep stale ones (Neovim 0.11).
    ls.pull = bool(caps.text_document and caps.text_document.diagnostic) and ls.refresh_support
    ls.apply_settings(params.initialization_options)


@server.feature(types.INITIALIZED)
async def initialized(ls: PaperServer, params: types.InitializedParams) -> None:
    caps = ls.client_capabilities
    ws_caps = caps.workspace
    if ws_caps and ws_caps.configuration:
        ls.run_task(_pull_configuration(ls), "configuration")
    if ws_caps and ws_caps.did_change_watched_files and \
            ws_caps.did_change_watched_files.dynamic_registration:
        ls.run_task(_register_watchers(ls), "file watcher registration")
    if ls.roots:
        ls.run_task(ls.index_workspace(), "initial index")
    ls.run_task(ls.topic_worker(), "topic worker start")


async def _register_watchers(ls: PaperServer) -> None:
    watchers = [types.FileSystemWatcher(glob_pattern=g)
                for g in [*ls.settings.include, f"**/{marks.FILE_NAME}", f"**/{PROJECT_FILE}"]]
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id=str(uuid.uuid4()),
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                   watchers=watchers)),
        ]))
    except Exception as err:  # the client said it could and then refused: carry on unwatched
        ls.warn(f"the client refused file watching ({err}); changes on disk are seen on save "
                "or when a file is opened")


async def _pull_configuration(ls: PaperServer) -> None:
    try:
        got = await asyncio.wait_for(ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="paperls")])), 10)
    except Exception as err:
        ls.log(f"could not read the client's settings: {err!r}", types.MessageType.Warning)
        return
    if got and got[0] is not None:
        ls.apply_settings({"paperls": got[0]})


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: PaperServer, params: types.DidChangeConfigurationParams) -> None:
    caps = ls.client_capabilities.workspace
    if caps and caps.configuration:
        ls.run_task(_pull_configuration(ls), "configuration")
    elif isinstance(params.settings, dict):
        ls.apply_settings(params.settings)


@server.feature(types.SHUTDOWN)
def shutdown(ls: PaperServer, params: None) -> None:
    pool = ls._topic_pool
    if pool is not None and pool.done() and pool.exception() is None:
        pool.result().shutdown(wait=False, cancel_futures=True)


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
def did_change_workspace_folders(ls: PaperServer,
                                 params: types.DidChangeWorkspaceFoldersParams) -> None:
    gone = {to_fs_path(f.uri) for f in params.event.removed}
    roots = [r for r in ls.roots if str(r) not in gone]
    for f in params.event.added:
        p = to_fs_path(f.uri)
        if p and Path(p).is_dir() and Path(p) not in roots:
            roots.append(Path(p))
    ls.roots = roots
    ls.apply_settings(ls._client_settings)
    ls.run_task(ls.index_workspace(), "re-index after a workspace folder change")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PaperServer, params: types.DidOpenTextDocumentParams) -> None:
    if params.text_document.uri == ls.marks_uri():
        ls.reload_marks(params.text_document.text)
        return
    ls.update_open(params.text_document.uri, opened=True)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PaperServer, params: types.DidChangeTextDocumentParams) -> None:
    if params.text_document.uri == ls.marks_uri():
        ls.reload_marks(ls.workspace.get_text_document(params.text_document.uri).source)
        return
    ls.schedule(params.text_document.uri, DEBOUNCE_S)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PaperServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PaperServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    pending = ls._debounce.pop(uri, None)
    if pending is not None:
        pending.cancel()
    # A closed document is indexed from disk again (or dropped if it is not on disk).
    ls.publish(ls.reload_from_disk(uri))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: PaperServer, params: types.DidChangeWatchedFilesParams) -> None:
    affected: set[str] = set()
    for change in params.changes:
        uri = ls.canonical(change.uri)
        if uri.endswith("/" + marks.FILE_NAME):
            if uri not in ls.workspace.text_documents:
                ls.reload_marks()
            continue
        if uri.endswith("/" + PROJECT_FILE):
            ls.apply_settings(ls._client_settings)
            continue
        if uri in ls.workspace.text_documents:
            continue  # the editor's text wins over the disk while the document is open
        if change.type == types.FileChangeType.Deleted:
            affected |= ls.model.remove_document(uri) | {uri}
        else:
            affected |= ls.reload_from_disk(uri)
    ls.publish(affected)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@checked(types.HoverParams)
def on_hover(ls: PaperServer, params: types.HoverParams) -> types.Hover | None:
    at = _pos(ls, params.text_document.uri, params.position)
    if at is None:
        return None
    parsed, line, col = at
    h = hover.hover(ls.model, params.text_document.uri, line, col)
    if h is None:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=h.markdown),
        range=convert.range_to_client(parsed.lines, h.line, h.start, h.end,
                                      ls.workspace.position_codec),
    )


def _locations(ls: PaperServer, targets) -> list[types.Location]:
    out = []
    for t in targets:
        lines = ls.lines_of(t.doc)
        if lines is not None:
            out.append(convert.location(t, lines, ls.workspace.position_codec, lambda u: u))
    return out


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@checked(types.DefinitionParams)
def on_definition(ls: PaperServer, params: types.DefinitionParams) -> list[types.Location] | None:
    at = _pos(ls, params.text_document.uri, params.position)
    if at is None:
        return None
    return _locations(ls, matching.definition(ls.model, params.text_document.uri, at[1])) or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@checked(types.ReferenceParams)
def on_references(ls: PaperServer, params: types.ReferenceParams) -> list[types.Location] | None:
    at = _pos(ls, params.text_document.uri, params.position)
    if at is None:
        return None
    uri = params.text_document.uri
    if ls.settings.references_mode == "related":
        places = related.related(ls.model, uri, at[1])
        own = matching.references(ls.model, uri, at[1], True)[:1] \
            if params.context.include_declaration else []
        return _locations(ls, [*own, *places]) or None
    targets = matching.references(ls.model, uri, at[1], params.context.include_declaration)
    return _locations(ls, targets) or None


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[":"]))
@checked(types.CompletionParams)
def on_completion(ls: PaperServer, params: types.CompletionParams) -> types.CompletionList | None:
    at = _pos(ls, params.text_document.uri, params.position)
    if at is None:
        return None
    parsed, line, col = at
    codec = ls.workspace.position_codec
    text = parsed.lines[line] if line < len(parsed.lines) else ""
    items = []
    for r in completion.complete(ls.model, params.text_document.uri, text, line, col,
                                 ls.settings.completion_max_items):
        rng = convert.range_to_client(parsed.lines, line, r.start, col, codec)
        items.append(types.CompletionItem(
            label=r.label,
            kind=types.CompletionItemKind.Keyword if r.kind == "prefix"
            else types.CompletionItemKind.Text,
            detail=r.detail,
            documentation=types.MarkupContent(types.MarkupKind.Markdown, r.documentation),
            sort_text=r.sort_text,
            filter_text=text[r.start:col] if r.kind == "topic" else r.label,
            text_edit=types.TextEdit(range=rng, new_text=r.insert_text),
        ))
    return types.CompletionList(is_incomplete=True, items=items)


@server.command("paperls.server.reindex")  # not paperls.reindex: VS Code registers server commands itself
async def reindex(ls: PaperServer, *args) -> None:
    """Scan the workspace again from disk (the cache keeps unchanged lists cheap)."""
    await ls.index_workspace()


@server.feature("paperls/status")
def status(ls: PaperServer, params) -> dict:
    """Counts for a status bar: lists, abstracts, abstracts with copies, whether indexing."""
    index = ls.model.index
    return {"indexing": ls.indexing, "lists": len(index.docs),
            "abstracts": index.abstract_count, "withCopies": index.count_with_copies()}


def _custom_pos(ls: PaperServer, params) -> tuple[str, tuple[ParsedList, int, int] | None]:
    """The document and position of a paperls/* request (untyped: pygls leaves its params as
    attribute objects), or InvalidParams."""
    try:
        uri = params.textDocument.uri
        pos = types.Position(int(params.position.line), int(params.position.character))
    except (AttributeError, TypeError, ValueError) as err:
        raise JsonRpcInvalidParams("expected textDocument.uri and position") from err
    if pos.line < 0 or pos.character < 0:
        raise JsonRpcInvalidParams("a position has negative numbers")
    return uri, _pos(ls, uri, pos)


@server.feature("paperls/similar")
def similar(ls: PaperServer, params) -> list[dict]:
    """The copies of the abstract at a position, for a quick pick: location, kind, similarity
    and a title-like line of the copy."""
    uri, at = _custom_pos(ls, params)
    if at is None:
        return []
    out = []
    for t in matching.definition(ls.model, uri, at[1]):
        lines = ls.lines_of(t.doc)
        d = ls.model.index.document(t.doc)
        a = d.parsed.abstract_at(t.line) if d else None
        title = " · ".join(p.text for p in ls.model.topics(t.doc, a, 3)) if a else ""
        out.append({"uri": t.doc, "range": convert.range_to_client(
            lines, t.line, t.start, t.end, ls.workspace.position_codec),
            "exact": t.exact, "similarity": t.similarity,
            "label": f"{ls.display_name(t.doc)}:{t.line + 1}", "title": title})
    return out


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@checked(types.DocumentSymbolParams)
def on_document_symbol(ls: PaperServer, params: types.DocumentSymbolParams):
    uri = params.text_document.uri
    parsed = _doc(ls, uri)
    if parsed is None:
        return []
    codec = ls.workspace.position_codec

    def conv(sym: outline.Symbol) -> types.DocumentSymbol:
        rng = convert.range_to_client(parsed.lines, sym.line, sym.start, sym.end, codec)
        return types.DocumentSymbol(
            name=sym.name or "(untitled)", detail=sym.detail,
            kind=types.SymbolKind.Namespace if sym.children else types.SymbolKind.String,
            range=rng, selection_range=rng, children=[conv(c) for c in sym.children] or None)

    return [conv(x) for x in outline.outline(ls.model, uri)]


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
@checked(types.DocumentLinkParams)
def on_document_link(ls: PaperServer, params: types.DocumentLinkParams):
    uri = params.text_document.uri
    parsed = _doc(ls, uri)
    if parsed is None:
        return []
    codec = ls.workspace.position_codec
    return [types.DocumentLink(range=convert.range_to_client(parsed.lines, x.line, x.start, x.end,
                                                             codec), target=x.target)
            for x in outline.links(ls.model, uri)]


def _workspace_edit(ls: PaperServer, es) -> types.WorkspaceEdit:
    codec = ls.workspace.position_codec
    changes: dict[str, list[types.TextEdit]] = {}
    for e in es:
        lines = ls.lines_of(e.doc) or [""]
        changes.setdefault(e.doc, []).append(types.TextEdit(
            range=types.Range(convert.to_client(lines, e.start_line, e.start_col, codec),
                              convert.to_client(lines, e.end_line, e.end_col, codec)),
            new_text=e.text))
    return types.WorkspaceEdit(changes=changes)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
@checked(types.DocumentFormattingParams)
def on_formatting(ls: PaperServer, params: types.DocumentFormattingParams):
    uri = params.text_document.uri
    if _doc(ls, uri) is None:
        return []
    return _workspace_edit(ls, edits.format_document(ls.model, uri)).changes.get(uri, [])


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix]))
@checked(types.CodeActionParams)
def on_code_action(ls: PaperServer, params: types.CodeActionParams):
    uri = params.text_document.uri
    parsed = _doc(ls, uri)
    if parsed is None:
        return []
    codec = ls.workspace.position_codec
    first, _ = convert.from_client(parsed.lines, params.range.start, codec)
    last, _ = convert.from_client(parsed.lines, params.range.end, codec)
    out = []
    for line in range(first, min(last, first + 200) + 1):
        for act in edits.actions(ls.model, uri, line):
            fixes = [d for d in params.context.diagnostics
                     if d.code in act.codes and d.range.start.line == line]
            out.append(types.CodeAction(
                title=act.title, kind=types.CodeActionKind.QuickFix,
                diagnostics=fixes or None, is_preferred=act.preferred or None,
                edit=_workspace_edit(ls, act.edits)))
        out.extend(_mark_actions(ls, uri, line, params.context.diagnostics))
    return out


def _mark_actions(ls: PaperServer, uri: str, line: int, diags) -> list[types.CodeAction]:
    """"Not a duplicate" for each near copy: a line appended to the workspace's marks file."""
    target = ls.marks_uri()
    mine = ls.model.index.key_of(uri, line)
    if target is None or mine is None:
        return []
    path = Path(to_fs_path(target) or "")
    try:
        existing = path.read_text(encoding="utf-8") if path.exists() else None
    except OSError:
        return []
    if target in ls.workspace.text_documents:
        existing = ls.workspace.get_text_document(target).source
    out = []
    for c in [c for c in ls.model.index.copies(uri, line) if not c.exact][:3]:
        other = ls.model.index.key_of(c.doc, c.line)
        if other is None:
            continue
        note = f"{ls.display_name(uri)}:{line + 1} | {ls.display_name(c.doc)}:{c.line + 1}"
        text = marks.mark_line(mine, other, note) + "\n"
        title = f"Not a duplicate: mark this and {ls.display_name(c.doc)}:{c.line + 1} as different papers"
        fixes = [d for d in diags if str(d.code).startswith("near-") and d.range.start.line == line]
        if existing is None:
            edit = types.WorkspaceEdit(document_changes=[
                types.CreateFile(uri=target, options=types.CreateFileOptions(ignore_if_exists=True)),
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=target, version=None),
                    edits=[types.TextEdit(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                          new_text=text)])])
        else:
            lines = existing.split("\n")
            end = types.Position(len(lines) - 1,
                                 ls.workspace.position_codec.client_num_units(lines[-1]))
            prefix = "" if existing.endswith("\n") or not existing else "\n"
            edit = types.WorkspaceEdit(changes={target: [types.TextEdit(
                range=types.Range(end, end), new_text=prefix + text)]})
        out.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix,
                                    diagnostics=fixes or None, edit=edit))
    return out


@server.feature("paperls/related")
def on_related(ls: PaperServer, params) -> list[dict]:
    """Papers most similar in topic to the abstract at a position, with scores (never copies)."""
    uri, at = _custom_pos(ls, params)
    if at is None:
        return []
    codec = ls.workspace.position_codec
    return [{"uri": p.doc, "range": convert.range_to_client(ls.lines_of(p.doc), p.line, p.start,
                                                            p.end, codec),
             "score": p.score, "label": f"{ls.display_name(p.doc)}:{p.line + 1}",
             "title": p.label} for p in related.related(ls.model, uri, at[1])]


@server.feature(types.WORKSPACE_SYMBOL)
@checked(types.WorkspaceSymbolParams)
def on_workspace_symbol(ls: PaperServer, params: types.WorkspaceSymbolParams):
    codec = ls.workspace.position_codec
    return [types.SymbolInformation(
        name=p.label, kind=types.SymbolKind.String,
        location=types.Location(p.doc, convert.range_to_client(ls.lines_of(p.doc), p.line,
                                                               p.start, p.end, codec)),
        container_name=f"{ls.display_name(p.doc)}:{p.line + 1}")
        for p in related.workspace_symbols(ls.model, params.query)]


@server.feature(types.TEXT_DOCUMENT_CODE_LENS)
@checked(types.CodeLensParams)
def on_code_lens(ls: PaperServer, params: types.CodeLensParams):
    uri = params.text_document.uri
    parsed = _doc(ls, uri)
    if parsed is None or not ls.settings.code_lens:
        return []
    codec = ls.workspace.position_codec
    out = []
    for x in lens.lenses(ls.model, uri):
        rng = convert.range_to_client(parsed.lines, x.line, 0, 0, codec)
        locs = []
        for d, ln in x.targets:
            lines = ls.lines_of(d)
            if lines is not None:
                locs.append(types.Location(d, convert.range_to_client(lines, ln, 0, 0, codec)))
        # The client-side command of the VS Code extension opens these as a references view.
        out.append(types.CodeLens(range=rng, command=types.Command(
            title=x.title, command="paperls.showReferences", arguments=[uri, rng.start, locs])))
    return out


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
@checked(types.InlayHintParams)
def on_inlay_hint(ls: PaperServer, params: types.InlayHintParams):
    uri = params.text_document.uri
    parsed = _doc(ls, uri)
    if parsed is None or not ls.settings.inlay_hints:
        return []
    codec = ls.workspace.position_codec
    first, _ = convert.from_client(parsed.lines, params.range.start, codec)
    last, _ = convert.from_client(parsed.lines, params.range.end, codec)
    return [types.InlayHint(position=convert.to_client(parsed.lines, h.line, h.col, codec),
                            label=h.label, padding_left=True)
            for h in lens.inlay_hints(ls.model, uri, first, last, ls.settings.inlay_max_length)]


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, types.SemanticTokensLegend(
    token_types=semantic.TOKEN_TYPES, token_modifiers=[]))
@checked(types.SemanticTokensParams)
def on_semantic_tokens(ls: PaperServer, params: types.SemanticTokensParams):
    uri = params.text_document.uri
    parsed = _doc(ls, uri)
    if parsed is None:
        return types.SemanticTokens(data=[])
    codec = ls.workspace.position_codec
    data: list[int] = []
    prev_line = prev_col = 0
    for line, start, length, kind in semantic.tokens(ls.model, uri):
        text = parsed.lines[line]
        col = codec.client_num_units(text[:start])
        units = codec.client_num_units(text[start:start + length])
        data += [line - prev_line, col - (prev_col if line == prev_line else 0), units, kind, 0]
        prev_line, prev_col = line, col
    return types.SemanticTokens(data=data)


def _result_id(items: list[types.Diagnostic]) -> str:
    import hashlib
    import json

    body = json.dumps(server.protocol._converter.unstructure(items), sort_keys=True)
    return hashlib.blake2b(body.encode(), digest_size=8).hexdigest()


@server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(
    identifier="paperls", inter_file_dependencies=True, workspace_diagnostics=True))
@checked(types.DocumentDiagnosticParams)
def on_document_diagnostic(ls: PaperServer, params: types.DocumentDiagnosticParams):
    uri = params.text_document.uri
    _doc(ls, uri)
    items = ls.diagnostics_for(uri)
    rid = _result_id(items)
    if params.previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)


@server.feature(types.WORKSPACE_DIAGNOSTIC)
@checked(types.WorkspaceDiagnosticParams)
def on_workspace_diagnostic(ls: PaperServer, params: types.WorkspaceDiagnosticParams):
    previous = {p.uri: p.value for p in params.previous_result_ids}
    reports: list = []
    for uri in sorted(set(ls.model.index.docs) | set(previous)):
        items = ls.diagnostics_for(uri)
        rid = _result_id(items)
        version = ls.workspace.text_documents[uri].version \
            if uri in ls.workspace.text_documents else None
        if previous.get(uri) == rid:
            reports.append(types.WorkspaceUnchangedDocumentDiagnosticReport(
                uri=uri, result_id=rid, version=version))
        else:
            reports.append(types.WorkspaceFullDocumentDiagnosticReport(
                uri=uri, items=items, result_id=rid, version=version))
    return types.WorkspaceDiagnosticReport(items=reports)
