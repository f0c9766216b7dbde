"""The ``initialize`` answer sent before the protocol library loads is the server's own, for
any client: checked against pygls's answer over every client capability its builder reads. When
it does not apply (other library versions), the answer the server gave last time is used."""

from __future__ import annotations

import io
import json
from itertools import product
from pathlib import Path

import pytest

from paperls.lsp import prestart


def clients():
    """Capabilities varied over each path pygls's ServerCapabilitiesBuilder reads."""
    encodings = [None, [], ["utf-8"], ["utf-32", "utf-16"], ["utf-7", "utf-32"], ["utf-7"],
                 ["utf-16", "utf-8"]]
    flags = [None, False, True]
    for enc, will, until, rename, notebook, files in product(
            encodings, flags, flags, flags, [False, True], [False, True]):
        caps: dict = {}
        if enc is not None:
            caps["general"] = {"positionEncodings": enc}
        sync = {k: v for k, v in (("willSave", will), ("willSaveWaitUntil", until))
                if v is not None}
        text: dict = {"synchronization": sync} if sync else {}
        if rename is not None:
            text["rename"] = {"prepareSupport": rename}
        if text:
            caps["textDocument"] = text
        if notebook:
            caps["notebookDocument"] = {"synchronization": {}}
        if files:
            caps["workspace"] = {"fileOperations": dict.fromkeys(
                ["willCreate", "didCreate", "willRename", "didRename", "willDelete",
                 "didDelete"], True), "workspaceFolders": True}
        yield caps


def test_the_shipped_answer_is_the_servers_own_for_every_client():
    seen = 0
    for caps in clients():
        params = {"processId": None, "rootUri": None, "capabilities": caps}
        assert prestart.answer(params) == prestart.server_answer(params), caps
        seen += 1
    assert seen > 500


def test_the_shipped_answer_is_not_used_with_other_library_versions(monkeypatch):
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0.1")
    assert prestart.answer({"processId": None, "capabilities": {}}) is None


@pytest.mark.parametrize("params", [None, [], {"capabilities": {}}, {"processId": 1},
                                    {"processId": 1, "capabilities": "all"}])
def test_a_request_pygls_would_refuse_is_not_answered_early(params):
    assert prestart.answer(params) is None


def frame(msg: dict) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body



def start(cache: Path, stdin: bytes) -> tuple[object, object, io.BytesIO]:
    out = io.BytesIO()
    import sys

    class Std:
        buffer = io.BytesIO(stdin)

    class Out:
        buffer = out

    was = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = Std, Out
    try:
        replay, once = prestart.start(cache)
    finally:
        sys.stdin, sys.stdout = was
    return replay, once, out


def test_without_a_shipped_answer_the_last_one_is_remembered_and_sent_once(tmp_path, monkeypatch):
    monkeypatch.setattr(prestart, "answer", lambda params: None)
    request = {"jsonrpc": "2.0", "id": 7, "method": "initialize",
               "params": {"processId": None, "capabilities": {"general": {}}}}
    server_says = {"capabilities": {"hoverProvider": True}, "serverInfo": {"name": "paperls"}}
    reply = frame({"jsonrpc": "2.0", "id": 7, "result": server_says})

    replay, once, out = start(tmp_path, frame(request))
    assert out.getvalue() == b""  # nothing known: the ordinary start
    assert replay.read() == frame(request)  # the server gets the request as sent
    once.write(reply)
    assert out.getvalue() == reply  # the server's answer goes through, and is remembered

    replay, once, out = start(tmp_path, frame(request))
    sent = out.getvalue()
    assert json.loads(sent.partition(b"\r\n\r\n")[2]) == {"jsonrpc": "2.0", "id": 7,
                                                         "result": server_says}
    assert replay.read() == frame(request)
    once.write(reply)  # the server's own answer to it is not sent again
    once.write(frame({"jsonrpc": "2.0", "method": "window/logMessage", "params": {}}))
    assert out.getvalue().count(b'"id": 7') + out.getvalue().count(b'"id":7') == 1
