"""Publishing: diagnostics pushed, or a refresh asked of a client that pulls; and the debounce
that turns keystrokes into one re-index.

Invariant: one way per client, never both. Every document whose findings may have changed is
republished, cleared ones included (with an empty list).
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from ..features import diagnostics
from . import convert, documents, indexing
from .state import PaperServer

log = logging.getLogger("paperls")

DEBOUNCE_S = 0.15
HEADLINES_ON_LOOP = 20  # fewer unmade headlines than this are made as their lists are published


def diagnostics_for(ls: PaperServer, uri: str, found=None) -> list[types.Diagnostic]:
    """The document's diagnostics in protocol form: the same for push and pull (``found``:
    its plain findings, when computed already)."""
    lines = documents.lines_of(ls, uri)
    if lines is None:
        return []
    codec = ls.workspace.position_codec
    if found is None:
        found = diagnostics.document_diagnostics(ls.model, uri, ls.settings.severities())
    return [convert.diagnostic(d, lines, codec, lambda u: documents.to_client(ls, u),
                               lambda u: documents.lines_of(ls, u)) for d in found]


def publish(ls: PaperServer, uris: set[str]) -> None:
    """Push the diagnostics of these documents, or ask a client that pulls to pull again."""
    if not uris:
        return  # nothing changed: a client that pulls would pull every list again for nothing
    if ls.caps.pull:
        request_refresh(ls)
        return
    for uri in sorted(uris):
        diags = diagnostics_for(ls, uri)
        if not diags and uri not in ls.published:
            continue
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=documents.to_client(ls, uri), diagnostics=diags,
            version=documents.version(ls, uri)))
        if diags:
            ls.published.add(uri)
        else:
            ls.published.discard(uri)


async def publish_landed(ls: PaperServer, uris: set[str]) -> None:
    """``publish`` after a scan: the open lists at once, the rest once the headlines their
    findings name are made in the topic worker, a few milliseconds of lists at a time. In one
    go on the loop, the 547 lists of the corpora held it for 0.6 s (a headline needs its
    text's topics: ~5 ms each), and a hover or a keystroke waited that long; the open lists
    are what the user is looking at."""
    model = ls.model
    whole = ls.caps.pull or not uris  # a client that pulls is asked once, for everything
    opened = uris if whole else {u for u in uris if documents.is_open(ls, u)}
    publish(ls, opened)
    ls.run_task(indexing.warm_languages(ls, model), "word frequencies")
    if whole:
        return
    rest = sorted(uris - opened)
    unheaded: list[tuple[int, str]] = []
    async for uri in indexing.in_slices(ls, model, rest):
        unheaded += model.unheaded_findings([uri])
    if ls.model is not model:
        return  # a newer scan landed: it publishes everything itself
    if len(unheaded) > HEADLINES_ON_LOOP:
        await indexing.prepare_texts(ls, model, unheaded)
    async for uri in indexing.in_slices(ls, model, rest):
        publish(ls, {uri})


def publish_all(ls: PaperServer) -> None:
    publish(ls, set(ls.model.index.docs) | ls.published)


def request_refresh(ls: PaperServer) -> None:
    """Ask the client to pull diagnostics again, at most once per turn of the loop."""
    if not ls.caps.diagnostic_refresh or ls.refresh_pending:
        return
    ls.refresh_pending = True

    def send() -> None:
        ls.refresh_pending = False
        try:
            ls.workspace_diagnostic_refresh(None)
        except Exception as err:  # the client is gone, or refuses: nothing to do
            log.info("diagnostic refresh not sent: %s", err)

    asyncio.get_event_loop().call_soon(send)


def refresh_views(ls: PaperServer) -> None:
    """After a scan lands: code lenses, inlay hints and semantic tokens computed while it ran
    said less than the index now knows; ask clients that can to ask again."""
    for can, send in ((ls.caps.code_lens_refresh, ls.workspace_code_lens_refresh),
                      (ls.caps.inlay_hint_refresh, ls.workspace_inlay_hint_refresh),
                      (ls.caps.semantic_tokens_refresh, ls.workspace_semantic_tokens_refresh)):
        if can:
            try:
                send(None)
            except Exception as err:
                log.info("refresh not sent: %s", err)


def apply_edit(ls: PaperServer, uri: str) -> None:
    """Re-index an open document now and publish what changed."""
    publish(ls, documents.update_open(ls, uri))
    indexing.fill_topics_for(ls, uri)


def flush(ls: PaperServer, uri: str) -> None:
    """Apply a pending debounced edit now: a request must see the text the user sees."""
    pending = ls.debounce.pop(uri, None)
    if pending is not None:
        pending.cancel()
        apply_edit(ls, uri)


def cancel(ls: PaperServer, uri: str) -> None:
    pending = ls.debounce.pop(uri, None)
    if pending is not None:
        pending.cancel()


def schedule(ls: PaperServer, uri: str, delay: float = DEBOUNCE_S) -> None:
    """Debounced re-index of an open document, keyed by URI."""
    cancel(ls, uri)

    async def later() -> None:
        await asyncio.sleep(delay)
        ls.debounce.pop(uri, None)
        if documents.is_open(ls, uri):
            apply_edit(ls, uri)

    ls.debounce[uri] = ls.run_task(later(), f"re-index {uri}")
