"""Shared fixtures: the two reference lists (``examples/``) and a scratch workspace."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

# Index caches of tests (and of the servers they start) go to a scratch folder, not ~/.cache.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="paperls-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # bench/lspclient.py: the raw client tests share
EXAMPLES = ROOT / "examples"
TONY_A = "000_7d92d4829f064b63.txt"  # 10 abstracts
TONY_B = "002_d20af59fd061c140.txt"  # 7 abstracts; shares GPT-4o, Codex, scaling laws with A


def example_text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A folder holding copies of the two example lists."""
    ws = tmp_path / "lists"
    ws.mkdir()
    for name in (TONY_A, TONY_B):
        shutil.copyfile(EXAMPLES / name, ws / name)  # not copy(): the originals may be read-only
    return ws
