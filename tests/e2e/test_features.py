"""The four core features through a real ``paperls serve``, with VS Code's and Neovim's
capabilities, on the two example lists."""

from __future__ import annotations

import pytest
from lsprotocol import types

from conftest import TONY_A, TONY_B, example_text
from e2e.conftest import units, wait_for_diagnostics

# 0-based lines of the three shared papers
GPT4O_A, CODEX_A, SCALING_A = 1, 7, 10
GPT4O_B, CODEX_B, SCALING_B = 2, 4, 5


def pos(line: int, character: int = 20) -> types.Position:
    return types.Position(line=line, character=character)


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_shared_papers_are_reported_across_lists_and_nothing_else(client, ws_uri):
    a, b = ws_uri(TONY_A), ws_uri(TONY_B)
    await wait_for_diagnostics(client, [a, b])
    da = sorted(client.diagnostics[a], key=lambda d: d.range.start.line)
    db = sorted(client.diagnostics[b], key=lambda d: d.range.start.line)
    assert [d.range.start.line for d in da] == [GPT4O_A, CODEX_A, SCALING_A]
    assert [d.range.start.line for d in db] == [GPT4O_B, CODEX_B, SCALING_B]
    for d in da + db:
        assert d.code == "duplicate-across-lists"
        assert d.source == "paperls"
        assert d.severity == types.DiagnosticSeverity.Information
    # The message names the paper, then the other copy (Neovim shows no related information)
    assert [d.message.split(":")[0] for d in da] == [
        "GPT-4o · autoregressive omni model · image capabilities",
        "Codex · GPT language model · Python code-writing capabilities",
        "multimodal image text models · scaling laws · distribution entropy"]
    assert da[0].message.endswith(f"also in {TONY_B}:{GPT4O_B + 1} (exact)")
    assert "this list" not in da[0].message  # only for copies in this list
    # ... and relatedInformation links it, at the abstract's text (after `Abstract:`).
    rel = da[0].related_information
    assert rel and rel[0].location.uri == b
    assert rel[0].location.range.start == types.Position(GPT4O_B, len("Abstract:"))


async def test_hover_names_the_paper_and_its_other_copy(client, ws_uri):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(a), position=pos(GPT4O_A)))
    assert h is not None and h.contents.kind == types.MarkupKind.Markdown
    text = h.contents.value
    assert text.startswith("### GPT-4o")
    assert "232 milliseconds" in text  # a key figure
    assert f"`{TONY_B}`, line {GPT4O_B + 1}: exact" in text
    # The header line summarises the list.
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(a), position=pos(0, 1)))
    assert "**10 papers**" in h.contents.value
    assert f"`{TONY_B}`: 3 papers" in h.contents.value


async def test_definition_jumps_to_the_other_copy_and_references_list_all(client, ws_uri):
    a, b = ws_uri(TONY_A), ws_uri(TONY_B)
    await wait_for_diagnostics(client, [a, b])
    got = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(a), position=pos(CODEX_A)))
    assert [(loc.uri, loc.range.start.line) for loc in got] == [(b, CODEX_B)]
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc(b), position=pos(SCALING_B),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((r.uri, r.range.start.line) for r in refs) == sorted(
        [(a, SCALING_A), (b, SCALING_B)])
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc(b), position=pos(SCALING_B),
        context=types.ReferenceContext(include_declaration=False)))
    assert [(r.uri, r.range.start.line) for r in refs] == [(a, SCALING_A)]
    # An abstract with no copy has no definition.
    none = await client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(a), position=pos(2)))
    assert not none


async def test_typing_sparse_auto_offers_sparse_autoencoders(client, ws_uri):
    a = ws_uri(TONY_A)
    await wait_for_diagnostics(client, [a])
    text = example_text(TONY_A)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=a, language_id="plaintext", version=1, text=text)))
    n = len(text.splitlines())
    typed = "Abstract:We train sparse auto"
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=a, version=2),
        [types.TextDocumentContentChangePartial(
            range=types.Range(pos(n - 1, len(text.splitlines()[-1])),
                              pos(n - 1, len(text.splitlines()[-1]))),
            text="\n" + typed)]))
    got = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc(a), position=pos(n, len(typed))))
    labels = [i.label for i in got.items]
    assert "sparse autoencoders" in [x.casefold() for x in labels[:5]], labels[:10]
    item = next(i for i in got.items if i.label.casefold() == "sparse autoencoders")
    assert item.text_edit.range.start == pos(n, len("Abstract:We train "))
    assert "abstract" in item.detail
    # At the start of a new line the prefix is offered.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=a, version=3),
        [types.TextDocumentContentChangePartial(
            range=types.Range(pos(n, len(typed)), pos(n, len(typed))), text="\n")]))
    got = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc(a), position=pos(n + 1, 0)))
    assert [i.label for i in got.items] == ["Abstract:"]


async def test_an_edit_in_one_list_updates_the_other(client, ws_uri):
    a, b = ws_uri(TONY_A), ws_uri(TONY_B)
    await wait_for_diagnostics(client, [a, b])
    text = example_text(TONY_B)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=b, language_id="plaintext", version=1, text=text)))
    lines = text.splitlines()
    # Delete the Codex line of list B: list A's Codex finding must go away.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=b, version=2),
        [types.TextDocumentContentChangePartial(
            range=types.Range(pos(CODEX_B, 0), pos(CODEX_B + 1, 0)), text="")]))
    del lines[CODEX_B]
    await wait_for_diagnostics(
        client, [a], check=lambda: len(client.diagnostics[a]) == 2)
    assert sorted(d.range.start.line for d in client.diagnostics[a]) == [GPT4O_A, SCALING_A]


