"""Loading a whole workspace from disk into a fresh model: scan, read, parse, index, with the
on-disk cache when one is given. Shared by the server's initial index, ``paperls check`` and the
benchmarks, so that all three measure and run the same path."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core import topics
from ..core.index import Index
from ..core.parse import ParsedList, parse
from ..core.workspace import Workspace, prepare_many
from . import memory, references, scan, sketching
from .cache import Entry, IndexCache
from .marks import read_marks


@dataclass(slots=True)
class LoadStats:
    files: int = 0
    abstracts: int = 0
    cached_files: int = 0
    reference_files: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    digests: dict[str, bytes] = field(default_factory=dict)
    """Each list's path and the digest of the bytes read of it."""
    save_cache: Callable[[], None] | None = None
    """With ``defer_save``: writes the index cache, for the caller to run when it has time (its
    entries are taken at load, so later edits of the model never reach the cache)."""


PREPARE_MIN = 2000  # cached abstracts worth building the index's tables beside the reading


def with_problem(r: scan.Read) -> ParsedList:
    parsed = parse(r.text)
    if r.problem is not None:
        parsed = ParsedList(parsed.lines, parsed.header, parsed.abstracts,
                            (r.problem, *parsed.problems))
    return parsed


def _prepare_headlines(ws: Workspace, sketcher: sketching.Sketcher) -> None:
    """The hover headlines of the texts with copies, made by the workers (idle once the pairs
    are confirmed) and kept in ``ws``: the check's report then names each paper without
    extracting topics here, 130 texts at 2-4 ms each for the corpora. A chunk a worker could
    not make is made here when the report asks for it, as without workers."""
    todo = ws.unheaded_findings(ws.index.docs)
    n = 2 * sketcher.workers
    chunks = [c for c in (todo[i::n] for i in range(n)) if c]  # interleaved: even chunks
    got = sketcher.map(prepare_many, [([text for _, text in c],) for c in chunks])
    for chunk, prepared in zip(chunks, got, strict=True):
        if prepared is not None:
            ws.add_prepared([tid for tid, _ in chunk], prepared)


@memory.collection_paused()
def load(roots: list[Path], include: list[str], exclude: list[str], max_bytes: int,
         threshold: float, warn: Callable[[str], None], *, cache_dir: Path | None = None,
         key: Callable[[Path], str] | None = None, namer: Callable[[str], str] | None = None,
         progress: Callable[[int, int], None] | None = None,
         with_references: bool = True, defer_save: bool = False,
         processes: bool = False, headlines: bool = False) -> tuple[Workspace, LoadStats]:
    """Index every abstract list under ``roots`` (folders or files). Documents are keyed by
    ``key(path)`` (the path as a string by default; the server passes its URI canonicaliser).
    Reference files (BibTeX, RIS, CSL JSON) under the roots are read too, unless
    ``with_references`` is off. With ``processes`` a large scan is sketched in worker
    processes (``host.sketching``; spawned, so a calling script needs the usual
    ``if __name__ == "__main__":`` guard): the command line and the server ask for it. With
    ``headlines`` too, those processes also make the headline of every text that has a copy
    before they end (what ``paperls check`` names each finding's paper by)."""
    key = key or str
    started = time.perf_counter()
    stats = LoadStats()
    cache = IndexCache(cache_dir, roots) if cache_dir is not None else None
    cached, verdicts = cache.load() if cache else ({}, {})
    stats.timings["cache_load"] = time.perf_counter() - started
    known = {}
    meta: dict[str, tuple[str, scan.Read]] = {}

    def items():
        # Files are read and parsed as the index takes them, so that sketching (worker
        # processes or two threads) overlaps the reading, and each file's text is let go once
        # parsed (the parse keeps its lines; the cache needs only the file's size, time and
        # digest).
        nonlocal read
        t = time.perf_counter()
        for path, r in scan.read_lists(candidates, max_bytes, warn):
            doc = key(path)
            if doc in meta:
                continue  # named twice (a folder and a file in it, or a link to a listed file)
            parsed = with_problem(r)
            meta[doc] = (str(path), dataclasses.replace(r, text=""))
            e = cached.get(str(path))
            if e is not None and (e.size, e.mtime_ns, e.digest) == (r.size, r.mtime_ns, r.digest):
                known[doc] = e.sketches
                stats.cached_files += 1
            stats.abstracts += len(parsed.abstracts)
            if progress is not None and len(meta) % 50 == 0:
                progress(len(meta), stats.abstracts)
            read += time.perf_counter() - t
            yield doc, parsed
            t = time.perf_counter()

    ws = Workspace(threshold, namer=namer)
    t = time.perf_counter()
    # The files first (one walk), so that what the scan will read is known before it reads:
    # worker processes only for a large one.
    candidates = list(scan.iter_candidates(roots, include, exclude, warn))
    read = time.perf_counter() - t
    sketcher = sketching.Sketcher() if processes else None
    hint = scan.total_size(candidates) if sketcher else None
    # English word frequencies (short-text rules, headlines) load while the files are read:
    # 0.36 s that would otherwise come after the index. Not in a cold load whose workers make
    # the headlines: nothing here reads them then, and loading them took ~0.5 s of the
    # interpreter lock from the reading.
    if not (headlines and sketcher is not None and sketcher.starts(hint) and not cached):
        threading.Thread(target=topics.warm_up, name="paperls-wordfreq", daemon=True).start()
    # A warm start: the index's tables are built from the cache while the files are read (the
    # index uses them only if the files turn out to be the ones cached, in the same order).
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1) \
        if sum(len(e.sketches) for e in cached.values()) >= PREPARE_MIN else None
    prepared = pool.submit(Index.prepare, [e.sketches for e in cached.values()]) \
        if pool is not None else None
    try:
        ws.bulk_load(sketcher.run(items(), known, hint) if sketcher else items(), known,
                     verdicts, prepared, sketcher.map if sketcher else None)
        if headlines and sketcher is not None:
            _prepare_headlines(ws, sketcher)
    finally:
        if sketcher:
            sketcher.close()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    stats.files = len(meta)
    stats.digests = {p: r.digest for p, r in meta.values()}
    stats.timings["read_parse"] = read
    if progress is not None:
        progress(stats.files, stats.abstracts)
    ws.index.set_marks(read_marks(roots))
    if with_references:
        for path, refs in references.find_files(roots, exclude, warn, max_bytes):
            ws.refs.set_file(key(path), refs)
            stats.reference_files += 1
    stats.timings["index"] = time.perf_counter() - t - read
    if cache is not None and (stats.cached_files < stats.files or len(cached) != stats.files):
        entries = {p: Entry(r.size, r.mtime_ns, r.digest, ws.index.export(doc))
                   for doc, (p, r) in meta.items()}
        verdicts = ws.index.export_verdicts()

        def save() -> None:
            t = time.perf_counter()
            cache.save(entries, verdicts)
            stats.timings["cache_save"] = time.perf_counter() - t

        if defer_save:
            stats.save_cache = save
        else:
            save()
    memory.give_back()
    stats.seconds = time.perf_counter() - started
    return ws, stats
