"""Finding lists on disk, and the command line."""

import json
import os
import subprocess
import sys

from conftest import TONY_A, TONY_B
from paperls.cli import main
from paperls.host import scan
from paperls.host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE


def found(root):
    return sorted(p.relative_to(root).as_posix() for p, _ in scan.find_lists(
        [root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, lambda m: None))


def test_scan_skips_ignored_vendored_and_foreign_files(workspace, tmp_path):
    (workspace / "notes.txt").write_text("not a list\n")
    (workspace / "x.abstracts").write_text("Me\nAbstract:one")
    (workspace / ".gitignore").write_text("ignored/\n")
    for d in ("ignored", "node_modules", ".git", "venv"):
        (workspace / d).mkdir()
        (workspace / d / "l.txt").write_text("Me\nAbstract:hidden")
    (workspace / "venv" / "pyvenv.cfg").write_text("")
    outside = tmp_path / "outside.txt"
    outside.write_text("Me\nAbstract:outside")
    os.symlink(outside, workspace / "link.txt")
    assert found(workspace) == [TONY_A, TONY_B, "x.abstracts"]


def test_scan_reports_files_over_the_size_limit(workspace):
    warnings = []
    assert scan.read_file(workspace / TONY_A, 100, warnings.append) is None
    assert "over the size limit" in warnings[0]


def test_check_prints_findings_and_exit_codes(workspace, capsys):
    assert main(["check", str(workspace)]) == 0  # cross-list copies are information
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6
    assert out[0].endswith("information: Same abstract in another list: "
                           f"{workspace / TONY_B}:3 (exact) [duplicate-across-lists]")
    assert main(["check", str(workspace), "--fail-on", "information"]) == 1


def test_check_json(workspace, capsys):
    main(["check", str(workspace / TONY_A), str(workspace / TONY_B), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    first = data[0]
    assert {k: first[k] for k in ("line", "column", "severity", "code", "similarity")} == {
        "line": 2, "column": 10, "severity": "information", "code": "duplicate-across-lists",
        "similarity": 1.0}
    assert first["related"] == [{"path": str(workspace / TONY_B), "line": 3}]


def test_check_survives_bad_files(tmp_path, capsys):
    (tmp_path / "bin.txt").write_bytes(b"Abstract:\x00\x01\xff")
    (tmp_path / "latin.txt").write_bytes("Me\nAbstract:caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "long.txt").write_text("Me\nAbstract:" + "word " * 2_000_000)
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "[binary-file]" in out and "[invalid-utf8]" in out


def test_topics_jsonl(workspace):
    r = subprocess.run([sys.executable, "-m", "paperls", "topics", str(workspace), "--format",
                        "jsonl"], capture_output=True, text=True, check=True)
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(rows) == 17
    assert rows[0]["file"] == TONY_A and rows[0]["line"] == 2
    assert "GPT-4o" in rows[0]["keyphrases"][:3]


def test_bad_files_on_disk_are_reported_not_fatal(workspace, capsys):
    big = workspace / "huge.txt"
    with open(big, "wb") as fh:  # 200 MB, sparse: over the default 50 MB limit
        fh.truncate(200 * 1024 * 1024)
    os.symlink(workspace / "loop.txt", workspace / "loop.txt")  # a link to itself
    (workspace / "sub").mkdir()
    os.symlink(workspace, workspace / "sub" / "back")  # a directory loop
    os.symlink("/etc", workspace / "etc")  # outside the workspace
    warnings = []
    lists = sorted(p.name for p, _ in scan.find_lists(
        [workspace], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 50 * 10**6, warnings.append))
    assert lists == [TONY_A, TONY_B]
    assert any("huge.txt" in w and "over the size limit" in w for w in warnings)
    assert scan.read_file(workspace / "gone.txt", 10**6, warnings.append) is None
    assert "gone.txt" in warnings[-1]
    assert main(["check", str(workspace), "--no-cache", "--fail-on", "never"]) == 0
    assert "huge.txt" in capsys.readouterr().err


def test_project_file_settings_travel_with_the_lists(workspace, capsys):
    (workspace / "paperls.toml").write_text(
        '[paperls.severity]\nduplicateAcrossLists = "error"\n', encoding="utf-8")
    assert main(["check", str(workspace), "--no-cache"]) == 1  # now errors, so it fails
    assert "error: Same abstract in another list" in capsys.readouterr().out
    (workspace / "paperls.toml").write_text("not = [valid toml", encoding="utf-8")
    assert main(["check", str(workspace), "--no-cache"]) == 0
    assert "paperls.toml: not read" in capsys.readouterr().err


def test_topics_says_when_a_named_file_is_not_a_list(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\n", encoding="utf-8")
    assert main(["topics", str(notes)]) == 0
    err = capsys.readouterr().err
    assert "notes.txt: not an abstract list" in err
