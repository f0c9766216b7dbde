"""Runs a command with stdin passed through, and records what an LSP client sent it.

    python lsp_tap.py LOG -- COMMAND ARGS...

The VS Code test's stand-in interpreters run the server through this, so that the test can count
what the client sent (one workspace/didChangeWatchedFiles per change on disk, not two) and see
which server a restart stopped and started. LOG gets a JSON line per event: `start` (pid, argv),
each message's sender and method (with the changes of didChangeWatchedFiles and the methods of
registerCapability, the text of logMessage), the size of each diagnostic report the server sent (pulled or pushed),
and `exit`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time


def main() -> int:
    log_path = sys.argv[1]
    argv = sys.argv[sys.argv.index("--") + 1:]
    log_lock = threading.Lock()

    def log(**event) -> None:
        event["t"] = time.time()
        with log_lock, open(log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(event) + "\n")

    child = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # stderr: ours
    log(event="start", pid=child.pid, tap=os.getpid(), argv=argv)

    def pump(read, write, sender: str) -> None:
        """Copies one direction and logs the method of each whole frame that passed."""
        buf = b""
        while True:
            chunk = read(65536)
            if not chunk:
                break
            try:
                write(chunk)
            except BrokenPipeError:
                break
            buf += chunk
            while True:
                head, sep, rest = buf.partition(b"\r\n\r\n")
                if not sep:
                    break
                length = next(int(h.split(b":")[1]) for h in head.split(b"\r\n")
                              if h.lower().startswith(b"content-length"))
                if len(rest) < length:
                    break
                msg = json.loads(rest[:length])
                buf = rest[length:]
                if "method" in msg:
                    extra = {}
                    if msg["method"] == "workspace/didChangeWatchedFiles":
                        extra["changes"] = msg["params"]["changes"]
                    if msg["method"] == "client/registerCapability":
                        extra["registrations"] = [r["method"] for r in
                                                  msg["params"]["registrations"]]
                    if msg["method"] == "window/logMessage":
                        extra["message"] = msg["params"]["message"][:200]
                    if msg["method"] == "textDocument/publishDiagnostics":
                        extra["uri"] = msg["params"]["uri"]
                        extra["items"] = len(msg["params"]["diagnostics"])
                    log(event="message", pid=child.pid, sender=sender, method=msg["method"],
                        **extra)
                elif isinstance(msg.get("result"), dict) and msg["result"].get("kind") in (
                        "full", "unchanged"):
                    # A pulled diagnostic report: how many findings the server gave.
                    log(event="diagnostics", pid=child.pid, sender=sender,
                        kind=msg["result"]["kind"], items=len(msg["result"].get("items", [])))
        if sender == "client":  # the client hung up: so does the server's stdin
            try:
                child.stdin.close()
            except BrokenPipeError:
                pass

    def to_child(chunk: bytes) -> None:
        child.stdin.write(chunk)
        child.stdin.flush()

    def to_client(chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            view = view[os.write(1, view):]

    # Raw fds: a buffered stdin would hold a lock at interpreter exit.
    client = threading.Thread(target=pump, args=(lambda n: os.read(0, n), to_child, "client"),
                              daemon=True)
    server = threading.Thread(target=pump, args=(child.stdout.read1, to_client, "server"),
                              daemon=True)
    client.start()
    server.start()
    code = child.wait()
    server.join(5)  # the server's last words reach the client before the tap exits
    log(event="exit", pid=child.pid, code=code)
    return code


if __name__ == "__main__":
    os._exit(main())  # not sys.exit: the pump thread may still be blocked reading stdin
