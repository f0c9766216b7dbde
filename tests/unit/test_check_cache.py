"""The check cache: a check of an unchanged workspace prints the last report again without
indexing, and any change that could alter a finding makes it check afresh."""

import json
import os

import pytest

from conftest import TONY_A, TONY_B
from paperls.cli import main
from paperls.host import check_cache, loader
from paperls.host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

FORMATS = ("text", "json", "concise", "csv", "sarif", "github")
UNCHANGED = "(nothing changed since the last check)"
REPORT = {"findings": [], "papers": [], "warnings": [], "lists": 1, "abstracts": 2,
          "references": ""}


def check(capsys, workspace, cache, *more):
    code = main(["check", str(workspace), "--cache-dir", str(cache), *more])
    got = capsys.readouterr()
    return code, got.out, got.err


def no_timing(out: str) -> str:
    """The text format's last line says how long the check took; the rest must match."""
    return "\n".join(ln for ln in out.splitlines() if " in " not in ln or "abstract" not in ln)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unchanged_workspace_prints_the_same_report_without_indexing(
        workspace, tmp_path, capsys, monkeypatch, fmt):
    cache = tmp_path / "cache"
    fresh = check(capsys, workspace, tmp_path / "other", "--no-cache", "--format", fmt)
    first = check(capsys, workspace, cache, "--format", fmt)
    with monkeypatch.context() as m:
        m.setattr(loader, "load", lambda *a, **k: pytest.fail("the lists were indexed"))
        again = check(capsys, workspace, cache, "--format", fmt)
    assert again[0] == first[0] == fresh[0]
    assert no_timing(again[1]) == no_timing(first[1]) == no_timing(fresh[1])
    assert again[1].strip()  # the findings themselves, not an empty report
    if fmt == "text":
        assert UNCHANGED in again[1] and UNCHANGED not in first[1]


