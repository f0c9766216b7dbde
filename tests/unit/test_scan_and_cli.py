"""Finding lists on disk, and the command line."""

import json
import os
import subprocess
import sys

import pytest

from conftest import TONY_A, TONY_B, example_text
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


def test_check_groups_the_copies_of_each_paper(workspace, capsys):
    assert main(["check", str(workspace)]) == 0  # cross-list copies are information
    out = capsys.readouterr().out
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 4  # three papers, then the summary
    gpt, codex, scaling, summary = blocks
    assert gpt.splitlines()[0].startswith("GPT-4o")
    assert "Codex" in codex.splitlines()[0]
    assert "scaling laws" in scaling.splitlines()[0]
    assert [ln.split()[0] for ln in gpt.splitlines()[2:]] == [
        f"{workspace / TONY_A}:2", f"{workspace / TONY_B}:3"]
    assert gpt.splitlines()[3].endswith("exact copy")
    assert summary.splitlines()[0] == ("3 papers appear in more than one list; none twice in "
                                       "one list.")
    assert "\x1b[" not in out  # no colour when piped
    assert main(["check", str(workspace), "--fail-on", "information"]) == 1


def test_check_concise_names_the_paper_on_each_line(workspace, capsys):
    main(["check", str(workspace), "--format", "concise"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6
    assert out[0] == (f"{workspace / TONY_A}:2:10: information: GPT-4o · autoregressive "
                      f"omni model · image capabilities: also in {workspace / TONY_B}:3 (exact) "
                      "[duplicate-across-lists]")


def test_check_github_annotations_select_ignore_and_quiet(workspace, capsys):
    main(["check", str(workspace), "--format", "github", "--select", "duplicate-across"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6 and all(ln.startswith("::notice file=") for ln in out)
    assert ",line=2,col=10," in out[0] and "title=paperls duplicate-across-lists::" in out[0]
    main(["check", str(workspace), "--format", "concise", "--ignore", "duplicate-across-lists"])
    assert capsys.readouterr().out == ""
    (workspace / "c.txt").write_text("Me\nAbstract:A paper.\nNo prefix here.\n",
                                      encoding="utf-8")
    main(["check", str(workspace), "--quiet", "--select", "missing-prefix"])
    got = capsys.readouterr()
    assert got.out.splitlines() == ["Format problems",
                                    f"  {workspace / 'c.txt'}:3:1: warning: Line without the "
                                    "`Abstract:` prefix: it is not indexed as an abstract. "
                                    "[missing-prefix]", ""]
    assert got.err == ""


def test_check_reads_standard_input_under_a_given_name(workspace, capsys, monkeypatch):
    import io

    text = example_text(TONY_A).splitlines()
    stdin = "Guest\n" + text[1] + "\n"  # the GPT-4o abstract, as an unsaved buffer
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    main(["check", "-", str(workspace / TONY_B), "--stdin-filename", "draft.txt",
          "--format", "concise"])
    out = capsys.readouterr().out.splitlines()
    assert any(ln.startswith("draft.txt:2:10: information: GPT-4o") for ln in out), out


def test_check_exclude_and_usage_errors(workspace, capsys):
    main(["check", str(workspace), "--exclude", TONY_B, "--format", "json"])
    assert json.loads(capsys.readouterr().out) == []  # one list left: nothing shared
    with pytest.raises(SystemExit) as err:
        main(["check", str(workspace), "--no-such-option"])
    assert err.value.code == 2
    assert "usage: paperls check" in capsys.readouterr().err  # the subcommand's usage


def test_check_fix_diff_previews_and_changes_nothing(tmp_path, capsys):
    f = tmp_path / "l.txt"
    before = "Me\nabstract:One paper.\nAbstract:One paper.\n"
    f.write_text(before, encoding="utf-8")
    assert main(["check", str(tmp_path), "--fix", "--diff", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "-abstract:One paper." in out and out.startswith("--- a/")
    assert f.read_text(encoding="utf-8") == before
    assert not (tmp_path / "l.txt.bak").exists()


def test_help_has_no_markup_and_every_option_has_help():
    from paperls.cli import build_parser

    _, subs = build_parser()
    for name, sp in subs.items():
        for action in sp._actions:
            assert action.help, (name, action.dest)
        text = sp.format_help()
        assert "``" not in text and "**" not in text, name


def test_check_json(workspace, capsys):
    main(["check", str(workspace / TONY_A), str(workspace / TONY_B), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    first = data[0]
    assert {k: first[k] for k in ("line", "column", "severity", "code", "similarity")} == {
        "line": 2, "column": 10, "severity": "information", "code": "duplicate-across-lists",
        "similarity": 1.0}
    assert first["related"] == [{"path": str(workspace / TONY_B), "line": 3}]
    # Every copy of one paper carries its title and one cluster id; three papers, three ids.
    assert first["title"].startswith("GPT-4o")
    twin = [f for f in data if f["path"] == str(workspace / TONY_B) and f["line"] == 3]
    assert twin[0]["cluster"] == first["cluster"] and twin[0]["title"] == first["title"]
    assert len({f["cluster"] for f in data}) == 3
    main(["check", str(workspace), "--format", "sarif"])
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    assert result["properties"]["cluster"] == first["cluster"]
    assert result["properties"]["title"] == first["title"]


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
    assert main(["check", str(workspace), "--no-cache", "--format", "concise"]) == 1  # errors now
    assert "error: GPT-4o" in capsys.readouterr().out
    (workspace / "paperls.toml").write_text("not = [valid toml", encoding="utf-8")
    assert main(["check", str(workspace), "--no-cache"]) == 0
    assert "paperls.toml: not read" in capsys.readouterr().err


def test_topics_says_when_a_named_file_is_not_a_list(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\n", encoding="utf-8")
    assert main(["topics", str(notes)]) == 0
    err = capsys.readouterr().err
    assert "notes.txt: not an abstract list" in err


def test_marks_list_and_remove(workspace, capsys):
    from paperls.core.index import Index
    from paperls.core.marks import mark_line
    from paperls.core.parse import parse

    ix = Index()
    ix.bulk_load([("a", parse(example_text(TONY_A)))])
    live = [ix.key_of("a", 1), ix.key_of("a", 2)]
    path = workspace / ".paperls-marks"
    path.write_text("# decisions of the reading group\n"
                    + mark_line(*live, "a:2 | a:3") + "\n"
                    + mark_line(1, 2, "texts long gone") + "\n", encoding="utf-8")
    assert main(["marks", "list", str(workspace)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["1. a:2 | a:3  [in force]", "2. texts long gone  [lapsed (a text changed)]"]
    assert main(["marks", "remove", str(workspace), "--lapsed"]) == 0
    text = path.read_text(encoding="utf-8")
    assert "long gone" not in text and "a:2 | a:3" in text
    assert text.startswith("# decisions of the reading group\n")  # other lines kept
    assert main(["marks", "remove", str(workspace), "7"]) == 2
    assert "no mark numbered 7" in capsys.readouterr().err
