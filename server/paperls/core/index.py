"""The workspace index: every abstract of every list, its exact copies and its near duplicates.

Documents are keyed by an opaque string (the LSP layer uses URIs, the command line paths). A
document's parse is replaced whole (files are small; re-parsing is cheap and simple). Distinct
normalised texts get a text id; each knows where it occurs. Near duplicates are found between
distinct texts by banded sketches (``sketch``) and confirmed word by word (``similarity``).

Invariants:
- the index after any sequence of ``set_document``/``remove_document`` calls has the same
  findings as an index built fresh from the final documents (tested property);
- text ids are never reused, so a stale id in the LSH tables can only point at a dead text,
  which queries skip;
- a verdict is kept for every candidate pair compared (a few thousand for 100k abstracts), so
  changing the near-duplicate threshold, or a warm start from the cache, needs no new matching;
- a text's key is a 64-bit BLAKE2 digest of its normalised form; two different texts sharing one
  (odds about 1 in 10^8 for a million texts) would be taken for exact copies. Keys and band keys
  are stable across processes, which is what lets ``export``/``bulk_load`` cache them on disk.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from . import sketch
from .normalize import exact_key, normalize, tokens
from .parse import Abstract, ParsedList
from .similarity import (
    DEFAULT_THRESHOLD,
    POSSIBLE_THRESHOLD,
    Verdict,
    compare,
    is_near_duplicate,
    is_possible_duplicate,
    why,
)

BUCKET_CAP = 400  # a band bucket with more distinct texts than this is boilerplate, not papers
_NONE = Verdict(0.0, 0.0, 0.0, False, False)
_LSH = sketch.BANDS + 2  # key columns paired with each other: bands and edges
_OPEN = slice(_LSH, sketch.KEYS - 1)  # opening keys, looked up by short texts only
_BATCH = sketch.BATCH  # texts a bulk load sends to a sketch thread at once
Parallel = Callable[[Callable, list[tuple]], list]
"""Maps a pure function over argument tuples in worker processes, results in order (None for a
job that failed, which the caller then does itself): ``host.sketching.Sketcher.map``."""
# Candidate pairs confirmed in worker processes when a bulk load has them (``parallel``): from
# this many, in chunks of CONFIRM_CHUNK (the corpora: 4,462 pairs, 0.57-0.62 s so against
# 0.76-0.93 s in this process).
PARALLEL_PAIRS = 1000
CONFIRM_CHUNK = 500
_AHEAD = 4  # batches sketching or waiting at most: the reader waits rather than pile up texts


@dataclass(frozen=True, slots=True)
class Copy:
    """Another place the same paper appears."""

    doc: str
    line: int
    exact: bool
    similarity: float  # 1.0 for exact copies
    contained: bool = False  # a near copy that is a truncated version of the other
    possible: bool = False  # probably the same paper (a revised version, a short opening)
    reason: str = ""  # "near copy", "truncated copy", "revised version" (not for exact copies)


@dataclass(frozen=True, slots=True)
class Finding:
    """An abstract that has copies elsewhere; ``copies`` exact first, then near, best first."""

    doc: str
    line: int
    start: int
    end: int
    copies: tuple[Copy, ...]

    @property
    def in_list(self) -> bool:
        """Whether a copy sits in the same list (a curator's mistake, not just overlap)."""
        return any(c.doc == self.doc for c in self.copies)

    @property
    def exact(self) -> bool:
        return any(c.exact for c in self.copies)


@dataclass(frozen=True, slots=True)
class Sketched:
    """What the index knows of one abstract that can be cached: its exact key and band keys."""

    key: int
    bands: bytes  # sketch.KEYS little-endian uint64 keys: bands, edges, openings, lookup


@dataclass(slots=True)
class _Text:
    """A distinct normalised text. It keeps one of its abstracts, not the normalised string:
    that is recomputed when needed (rarely), which saves a copy of every abstract."""

    abstract: Abstract
    key: int
    bands: bytes | None = None
    where: set[tuple[str, int]] = field(default_factory=set)  # (doc, line)

    @property
    def normalized(self) -> str:
        return normalize(self.abstract.text)


@dataclass(slots=True)
class Document:
    parsed: ParsedList
    tids: list[int]  # aligned with parsed.abstracts
    by_line: dict[int, int] = field(default_factory=dict)  # line -> text id: O(1) lookups

    def __post_init__(self) -> None:
        self.by_line = {a.line: t for a, t in zip(self.parsed.abstracts, self.tids, strict=True)}


@dataclass(frozen=True, slots=True)
class Change:
    """What one change of the index did: the documents whose findings may differ, and the
    text ids that died (their topics and catalogue entries must go with them)."""

    affected: frozenset[str]
    died: tuple[int, ...]


class Index:
    """The one owner of index state. Not thread-safe: mutate from one thread at a time."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD,
                 possible_threshold: float = POSSIBLE_THRESHOLD) -> None:
        self._threshold = threshold
        self._possible = possible_threshold
        self.docs: dict[str, Document] = {}
        self._texts: list[_Text | None] = []
        self._by_key: dict[int, int] = {}  # hash of the normalised text -> text id
        self._pairs: dict[int, dict[int, Verdict]] = {}
        # LSH: a sorted static table from the last bulk load, and a dict for later additions.
        self._static_keys = np.zeros(0, dtype=np.uint64)
        self._static_tids = np.zeros(0, dtype=np.int32)
        self._overlay: dict[int, list[int]] = {}
        # Openings: a sorted static table and an overlay, looked up by short texts; and the
        # short texts by their lookup key, which a new long text looks up.
        self._open_keys = np.zeros(0, dtype=np.uint64)
        self._open_tids = np.zeros(0, dtype=np.int32)
        self._open_overlay: dict[int, list[int]] = {}
        self._short: dict[int, list[int]] = {}
        # Scratch of one change: texts born (with their normalised form) and died in it.
        self._born: list[tuple[int, str | None]] = []
        self._died: list[int] = []
        self.revision = 0
        """Bumped at the start of every change: a reader off the event loop that sees the
        same revision before and after its read saw one consistent state."""
        self._abstracts = 0  # running count, for the status request
        self._with_copies: tuple[tuple, int] | None = None  # ((revision, thresholds), count)
        self._orphans: list[int] = []
        # Pairs of text keys a user marked "not a duplicate": a mark lapses by itself when
        # either text changes, since its key changes with it.
        self.not_duplicates: set[tuple[int, int]] = set()

    # ----- queries -------------------------------------------------------------------------

    @property
    def threshold(self) -> float:
        return self._threshold

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.revision += 1
        self._threshold = value

    @property
    def possible_threshold(self) -> float:
        return self._possible

    @possible_threshold.setter
    def possible_threshold(self, value: float) -> None:
        self.revision += 1
        self._possible = value

    def _linked(self, v: Verdict) -> tuple[bool, bool]:
        """(near, possible) for a verdict at the current thresholds."""
        if is_near_duplicate(v, self._threshold):
            return True, False
        return False, is_possible_duplicate(v, self._threshold, self._possible)

    @property
    def abstract_count(self) -> int:
        return self._abstracts

    def document(self, doc: str) -> Document | None:
        return self.docs.get(doc)

    def text_id(self, doc: str, line: int) -> int | None:
        d = self.docs.get(doc)
        return d.by_line.get(line) if d is not None else None

    def copies(self, doc: str, line: int) -> list[Copy]:
        """Every other copy of the abstract on ``line`` of ``doc``: exact first, then near."""
        tid = self.text_id(doc, line)
        if tid is None:
            return []
        return self._copies_of(tid, (doc, line))

    def _copies_of(self, tid: int, me: tuple[str, int]) -> list[Copy]:
        text = self._texts[tid]
        assert text is not None
        out = [Copy(d, ln, True, 1.0) for d, ln in sorted(text.where) if (d, ln) != me]
        near: list[Copy] = []
        pairs = self._pairs.get(tid, {})
        ambiguous = self._ambiguous_opening(pairs)
        for other, v in pairs.items():
            certain, possible = self._linked(v)
            if not (certain or possible) or (possible and v.opening and ambiguous):
                continue
            t2 = self._texts[other]
            if t2 is None or self.marked(text.key, t2.key):
                continue
            near.extend(Copy(d, ln, False, v.similarity, v.contained or v.opening, possible,
                             why(v, self._threshold)) for d, ln in t2.where)
        near.sort(key=lambda c: (c.possible, -c.similarity, c.doc, c.line))
        return out + near

    def _ambiguous_opening(self, pairs: dict[int, Verdict]) -> bool:
        """Whether a short text opens several papers: a possible opening of two or more texts
        that are not copies of each other says nothing of which paper it is."""
        opened = [o for o, v in pairs.items()
                  if v.opening and self._linked(v)[1] and self._texts[o] is not None]
        if len(opened) < 2:
            return False
        return any(not any(self._linked(self._pairs.get(a, {}).get(b) or _NONE))
                   for i, a in enumerate(opened) for b in opened[i + 1:])

    def findings(self, doc: str) -> list[Finding]:
        """The abstracts of ``doc`` that have copies, in line order."""
        d = self.docs.get(doc)
        if d is None:
            return []
        out = []
        texts, pairs = self._texts, self._pairs
        for a, tid in zip(d.parsed.abstracts, d.tids, strict=True):
            if tid not in pairs and len(texts[tid].where) == 1:  # type: ignore[union-attr]
                continue  # most abstracts: no other copy, exact or near
            copies = self._copies_of(tid, (doc, a.line))
            if copies:
                out.append(Finding(doc, a.line, a.start, a.end, tuple(copies)))
        return out

    def text_ids(self) -> list[int]:
        return [tid for tid, t in enumerate(self._texts) if t is not None]

    def sample(self, n: int) -> list[str]:
        """About ``n`` abstracts' texts, evenly spaced over the index (as written)."""
        step = max(1, len(self._texts) // max(1, n))
        return [t.abstract.text for t in self._texts[::step] if t is not None]

    def all_texts(self) -> Iterable[tuple[int, str]]:
        for tid, t in enumerate(self._texts):
            if t is not None:
                yield tid, t.normalized

    def alive(self, tid: int) -> bool:
        return 0 <= tid < len(self._texts) and self._texts[tid] is not None

    def normalized(self, tid: int) -> str | None:
        t = self._texts[tid] if 0 <= tid < len(self._texts) else None
        return t.normalized if t else None

    def occurrences(self, tid: int) -> set[tuple[str, int]]:
        t = self._texts[tid] if 0 <= tid < len(self._texts) else None
        return set(t.where) if t else set()

    def partners(self, tid: int) -> list[int]:
        """Texts confirmed as near duplicates of this one (at the current threshold)."""
        return [o for o, v in self._pairs.get(tid, {}).items()
                if any(self._linked(v)) and self._texts[o] is not None]

    def live_keys(self) -> set[int]:
        """The content keys of every indexed text (a mark is in force while both are here)."""
        return set(self._by_key)

    def marked(self, ka: int, kb: int) -> bool:
        return (min(ka, kb), max(ka, kb)) in self.not_duplicates

    def key_of(self, doc: str, line: int) -> int | None:
        tid = self.text_id(doc, line)
        return self._texts[tid].key if tid is not None else None  # type: ignore[union-attr]

    def set_marks(self, pairs: set[tuple[int, int]]) -> set[str]:
        """Replace the "not a duplicate" marks; returns the documents whose findings change."""
        self.revision += 1
        changed = pairs ^ self.not_duplicates
        self.not_duplicates = {(min(a, b), max(a, b)) for a, b in pairs}
        keys = {k for pair in changed for k in pair}
        out: set[str] = set()
        for k in keys:
            tid = self._by_key.get(k)
            if tid is not None:
                out |= self._docs_touching(tid)
        return out

    def first_occurrence(self, tid: int) -> tuple[str, int] | None:
        t = self._texts[tid] if 0 <= tid < len(self._texts) else None
        return min(t.where) if t and t.where else None

    def count_with_copies(self) -> int:
        """How many abstracts have another copy (exact or near) somewhere in the workspace;
        computed once per revision (clients ask after every diagnostics change)."""
        stamp = (self.revision, self.threshold, self._possible)
        if self._with_copies is not None and self._with_copies[0] == stamp:
            return self._with_copies[1]
        n = sum(len(self._texts[tid].where) for tid in self.copied())  # type: ignore[union-attr]
        self._with_copies = (stamp, n)
        return n

    def copied(self) -> list[int]:
        """The texts that have another copy (exact or near) somewhere in the workspace."""
        texts = self._texts
        out = {tid for tid, t in enumerate(texts) if t is not None and len(t.where) > 1}
        for tid, pairs in self._pairs.items():  # the few texts with a verdict, not all texts
            t = texts[tid]
            if t is not None and tid not in out and any(
                    any(self._linked(v)) and texts[o] is not None
                    and not self.marked(t.key, texts[o].key)  # type: ignore[union-attr]
                    for o, v in pairs.items()):
                out.add(tid)
        return sorted(out)

    def sketch_of(self, tid: int) -> tuple[int, bytes | None]:
        """A live text's exact key and band keys (what ``probe`` of another index takes)."""
        t = self._texts[tid]
        assert t is not None
        return t.key, t.bands

    def probe(self, queries: list[tuple[int, bytes | None]], text_of: Callable[[int], str]
              ) -> list[list[tuple[int, Verdict | None]]]:
        """For texts of another index, given as (exact key, band keys), with ``text_of(i)``
        the normalised text of query ``i`` (asked only for queries with candidates): the texts
        of this one each is the same as (None for an exact copy, else the verdict), by the same
        candidates and rules as copies inside this index. Read-only: queries are not added."""
        n = len(queries)
        out: list[list[tuple[int, Verdict | None]]] = [[] for _ in range(n)]
        if not n:
            return out
        keys = np.zeros((n, sketch.KEYS), dtype=np.uint64)
        for i, (_, b) in enumerate(queries):
            if b:
                keys[i] = np.frombuffer(b, dtype="<u8")
        # Which queries share any key with this index, in a few array passes (most share none).
        lsh = keys[:, :_LSH]
        lo = np.searchsorted(self._static_keys, lsh, "left")
        hi = np.searchsorted(self._static_keys, lsh, "right")
        look = keys[:, -1]
        olo = np.searchsorted(self._open_keys, look, "left")
        ohi = np.searchsorted(self._open_keys, look, "right")
        short = np.fromiter(self._short, dtype=np.uint64, count=len(self._short))
        hit = ((hi > lo) & (lsh != 0)).any(axis=1) | ((ohi > olo) & (look != 0)) \
            | (np.isin(keys[:, _OPEN], short) & (keys[:, _OPEN] != 0)).any(axis=1)
        if self._overlay or self._open_overlay:
            hit[:] = True  # additions since the last bulk load: look every query up
        cache: dict[int, list[str]] = {}
        for i, (key, _) in enumerate(queries):
            same = self._by_key.get(key)
            if same is not None:
                out[i].append((same, None))
            if not hit[i]:
                continue
            cands: set[int] = set()
            for k, a, b in zip(lsh[i].tolist(), lo[i].tolist(), hi[i].tolist(), strict=True):
                extra = self._overlay.get(k, []) if k else []
                if k and 0 < b - a + len(extra) <= BUCKET_CAP:
                    cands.update(self._static_tids[a:b].tolist(), extra)
            lookup = int(look[i])
            if lookup:
                a, b = int(olo[i]), int(ohi[i])
                extra = self._open_overlay.get(lookup, [])
                if b - a + len(extra) <= BUCKET_CAP:
                    cands.update(self._open_tids[a:b].tolist(), extra)
            for k in keys[i, _OPEN].tolist():
                if k:
                    cands.update(self._short.get(k, []))
            cands.discard(same)  # type: ignore[arg-type]
            if not cands:
                continue
            mine = tokens(text_of(i))
            for other in sorted(cands):
                t = self._texts[other]
                if t is None:
                    continue
                theirs = cache.get(other)
                if theirs is None:
                    theirs = cache[other] = tokens(t.normalized)
                v = compare(mine, theirs)
                if any(self._linked(v)):
                    out[i].append((other, v))
        return out

    def near_pairs(self) -> list[tuple[int, int, Verdict]]:
        """Every confirmed near-duplicate pair of distinct texts, once (a < b)."""
        return [(a, b, v) for a, m in self._pairs.items() for b, v in m.items()
                if a < b and is_near_duplicate(v, self.threshold)]

    def possible_pairs(self) -> list[tuple[int, int, Verdict]]:
        """Every pair of distinct texts that is probably the same paper (a < b), before the
        per-text rules of ``copies`` (an opening of several papers links no one)."""
        return [(a, b, v) for a, m in self._pairs.items() for b, v in m.items()
                if a < b and self._linked(v)[1]]

    # ----- changes -------------------------------------------------------------------------

    def _change(self, affected: set[str]) -> Change:
        died, self._died = tuple(self._died), []
        return Change(frozenset(affected), died)

    def set_document(self, doc: str, parsed: ParsedList) -> Change:
        """Index (or re-index) one document; the change says every document whose findings may
        change.

        Texts the new version still has keep their ids (and their matches and topics): only
        texts that are new to the workspace are sketched and matched.
        """
        self.revision += 1
        prev = self.docs.get(doc)
        # An unchanged line keeps its text id without being normalised again: an edit costs
        # what it changes, not the size of the list.
        same = {a.source: tid for a, tid in zip(prev.parsed.abstracts, prev.tids, strict=True)} \
            if prev is not None else {}
        before = {(a.line, t) for a, t in zip(prev.parsed.abstracts, prev.tids, strict=True)} \
            if prev is not None else set()
        self._detach(doc, kill=False, collect=False)
        old = self._orphans
        self._orphans = []
        start = len(self._born)
        self._attach(doc, parsed, reuse=same)
        d = self.docs[doc]
        after = {(a.line, t) for a, t in zip(d.parsed.abstracts, d.tids, strict=True)}
        # Other lists change only where an occurrence here appeared, vanished or moved (their
        # messages name this list's lines), so only those texts' lists are affected.
        affected = {doc}
        for _, tid in before ^ after:
            affected |= self._docs_touching(tid)
        for tid in old:
            text = self._texts[tid]
            if text is not None and not text.where:
                self._kill(tid)
        fresh = [(t, n) for t, n in self._born[start:] if self._texts[t] is not None]
        if fresh:
            tids = [t for t, _ in fresh]
            self._set_bands(tids, text_keys([n for _, n in fresh]))  # type: ignore[misc]
            self._match_new(tids)
            for tid in tids:
                affected |= self._docs_touching(tid)
        del self._born[start:]
        return self._change(affected)

    def remove_document(self, doc: str) -> Change:
        """Forget a document; the change's ``affected`` are the other documents touched."""
        self.revision += 1
        affected = self._detach(doc)
        affected.discard(doc)
        return self._change(affected)

    def bulk_load(self, items: Iterable[tuple[str, ParsedList]],
                  known: dict[str, list[Sketched]] | None = None,
                  verdicts: dict[tuple[int, int], Verdict] | None = None,
                  prepared: Future | None = None, parallel: Parallel | None = None) -> Change:
        """Index many documents at once (the initial scan): vectorised sketches and banding.

        ``known`` gives cached sketches of documents (aligned with their abstracts), which are
        then not normalised nor sketched again; ``verdicts`` cached pair verdicts by text keys.
        Sketching (the C kernel or NumPy, both without the GIL) runs on two worker threads while
        this thread normalises the next documents. ``prepared`` (a future of ``prepare``) holds the
        tables of a warm start, built while the files were read: used when this load turns
        out to add exactly its texts to an empty index, else ignored. ``parallel`` maps a pure
        function over jobs in worker processes (``host.sketching``): the candidate pairs are
        then confirmed there, in chunks.
        """
        fresh = not self._texts
        self.revision += 1
        known = known if known is not None else {}  # the caller may fill it as items come
        start = len(self._born)
        born: list[int] = []  # every text this load adds
        batch: list[tuple[int, str]] = []  # texts to sketch next, with their normalised form
        jobs: deque = deque()  # (tids, future), oldest first

        def harvest(block: bool) -> None:
            # Bands in as each batch is done, and its normalised texts freed with it: holding
            # them all to the end kept ~120 MB more at the peak for the corpora.
            while jobs and (block or jobs[0][1].done() or len(jobs) > _AHEAD):
                tids, job = jobs.popleft()
                self._set_bands(tids, job.result())

        def send() -> None:
            jobs.append(([t for t, _ in batch], pool.submit(text_keys, [n for _, n in batch])))
            batch.clear()
            harvest(False)

        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="paperls-sketch") as pool:
            for doc, parsed in items:
                if doc in self.docs:
                    self._detach(doc)
                self._attach(doc, parsed, known.get(doc))
                for t, n in self._born[start:]:
                    born.append(t)
                    if n is not None:
                        batch.append((t, n))
                del self._born[start:]
                if len(batch) >= _BATCH:
                    send()
            if batch:
                send()
            harvest(True)
        tids = [t for t in born if self._texts[t] is not None]
        if not tids:
            return self._change(set())
        ready = prepared.result() if prepared is not None and fresh else None
        if ready is not None and ready.fits(tids, [self._texts[t].key for t in tids]):  # type: ignore[union-attr]
            tables = ready.tables
            self._static_keys, self._static_tids = tables.static_keys, tables.static_tids
            self._open_keys, self._open_tids = tables.open_keys, tables.open_tids
            self._short = tables.short
            candidates = tables.candidates
        else:
            self._add_static(np.asarray(tids, dtype=np.int64), [np.frombuffer(
                b"".join(self._texts[t].bands for t in tids),  # type: ignore[union-attr,misc]
                dtype="<u8").reshape(len(tids), -1)])
            candidates = self._bulk_candidates()
        self._confirm(candidates, verdicts, parallel)
        return self._change(set())  # a bulk load is published whole by its caller

    @staticmethod
    def prepare(sketches: Iterable[list[Sketched]]) -> Prepared:
        """The LSH tables and candidate pairs that ``bulk_load`` would build for these cached
        sketches (each list a file's, in scan order) added to an empty index: built from the
        cache while the files are read (a warm start's sort of 3.3M keys for the corpora, 1.1 s,
        off the critical path). ``bulk_load`` checks that its texts are these, in this order."""
        flat = [x for file in sketches for x in file]
        if not flat:
            return Prepared(np.zeros(0, dtype=np.uint64), None)
        keys = np.fromiter((x.key for x in flat), dtype=np.uint64, count=len(flat))
        _, first = np.unique(keys, return_index=True)
        first.sort()  # each distinct text where it first occurs: the order text ids follow
        return Prepared(keys[first], _Tables.build(np.arange(len(first), dtype=np.int64), [
            np.frombuffer(b"".join(flat[i].bands for i in first.tolist()),
                          dtype="<u8").reshape(len(first), -1)]))

    def load_confirmed(self, items: Iterable[tuple[str, ParsedList]],
                       verdicts: dict[tuple[int, int], Verdict]) -> None:
        """Index documents whose pairs were found and confirmed elsewhere (the distributed
        engine): ``verdicts`` by the two texts' keys, the text first seen first. Nothing is
        matched; the index answers queries (findings, copies) and is not edited.
        Documents must come in scan order, so that text ids keep the order of a bulk load."""
        self.revision += 1
        start = len(self._born)
        for doc, parsed in items:
            self._attach(doc, parsed)
        born = [(t, n) for t, n in self._born[start:] if self._texts[t] is not None]
        del self._born[start:]
        # Their sketches, so that reference files can be matched against them.
        self._set_bands([t for t, _ in born], text_keys([n for _, n in born]))  # type: ignore[misc]
        for (ka, kb), v in verdicts.items():
            a, b = self._by_key.get(ka), self._by_key.get(kb)
            if a is not None and b is not None and a != b:
                self._set_verdict(a, b, v)

    def export(self, doc: str) -> list[Sketched]:
        """Cacheable sketches of a document's abstracts, in order."""
        d = self.docs.get(doc)
        if d is None:
            return []
        out = []
        for tid in d.tids:
            t = self._texts[tid]
            assert t is not None and t.bands is not None
            out.append(Sketched(t.key, t.bands))
        return out

    def export_verdicts(self) -> dict[tuple[int, int], Verdict]:
        """Every kept pair verdict, by the two texts' keys (smaller key first)."""
        out = {}
        for a, m in self._pairs.items():
            ka = self._texts[a].key  # type: ignore[union-attr]
            for b, v in m.items():
                kb = self._texts[b].key  # type: ignore[union-attr]
                if ka < kb:
                    out[(ka, kb)] = v
        return out

    # ----- internals -----------------------------------------------------------------------

    def _docs_touching(self, tid: int) -> set[str]:
        out = set()
        text = self._texts[tid]
        if text is not None:
            out.update(d for d, _ in text.where)
        for other in self._pairs.get(tid, {}):
            t2 = self._texts[other]
            if t2 is not None:
                out.update(d for d, _ in t2.where)
        return out

    def _detach(self, doc: str, kill: bool = True, collect: bool = True) -> set[str]:
        """Forget the document's occurrences. Texts left with none die, or with ``kill=False``
        wait in ``_orphans`` for the caller to decide (a re-attached text lives on). Returns
        the documents touched by its texts (if ``collect``)."""
        d = self.docs.pop(doc, None)
        if d is None:
            return set()
        self._abstracts -= len(d.tids)
        affected: set[str] = set()
        for a, tid in zip(d.parsed.abstracts, d.tids, strict=True):
            text = self._texts[tid]
            if text is None:
                continue
            if collect:
                affected |= self._docs_touching(tid)
            text.where.discard((doc, a.line))
            if not text.where:
                if kill:
                    self._kill(tid)
                else:
                    self._orphans.append(tid)
        return affected

    def _kill(self, tid: int) -> None:
        text = self._texts[tid]
        assert text is not None
        del self._by_key[text.key]
        self._texts[tid] = None
        self._died.append(tid)
        if text.bands is not None:  # drop it from the overlays, or typing would grow them
            keys = np.frombuffer(text.bands, dtype="<u8").tolist()
            for table, some in ((self._overlay, keys[:_LSH]),
                                (self._open_overlay, keys[_OPEN]), (self._short, keys[-1:])):
                for key in some:
                    hits = table.get(key)
                    if hits is not None and tid in hits:
                        hits.remove(tid)
                        if not hits:
                            del table[key]
        for other in self._pairs.pop(tid, {}):
            self._pairs.get(other, {}).pop(tid, None)

    def _attach(self, doc: str, parsed: ParsedList, known: list[Sketched] | None = None,
                reuse: dict[str, int] | None = None) -> None:
        """Record the document's abstracts. Texts new to the index are appended to ``born``
        with their normalised form, or with None when ``known`` already gives their sketch.
        ``reuse`` maps whole lines of the previous version to their (still live) text ids."""
        tids: list[int] = []
        if known is not None and len(known) != len(parsed.abstracts):
            known = None  # a cache entry that does not fit this parse is not trusted
        for i, a in enumerate(parsed.abstracts):
            tid = reuse.get(a.source) if reuse else None
            if tid is not None and self._texts[tid] is not None:
                self._texts[tid].where.add((doc, a.line))  # type: ignore[union-attr]
                tids.append(tid)
                continue
            if known is not None:
                norm, key = None, known[i].key
            else:
                norm = normalize(a.text)
                key = exact_key(norm)
            tid = self._by_key.get(key)
            if tid is None:
                tid = len(self._texts)
                self._texts.append(_Text(a, key, known[i].bands if known is not None else None))
                self._by_key[key] = tid
                self._born.append((tid, norm))
            self._texts[tid].where.add((doc, a.line))  # type: ignore[union-attr]
            tids.append(tid)
        self.docs[doc] = Document(parsed, tids)
        self._abstracts += len(tids)

    def _set_bands(self, tids: list[int], keys: np.ndarray) -> None:
        for tid, row in zip(tids, keys, strict=True):
            text = self._texts[tid]
            if text is not None:
                text.bands = row.astype("<u8").tobytes()

    def _add_static(self, tids: np.ndarray, held: list[np.ndarray]) -> None:
        """Add texts' keys (rows ``(n, KEYS)``) to the static tables. ``held`` is a list
        holding the rows, which this empties: the caller's only reference, so that the rows are
        freed before the big table is sorted (0.29 GB for 1M texts)."""
        keys = held.pop()
        self._open_keys, self._open_tids = _merged(
            self._open_keys, self._open_tids, tids, [keys[:, _OPEN]])
        for tid, key in zip(tids.tolist(), keys[:, -1].tolist(), strict=True):
            if key:
                self._short.setdefault(key, []).append(tid)
        lsh = [keys[:, :_LSH]]
        del keys
        self._static_keys, self._static_tids = _merged(
            self._static_keys, self._static_tids, tids, lsh)

    def _bulk_candidates(self) -> np.ndarray:
        """Pairs (a < b) of texts that share a key, from the sorted static table."""
        k, t = self._static_keys, self._static_tids
        if len(k) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        # Runs of one key, from where a key equals the next: few, so no array as long as the
        # table (3.3M entries for the corpora; three such made the load's peak).
        at = np.flatnonzero(k[1:] == k[:-1])
        brk = np.flatnonzero(np.diff(at) != 1) + 1
        starts = at[np.concatenate(([0], brk))] if len(at) else at
        ends = at[np.concatenate((brk, [len(at)])) - 1] + 2 if len(at) else at
        pairs = []
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
            ids = np.unique(t[s:e])
            if len(ids) < 2 or len(ids) > BUCKET_CAP:
                continue
            a, b = np.triu_indices(len(ids), 1)
            pairs.append(np.stack((ids[a], ids[b]), axis=1))
        pairs += self._opening_candidates()
        if not pairs:
            return np.zeros((0, 2), dtype=np.int64)
        return np.unique(np.concatenate(pairs), axis=0)

    def _opening_candidates(self) -> list[np.ndarray]:
        """Pairs of each short text with the texts that open with its longest opening."""
        out = []
        for key, shorts in self._short.items():
            lo = np.searchsorted(self._open_keys, np.uint64(key), "left")
            hi = np.searchsorted(self._open_keys, np.uint64(key), "right")
            if hi - lo > BUCKET_CAP:
                continue  # an opening hundreds of abstracts share says nothing of the paper
            others = np.unique(self._open_tids[lo:hi])
            for tid in shorts:
                rest = others[others != tid]
                if len(rest):
                    a = np.minimum(rest, tid)
                    b = np.maximum(rest, tid)
                    out.append(np.stack((a, b), axis=1))
        return out

    def _match_new(self, tids: list[int]) -> None:
        keys = np.frombuffer(b"".join(self._texts[t].bands for t in tids),  # type: ignore[union-attr,misc]
                             dtype="<u8").reshape(len(tids), -1)
        cands: set[tuple[int, int]] = self._new_openings(tids, keys)
        lsh = keys[:, :_LSH]
        owner = np.repeat(np.asarray(tids, dtype=np.int64), lsh.shape[1])
        flat = lsh.reshape(-1)
        live = flat != 0
        flat, owner = flat[live], owner[live]
        lo = np.searchsorted(self._static_keys, flat, "left")
        hi = np.searchsorted(self._static_keys, flat, "right")
        for tid, key, a, b in zip(owner.tolist(), flat.tolist(), lo.tolist(), hi.tolist(),
                                  strict=True):
            hits = self._overlay.get(key, [])
            if b - a + len(hits) > BUCKET_CAP:
                continue
            if b > a:
                hits = self._static_tids[a:b].tolist() + hits
            for other in hits:
                if other != tid and self._texts[other] is not None:
                    cands.add((min(tid, other), max(tid, other)))
            self._overlay.setdefault(key, []).append(tid)
        if cands:
            self._confirm(np.array(sorted(cands), dtype=np.int64))

    def _new_openings(self, tids: list[int], keys: np.ndarray) -> set[tuple[int, int]]:
        """Opening candidates of new texts: a new short text looks up its opening among all
        texts; every new text looks its openings up among the short texts. Then the new texts'
        keys join the overlays."""
        cands: set[tuple[int, int]] = set()

        def add(tid: int, others) -> None:
            for other in others:
                if other != tid and self._texts[other] is not None:
                    cands.add((min(tid, other), max(tid, other)))

        for tid, row in zip(tids, keys.tolist(), strict=True):
            opens, lookup = row[_OPEN], row[-1]
            if lookup:
                key = np.uint64(lookup)
                lo = np.searchsorted(self._open_keys, key, "left")
                hi = np.searchsorted(self._open_keys, key, "right")
                hits = self._open_overlay.get(lookup, [])
                if hi - lo + len(hits) <= BUCKET_CAP:
                    add(tid, self._open_tids[lo:hi].tolist() + hits)
            for key in opens:
                if key:
                    add(tid, self._short.get(key, []))
        for tid, row in zip(tids, keys.tolist(), strict=True):
            for key in row[_OPEN]:
                if key:
                    self._open_overlay.setdefault(key, []).append(tid)
            if row[-1]:
                self._short.setdefault(row[-1], []).append(tid)
        return cands

    def _confirm(self, pairs: np.ndarray, known: dict[tuple[int, int], Verdict] | None = None,
                 parallel: Parallel | None = None) -> None:
        live = [(a, b) for a, b in pairs.tolist()
                if self._texts[a] is not None and self._texts[b] is not None]
        got: list[Verdict | None] = [None] * len(live)
        if known:
            for i, (a, b) in enumerate(live):
                ka, kb = self._texts[a].key, self._texts[b].key  # type: ignore[union-attr]
                got[i] = known.get((min(ka, kb), max(ka, kb)))
        todo = [i for i, v in enumerate(got) if v is None]
        if parallel is not None and len(todo) >= PARALLEL_PAIRS:
            chunks = [todo[i:i + CONFIRM_CHUNK] for i in range(0, len(todo), CONFIRM_CHUNK)]
            jobs = []
            for c in chunks:
                ab = [live[i] for i in c]
                jobs.append(({t: self._texts[t].abstract.text  # type: ignore[union-attr]
                              for p in ab for t in p}, ab))
            todo = []
            for chunk, verdicts in zip(chunks, parallel(confirm_pairs, jobs), strict=True):
                if verdicts is None:  # a worker failed: these pairs are confirmed here
                    todo += chunk
                    continue
                for i, v in zip(chunk, verdicts, strict=True):
                    got[i] = v
        if todo:
            cache: dict[int, list[str]] = {}

            def toks(tid: int) -> list[str]:
                t = cache.get(tid)
                if t is None:
                    t = cache[tid] = tokens(self._texts[tid].normalized)  # type: ignore[union-attr]
                return t

            # Each text's tokens are dropped after its last pair: kept to the end, the tokens
            # of the ~6k texts in candidate pairs were the load's last peak.
            last = {t: n for n, i in enumerate(todo) for t in live[i]}
            for n, i in enumerate(todo):
                a, b = live[i]
                got[i] = compare(toks(a), toks(b))
                if last[a] == n:
                    cache.pop(a, None)
                if last[b] == n:
                    cache.pop(b, None)
        for (a, b), v in zip(live, got, strict=True):  # in the pairs' order, whatever the source
            self._set_verdict(a, b, v)  # type: ignore[arg-type]

    def _set_verdict(self, a: int, b: int, v: Verdict) -> None:
        self._pairs.setdefault(a, {})[b] = v
        self._pairs.setdefault(b, {})[a] = v


def confirm_pairs(texts: dict[int, str], pairs: list[tuple[int, int]]) -> list[Verdict]:
    """The verdicts of ``pairs`` of texts (ids into ``texts``, raw abstract texts): what
    ``Index._confirm`` works out, as a pure function, so that a worker process can run it."""
    toks = {t: tokens(normalize(x)) for t, x in texts.items()}
    return [compare(toks[a], toks[b]) for a, b in pairs]


@dataclass(frozen=True, slots=True)
class _Tables:
    """The static LSH tables of a bulk load into an empty index, and its candidate pairs."""

    static_keys: np.ndarray
    static_tids: np.ndarray
    open_keys: np.ndarray
    open_tids: np.ndarray
    short: dict[int, list[int]]
    candidates: np.ndarray

    @staticmethod
    def build(tids: np.ndarray, held: list[np.ndarray]) -> _Tables:
        """``held``: the rows in a list, emptied as ``Index._add_static`` does."""
        index = Index()
        index._add_static(tids, held)
        return _Tables(index._static_keys, index._static_tids, index._open_keys,
                       index._open_tids, index._short, index._bulk_candidates())


@dataclass(frozen=True, slots=True)
class Prepared:
    """``Index.prepare``'s tables, and the exact keys of the texts they are for, by text id."""

    keys: np.ndarray
    tables: _Tables | None

    def fits(self, tids: list[int], keys: list[int]) -> bool:
        """Whether a load that made texts ``tids`` with ``keys`` made exactly these."""
        return (self.tables is not None and len(keys) == len(self.keys)
                and tids == list(range(len(tids)))
                and bool(np.array_equal(np.asarray(keys, dtype=np.uint64), self.keys)))


def _merged(keys: np.ndarray, tids: np.ndarray, new: np.ndarray,
            held: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A sorted (key, text id) table with the non-zero keys of the rows in ``held`` added
    (the list is emptied: the rows go once read). Text ids are int32 (half the table's memory:
    3.3M entries for the corpora), and temporaries go as soon as they are used: this merge
    made the load's peak."""
    rows = held.pop()
    width = rows.shape[1]
    flat = rows.reshape(-1)
    del rows
    live = flat != 0
    added = flat[live]
    del flat
    owner = np.repeat(new.astype(np.int32), width)[live]
    del live
    if len(keys):  # a first load has no table to merge into: no copy of the new one
        flat = np.concatenate((keys, added))
        del added
        owner = np.concatenate((tids, owner))
    else:
        flat = added
        del added
    order = np.argsort(flat)
    owner = owner[order]
    del order
    flat.sort()  # in place: the same keys as flat[order], without a second table (-26 MB)
    return flat, owner


def text_keys(norms: list[str]) -> np.ndarray:
    """Every key of each text, ``(n, sketch.KEYS)`` (see ``sketch``); 0 = no key."""
    return sketch.keys(norms)


def sketch_texts(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Exact keys ``(n,)`` and all keys ``(n, sketch.KEYS)`` of raw abstract texts: what
    ``bulk_load`` works out for a text it has not seen, as ``Sketched`` rows (a pure function,
    so that a worker process can run it; ``host.sketching``)."""
    norms = [normalize(t) for t in texts]
    keys = np.fromiter((exact_key(n) for n in norms), dtype=np.uint64, count=len(norms))
    return keys, text_keys(norms)
