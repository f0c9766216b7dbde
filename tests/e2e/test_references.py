"""Reference files through ``paperls serve``: the real title in hover, the entry in findings
and in go to definition, a broken entry reported on its file, and an edit of the .bib on disk
taking effect without a restart."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from conftest import ROOT, TONY_A, example_text
from e2e.conftest import uri
from lspclient import RawServer

REFS = ROOT / "tests" / "fixtures" / "references"


def _start(root: Path) -> RawServer:
    srv = RawServer()
    srv.request("initialize", {"processId": None, "rootUri": uri(root), "capabilities": {},
                               "workspaceFolders": [{"uri": uri(root), "name": "lists"}]})
    srv.notify("initialized", {})
    end = time.monotonic() + 30
    while srv.request("paperls/status", {})["result"]["indexing"]:
        assert time.monotonic() < end, "the index never landed"
        time.sleep(0.05)
    return srv


def _hover(srv: RawServer, u: str, line: int) -> str:
    got = srv.request("textDocument/hover", {"textDocument": {"uri": u},
                                             "position": {"line": line, "character": 5}})
    return got["result"]["contents"]["value"]


def test_reference_files_name_the_papers_in_the_editor(workspace):
    shutil.copyfile(REFS / "library.bib", workspace / "library.bib")
    bib = uri(workspace / "library.bib")
    srv = _start(workspace)
    try:
        # The broken entry is reported on the .bib itself, at its line.
        _, msg = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == bib, 30)
        [d] = msg["params"]["diagnostics"]
        assert d["range"]["start"]["line"] == 95 and d["code"] == "reference-entry"
        assert "broken2021" in d["message"]

        a = uri(workspace / TONY_A)
        srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": a, "languageId": "plaintext", "version": 1, "text": example_text(TONY_A)}})
        _, msg = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == a and m["params"]["diagnostics"], 30)
        codex = next(d for d in msg["params"]["diagnostics"] if d["range"]["start"]["line"] == 7)
        assert codex["message"].startswith("Evaluating Large Language Models Trained on Code:")
        assert codex["message"].endswith("; in library.bib as @chen2021codex")
        assert bib in [r["location"]["uri"] for r in codex["relatedInformation"]]

        assert _hover(srv, a, 7).startswith("### Evaluating Large Language Models Trained on Code")
        got = srv.request("textDocument/definition", {"textDocument": {"uri": a},
                                                      "position": {"line": 7, "character": 5}})
        assert got["result"][-1]["uri"] == bib
        assert got["result"][-1]["range"]["start"]["line"] == 4

        # The curator fixes the title in the .bib: the next hover says so.
        text = (workspace / "library.bib").read_text()
        (workspace / "library.bib").write_text(text.replace(
            "title = {Evaluating Large Language Models Trained on Code}",
            "title = {Evaluating LLMs Trained on Code}"))
        srv.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": bib, "type": 2}]})
        assert _hover(srv, a, 7).startswith("### Evaluating LLMs Trained on Code")
        # ... and deletes it: the abstract is named by its topics again.
        (workspace / "library.bib").unlink()
        srv.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": bib, "type": 3}]})
        h = _hover(srv, a, 7)
        assert not h.startswith("### Evaluating") and "Codex" in h.splitlines()[0]
        _, msg = srv.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                          and m["params"]["uri"] == bib and not m["params"]["diagnostics"], 10)
    finally:
        srv.close()
