"""Editing: completion, formatting, quick fixes (and "not a duplicate" marks), code lenses,
inlay hints and semantic tokens."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ...core import marks
from ...core.parse import split_lines
from ...features import completion, edits, lens
from ...features import tokens as semantic
from .. import convert, documents
from ..state import PaperServer
from .common import doc, workspace_edit


def on_completion(ls: PaperServer, params: types.CompletionParams) -> types.CompletionList | None:
    # The line as the editor has it, without applying the pending edit to the index first:
    # completion reads only the typed words and the vocabulary, and re-indexing a list on every
    # keystroke cost more than the completion itself (stdio p50 20 ms, half of it re-indexing).
    # The edit is indexed when its debounce ends, as for any other keystroke.
    uri = documents.canonical(params.text_document.uri)
    parsed = documents.ensure(ls, uri)
    if parsed is None:
        return None
    shown = documents.editor_text(ls, uri)
    lines = split_lines(shown) if shown is not None else parsed.lines
    line, col = convert.from_client(lines, params.position, ls.workspace.position_codec)
    text = lines[line] if line < len(lines) else ""
    found = completion.complete(ls.model, uri, text, line, col, ls.settings.completion_max_items)
    return types.CompletionList(is_incomplete=True, items=convert.completion_items(
        found, lines, line, col, ls.workspace.position_codec))


def on_formatting(ls: PaperServer, params: types.DocumentFormattingParams):
    uri, parsed = doc(ls, params.text_document.uri)
    if parsed is None:
        return []
    return workspace_edit(ls, edits.format_document(ls.model, uri)).changes.get(
        documents.to_client(ls, uri), [])


def on_code_action(ls: PaperServer, params: types.CodeActionParams):
    uri, parsed = doc(ls, params.text_document.uri)
    if documents.is_marks_file(uri):
        return remove_mark_actions(ls, uri, params.range)
    if parsed is None:
        return []
    codec = ls.workspace.position_codec
    first, _ = convert.from_client(parsed.lines, params.range.start, codec)
    last, _ = convert.from_client(parsed.lines, params.range.end, codec)
    out = []
    for line in range(first, min(last, first + 200) + 1):
        on_line = [d for d in params.context.diagnostics if d.range.start.line == line]
        for act in edits.actions(ls.model, uri, line, ls.settings.severities(),
                                 ls.settings.quick_fix_other_lists):
            out.append(types.CodeAction(
                title=act.title, kind=convert.ACTION_KINDS[act.kind],
                diagnostics=[d for d in on_line if d.code in act.codes] or None,
                is_preferred=act.preferred or None, edit=workspace_edit(ls, act.edits)))
        out.extend(mark_actions(ls, uri, line, on_line))
    return out


def remove_mark_actions(ls: PaperServer, uri: str, rng: types.Range) -> list[types.CodeAction]:
    """In the marks file: "Remove this mark" on each mark line in the range (the pair is then
    reported again if it is still a duplicate)."""
    text = documents.editor_text(ls, uri)
    if text is None:
        return []
    lines = text.split("\n")
    out = []
    for e in marks.entries(text):
        if rng.start.line <= e.line <= rng.end.line:
            end = types.Position(e.line + 1, 0) if e.line + 1 < len(lines) else \
                types.Position(e.line, convert.units(lines[e.line], ls.workspace.position_codec))
            out.append(types.CodeAction(
                title=f"Remove this mark ({e.note})" if e.note else "Remove this mark",
                kind=types.CodeActionKind.QuickFix, edit=types.WorkspaceEdit(changes={
                    documents.to_client(ls, uri): [types.TextEdit(
                        types.Range(types.Position(e.line, 0), end), "")]})))
    return out


def _append_edit(ls: PaperServer, target: str, existing: str | None, text: str):
    """A workspace edit that appends ``text`` to the marks file (creating it if need be)."""
    client = documents.to_client(ls, target)
    if existing is None:
        return types.WorkspaceEdit(document_changes=[
            types.CreateFile(uri=client, options=types.CreateFileOptions(ignore_if_exists=True)),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=client, version=None),
                edits=[types.TextEdit(range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                                      new_text=text)])])
    lines = existing.split("\n")
    end = types.Position(len(lines) - 1, convert.units(lines[-1], ls.workspace.position_codec))
    prefix = "" if existing.endswith("\n") or not existing else "\n"
    return types.WorkspaceEdit(changes={client: [types.TextEdit(
        range=types.Range(end, end), new_text=prefix + text)]})


def mark_actions(ls: PaperServer, uri: str, line: int, diags) -> list[types.CodeAction]:
    """"Not a duplicate" for each near copy: a line appended to the workspace's marks file."""
    target = documents.marks_uri(ls)
    mine = ls.model.index.key_of(uri, line)
    if target is None or mine is None:
        return []
    existing = documents.editor_text(ls, target)
    if existing is None:
        path = Path(to_fs_path(target) or "")
        try:
            existing = path.read_text(encoding="utf-8") if path.exists() else None
        except OSError:
            return []
    out = []
    name = ls.display_name(uri)
    for c in [c for c in ls.model.index.copies(uri, line) if not c.exact][:3]:
        other = ls.model.index.key_of(c.doc, c.line)
        if other is None:
            continue
        there = f"{ls.display_name(c.doc)}:{c.line + 1}"
        text = marks.mark_line(mine, other, f"{name}:{line + 1} | {there}") + "\n"
        out.append(types.CodeAction(
            title=f"Not a duplicate: mark this and {there} as different papers",
            kind=types.CodeActionKind.QuickFix, edit=_append_edit(ls, target, existing, text),
            diagnostics=[d for d in diags if str(d.code).startswith("near-")] or None))
    return out


