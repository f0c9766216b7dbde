"""A seeded fuzzer against the running server, and a typing storm.

The fuzzer drives ``paperls serve`` over stdio with random opens, edits (random ranges, random
Unicode, inserted and deleted lines), closes and requests at random positions, for a bounded
number of steps, and checks that every request is answered, none with an internal error, and
that the server never dies. CI runs a fixed seed; the seed is printed; ``PAPERLS_FUZZ_SEED=N``
replays a run, ``PAPERLS_FUZZ_SEED=random`` tries a new one, ``PAPERLS_FUZZ_STEPS`` makes it
longer (e.g. ``for s in 1 2 3; do PAPERLS_FUZZ_SEED=$s PAPERLS_FUZZ_STEPS=4000 pytest
tests/e2e/test_fuzz.py; done``).

The storm types thousands of small edits into a list with hover and completion in between: the
final diagnostics must equal those of a fresh index of the final text, and the server's memory
must stop growing.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from conftest import TONY_A, TONY_B, example_text
from e2e.conftest import uri
from lspclient import RawServer
from paperls.core.parse import parse
from paperls.core.workspace import Workspace
from paperls.features.diagnostics import document_diagnostics

CHARS = "abcdefghijklmnop qrstuvwxyz ABC.,:;()$\\%{}_^\n\r\t🧬𝔼é↔\u2028\x00\ufeff-–"
REQUESTS = ["textDocument/hover", "textDocument/definition", "textDocument/references",
            "textDocument/completion"]


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _init(srv: RawServer, root: Path) -> None:
    srv.request("initialize", {"processId": None, "rootUri": uri(root), "capabilities": {
        "general": {"positionEncodings": ["utf-16"]}}})
    srv.notify("initialized", {})


FIXED_SEED = 20261201


def test_fuzz_the_running_server(workspace):
    # A fixed seed by default, so a CI failure replays; PAPERLS_FUZZ_SEED=random explores.
    wanted = os.environ.get("PAPERLS_FUZZ_SEED", str(FIXED_SEED))
    seed = random.randrange(1 << 30) if wanted == "random" else int(wanted)
    steps = int(os.environ.get("PAPERLS_FUZZ_STEPS", 400))
    print(f"fuzz seed {seed} ({steps} steps): PAPERLS_FUZZ_SEED={seed} replays it")
    rng = random.Random(seed)
    docs = {uri(workspace / n): example_text(n) for n in (TONY_A, TONY_B)}
    docs.update({uri(workspace / f"fuzz{i}.txt"): "Me\n" for i in range(2)})
    srv = RawServer()
    answered = 0
    try:
        _init(srv, workspace)
        opened: dict[str, list] = {}
        for step in range(steps):
            op = rng.random()
            u = rng.choice(list(docs))
            if u not in opened or op < 0.1:
                opened[u] = [1, docs[u]]
                srv.notify("textDocument/didOpen", {"textDocument": {
                    "uri": u, "languageId": "plaintext", "version": 1, "text": docs[u]}})
            elif op < 0.5:
                version, text = opened[u]
                lines = text.split("\n")
                ln = rng.randrange(len(lines) + 2)
                ch = rng.randrange(200)
                ln2, ch2 = ln + rng.choice([0, 0, 1]), ch + rng.randrange(50)
                new = "".join(rng.choice(CHARS) for _ in range(rng.randrange(30)))
                if rng.random() < 0.3:
                    new = "\nAbstract:" + rng.choice(example_text(TONY_B).splitlines()[1:])[:300]
                opened[u] = [version + 1, text]
                srv.notify("textDocument/didChange", {
                    "textDocument": {"uri": u, "version": version + 1},
                    "contentChanges": [{"range": {"start": {"line": ln, "character": ch},
                                                  "end": {"line": ln2, "character": ch2}},
                                        "text": new}]})
            elif op < 0.55:
                srv.notify("textDocument/didClose", {"textDocument": {"uri": u}})
                opened.pop(u, None)
            else:
                method = rng.choice(REQUESTS)
                params = {"textDocument": {"uri": u},
                          "position": {"line": rng.randrange(15), "character": rng.randrange(2000)}}
                if method.endswith("references"):
                    params["context"] = {"includeDeclaration": rng.random() < 0.5}
                got = srv.request(method, params, timeout=20)
                assert "result" in got or got["error"]["code"] != -32603, (seed, step, got)
                answered += 1
            assert srv.proc.poll() is None, f"server died at step {step} (seed {seed})"
        got = srv.request("textDocument/hover", {"textDocument": {"uri": uri(workspace / TONY_B)},
                                                 "position": {"line": 2, "character": 12}})
        assert "result" in got
    finally:
        srv.close()
    assert answered > steps // 4


def test_typing_storm_ends_where_a_fresh_index_would(workspace):
    rng = random.Random(5)
    a = uri(workspace / TONY_A)
    text = example_text(TONY_A)
    srv = RawServer()
    try:
        _init(srv, workspace)
        srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": a, "languageId": "plaintext", "version": 1, "text": text}})
        extra = example_text(TONY_B).splitlines()[1:]
        rss = []
        version = 1
        for i in range(3000):
            lines = text.split("\n")
            ln = rng.randrange(1, len(lines))
            if i % 200 == 199:  # now and then a whole abstract pasted or deleted
                if rng.random() < 0.5 and len(lines) > 3:
                    start, end, new = (ln, 0), (ln + 1, 0), ""
                else:
                    start, end, new = (ln, 0), (ln, 0), rng.choice(extra) + "\n"
            else:  # typing: a character inserted or removed inside a line
                ch = rng.randrange(len(lines[ln]) + 1)
                if rng.random() < 0.7 or ch == 0:
                    start, end, new = (ln, ch), (ln, ch), rng.choice("abcde ,.")
                else:
                    start, end, new = (ln, ch - 1), (ln, ch), ""
            offsets = [0]
            for x in lines:
                offsets.append(offsets[-1] + len(x) + 1)
            s = offsets[start[0]] + start[1]
            e = offsets[end[0]] + end[1]
            text = text[:s] + new + text[e:]
            version += 1
            srv.notify("textDocument/didChange", {
                "textDocument": {"uri": a, "version": version},
                "contentChanges": [{"range": {
                    "start": {"line": start[0], "character": start[1]},
                    "end": {"line": end[0], "character": end[1]}}, "text": new}]})
            if i % 50 == 0:
                srv.request("textDocument/hover", {"textDocument": {"uri": a},
                                                   "position": {"line": ln, "character": 5}})
                srv.request("textDocument/completion", {"textDocument": {"uri": a},
                                                        "position": {"line": ln, "character": 12}})
            if i % 500 == 499:
                rss.append(_rss_kb(srv.proc.pid))
        # The last publication for this document must be what a fresh index says.
        final = srv.request("textDocument/hover", {"textDocument": {"uri": a},
                                                   "position": {"line": 0, "character": 0}})
        assert "result" in final
        srv.drain(quiet=1.5)  # past the debounce: the last publication is the final state
        last = [m["params"] for m in srv.notifications
                if m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == a][-1]
        got = sorted((d["range"]["start"]["line"], d["code"]) for d in last["diagnostics"]) \
            if last else None
        ws = Workspace()
        ws.bulk_load([(a, parse(text)), (uri(workspace / TONY_B), parse(example_text(TONY_B)))])
        want = sorted((d.line, d.code) for d in document_diagnostics(ws, a))
        assert got == want
        # Memory levels off: the last thousand edits add little to what the first ones took.
        print(f"storm: RSS after every 500 edits (kB): {rss}")
        assert rss[-1] - rss[1] < 40_000, rss
    finally:
        srv.close()
