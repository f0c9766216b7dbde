"""The state faults, each through ``paperls serve``: a workspace reached through a symlink,
changes on disk while the initial index runs, overlapping index runs and their cache writes,
topics of lines that moved, and a topic worker outliving a killed server."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from conftest import TONY_A, TONY_B, example_text
from e2e.conftest import uri
from lspclient import RawServer


def _start(root: Path, **env: str) -> RawServer:
    srv = RawServer(env={**os.environ, **env})
    init = srv.request("initialize", {"processId": None, "rootUri": uri(root), "capabilities": {},
                                      "workspaceFolders": [{"uri": uri(root), "name": "lists"}]})
    assert "capabilities" in init["result"]
    srv.notify("initialized", {})
    return srv


def _open(srv: RawServer, u: str, text: str, version: int = 1) -> None:
    srv.notify("textDocument/didOpen", {"textDocument": {
        "uri": u, "languageId": "plaintext", "version": version, "text": text}})


def _diagnostics(srv: RawServer, u: str, pred=lambda d: True, timeout: float = 30) -> list:
    _, msg = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == u and pred(m["params"]["diagnostics"]), timeout)
    return msg["params"]["diagnostics"]


def _wait_indexed(srv: RawServer, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while srv.request("paperls/status", {})["result"]["indexing"]:
        assert time.monotonic() < end, "the index never landed"
        time.sleep(0.05)


@pytest.fixture
def linked(workspace: Path, tmp_path: Path) -> Path:
    link = tmp_path / "linked-lists"
    link.symlink_to(workspace, target_is_directory=True)
    return link


@pytest.mark.parametrize("root_form", ["link", "real"])
def test_a_workspace_reached_through_a_symlink_has_no_self_duplicates(linked, workspace,
                                                                      root_form):
    """The folder is named in one form (the link, or where it leads) and the list opened in
    the other, as editors and shells that resolve links do: one list, not two copies."""
    root, other = (linked, workspace) if root_form == "link" else (workspace, linked)
    srv = _start(root)
    try:
        _wait_indexed(srv)
        a = uri(other / TONY_A)
        _open(srv, a, example_text(TONY_A))
        diags = _diagnostics(srv, a)
        assert sorted(d["range"]["start"]["line"] for d in diags) == [1, 7, 10]
        for d in diags:  # each names the other list, under the folder the client named
            assert d["code"] == "duplicate-across-lists"
            assert [r["location"]["uri"] for r in d["relatedInformation"]] == [uri(root / TONY_B)]
        got = srv.request("textDocument/definition", {"textDocument": {"uri": a},
                                                      "position": {"line": 1, "character": 12}})
        assert [x["uri"] for x in got["result"]] == [uri(root / TONY_B)]
        b = uri(root / TONY_B)  # and B's copies point at A as the client opened it
        got = srv.request("textDocument/definition", {"textDocument": {"uri": b},
                                                      "position": {"line": 2, "character": 12}})
        assert [x["uri"] for x in got["result"]] == [a]
        assert srv.request("paperls/status", {})["result"]["lists"] == 2
    finally:
        srv.close()


def test_files_changed_while_the_initial_index_runs_are_not_lost(workspace):
    srv = _start(workspace, PAPERLS_TEST_SCAN_PAUSE="1.5")
    try:
        assert srv.request("paperls/status", {})["result"]["indexing"]
        # While the scan runs (it has read the disk already): a new list with a copy of the
        # GPT-4o abstract appears, and list B is deleted.
        gpt = example_text(TONY_A).splitlines()[1]
        (workspace / "new.txt").write_text("Newcomer\n" + gpt + "\n", encoding="utf-8")
        (workspace / TONY_B).unlink()
        srv.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": uri(workspace / "new.txt"), "type": 1},
            {"uri": uri(workspace / TONY_B), "type": 3}]})
        _wait_indexed(srv)
        a = uri(workspace / TONY_A)
        got = srv.request("textDocument/definition", {"textDocument": {"uri": a},
                                                      "position": {"line": 1, "character": 12}})
        assert [x["uri"] for x in got["result"]] == [uri(workspace / "new.txt")]
        status = srv.request("paperls/status", {})["result"]
        assert status["lists"] == 2 and status["abstracts"] == 11
    finally:
        srv.close()


def test_overlapping_index_runs_stay_indexing_until_the_last_lands(workspace):
    srv = _start(workspace, PAPERLS_TEST_SCAN_PAUSE="1.0")
    try:
        time.sleep(0.4)
        rid = srv.send_request("workspace/executeCommand",
                               {"command": "paperls.server.reindex", "arguments": []})
        seen = []
        while True:  # until the second run's answer: the status must say "indexing" throughout
            seen.append(srv.request("paperls/status", {})["result"]["indexing"])
            if any(m.get("id") == rid for _, m in srv.backlog):
                break
            time.sleep(0.05)
        assert len(seen) > 10 and all(seen[:-1]), seen
        _wait_indexed(srv)
        assert srv.request("paperls/status", {})["result"]["abstracts"] == 17
    finally:
        srv.close()


def test_concurrent_cache_writers_each_publish_a_whole_cache(tmp_path):
    from paperls.host import loader
    from paperls.host.cache import IndexCache
    from paperls.host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

    root = tmp_path / "lists"
    root.mkdir()
    for name in (TONY_A, TONY_B):
        (root / name).write_text(example_text(name), encoding="utf-8")
    errors: list[BaseException] = []

    def run() -> None:  # a server and a `paperls check` on the same folder, say
        try:
            for _ in range(5):
                IndexCache(tmp_path / "cache", [root]).clear()
                loader.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, 0.8, lambda m: None,
                            cache_dir=tmp_path / "cache")
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    entries, _ = IndexCache(tmp_path / "cache", [root]).load()
    assert len(entries) == 2
    assert not list((tmp_path / "cache").glob("*.tmp"))


def test_topics_stay_with_their_abstract_when_lines_move(workspace):
    """Topics come back from the worker while an edit moves every line down: each abstract
    keeps its own topics (workspace symbols name a paper and point at its line)."""
    lines = [f"Abstract: Study {i} of quantum{i} annealing{i} schedules for lattice{i} "
             f"protein{i} folding with sparse{i} solvers." for i in range(60)]
    big = uri(workspace / "big.txt")
    srv = _start(workspace)
    try:
        _wait_indexed(srv)
        _open(srv, big, "Curator\n" + "\n".join(lines) + "\n")  # > 20 new texts: the worker
        moved = "Curator\n" + "\n".join(["Abstract: An inserted paper on nothing."] * 7 + lines)
        srv.notify("textDocument/didChange", {"textDocument": {"uri": big, "version": 2},
                                              "contentChanges": [{"text": moved + "\n"}]})
        end = time.monotonic() + 30
        while True:
            got = srv.request("workspace/symbol", {"query": "quantum42"})["result"]
            hits = [s for s in got if "quantum42" in s["name"]]
            if hits or time.monotonic() > end:
                break
            time.sleep(0.1)
        assert hits, "the worker's topics never arrived"
        assert {s["location"]["range"]["start"]["line"] for s in hits} == {1 + 7 + 42}
    finally:
        srv.close()


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_the_topic_worker_ends_when_its_server_is_killed(workspace):
    srv = _start(workspace)
    end = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < end:
        workers = [c for c in _children(srv.proc.pid)
                   if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        time.sleep(0.1)
    assert workers, "no topic worker started"
    srv.proc.send_signal(signal.SIGKILL)  # an editor crash, the OOM killer
    srv.proc.wait(10)
    end = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "the topic worker outlived its server"


def test_nothing_stale_shows_while_the_initial_index_runs(workspace):
    """While the scan runs, hover says it is under way (not "no other copy"), and a lens waits
    for it; when it lands, clients that can are asked to refresh lenses, hints and tokens."""
    srv = RawServer(env={**os.environ, "PAPERLS_TEST_SCAN_PAUSE": "1.5"})
    try:
        caps = {"workspace": {"codeLens": {"refreshSupport": True},
                              "inlayHint": {"refreshSupport": True},
                              "semanticTokens": {"refreshSupport": True}}}
        srv.request("initialize", {"processId": None, "rootUri": uri(workspace),
                                   "capabilities": caps})
        srv.notify("initialized", {})
        a = uri(workspace / TONY_A)
        _open(srv, a, example_text(TONY_A))
        hover = srv.request("textDocument/hover", {"textDocument": {"uri": a},
                                                   "position": {"line": 1, "character": 12}})
        assert srv.request("paperls/status", {})["result"]["indexing"]
        text = hover["result"]["contents"]["value"]
        assert "Indexing the workspace" in text and "No other copy" not in text
        # A lens asked for now waits for the scan (a few seconds at most), then has the counts.
        lenses = srv.request("textDocument/codeLens", {"textDocument": {"uri": a}})["result"]
        assert lenses[0]["command"]["title"].endswith("papers shared with 1 other list")
        _wait_indexed(srv)
        srv.drain(0.5)
        methods = {m["method"] for m in srv.server_requests}
        assert {"workspace/codeLens/refresh", "workspace/inlayHint/refresh",
                "workspace/semanticTokens/refresh"} <= methods
        hover = srv.request("textDocument/hover", {"textDocument": {"uri": a},
                                                   "position": {"line": 1, "character": 12}})
        assert f"`{TONY_B}`, line 3: exact" in hover["result"]["contents"]["value"]
    finally:
        srv.close()


def test_a_restart_takes_the_index_from_the_cache_the_first_start_wrote(workspace, tmp_path):
    """The first start writes the index cache after its findings are out; the next start on
    the same lists takes every list from it."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}

    def start_and_log() -> list[str]:
        srv = _start(workspace, **env)
        try:
            srv.wait(lambda m: m.get("method") == "window/logMessage"
                     and m["params"]["message"].startswith("indexed "), 30)
            logs = [m["params"]["message"] for _, m in srv.backlog
                    if m.get("method") == "window/logMessage"]
            end = time.monotonic() + 20
            while not list((tmp_path / "xdg").rglob("index-*.sqlite")):
                assert time.monotonic() < end, "the index cache was never written"
                time.sleep(0.05)
            return logs
        finally:
            srv.request("shutdown", None)
            srv.notify("exit", None)
            srv.proc.wait(10)

    first = start_and_log()
    assert not any("from the index cache" in m for m in first), first
    second = start_and_log()
    assert any(m.startswith("2 of 2 lists from the index cache") for m in second), second
