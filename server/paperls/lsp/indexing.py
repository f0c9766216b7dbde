"""Indexing: the workspace scan, topic extraction in a worker process, and reads off the loop.

Each function returns the documents whose findings changed; the caller publishes them.

Invariants:
- only the newest scan's model is swapped in; every scan that ends lowers ``ls.scans``, so the
  "indexing" state ends with the last one, not the first;
- what happened while a scan ran (a file changed, deleted or closed) is replayed onto its model;
- topic results are keyed by text id, never by a position that an edit can move.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types

from ..core import sketch, topics
from ..core.parse import parse
from ..core.workspace import Workspace, extract_many, extract_prepared_many, prepare_many
from ..host import loader, worker
from ..host.paths import default_cache_directory
from . import documents
from .state import PaperServer

log = logging.getLogger("paperls")

TOPIC_CHUNK = 10  # texts per round trip to the worker
ACTIVE_S = 0.5  # the client sent something this recently: background recording slows down
YIELD_S = 0.01  # pause after each text recorded while the client is active
MAX_WAIT_S = 2.0  # longest background work waits for the client (``client_pause``)
SMALL_WORKSPACE = 2000  # abstracts whose topics are extracted before the first diagnostics
INLINE_TOPICS = 20  # texts whose topics an edit extracts at once (typing adds one or two)
PREPARED_PER_LIST = 2000  # texts of an opened list whose hovers the worker prepares (~1 MB)
PREPARE_CHUNK = 50  # texts prepared per round trip: few waits behind the background fill's chunks
SLICE_S = 0.004  # longest a background pass holds the loop between turns
FREEZE_EVERY = 50  # background chunks recorded between two ``gc.freeze``
READ_TRIES = 3  # reads off the loop before one on the loop (which cannot be stale)
LANGUAGE_SAMPLE = 2000  # abstracts whose languages say which word frequencies to load (~10 ms)

T = TypeVar("T")


def topic_worker(ls: PaperServer) -> asyncio.Future:
    """The worker process for topic extraction, started once, from a thread.

    A process, so that extraction never competes with requests for the interpreter lock (a
    thread did: hover p99 went from 8 to 81 ms). Started from a thread and awaited, because
    spawning blocks whoever submits first. The worker watches its parent and ends with it,
    however the server ends (``host.worker``).
    """
    if ls.topic_pool is None:
        def start() -> concurrent.futures.Executor:
            try:
                pool: concurrent.futures.Executor = concurrent.futures.ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=worker.background)
                pool.submit(sketch.warm_up).result()
            except (OSError, ValueError, concurrent.futures.process.BrokenProcessPool) as err:
                log.warning("no worker process for topics (%s); using a thread", err)
                pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
            sketch.warm_up()  # this process's own tables, off the event loop
            topics.warm_up()
            return pool

        ls.topic_pool = asyncio.ensure_future(
            asyncio.get_running_loop().run_in_executor(None, start))
    return ls.topic_pool


def stop_topic_worker(ls: PaperServer) -> None:
    pool = ls.topic_pool
    if pool is not None and pool.done() and pool.exception() is None:
        pool.result().shutdown(wait=False, cancel_futures=True)


async def extract_topics(ls: PaperServer, items: list[tuple[int, str]],
                         background: bool = False, prepare: set[int] | None = None) -> None:
    """Topics of (text id, text) pairs in the worker, recorded by text id as they come back.

    Recording runs on the event loop (~0.6 ms a text), so it gives way to the user: one text
    at a time, and in the ``background`` fill of the whole workspace, while the client is busy
    (a message in the last ``ACTIVE_S``), a pause after each; an opened list's new texts go at
    full speed. Recorded back to back, the 98.8k corpora kept the loop and the interpreter
    lock busy for minutes after a scan: stdio hover p99 25 ms, completion p99 29 ms, against
    7.6 and 10 ms without it. The worker meanwhile extracts the next chunk. The texts in
    ``prepare`` (an opened list's) have their hovers prepared from the same ranking."""
    model = ls.model
    loop = asyncio.get_running_loop()
    pool = await topic_worker(ls)
    # The texts this call has claimed and not yet recorded (``claim``): all of them at once,
    # but in the ``background`` fill a chunk at a time, so that the lists opened meanwhile
    # are extracted by their own calls, not minutes later by this one.
    held: set[int] = set()
    if not background:
        items = claim(ls, model, items)
        held.update(tid for tid, _ in items)

    def submit(i: int) -> tuple[list[tuple[int, str]], asyncio.Future | None]:
        """The chunk at ``i``: its texts that still want topics (none that another call has
        claimed, or that has topics by now), sent to the worker."""
        part = [x for x in items[i:i + TOPIC_CHUNK] if not model.has_topics(x[0])]
        if background:
            part = claim(ls, model, part)
            held.update(tid for tid, _ in part)
        if not part:
            return part, None
        texts = [t for _, t in part]
        if prepare:
            return part, loop.run_in_executor(pool, extract_prepared_many, texts,
                                              [tid in prepare for tid, _ in part])
        return part, loop.run_in_executor(pool, extract_many, texts)

    try:
        ahead = submit(0)
        for i in range(0, len(items), TOPIC_CHUNK):
            part, pending = ahead
            found = await pending if pending is not None else []
            if pending is None:
                await asyncio.sleep(0)  # a run of texts done already: still give way
            if background:
                # The worker takes a core: the whole workspace's topics wait while the client
                # is busy, up to ``MAX_WAIT_S`` a chunk, so a client that never pauses slows
                # the fill but never stops it (stdio hover p99 14 -> 8 ms, completion 15 -> 4
                # ms with the vocabulary it had).
                await client_pause(ls, model)
            ahead = submit(i + TOPIC_CHUNK) if i + TOPIC_CHUNK < len(items) else ([], None)
            for (tid, _), got in zip(part, found, strict=True):
                if model is not ls.model:
                    if ahead[1] is not None:
                        ahead[1].cancel()
                    return  # a scan replaced the model
                if prepare:
                    got, ready = got
                    if ready is not None:
                        model.add_prepared([tid], [ready])
                model.add_topics([tid], [got])
                await asyncio.sleep(YIELD_S if background and _client_busy(ls) else 0)
            release(ls, model, [tid for tid, _ in part])
            held.difference_update(tid for tid, _ in part)
            if background and part and (i // TOPIC_CHUNK) % FREEZE_EVERY == 0:
                # What the fill records lives as long as the index: out of the full
                # collections too, which otherwise traverse more of it each time (17-33 ms
                # stalls of the loop, twice in 40 s of typing, after the corpora's scan).
                gc.freeze()
    finally:
        release(ls, model, held)
    if prepare and model is ls.model:
        # Texts another call was extracting without their hovers: prepared on their own.
        await prepare_texts(ls, model, [x for x in model.unprepared_among(items)
                                        if x[0] in prepare])


async def prepare_hovers(ls: PaperServer, uris: list[str], skip: set[int] | None = None) -> None:
    """Prepare the hovers of opened lists in the topic worker (``Workspace.prepare``): the
    hovers a user makes are in the lists they have open, and a prepared one skips topic
    extraction, most of a first hover's time. A hover that comes first works it out itself;
    the model a scan replaces takes its prepared hovers with it. ``skip``: texts whose topics
    the worker is extracting with their hovers already."""
    model = ls.model
    items = [x for x in model.unprepared(uris, PREPARED_PER_LIST) if not skip or x[0] not in skip]
    await prepare_texts(ls, model, items)


async def prepare_texts(ls: PaperServer, model: Workspace, items: list[tuple[int, str]]) -> None:
    """Prepare the topics and headlines of these (text id, text) in the topic worker, into
    ``model`` while it is the server's."""
    items = claim(ls, model, items, hovers=True)
    if not items:
        return
    loop = asyncio.get_running_loop()
    try:
        pool = await topic_worker(ls)
        for i in range(0, len(items), PREPARE_CHUNK):
            chunk = items[i:i + PREPARE_CHUNK]
            found = await loop.run_in_executor(pool, prepare_many, [t for _, t in chunk])
            if model is not ls.model:
                return
            model.add_prepared([tid for tid, _ in chunk], found)
    finally:
        release(ls, model, [tid for tid, _ in items], hovers=True)


def claim(ls: PaperServer, model: Workspace, items: list[tuple[int, str]],
          hovers: bool = False) -> list[tuple[int, str]]:
    """The (text id, text) of ``items`` that no other call has claimed for the topic worker
    (for their topics, or with ``hovers`` for their hovers), now claimed by the caller; none
    for a model a scan has replaced. Without this, every edit made while an opened list's
    topics were being extracted sent the worker the whole list again: 20 edits queued 20
    copies of its ~360 texts, and half its hovers were still unprepared 6 s after the index
    landed."""
    if model is not ls.model:
        return []
    owner, topics_sent, hovers_sent = ls.in_worker
    if owner is not model:  # text ids are a model's own
        topics_sent, hovers_sent = set(), set()
        ls.in_worker = (model, topics_sent, hovers_sent)
    sent = hovers_sent if hovers else topics_sent
    out = [x for x in items if x[0] not in sent]
    sent.update(tid for tid, _ in out)
    return out


def claimed(ls: PaperServer) -> set[int]:
    """The texts of the server's model that some call has claimed for their topics."""
    owner, topics_sent, _ = ls.in_worker
    return topics_sent if owner is ls.model else set()


def release(ls: PaperServer, model: Workspace, tids: Iterable[int], hovers: bool = False) -> None:
    """The caller is done with these texts of ``model`` (recorded, or abandoned)."""
    owner, topics_sent, hovers_sent = ls.in_worker
    if owner is model:
        (hovers_sent if hovers else topics_sent).difference_update(tids)


async def client_pause(ls: PaperServer, model: Workspace) -> None:
    """Until the client pauses (nothing sent for ``ACTIVE_S``), at most ``MAX_WAIT_S``, or a
    scan replaces ``model``: background work gives way to a busy client, but never stops."""
    waited = 0.0
    while _client_busy(ls) and waited < MAX_WAIT_S and model is ls.model:
        await asyncio.sleep(ACTIVE_S / 2)
        waited += ACTIVE_S / 2


def _client_busy(ls: PaperServer) -> bool:
    """Whether the client sent anything in the last ``ACTIVE_S``."""
    return time.monotonic() - ls.last_message < ACTIVE_S


def fill_topics_for(ls: PaperServer, uri: str, opened: bool = False) -> None:
    """Extract the topics of a document's new texts: a few at once, many in the worker; but
    not many while the first scan runs: its model replaces this one, topics and all, and its
    background fill starts with the open lists. Extracted then, they were extracted twice, and
    the worker's start and extraction took a core from the scan. A list just ``opened`` has
    its hovers prepared too (in the same pass for the texts extracted in the worker)."""
    every = ls.model.missing_texts([uri])
    in_worker = claimed(ls)
    missing = [x for x in every if x[0] not in in_worker]
    wanted = {tid for tid, _ in ls.model.unprepared([uri], PREPARED_PER_LIST)} if opened \
        else set()
    sent: set[int] = set()
    if len(missing) == len(every) and len(missing) <= INLINE_TOPICS:
        ls.model.fill_topics(missing)
    elif missing and ls.model.ready:
        # Many, or behind this list's texts that the worker has already: not on the loop.
        ls.run_task(extract_topics(ls, missing, prepare=wanted), f"topics of {uri}")
        sent = {tid for tid, _ in missing}
    if opened and ls.model.ready:
        ls.run_task(prepare_hovers(ls, [uri], sent), f"hovers of {uri}")


async def fill_topics_background(ls: PaperServer) -> None:
    """Extract topics of every indexed text in the worker process: the open lists first, with
    their hovers prepared from the same ranking (and those of their texts that had topics
    already), then the rest, giving way to the client."""
    model = ls.model
    opened = list(ls.client_uris)
    first = model.missing_texts(opened)
    done = {tid for tid, _ in first}
    wanted = {tid for tid, _ in model.unprepared(opened, PREPARED_PER_LIST)}
    started = time.perf_counter()
    # The open lists at full speed, as a list opened later: throttled like the rest, they
    # took minutes while the client was busy, and their hovers stayed unprepared.
    await extract_topics(ls, first, prepare=wanted)
    if model is not ls.model:
        return  # a scan replaced the model: its own fill runs
    await prepare_hovers(ls, opened, done)
    gc.freeze()  # the open lists' topics and hovers, long-lived as the index (``FREEZE_EVERY``)
    # Every list's, a few at a time: the whole corpora's at once held the loop ~0.1 s.
    rest: list[tuple[int, str]] = []
    async for doc in in_slices(ls, model, list(model.index.docs)):
        for tid, text in model.missing_texts([doc]):
            if tid not in done:
                done.add(tid)
                rest.append((tid, text))
    if model is not ls.model:
        return
    await extract_topics(ls, rest, background=True)
    if (first or rest) and model is ls.model:
        # The workspace's phrases are long-lived too: out of later collections, as the index.
        gc.freeze()
        ls.log(f"topics of {len(first) + len(rest)} abstracts in "
               f"{time.perf_counter() - started:.1f} s")


async def warm_languages(ls: PaperServer, model: Workspace) -> None:
    """Load the word frequencies of the other languages the workspace is written in
    (``topics.warm_up``), for first hovers, in a pause of the client's, once a scan's open
    lists are published (``publishing.publish_landed``): started after the open lists' topics
    were extracted and their hovers prepared, which on a slow day took seconds, the tables
    came in the middle of the client's first hovers, and its first French one loaded its own
    (0.22-0.30 s, four runs of four); started with the fill, they held up the open list's
    cross-list findings (+0.5 s, two runs of two). Loaded when the topic
    worker started, they held its pool, and so the cross-list findings it names (+1.1 s beside
    the cold check, three runs of three); loaded while the client typed, they held the loop
    (a table's read is one ~50 ms call): completion p99 20 ms in one run. A client that never
    pauses waits ``MAX_WAIT_S`` for them, as for the fill's chunks: waiting 30 s, the bench's
    first French hover loaded its table itself (107-119 ms). A hover that needs one sooner
    still loads it itself."""
    await client_pause(ls, model)
    if model is ls.model:
        await asyncio.get_running_loop().run_in_executor(
            None, topics.warm_up, model.index.sample(LANGUAGE_SAMPLE))


async def in_slices(ls: PaperServer, model: Workspace, items: list[T]) -> AsyncIterator[T]:
    """``items``, the loop given back whenever ``SLICE_S`` of the caller's work has passed;
    they stop when a scan replaces ``model``."""
    end = time.perf_counter() + SLICE_S
    for x in items:
        if time.perf_counter() > end:
            await asyncio.sleep(0)
            if model is not ls.model:
                return
            end = time.perf_counter() + SLICE_S
        yield x


class _Progress:
    """Work-done progress for one scan, when the client shows it."""

    def __init__(self, ls: PaperServer) -> None:
        self.ls, self.token = ls, None

    async def begin(self) -> None:
        if not self.ls.caps.progress:
            return
        token = str(uuid.uuid4())
        try:
            await asyncio.wait_for(self.ls.work_done_progress.create_async(token), 5)
            self.ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(
                title="paperls: indexing abstract lists", cancellable=False, percentage=0))
            self.token = token
        except Exception:
            self.token = None

    def reporter(self) -> Callable[[int, int], None]:
        loop = asyncio.get_running_loop()

        def report(files: int, abstracts: int) -> None:
            if self.token is not None:
                loop.call_soon_threadsafe(self.ls.work_done_progress.report, self.token,
                                          types.WorkDoneProgressReport(
                                              message=f"{files} files, {abstracts} abstracts"))
        return report

    def end(self, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.end(self.token, types.WorkDoneProgressEnd(message=message))
            self.token = None


def _build(ls: PaperServer, report: Callable[[int, int], None],
           warnings: list[str]) -> tuple[Workspace, Callable[[], None] | None]:
    """The scan itself, in a worker thread: a fresh model of everything on disk, and the write
    of the index cache, left for after the findings are out (0.5 s for the 98.8k corpora)."""
    settings = ls.settings
    cache_dir = None
    if settings.cache_enabled:
        cache_dir = Path(settings.cache_directory) if settings.cache_directory \
            else default_cache_directory()
    fresh, stats = loader.load(
        ls.roots, settings.include, settings.exclude, int(settings.max_file_size_mb * 1e6),
        settings.near_threshold, warnings.append, cache_dir=cache_dir, key=documents.path_uri,
        namer=ls.display_name, progress=report,
        with_references=settings.reference_files, defer_save=True, processes=True)
    fresh.set_threshold(settings.near_threshold, settings.possible_threshold)
    if stats.cached_files:
        warnings.append(f"{stats.cached_files} of {stats.files} lists from the index cache")
    if fresh.index.abstract_count <= SMALL_WORKSPACE:
        fresh.fill_topics()  # small: have completion complete from the first keystroke
    # For tests of what happens while a scan runs: hold the finished scan back this long, as
    # a large workspace would (the disk was read; changes now are the ones a scan misses).
    time.sleep(float(os.environ.get("PAPERLS_TEST_SCAN_PAUSE", "0") or 0))
    return fresh, stats.save_cache


def count_scan(ls: PaperServer) -> None:
    """A scan is under way from now: features and the status say "indexing" until it ends."""
    ls.scans += 1
    if ls.scans == 1:
        ls.during_scan.clear()  # the scan reads the disk after anything noted before it


async def scan(ls: PaperServer, counted: bool = False) -> set[str] | None:
    """Scan every root in a worker thread and swap the fresh model in: the documents to
    publish, or None when a newer scan superseded this one. ``counted``: ``count_scan`` was
    called when the scan was scheduled."""
    ls.scan_generation += 1
    generation = ls.scan_generation
    if not counted:
        count_scan(ls)
    progress = _Progress(ls)
    started = time.perf_counter()
    warnings: list[str] = []
    loop = asyncio.get_running_loop()
    try:
        await progress.begin()
        fresh, save = await loop.run_in_executor(None, _build, ls, progress.reporter(),
                                                 warnings)
    except BaseException:
        progress.end("indexing failed")
        raise
    finally:
        ls.scans -= 1
    for w in warnings:
        ls.log(w, types.MessageType.Warning if "skipped" in w or "cannot" in w
               else types.MessageType.Info)
    if generation != ls.scan_generation:
        progress.end("superseded by a newer scan")
        return None
    old = ls.model
    # Settings may have changed meanwhile.
    fresh.set_threshold(ls.settings.near_threshold, ls.settings.possible_threshold)
    ls.model = fresh
    # The editor's text wins over the disk; then what changed on disk while the scan ran.
    for uri in list(ls.client_uris):
        text = documents.editor_text(ls, uri)
        parsed = parse(text) if text is not None else None
        if parsed is not None and (parsed.is_abstract_list or fresh.index.document(uri)):
            fresh.set_document(uri, parsed)
    replayed, ls.during_scan = set(ls.during_scan), set()
    for uri in sorted(replayed - set(ls.client_uris)):
        documents.reload_from_disk(ls, uri)
    documents.reload_marks(ls)
    elapsed = time.perf_counter() - started
    msg = (f"indexed {len(fresh.index.docs)} lists, {fresh.index.abstract_count} abstracts "
           f"in {elapsed:.2f} s")
    ls.log(msg)
    affected = set(fresh.index.docs) | set(old.index.docs) | ls.published | replayed \
        | set(fresh.refs.files) | set(old.refs.files)
    del old
    # Hundreds of thousands of long-lived index objects: keep them out of every later
    # collection, whose full passes would otherwise stall requests now and then. (No
    # gc.collect() first: at 100k abstracts it blocks the loop for a few hundred ms.)
    gc.freeze()
    progress.end(msg)
    if save is not None:
        ls.run_task(loop.run_in_executor(None, save), "index cache")
    ls.run_task(fill_topics_background(ls), "topic extraction")
    return affected


def note_during_scan(ls: PaperServer, uri: str) -> None:
    """Remember a change on disk (or a close) that a running scan may have read too early."""
    if ls.indexing:
        ls.during_scan.add(uri)


async def read_off_loop(ls: PaperServer, fn: Callable[..., T], *args: Any) -> T:
    """Run a read-only workspace-wide query in a thread, on the model as it is.

    The loop may change the model meanwhile; a result is used only if the model and its
    revision are the same before and after the read (else it is dropped and the read runs
    again). After a few tries it runs on the loop, where no change can interleave.
    """
    loop = asyncio.get_running_loop()
    for _ in range(READ_TRIES):
        model, revision = ls.model, ls.model.revision
        try:
            result = await loop.run_in_executor(None, fn, model, *args)
        except (RuntimeError, KeyError, IndexError, AttributeError, TypeError):
            if model is ls.model and model.revision == revision:
                raise  # a real fault, not a change under the reader's feet
            continue
        if model is ls.model and model.revision == revision:
            return result
    return fn(ls.model, *args)
