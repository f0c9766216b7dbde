"""Pull diagnostics: one document, or the whole workspace (off the loop), with result ids."""

from __future__ import annotations

import hashlib
import json

from lsprotocol import types

from ...features.diagnostics import document_diagnostics
from .. import documents, indexing, publishing
from ..state import PaperServer
from .common import doc


def _result_id(ls: PaperServer, items: list[types.Diagnostic]) -> str:
    body = json.dumps(ls.protocol._converter.unstructure(items), sort_keys=True)
    return hashlib.blake2b(body.encode(), digest_size=8).hexdigest()


def on_document_diagnostic(ls: PaperServer, params: types.DocumentDiagnosticParams):
    uri, _ = doc(ls, params.text_document.uri)
    items = publishing.diagnostics_for(ls, uri)
    rid = _result_id(ls, items)
    if params.previous_result_id == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=rid)


def _findings(model, uris: list[str], severities: dict) -> dict[str, list]:
    return {u: document_diagnostics(model, u, severities) for u in uris}


async def on_workspace_diagnostic(ls: PaperServer, params: types.WorkspaceDiagnosticParams):
    """Every list's findings, computed off the loop on the model as it is (and redone if it
    changed meanwhile), converted on the loop."""
    previous = {documents.canonical(p.uri): p.value for p in params.previous_result_ids}
    uris = sorted(set(ls.model.index.docs) | set(previous))
    found = await indexing.read_off_loop(ls, _findings, uris, ls.settings.severities())
    reports: list = []
    for uri in uris:
        items = publishing.diagnostics_for(ls, uri, found[uri])
        rid, client, version = _result_id(ls, items), documents.to_client(ls, uri), \
            documents.version(ls, uri)
        if previous.get(uri) == rid:
            reports.append(types.WorkspaceUnchangedDocumentDiagnosticReport(
                uri=client, result_id=rid, version=version))
        else:
            reports.append(types.WorkspaceFullDocumentDiagnosticReport(
                uri=client, items=items, result_id=rid, version=version))
    return types.WorkspaceDiagnosticReport(items=reports)
