"""Lifecycle: initialize, settings, workspace folders, re-index, status and shutdown."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ...core.marks import FILE_NAME as MARKS_FILE
from ...host import references
from ...host.settings import PROJECT_FILE, from_client, read_project, with_project
from .. import documents, indexing, publishing
from ..editor_text import EditorWorkspace
from ..state import ClientCaps, PaperServer


def _roots(params: types.InitializeParams) -> list[Path]:
    uris = [f.uri for f in params.workspace_folders or []] or \
        ([params.root_uri] if params.root_uri else [])
    paths = [to_fs_path(u) for u in uris]
    if not uris and params.root_path:
        paths = [params.root_path]
    return [Path(p) for p in paths if p and Path(p).is_dir()]


def set_roots(ls: PaperServer, roots: list[Path]) -> None:
    ls.roots = roots
    ls.real_roots = [r.resolve() for r in roots]


def apply_settings(ls: PaperServer, raw) -> None:
    """Settings from the client, with each root's ``paperls.toml`` on top; republish, since
    severities or the threshold may have changed."""
    ls.client_settings = raw
    project, problems = read_project(ls.roots)
    settings, more = from_client(with_project(raw, project))
    said, ls.settings_problems = ls.settings_problems, problems + more
    if settings == ls.settings and said == ls.settings_problems:
        return  # the same settings again (a client re-sends them on every change event)
    for p in ls.settings_problems:
        if p not in said:
            ls.warn(p)
    was = ls.settings.reference_files
    ls.settings = settings
    ls.model.set_threshold(settings.near_threshold, settings.possible_threshold)
    if settings.reference_files != was and ls.model.ready and ls.roots:
        documents.reload_references(ls)
    publishing.publish_all(ls)


async def reindex(ls: PaperServer, counted: bool = False) -> None:
    """Scan the workspace (again) and publish what the new model says."""
    affected = await indexing.scan(ls, counted)
    if affected is not None:
        ls.scan_landed().set()
        publishing.refresh_views(ls)
        await publishing.publish_landed(ls, affected)


def start_reindex(ls: PaperServer, name: str) -> None:
    """Scan in the background, "indexing" from now on: counted only when the task first ran, a
    status request or an opened list read just after ``initialized`` saw no scan under way
    (a status poller took the index as landed before it had started)."""
    indexing.count_scan(ls)
    ls.run_task(reindex(ls, counted=True), name)


def initialize(ls: PaperServer, params: types.InitializeParams) -> None:
    # pygls made the workspace just before this handler; its documents apply the client's
    # edits by the LSP's line breaks (``editor_text``), from the first didOpen on.
    ls.workspace.__class__ = EditorWorkspace
    set_roots(ls, _roots(params))
    ls.model.ready = not ls.roots  # until the first scan lands, features say "indexing"
    ls.caps = ClientCaps.decode(params.capabilities)
    apply_settings(ls, params.initialization_options)


def initialized(ls: PaperServer, params: types.InitializedParams) -> None:
    # Not a coroutine: pygls runs one as a task, after the messages already read (a status
    # request, a didOpen) were handled, which then saw no scan under way.
    if ls.caps.configuration:
        ls.run_task(pull_configuration(ls), "configuration")
    if ls.caps.watch_files:
        ls.run_task(register_watchers(ls), "file watcher registration")
    if ls.caps.configuration and ls.caps.config_changes:
        ls.run_task(register_configuration(ls), "settings change registration")
    if ls.roots:
        # The topic worker starts when the index has landed (or when an opened list needs
        # it first): started now, its process and imports took a core from the scan.
        start_reindex(ls, "initial index")
    else:
        ls.run_task(indexing.topic_worker(ls), "topic worker start")


async def register_watchers(ls: PaperServer) -> None:
    globs = [*ls.settings.include, f"**/{MARKS_FILE}", f"**/{PROJECT_FILE}", *references.GLOBS]
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in globs])
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id=str(uuid.uuid4()), register_options=options,
                               method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES)]))
    except Exception as err:  # the client said it could and then refused: carry on unwatched
        ls.warn(f"the client refused file watching ({err}); changes on disk are seen on save "
                "or when a file is opened")


async def register_configuration(ls: PaperServer) -> None:
    """Ask to be told when the ``paperls`` section changes (then the server pulls it)."""
    options = types.DidChangeConfigurationRegistrationOptions(section="paperls")
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id=str(uuid.uuid4()), register_options=options,
                               method=types.WORKSPACE_DID_CHANGE_CONFIGURATION)]))
    except Exception as err:  # refused: settings then apply on the next start
        ls.warn(f"the client refused settings-change registration ({err})")


async def pull_configuration(ls: PaperServer) -> None:
    try:
        got = await asyncio.wait_for(ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="paperls")])), 10)
    except Exception as err:
        ls.warn(f"could not read the client's settings: {err!r}")
        return
    if got and got[0] is not None:
        apply_settings(ls, {"paperls": got[0]})


def did_change_configuration(ls: PaperServer, params: types.DidChangeConfigurationParams) -> None:
    if ls.caps.configuration:
        ls.run_task(pull_configuration(ls), "configuration")
    elif isinstance(params.settings, dict):
        apply_settings(ls, params.settings)


def did_change_workspace_folders(ls: PaperServer,
                                 params: types.DidChangeWorkspaceFoldersParams) -> None:
    gone = {to_fs_path(f.uri) for f in params.event.removed}
    roots = [r for r in ls.roots if str(r) not in gone]
    added = [Path(p) for p in (to_fs_path(f.uri) for f in params.event.added) if p]
    set_roots(ls, roots + [p for p in added if p.is_dir() and p not in roots])
    apply_settings(ls, ls.client_settings)
    start_reindex(ls, "re-index after a workspace folder change")


def shutdown(ls: PaperServer, params: None) -> None:
    indexing.stop_topic_worker(ls)


async def reindex_command(ls: PaperServer, *args) -> None:
    """Scan the workspace again from disk (the cache keeps unchanged lists cheap)."""
    await reindex(ls)


def status(ls: PaperServer, params) -> dict:
    """Counts for a status bar: lists, abstracts, abstracts with copies, whether indexing."""
    index = ls.model.index
    return {"indexing": ls.indexing, "lists": len(index.docs),
            "abstracts": index.abstract_count, "withCopies": index.count_with_copies()}
