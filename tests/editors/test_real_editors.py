"""The four features in real editors: headless Neovim, Emacs with Eglot and Vim with ALE, on the
examples.

These are not replays of capabilities: the editors' own LSP clients start ``paperls serve``,
show its diagnostics, and send hover, definition and completion requests. A missing editor is a
failure (``scripts/test`` installs them), not a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TONY_A, TONY_B

HERE = Path(__file__).parent
SERVER = [sys.executable, "-m", "paperls", "serve"]
pytestmark = pytest.mark.editors


def _run(argv: list[str], workspace: Path, tmp_path: Path, **extra: str) -> dict:
    out = tmp_path / "out.json"
    env = dict(os.environ, **extra, PAPERLS_CMD=json.dumps(SERVER), PAPERLS_ROOT=str(workspace),
               PAPERLS_FILE=str(workspace / TONY_A), PAPERLS_OUT=str(out),
               HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"))
    (tmp_path / "home").mkdir()
    proc = subprocess.run(["timeout", "90", *argv], env=env, cwd=workspace,
                          capture_output=True, text=True)
    assert out.exists(), f"editor wrote nothing (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    return json.loads(out.read_text())


def _check(got: dict, workspace: Path) -> None:
    lines = sorted(d["line"] for d in got["diagnostics"])
    assert lines == [1, 7, 10], got["diagnostics"]
    assert all(TONY_B in d["message"] for d in got["diagnostics"])
    # Each finding names its paper, as the editor's diagnostic list shows it.
    by_line = {d["line"]: d["message"] for d in got["diagnostics"]}
    assert "GPT-4o" in by_line[1] and "Codex" in by_line[7]  # (Eglot puts the code first)
    assert "scaling laws" in by_line[10]
    assert "GPT-4o" in got["hover"] and TONY_B in got["hover"]
    assert [(Path(d["uri"]).name, d["line"]) for d in got["definition"]] == [(TONY_B, 4)]
    assert "sparse autoencoders" in [c.casefold() for c in got["completion"][:5]], got["completion"]


def test_neovim(workspace, tmp_path):
    nvim = shutil.which("nvim")
    assert nvim, "Neovim is not installed: run scripts/test, which installs it"
    got = _run([nvim, "--headless", "--clean", "-u", "NONE", "-S", str(HERE / "nvim_check.lua")],
               workspace, tmp_path)
    assert "error" not in got, got
    _check(got, workspace)


def test_neovim_011_vim_lsp_config(workspace, tmp_path):
    """The README's Neovim 0.11+ set-up (vim.lsp.config + vim.lsp.enable), in the release PyPI
    ships (scripts/test installs it beside Debian's 0.7 and names it in PAPERLS_NVIM11)."""
    nvim = os.environ.get("PAPERLS_NVIM11", "")
    assert nvim and Path(nvim).exists(), \
        "Neovim 0.11+ is not installed: run scripts/test, which installs it (PAPERLS_NVIM11)"
    (workspace / "paperls.toml").write_text("")  # the root marker of the README's set-up
    got = _run([nvim, "--headless", "--clean", "-u", "NONE", "-S", str(HERE / "nvim_check.lua")],
               workspace, tmp_path, PAPERLS_NVIM_API="config")
    assert "error" not in got, got
    major, minor = (int(x) for x in got["version"].split(".")[:2])
    assert (major, minor) >= (0, 11), got["version"]
    _check(got, workspace)


def test_emacs_eglot(workspace, tmp_path):
    emacs = shutil.which("emacs")
    assert emacs, "Emacs is not installed: run scripts/test, which installs it"
    got = _run([emacs, "--batch", "-l", str(HERE / "eglot_check.el")], workspace, tmp_path)
    _check(got, workspace)


def test_emacs_29_builtin_eglot(workspace, tmp_path):
    """The README's Emacs 29+ set-up (the Eglot Emacs ships, started by eglot-ensure), in
    bookworm-backports' Emacs (scripts/test unpacks it beside Debian's 28, PAPERLS_EMACS30)."""
    emacs = os.environ.get("PAPERLS_EMACS30", "")
    assert emacs and Path(emacs).exists(), \
        "Emacs 29+ is not installed: run scripts/test, which unpacks it (PAPERLS_EMACS30)"
    got = _run([emacs, "--batch", "-Q", "-l", str(HERE / "eglot_check.el")], workspace, tmp_path,
               PAPERLS_EGLOT_ENSURE="1")
    major = int(got["version"].split(".")[0])
    assert major >= 29, got["version"]
    # The built-in Eglot, not a package from site-lisp.
    assert "/lisp/progmodes/eglot" in got["eglot"], got["eglot"]
    _check(got, workspace)


def test_vim_ale(workspace, tmp_path):
    vim, script = shutil.which("vim"), shutil.which("script")
    assert vim and Path("/usr/share/vim-ale/plugin/ale.vim").exists(), \
        "Vim with ALE is not installed: run scripts/test, which installs vim and vim-ale"
    assert script, "`script` (util-linux) gives Vim the terminal it needs"
    cmd = f"{vim} -N -u {HERE / 'ale_check.vim'} -i NONE -n --not-a-term"
    got = _run([script, "-qfec", cmd, "/dev/null"], workspace, tmp_path)
    lines = sorted(d["line"] for d in got["diagnostics"])
    assert lines == [1, 7, 10], got["diagnostics"]
    # ALE shows information-level findings as warnings (the README says how to change that).
    assert all(TONY_B in d["message"] and "duplicate-across-lists" in d["message"]
               for d in got["diagnostics"])
    assert "GPT-4o" in got["diagnostics"][0]["message"]
    assert got["definition"] == [{"file": TONY_B, "line": 2}]
    assert got["hover"].startswith("### GPT-4o") and TONY_B in got["hover"]
    # ALE filters items by the last word typed ("auto"), so whole phrases that start earlier
    # ("sparse autoencoders") are dropped by the editor; what starts with it stays.
    assert "autoencoders" in got["completion"], got["completion"]


def test_neovim_names_papers_by_the_reference_files_beside_the_lists(workspace, tmp_path):
    """A curator's .bib and a database's .ris in the folder: Neovim's own client shows the
    real titles and reaches the entry."""
    refs = HERE.parent / "fixtures" / "references"
    for name in ("library.bib", "search.ris"):
        shutil.copyfile(refs / name, workspace / name)
    nvim = shutil.which("nvim")
    assert nvim, "Neovim is not installed: run scripts/test, which installs it"
    got = _run([nvim, "--headless", "--clean", "-u", "NONE", "-S", str(HERE / "nvim_check.lua")],
               workspace, tmp_path)
    assert "error" not in got, got
    by_line = {d["line"]: d["message"] for d in got["diagnostics"]}
    assert sorted(by_line) == [1, 7, 10]
    assert by_line[1].startswith("GPT-4o System Card: also in ")
    assert by_line[7].endswith("; in library.bib as @chen2021codex")
    assert got["hover"].startswith("### GPT-4o System Card")
    assert "[doi:10.48550/arXiv.2410.21276](https://doi.org/10.48550/arXiv.2410.21276)" \
        in got["hover"]
    assert [(Path(d["uri"]).name, d["line"]) for d in got["definition"]] == \
        [(TONY_B, 4), ("library.bib", 4)]
