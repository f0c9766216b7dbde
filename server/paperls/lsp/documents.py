"""Documents: one form of each URI, the editor's text over the disk's, and updates that return
what changed (the caller publishes).

Invariant: the model is keyed only by canonical URIs (percent-encoding normalised, ``..`` and
symlinks resolved), made here at the boundary; the client is answered in the form it used
(the URI it opened a document under, else the path under the workspace folder it named).
"""

from __future__ import annotations

import os
from pathlib import Path

from pygls.uris import from_fs_path, to_fs_path

from ..core.marks import FILE_NAME as MARKS_FILE
from ..core.parse import ParsedList, parse
from ..host import loader, references, scan
from ..host.marks import read_marks
from .state import PaperServer


def canonical(uri: str) -> str:
    """The one form of a document's URI that the model knows."""
    if not uri.startswith("file:"):
        return uri
    path = to_fs_path(uri)
    if not path:
        return uri
    return from_fs_path(os.path.realpath(path)) or uri


def path_uri(path: Path) -> str:
    return canonical(from_fs_path(str(path)) or path.as_uri())


def to_client(ls: PaperServer, uri: str) -> str:
    """A canonical URI in the form the client knows it by."""
    opened = ls.client_uris.get(uri)
    if opened is not None:
        return opened
    path = to_fs_path(uri) if uri.startswith("file:") else None
    if path is None:
        return uri
    p = Path(path)
    for given, real in zip(ls.roots, ls.real_roots, strict=True):
        if given != real:
            try:
                return from_fs_path(str(given / p.relative_to(real))) or uri
            except ValueError:
                continue
    return uri


def editor_text(ls: PaperServer, uri: str) -> str | None:
    """The editor's text of an open document, or None when it is not open."""
    client = ls.client_uris.get(uri)
    if client is None:
        return None
    try:
        return ls.workspace.get_text_document(client).source
    except Exception:
        return None


def is_open(ls: PaperServer, uri: str) -> bool:
    return uri in ls.client_uris


def version(ls: PaperServer, uri: str) -> int | None:
    client = ls.client_uris.get(uri)
    doc = ls.workspace.text_documents.get(client) if client else None
    return doc.version if doc is not None else None


def lines_of(ls: PaperServer, uri: str):
    d = ls.model.index.document(uri)
    if d is not None:
        return d.parsed.lines
    refs = ls.model.refs.files.get(uri)
    return (refs.lines or ("",)) if refs is not None else None


def ensure(ls: PaperServer, uri: str) -> ParsedList | None:
    """The parse of ``uri``, indexing the editor's text if it is not indexed yet."""
    d = ls.model.index.document(uri)
    if d is not None:
        return d.parsed
    text = editor_text(ls, uri)
    if text is None:  # not open, not indexed yet (a scan is running): read it from disk
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path and os.path.isfile(path) and scan.within(Path(path), ls.real_roots):
            reload_from_disk(ls, uri)
            d = ls.model.index.document(uri)
            return d.parsed if d else None
        return None
    parsed = parse(text)
    if not parsed.is_abstract_list:
        return None
    ls.model.set_document(uri, parsed)
    return parsed


def update_open(ls: PaperServer, uri: str) -> set[str]:
    """Re-index an open document from the editor's text; the documents whose findings may
    change (itself included)."""
    text = editor_text(ls, uri)
    if text is None:
        return set()
    parsed = parse(text)
    if not parsed.is_abstract_list and ls.model.index.document(uri) is None:
        return set()  # a plain .txt that is not an abstract list: leave it alone
    return ls.model.set_document(uri, parsed) | {uri}


def reload_from_disk(ls: PaperServer, uri: str) -> set[str]:
    """Index a closed document from disk again, or drop it when it is gone, outside the
    workspace or no longer a list."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    if path is None or not scan.within(Path(path), ls.real_roots):
        return ls.model.remove_document(uri) | {uri}
    if not os.path.exists(path):
        return ls.model.remove_document(uri) | {uri}
    r = scan.read_file(Path(path), int(ls.settings.max_file_size_mb * 1e6), ls.warn)
    if r is None:
        return ls.model.remove_document(uri) | {uri}
    return ls.model.set_document(uri, loader.with_problem(r)) | {uri}


def is_reference_file(ls: PaperServer, uri: str) -> bool:
    return ls.settings.reference_files and references.format_of(uri) is not None


def reload_reference(ls: PaperServer, uri: str) -> set[str]:
    """Read a reference file again (or forget it when it is gone, or is not one). Every list
    whose findings are shown may name its entries, so all those are republished."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    got = None
    if path and os.path.isfile(path) and scan.within(Path(path), ls.real_roots):
        got = references.read_file(Path(path), int(ls.settings.max_file_size_mb * 1e6))
    if got is None:
        changed = ls.model.refs.remove_file(uri)
    else:
        ls.model.refs.set_file(uri, got)
        changed = True
    return (set(ls.published) | {uri}) if changed else set()


def reload_references(ls: PaperServer) -> set[str]:
    """Read every reference file of the workspace again (or drop them all when the setting
    is off): after a scan that did not read them, or a change of the setting."""
    before = set(ls.model.refs.files)
    for uri in before:
        ls.model.refs.remove_file(uri)
    if ls.settings.reference_files:
        for path, got in references.find_files(ls.roots, ls.settings.exclude, ls.warn,
                                               int(ls.settings.max_file_size_mb * 1e6)):
            ls.model.refs.set_file(path_uri(path), got)
    return before | set(ls.model.refs.files) | set(ls.published)


def marks_uri(ls: PaperServer) -> str | None:
    """Where "not a duplicate" marks are written: the first workspace folder's marks file."""
    return path_uri(ls.roots[0] / MARKS_FILE) if ls.roots else None


def is_marks_file(uri: str) -> bool:
    return uri.endswith("/" + MARKS_FILE)


def reload_marks(ls: PaperServer) -> set[str]:
    """Read the marks of every folder (an open marks file from the editor); the documents
    whose findings change."""
    texts = {}
    for root in ls.real_roots:
        text = editor_text(ls, path_uri(root / MARKS_FILE))
        if text is not None:
            texts[root / MARKS_FILE] = text
    return ls.model.index.set_marks(read_marks(ls.real_roots, texts))
