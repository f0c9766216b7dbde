"""A bare JSON-RPC client over a ``paperls serve`` subprocess, for messages no polite client
sends (wrong parameter types, negative positions, garbage)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from typing import Any


class RawServer:
    def __init__(self, root_uri: str | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "paperls", "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.notifications: list[dict] = []  # from the server, kept while waiting for replies
        self._next = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line in (b"\r\n", b"\n"):
                    break
            self.inbox.put(json.loads(out.read(length)))

    def send_bytes(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, msg: dict) -> None:
        self.send_bytes(json.dumps(msg).encode())

    def request(self, method: str, params: Any, timeout: float = 10) -> dict:
        self._next += 1
        mid = self._next
        self.send({"jsonrpc": "2.0", "id": mid, "method": method, "params": params})
        while True:
            msg = self.inbox.get(timeout=timeout)
            if msg.get("id") == mid and "method" not in msg:
                return msg
            if "method" in msg and "id" in msg:  # a request from the server: accept it
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            elif "method" in msg:
                self.notifications.append(msg)

    def drain(self, quiet: float = 1.0) -> None:
        """Collect notifications until the server has been silent for ``quiet`` seconds."""
        while True:
            try:
                msg = self.inbox.get(timeout=quiet)
            except queue.Empty:
                return
            if "method" in msg and "id" not in msg:
                self.notifications.append(msg)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(5)
        except Exception:
            self.proc.kill()
            self.proc.wait(5)
