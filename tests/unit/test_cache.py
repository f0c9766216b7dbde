"""The on-disk index cache: a warm start gives the same findings, and is never trusted blindly."""

from paperls.host import loader
from paperls.host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE


def load(root, cache_dir, warnings=None):
    return loader.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, 0.8,
                       (warnings if warnings is not None else []).append,
                       cache_dir=cache_dir, key=lambda p: p.name)


def findings(ws):
    return {d: [(f.line, [(c.doc, c.line, c.exact, c.similarity) for c in f.copies])
                for f in ws.index.findings(d)] for d in sorted(ws.index.docs)}


def with_near_copy(workspace):
    gpt = (workspace / "000_7d92d4829f064b63.txt").read_text().splitlines()[1]
    (workspace / "c.txt").write_text("C\n" + gpt.replace("especially better", "notably better"))


def test_warm_start_reads_the_cache_and_finds_the_same(workspace, tmp_path):
    with_near_copy(workspace)
    cold, s1 = load(workspace, tmp_path / "cache")
    warm, s2 = load(workspace, tmp_path / "cache")
    assert (s1.cached_files, s2.cached_files) == (0, 3)
    assert findings(warm) == findings(cold)
    assert any(not c[2] for f in findings(warm)["c.txt"] for c in f[1])  # the near copy


def test_a_changed_file_is_read_again(workspace, tmp_path):
    load(workspace, tmp_path / "cache")
    a = workspace / "000_7d92d4829f064b63.txt"
    a.write_text(a.read_text().replace("GPT-4o", "GPT-5o"))  # same size, other content
    ws, stats = load(workspace, tmp_path / "cache")
    assert stats.cached_files == 1
    first = ws.index.findings(a.name)[0]
    assert first.line == 1 and not first.copies[0].exact  # now another version, not a copy


def test_a_corrupt_cache_is_rebuilt(workspace, tmp_path):
    cold, _ = load(workspace, tmp_path / "cache")
    (db,) = (tmp_path / "cache").glob("*.sqlite")
    db.write_bytes(b"this is not a database" * 100)
    ws, stats = load(workspace, tmp_path / "cache")
    assert stats.cached_files == 0 and findings(ws) == findings(cold)
    ws, stats = load(workspace, tmp_path / "cache")
    assert stats.cached_files == 2


def test_a_cache_from_another_version_is_rebuilt_without_a_warning(workspace, tmp_path, caplog):
    import logging
    import sqlite3

    cold, _ = load(workspace, tmp_path / "cache")
    (db,) = (tmp_path / "cache").glob("*.sqlite")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = 'schema=3' WHERE key = 'params'")
    con.close()
    with caplog.at_level(logging.INFO, logger="paperls"):
        ws, stats = load(workspace, tmp_path / "cache")
    assert stats.cached_files == 0 and findings(ws) == findings(cold)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "another version of paperls" in caplog.text
    ws, stats = load(workspace, tmp_path / "cache")
    assert stats.cached_files == 2


def test_a_warm_start_builds_its_tables_while_reading_and_still_sees_a_change(
        workspace, tmp_path, monkeypatch):
    """The index's tables built from the cache beside the reading give the same findings, are
    used when the lists are the cached ones, and are set aside when a list has changed."""
    from paperls.core import index

    monkeypatch.setattr(loader, "PREPARE_MIN", 0)
    built = []  # every build of LSH tables, whether from the cache or after the reading
    real = index.Index._add_static
    monkeypatch.setattr(index.Index, "_add_static",
                        lambda self, tids, held: built.append(len(tids)) or real(self, tids, held))
    with_near_copy(workspace)
    cold, _ = load(workspace, tmp_path / "cache")
    built.clear()
    warm, stats = load(workspace, tmp_path / "cache")
    assert stats.cached_files == 3 and findings(warm) == findings(cold)
    assert len(built) == 1  # the prepared tables were used: nothing built after the reading
    c = workspace / "c.txt"
    c.write_text(c.read_text().replace("notably better", "significantly and notably better"))
    built.clear()
    changed, _ = load(workspace, tmp_path / "cache")
    assert len(built) == 2  # prepared from the cache, then rebuilt for what is on disk now
    fresh, _ = loader.load([workspace], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, 0.8,
                           [].append, key=lambda p: p.name)
    assert findings(changed) == findings(fresh)
