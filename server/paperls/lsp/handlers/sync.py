"""Document sync: open, change, save, close, and files changed on disk."""

from __future__ import annotations

from lsprotocol import types

from ...host.settings import PROJECT_FILE
from .. import documents, indexing, publishing
from ..state import PaperServer
from .lifecycle import apply_settings


def did_open(ls: PaperServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = documents.canonical(params.text_document.uri)
    ls.client_uris[uri] = params.text_document.uri
    if documents.is_marks_file(uri):
        publishing.publish(ls, documents.reload_marks(ls))
        return
    affected = documents.update_open(ls, uri)
    if affected:
        ls.published.add(uri)  # on opening, always publish: the client learns its state at once
    publishing.publish(ls, affected)
    indexing.fill_topics_for(ls, uri, opened=True)


def did_change(ls: PaperServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = documents.canonical(params.text_document.uri)
    if documents.is_marks_file(uri):
        publishing.publish(ls, documents.reload_marks(ls))
        return
    publishing.schedule(ls, uri)


def did_save(ls: PaperServer, params: types.DidSaveTextDocumentParams) -> None:
    publishing.schedule(ls, documents.canonical(params.text_document.uri), 0)


def did_close(ls: PaperServer, params: types.DidCloseTextDocumentParams) -> None:
    """A closed document is indexed from disk again (or dropped if it is not on disk)."""
    uri = documents.canonical(params.text_document.uri)
    publishing.cancel(ls, uri)
    ls.client_uris.pop(uri, None)
    indexing.note_during_scan(ls, uri)
    if documents.is_marks_file(uri):
        publishing.publish(ls, documents.reload_marks(ls))
        return
    publishing.publish(ls, documents.reload_from_disk(ls, uri))


def did_change_watched_files(ls: PaperServer, params: types.DidChangeWatchedFilesParams) -> None:
    affected: set[str] = set()
    # Each file once: VS Code reports one write as two events (truncate, then write), and every
    # handler below reads the file's state from disk, whatever the event said.
    for uri in dict.fromkeys(documents.canonical(c.uri) for c in params.changes):
        if uri.endswith("/" + PROJECT_FILE):
            apply_settings(ls, ls.client_settings)
        elif documents.is_marks_file(uri):
            affected |= documents.reload_marks(ls) if not documents.is_open(ls, uri) else set()
        elif documents.is_reference_file(ls, uri):
            affected |= documents.reload_reference(ls, uri)
        elif not documents.is_open(ls, uri):  # the editor's text wins while a list is open
            indexing.note_during_scan(ls, uri)
            affected |= documents.reload_from_disk(ls, uri)
    publishing.publish(ls, affected)