def test_a_list_edited_in_place_is_checked_again(workspace, tmp_path, capsys):
    cache = tmp_path / "cache"
    _, before, _ = check(capsys, workspace, cache, "--format", "json")
    path = workspace / TONY_B
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    # The same size and modification time, another paper: only the bytes tell.
    i = text.index("Abstract:", text.index("Abstract:") + 1) + 9
    path.write_text(text[:i] + ("X" if text[i] != "X" else "Y") + text[i + 1:], encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    _, after, _ = check(capsys, workspace, cache, "--format", "json")
    _, fresh, _ = check(capsys, workspace, tmp_path / "other", "--format", "json", "--no-cache")
    assert after == fresh != before


@pytest.mark.parametrize("change", ["new list", "marks", "reference file", "settings",
                                    "removed list", "threshold"])
def test_what_can_change_a_finding_makes_the_check_run_again(
        workspace, tmp_path, capsys, change):
    cache = tmp_path / "cache"
    more = []
    check(capsys, workspace, cache)
    if change == "new list":
        (workspace / "c.txt").write_text("Me\nAbstract:" + (workspace / TONY_A).read_text(
            encoding="utf-8").split("Abstract:")[1], encoding="utf-8")
    elif change == "marks":
        (workspace / ".paperls-marks").write_text("", encoding="utf-8")
    elif change == "reference file":
        (workspace / "refs.bib").write_text("@article{k, title={T}}\n", encoding="utf-8")
    elif change == "settings":
        (workspace / "paperls.toml").write_text(
            '[paperls.severity]\nduplicateAcrossLists = "error"\n', encoding="utf-8")
    elif change == "removed list":
        (workspace / TONY_A).unlink()
    else:
        more = ["--threshold", "0.95"]
    _, out, _ = check(capsys, workspace, cache, *more)
    _, fresh, _ = check(capsys, workspace, tmp_path / "other", "--no-cache", *more)
    assert UNCHANGED not in out
    assert no_timing(out) == no_timing(fresh)


def test_select_and_fail_on_apply_to_a_kept_report(workspace, tmp_path, capsys):
    cache = tmp_path / "cache"
    check(capsys, workspace, cache)
    code, out, _ = check(capsys, workspace, cache, "--select", "duplicate-across-lists",
                         "--fail-on", "information", "--format", "json")
    fresh = check(capsys, workspace, tmp_path / "other", "--no-cache", "--select",
                  "duplicate-across-lists", "--fail-on", "information", "--format", "json")
    assert (code, out) == fresh[:2]
    assert code == 1 and json.loads(out)
    _, out, _ = check(capsys, workspace, cache, "--ignore", "duplicate-across-lists")
    assert "No paper appears twice." in out and UNCHANGED in out


def test_a_damaged_report_is_ignored_and_replaced(workspace, tmp_path, capsys):
    cache = tmp_path / "cache"
    _, first, _ = check(capsys, workspace, cache, "--format", "json")
    (kept,) = cache.glob("check-*.json")
    whole = json.loads(kept.read_text(encoding="utf-8"))
    for damage in (b"{not json", b'{"request": 1}', b"\xff\xfe", b"",
                   json.dumps(dict(whole, report={"findings": []})).encode(),
                   json.dumps(dict(whole, files=[  # a list trusted by its times, no digest
                       [*f[:6], "not hex", False] if f[0].endswith(TONY_B) else f
                       for f in whole["files"]])).encode()):
        kept.write_bytes(damage)
        code, out, err = check(capsys, workspace, cache, "--format", "json")
        assert (code, out) == (0, first) and "Traceback" not in err
        assert json.loads(kept.read_text(encoding="utf-8"))["report"]


def stat_trusted(workspace, cache_dir):
    """A kept report whose files are all trusted by their times (none fresh)."""
    roots = [workspace]
    cache = check_cache.CheckCache(cache_dir, roots)
    rev = check_cache.revision(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    assert cache.save({"r": 1}, rev, {}, REPORT, fresh_ns=0)
    return cache, roots


def test_a_rewrite_that_keeps_size_and_modification_time_is_seen_by_its_change_time(
        workspace, tmp_path):
    cache, roots = stat_trusted(workspace, tmp_path)
    rev = check_cache.revision(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    assert cache.load({"r": 1}, rev) == REPORT
    assert cache.load({"r": 2}, rev) is None  # another request
    path = workspace / TONY_A
    st = path.stat()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + (b"x" if data[-1:] != b"x" else b"y"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.load({"r": 1}, check_cache.revision(roots, DEFAULT_INCLUDE,
                                                     DEFAULT_EXCLUDE)) is None


def test_a_file_changed_just_now_that_the_check_did_not_read_is_not_trusted(workspace, tmp_path):
    (workspace / "notes.txt").write_text("not a list\n", encoding="utf-8")
    roots = [workspace]
    cache = check_cache.CheckCache(tmp_path, roots)
    rev = check_cache.revision(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    digests = {str(workspace / n): b"\0" * 16 for n in (TONY_A, TONY_B)}
    assert not cache.save({"r": 1}, rev, digests, REPORT)
    assert cache.load({"r": 1}, rev) is None


def test_another_build_checks_afresh(workspace, tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    check(capsys, workspace, cache)
    assert UNCHANGED in check(capsys, workspace, cache)[1]
    monkeypatch.setattr(check_cache, "build", lambda: "another build")
    assert UNCHANGED not in check(capsys, workspace, cache)[1]


def test_a_list_saved_again_unchanged_is_trusted_by_its_bytes_then_by_its_times(
        workspace, tmp_path, monkeypatch):
    """A save without a change, or a checkout, gives a list new times and the same bytes: the
    report still holds, and is kept with the new times, so the next check reads nothing."""
    roots = [workspace]
    paths = [str(workspace / n) for n in (TONY_A, TONY_B)]
    digests = {p: bytes.fromhex(check_cache._digest(p)) for p in paths}
    cache = check_cache.CheckCache(tmp_path, roots)
    assert cache.save({"r": 1}, check_cache.revision(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE),
                      digests, REPORT, fresh_ns=0)
    st = os.stat(paths[0])
    os.utime(paths[0], ns=(st.st_atime_ns, st.st_mtime_ns - 10**10))  # touched, not changed
    monkeypatch.setattr(check_cache, "FRESH_NS", 0)
    rev = check_cache.revision(roots, DEFAULT_INCLUDE, DEFAULT_EXCLUDE)
    assert cache.load({"r": 1}, rev) == REPORT
    read = []
    real = check_cache._digest
    monkeypatch.setattr(check_cache, "_digest", lambda p: read.append(p) or real(p))
    assert cache.load({"r": 1}, rev) == REPORT and read == []  # its new times were kept
    with open(paths[0], "a", encoding="utf-8") as fh:
        fh.write("Abstract:one more\n")
    assert cache.load({"r": 1}, check_cache.revision(roots, DEFAULT_INCLUDE,
                                                     DEFAULT_EXCLUDE)) is None
    assert read == [paths[0]]
