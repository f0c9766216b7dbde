"""The distributed engine: the same findings as ``loader.load``, computed on a Dask cluster.

For collections past what one machine indexes (millions of abstracts). Plain futures, a
map/shuffle/reduce of our own keys over Dask's scheduler (not dataframe groupby, whose
partitioning chokes on the skew of templated abstracts' buckets):

1. map, per shard of lists (on the workers, results kept there): read, parse, normalise, the
   exact key and every sketch key of each distinct text (``index.text_keys``, as the
   single-process engine computes them);
2. shuffle by key, a few band columns per round to bound memory: each reducer holds every
   entry of its keys, so bucket sizes are global and the cap on them (``BUCKET_CAP``) cuts the
   same buckets; the reducers emit candidate pairs, the text first seen first;
3. openings (short texts against the openings of all) and exact copies, shuffled the same way;
4. the candidates' texts are read again from their shards (a join on the key) and each pair is
   confirmed by ``similarity.compare``, in batches on the workers;
5. the client builds an index of just the texts that have a copy (``Index.load_confirmed``),
   in scan order, so that every finding, cluster id, headline and format is the single-process
   engine's.

Invariant (tested): on the same files, ``paperls check --engine dask`` prints exactly what
``paperls check`` prints (with reference files beside the lists, the findings are the same; the
summary line does not count how many entries the lists hold, which would need every text linked).
The index cache is not used by this engine.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..core import sketch
from ..core.index import _LSH, _OPEN, BUCKET_CAP, text_keys
from ..core.normalize import exact_key, normalize, tokens
from ..core.parse import Abstract, ParsedList, Problem
from ..core.similarity import Verdict, compare
from ..core.workspace import Workspace
from . import memory, references, scan
from .loader import LoadStats, with_problem
from .marks import read_marks

SHARD_BYTES = 64 * 2**20
ROUND_COLUMNS = 6  # band columns shuffled per round: ~150 bytes a text in flight
_BATCH_PAIRS = 4000


# ----- on the workers ----------------------------------------------------------------------

@dataclass(slots=True)
class Shard:
    """What one map task keeps in its worker's memory: the occurrences and the sketch keys of
    its distinct texts (not the texts: they are read again for the few that are needed)."""

    files: list[tuple[int, str]]
    docs: list[tuple[int, str, int, str | None, tuple[Problem, ...], int]] = field(
        default_factory=list)  # (file index, path, lines, header, problems, abstracts)
    occ_key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    occ_where: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))  # file<<32|line
    key: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))  # distinct texts
    rank: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))  # first seen
    rows: np.ndarray = field(default_factory=lambda: np.zeros((0, sketch.KEYS), np.uint64))


def _read(path: str, max_bytes: int) -> ParsedList | None:
    r = scan.read_file(Path(path), max_bytes, lambda m: None)
    return with_problem(r) if r is not None else None


def map_shard(files: list[tuple[int, str]], max_bytes: int) -> Shard:
    s = Shard(files)
    occ_key, occ_where, norms, keys, ranks = [], [], [], [], []
    seen: dict[int, int] = {}
    for fi, path in files:
        parsed = _read(path, max_bytes)
        if parsed is None:
            continue
        s.docs.append((fi, path, len(parsed.lines), parsed.header, parsed.problems,
                       len(parsed.abstracts)))
        for a in parsed.abstracts:
            norm = normalize(a.text)
            k = exact_key(norm)
            occ_key.append(k)
            occ_where.append((fi << 32) | a.line)
            if k not in seen:
                seen[k] = len(keys)
                keys.append(k)
                ranks.append((fi << 32) | a.line)
                norms.append(norm)
    s.occ_key = np.asarray(occ_key, dtype=np.uint64)
    s.occ_where = np.asarray(occ_where, dtype=np.uint64)
    s.key = np.asarray(keys, dtype=np.uint64)
    s.rank = np.asarray(ranks, dtype=np.uint64)
    s.rows = text_keys(norms)
    return s


def _part(values: np.ndarray, parts: int) -> np.ndarray:
    return (sketch.mix(values) % np.uint64(parts)).astype(np.int64)


def band_pieces(s: Shard, cols: list[int], parts: int) -> list[np.ndarray]:
    """(band key, text key, rank) of these columns, split by reducer."""
    if not len(s.key):
        return [np.zeros((0, 3), np.uint64)] * parts
    sub = s.rows[:, cols]
    n, c = sub.shape
    flat = np.stack((sub.reshape(-1), np.repeat(s.key, c), np.repeat(s.rank, c)), axis=1)
    flat = flat[flat[:, 0] != 0]
    dest = _part(flat[:, 0], parts)
    return [flat[dest == p] for p in range(parts)]


def opening_pieces(s: Shard, parts: int) -> list[np.ndarray]:
    """(key, text key, rank, role) of the openings (role 0) and short lookups (role 1)."""
    if not len(s.key):
        return [np.zeros((0, 4), np.uint64)] * parts
    opens = s.rows[:, _OPEN]
    c = opens.shape[1]
    a = np.stack((opens.reshape(-1), np.repeat(s.key, c), np.repeat(s.rank, c),
                  np.zeros(opens.size, np.uint64)), axis=1)
    b = np.stack((s.rows[:, -1], s.key, s.rank, np.ones(len(s.key), np.uint64)), axis=1)
    flat = np.concatenate((a, b))
    flat = flat[flat[:, 0] != 0]
    dest = _part(flat[:, 0], parts)
    return [flat[dest == p] for p in range(parts)]


def exact_pieces(s: Shard, parts: int) -> list[np.ndarray]:
    """(text key, occurrences) of each distinct text of the shard, split by reducer."""
    keys, counts = np.unique(s.occ_key, return_counts=True)
    flat = np.stack((keys, counts.astype(np.uint64)), axis=1)
    dest = _part(keys, parts)
    return [flat[dest == p] for p in range(parts)]


def _ordered(pairs: np.ndarray) -> np.ndarray:
    """(key a, rank a, key b, rank b) -> (first seen, then) unique (key, key) rows."""
    if not len(pairs):
        return np.zeros((0, 2), np.uint64)
    swap = pairs[:, 1] > pairs[:, 3]
    a = np.where(swap, pairs[:, 2], pairs[:, 0])
    b = np.where(swap, pairs[:, 0], pairs[:, 2])
    return np.unique(np.stack((a, b), axis=1), axis=0)


def _distinct(entries: np.ndarray) -> np.ndarray:
    """One (key, rank) per text, its smallest rank (first seen anywhere)."""
    order = np.lexsort((entries[:, 1], entries[:, 0]))
    e = entries[order]
    first = np.ones(len(e), bool)
    first[1:] = e[1:, 0] != e[:-1, 0]
    return e[first]


def reduce_bands(pieces: list[np.ndarray]) -> np.ndarray:
    """Candidate pairs of texts sharing a band key, buckets over the cap skipped."""
    flat = np.concatenate(pieces) if pieces else np.zeros((0, 3), np.uint64)
    if len(flat) < 2:
        return np.zeros((0, 2), np.uint64)
    flat = flat[np.lexsort((flat[:, 1], flat[:, 0]))]
    cut = np.flatnonzero(flat[1:, 0] != flat[:-1, 0]) + 1
    starts = np.concatenate(([0], cut))
    ends = np.concatenate((cut, [len(flat)]))
    multi = (ends - starts) > 1
    out = []
    for s0, e0 in zip(starts[multi].tolist(), ends[multi].tolist(), strict=True):
        texts = _distinct(flat[s0:e0, 1:3])
        if len(texts) < 2 or len(texts) > BUCKET_CAP:
            continue
        i, j = np.triu_indices(len(texts), 1)
        out.append(np.concatenate((texts[i], texts[j]), axis=1))
    return _ordered(np.concatenate(out)) if out else np.zeros((0, 2), np.uint64)


def reduce_openings(pieces: list[np.ndarray]) -> np.ndarray:
    """Pairs of each short text with the texts that open with its lookup key."""
    flat = np.concatenate(pieces) if pieces else np.zeros((0, 4), np.uint64)
    if not len(flat):
        return np.zeros((0, 2), np.uint64)
    flat = np.unique(flat, axis=0)  # one entry a text, key and role, however many shards
    cut = np.flatnonzero(flat[1:, 0] != flat[:-1, 0]) + 1
    starts = np.concatenate(([0], cut))
    ends = np.concatenate((cut, [len(flat)]))
    lookups = np.add.reduceat(flat[:, 3], starts) > 0
    out = []
    for s0, e0 in zip(starts[lookups].tolist(), ends[lookups].tolist(), strict=True):
        rows = flat[s0:e0]
        opened = _distinct(rows[rows[:, 3] == 0][:, 1:3])
        if len(opened) > BUCKET_CAP or not len(opened):
            continue
        for k, r in _distinct(rows[rows[:, 3] == 1][:, 1:3]).tolist():
            rest = opened[opened[:, 0] != np.uint64(k)]
            if len(rest):
                me = np.tile(np.asarray([[k, r]], np.uint64), (len(rest), 1))
                out.append(np.concatenate((me, rest), axis=1))
    return _ordered(np.concatenate(out)) if out else np.zeros((0, 2), np.uint64)


def reduce_exact(pieces: list[np.ndarray]) -> np.ndarray:
    """Text keys that occur more than once in the whole collection."""
    flat = np.concatenate(pieces) if pieces else np.zeros((0, 2), np.uint64)
    if not len(flat):
        return np.zeros(0, np.uint64)
    keys, inv = np.unique(flat[:, 0], return_inverse=True)
    total = np.bincount(inv, weights=flat[:, 1].astype(np.float64))
    return keys[total >= 2]


def _lines_with(s: Shard, wanted: np.ndarray) -> dict[int, set[int]]:
    """file index -> the lines of the shard whose text is one of ``wanted``."""
    out: dict[int, set[int]] = {}
    for where in s.occ_where[np.isin(s.occ_key, wanted)].tolist():
        out.setdefault(where >> 32, set()).add(where & 0xFFFFFFFF)
    return out


def texts_for(s: Shard, wanted: np.ndarray, max_bytes: int) -> dict[int, str]:
    """The normalised texts of the wanted keys this shard holds (only the files and lines
    that hold them are read again)."""
    out: dict[int, str] = {}
    lines_of = _lines_with(s, wanted)
    for fi, path in s.files:
        lines = lines_of.get(fi)
        parsed = _read(path, max_bytes) if lines else None
        for a in parsed.abstracts if parsed else ():
            if a.line in lines:  # type: ignore[operator]
                norm = normalize(a.text)
                out.setdefault(exact_key(norm), norm)
    return out


def confirm(pairs: list[tuple[int, int]], texts: dict[int, str]) -> dict[tuple[int, int], Verdict]:
    toks = {k: tokens(t) for k, t in texts.items()}
    return {(a, b): compare(toks[a], toks[b]) for a, b in pairs}


def involved_docs(s: Shard, wanted: np.ndarray, max_bytes: int
                  ) -> list[tuple[int, str, ParsedList]]:
    """Every list of the shard, holding only its abstracts whose text has a copy (with every
    format problem and the line count): what the findings need, a fraction of the text."""
    lines_of = _lines_with(s, wanted)
    out = []
    for fi, path, nlines, header, problems, _ in s.docs:
        wanted_lines = lines_of.get(fi)
        abstracts: tuple[Abstract, ...] = ()
        lines: list[str] = [""] * nlines
        if wanted_lines:
            parsed = _read(path, max_bytes)
            if parsed is not None:
                abstracts = tuple(a for a in parsed.abstracts if a.line in wanted_lines)
                for a in abstracts:
                    lines[a.line] = a.source
        if header is not None and nlines:
            lines[0] = header
        out.append((fi, path, ParsedList(tuple(lines), header, abstracts, problems)))
    return out


def shard_stats(s: Shard) -> tuple[int, int]:
    return len(s.docs), int(sum(d[5] for d in s.docs))


# ----- on the client -----------------------------------------------------------------------

def _shards(paths: list[Path], n: int) -> list[list[tuple[int, str]]]:
    """Files dealt into ``n`` shards of about equal bytes, each keeping its scan index."""
    sized = []
    for i, p in enumerate(paths):
        try:
            sized.append((p.stat().st_size, i, str(p)))
        except OSError:
            sized.append((0, i, str(p)))
    out: list[list[tuple[int, str]]] = [[] for _ in range(max(1, n))]
    load = [0] * len(out)
    for size, i, p in sorted(sized, reverse=True):
        k = load.index(min(load))
        out[k].append((i, p))
        load[k] += size + 1
    return [sorted(s) for s in out if s]


class _Progress:
    def __init__(self, enabled: bool) -> None:
        self.bar = None
        if enabled:
            try:
                from tqdm import tqdm  # noqa: PLC0415
                self.bar = tqdm(total=0, file=sys.stderr, unit="task", dynamic_ncols=True)
            except ImportError:
                self.bar = None

    def wait(self, futures, what: str):
        from distributed import as_completed  # noqa: PLC0415
        if self.bar is not None:
            self.bar.set_description(what)
            self.bar.total += len(futures)
            self.bar.refresh()
        for _ in as_completed(futures):
            if self.bar is not None:
                self.bar.update(1)
        return futures

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def connect(workers: int | None, scheduler: str | None, memory_limit: str | None = None):
    """A client of the given scheduler, or of a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster  # noqa: PLC0415

    if scheduler:
        return Client(scheduler), None
    n = workers or max(1, os.cpu_count() or 1)
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None, memory_limit=memory_limit or "auto",
                           silence_logs=50)
    return Client(cluster), cluster


