"""A large scan is sketched in worker processes: the same findings as sketching in-process,
files in scan order, and a planted copy found either way."""

from __future__ import annotations

import random
from pathlib import Path

from paperls.core import index
from paperls.host import loader, sketching
from paperls.host.settings import DEFAULT_EXCLUDE, DEFAULT_INCLUDE

WORDS = ("model data learning neural network training language task graph image text "
         "retrieval speech translation benchmark evaluation method results performance "
         "attention transformer dataset annotation corpus parsing inference sampling").split()


def _abstract(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) + ("s" if rng.random() < 0.2 else "")
                    for _ in range(rng.randrange(40, 90))) + "."


def _workspace(root: Path) -> list[tuple[str, int]]:
    """12 lists of 100 abstracts; three copies planted: exact, near (one word changed) and
    in the same list. Returns the planted (file, line) places."""
    rng = random.Random(11)
    files = [[_abstract(rng) for _ in range(100)] for _ in range(12)]
    files[9][5] = files[1][7]  # exact, across lists
    files[11][60] = files[3][20].replace(" ", " very ", 1)  # near, across lists
    files[6][80] = files[6][2]  # exact, in one list
    for i, abstracts in enumerate(files):
        (root / f"list{i:02}.txt").write_text(
            "Curator\n" + "".join(f"Abstract:{a}\n" for a in abstracts), encoding="utf-8")
    return [("list09.txt", 6), ("list11.txt", 61), ("list06.txt", 81)]


def _findings(root: Path) -> list[tuple[str, int, tuple]]:
    ws, _ = loader.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, 0.8, print,
                        processes=True)
    out = []
    for doc in sorted(ws.index.docs):
        for f in ws.index.findings(doc):
            out.append((Path(doc).name, f.line,
                        tuple((Path(c.doc).name, c.line, c.exact) for c in f.copies)))
    return out


def test_worker_processes_find_what_the_index_finds_alone(tmp_path, monkeypatch):
    planted = _workspace(tmp_path)
    used: list[int] = []
    close = sketching.Sketcher.close

    def spy(self):
        used.append(self.sketched)
        close(self)

    monkeypatch.setattr(sketching.Sketcher, "close", spy)
    monkeypatch.setattr(sketching, "GROUP", 150)  # 1,200 abstracts: 8 groups, most to workers
    monkeypatch.setattr(sketching, "MIN_BYTES", 0)
    with_workers = _findings(tmp_path)
    assert used and used[-1] >= 900, used  # the workers did sketch
    monkeypatch.setattr(sketching, "MIN_BYTES", 10**9)  # too small to be worth a process
    alone = _findings(tmp_path)
    assert used[-1] == 0
    assert with_workers == alone
    found = {(name, line) for name, line, _ in with_workers}
    assert all(p in found for p in planted), (planted, sorted(found)[:10])


def test_a_failed_worker_costs_time_never_the_load(tmp_path, monkeypatch):
    """A group the workers cannot sketch (here: a job that cannot even be sent) is sketched by
    the index itself, with the same findings."""
    planted = _workspace(tmp_path)
    monkeypatch.setattr(sketching, "GROUP", 150)
    monkeypatch.setattr(sketching, "MIN_BYTES", 0)
    monkeypatch.setattr(sketching, "sketch_texts", lambda texts: 1 / 0)  # not picklable
    broken = _findings(tmp_path)
    monkeypatch.setattr(sketching, "MIN_BYTES", 10**9)
    assert broken == _findings(tmp_path)
    assert all(p in {(n, ln) for n, ln, _ in broken} for p in planted)


def _verdicts(root: Path) -> dict:
    ws, _ = loader.load([root], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, 0.8, print,
                        processes=True)
    return ws.index._pairs


def test_candidate_pairs_confirmed_in_the_workers_get_the_same_verdicts(tmp_path, monkeypatch):
    """Confirmation in the workers, in chunks (the corpora's 4.5k pairs: 0.6 s against 0.8-0.9
    s here): every pair the same verdict as in this process, and the findings the same; a chunk
    the workers cannot run is confirmed here."""
    planted = _workspace(tmp_path)
    monkeypatch.setattr(sketching, "GROUP", 150)
    monkeypatch.setattr(sketching, "MIN_BYTES", 0)
    monkeypatch.setattr(index, "PARALLEL_PAIRS", 0)
    monkeypatch.setattr(index, "CONFIRM_CHUNK", 3)
    ran: list[list] = []
    mapped = sketching.Sketcher.map

    def spy(self, fn, jobs):
        got = mapped(self, fn, jobs)
        ran.append(got)
        return got

    monkeypatch.setattr(sketching.Sketcher, "map", spy)
    in_workers = _verdicts(tmp_path)
    assert ran and len(ran[-1]) >= 2 and all(v is not None for v in ran[-1])
    assert sum(len(v) for v in ran[-1]) == sum(len(p) for p in in_workers.values()) // 2
    with_workers = _findings(tmp_path)
    monkeypatch.setattr(index, "confirm_pairs", lambda texts, pairs: 1 / 0)  # not picklable
    broken = _verdicts(tmp_path)
    assert all(v is None for v in ran[-1])
    monkeypatch.setattr(sketching, "MIN_BYTES", 10**9)  # no workers: all confirmed here
    alone = _verdicts(tmp_path)
    assert in_workers == alone == broken
    assert with_workers == _findings(tmp_path)
    assert all(p in {(n, ln) for n, ln, _ in with_workers} for p in planted)


def test_the_workers_make_the_headlines_a_check_names_its_papers_by(tmp_path, monkeypatch):
    """``paperls check`` names each finding's paper by its headline: with workers, they make
    every headline it needs, and the names are those this process would have made."""
    from paperls.core import workspace
    from paperls.features.diagnostics import document_diagnostics

    _workspace(tmp_path)
    monkeypatch.setattr(sketching, "GROUP", 150)

    def messages() -> list[str]:
        ws, _ = loader.load([tmp_path], DEFAULT_INCLUDE, DEFAULT_EXCLUDE, 10**7, 0.8, print,
                            processes=True, headlines=True)
        return [d.message for doc in sorted(ws.index.docs)
                for d in document_diagnostics(ws, doc)]

    monkeypatch.setattr(sketching, "MIN_BYTES", 10**9)  # no workers: made here
    here = messages()
    monkeypatch.setattr(sketching, "MIN_BYTES", 0)
    extracted: list[str] = []
    extract = workspace.extract
    monkeypatch.setattr(workspace, "extract",
                        lambda text, *a, **k: extracted.append(text) or extract(text, *a, **k))
    by_workers = messages()
    assert len(here) >= 3 and by_workers == here
    assert extracted == []  # not one headline's topics extracted in this process
