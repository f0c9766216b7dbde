"""Hostile or careless clients, over raw JSON-RPC: every request gets an answer (a result or a
proper error) and the server keeps serving."""

from __future__ import annotations

import pytest

from conftest import TONY_A, TONY_B, example_text
from e2e.conftest import uri
from lspclient import RawServer


@pytest.fixture
def srv(workspace):
    s = RawServer()
    s.root = workspace
    yield s
    s.close()


def start(srv, workspace) -> str:
    init = srv.request("initialize", {"processId": None, "rootUri": uri(workspace),
                                      "capabilities": {}})
    assert "capabilities" in init["result"]
    srv.notify("initialized", {})
    a = uri(workspace / TONY_A)
    srv.notify("textDocument/didOpen", {"textDocument": {
        "uri": a, "languageId": "plaintext", "version": 1, "text": example_text(TONY_A)}})
    return a


def hover(srv, u, line, ch):
    return srv.request("textDocument/hover", {"textDocument": {"uri": u},
                                              "position": {"line": line, "character": ch}})


def test_positions_far_past_the_end_are_clamped(srv, workspace):
    a = start(srv, workspace)
    assert hover(srv, a, 1, 10**9)["result"] is not None  # end of line 2: still that abstract
    assert hover(srv, a, 10**6, 3)["result"] is not None  # past the last line: the last line
    got = srv.request("textDocument/completion", {"textDocument": {"uri": a},
                                                  "position": {"line": 2**31 - 1, "character": 5}})
    assert "result" in got


def test_unknown_and_closed_documents(srv, workspace):
    a = start(srv, workspace)
    assert hover(srv, "file:///nowhere/at/all.txt", 1, 1)["result"] is None
    assert hover(srv, "untitled:Untitled-1", 0, 0)["result"] is None
    b = uri(workspace / TONY_B)  # never opened: served from the index of the disk
    assert "GPT-4o" in hover(srv, b, 2, 12)["result"]["contents"]["value"]
    srv.notify("textDocument/didClose", {"textDocument": {"uri": a}})
    assert hover(srv, a, 1, 12)["result"] is not None


def test_changes_that_do_not_fit(srv, workspace):
    a = start(srv, workspace)
    for change in ({"range": {"start": {"line": 50, "character": 0},
                              "end": {"line": 60, "character": 9}}, "text": "x"},
                   {"range": {"start": {"line": 1, "character": -4},
                              "end": {"line": 1, "character": 2}}, "text": "x"},
                   {"text": 42}):
        srv.notify("textDocument/didChange", {"textDocument": {"uri": a, "version": 1},
                                              "contentChanges": [change]})
    assert hover(srv, a, 1, 12)["result"] is not None


def test_garbage_and_unknown_methods(srv, workspace):
    a = start(srv, workspace)
    srv.send_bytes(b"{this is not json")
    srv.send_bytes(b'{"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": 7}')
    got = srv.request("paperls/noSuchMethod", {})
    assert got["error"]["code"] == -32601
    assert hover(srv, a, 1, 12)["result"] is not None


def test_requests_before_initialize_and_after_shutdown(srv, workspace):
    early = srv.request("textDocument/hover", {"textDocument": {"uri": "file:///x.txt"},
                                               "position": {"line": 0, "character": 0}})
    assert "error" in early or early.get("result") is None
    a = start(srv, workspace)
    assert srv.request("shutdown", None).get("result") is None
    late = hover(srv, a, 1, 12)
    assert late["error"]["code"] == -32600


def test_cancelling_every_kind_of_request_leaves_the_server_serving(srv, workspace):
    a = start(srv, workspace)
    doc = {"textDocument": {"uri": a}}
    pos = {**doc, "position": {"line": 1, "character": 3}}
    rng = {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}
    kinds = [
        ("textDocument/hover", pos), ("textDocument/definition", pos),
        ("textDocument/references", {**pos, "context": {"includeDeclaration": True}}),
        ("textDocument/completion", pos), ("textDocument/documentSymbol", doc),
        ("textDocument/documentLink", doc), ("textDocument/codeLens", doc),
        ("textDocument/semanticTokens/full", doc), ("textDocument/inlayHint", {**doc, "range": rng}),
        ("textDocument/formatting", {**doc, "options": {"tabSize": 4, "insertSpaces": True}}),
        ("textDocument/codeAction", {**doc, "range": rng, "context": {"diagnostics": []}}),
        ("workspace/symbol", {"query": "GPT"}), ("paperls/similar", pos),
        ("paperls/related", pos), ("paperls/status", {}),
    ]
    ids = range(1000, 1000 + 3 * len(kinds))
    for i, (method, params) in zip(ids, kinds * 3, strict=True):
        srv.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        srv.notify("$/cancelRequest", {"id": i})
    for i in ids:  # every cancelled request is answered: a result, or RequestCancelled
        got = srv.wait_response(i, timeout=20)
        assert "result" in got or got["error"]["code"] == -32800, got
    assert hover(srv, a, 1, 12)["result"] is not None
    for method, params in kinds:  # and each still answers when not cancelled
        got = srv.request(method, params)
        assert "result" in got, (method, got)


def test_stale_versions_leave_the_newest_text_in_force(srv, workspace):
    """A careless client repeats an old version number: the server indexes the text it was
    sent last, and its diagnostics carry that version, never an older text's findings."""
    a = start(srv, workspace)
    srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
             and m["params"]["uri"] == a and len(m["params"]["diagnostics"]) == 3, timeout=30)
    lines = example_text(TONY_A).splitlines()
    unique = "\n".join([lines[0], lines[3]]) + "\n"  # only an abstract B does not share
    for version, text in ((5, example_text(TONY_A)), (3, unique)):  # 3 is stale
        srv.notify("textDocument/didChange", {"textDocument": {"uri": a, "version": version},
                                              "contentChanges": [{"text": text}]})
    _, msg = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == a and m["params"]["version"] == 3, timeout=30)
    assert msg["params"]["diagnostics"] == []  # the last text sent has no shared paper
    assert hover(srv, a, 1, 12)["result"] is not None


def test_an_edit_after_a_unicode_line_separator_lands_on_the_line_the_editor_edited(
        srv, workspace):
    """U+2028 is no line break to an LSP client (nor to the format): the client's line 3 is
    the third abstract however many of them the first holds. The server applied such an edit
    to another line, so its findings and fixes were about a text the editor did not have."""
    start(srv, workspace)
    u = uri(workspace / "pasted.txt")
    second = "Abstract:We study graph colouring on sparse random graphs of bounded degree."
    third = "Abstract:We prove lower bounds for tree search in adversarial environments."
    srv.notify("textDocument/didOpen", {"textDocument": {
        "uri": u, "languageId": "plaintext", "version": 1,
        "text": f"Me\nAbstract:A first paper, pasted from a PDF\u2028with a line separator.\n"
                f"{second}\n{third}\n"}})
    # The editor turns its line 2 into a copy of line 3.
    srv.notify("textDocument/didChange", {"textDocument": {"uri": u, "version": 2},
                                          "contentChanges": [{"range": {
                                              "start": {"line": 2, "character": 0},
                                              "end": {"line": 2, "character": len(second)}},
                                              "text": third}]})
    _, msg = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == u and m["params"].get("version") == 2)
    dups = sorted(d["range"]["start"]["line"] for d in msg["params"]["diagnostics"]
                  if d.get("code") == "duplicate-in-list")
    assert dups == [2, 3], msg["params"]["diagnostics"]
