"""Handlers in-process, as rust-analyzer tests its features: a list with a cursor marker ``‸``
in, the protocol answer out, through the real handler and the client's position units
(UTF-16 here). Each feature has a case with astral-plane characters (🧬, 𝔼) before the cursor,
which take two UTF-16 units each: a column counted in code points would miss the word."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pygls.workspace import Workspace as PyglsWorkspace

from conftest import TONY_A, TONY_B, example_text
from paperls.lsp import documents
from paperls.lsp.handlers import editing, navigation
from paperls.lsp.state import PaperServer

ASTRAL = "🧬𝔼 "


def server(tmp_path: Path, text: str) -> tuple[PaperServer, str, types.Position]:
    """A server whose workspace has list B on disk and the marked text open as list A."""
    (tmp_path / TONY_B).write_text(example_text(TONY_B), encoding="utf-8")
    ls = PaperServer()
    root = from_fs_path(str(tmp_path))
    ls.protocol._workspace = PyglsWorkspace(root, position_encoding=types.PositionEncodingKind.Utf16)
    ls.roots = ls.real_roots = [tmp_path.resolve()]
    before, _, _ = text.partition("‸")
    clean = text.replace("‸", "")
    line = before.count("\n")
    col = len(before.rsplit("\n", 1)[-1].encode("utf-16-le")) // 2
    uri = from_fs_path(str(tmp_path / TONY_A))
    ls.workspace.put_text_document(types.TextDocumentItem(uri, "plaintext", 1, clean))
    ls.client_uris[documents.canonical(uri)] = uri
    documents.reload_from_disk(ls, documents.canonical(from_fs_path(str(tmp_path / TONY_B))))
    documents.update_open(ls, documents.canonical(uri))
    return ls, uri, types.Position(line, col)


def _marked(line_no: int, word: str, astral: bool) -> str:
    """List A with the cursor inside ``word`` on line ``line_no`` (astral characters first)."""
    lines = example_text(TONY_A).splitlines()
    text = lines[line_no]
    if astral:
        text = text.replace("Abstract:", "Abstract:" + ASTRAL, 1)
    i = text.index(word) + 2
    lines[line_no] = text[:i] + "‸" + text[i:]
    return "\n".join(lines) + "\n"


def check_hover(tmp_path, text: str, expected: str) -> None:
    ls, uri, pos = server(tmp_path, text)
    got = navigation.on_hover(ls, types.HoverParams(types.TextDocumentIdentifier(uri), pos))
    assert got is not None and expected in got.contents.value
    assert got.range.start.line == pos.line and got.range.start.character <= pos.character


def check_definition(tmp_path, text: str, expected: list[tuple[str, int]]) -> None:
    ls, uri, pos = server(tmp_path, text)
    got = navigation.on_definition(ls, types.DefinitionParams(
        types.TextDocumentIdentifier(uri), pos)) or []
    assert [(Path(x.uri).name, x.range.start.line) for x in got] == expected


def check_completion(tmp_path, text: str, expected: str) -> None:
    ls, uri, pos = server(tmp_path, text)
    ls.model.fill_topics()
    got = editing.on_completion(ls, types.CompletionParams(types.TextDocumentIdentifier(uri), pos))
    labels = [i.label for i in got.items] if got else []
    assert expected in labels[:10], labels[:10]
    item = got.items[labels.index(expected)]
    assert item.text_edit.range.end == pos  # replaces up to the cursor, in UTF-16 units


@pytest.mark.parametrize("astral", [False, True])
def test_hover(tmp_path, astral):
    check_hover(tmp_path, _marked(1, "GPT-4o", astral), "GPT-4o")


@pytest.mark.parametrize("astral", [False, True])
def test_definition(tmp_path, astral):
    # GPT-4o's abstract is line 3 of list B; with astral characters it is no longer an exact
    # copy, but still the same paper (a near copy).
    check_definition(tmp_path, _marked(1, "GPT-4o", astral), [(TONY_B, 2)])


@pytest.mark.parametrize("astral", [False, True])
def test_completion(tmp_path, astral):
    lines = example_text(TONY_A).splitlines()
    typed = "Abstract:" + (ASTRAL if astral else "") + "We study scaling la‸"
    text = "\n".join([*lines, typed]) + "\n"
    check_completion(tmp_path, text, "scaling laws")


def test_positions_past_the_end_and_unknown_documents(tmp_path):
    ls, uri, _ = server(tmp_path, _marked(1, "GPT-4o", False))
    far = types.Position(1, 10**6)  # far past the end of line 2: still that abstract
    got = navigation.on_hover(ls, types.HoverParams(types.TextDocumentIdentifier(uri), far))
    assert got is not None and "GPT-4o" in got.contents.value
    unknown = types.TextDocumentIdentifier("file:///nowhere/x.txt")
    assert navigation.on_hover(ls, types.HoverParams(unknown, types.Position(0, 0))) is None


def test_before_the_first_scan_lands_findings_name_other_lists_as_after(tmp_path):
    """Lists read before the workspace's scan lands (opened, or asked for diagnostics) are in
    a model of their own: its findings named the other list by its full URI, and the same
    finding changed its text (and a pull client's result id) when the scan landed."""
    from paperls.lsp import publishing

    ls, uri, _ = server(tmp_path, example_text(TONY_A))
    messages = [d.message for d in publishing.diagnostics_for(ls, documents.canonical(uri))]
    assert any(f"also in {TONY_B}:3" in m for m in messages), messages
    assert not any("file:" in m for m in messages)


async def test_an_opened_list_gets_its_topics_from_the_first_scans_fill(monkeypatch):
    """While the first scan runs, opening a long list extracts no topics in the worker: the
    scan's model replaces this one, topics and all, and its fill starts with the open lists
    (extracted then, they were extracted twice, and the worker took a core from the scan:
    the index landed ~0.8 s later through `paperls serve` on the corpora). Afterwards an
    opened list's new texts go to the worker at once."""
    from paperls.core.parse import parse
    from paperls.lsp import indexing

    sent: list[int] = []

    async def extract(ls, items, background=False, prepare=False):
        sent.append(len(items))

    monkeypatch.setattr(indexing, "extract_topics", extract)
    ls = PaperServer()
    text = "Curator\n" + "".join(
        f"Abstract:Study {i} trains graph neural networks on molecules of size {i}.\n"
        for i in range(30))
    ls.model.set_document("file:///l.txt", parse(text))
    ls.model.ready = False  # the first scan runs
    indexing.fill_topics_for(ls, "file:///l.txt")
    assert sent == [] and ls.topic_pool is None
    ls.model.ready = True
    indexing.fill_topics_for(ls, "file:///l.txt")
    await asyncio.sleep(0)
    assert sent == [30]


async def test_edits_while_a_list_is_extracted_send_its_texts_to_the_worker_once():
    """An opened list's texts go to the topic worker once, however many edits come while the
    worker has them: every edit re-ran ``fill_topics_for`` over the texts without topics, and
    sent the whole list again (20 edits queued 20 copies of a 360-abstract list on the
    corpora, and half its hovers were still unprepared 6 s after the index landed). Its new
    texts still get their topics, and every abstract it was opened with a prepared hover."""
    import concurrent.futures
    import threading

    from paperls.core.parse import parse
    from paperls.lsp import indexing

    gate = threading.Event()
    sent: list[str] = []

    class Pool(concurrent.futures.ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            sent.extend(args[0])

            def held(*a):
                gate.wait(10)
                return fn(*a)
            return super().submit(held, *args, **kwargs)

    ls = PaperServer()
    loop = asyncio.get_running_loop()
    ls.topic_pool = loop.create_future()
    ls.topic_pool.set_result(Pool(max_workers=1))
    uri = "file:///l.txt"
    lines = ["Curator"] + [f"Abstract:Study {i} trains graph neural networks on molecules "
                           f"of size {i} with contrastive pretraining." for i in range(60)]
    ls.model.set_document(uri, parse("\n".join(lines)))
    indexing.fill_topics_for(ls, uri, opened=True)
    await asyncio.sleep(0.05)  # the worker has its first chunks, and answers none yet
    for n in range(5):  # edits, each re-indexed and filled as ``publishing`` does
        lines.append(f"Abstract:Edit {n} adds sparse autoencoders for protein folding.")
        ls.model.set_document(uri, parse("\n".join(lines)))
        indexing.fill_topics_for(ls, uri)
        await asyncio.sleep(0.01)
    gate.set()
    for _ in range(500):
        await asyncio.sleep(0.01)
        if not ls.model.missing_texts([uri]) and not ls.model.unprepared([uri], 60):
            break
    ls.topic_pool.result().shutdown()
    texts = [line.removeprefix("Abstract:") for line in lines[1:]]
    assert not ls.model.missing_texts([uri]) and not ls.model.unprepared([uri], 60)
    counts = {t: sent.count(t) for t in texts}
    assert all(counts[t] >= 1 for t in texts)
    # Once for topics; at most once more for a hover another call's extraction left out.
    assert max(counts.values()) <= 2, sorted(counts.items(), key=lambda x: -x[1])[:3]
    assert sum(counts.values()) <= len(texts) + 10, sum(counts.values())
