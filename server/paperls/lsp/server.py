"""Wiring: the server instance and which handler answers which method, with its options.

Layers below, in a one-way order: state <- documents <- indexing <- publishing <- handlers
<- this module. Handlers live in ``handlers/`` by area; none holds logic of its own.
"""

from __future__ import annotations

from lsprotocol import types

from .convert import TOKEN_TYPES
from .handlers import diagnostics, editing, lifecycle, navigation, report, sync
from .protocol import checked
from .state import PaperServer

server = PaperServer()

_PLAIN = [  # (method, handler): notifications and lifecycle, parameters structured by pygls
    (types.INITIALIZE, lifecycle.initialize),
    (types.INITIALIZED, lifecycle.initialized),
    (types.SHUTDOWN, lifecycle.shutdown),
    (types.WORKSPACE_DID_CHANGE_CONFIGURATION, lifecycle.did_change_configuration),
    (types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, lifecycle.did_change_workspace_folders),
    (types.TEXT_DOCUMENT_DID_OPEN, sync.did_open),
    (types.TEXT_DOCUMENT_DID_CHANGE, sync.did_change),
    (types.TEXT_DOCUMENT_DID_SAVE, sync.did_save),
    (types.TEXT_DOCUMENT_DID_CLOSE, sync.did_close),
    (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, sync.did_change_watched_files),
    ("paperls/status", lifecycle.status),
    ("paperls/similar", navigation.on_similar),
    ("paperls/related", navigation.on_related),
    ("paperls/report", report.on_report),
]

_CHECKED = [  # (method, params type, handler, options): requests whose parameters are checked
    (types.TEXT_DOCUMENT_HOVER, types.HoverParams, navigation.on_hover, None),
    (types.TEXT_DOCUMENT_DEFINITION, types.DefinitionParams, navigation.on_definition, None),
    (types.TEXT_DOCUMENT_REFERENCES, types.ReferenceParams, navigation.on_references, None),
    (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, types.DocumentSymbolParams,
     navigation.on_document_symbol, None),
    (types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkParams,
     navigation.on_document_link, None),
    (types.WORKSPACE_SYMBOL, types.WorkspaceSymbolParams, navigation.on_workspace_symbol, None),
    (types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams, editing.on_completion,
     types.CompletionOptions(trigger_characters=[":"])),
    (types.TEXT_DOCUMENT_FORMATTING, types.DocumentFormattingParams, editing.on_formatting, None),
    (types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionParams, editing.on_code_action,
     types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])),
    (types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensParams, editing.on_code_lens, None),
    (types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintParams, editing.on_inlay_hint, None),
    (types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, types.SemanticTokensParams,
     editing.on_semantic_tokens, types.SemanticTokensLegend(token_types=TOKEN_TYPES,
                                                            token_modifiers=[])),
    (types.TEXT_DOCUMENT_DIAGNOSTIC, types.DocumentDiagnosticParams,
     diagnostics.on_document_diagnostic, types.DiagnosticOptions(
         identifier="paperls", inter_file_dependencies=True, workspace_diagnostics=True)),
    (types.WORKSPACE_DIAGNOSTIC, types.WorkspaceDiagnosticParams,
     diagnostics.on_workspace_diagnostic, None),
]

for _method, _handler in _PLAIN:
    server.feature(_method)(_handler)
for _method, _params, _handler, _options in _CHECKED:
    server.feature(_method, _options)(checked(_params)(_handler))
# Not paperls.reindex: VS Code registers the server's commands itself, and the extension has one.
server.command("paperls.server.reindex")(lifecycle.reindex_command)
