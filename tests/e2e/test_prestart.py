"""A start answers ``initialize`` before the protocol library loads, once, with the server's own
answer; the server then works as after an ordinary start. Driven over raw stdio, as an editor
does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import TONY_A, example_text


def frame(msg: dict) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read(stdout) -> dict | None:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        c = stdout.read(1)
        if not c:
            return None
        head += c
    n = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
            .split(b":")[1])
    return json.loads(stdout.read(n))


def session(cache: Path, folder: Path, **env) -> tuple[dict, list[dict]]:
    """initialize, open a list, wait for its diagnostics, shut down: (the initialize answer,
    every message the server sent)."""
    p = subprocess.Popen([sys.executable, "-m", "paperls", "serve"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, env={**os.environ, "XDG_CACHE_HOME": str(cache),
                                                      **env})
    doc = (folder / "a.txt").as_uri()
    text = (folder / "a.txt").read_text(encoding="utf-8")
    send = [{"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"processId": None, "rootUri": folder.as_uri(),
                        "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}}]
    p.stdin.write(frame(send[0]))
    p.stdin.flush()
    got = [read(p.stdout)]
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": doc, "languageId": "plaintext", "version": 1, "text": text}}}))
    p.stdin.flush()
    while True:
        m = read(p.stdout)
        assert m is not None, "the server ended before publishing diagnostics"
        got.append(m)
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == doc \
                and m["params"]["diagnostics"]:
            break
    p.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    p.stdin.flush()
    while (m := read(p.stdout)) is not None:
        got.append(m)
        if m.get("id") == 2:
            break
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    p.stdin.flush()
    assert p.wait(30) == 0
    return got[0], got


def test_initialize_is_answered_early_once_with_the_servers_own_answer(tmp_path):
    folder = tmp_path / "lists"
    folder.mkdir()
    a = example_text(TONY_A)
    (folder / "a.txt").write_text(a + "\n" + a.splitlines()[1] + "\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first, messages = session(cache, folder)  # a first start: nothing remembered
    assert sum(1 for m in messages if m.get("id") == 1) == 1  # not sent twice
    assert first["result"]["capabilities"]["positionEncoding"] == "utf-16"
    # the shipped answer applied: nothing needed remembering
    assert not list(cache.glob("paperls/initialize-answers/*.json"))
    plain, _ = session(cache, folder, PAPERLS_PRESTART="0")  # the server answering itself
    assert plain == first