LENS_WAIT_S = 5.0  # how long a lens asked for during the first scan waits for it to land


async def until_landed(ls: PaperServer) -> None:
    """Let a view that shows counts wait (a little) for the first scan: a small workspace lands
    in well under a second, and not every client asks again when told to refresh (VS Code kept
    the "indexing" lenses in the real-editor test). A large one answers "indexing" and
    refreshes."""
    if not ls.model.ready:
        try:
            await asyncio.wait_for(ls.scan_landed().wait(), LENS_WAIT_S)
        except asyncio.TimeoutError:
            pass


async def on_code_lens(ls: PaperServer, params: types.CodeLensParams):
    await until_landed(ls)
    uri, parsed = doc(ls, params.text_document.uri)
    if parsed is None or not ls.settings.code_lens:
        return []
    out = []
    for x in lens.lenses(ls.model, uri):
        rng = convert.range_to_client(parsed.lines, x.line, 0, 0, ls.workspace.position_codec)
        locs = [loc for loc in (_start(ls, d, ln) for d, ln in x.targets) if loc is not None]
        # The client-side command of the VS Code extension opens these as a references view.
        out.append(types.CodeLens(range=rng, command=types.Command(
            title=x.title, command="paperls.showReferences",
            arguments=[documents.to_client(ls, uri), rng.start, locs])))
    return out


def _start(ls: PaperServer, uri: str, line: int) -> types.Location | None:
    lines = documents.lines_of(ls, uri)
    if lines is None:
        return None
    return types.Location(documents.to_client(ls, uri), convert.range_to_client(
        lines, line, 0, 0, ls.workspace.position_codec))


async def on_inlay_hint(ls: PaperServer, params: types.InlayHintParams):
    await until_landed(ls)
    uri, parsed = doc(ls, params.text_document.uri)
    if parsed is None or not ls.settings.inlay_hints:
        return []
    codec = ls.workspace.position_codec
    first, _ = convert.from_client(parsed.lines, params.range.start, codec)
    last, _ = convert.from_client(parsed.lines, params.range.end, codec)
    return [types.InlayHint(position=convert.to_client(parsed.lines, h.line, h.col, codec),
                            label=h.label, padding_left=True)
            for h in lens.inlay_hints(ls.model, uri, first, last, ls.settings.inlay_max_length)]


def on_semantic_tokens(ls: PaperServer, params: types.SemanticTokensParams):
    uri, parsed = doc(ls, params.text_document.uri)
    if parsed is None:
        return types.SemanticTokens(data=[])
    return types.SemanticTokens(data=convert.semantic_data(
        semantic.tokens(ls.model, uri), parsed.lines, ls.workspace.position_codec))
