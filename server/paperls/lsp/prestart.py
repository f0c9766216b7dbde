"""Answer ``initialize`` before the protocol library has loaded (stdio only).

Importing pygls and lsprotocol takes most of a second (lsprotocol's types alone ~0.3 s), and a
client waits for the ``initialize`` answer before anything else. That answer is a function of
this build and of one thing the client sends: the position encodings it takes (pygls's builder
reads a few more capabilities, but with the features this server registers they change nothing
but whether ``willSave`` is said to be false). So the build ships its answer
(``initialize-answer.json``, written by ``scripts/initialize_answer.py`` from the server
itself; a test compares it with pygls's answer over every capability the builder reads), and
any ``initialize`` is answered from it with the standard library alone while the server loads,
if the installed pygls and lsprotocol are the ones it was made with. Otherwise the answer the
server gave this client last time is used (remembered in the cache folder, keyed by the build
and the client's capabilities), and failing that the start goes the ordinary way.

The request is then handed to the server as if it had just arrived, and the server's own
answer to it is not sent twice. If it differs from what was sent, a warning is logged; a
remembered answer is then replaced, while a differing shipped one means the JSON file is stale
(the test fails until it is written again). Nothing of a user's text is stored: only a digest
of the client's capabilities and the server's capabilities.
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
    # Unbuffered: what was read comes back whole, to be read again from the replay, and
    # the rest stays in the pipe for whoever reads next (``stdio`` on the event loop, or
    # pygls's thread through the replay).
    head, body, behind = _read_message(getattr(stdin, "raw", stdin))
    replay = Replay(head + body + behind, stdin)
    try:
        msg = json.loads(body) if body else None
    except ValueError:
        msg = None
    if not isinstance(msg, dict) or msg.get("method") != "initialize" or "id" not in msg:
        return replay, stdout
    params = msg.get("params")

    def memory() -> Path:
        return cache_dir / _ANSWERS / f"{_key(params)}.json"

    result = answer(params)
    shipped = result is not None
    if not shipped:
        try:
            result = json.loads(memory().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            result = None
    if result is not None:
        _write(stdout, {"jsonrpc": "2.0", "id": msg["id"], "result": result})
    return replay, Once(stdout, msg["id"], result, None if shipped else memory)


_SHIPPED = Path(__file__).with_name("initialize-answer.json")
_ENCODINGS = ("utf-8", "utf-16", "utf-32")  # what pygls (and so this server) can count in


def answer(params) -> dict | None:
    """The server's ``initialize`` result for these parameters, from the shipped answer; None
    when it does not apply (other protocol library versions, or parameters pygls would not
    take as an ``initialize``)."""
    if not isinstance(params, dict) or not isinstance(params.get("capabilities"), dict) \
            or "processId" not in params:
        return None
    try:
        shipped = json.loads(_SHIPPED.read_text(encoding="utf-8"))
        from importlib.metadata import version

        if shipped["made with"] != {"pygls": version("pygls"),
                                    "lsprotocol": version("lsprotocol")}:
            return None
        result = shipped["result"]
    except Exception:  # noqa: BLE001 - no shipped answer only means the ordinary start
        return None
    from .. import __version__

    caps = params["capabilities"]
    general = caps.get("general") if isinstance(caps.get("general"), dict) else {}
    wanted = general.get("positionEncodings")
    # pygls takes the client's first encoding it knows, and UTF-16 when there is none.
    result["capabilities"]["positionEncoding"] = next(
        (e for e in wanted if e in _ENCODINGS), "utf-16") if isinstance(wanted, list) \
        else "utf-16"
    doc = caps.get("textDocument") if isinstance(caps.get("textDocument"), dict) else {}
    sync = doc.get("synchronization") if isinstance(doc.get("synchronization"), dict) else {}
    for key in ("willSave", "willSaveWaitUntil"):
        # pygls answers `client's value and registered`: absent when the client says nothing,
        # false otherwise (this server registers neither).
        if sync.get(key) is not None:
            result["capabilities"]["textDocumentSync"][key] = False
    result["serverInfo"]["version"] = __version__
    return result


def server_answer(params: dict) -> dict:
    """What the server answers to an ``initialize`` with these parameters: pygls's own
    ``initialize`` (this server's handler included), in process, as JSON. What the shipped
    answer is made from (scripts/initialize_answer.py) and checked against (tests); it loads
    the whole server."""
    from lsprotocol import types

    from .server import server

    proto = server.protocol
    steps = proto.lsp_initialize(proto._converter.structure(params, types.InitializeParams))
    try:
        handler, args, _ = next(steps)  # the server's own initialize handler first
        handler(*args)
        steps.send(None)
    except StopIteration as done:
        return proto._converter.unstructure(done.value, types.InitializeResult)
    raise AssertionError("pygls's initialize asked for more than the server's handler")


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


CHUNK = 1 << 16


def _read_message(stdin: BinaryIO) -> tuple[bytes, bytes, bytes]:
    """The first LSP frame's header and body, and what was read past them (all empty at the
    end of input). Read in chunks (unbuffered, a chunk is what the pipe holds), so whatever
    comes behind the first message is returned, not left in a buffer nobody reads."""
    buf = bytearray()
    pos = scanned = 0
    length = None
    while True:
        nl = buf.find(b"\n", scanned)
        if nl < 0:
            scanned = len(buf)
            part = stdin.read(CHUNK)
            if not part:
                return bytes(buf), b"", b""
            buf += part
            continue
        line = bytes(buf[pos:nl + 1])
        pos = scanned = nl + 1
        if line.lower().startswith(b"content-length:"):
            try:
                length = int(line.split(b":", 1)[1])
            except ValueError:
                length = None
        if line in (b"\r\n", b"\n"):
            break
    while length and len(buf) - pos < length:
        part = stdin.read(max(CHUNK, length - (len(buf) - pos)))
        if not part:
            break
        buf += part
    end = pos + (length or 0)
    return bytes(buf[:pos]), bytes(buf[pos:end]), bytes(buf[end:])


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

    def unread(self) -> bytes:
        """The bytes read ahead not yet taken, taken now (the rest comes from ``fileno``)."""
        return self._first.read()

    def fileno(self) -> int:
        return self._rest.fileno()

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
    (and remembers the answer for next time when it was not the shipped one)."""

    def __init__(self, stdout: BinaryIO, init_id, sent: dict | None, memory) -> None:
        # memory: where the server's answer is remembered; None when the shipped one was sent
        self._stdout, self._id, self._sent, self._memory = stdout, init_id, sent, memory
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
                elif result is None and self._sent is not None:
                    log.warning("initialize was answered early, but the server refused it: %s",
                                msg.get("error"))
                if self._sent is not None:
                    return len(data)  # the client has it already
        n = self._stdout.write(data)
        return n if n is not None else len(data)

    def flush(self) -> None:
        self._stdout.flush()

    def close(self) -> None:
        self._stdout.close()

    def _remember(self, result: dict) -> None:
        if self._memory is None:  # only a stale shipped answer (or a bug) can get here
            log.warning("the shipped initialize answer differs from the server's: "
                        "initialize-answer.json is stale (scripts/initialize_answer.py)")
            return
        if self._sent is not None:
            log.warning("the initialize answer sent early differed from the server's; the "
                        "server's is remembered for the next start")
        try:
            path = self._memory()
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(result), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as err:  # a read-only cache only costs the next start its speed
            log.info("initialize answer not remembered: %s", err)
