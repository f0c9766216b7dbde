"""What the server publishes when its first index lands, through ``paperls serve``: the open
list's findings first, then every other list's, none lost while it gives the loop back to
requests in between."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from e2e.conftest import uri
from lspclient import RawServer

LISTS = 30


def _abstract(rng: random.Random, words: list[str]) -> str:
    return "Abstract:We study " + " ".join(rng.choice(words) for _ in range(70)) + "."


def _workspace(root: Path) -> None:
    """``LISTS`` lists in a chain: list i shares one abstract with list i+1 (distinct
    abstracts, more of them than are headlined on the loop)."""
    rng = random.Random(5)
    words = ["".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(3))
             for _ in range(600)]
    shared = [_abstract(rng, words) for _ in range(LISTS + 1)]
    for i in range(LISTS):
        own = _abstract(rng, words)
        (root / f"list-{i:02d}.txt").write_text(
            f"Curator {i}\n{shared[i]}\n{own}\n{shared[i + 1]}\n", encoding="utf-8")


def test_the_open_list_is_published_first_and_every_list_after(tmp_path):
    root = tmp_path / "lists"
    root.mkdir()
    _workspace(root)
    last = root / f"list-{LISTS - 1:02d}.txt"  # published last in name order
    srv = RawServer(env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    try:
        srv.request("initialize", {"processId": None, "rootUri": uri(root), "capabilities": {},
                                   "workspaceFolders": [{"uri": uri(root), "name": "lists"}]})
        srv.notify("initialized", {})
        srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(last), "languageId": "plaintext", "version": 1,
            "text": last.read_text(encoding="utf-8")}})
        order: list[str] = []
        titles: dict[tuple[str, int], str] = {}
        end = time.monotonic() + 60
        while len(set(order)) < LISTS:
            assert time.monotonic() < end, f"published with findings: {sorted(set(order))}"
            _, m = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and any(d.get("code") == "duplicate-across-lists"
                                    for d in m["params"]["diagnostics"]), timeout=60)
            order.append(m["params"]["uri"])
            for d in m["params"]["diagnostics"]:
                name = m["params"]["uri"].rsplit("/", 1)[1]
                titles[name, d["range"]["start"]["line"] + 1] = d["message"].split(": also")[0]
        assert order[0] == uri(last)
        assert set(order) == {uri(p) for p in root.glob("*.txt")}
        # Each finding names its paper as the command line does (which makes every headline
        # itself): the headlines the server had the topic worker make are the same.
        check = subprocess.run([sys.executable, "-m", "paperls", "check", "--format", "json",
                                "--no-cache", "."], cwd=root, capture_output=True, text=True)
        expected = {(f["path"].rsplit("/", 1)[-1], f["line"]): f["title"]
                    for f in json.loads(check.stdout)}
        assert titles == expected
    finally:
        srv.request("shutdown", None)
        srv.notify("exit", None)
        srv.proc.wait(10)
