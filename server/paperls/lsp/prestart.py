"""Answer ``initialize`` before the protocol library has loaded (stdio only).

Importing pygls and lsprotocol takes most of a second (lsprotocol's types alone ~0.4 s), and a
client waits for the ``initialize`` answer before anything else. That answer is a pure function
of this build and of what the client sent (its capabilities and initialization options), so
the server remembers it: a client that starts paperls again with the same request gets the
remembered answer at once, from the standard library alone, while the server loads. The
request is then handed to the server as if it had just arrived, and the server's own answer to
it, equal to the one sent, is not sent twice (if it differs, the memory is replaced and a
warning logged: the client has what the build answered last time, which only a changed build
can make different, and the key includes the build).

The first start of a build for a client, or any request that is not a plain ``initialize``,
goes the ordinary way. Nothing of a user's text is stored: only the client's capabilities'
digest and the server's capabilities.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import sys
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

_ANSWERS = "initialize-answers"  # folder in the cache folder


def start(cache_dir: Path) -> tuple[BinaryIO, BinaryIO]:
    """Read the first message from stdin; answer it from memory if it is a remembered
    ``initialize``. Returns the stdin and stdout the server should use."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    head, body = _read_message(stdin)
    replay = Replay(head + body, stdin)
    try:
        msg = json.loads(body) if body else None
    except ValueError:
        msg = None
    if not isinstance(msg, dict) or msg.get("method") != "initialize" or "id" not in msg:
        return replay, stdout
    path = cache_dir / _ANSWERS / f"{_key(msg.get('params'))}.json"
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        result = None
    if result is not None:
        _write(stdout, {"jsonrpc": "2.0", "id": msg["id"], "result": result})
    return replay, Once(stdout, msg["id"], result, path)


def _key(params) -> str:
    """The build and what of the request decides the answer."""
    from .. import __version__

    p = params if isinstance(params, dict) else {}
    # The build is this package's files as they are (a development checkout changes without a
    # new version number), and the protocol libraries' versions.
    here = Path(__file__).resolve().parents[1]
    files = sorted((str(f.relative_to(here)), f.stat().st_size, f.stat().st_mtime_ns)
                   for f in here.rglob("*.py"))
    what = {"paperls": __version__, "files": files, "python": sys.version_info[:2],
            "capabilities": p.get("capabilities"),
            "initializationOptions": p.get("initializationOptions")}
    try:
        from importlib.metadata import version
        what["pygls"], what["lsprotocol"] = version("pygls"), version("lsprotocol")
    except Exception:  # noqa: BLE001 - an unknown version only means no memory
        return "unknown"
    return hashlib.blake2b(json.dumps(what, sort_keys=True).encode(), digest_size=12).hexdigest()


def _read_message(stdin: BinaryIO) -> tuple[bytes, bytes]:
    """One LSP frame's header and body (both empty at end of input)."""
    head = b""
    length = None
    while True:
        line = stdin.readline()
        if not line:
            return head, b""
        head += line
        if line.lower().startswith(b"content-length:"):
            try:
                length = int(line.split(b":", 1)[1])
            except ValueError:
                length = None
        if line in (b"\r\n", b"\n"):
            break
    return head, stdin.read(length) if length else b""


def _write(stdout: BinaryIO, msg: dict) -> None:
    body = json.dumps(msg, separators=(",", ":")).encode("utf-8")
    stdout.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    stdout.flush()


class Replay(io.RawIOBase):
    """stdin with the bytes already read in front of it."""

    def __init__(self, first: bytes, rest: BinaryIO) -> None:
        self._first = io.BytesIO(first)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readline(self, size: int = -1) -> bytes:
        got = self._first.readline(size)
        return got if got else self._rest.readline(size)

    def read(self, size: int = -1) -> bytes:
        got = self._first.read(size)
        if size is None or size < 0:
            return got + self._rest.read()
        if len(got) < size:
            got += self._rest.read(size - len(got))
        return got


class Once:
    """stdout that holds back the server's own answer to the ``initialize`` already answered
    (and remembers the answer for next time)."""

    def __init__(self, stdout: BinaryIO, init_id, sent: dict | None, path: Path) -> None:
        self._stdout, self._id, self._sent, self._path = stdout, init_id, sent, path
        self._waiting = True

    def write(self, data: bytes) -> int:
        if self._waiting:
            _, sep, body = data.partition(b"\r\n\r\n")
            try:
                msg = json.loads(body if sep else data)
            except ValueError:
                msg = None
            if isinstance(msg, dict) and msg.get("id") == self._id and "method" not in msg:
                self._waiting = False
                result = msg.get("result")
                if result is not None and result != self._sent:
                    self._remember(result)
                if self._sent is not None:
                    return len(data)  # the client has it already
        n = self._stdout.write(data)
        return n if n is not None else len(data)

    def flush(self) -> None:
        self._stdout.flush()

    def close(self) -> None:
        self._stdout.close()

    def _remember(self, result: dict) -> None:
        if self._sent is not None:
            log.warning("the remembered initialize answer differed from the server's; replaced")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(result), encoding="utf-8")
            os.replace(tmp, self._path)
        except OSError as err:  # a read-only cache only costs the next start its speed
            log.info("initialize answer not remembered: %s", err)