@pytest.fixture
def near_copy(workspace):
    """A third list with list A's GPT-4o abstract, a few words edited."""
    gpt = example_text(TONY_A).splitlines()[GPT4O_A]
    edited = (gpt.replace("autoregressive omni model", "autoregressive omni-modal model")
              .replace("232 milliseconds", "about 232 ms")
              .replace("especially better", "notably better"))
    assert edited != gpt
    (workspace / "reading-group.txt").write_text(f"Reading group\nAbstract:Unrelated text about "
                                                 f"protein folding with 🧬 markers.\n{edited}\n",
                                                 encoding="utf-8")
    return workspace / "reading-group.txt"


async def test_a_lightly_edited_copy_is_a_near_duplicate_with_its_similarity(client, ws_uri,
                                                                             near_copy):
    r = ws_uri(near_copy.name)
    await wait_for_diagnostics(client, [r])
    (d,) = client.diagnostics[r]
    assert d.code == "near-duplicate-across-lists"
    assert d.range.start.line == 2
    assert 0.8 <= d.data["similarity"] < 1.0
    assert "% similar" in d.message
    assert TONY_A in d.message and TONY_B in d.message


async def test_astral_characters_before_the_cursor(client, ws_uri, near_copy):
    """🧬 is two UTF-16 units (four UTF-8 ones): positions after it must still map right."""
    r = ws_uri(near_copy.name)
    await wait_for_diagnostics(client, [r])
    line = near_copy.read_text(encoding="utf-8").splitlines()[1]
    after = units(client, line[: line.index("🧬") + 1])
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(r), position=pos(1, after)))
    assert h is not None and "protein" in h.contents.value.casefold()
    assert h.range.end.character == units(client, line)
    assert h.range.end.character != len(line)  # the encoding really differs from code points


def test_bad_params_get_an_error_not_silence(workspace):
    """pygls 2.1 drops such requests unanswered; paperls answers InvalidParams and goes on."""
    from e2e.conftest import uri
    from lspclient import RawServer

    srv = RawServer()
    try:
        a = uri(workspace / TONY_A)
        init = srv.request("initialize", {"processId": None, "rootUri": uri(workspace),
                                          "capabilities": {}})
        assert "capabilities" in init["result"]
        srv.notify("initialized", {})
        text = example_text(TONY_A)
        srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": a, "languageId": "plaintext", "version": 1, "text": text}})
        for bad in ({"line": -1, "character": 0}, {"line": 1, "character": "x"}, None):
            got = srv.request("textDocument/hover",
                              {"textDocument": {"uri": a}, "position": bad})
            assert got["error"]["code"] == -32602, got
        got = srv.request("textDocument/hover", {"textDocument": {}, "position": {
            "line": 1, "character": 3}})
        assert got["error"]["code"] == -32602, got
        # ... and the server keeps serving.
        got = srv.request("textDocument/hover",
                          {"textDocument": {"uri": a}, "position": {"line": 1, "character": 3}})
        assert "GPT-4o" in got["result"]["contents"]["value"]
    finally:
        srv.close()


async def test_a_near_copy_shows_its_word_diff_and_fixes_stay_in_this_list(client, ws_uri):
    """Edit B's GPT-4o abstract: A's hover shows the words that differ; the information-level
    finding offers no fix that edits the other curator's list."""
    a, b = ws_uri(TONY_A), ws_uri(TONY_B)
    text = example_text(TONY_B).replace("any combination", "any mix", 1)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=b, language_id="plaintext", version=1, text=text)))
    await wait_for_diagnostics(client, [a], check=lambda: any(
        d.code == "near-duplicate-across-lists" for d in client.diagnostics.get(a, [])))
    h = await client.text_document_hover_async(
        types.HoverParams(text_document=doc(a), position=pos(GPT4O_A)))
    assert f"**Differs from `{TONY_B}`, line {GPT4O_B + 1}:**" in h.contents.value
    assert "~~combination~~ **mix**" in h.contents.value
    found = [d for d in client.diagnostics[a] if d.range.start.line == CODEX_A]
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(a), range=found[0].range,
        context=types.CodeActionContext(diagnostics=found)))
    titles = [x.title for x in acts]
    assert "Remove this duplicate copy" in titles
    assert not any(TONY_B in t for t in titles), titles  # information level: this list only


async def test_a_truncated_copy_is_found_with_its_confidence(client, ws_uri):
    """A list holding only the first words of the scaling-laws abstract: 14 words are specific
    enough to be the same paper; 7 are probably the same paper (a hint that says why)."""
    words = example_text(TONY_A).splitlines()[SCALING_A].split()
    for n, code, sev in ((14, "near-duplicate-across-lists", types.DiagnosticSeverity.Information),
                         (7, "possible-duplicate-across-lists", types.DiagnosticSeverity.Hint)):
        c = ws_uri(f"short{n}.txt")
        client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
            uri=c, language_id="plaintext", version=1, text="Cut\n" + " ".join(words[:n]) + "\n")))
        await wait_for_diagnostics(client, [c], check=lambda c=c: bool(client.diagnostics.get(c)))
        (d,) = client.diagnostics[c]
        assert (d.code, d.severity) == (code, sev)
        assert "scaling laws" in d.message.split(":")[0]  # the paper, by its own topics
        assert f"in {TONY_A}:{SCALING_A + 1}" in d.message
        client.text_document_did_close(types.DidCloseTextDocumentParams(
            types.TextDocumentIdentifier(c)))
