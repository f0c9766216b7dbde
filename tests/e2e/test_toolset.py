"""Outline, links, formatting and quick fixes through the server (VS Code and Neovim presets)."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from conftest import TONY_A, example_text
from e2e.conftest import uri, wait_for_diagnostics


def doc(u: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=u)


async def test_outline_of_a_list(client, ws_uri):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    got = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(a)))
    (tony,) = got
    assert tony.name == "Tony" and len(tony.children) == 10
    assert tony.children[6].name.startswith("Codex")
    assert tony.children[0].range.start.line == 1


async def test_quick_fix_removes_a_duplicate_inside_the_list(client, workspace):
    path = workspace / "mine.txt"
    gpt = example_text(TONY_A).splitlines()[1]
    text = f"Me\n{gpt}\nabstract:lower case prefix\n{gpt}\n"
    path.write_text(text, encoding="utf-8")
    u = uri(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=u, language_id="plaintext", version=1, text=text)))
    await wait_for_diagnostics(client, [u])
    diags = [d for d in client.diagnostics[u] if d.range.start.line == 3]
    got = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(u), range=diags[0].range,
        context=types.CodeActionContext(diagnostics=diags)))
    titles = [a.title for a in got]
    assert "Remove this duplicate copy" in titles
    remove = got[titles.index("Remove this duplicate copy")]
    (edit,) = remove.edit.changes[u]
    assert (edit.range.start.line, edit.range.end.line, edit.new_text) == (3, 4, "")
    assert remove.diagnostics and remove.diagnostics[0].code == "duplicate-in-list"
    fix = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(u), range=types.Range(types.Position(2, 0), types.Position(2, 0)),
        context=types.CodeActionContext(diagnostics=[])))
    assert [a.title for a in fix] == ["Write the prefix as `Abstract:`"]


async def test_formatting_and_links(client, workspace):
    path = workspace / "messy.txt"
    text = "Me  \nAbstract:  Code at https://github.com/OpenAI/CLIP  and   arXiv:2103.00020.\n"
    path.write_text(text, encoding="utf-8")
    u = uri(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=u, language_id="plaintext", version=1, text=text)))
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=doc(u), options=types.FormattingOptions(tab_size=4, insert_spaces=True)))
    assert [(e.range.start.line, e.new_text) for e in edits] == [
        (0, ""), (1, "Abstract:Code at https://github.com/OpenAI/CLIP and arXiv:2103.00020.")]
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=doc(u)))
    assert [x.target for x in links] == ["https://github.com/OpenAI/CLIP",
                                         "https://arxiv.org/abs/2103.00020"]


async def test_lenses_tokens_and_workspace_symbols(client, ws_uri):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc(a)))
    titles = {x.range.start.line: x.command.title for x in lenses}
    assert titles[1] == "in 1 other list" and titles[0].startswith("10 papers")
    toks = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc(a)))
    assert list(toks.data[:5]) == [0, 0, 4, 0, 0]  # the header "Tony"
    syms = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="HumanEval"))
    assert any(s.location.uri == a and s.location.range.start.line == 7 for s in syms)


async def test_marking_a_near_copy_as_not_a_duplicate(client, workspace):
    gpt = example_text(TONY_A).splitlines()[1]
    path = workspace / "c.txt"
    path.write_text("C\n" + gpt.replace("especially better", "notably better"), encoding="utf-8")
    u = uri(path)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=u, type=types.FileChangeType.Created)]))
    await wait_for_diagnostics(client, [u])
    (d,) = client.diagnostics[u]
    got = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(u), range=d.range, context=types.CodeActionContext(diagnostics=[d])))
    mark = [a for a in got if a.title.startswith("Not a duplicate")]
    assert len(mark) == 2  # one per other copy (both lists hold the GPT-4o abstract)
    # Apply both edits as a client would: the marks file is created with two lines.
    lines = []
    for a in mark:
        for change in a.edit.document_changes:
            if isinstance(change, types.TextDocumentEdit):
                lines += [e.new_text for e in change.edits]
    (workspace / ".paperls-marks").write_text("".join(lines), encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=uri(workspace / ".paperls-marks"), type=types.FileChangeType.Created)]))
    await wait_for_diagnostics(client, [u], check=lambda: not client.diagnostics[u])
    # Open the marks file: each mark line has "Remove this mark"; removing both (as the
    # client would apply the edits) brings the findings back.
    marks_uri = uri(workspace / ".paperls-marks")
    text = "".join(lines)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=marks_uri, language_id="plaintext", version=1, text=text)))
    got = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(marks_uri), range=types.Range(types.Position(0, 0), types.Position(1, 0)),
        context=types.CodeActionContext(diagnostics=[])))
    assert [a.title.split(" (")[0] for a in got] == ["Remove this mark", "Remove this mark"]
    assert "c.txt:2" in got[0].title  # the note says which pair
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=marks_uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="")]))
    await wait_for_diagnostics(client, [u], check=lambda: bool(client.diagnostics[u]))


async def test_inlay_hints_and_related_references_when_switched_on(client, ws_uri):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    rng = types.Range(types.Position(0, 0), types.Position(3, 0))
    off = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc(a), range=rng))
    assert not off  # off by default
    client.set_configuration({"inlayHints": {"enabled": True, "maxLength": 30},
                              "references": {"mode": "related"}}, section="paperls")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    # The server pulls the settings, applies them and republishes: wait for that.
    await asyncio.wait_for(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 10)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc(a), range=rng))
    assert [h.position.line for h in hints] == [1, 2, 3]
    assert all(len(h.label) <= 34 for h in hints)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc(a), position=types.Position(1, 12),
        context=types.ReferenceContext(include_declaration=False)))
    b = a.replace(TONY_A, "002_d20af59fd061c140.txt")
    assert refs and (b, 2) not in [(r.uri, r.range.start.line) for r in refs]  # never its copy