@memory.collection_paused()
def load(roots: list[Path], include: list[str], exclude: list[str], max_bytes: int,
         threshold: float, warn: Callable[[str], None], *, client, shards: int | None = None,
         progress: bool = False, timings: dict[str, float] | None = None,
         with_references: bool = True
         ) -> tuple[Workspace, LoadStats]:
    """``loader.load`` on a cluster: a model of the texts with copies, and the full counts."""
    started = time.perf_counter()
    t = timings if timings is not None else {}
    bar = _Progress(progress)
    stats = LoadStats()
    try:
        paths: list[Path] = []
        seen = set()
        for p in scan.iter_candidates(roots, include, exclude, warn):
            key = str(p)
            if key not in seen:
                seen.add(key)
                paths.append(p)
        workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
        total = sum(p.stat().st_size for p in paths if p.exists())
        # Four shards a worker at least, and none over ~64 MB of text: a map task then holds
        # a bounded share in memory, and the bar moves.
        n = shards or max(1, min(len(paths), max(workers * 4, -(-total // SHARD_BYTES))))
        # 1. map
        mapped = bar.wait([client.submit(map_shard, s, max_bytes, pure=False)
                           for s in _shards(paths, n)], "reading and sketching")
        t["map"] = time.perf_counter() - started
        parts = workers * 2
        # 2. bands, a few columns a round
        cands = []
        for c0 in range(0, _LSH, ROUND_COLUMNS):
            cols = list(range(c0, min(_LSH, c0 + ROUND_COLUMNS)))
            pieces = [client.submit(band_pieces, m, cols, parts, pure=False) for m in mapped]
            reducers = [client.submit(reduce_bands, [client.submit(_item, x, p, pure=False)
                                                     for x in pieces], pure=False)
                        for p in range(parts)]
            cands += bar.wait(reducers, f"matching bands {c0 + 1}-{cols[-1] + 1} of {_LSH}")
            del pieces
        # 3. openings and exact copies
        opieces = [client.submit(opening_pieces, m, parts, pure=False) for m in mapped]
        cands += bar.wait([client.submit(reduce_openings, [client.submit(_item, x, p, pure=False)
                                                           for x in opieces], pure=False)
                           for p in range(parts)], "matching openings")
        epieces = [client.submit(exact_pieces, m, parts, pure=False) for m in mapped]
        exact = bar.wait([client.submit(reduce_exact, [client.submit(_item, x, p, pure=False)
                                                       for x in epieces], pure=False)
                          for p in range(parts)], "exact copies")
        got = [c for c in client.gather(cands) if len(c)]
        pairs = np.unique(np.concatenate(got), axis=0) if got else np.zeros((0, 2), np.uint64)
        multi = np.concatenate(client.gather(exact))
        t["shuffle"] = time.perf_counter() - started - t["map"]
        # 4. confirm each candidate on the workers, with its texts joined in
        wanted = np.unique(pairs.reshape(-1))
        texts: dict[int, str] = {}
        for d in client.gather(bar.wait([client.submit(texts_for, m, wanted, max_bytes,
                                                       pure=False) for m in mapped],
                                        "reading candidates")):
            for k, v in d.items():
                texts.setdefault(k, v)
        plist = [(int(a), int(b)) for a, b in pairs.tolist()]
        jobs = []
        for i in range(0, len(plist), _BATCH_PAIRS):
            batch = plist[i:i + _BATCH_PAIRS]
            need = {k for ab in batch for k in ab}
            jobs.append(client.submit(confirm, batch, {k: texts[k] for k in need}, pure=False))
        verdicts: dict[tuple[int, int], Verdict] = {}
        for v in client.gather(bar.wait(jobs, "confirming candidates")):
            verdicts.update(v)
        t["confirm"] = time.perf_counter() - started - t["map"] - t["shuffle"]
        # 5. the model of what has copies, in scan order
        keep = np.unique(np.concatenate((multi, wanted)))
        docs = []
        for part in client.gather(bar.wait([client.submit(involved_docs, m, keep, max_bytes,
                                                          pure=False) for m in mapped],
                                           "gathering findings")):
            docs += part
        for files, abstracts in client.gather([client.submit(shard_stats, m, pure=False)
                                               for m in mapped]):
            stats.files += files
            stats.abstracts += abstracts
        docs.sort(key=lambda d: d[0])
        ws = Workspace(threshold)
        ws.index.load_confirmed(((path, parsed) for _, path, parsed in docs), verdicts)
        ws.index.set_marks(read_marks(roots))
        if with_references:
            for path, refs in references.find_files(roots, exclude, warn, max_bytes):
                ws.refs.set_file(str(path), refs)
                stats.reference_files += 1
        t["model"] = time.perf_counter() - started - t["map"] - t["shuffle"] - t["confirm"]
        del mapped
    finally:
        bar.close()
    stats.seconds = time.perf_counter() - started
    stats.timings = t
    return ws, stats


def _item(xs, i):
    return xs[i]
