"""A bare JSON-RPC client over a ``paperls serve`` subprocess, shared by the benchmarks (which
time arrivals) and the tests (which send what no polite client sends: wrong parameter types,
negative positions, garbage, cancellations)."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from typing import Any

SERVE = [sys.executable, "-m", "paperls", "serve"]


class RawServer:
    """Messages from the server arrive with their arrival time; ``wait`` takes the first that
    matches (earlier non-matching ones are kept, not lost). Requests from the server (register
    capability, refreshes, configuration) are accepted with a null result and recorded."""

    def __init__(self, argv: list[str] | None = None, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(argv or SERVE, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.inbox: queue.Queue[tuple[float, dict]] = queue.Queue()
        self.backlog: list[tuple[float, dict]] = []  # received, not yet waited for
        self.server_requests: list[dict] = []
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
            self.inbox.put((time.perf_counter(), json.loads(out.read(length))))

    def send_bytes(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, msg: dict) -> None:
        self.send_bytes(json.dumps(msg).encode())

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def send_request(self, method: str, params: Any) -> int:
        """Send a request without waiting; ``wait_response`` collects its answer."""
        self._next += 1
        self.send({"jsonrpc": "2.0", "id": self._next, "method": method, "params": params})
        return self._next

    def wait(self, pred, timeout: float = 60) -> tuple[float, dict]:
        for i, (t, msg) in enumerate(self.backlog):
            if pred(msg):
                del self.backlog[i]
                return t, msg
        end = time.perf_counter() + timeout
        while True:
            t, msg = self.inbox.get(timeout=max(0.01, end - time.perf_counter()))
            if self._accepted(msg):
                continue
            if pred(msg):
                return t, msg
            self.backlog.append((t, msg))

    def _accepted(self, msg: dict) -> bool:
        """Accept a request from the server (with a null result); whether ``msg`` was one."""
        if "method" in msg and "id" in msg:
            self.server_requests.append(msg)
            self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            return True
        return False

    def wait_response(self, mid: int, timeout: float = 60) -> dict:
        return self.wait(lambda m: m.get("id") == mid and "method" not in m, timeout)[1]

    def request(self, method: str, params: Any, timeout: float = 10) -> dict:
        """The whole response message (``result`` or ``error``)."""
        return self.wait_response(self.send_request(method, params), timeout)

    def timed_request(self, method: str, params: Any, timeout: float = 60) -> tuple[float, Any]:
        """(seconds from sending to the answer's arrival, result)."""
        t0 = time.perf_counter()
        mid = self.send_request(method, params)
        t, msg = self.wait(lambda m: m.get("id") == mid and "method" not in m, timeout)
        return t - t0, msg.get("result")

    @property
    def notifications(self) -> list[dict]:
        """Notifications received so far and not yet waited for."""
        self._pump()
        return [m for _, m in self.backlog if "method" in m and "id" not in m]

    def _pump(self, quiet: float | None = None) -> None:
        """Move received messages to the backlog: those already there (``quiet`` None), or
        until the server has been silent for ``quiet`` seconds."""
        while True:
            try:
                t, msg = self.inbox.get_nowait() if quiet is None \
                    else self.inbox.get(timeout=quiet)
            except queue.Empty:
                return
            if not self._accepted(msg):
                self.backlog.append((t, msg))

    def drain(self, quiet: float = 1.0) -> None:
        """Collect messages until the server has been silent for ``quiet`` seconds."""
        self._pump(quiet)

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self.proc.wait(5)
        except Exception:
            self.proc.kill()
            self.proc.wait(5)
