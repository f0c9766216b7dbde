"""How ``paperls serve`` reads stdio: messages however they arrive (many in one write, right
behind ``initialize``; a header line of megabytes; input that ends inside a message), from a
pipe (read on the event loop) and from a file (pygls's thread), with and without the early
``initialize`` answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TONY_A, example_text


def frame(msg: dict) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def messages(out: bytes) -> list[dict]:
    got = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        n = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
                .split(b":")[1])
        got.append(json.loads(rest[:n]))
        out = rest[n:]
    return got


def serve(tmp_path: Path, data: bytes, from_file: bool = False, **env: str):
    """Run the server on ``data`` as its whole input: (exit code, the messages it sent)."""
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), **env}
    argv = [sys.executable, "-m", "paperls", "serve"]
    if from_file:
        src = tmp_path / "input.bin"
        src.write_bytes(data)
        with src.open("rb") as f:
            p = subprocess.run(argv, stdin=f, capture_output=True, env=env, timeout=120)
    else:
        p = subprocess.run(argv, input=data, capture_output=True, env=env, timeout=120)
    return p.returncode, messages(p.stdout)


def session(folder: Path) -> bytes:
    """A whole session, every message in one write: initialize, initialized, a status, an
    opened list, a hover, shutdown and exit."""
    doc = (folder / "a.txt").as_uri()
    return b"".join(frame(m) for m in [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 3, "method": "paperls/status", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": doc, "languageId": "plaintext", "version": 1,
            "text": (folder / "a.txt").read_text(encoding="utf-8")}}},
        {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": doc}, "position": {"line": 1, "character": 12}}},
        {"jsonrpc": "2.0", "id": 4, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "lists"
    f.mkdir()
    (f / "a.txt").write_text(example_text(TONY_A), encoding="utf-8")
    return f


def answers(got: list[dict]) -> dict:
    return {m["id"]: m for m in got if "id" in m and "method" not in m}


@pytest.mark.parametrize("from_file", [False, True], ids=["pipe", "file"])
@pytest.mark.parametrize("prestart", ["1", "0"], ids=["early-answer", "plain"])
def test_a_session_sent_in_one_write_is_answered_whole(tmp_path, folder, from_file, prestart):
    code, got = serve(tmp_path, session(folder), from_file, PAPERLS_PRESTART=prestart)
    by_id = answers(got)
    assert sorted(by_id) == [1, 2, 3, 4], got  # nothing read ahead of the first is lost
    assert "capabilities" in by_id[1]["result"]
    assert "error" not in by_id[2]
    # asked right behind `initialized`: the first scan is under way, not done
    assert by_id[3]["result"]["indexing"] is True
    assert code == 0  # exit after shutdown


def test_a_header_line_of_megabytes_is_skipped_and_the_session_goes_on(tmp_path, folder):
    junk = b"X-Junk: " + b"x" * (3 << 20) + b"\r\n"
    data = session(folder)
    first_end = data.index(b"Content-Length", 1)  # the initialize frame, then the rest
    code, got = serve(tmp_path, data[:first_end] + junk + data[first_end:])
    assert sorted(answers(got)) == [1, 2, 3, 4]
    assert code == 0


@pytest.mark.parametrize("from_file", [False, True], ids=["pipe", "file"])
def test_input_that_ends_inside_a_message_ends_the_server_quietly(tmp_path, folder, from_file):
    data = session(folder)
    first_end = data.index(b"Content-Length", 1)
    cut = data[:first_end] + b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\""
    code, got = serve(tmp_path, cut, from_file)
    assert sorted(answers(got)) == [1]
    assert code == 0  # the end of input, not a crash
