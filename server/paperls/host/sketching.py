"""Sketching a large scan in worker processes, while this process reads and indexes.

Normalising and sketching were most of a cold load (5.3 s of CPU for the 98.8k corpora with the
NumPy sketch; with the C kernel, normalising is ~2 s of the ~2.6 s left), and in threads they
shared one interpreter lock with the reading and indexing: the load used 1.2 of the machine's 2
cores. Here consecutive files are gathered into groups of ``GROUP`` abstracts,
each group's texts are sketched in a worker process (``index.sketch_texts``), and the files
come back in scan order with their sketches, which the index takes as it takes cached ones.

A scan of less than ``MIN_BYTES`` of lists never starts a process (two cost ~0.3 GB and
~0.4 s to start). Where no process can be started, or once a worker has failed, the index
sketches the rest in threads as before. Either way the sketches, and so the findings, are the
same.

Invariant: files are yielded in the order they were read, whatever order the workers finish
in (text ids follow it).
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from ..core.index import Sketched, sketch_texts
from ..core.parse import ParsedList
from . import worker

log = logging.getLogger(__name__)

GROUP = 2000  # abstracts sent to a worker at once (~2.7 MB of text each way is ~10 ms)
MIN_BYTES = 30_000_000  # lists to read, about 25k abstracts: below, the workers' 0.3 GB and
# start-up buy nothing. With the C sketch, what they take off this process is mostly the
# normalising: for the 24k abstracts of acl-anthology (27 MB), 3.01-3.28 s with them and
# 3.15 s without, and 190 against 175 MB
AHEAD = 3  # groups waiting or in work per worker: the reader waits rather than pile up texts


def _warm() -> None:
    from ..core import sketch

    sketch.warm_up()


def _warm_words() -> None:
    """English word frequencies, which confirming pairs and making headlines read
    (``Sketcher.map``): 0.42 s and 43 MB a worker. Loaded after the last group is sent, while
    this process indexes the last groups; loaded first, they held up the first groups (in
    process, a cold load of the corpora 5.6-6.3 -> 5.0-5.8 s, with the same findings)."""
    from ..core import similarity, topics

    topics.warm_up()
    similarity.information(["warm"])


class Sketcher:
    """Worker processes for one load: ``run`` them over the scan, then ``close``."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._failed = False
        self.sketched = 0
        """Abstracts sketched by the workers (the rest by the index, or cached)."""

    @staticmethod
    def starts(size_hint: int | None) -> bool:
        """Whether ``run`` over a scan of ``size_hint`` bytes starts workers (if it can)."""
        return size_hint is None or size_hint >= MIN_BYTES

    def _start(self) -> concurrent.futures.ProcessPoolExecutor | None:
        if self._pool is None and not self._failed:
            try:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=worker.end_with_parent)
                for _ in range(self.workers):
                    self._pool.submit(_warm)
            except (OSError, ValueError) as err:
                log.info("no worker processes for sketching (%s); sketching in threads", err)
                self._failed = True
        return self._pool

    def run(self, items: Iterable[tuple[str, ParsedList]], known: dict[str, list[Sketched]],
            size_hint: int | None = None) -> Iterator[tuple[str, ParsedList]]:
        """The scan's files, in order; each one's sketches are in ``known`` when it comes out
        (unless it was there already, or the group could not be sketched here: then the index
        sketches it). ``size_hint``: the bytes the scan will read; under ``MIN_BYTES`` no
        worker starts."""
        if not self.starts(size_hint):
            yield from items
            return
        group: list[tuple[str, ParsedList]] = []
        size = 0
        waiting: deque = deque()  # (files, future or None), oldest first

        def done(block: bool) -> Iterator[tuple[str, ParsedList]]:
            limit = AHEAD * self.workers
            while waiting and (block or len(waiting) > limit or waiting[0][1] is None
                               or waiting[0][1].done()):
                files, job = waiting.popleft()
                if job is not None:
                    try:
                        keys, rows = job.result()
                    except Exception as err:  # noqa: BLE001 - a lost or failed worker
                        # costs time, never the load: the index sketches these files itself.
                        log.warning("sketching worker failed (%r); sketching in threads", err)
                        self._failed = True
                    else:
                        self._record(files, known, keys.tolist(), rows)
                        self.sketched += len(keys)
                yield from files

        def send() -> Iterator[tuple[str, ParsedList]]:
            nonlocal size
            todo = [(d, p) for d, p in group if d not in known and p.abstracts]
            pool = self._start() if todo and not self._failed else None
            job = None
            if pool is not None:
                try:
                    job = pool.submit(sketch_texts, [a.text for _, p in todo for a in p.abstracts])
                except RuntimeError as err:  # the pool broke or shut down meanwhile
                    log.info("sketching in threads (%s)", err)
                    self._failed = True
            waiting.append((list(group), job))
            group.clear()
            size = 0
            yield from done(False)

        for doc, parsed in items:
            group.append((doc, parsed))
            size += len(parsed.abstracts)
            if size >= GROUP:
                # Every group to the workers, the first too: this process reads on while they
                # start, and never builds the sketch's tables and temporaries itself (the
                # peak of a cold load of the corpora 630 -> 590 MB).
                yield from send()
        if group:
            yield from send()
        if self._pool is not None and not self._failed:
            for _ in range(self.workers):
                self._pool.submit(_warm_words)
        yield from done(True)

    @staticmethod
    def _record(files: list[tuple[str, ParsedList]], known: dict[str, list[Sketched]],
                keys: list[int], rows) -> None:
        i = 0
        width = rows.shape[1] * 8
        flat = rows.astype("<u8").tobytes()  # one copy, cut per text: not a NumPy row each
        for doc, parsed in files:
            if doc in known or not parsed.abstracts:
                continue
            n = len(parsed.abstracts)
            known[doc] = [Sketched(k, flat[(i + j) * width:(i + j + 1) * width])
                          for j, k in enumerate(keys[i:i + n])]
            i += n

    def map(self, fn, jobs: list[tuple]) -> list:
        """``fn(*job)`` for each job in the workers, results in order; None for a job that
        could not run there (no workers: a scan too small to start them, or they failed)."""
        if self._pool is None or self._failed:
            return [None] * len(jobs)
        futures = []
        for job in jobs:
            try:
                futures.append(self._pool.submit(fn, *job))
            except RuntimeError as err:  # the pool broke or shut down meanwhile
                log.info("no worker processes (%s)", err)
                self._failed = True
                futures.append(None)
        out = []
        for f in futures:
            try:
                out.append(f.result() if f is not None else None)
            except Exception as err:  # noqa: BLE001 - a lost worker costs time, never a verdict
                log.warning("worker failed (%r); confirming in this process", err)
                out.append(None)
        return out

    def close(self) -> None:
        """End the workers (they are idle by now: every group was collected). Not waited for:
        their exit took 0.10-0.16 s that the check's report can use (the interpreter still
        waits for them before it ends)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
